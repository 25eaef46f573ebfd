"""Case plans as rows: the case, its KLE, journal (and search entries), decisions, grants,
history and deadlines; and grants without a case (EOJ C).

Every journal entry gets its ``SearchEntry`` (the full-text index; on SQLite the FTS5
mirror is filled by the triggers of cases migration 0002 as the rows are inserted). The
history gets one row per case opened and grant created (and, in ``notices``, notification
received), as ``cases.history.changed`` would have written them, without the events: the
demo emits one summary event instead. A case's later steps (decided, closed) show in its
own fields; their history rows would double the history table for little.
"""

from __future__ import annotations

import string
from typing import Any

from helhed.cases.deadlines import add_months, end_of_day
from helhed.cases.decisions import complaint_deadline
from helhed.cases.letters import danish_date
from helhed.demo import casetexts as texts
from helhed.demo.casebase import LAST_DAY, REF, YEAR, Basis, Desk
from helhed.demo.casekinds import (
    AREA_OF,
    CASELESS_GRANTS,
    CASELESS_SHARE,
    CLOSED,
    DECIDED,
    DELIVERY,
    INVESTIGATION,
    OPENED,
    CaseKind,
    GrantKind,
)
from helhed.demo.casework import CasePlan, GrantPlan

JOURNAL_COUNT = {OPENED: (1, 1), INVESTIGATION: (1, 3), DECIDED: (2, 3),
                 DELIVERY: (2, 3), CLOSED: (1, 3)}
CHILDREN_LOGIN = "sagsbehandler-boern"
FALLBACK_GUIDANCE = (
    "Du kan klage over afgørelsen. Klagen skal være modtaget af $kommune senest den "
    "$klagefrist. Afgørelsen er truffet efter $lov $paragraf.")


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class CaseRows:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.rng = desk.rng
        self.enc = desk.enc
        self.children_login = desk.staff.login_of.get(CHILDREN_LOGIN)
        self.login_overdue = False

    def add(self, plans: list[CasePlan]) -> None:
        for plan in plans:
            self._case(plan)

    # --- one case -------------------------------------------------------------------------

    def _case(self, plan: CasePlan) -> None:
        desk, r = self.desk, self.rng.randint
        settings = desk.settings[plan.area.code]
        basis = desk.basis(plan.kind.bases)
        decided = (plan.decided, r(600, 780)) if plan.decided else None
        closed = None
        if plan.closed is not None:
            at_decision = settings["closing_rule"] == "afgoerelse" and decided is not None
            closed = decided if at_decision else (plan.closed, r(780, 900))
        journal = self._journal_days(plan) if plan.responsible else []
        events = [(plan.opened, plan.minute), *journal, *(e for e in (decided, closed) if e)]
        reason = self._closing_reason(plan) if closed else ""
        opened_at = desk.at(plan.opened, plan.minute)
        plan.uuid = self.enc.uuid()
        plan.id = desk.cases.add(
            plan.uuid, plan.number, plan.citizen, desk.departments[plan.area.code], plan.unit,
            plan.responsible, plan.kind.title, plan.state, settings["concept"],
            settings["closing_rule"], basis.id if basis else None,
            settings["default_sensitivity"], "metadata", opened_at,
            desk.at(*closed) if closed else None, reason, desk.at(*max(events)))
        kle = self._kle(plan)
        desk.change(opened_at, plan.responsible, "case", plan.uuid, plan.id, plan.citizen,
                    "cases.case.opened", f"{plan.number} {plan.kind.title}",
                    {"title": plan.kind.title, "state": OPENED, "kle": kle,
                     "concept": settings["concept"], "closing_rule": settings["closing_rule"]})
        self._journal(plan, journal)
        decision = self._decision(plan, basis, decided) if decided else None
        for grant in plan.grants:
            self._grant(plan, grant, basis, decision, decided)
        self._deadlines(plan)

    def _closing_reason(self, plan: CasePlan) -> str:
        if self.desk.settings[plan.area.code]["closing_rule"] == "afgoerelse" and plan.decided:
            return f"Afgørelse truffet: {self._decision_title(plan)}"[:300]
        if plan.grants:
            return self.rng.choice(texts.CLOSING_AFTER_DELIVERY)
        return self.rng.choice(texts.CLOSING_WITHOUT_MEASURE)

    def _kle(self, plan: CasePlan) -> list[str]:
        desk = self.desk
        found = desk.subject(plan.kind.kle)
        if found is None:
            return []
        number, title = found
        desk.kle.add(plan.id, number, "emne", title, None, True)
        numbers = [number]
        group = plan.kind.group
        if group and group in desk.groups and group != number and self.rng.random() < 0.4:
            desk.kle.add(plan.id, group, "gruppe", desk.groups[group], None, False)
            numbers.append(group)
        return numbers

    # --- journal ----------------------------------------------------------------------------

    def _journal_days(self, plan: CasePlan) -> list[tuple[int, int]]:
        r = self.rng.randint
        low, high = JOURNAL_COUNT[plan.state]
        first = plan.opened + 1
        last = plan.closed if plan.closed is not None else LAST_DAY
        if first > last:
            return [(plan.opened, 930 + i) for i in range(low)]
        return sorted((r(first, last), r(480, 930)) for _ in range(r(low, high)))

    def _journal(self, plan: CasePlan, days: list[tuple[int, int]]) -> None:
        desk, enc = self.desk, self.enc
        templates = texts.JOURNAL[plan.area.code]
        name = desk.name(plan.citizen)
        for day, minute in days:
            kind, title, text = self.rng.choice(templates)
            title, text = title.format(name=name), text.format(name=name)
            key = enc.uuid()
            desk.journal.add(key, plan.id, kind, enc.date(day), title, text, plan.responsible,
                             desk.at(day, minute), None, "metadata")
            desk.search.add("journal", key, plan.id, title, text)

    # --- decisions and grants ---------------------------------------------------------------

    def _decision_title(self, plan: CasePlan) -> str:
        what = lower_first(plan.kind.title)
        return f"Afslag på {what}" if plan.outcome == "afslag" else f"Afgørelse om {what}"

    def _decision(self, plan: CasePlan, basis: Basis | None,
                  decided: tuple[int, int]) -> int | None:
        if basis is None:
            return None
        desk = self.desk
        day = decided[0]
        guidance = desk.guidance_for(basis)
        days = guidance.days if guidance else 28
        deadline = complaint_deadline(desk.moment(day, 0).date(), days)
        body = guidance.body if guidance else FALLBACK_GUIDANCE
        guide = string.Template(body).safe_substitute(
            kommune=desk.municipality_name, afgoerelsesdato=danish_date(desk.moment(day, 0)
                                                                        .date()),
            klagefrist=danish_date(deadline), lov=basis.law, paragraf=basis.paragraph,
            klageinstans=guidance.appeals_body if guidance else "Ankestyrelsen")
        what = " og ".join(lower_first(g.kind.title) for g in plan.grants) \
            or lower_first(plan.kind.title)
        template = {"afslag": texts.DECISION_REFUSED, "delvist": texts.DECISION_PARTLY}.get(
            plan.outcome, texts.DECISION_GRANTED)
        reasons = template.format(what=what, law=basis.law, paragraph=basis.paragraph,
                                  name=desk.name(plan.citizen), goal=plan.area.goal)
        key = self.enc.uuid()
        title = self._decision_title(plan)
        at = desk.at(*decided)
        decision = desk.decisions.add(key, plan.id, title, plan.outcome, basis.id, reasons,
                                      guide, self.enc.date(deadline.toordinal()), at,
                                      plan.responsible, "fuld")
        return decision

    def _grant(self, plan: CasePlan, grant: GrantPlan, basis: Basis | None,
               decision: int | None, decided: tuple[int, int] | None) -> None:
        granted = decided or (min(grant.start, LAST_DAY), self.rng.randint(600, 900))
        self.grant_row(plan.area.code, plan.citizen, plan.id, decision, grant.kind, basis,
                       grant.start, grant.end, grant.provider, granted, plan.responsible)

    def grant_row(self, department: str, citizen: int, case: int | None,
                  decision: int | None, kind: GrantKind, basis: Basis | None, start: int,
                  end: int | None, provider: int | None, granted: tuple[int, int],
                  by: int | None) -> None:
        desk, enc, r = self.desk, self.enc, self.rng.randint
        steps = round((kind.high - kind.low) / kind.step)
        amount = f"{kind.low + kind.step * r(0, steps):.2f}"
        ended = end is not None and end < REF
        reason = self.rng.choice(texts.GRANT_ENDED) if ended else ""
        key = enc.uuid()
        at = desk.at(*granted)
        desk.grants.add(key, citizen, desk.departments[department], case, decision,
                        kind.title, basis.id if basis else None, amount, kind.unit,
                        enc.date(start), enc.date(end) if end is not None else None, provider,
                        "ophoert" if ended else "aktiv", at, by, reason,
                        desk.settings[department]["default_sensitivity"], "fuld")
        desk.change(at, by, "grant", key, case, citizen, "cases.grant.created", kind.title,
                    {"title": kind.title, "amount": amount, "unit": kind.unit,
                     "valid_from": enc.date(start),
                     "valid_to": enc.date(end) if end is not None else None})

    # --- deadlines on the case --------------------------------------------------------------

    def _deadlines(self, plan: CasePlan) -> None:
        desk, r = self.desk, self.rng.randint
        children = plan.area.code == "boernesocial"
        created = desk.at(plan.opened, plan.minute)
        common: dict[str, Any] = {"case": plan.id, "responsible": plan.responsible,
                                  "unit": plan.unit, "created": created}
        if children and plan.state == INVESTIGATION:
            due = end_of_day(add_months(desk.moment(plan.opened, 0).date(), 4))
            desk.deadline("boerneundersoegelse", self.enc.instant(due), plan.citizen,
                          basis="bl-20", **common)
        elif plan.state == DELIVERY and self.rng.random() < (0.9 if children else 0.5):
            day = max(plan.opened + 1, REF + r(-20, 180))
            if (plan.responsible == self.children_login and self.children_login is not None
                    and not self.login_overdue):
                day, self.login_overdue = max(plan.opened + 1, REF - 5), True
            self._follow_up(plan, day, texts.FOLLOW_UP_TITLE, common)
        elif plan.state == INVESTIGATION and not children and self.rng.random() < 0.5:
            day = max(plan.opened + 1, REF + r(-10, 60))
            self._follow_up(plan, day, texts.FOLLOW_UP_CASE_TITLE, common)

    def _follow_up(self, plan: CasePlan, day: int, title: str, common: dict[str, Any]) -> None:
        due = end_of_day(self.desk.moment(day, 0).date())
        self.desk.deadline("opfoelgning", self.enc.instant(due), plan.citizen,
                           basis=plan.area.followup_basis, title=title, **common)

    # --- grants without a case (EOJ C) ------------------------------------------------------

    def caseless_grants(self, plans: list[CasePlan]) -> None:
        desk, rng = self.desk, self.rng
        with_case = sum(len(p.grants) for p in plans)
        choices = [(code, kind) for code, kind, _share in CASELESS_GRANTS
                   if code in desk.departments]
        if not choices:
            return
        weights = [share for code, _kind, share in CASELESS_GRANTS if code in desk.departments]
        pools = {code: self._pool(code) for code, _kind in choices}
        workers = {code: desk.area_workers(code) for code, _kind in choices}
        for _ in range(round(with_case * CASELESS_SHARE)):
            code, kind = rng.choices(choices, weights=weights)[0]
            if not pools[code]:
                continue
            citizen = rng.choice(pools[code])
            self._caseless(code, kind, citizen, workers[code])

    def _caseless(self, code: str, kind: CaseKind, citizen: int, workers: list[int]) -> None:
        desk, r = self.desk, self.rng.randint
        area = AREA_OF[code]
        earliest = desk.people.born(citizen) + area.min_age_at_opening * YEAR + 1
        start = max(earliest, REF - r(1, 3 * YEAR))
        if start > LAST_DAY:
            return
        end = None if self.rng.random() < 0.7 else start + r(30, 700)
        grant = self.rng.choice(kind.grants)
        by = self.rng.choice(workers) if workers else None
        self.grant_row(code, citizen, None, None, grant, desk.basis(kind.bases), start, end,
                       None, (start, r(600, 900)), by)

    def _pool(self, code: str) -> list[int]:
        return self.desk.pool(*AREA_OF[code].ages)
