"""Notifications (underretninger) on children, with their legal clock.

About 2–3 % of children get a notification each year (three years of them here); children
with a case get more, some children get several, and a few families get five to ten across
siblings — the pattern a municipality must not miss. Half of the children's cases opened in
those years began with a notification. Notifier kinds are weighted by the child's age
(health visitors for babies, day-care for toddlers, schools and police for older
children).

Most notifications are assessed within 24 hours, a few late, and the most recent not yet.
Outside office hours they land with the on-call team (Døgnvagten). Professional notifiers
get a receipt within six working days and a reply later. Notifications from the last 30
days get their deadline rows (24-hour assessment, receipt, reply, second opinion), met or
open; the children's demo login gets a few open ones, one of them overdue at the
reference moment, so that the work list shows what the legal clock looks like.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from helhed.cases.deadlines import add_hours, add_working_days, is_office_hours, is_working_day
from helhed.cases.models import Notification
from helhed.demo import casetexts as texts
from helhed.demo.casebase import LAST_DAY, REF, REFERENCE_MOMENT, YEAR, Desk
from helhed.demo.casekinds import CLOSED
from helhed.demo.casework import CasePlan

YEARS = 3
RATE = 0.025  # notifications per child per year
CASE_WEIGHT = 6  # a child with a case is this much likelier to be notified about
LEADING_SHARE = 0.5  # of the children's cases opened in the window
HEAVY_FAMILIES = 0.004  # of families with two or more children: 5–10 notifications
RECENT = 30  # days: notifications this recent get deadline rows
CHILDREN_LOGIN = "sagsbehandler-boern"
ON_CALL_LOGIN = "doegnvagt"
ON_CALL_UNIT = "Døgnvagten"
PROFESSIONAL = Notification.PROFESSIONAL_KINDS
KINDS_BY_AGE = (
    (0, 2, {"sundhedspleje": 25, "dagtilbud": 12, "laege": 12, "hospital": 10, "politi": 12,
            "borger": 12, "anonym": 8, "anden_kommune": 3, "anden_fagperson": 3}),
    (3, 5, {"dagtilbud": 35, "laege": 8, "hospital": 5, "politi": 15, "borger": 12,
            "anonym": 8, "sundhedspleje": 3, "ppr": 5, "anden_kommune": 4,
            "anden_fagperson": 5}),
    (6, 17, {"skole": 38, "politi": 20, "ppr": 5, "laege": 5, "hospital": 4,
             "anden_fagperson": 8, "borger": 8, "anonym": 6, "anden_kommune": 3}),
)
TITLES = {"skole": "Lærer", "dagtilbud": "Pædagog", "sundhedspleje": "Sundhedsplejerske",
          "politi": "Politiassistent", "laege": "Læge", "hospital": "Overlæge",
          "ppr": "Psykolog", "anden_kommune": "Sagsbehandler",
          "anden_fagperson": "Klubmedarbejder"}


@dataclass
class Clock:
    """The moments of one notification (None: not yet at the reference moment)."""

    key: str
    received: dt.datetime
    registered: dt.datetime
    assessed: dt.datetime | None
    receipt: dt.datetime | None = None
    reply: dt.datetime | None = None
    required: bool = False  # a second opinion (the child has an active measure)
    colleague: int | None = None
    opinion: dt.datetime | None = None
    danger: bool = False
    done: bool = False


@dataclass
class Spec:
    """One notification to make; the showcase sets what is otherwise drawn."""

    child: int
    day: int
    minute: int
    kind: str = ""
    case: CasePlan | None = None
    leading: bool = False
    handler: int | None = None
    unit: int | None = None
    assess_after: int | None = -1  # minutes; None: not assessed; -1: drawn
    receipt: bool = True  # False: not sent yet
    second_opinion: bool | None = None  # None: drawn; True: required and still missing


def build_notifications(desk: Desk, plans: list[CasePlan]) -> int:
    notices = Notices(desk, plans)
    notices.build()
    return len(desk.notifications)


class Notices:
    def __init__(self, desk: Desk, plans: list[CasePlan]) -> None:
        self.desk = desk
        self.rng = desk.rng
        self.plans = plans
        self.children = desk.pool(0, 17)
        self.case_of = {p.citizen: p for p in plans if p.area.code == "boernesocial"}
        self.on_call = desk.unit(ON_CALL_UNIT)
        self.on_call_staff = desk.workers.get(self.on_call, []) if self.on_call else []
        self.children_workers = desk.area_workers("boernesocial")
        fields = desk.org.enrollments.fields
        citizen, unit = fields.index("citizen_id"), fields.index("unit_id")
        self.place_of = {row[citizen]: row[unit] for row in desk.org.enrollments.rows}
        first = REF - YEARS * YEAR - 1
        self._workdays = [d for d in range(first, REF + 90) if is_working_day(_date(d))]
        with translation.override(None):  # Danish, whatever language is active
            self.labels = {k: str(label) for k, label in Notification.NotifierKind.choices}

    def build(self) -> None:
        if not self.children or "boernesocial" not in self.desk.departments:
            return
        leading, families = self._leading(), self._families()
        specs = leading + self._random(len(leading) + len(families)) + families \
            + self._showcase()
        specs.sort(key=lambda s: (s.day, s.minute, s.child))
        for spec in specs:
            self._notify(spec)

    # --- who and when -----------------------------------------------------------------------

    def _first_day(self, child: int) -> int:
        return max(REF - YEARS * YEAR, self.desk.people.born(child) + 1)

    def _minute(self) -> int:
        r = self.rng.randint
        return r(8 * 60, 15 * 60) if self.rng.random() < 0.75 else r(0, 24 * 60 - 1)

    def _leading(self) -> list[Spec]:
        specs = []
        for plan in self.case_of.values():
            if plan.opened >= REF - YEARS * YEAR and self.rng.random() < LEADING_SHARE:
                day = plan.opened - self.rng.randint(1, 20)
                if day > self.desk.people.born(plan.citizen):
                    specs.append(Spec(plan.citizen, day, self._minute(), case=plan,
                                      leading=True))
        return specs

    def _random(self, already: int) -> list[Spec]:
        """The rest of the notifications at the yearly rate, on any child."""
        count = max(0, round(RATE * len(self.children) * YEARS) - already)
        weights = [CASE_WEIGHT if c in self.case_of else 1 for c in self.children]
        specs = []
        for child in self.rng.choices(self.children, weights=weights, k=count):
            first = self._first_day(child)
            if first <= LAST_DAY:
                specs.append(Spec(child, self.rng.randint(first, LAST_DAY), self._minute()))
        return specs

    def _families(self) -> list[Spec]:
        """A few families with many notifications across the siblings."""
        young = set(self.children)
        kids: dict[int, list[int]] = {}
        fields = self.desk.town.parent_child.fields
        parent, child, kind = (fields.index("parent_id"), fields.index("child_id"),
                               fields.index("kind"))
        for row in self.desk.town.parent_child.rows:
            if row[kind] == "mor" and row[child] in young:
                kids.setdefault(row[parent], []).append(row[child])
        families = [k for _mother, k in sorted(kids.items()) if len(k) > 1]
        if not families:
            return []
        specs = []
        for siblings in self.rng.sample(families, max(1, round(len(families) * HEAVY_FAMILIES))):
            for _ in range(self.rng.randint(5, 10)):
                child = self.rng.choice(siblings)
                first = self._first_day(child)
                if first <= LAST_DAY:
                    specs.append(Spec(child, self.rng.randint(first, LAST_DAY),
                                      self._minute()))
        return specs

    def _showcase(self) -> list[Spec]:
        """Open deadlines for the children's demo login, one overdue at the reference."""
        desk = self.desk
        login = desk.staff.login_of.get(CHILDREN_LOGIN)
        if login is None:
            return []
        unit = desk.staff.unit_of[login]
        own = sorted((p for p in self.plans if p.responsible == login and p.state != CLOSED),
                     key=lambda p: p.citizen)
        children = [p.citizen for p in own] + [c for c in self.children if c not in
                                               {p.citizen for p in own}]
        children = [c for c in children if desk.people.born(c) < REF - 10][:3]
        days = [d for d in range(REF - 3, REF - 15, -1) if is_working_day(_date(d))]
        late = [d for d in range(REF - 1, REF - 10, -1) if is_working_day(_date(d))]
        if len(children) < 3 or len(days) < 2 or not late:
            return []
        first, second, third = children
        return [
            Spec(first, days[0], 615, "skole", self.case_of.get(first), handler=login,
                 unit=unit, assess_after=None),
            Spec(second, late[0], 570, "sundhedspleje", self.case_of.get(second),
                 handler=login, unit=unit, assess_after=150, receipt=False),
            Spec(third, days[1], 660, "politi", self.case_of.get(third), handler=login,
                 unit=unit, assess_after=180, second_opinion=True),
        ]

    # --- one notification -------------------------------------------------------------------

    def _handling(self, spec: Spec) -> tuple[CasePlan | None, int | None, int | None]:
        """The case it belongs to, the unit that handles it, and the caseworker."""
        desk, rng = self.desk, self.rng
        plan = spec.case or self.case_of.get(spec.child)
        if plan is not None and not spec.leading and not (
                plan.opened <= spec.day <= (plan.closed or LAST_DAY)):
            plan = None
        if spec.handler is not None:
            return plan, spec.unit, spec.handler
        if plan is not None and plan.responsible is not None:
            return plan, plan.unit, plan.responsible
        district = desk.district_of.get(spec.child, "Midt")
        name = "Ungeteamet" if desk.people.age(spec.child) >= 14 and rng.random() < 0.4 \
            else f"Familieteam {district}"
        unit = desk.unit(name)
        workers = desk.workers.get(unit, []) if unit else []
        pool = workers or self.children_workers
        return plan, unit, rng.choice(pool) if pool else None

    def _first_responder(self, handler: int | None) -> int | None:
        staff = self.on_call_staff
        if not staff:
            return handler
        login = self.desk.staff.login_of.get(ON_CALL_LOGIN)
        if login in staff and self.rng.random() < 0.5:
            return login
        return self.rng.choice(staff)

    def _kind(self, spec: Spec) -> str:
        if spec.kind:
            return spec.kind
        age = (spec.day - self.desk.people.born(spec.child)) // YEAR
        for lo, hi, weights in KINDS_BY_AGE:
            if lo <= age <= hi:
                return self.rng.choices(list(weights), weights=list(weights.values()))[0]
        return "anonym"

    def _notifier(self, kind: str, child: int) -> tuple[str, str, str]:
        rng, names = self.rng, self.desk.people.names
        if kind == "anonym" or (kind == "borger" and rng.random() < 0.4):
            return "", "", ""
        person = f"{names.first(1978, rng.random() < 0.7, False)} {names.last(False)}"
        phone = f"1{rng.randrange(10_000_000):07d}"
        if kind == "borger":
            return person, "", phone
        organisation = texts.NOTIFIER_ORGANISATION.get(kind, "")
        if kind in ("skole", "dagtilbud"):
            place = self.place_of.get(child)
            organisation = self.desk.org.unit_names.get(place, "") if place else ""
        return f"{TITLES.get(kind, '')} {person}".strip(), organisation, phone

    def _notify(self, spec: Spec) -> None:
        desk = self.desk
        received = desk.moment(spec.day, spec.minute)
        kind = self._kind(spec)
        plan, unit, handler = self._handling(spec)
        outside = not is_office_hours(received) and spec.handler is None
        first_unit, responder = ((self.on_call, self._first_responder(handler)) if outside
                                 and self.on_call else (unit, handler))
        clock = self._clock(spec, kind, plan, unit, handler, received)
        notification = self._row(spec, kind, clock, plan, first_unit, responder, outside)
        stamp = desk.enc.instant
        desk.change(stamp(clock.registered), responder, "notification", clock.key,
                    plan.id if plan else None, spec.child, "cases.notification.received",
                    f"Underretning fra {self.labels[kind].lower()}",
                    {"notifier_kind": kind, "received_at": stamp(received)})
        if spec.day >= REF - RECENT:
            common: dict[str, Any] = {"case": plan.id if plan else None,
                                      "notification": notification,
                                      "created": stamp(clock.registered)}
            desk.deadline("underretning_vurdering", stamp(add_hours(received, 24)), spec.child,
                          basis="bl-136", responsible=responder, unit=first_unit,
                          met=_maybe(stamp, clock.assessed), **common)
            self._later_deadlines(spec, kind, clock, unit, handler, common)

    def _clock(self, spec: Spec, kind: str, plan: CasePlan | None, unit: int | None,
               handler: int | None, received: dt.datetime) -> Clock:
        """When it was registered, assessed, answered and given a second opinion."""
        rng = self.rng
        professional = kind in PROFESSIONAL
        clock = Clock(key=self.desk.enc.uuid(), received=received,
                      registered=received + dt.timedelta(minutes=rng.randint(5, 90)),
                      assessed=self._assessed(spec, received))
        if professional and spec.receipt:
            clock.receipt = self._after_working_days(received, 1, 6, 10)
            clock.reply = self._after_working_days(received, 8, 20, 30)
        active = plan is not None and not spec.leading and bool(plan.grants) \
            and spec.day >= (plan.decided or plan.opened)
        clock.required = active if spec.second_opinion is None else spec.second_opinion
        if clock.required and clock.assessed is not None and spec.second_opinion is None:
            clock.colleague = self._colleague(unit, handler)
            if clock.colleague is not None:
                clock.opinion = self._after_working_days(clock.assessed, 1, 3, 3)
        clock.danger = clock.assessed is not None and rng.random() < 0.04
        clock.done = clock.assessed is not None and spec.day < REF - RECENT and (
            not professional or clock.reply is not None)
        return clock

    def _row(self, spec: Spec, kind: str, clock: Clock, plan: CasePlan | None,
             unit: int | None, responder: int | None, outside: bool) -> int:
        desk, rng, stamp = self.desk, self.rng, self.desk.enc.instant
        assessed = clock.assessed
        state = "modtaget" if assessed is None else "afsluttet" if clock.done else "vurderet"
        notifier, organisation, contact = self._notifier(kind, spec.child)
        concern = rng.choice(texts.CONCERNS[kind]).format(name=desk.name(spec.child))
        assessment = rng.choice(texts.ASSESSED_IN_DANGER if clock.danger
                                else texts.ASSESSED_NOT_IN_DANGER) if assessed else ""
        opinion = rng.choice(texts.SECOND_OPINION) if clock.opinion else ""
        started = True if spec.leading else (False if clock.done else None)
        return desk.notifications.add(
            clock.key, spec.child, stamp(clock.received), stamp(clock.registered), responder,
            kind, notifier, organisation, contact, concern, unit, outside, state,
            _maybe(stamp, assessed), responder if assessed else None,
            clock.danger if assessed else None, assessment, _maybe(stamp, clock.receipt),
            _maybe(stamp, clock.reply), started, clock.required,
            clock.colleague if clock.opinion else None, _maybe(stamp, clock.opinion),
            opinion, plan.id if plan else None, "foelsom", "skjult")

    def _later_deadlines(self, spec: Spec, kind: str, clock: Clock, unit: int | None,
                         handler: int | None, common: dict[str, Any]) -> None:
        """Receipt and reply to a professional notifier, and the second opinion."""
        desk, stamp, received = self.desk, self.desk.enc.instant, clock.received
        if kind in PROFESSIONAL:
            for deadline_kind, days, met in (("kvittering", 6, clock.receipt),
                                             ("tilbagemelding", 20, clock.reply)):
                desk.deadline(deadline_kind, stamp(add_working_days(received, days)),
                              spec.child, basis="bl-137", responsible=handler, unit=unit,
                              met=_maybe(stamp, met), **common)
        if clock.required:
            desk.deadline("second_opinion", stamp(add_working_days(received, 3)), spec.child,
                          responsible=handler, unit=unit, met=_maybe(stamp, clock.opinion),
                          **common)

    def _assessed(self, spec: Spec, received: dt.datetime) -> dt.datetime | None:
        if spec.assess_after is None:
            return None
        minutes = spec.assess_after
        if minutes < 0:
            roll, r = self.rng.random(), self.rng.randint
            minutes = r(30, 20 * 60) if roll < 0.85 else r(20 * 60, 24 * 60) \
                if roll < 0.95 else r(24 * 60 + 1, 72 * 60)
        at = received + dt.timedelta(minutes=minutes)
        return at if at <= REFERENCE_MOMENT else None

    def _after_working_days(self, start: dt.datetime, low: int, high: int,
                            late: int) -> dt.datetime | None:
        """A moment in office hours some working days after ``start``; None if not yet."""
        r = self.rng.randint
        days = r(low, high) if self.rng.random() < 0.9 else r(high + 1, max(high + 1, late))
        day = self._working_days(start.date().toordinal(), days)
        at = self.desk.moment(day, r(9 * 60, 14 * 60))
        return at if at <= REFERENCE_MOMENT else None

    def _working_days(self, day: int, count: int) -> int:
        """The day ``count`` working days after ``day``, as ``deadlines.add_working_days``
        counts them (the day itself never counts), from a list of the working days."""
        workdays = self._workdays
        if count < 1 or not workdays or not workdays[0] <= day <= workdays[-1] - 2 * count - 14:
            return add_working_days(_date(day), count).date().toordinal()
        return self._workdays[bisect.bisect_right(self._workdays, day) + count - 1]

    def _colleague(self, unit: int | None, handler: int | None) -> int | None:
        workers = [m for m in (self.desk.workers.get(unit, []) if unit else [])
                   if m != handler] or [m for m in self.children_workers if m != handler]
        return self.rng.choice(workers) if workers else None


def _date(day: int) -> dt.date:
    return dt.date.fromordinal(day)


def _maybe(stamp: Callable[[dt.datetime], str], moment: dt.datetime | None) -> str | None:
    return stamp(moment) if moment is not None else None
