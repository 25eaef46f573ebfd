"""Benchmark: the family overview (cpr-knap, issue 4 K1) against hand-written SQL.

Runs against a PostgreSQL database you name. It builds the demo municipality there when
the database has none (``helhed demo --citizens N``), optionally bulk-inserts synthetic
cases and grants until the database holds ``--items`` of them in all (SQL ``INSERT …
SELECT``; marked ``BENCH-`` / "Syntetisk" so later runs reuse them), then for ``--families``
random families (a random child, with parents, siblings across households and household):

- the overview's server time: ``sharing.overview.family_overview`` in-process, with the
  door, the preload, the queries and the access-log insert (a fresh user object each time,
  as a request has);
- the best hand-written SQL we could write that fetches the same rows (the family and all
  their cases, grants, notifications and external cases with department and responsible)
  in one statement;

and reports median, p95 and the ratio. Example (issue 4's size):

    .venv/bin/python benchmarks/overview.py \\
        --database postgresql://postgres@127.0.0.1:5432/helhed_overview_bench \\
        --citizens 1000000 --items 3000000 --families 200
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HAND_WRITTEN_SQL = """
WITH me AS (SELECT id FROM people_citizen WHERE uuid = %(uuid)s),
par AS (SELECT parent_id AS id FROM people_parentchild WHERE child_id = (SELECT id FROM me)),
home AS (SELECT address_id FROM people_residence
         WHERE citizen_id = (SELECT id FROM me) AND valid_to IS NULL),
fam AS (
    SELECT id FROM me
    UNION SELECT id FROM par
    UNION SELECT child_id FROM people_parentchild WHERE parent_id = (SELECT id FROM me)
    UNION SELECT child_id FROM people_parentchild WHERE parent_id IN (SELECT id FROM par)
    UNION SELECT citizen_id FROM people_residence
          WHERE address_id = (SELECT address_id FROM home) AND valid_to IS NULL
)
SELECT 'borger', p.uuid, p.id, p.first_name || ' ' || p.last_name, '', NULL::date,
       '', '', '', ''
  FROM people_citizen p WHERE p.id IN (SELECT id FROM fam)
UNION ALL
SELECT 'sag', c.uuid, c.citizen_id, c.number || ' ' || c.title, c.state, c.opened_at::date,
       d.code, d.name, u.first_name || ' ' || u.last_name, s.phone
  FROM cases_case c JOIN organisation_department d ON d.id = c.department_id
  LEFT JOIN organisation_staffmember s ON s.id = c.responsible_id
  LEFT JOIN auth_user u ON u.id = s.user_id
 WHERE c.citizen_id IN (SELECT id FROM fam)
UNION ALL
SELECT 'bevilling', g.uuid, g.citizen_id, g.title, g.state, g.valid_from, d.code, d.name,
       u.first_name || ' ' || u.last_name, s.phone
  FROM cases_grant g JOIN organisation_department d ON d.id = g.department_id
  LEFT JOIN cases_case c ON c.id = g.case_id
  LEFT JOIN organisation_staffmember s ON s.id = c.responsible_id
  LEFT JOIN auth_user u ON u.id = s.user_id
 WHERE g.citizen_id IN (SELECT id FROM fam)
UNION ALL
SELECT 'underretning', n.uuid, n.child_id, n.notifier_kind, n.state, n.received_at::date,
       d.code, d.name, u.first_name || ' ' || u.last_name, coalesce(s.phone, un.phone)
  FROM cases_notification n LEFT JOIN organisation_unit un ON un.id = n.unit_id
  LEFT JOIN organisation_department d ON d.id = un.department_id
  LEFT JOIN cases_case c ON c.id = n.case_id
  LEFT JOIN organisation_staffmember s ON s.id = c.responsible_id
  LEFT JOIN auth_user u ON u.id = s.user_id
 WHERE n.child_id IN (SELECT id FROM fam)
UNION ALL
SELECT 'ekstern', e.uuid, e.citizen_id, e.title, e.state, e.opened_on, d.code, d.name,
       e.responsible_name, e.responsible_contact
  FROM sharing_externalcase e JOIN organisation_department d ON d.id = e.department_id
 WHERE e.citizen_id IN (SELECT id FROM fam)
"""

STAFF_BY_DEPARTMENT = """
CREATE TEMP TABLE bench_dept AS
SELECT row_number() OVER (ORDER BY u.department_id) AS rn, u.department_id,
       array_agg(s.id ORDER BY s.id) AS staff, array_agg(s.unit_id ORDER BY s.id) AS units
  FROM organisation_staffmember s JOIN organisation_unit u ON u.id = s.unit_id
 WHERE s.provider_id IS NULL GROUP BY u.department_id
"""

CITIZENS = """
CREATE TEMP TABLE bench_citizen AS
SELECT row_number() OVER (ORDER BY id) AS rn, id FROM people_citizen
"""

INSERT_CASES = """
INSERT INTO cases_case (uuid, number, title, state, concept, closing_rule, sensitivity,
                        citizen_display, opened_at, closed_at, closing_reason, updated_at,
                        citizen_id, department_id, responsible_id, unit_id)
SELECT gen_random_uuid(), 'BENCH-' || (%(start)s + g), 'Syntetisk sag ' || (%(start)s + g),
       (ARRAY['aabnet','undersoegelse','levering','afgoerelse','afsluttet'])[1 + g %% 5],
       'enkelt', 'afgoerelse', 'foelsom', 'metadata',
       now() - (g %% 3000) * interval '1 day',
       CASE WHEN g %% 5 = 4 THEN now() ELSE NULL END, '', now(),
       c.id, d.department_id,
       d.staff[1 + (g / 7) %% array_length(d.staff, 1)],
       d.units[1 + (g / 7) %% array_length(d.units, 1)]
  FROM generate_series(1, %(n)s) g
  JOIN bench_dept d ON d.rn = 1 + g %% %(departments)s
  JOIN bench_citizen c ON c.rn = 1 + (hashint8(g + %(start)s) & 2147483647) %% %(citizens)s
"""

INSERT_GRANTS = """
INSERT INTO cases_grant (uuid, title, amount, unit, valid_from, valid_to, state, granted_at,
                         ended_reason, sensitivity, citizen_display, citizen_id, department_id)
SELECT gen_random_uuid(), 'Syntetisk ydelse ' || (%(start)s + g), 1, 'timer_uge',
       current_date - (g %% 3000), CASE WHEN g %% 3 = 0 THEN current_date ELSE NULL END,
       CASE WHEN g %% 3 = 0 THEN 'ophoert' ELSE 'aktiv' END, now(), '', 'foelsom', 'fuld',
       c.id, d.department_id
  FROM generate_series(1, %(n)s) g
  JOIN bench_dept d ON d.rn = 1 + g %% %(departments)s
  JOIN bench_citizen c ON c.rn = 1 + (hashint8(g + %(start)s + 7777777) & 2147483647)
                                     %% %(citizens)s
"""


def setup_django(database: str) -> None:
    if not database.startswith("postgresql://"):
        sys.exit("--database skal være en PostgreSQL-URL (postgresql://…).")
    os.environ["HELHED_DATABASE_URL"] = database
    os.environ.setdefault("HELHED_PROFILE", "embedded")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helhed.settings.embedded")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()


def say(text: str) -> None:
    print(text, flush=True)


def ensure_demo(citizens: int) -> None:
    from django.core.management import call_command

    from helhed.people.models import Citizen

    call_command("migrate", verbosity=0)
    if Citizen.objects.exists():
        say(f"Genbruger demo-kommunen: {Citizen.objects.count():,} borgere.")
        return
    say(f"Bygger demo-kommunen med {citizens:,} borgere …")
    call_command("demo", citizens=citizens)


def bulk_items(target: int) -> None:
    """Insert synthetic cases and grants (half each) until there are ``target`` in all."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM cases_case), "
                       "(SELECT count(*) FROM cases_grant)")
        cases, grants = cursor.fetchone()
        missing = target - cases - grants
        say(f"Sager {cases:,}, bevillinger {grants:,}; mål {target:,} i alt.")
        if missing <= 0:
            return
        started = time.perf_counter()
        with transaction.atomic():
            cursor.execute(STAFF_BY_DEPARTMENT)
            cursor.execute(CITIZENS)
            cursor.execute("SELECT count(*) FROM bench_dept")
            departments = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM bench_citizen")
            citizens = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM cases_case WHERE number LIKE 'BENCH-%%'")
            start = cursor.fetchone()[0] + 1
            params = {"departments": departments, "citizens": citizens}
            cursor.execute(INSERT_CASES, {**params, "n": missing // 2, "start": start})
            cursor.execute(INSERT_GRANTS, {**params, "n": missing - missing // 2,
                                           "start": start})
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE cases_grant")
        say(f"Indsatte {missing:,} syntetiske sager og bevillinger på "
            f"{time.perf_counter() - started:.1f} s.")


def sample_children(n: int, seed: int) -> list[Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
        cursor.execute("SELECT c.uuid FROM people_citizen c WHERE EXISTS "
                       "(SELECT 1 FROM people_parentchild pc WHERE pc.child_id = c.id) "
                       "ORDER BY random() LIMIT %s", [n])
        return [row[0] for row in cursor.fetchall()]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(families: list[Any], username: str, warmup: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from helhed.sharing.overview import family_overview

    user_model = get_user_model()
    actor_pk = user_model.objects.get(username=username).pk
    overview_ms: list[float] = []
    sql_ms: list[float] = []
    items: list[int] = []
    rows: list[int] = []
    queries: list[int] = []
    counted = [0]
    per_query: dict[str, list[float]] = {}
    measuring = [False]

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counted[0] += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if measuring[0]:
                per_query.setdefault(" ".join(sql.split())[:70], []).append(
                    (time.perf_counter() - started) * 1000)

    for index, citizen in enumerate(families):
        actor = user_model.objects.get(pk=actor_pk)
        counted[0] = 0
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            overview = family_overview(actor, citizen)
            spent = (time.perf_counter() - started) * 1000
        count = counted[0]
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(HAND_WRITTEN_SQL, {"uuid": citizen})
            found = cursor.fetchall()
            sql_spent = (time.perf_counter() - started) * 1000
        measuring[0] = index + 1 >= warmup
        if index < warmup:
            continue
        overview_ms.append(spent)
        sql_ms.append(sql_spent)
        items.append(len(overview.items))
        rows.append(len(found))
        queries.append(count)
    return {"overview": overview_ms, "sql": sql_ms, "items": items, "rows": rows,
            "queries": queries, "per_query": per_query}


def report(result: dict[str, Any]) -> None:
    o, s = result["overview"], result["sql"]
    om, op = statistics.median(o), percentile(o, 0.95)
    sm, sp = statistics.median(s), percentile(s, 0.95)
    say(f"Familier målt: {len(o)}")
    say(f"Elementer vist pr. familie: median {statistics.median(result['items'])}, "
        f"maks {max(result['items'])}; rækker i SQL: median "
        f"{statistics.median(result['rows'])}, maks {max(result['rows'])}")
    say(f"Forespørgsler pr. overblik: {min(result['queries'])}–{max(result['queries'])}")
    say(f"Overblik (server):   median {om:6.2f} ms   p95 {op:6.2f} ms")
    say(f"Håndskrevet SQL:     median {sm:6.2f} ms   p95 {sp:6.2f} ms")
    say(f"Forhold:             median {om / sm:5.1f}×     p95 {op / sp:5.1f}×")
    spent = [sum(times) / len(o) for times in result["per_query"].values()]
    say(f"Heraf i forespørgsler: {sum(spent):.2f} ms pr. overblik (gennemsnit); pr. sætning "
        "(gns. pr. overblik, median pr. kørsel, antal):")
    for (sql, times), share in sorted(zip(result["per_query"].items(), spent, strict=True),
                                      key=lambda pair: -pair[1]):
        say(f"  {share:6.2f} ms  {statistics.median(times):6.2f} ms  {len(times):5d}  {sql}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="postgresql://…/<database>")
    parser.add_argument("--citizens", type=int, default=100_000,
                        help="demo size if the database is empty (default 100000)")
    parser.add_argument("--items", type=int, default=0,
                        help="bulk-insert synthetic cases and grants up to this many in all")
    parser.add_argument("--families", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server-side-binding", action="store_true",
                        help="psycopg server-side binding: repeated statements are prepared "
                             "once per connection (DATABASES OPTIONS server_side_binding)")
    parser.add_argument("--actor", default="sagsbehandler-boern",
                        help="the reader's username (default: the demo's children's "
                             "caseworker)")
    args = parser.parse_args()
    setup_django(args.database)
    if args.server_side_binding:
        from django.db import connections

        connections["default"].settings_dict.setdefault("OPTIONS", {})[
            "server_side_binding"] = True
        connections["default"].close()
    ensure_demo(args.citizens)
    if args.items:
        bulk_items(args.items)
    random.seed(args.seed)
    families = sample_children(args.families + args.warmup, args.seed)
    result = measure(families, args.actor, args.warmup)
    report(result)


if __name__ == "__main__":
    main()
