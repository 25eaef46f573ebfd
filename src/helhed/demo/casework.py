"""Cases across the departments: who has one, of what kind, in which state, with whom.

:func:`build_casework` draws the cases of every department (``casekinds.AREAS``) as plans
— citizen, kind, state, the days it was opened, decided and closed, the grants — then
numbers them in the order they were opened (``PREFIX-YEAR-NNNNNN``, one sequence per year
across departments, as ``cases.services`` numbers them) and turns them into rows
(``caserows``), adds grants without a case (EOJ C) and the notifications on children
(``notices``).

States follow the departments' closing rules as ``cases.services`` moves them: with
"closed when delivery ends" a case with an active grant is in delivery and a refused one
waits as decided; with "closed at decision" (the jobcenter) a decided case is closed and
its grants run on without it. The demo logins with a caseworker role get a full caseload
in their own team, so that whoever tries the demo finds cases on their work list.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from helhed.cases.models import CaseNumberCounter
from helhed.demo.casebase import LAST_DAY, REF, YEAR, Desk
from helhed.demo.casekinds import (
    AREAS,
    CLOSED,
    DECIDED,
    DELIVERY,
    INVESTIGATION,
    OPENED,
    Area,
    CaseKind,
    GrantKind,
)
from helhed.demo.institutions import Organisation
from helhed.demo.rows import Encoder, Table
from helhed.demo.staff import Staff
from helhed.demo.town import Town

LOGIN_CASELOAD = 30  # open cases a demo login gets at most
LOGIN_SHARE = 0.5  # of the cases in the login's own team, while below the caseload
LOGIN_MINIMUM = 6  # open cases a demo login gets when the department has that many


@dataclass(slots=True)
class GrantPlan:
    kind: GrantKind
    start: int  # day ordinal
    end: int | None
    provider: int | None


@dataclass(slots=True)
class CasePlan:
    area: Area
    kind: CaseKind
    citizen: int
    state: str
    opened: int = 0
    decided: int | None = None
    closed: int | None = None
    outcome: str = ""  # a Decision.Outcome value when decided
    unit: int | None = None
    responsible: int | None = None
    grants: list[GrantPlan] = field(default_factory=list)
    id: int = 0
    uuid: str = ""
    number: str = ""
    minute: int = 0  # when on the opening day it was opened (local time)


@dataclass
class Casework:
    """What was built, for the summary event and the tests."""

    desk: Desk
    plans: list[CasePlan]
    counts: dict[str, int]
    seconds: float = 0.0  # time taken to make the rows

    def tables(self) -> list[Table]:
        return self.desk.tables()


def build_casework(rng: random.Random, enc: Encoder, first_ids: dict[str, int],
                   departments: dict[str, int], town: Town, org: Organisation,
                   staff: Staff, municipality_name: str) -> Casework:
    from helhed.demo.caserows import CaseRows
    from helhed.demo.notices import build_notifications

    desk = Desk(rng, enc, first_ids, departments, town, org, staff, municipality_name)
    _settings_rows(desk)
    drawer = Drawer(desk)
    plans = drawer.draw()
    _number(desk, plans)
    rows = CaseRows(desk)
    rows.add(plans)
    rows.caseless_grants(plans)
    notices = build_notifications(desk, plans)
    counts = {
        "cases": len(plans),
        "open_cases": sum(p.state != CLOSED for p in plans),
        "notifications": notices,
        "grants": len(desk.grants),
        "open_deadlines": sum(1 for row in desk.deadlines.rows if row[12] is None),
    }
    return Casework(desk, plans, counts)


def _settings_rows(desk: Desk) -> None:
    """CaseSettings for every department, from the same defaults ``settings_for`` uses."""
    for code, department in sorted(desk.departments.items()):
        values = desk.settings.get(code)
        if values is None:
            continue
        desk.case_settings.add(department, values["concept"], values["closing_rule"],
                               values.get("number_prefix", ""),
                               values["default_sensitivity"])


def _number(desk: Desk, plans: list[CasePlan]) -> None:
    """Numbers in the order the cases were opened; the counters end at the last used."""
    import datetime as dt

    existing = dict(CaseNumberCounter.objects.values_list("year", "last"))
    last: dict[int, int] = {}
    plans.sort(key=lambda p: (p.opened, p.minute, p.area.code, p.citizen))
    for plan in plans:
        year = dt.date.fromordinal(plan.opened).year
        seq = last.get(year, existing.get(year, 0)) + 1
        last[year] = seq
        prefix = desk.settings.get(plan.area.code, {}).get("number_prefix", "")
        plan.number = f"{prefix}-{year}-{seq:06d}" if prefix else f"{year}-{seq:06d}"
    for year, value in sorted(last.items()):
        if year in existing:
            CaseNumberCounter.objects.filter(year=year).update(last=value)
        else:
            desk.counters.rows.append((year, value))


class Drawer:
    """Draws the case plans of every department."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.rng = desk.rng
        self._unit_workers: dict[tuple[int | None, str], list[int]] = {}
        self.login_load: dict[int, int] = {}

    def draw(self) -> list[CasePlan]:
        plans: list[CasePlan] = []
        for area in AREAS:
            if area.code in self.desk.departments:
                plans.extend(self._area(area))
        return plans

    # --- who and what -----------------------------------------------------------------------

    def _area(self, area: Area) -> list[CasePlan]:
        rng = self.rng
        pool = self.desk.pool(*area.ages)
        self._prepare_units(area)
        wanted_open = round(len(pool) * area.open_share)
        wanted_closed = round(len(pool) * area.closed_share)
        chosen = rng.sample(pool, min(len(pool), wanted_open + wanted_closed))
        plans = []
        for index, citizen in enumerate(chosen):
            state = self._open_state(area) if index < wanted_open else CLOSED
            plan = self._plan(area, citizen, state)
            if plan is not None:
                plans.append(plan)
            if area.second_case and rng.random() < area.second_case:
                second = self._plan(area, citizen, rng.choice((self._open_state(area), CLOSED)))
                if second is not None and second.kind != (plan.kind if plan else None):
                    plans.append(second)
        self._ensure_login(area, plans, pool)
        return plans

    def _open_state(self, area: Area) -> str:
        states = list(area.open_states)
        return self.rng.choices(states, weights=list(area.open_states.values()))[0]

    def _kind(self, area: Area, state: str) -> CaseKind:
        rng = self.rng
        if state in (OPENED, INVESTIGATION):
            kinds = list(area.kinds)
        elif state == CLOSED and rng.random() < 0.3:
            kinds = [k for k in area.kinds if k.investigation] or list(area.kinds)
        else:
            kinds = [k for k in area.kinds if k.grants and not k.investigation]
        return rng.choices(kinds, weights=[k.weight for k in kinds])[0]

    def _plan(self, area: Area, citizen: int, state: str) -> CasePlan | None:
        kind = self._kind(area, state)
        plan = CasePlan(area, kind, citizen, state)
        earliest = self.desk.people.born(citizen) + area.min_age_at_opening * YEAR + 1
        if not Timeline(self.desk, plan).fill(earliest):
            return None
        self._assign(plan)
        return plan

    # --- where and who ----------------------------------------------------------------------

    def _prepare_units(self, area: Area) -> None:
        desk = self.desk
        self.area_workers = desk.area_workers(area.code)
        login = desk.staff.login_of.get(desk.role_of_department(area.code))
        self.login = login if login in self.area_workers else None

    def _unit_for(self, plan: CasePlan) -> int | None:
        desk, rng, area = self.desk, self.rng, plan.area
        age = desk.people.age(plan.citizen)
        if plan.kind.unit and desk.unit(plan.kind.unit):
            return desk.unit(plan.kind.unit)
        for name, lo, hi, share in area.age_units:
            if lo <= age <= hi and rng.random() < share and desk.unit(name):
                return desk.unit(name)
        for name, share in area.other_units:
            if rng.random() < share and desk.unit(name):
                return desk.unit(name)
        district = desk.district_of.get(plan.citizen, "Midt")
        return desk.unit(area.district_unit.format(district=district))

    def _assign(self, plan: CasePlan) -> None:
        """The team and the caseworker responsible (the demo login takes its share)."""
        desk, rng = self.desk, self.rng
        unit = self._unit_for(plan)
        workers = self._workers(unit, plan.area.code)
        login = self.login
        if (login is not None and desk.staff.unit_of[login] == unit and plan.state != CLOSED
                and self.login_load.get(login, 0) < LOGIN_CASELOAD
                and rng.random() < LOGIN_SHARE):
            self.login_load[login] = self.login_load.get(login, 0) + 1
            plan.unit, plan.responsible = unit, login
            return
        if login in workers and len(workers) > 1 and self.login_load.get(login, 0) >= \
                LOGIN_CASELOAD:
            workers = [m for m in workers if m != login]  # the login's caseload is full
        if not workers and self.area_workers:
            responsible = rng.choice(self.area_workers)
            plan.unit, plan.responsible = desk.staff.unit_of[responsible], responsible
            return
        leaders = desk.leaders.get(unit, []) if unit else []
        pick = workers or leaders
        plan.unit = unit
        plan.responsible = rng.choice(pick) if pick else None

    def _workers(self, unit: int | None, code: str) -> list[int]:
        """The unit's caseworkers with the department's caseworker role."""
        key = (unit, code)
        found = self._unit_workers.get(key)
        if found is None:
            role = self.desk.role_of_department(code)
            found = self._unit_workers[key] = [
                m for m in self.desk.workers.get(unit, ()) if self.desk.staff.role_of[m] == role
            ] if unit else []
        return found

    def _ensure_login(self, area: Area, plans: list[CasePlan], pool: list[int]) -> None:
        """The demo login of the department has a few open cases, even in a small demo."""
        login = self.login
        if login is None:
            return
        unit = self.desk.staff.unit_of[login]
        have = sum(1 for p in plans if p.responsible == login and p.state != CLOSED)
        for plan in plans:
            if have >= LOGIN_MINIMUM:
                break
            if plan.state != CLOSED and plan.responsible != login and not plan.kind.unit:
                plan.unit, plan.responsible = unit, login
                have += 1
        if have == 0 and pool:
            citizens = {p.citizen for p in plans}
            free = next((c for c in pool if c not in citizens), None)
            extra = self._plan(area, free, OPENED) if free is not None else None
            if extra is not None:
                extra.unit, extra.responsible = unit, login
                plans.append(extra)


class Timeline:
    """The days a case was opened, decided and closed, and its grants' periods."""

    def __init__(self, desk: Desk, plan: CasePlan) -> None:
        self.desk = desk
        self.rng = desk.rng
        self.plan = plan
        self.basis = desk.basis(plan.kind.bases)
        decides = self.basis is not None and not plan.kind.investigation
        self.decides = decides

    def fill(self, earliest: int) -> bool:
        """Fill in the plan's days; False when the citizen is too young for any case."""
        plan, r = self.plan, self.rng.randint
        plan.minute = r(8 * 60, 10 * 60)
        windows = {OPENED: (REF - 30, LAST_DAY), INVESTIGATION: (REF - 150, REF - 10),
                   DECIDED: (REF - 200, REF - 30), DELIVERY: (REF - 6 * YEAR, REF - 30),
                   CLOSED: (REF - 8 * YEAR, REF - 60)}
        lo, hi = windows[plan.state]
        lo = max(lo, earliest)
        if lo > hi:
            if earliest > LAST_DAY:
                return False
            plan.state, lo, hi = OPENED, max(REF - 30, earliest), LAST_DAY
        plan.opened = r(lo, hi)
        if plan.state == DECIDED and not self.decides:
            plan.state = INVESTIGATION
        if plan.state == DECIDED:
            plan.decided, plan.outcome = min(plan.opened + r(14, 120), LAST_DAY), "afslag"
        elif plan.state == DELIVERY:
            self._delivery()
        elif plan.state == CLOSED:
            self._closed()
        return True

    def _decide(self, after: int, low: int = 14, high: int = 120, cap: int = LAST_DAY) -> int:
        day = max(after, min(after + self.rng.randint(low, high), cap))
        if self.decides:
            self.plan.decided = day
            self.plan.outcome = "delvist" if self.rng.random() < 0.15 else "bevilget"
        return day

    def _grant(self, kind: GrantKind, start: int, end: int | None) -> GrantPlan:
        provider = None
        if kind.providers:
            provider = self.desk.providers.get(self.rng.choice(kind.providers))
        return GrantPlan(kind, start, end, provider)

    def _grant_kinds(self) -> list[GrantKind]:
        grants = self.plan.kind.grants
        count = 2 if len(grants) > 1 and self.rng.random() < 0.3 else 1
        return self.rng.sample(list(grants), min(count, len(grants)))

    def _delivery(self) -> None:
        plan, r = self.plan, self.rng.randint
        start = min(self._decide(plan.opened) + r(0, 14), LAST_DAY)
        for index, kind in enumerate(self._grant_kinds()):
            begin = start if index == 0 else min(start + r(0, 200), LAST_DAY)
            end = None if self.rng.random() < 0.6 else REF + r(30, 400)
            plan.grants.append(self._grant(kind, begin, end))

    def _closed(self) -> None:
        plan, rng, r = self.plan, self.rng, self.rng.randint
        at_decision = self.desk.settings.get(plan.area.code, {}).get("closing_rule") \
            == "afgoerelse"
        if plan.kind.investigation or not plan.kind.grants:
            plan.closed = min(plan.opened + r(20, 200), LAST_DAY)
        elif at_decision:
            self._closed_at_decision()
        elif self.decides and rng.random() < 0.25:
            decided = self._decide(plan.opened)
            plan.outcome = "afslag"
            plan.closed = min(decided + r(7, 40), LAST_DAY)
        else:
            start = min(self._decide(plan.opened, cap=REF - 45) + r(0, 14), REF - 30)
            ends = []
            for kind in self._grant_kinds():
                end = max(start, min(start + r(60, 1200), REF - 10))
                plan.grants.append(self._grant(kind, start, end))
                ends.append(end)
            plan.closed = min(max(ends) + r(0, 20), LAST_DAY)

    def _closed_at_decision(self) -> None:
        """The jobcenter: the case closes when the decision is made; grants run on."""
        plan, r = self.plan, self.rng.randint
        decided = self._decide(plan.opened, 5, 90)
        plan.closed = decided
        if not self.decides:
            return
        for kind in self._grant_kinds():
            start = decided + r(0, 14)
            end = None if self.rng.random() < 0.4 else start + r(30, 365)
            plan.grants.append(self._grant(kind, start, end))
