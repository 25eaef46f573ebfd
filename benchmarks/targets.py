"""Benchmark: the two-department target-group search (målgruppesøgning) on PostgreSQL.

Measures ``sharing.targets.search_targets`` for "an open case or active grant in at least two
of børnesocial, voksensocial and jobcenter" — the whole service as a page calls it (basis,
query, building the rows, writing the access log: one entry per citizen shown plus one for
the search) — and, in the same run, the search's SQL statement alone. Reports the median
and p95 of each.

The issue's target: 1 000 000 citizens and at least 3 000 000 cases and grants, p95 ≤ 1 s.
``helhed demo`` makes about 0.2 cases and grants per citizen, so ``--add-items`` bulk-adds
synthetic ones in the database (``INSERT … SELECT``, no Python per row): most of them
closed or ended (history), ``--open-share`` of them open, spread over ``--client-share`` of
the citizens and over six departments. Run it against a database of its own::

    export HELHED_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/helhed_targets_bench
    .venv/bin/helhed migrate
    .venv/bin/helhed demo --citizens 1000000
    .venv/bin/python benchmarks/targets.py --add-items 2850000 --repeat 30

``--add-items`` adds every time it is given; run later measurements without it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEARCHED = ("boernesocial", "voksensocial", "jobcenter")
# Where synthetic items go, weighted by repeating a department.
WEIGHTED = ("jobcenter",) * 4 + ("ydelse",) * 3 + ("voksensocial",) * 2 \
    + ("boernesocial",) * 2 + ("sundhed",) * 2 + ("uu",)
BATCH = 500_000


def _setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from helhed.cli import settings_module

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
    import django

    django.setup()


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--add-items", type=int, default=0,
                        help="add this many synthetic cases and grants first")
    parser.add_argument("--open-share", type=float, default=0.2,
                        help="share of the added items that are open/active (0.2)")
    parser.add_argument("--client-share", type=float, default=0.5,
                        help="share of the citizens the added items are spread over (0.5)")
    parser.add_argument("--repeat", type=int, default=30, help="measured searches (30)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured searches first (3)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    return parser.parse_args(argv)


def _department_ids(codes: tuple[str, ...]) -> list[int]:
    from helhed.organisation.models import Department

    ids = dict(Department.objects.filter(code__in=set(codes)).values_list("code", "pk"))
    return [ids[code] for code in codes]


def add_items(count: int, open_share: float, client_share: float) -> float:
    """Bulk-add ``count`` synthetic cases (55 %) and grants (45 %); returns the seconds."""
    from django.db import connection, transaction

    from helhed.cases.models import Case, Grant

    started = time.perf_counter()
    departments = "(ARRAY[" + ",".join(str(i) for i in _department_ids(WEIGHTED)) + "])"
    stride = max(1, round(1 / client_share))
    cases = round(count * 0.55)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE pool AS SELECT row_number() OVER (ORDER BY id) AS n, "
                       "id FROM people_citizen WHERE id %% %s = 0", [stride])
        cursor.execute("CREATE INDEX ON pool (n)")
        cursor.execute("ANALYZE pool")
        cursor.execute("SELECT count(*) FROM pool")
        size = int(cursor.fetchone()[0])
        done = 0
        while done < count:
            table = Case._meta.db_table if done < cases else Grant._meta.db_table
            n = min(BATCH, cases - done) if done < cases else min(BATCH, count - done)
            with transaction.atomic():
                cursor.execute(_insert_sql(table, departments), [done, open_share, size, n])
            done += n
            print(f"  {done:>10,} / {count:,} tilføjet".replace(",", "."), flush=True)
        cursor.execute("DROP TABLE pool")
        cursor.execute(f"ANALYZE {Case._meta.db_table}")
        cursor.execute(f"ANALYZE {Grant._meta.db_table}")
    return time.perf_counter() - started


def _insert_sql(table: str, departments: str) -> str:
    """Only numbers are formatted in (the department ids); values are parameters."""
    pick = ("pool.id, "
            f"{departments}[1 + floor(random() * cardinality({departments}))::int]")
    rows = ("FROM (SELECT g, 1 + floor(random() * %s)::int AS n "
            "FROM generate_series(1, %s) AS g) AS s JOIN pool USING (n)")
    if table == "cases_case":
        return (
            "INSERT INTO cases_case (uuid, number, citizen_id, "  # noqa: S608
            "department_id, title, state, concept, closing_rule, sensitivity, "
            "citizen_display, opened_at, closed_at, "
            "closing_reason, updated_at) "
            f"SELECT gen_random_uuid(), 'SYN-' || (%s + g), {pick}, 'Syntetisk sag', "
            "CASE WHEN random() < %s THEN 'aabnet' ELSE 'afsluttet' END, 'enkelt', "
            "'afgoerelse', 'foelsom', 'metadata', now() - interval '2 years', NULL, '', now() "
            + rows)
    return (
        "INSERT INTO cases_grant (uuid, citizen_id, department_id, "  # noqa: S608
        "title, amount, unit, "
        "valid_from, state, granted_at, ended_reason, sensitivity, citizen_display) "
        f"SELECT gen_random_uuid(), {pick}, 'Syntetisk ydelse', 1, 'plads', "
        "current_date - 700 + (%s + g) %% 600, "
        "CASE WHEN random() < %s THEN 'aktiv' ELSE 'ophoert' END, now(), '', 'foelsom', "
        "'fuld' " + rows)


def _coordinator() -> Any:
    """A coordinator login in the demo municipality (made once)."""
    from django.contrib.auth import get_user_model

    from helhed.organisation.models import Role, StaffMember, Unit

    user_model = get_user_model()
    user = user_model.objects.filter(username="bench-koordinator").first()
    if user is not None:
        return user
    unit = Unit.objects.filter(department__code="voksensocial").order_by("pk").first()
    if unit is None:
        raise SystemExit("Ingen demo-kommune i databasen: kør først helhed demo.")
    user = user_model.objects.create_user("bench-koordinator", first_name="Bench",
                                          last_name="Koordinator")
    staff = StaffMember.objects.create(user=user, municipality=unit.department.municipality,
                                       unit=unit, initials="BK")
    staff.roles.add(Role.objects.get(code="koordinator"))
    return user


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _sizes() -> dict[str, int]:
    from django.db import connection

    sizes = {}
    with connection.cursor() as cursor:
        for table in ("people_citizen", "cases_case", "cases_grant", "sharing_externalcase"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - constant names
            sizes[table] = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM cases_case WHERE state <> 'afsluttet'")
        sizes["open cases"] = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM cases_grant WHERE state = 'aktiv'")
        sizes["active grants"] = int(cursor.fetchone()[0])
    return sizes


def measure(repeat: int, warmup: int) -> dict[str, Any]:

    from helhed.core import clock
    from helhed.organisation.services import forget
    from helhed.sharing import targets

    criteria = targets.TargetCriteria(departments=SEARCHED, min_departments=2)
    actor = _coordinator()
    service: list[float] = []
    sql_only: list[float] = []
    export: list[float] = []
    total = 0
    for index in range(warmup + repeat):
        forget(actor)  # a request loads its user afresh
        started = time.perf_counter()
        result = targets.search_targets(actor, criteria)
        elapsed = time.perf_counter() - started
        basis = targets.search_basis(actor)
        sql, params = targets._statement(basis, criteria, clock.today(), targets.PAGE_ROWS)
        started = time.perf_counter()
        targets.fetch(sql, params)
        raw = time.perf_counter() - started
        forget(actor)
        started = time.perf_counter()
        targets.export_targets_csv(actor, criteria)
        exported = time.perf_counter() - started
        if index >= warmup:
            service.append(elapsed)
            sql_only.append(raw)
            export.append(exported)
        total = result.total
    return {
        "service": {"median": statistics.median(service), "p95": _p95(service),
                    "min": min(service), "max": max(service)},
        "sql": {"median": statistics.median(sql_only), "p95": _p95(sql_only),
                "min": min(sql_only), "max": max(sql_only)},
        "export": {"median": statistics.median(export), "p95": _p95(export),
                   "min": min(export), "max": max(export)},
        "matches": total, "rows_shown": min(total, targets.PAGE_ROWS),
        "rows_exported": min(total, targets.MAX_ROWS),
    }


def main(argv: list[str] | None = None) -> None:
    options = _arguments(argv)
    _setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("Benchmarken kører på PostgreSQL: sæt HELHED_DATABASE_URL.")
    if options.add_items:
        seconds = add_items(options.add_items, options.open_share, options.client_share)
        print(f"Tilføjede {options.add_items:,} sager og ydelser på {seconds:.1f} s"
              .replace(",", "."))
    sizes = _sizes()
    print("Størrelse:", ", ".join(f"{k} {v:,}".replace(",", ".") for k, v in sizes.items()))
    figures = measure(options.repeat, options.warmup)
    figures["sizes"] = sizes
    for label, key in (("search_targets (hele servicen)", "service"),
                       ("SQL-sætningen alene", "sql"),
                       ("export_targets_csv (op til 5.000 rækker)", "export")):
        f = figures[key]
        print(f"{label}: median {f['median'] * 1000:.0f} ms, p95 {f['p95'] * 1000:.0f} ms "
              f"(min {f['min'] * 1000:.0f}, max {f['max'] * 1000:.0f}; "
              f"{options.repeat} gentagelser)")
    print(f"Borgere i målgruppen: {figures['matches']:,}".replace(",", ".")
          + f", heraf vist og logget: {figures['rows_shown']:,}".replace(",", ".")
          + f", eksporteret: {figures['rows_exported']:,}".replace(",", "."))
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
