"""Target-group search (målgruppesøgning, "cpr-liste"): citizens matching criteria across
departments, for actors whose role has a legal basis for it.

The basis is an active ``sharing.AccessRule`` with ``allows_target_search`` for one of the
actor's roles (found through the policy door's :class:`~helhed.sharing.policy.Evaluator`).
The rule's categories decide which departments may be searched and shown: a department
whose data category the rule does not cover is neither a criterion nor a column, so a
category that hides existence (substance abuse, mental health) never leaks through a
search. The result is metadata only: name, CPR, age, district and which departments have an
open case, grant or external case; never content.

Every search is logged: one access-log entry per citizen in the result (action ``search``
or ``export``, detail naming the criteria) and one for the search itself (no subject). A
refused search is logged too.

The matching is one SQL statement: the open items of the searched departments, aggregated
per citizen (``GROUP BY … HAVING COUNT(DISTINCT department)``), joined to the citizen and the
current residence, with the totals per department as window sums, capped at
:data:`MAX_ROWS`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext_noop

from helhed.cases.models import Case, Grant
from helhed.catalogue.models import LegalBasis
from helhed.core import clock
from helhed.core import sql as raw
from helhed.core.errors import AccessDenied, InvalidInput
from helhed.organisation.models import Department
from helhed.organisation.services import staff_of
from helhed.people.models import Address, Citizen, ParentChild, Residence
from helhed.sharing import policy
from helhed.sharing.models import AccessRule, ExternalCase
from helhed.sharing.policy import Actor, Category, Purpose

# A search shows (and logs) the first PAGE_ROWS citizens by name; the CSV export up to
# MAX_ROWS. Nobody reads 5 000 rows in a browser, and each row shown is a look logged.
PAGE_ROWS = 500
MAX_ROWS = 5000
MAX_AGE = 130
SEARCH = "search"
EXPORT = "export"
# The family criterion: a child under investigation in the children's department, and a
# parent with an open item in the jobcenter.
CHILD_DEPARTMENT = "boernesocial"
PARENT_DEPARTMENT = "jobcenter"
INVESTIGATION_BASIS = "bl-20"

NO_BASIS = gettext_noop(
    "Du har ikke hjemmel til målgruppesøgning. Søgningen kræver en hjemmelsregel, der "
    "giver din rolle adgang til at søge på tværs af afdelinger (fx Retssikkerhedsloven "
    "§ 12 b for koordinatorer og ledere). Din forespørgsel er logget.")
NO_CRITERION = gettext_noop(
    "Vælg mindst to afdelinger, eller søg efter familier med et barn under undersøgelse.")
UNKNOWN_DEPARTMENT = gettext_noop(
    "Der kan ikke søges på %(departments)s med dit grundlag.")
BAD_MINIMUM = gettext_noop("Antallet skal være mellem 1 og antallet af valgte afdelinger "
                           "(%(count)s).")
BAD_NUMBER = gettext_noop("Skriv et helt tal.")
BAD_AGE = gettext_noop("Alderen skal være mellem 0 og %(max)s år.")
AGES_REVERSED = gettext_noop("Alderen \"fra\" må ikke være større end alderen \"til\".")
FAMILY_NOT_COVERED = gettext_noop(
    "Dit grundlag dækker ikke både børnesager og beskæftigelse, så der kan ikke søges "
    "efter familier med et barn under undersøgelse.")


@dataclass(frozen=True)
class TargetCriteria:
    """What to search for. ``departments`` are department codes; a citizen matches when at
    least ``min_departments`` of them have an open case or active grant for the citizen."""

    departments: tuple[str, ...] = ()
    min_departments: int = 2
    family: bool = False  # a child under investigation and a parent with a jobcenter case
    age_min: int | None = None
    age_max: int | None = None
    district: str = ""

    def describe(self) -> str:
        """The criteria in Danish, for the access log."""
        parts = []
        if self.departments:
            parts.append(f"mindst {self.min_departments} af {', '.join(self.departments)}")
        if self.family:
            parts.append("barn under undersøgelse og forælder med sag i jobcentret")
        if self.age_min is not None or self.age_max is not None:
            parts.append(f"alder {self.age_min if self.age_min is not None else ''}"
                         f"–{self.age_max if self.age_max is not None else ''}")
        if self.district:
            parts.append(f"distrikt {self.district}")
        return "Målgruppesøgning: " + ("; ".join(parts) or "ingen kriterier")


@dataclass(frozen=True)
class SearchBasis:
    """The legal basis a search is made on, and what it lets the actor search."""

    code: str
    paragraph: str
    name: str
    departments: tuple[Department, ...]  # searchable and shown, in a fixed order

    @property
    def label(self) -> str:
        return f"{self.paragraph}: {self.name}"

    def department(self, code: str) -> Department | None:
        return next((d for d in self.departments if d.code == code), None)


@dataclass(frozen=True)
class TargetRow:
    """One citizen in the result: metadata only."""

    uuid: uuid.UUID
    name: str
    cpr: str
    age: int
    district: str | None  # None: not shown (name and address protection)
    departments: tuple[str, ...]  # codes of the departments with an open item


@dataclass
class TargetResult:
    basis: SearchBasis
    criteria: TargetCriteria
    rows: list[TargetRow] = field(default_factory=list)
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # department code → citizens

    @property
    def more(self) -> bool:
        return self.total > len(self.rows)

    def department_counts(self) -> list[tuple[Department, int]]:
        return [(d, self.counts.get(d.code, 0)) for d in self.basis.departments]


# --- the basis ----------------------------------------------------------------------------

def _refuse(actor: Actor, detail: str) -> AccessDenied:
    refusal = policy.Decision(False, "", NO_BASIS)
    policy.record(actor, [policy.look(refusal, None, Category.CASE, purpose=Purpose.CASEWORK,
                                      action=SEARCH, detail=detail)])
    return AccessDenied(code="sharing.targets.no_basis", message=NO_BASIS)


def search_basis(actor: Actor, *, detail: str = "Målgruppesøgning") -> SearchBasis:
    """The actor's basis for target-group search; else ``AccessDenied`` (logged)."""
    evaluator = policy.Evaluator(actor, Purpose.CASEWORK)
    found = evaluator.target_search_rule()
    staff = staff_of(actor) if evaluator.active else None
    rule = (AccessRule.objects.filter(code=found[0]).prefetch_related("categories").first()
            if found is not None and staff is not None else None)
    if rule is None or staff is None or not evaluator.lookup_role:
        raise _refuse(actor, detail)
    covered = {c.code for c in rule.categories.all()}
    known = evaluator.categories
    departments = tuple(
        d for d in Department.objects.filter(municipality_id=staff.municipality_id)
        .order_by("name", "code")
        if policy.category_of_department(d.code, known) in covered)
    return SearchBasis(rule.code, rule.paragraph, rule.name, departments)


# --- validation ---------------------------------------------------------------------------

def parse_number(value: str | int | None, field_name: str) -> int | None:
    """A whole number from a form or query string (empty: ``None``)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise InvalidInput("sharing.targets.number", BAD_NUMBER, field=field_name) from None


def _validate(basis: SearchBasis, criteria: TargetCriteria) -> None:
    unknown = [code for code in criteria.departments if basis.department(code) is None]
    if unknown:
        raise InvalidInput("sharing.targets.department", UNKNOWN_DEPARTMENT,
                           field="departments", params={"departments": ", ".join(unknown)})
    if not criteria.family and len(set(criteria.departments)) < 1:
        raise InvalidInput("sharing.targets.no_criterion", NO_CRITERION, field="departments")
    count = len(set(criteria.departments))
    if count and not 1 <= criteria.min_departments <= count:
        raise InvalidInput("sharing.targets.minimum", BAD_MINIMUM, field="min_departments",
                           params={"count": count})
    for name in ("age_min", "age_max"):
        age = getattr(criteria, name)
        if age is not None and not 0 <= age <= MAX_AGE:
            raise InvalidInput("sharing.targets.age", BAD_AGE, field=name,
                               params={"max": MAX_AGE})
    if (criteria.age_min is not None and criteria.age_max is not None
            and criteria.age_min > criteria.age_max):
        raise InvalidInput("sharing.targets.ages", AGES_REVERSED, field="age_max")
    if criteria.family and (basis.department(CHILD_DEPARTMENT) is None
                            or basis.department(PARENT_DEPARTMENT) is None):
        raise InvalidInput("sharing.targets.family", FAMILY_NOT_COVERED, field="family")


# --- the query ----------------------------------------------------------------------------

def _open_items(department_ids: Sequence[int]) -> tuple[str, list[Any]]:
    """(citizen_id, department_id) of every open case, active grant and open external case
    in these departments."""
    marks = raw.marks(department_ids)
    case, grant, ext = (Case._meta.db_table, Grant._meta.db_table,
                        ExternalCase._meta.db_table)
    # Only table names and placeholders are formatted into the SQL; values are parameters.
    sql = (
        f"SELECT citizen_id, department_id FROM {case} "  # noqa: S608
        f"WHERE department_id IN ({marks}) AND state <> %s "
        f"UNION ALL SELECT citizen_id, department_id FROM {grant} "
        f"WHERE department_id IN ({marks}) AND state = %s "
        f"UNION ALL SELECT citizen_id, department_id FROM {ext} "
        f"WHERE department_id IN ({marks}) AND closed_on IS NULL")
    ids = list(department_ids)
    return sql, [*ids, Case.State.CLOSED.value, *ids, Grant.State.ACTIVE.value, *ids]


def _family_members(basis: SearchBasis) -> tuple[str, list[Any]]:
    """Children under investigation with a parent who has an open jobcenter item, and those
    parents."""
    child = basis.department(CHILD_DEPARTMENT)
    parent = basis.department(PARENT_DEPARTMENT)
    assert child is not None and parent is not None  # noqa: S101 - checked by _validate
    jobs, job_params = _open_items([parent.pk])
    case, lb, pc = (Case._meta.db_table, LegalBasis._meta.db_table,
                    ParentChild._meta.db_table)
    sql = (
        f"inv AS (SELECT c.citizen_id FROM {case} c LEFT JOIN {lb} lb "  # noqa: S608
        f"ON lb.id = c.legal_basis_id WHERE c.department_id = %s AND c.state <> %s "
        f"AND (c.state = %s OR lb.code = %s)), "
        f"job AS ({jobs}), "
        f"pairs AS (SELECT pc.child_id, pc.parent_id FROM {pc} pc "
        f"WHERE pc.child_id IN (SELECT citizen_id FROM inv) "
        f"AND pc.parent_id IN (SELECT citizen_id FROM job)), "
        f"fam AS (SELECT child_id AS citizen_id FROM pairs "
        f"UNION SELECT parent_id FROM pairs)")
    return sql, [child.pk, Case.State.CLOSED.value, Case.State.INVESTIGATION.value,
                 INVESTIGATION_BASIS, *job_params]


def _birth_bounds(criteria: TargetCriteria, today: dt.date) -> tuple[dt.date | None,
                                                                      dt.date | None]:
    """(born on or before, born after) for the age range."""
    def years_ago(years: int) -> dt.date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    latest = years_ago(criteria.age_min) if criteria.age_min is not None else None
    earliest = years_ago(criteria.age_max + 1) if criteria.age_max is not None else None
    return latest, earliest


def _statement(basis: SearchBasis, criteria: TargetCriteria, today: dt.date,
               limit: int = MAX_ROWS) -> tuple[str, list[Any]]:
    """The search as one statement. Its columns: uuid, cpr, first, middle and last name,
    birth date, name protection, district, one 0/1 flag per shown department, the number
    of matches, and per shown department the number of matches with an open item there.

    Shape (what the 1 000 000-citizen benchmark taught): the open items come from the
    partial indexes ``case_open_citizen_dept`` and ``grant_active_citizen_dept`` alone; the
    departments are bits OR-ed per citizen, not a ``COUNT(DISTINCT …)``; only
    the citizens' names are joined to every match (to sort them), and the address only to
    the rows shown — unless a district is asked for."""
    shown = [d.pk for d in basis.departments]
    chosen = (basis.department(code) for code in dict.fromkeys(criteria.departments))
    wanted = [d.pk for d in chosen if d is not None]
    items, params = _open_items(shown)
    ctes: list[str] = []
    cte_params: list[Any] = []
    where = ""
    if criteria.family:
        fam, cte_params = _family_members(basis)
        ctes.append(fam)
        where = " WHERE s.citizen_id IN (SELECT citizen_id FROM fam)"
    # One bit per shown department (bit i: the i-th shown department has an open item),
    # OR-ed per citizen: cheaper than a MAX(CASE …) per department.
    bit = "CASE s.department_id " + " ".join(
        f"WHEN %s THEN {1 << i}" for i in range(len(shown))) + " ELSE 0 END"
    # SQLite has no bit_or; the sum of the distinct powers of two is the same number.
    bits = (f"bit_or({bit})" if connection.vendor == "postgresql"
            else f"SUM(DISTINCT {bit})")
    agg_params: list[Any] = [*shown]
    having = ""
    having_params: list[Any] = []
    if wanted:
        positions = [shown.index(pk) for pk in wanted]
        having = " HAVING " + " + ".join(
            f"(({bits} >> {i}) & 1)" for i in positions) + " >= %s"
        having_params = [*shown * len(positions), criteria.min_departments]
    n = range(len(shown))
    flags = ", ".join(f"((agg.b >> {i}) & 1) AS d{i}" for i in n)
    ctes.append(f"agg AS (SELECT s.citizen_id, {bits} AS b "  # noqa: S608
                f"FROM ({items}) s{where} GROUP BY s.citizen_id{having})")
    citizen, residence, address = (Citizen._meta.db_table, Residence._meta.db_table,
                                   Address._meta.db_table)
    filters = ["c.died_on IS NULL"]
    filter_params: list[Any] = []
    latest, earliest = _birth_bounds(criteria, today)
    if latest is not None:
        filters.append("c.birth_date <= %s")
        filter_params.append(latest)
    if earliest is not None:
        filters.append("c.birth_date > %s")
        filter_params.append(earliest)
    home = (f"LEFT JOIN {residence} r ON r.citizen_id = c.id AND r.valid_to IS NULL "
            f"LEFT JOIN {address} a ON a.id = r.address_id")
    if criteria.district:
        # A protected address is not used to select anyone.
        filters.append("a.district = %s AND c.name_protected = %s")
        filter_params += [criteria.district, False]
    columns = flags
    sums = ", ".join(f"SUM((agg.b >> {i}) & 1) OVER () AS t{i}" for i in n)
    names = "c.id, c.uuid, c.cpr, c.first_name, c.middle_name, c.last_name, c.birth_date, " \
        "c.name_protected"
    hits = (f"hits AS (SELECT {names}, {columns}, COUNT(*) OVER () AS total, "  # noqa: S608
            f"{sums} FROM agg JOIN {citizen} c ON c.id = agg.citizen_id "
            f"{home if criteria.district else ''} WHERE {' AND '.join(filters)} "
            f"ORDER BY c.last_name, c.first_name, c.id LIMIT %s)")
    ctes.append(hits)
    flags_out = ", ".join(f"c.d{i}" for i in n)
    totals_out = ", ".join(f"c.t{i}" for i in n)
    sql = (
        f"WITH {', '.join(ctes)} "  # noqa: S608 - table names and placeholders only
        f"SELECT c.uuid, c.cpr, c.first_name, c.middle_name, c.last_name, c.birth_date, "
        f"c.name_protected, a.district, {flags_out}, c.total, {totals_out} "
        f"FROM hits c {home} ORDER BY c.last_name, c.first_name, c.id")
    # Parameters in the order their placeholders appear in the text.
    ordered = [*cte_params, *agg_params, *params, *having_params, *filter_params, limit]
    return sql, ordered


def fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run the search's statement. On PostgreSQL in a transaction of its own settings: no
    JIT compilation and no parallel workers (for this one large read on two cores each cost
    more than it saved) and memory enough to group the open items without spilling."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('jit', 'off', true), "
                           "set_config('work_mem', '64MB', true), "
                           "set_config('max_parallel_workers_per_gather', '0', true)")
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _run(basis: SearchBasis, criteria: TargetCriteria, today: dt.date,
         limit: int) -> TargetResult:
    fetched = fetch(*_statement(basis, criteria, today, limit))
    result = TargetResult(basis=basis, criteria=criteria)
    codes = [d.code for d in basis.departments]
    n = len(codes)
    for row in fetched:
        (subject, cpr, first, middle, last, born, protected, district), rest = row[:8], row[8:]
        flags, totals = rest[:n], rest[n + 1:]
        result.total = int(rest[n])
        result.counts = {code: int(total or 0) for code, total in zip(codes, totals,
                                                                      strict=True)}
        result.rows.append(TargetRow(
            uuid=subject if isinstance(subject, uuid.UUID) else uuid.UUID(str(subject)),
            name=" ".join(p for p in (first, middle, last) if p),
            cpr=f"{cpr[:6]}-{cpr[6:]}", age=_age(raw.as_date(born), today),
            district=None if protected else (district or ""),
            departments=tuple(code for code, flag in zip(codes, flags, strict=True) if flag)))
    if not fetched:
        result.counts = dict.fromkeys(codes, 0)
    return result


# --- the service --------------------------------------------------------------------------

def search_targets(actor: Actor, criteria: TargetCriteria, *,
                   action: str = SEARCH) -> TargetResult:
    """Citizens matching ``criteria`` across departments, as metadata, on the actor's legal
    basis for target-group search; logged per citizen and for the search itself. A search
    gives the first :data:`PAGE_ROWS` by name, an export the first :data:`MAX_ROWS`; the
    total and the counts per department are always of all matches.

    ``AccessDenied`` (``sharing.targets.no_basis``, logged) without a basis;
    ``InvalidInput`` (``sharing.targets.*``, with the field) for criteria that cannot be
    searched."""
    detail = criteria.describe()
    basis = search_basis(actor, detail=detail)
    _validate(basis, criteria)
    limit = MAX_ROWS if action == EXPORT else PAGE_ROWS
    result = _run(basis, criteria, clock.today(), limit)
    decision = policy.Decision(True, f"Hjemmel: {basis.paragraph}")
    looks = [policy.look(decision, row.uuid, Category.CASE, purpose=Purpose.CASEWORK,
                         action=action, detail=detail) for row in result.rows]
    summary = f"{detail} ({result.total} borgere)"
    looks.append(policy.look(decision, None, Category.CASE, purpose=Purpose.CASEWORK,
                             action=action, detail=summary))
    policy.record(actor, looks)
    return result


# --- CSV ----------------------------------------------------------------------------------

CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """A cell Excel will not run as a formula."""
    return "'" + value if value.startswith(CSV_FORMULA_START) else value


def export_targets_csv(actor: Actor, criteria: TargetCriteria) -> tuple[str, bytes]:
    """(file name, content) of the search as CSV for Excel: ``;``-separated, UTF-8 with a
    byte-order mark, Danish headers. Logged as action ``export``."""
    result = search_targets(actor, criteria, action=EXPORT)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    departments = result.basis.departments
    writer.writerow(["Navn", "CPR-nummer", "Alder", "Distrikt",
                     *[f"Åben sag: {d.name}" for d in departments]])
    for row in result.rows:
        district = "Beskyttet adresse" if row.district is None else row.district
        writer.writerow([_cell(row.name), row.cpr, row.age, _cell(district),
                         *["Ja" if d.code in row.departments else "Nej"
                           for d in departments]])
    name = f"maalgruppe-{clock.today():%Y-%m-%d}.csv"
    return name, out.getvalue().encode("utf-8-sig")


def districts(basis: SearchBasis) -> list[str]:
    """The districts there are addresses in, for the search form (given a basis: only
    :func:`search_basis` makes one)."""
    return sorted(d for d in Address.objects.exclude(district="")
                  .values_list("district", flat=True).distinct())


def criteria_from(departments: Sequence[str], min_departments: str | int | None = None,
                  family: bool = False, age_min: str | int | None = None,
                  age_max: str | int | None = None, district: str = "") -> TargetCriteria:
    """Criteria from a form or a query string (numbers as text are checked here, with the
    field named in the error)."""
    minimum = parse_number(min_departments, "min_departments")
    return TargetCriteria(
        departments=tuple(dict.fromkeys(c.strip() for c in departments if c.strip())),
        min_departments=2 if minimum is None else minimum, family=family,
        age_min=parse_number(age_min, "age_min"), age_max=parse_number(age_max, "age_max"),
        district=district.strip())
