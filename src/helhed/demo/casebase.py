"""The ground the demo's casework is built on: the catalogue, the staff, time and the tables.

:class:`Desk` holds what the case and notification builders share: the catalogue as it is
in the database (KLE, legal bases, complaint guidance), the departments' case settings,
who works where, the rows being made, and helpers for moments in local time and for the
history rows (``cases.Change``) every object gets when it is made.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from helhed.cases.deadlines import local_tz
from helhed.cases.models import (
    Case,
    CaseDeadline,
    CaseKle,
    CaseNumberCounter,
    CaseSettings,
    Change,
    ComplaintGuidance,
    Decision,
    Grant,
    JournalEntry,
    Notification,
    SearchEntry,
)
from helhed.cases.services import SETTINGS_FILE
from helhed.catalogue.models import KleGroup, KleSubject, LegalBasis
from helhed.demo.institutions import Organisation
from helhed.demo.rows import REFERENCE_DAY, REFERENCE_UTC, Encoder, Table
from helhed.demo.staff import ROLE_OF_DEPARTMENT, Staff
from helhed.demo.town import Town

REF = REFERENCE_DAY.toordinal()
LAST_DAY = REF - 1  # the last whole day before the reference moment
YEAR = 365
REFERENCE_MOMENT = REFERENCE_UTC.replace(tzinfo=dt.UTC)

CASE_FIELDS = [
    "uuid", "number", "citizen_id", "department_id", "unit_id", "responsible_id", "title",
    "state", "concept", "closing_rule", "legal_basis_id", "sensitivity", "citizen_display",
    "opened_at", "closed_at", "closing_reason", "updated_at",
]
KLE_FIELDS = ["case_id", "number", "level", "title", "facet_id", "primary"]
NOTIFICATION_FIELDS = [
    "uuid", "child_id", "received_at", "registered_at", "registered_by_id", "notifier_kind",
    "notifier_name", "notifier_organisation", "notifier_contact", "description", "unit_id",
    "outside_office_hours", "state", "assessed_at", "assessed_by_id", "child_in_danger",
    "assessment", "receipt_sent_at", "reply_sent_at", "investigation_started",
    "second_opinion_required", "second_opinion_by_id", "second_opinion_at", "second_opinion",
    "case_id", "sensitivity", "citizen_display",
]
DEADLINE_FIELDS = [
    "uuid", "kind", "title", "due_at", "citizen_id", "case_id", "notification_id",
    "legal_basis_id", "responsible_id", "unit_id", "created_at", "met_at", "waived_reason",
]
JOURNAL_FIELDS = ["uuid", "case_id", "kind", "occurred_on", "title", "text", "author_id",
                  "written_at", "corrects_id", "citizen_display"]
SEARCH_FIELDS = ["kind", "object_uuid", "case_id", "title", "body"]
DECISION_FIELDS = [
    "uuid", "case_id", "title", "outcome", "legal_basis_id", "reasons", "complaint_guidance",
    "complaint_deadline", "decided_at", "decided_by_id", "citizen_display",
]
GRANT_FIELDS = [
    "uuid", "citizen_id", "department_id", "case_id", "decision_id", "title",
    "legal_basis_id", "amount", "unit", "valid_from", "valid_to", "provider_id", "state",
    "granted_at", "granted_by_id", "ended_reason", "sensitivity", "citizen_display",
]
CHANGE_FIELDS = ["at", "actor_id", "actor_name", "object_type", "object_uuid", "case_id",
                 "citizen_id", "action", "summary", "before", "after"]
SETTINGS_FIELDS = ["department_id", "concept", "closing_rule", "number_prefix",
                   "default_sensitivity"]
# first_ids keys of the cases app's tables (see generator._models).
CASE_MODELS: dict[str, type] = {
    "case_settings": CaseSettings, "case": Case, "case_kle": CaseKle,
    "notification": Notification, "deadline": CaseDeadline, "journal": JournalEntry,
    "search": SearchEntry, "decision": Decision, "grant": Grant, "change": Change,
}


@dataclass(frozen=True)
class Basis:
    id: int
    code: str
    law: str
    law_short: str
    paragraph: str


@dataclass(frozen=True)
class Guidance:
    body: str
    days: int
    appeals_body: str


def _kind_label(kind: str) -> str:
    """A deadline kind's Danish label, whatever language is active (titles are data)."""
    with translation.override(None):
        return str(CaseDeadline.Kind(kind).label)


class Desk:
    """What the casework builders share, and the rows they make."""

    def __init__(self, rng: random.Random, enc: Encoder, first_ids: dict[str, int],
                 departments: dict[str, int], town: Town, org: Organisation,
                 staff: Staff, municipality_name: str) -> None:
        self.rng = rng
        self.municipality_name = municipality_name
        self.enc = enc
        self.town = town
        self.people = town.people
        self.org = org
        self.staff = staff
        self.departments = departments
        self.tz = local_tz()
        self._offsets: dict[int, int] = {}
        self._load_catalogue()
        self.settings = _case_settings()
        self.providers = {row[2]: row[0] for row in org.providers.rows}  # name -> id
        self.district_of = self._districts()
        self.by_age: dict[int, list[int]] = {}
        for citizen in self.people.ids():
            self.by_age.setdefault(self.people.age(citizen), []).append(citizen)
        self._index_staff()
        self.deadline_titles = {k: _kind_label(k) for k in CaseDeadline.Kind.values}
        t = first_ids
        self.case_settings = Table(CaseSettings, SETTINGS_FIELDS, t["case_settings"])
        self.cases = Table(Case, CASE_FIELDS, t["case"])
        self.kle = Table(CaseKle, KLE_FIELDS, t["case_kle"])
        self.notifications = Table(Notification, NOTIFICATION_FIELDS, t["notification"])
        self.deadlines = Table(CaseDeadline, DEADLINE_FIELDS, t["deadline"])
        self.journal = Table(JournalEntry, JOURNAL_FIELDS, t["journal"])
        self.search = Table(SearchEntry, SEARCH_FIELDS, t["search"])
        self.decisions = Table(Decision, DECISION_FIELDS, t["decision"])
        self.grants = Table(Grant, GRANT_FIELDS, t["grant"])
        self.changes = Table(Change, CHANGE_FIELDS, t["change"])
        self.counters = Table(CaseNumberCounter, ["last"])  # ids are years

    def tables(self) -> list[Table]:
        """In the order they can be written (what a row points at comes first)."""
        return [self.case_settings, self.counters, self.cases, self.kle, self.notifications,
                self.deadlines, self.journal, self.search, self.decisions, self.grants,
                self.changes]

    # --- the catalogue and the settings ---------------------------------------------------

    def _load_catalogue(self) -> None:
        day = REFERENCE_DAY
        self.subjects = {s.number: s.title for s in KleSubject.objects.all()
                         if s.is_valid_on(day)}
        self.groups = {g.number: g.title for g in KleGroup.objects.all() if g.is_valid_on(day)}
        self.bases = {b.code: Basis(b.pk, b.code, b.law, b.law_short, b.paragraph)
                      for b in LegalBasis.objects.all() if b.is_valid_on(day)}
        guidance = {g.law_short: Guidance(g.body, g.complaint_days, g.appeals_body)
                    for g in ComplaintGuidance.objects.order_by("code")}
        self.guidance = guidance

    def basis(self, codes: tuple[str, ...]) -> Basis | None:
        """The first of ``codes`` the catalogue has, in force on the reference day."""
        for code in codes:
            found = self.bases.get(code)
            if found is not None:
                return found
        return None

    def guidance_for(self, basis: Basis) -> Guidance | None:
        return self.guidance.get(basis.law_short) or self.guidance.get("")

    def subject(self, number: str) -> tuple[str, str] | None:
        """The KLE subject ``number``, or the first subject of its main group."""
        if number in self.subjects:
            return number, self.subjects[number]
        main = number.split(".")[0] + "."
        for candidate in sorted(self.subjects):
            if candidate.startswith(main):
                return candidate, self.subjects[candidate]
        return None

    # --- people and staff -----------------------------------------------------------------

    def _districts(self) -> dict[int, str]:
        """Where each citizen lives now (the district of the open residence)."""
        district = self.town.homes.district_of
        fields = self.town.residence.fields
        valid_to, citizen, address = (fields.index("valid_to"), fields.index("citizen_id"),
                                      fields.index("address_id"))
        return {row[citizen]: district[row[address]] for row in self.town.residence.rows
                if row[valid_to] is None}

    def _index_staff(self) -> None:
        """Caseworkers (the department's caseworker role) and leaders per unit."""
        staff = self.staff
        self.workers: dict[int, list[int]] = {}
        self.leaders: dict[int, list[int]] = {}
        self.unit_department: dict[int, int] = {}
        fields = self.org.units.fields
        department = fields.index("department_id")
        for row in self.org.units.rows:
            self.unit_department[row[0]] = row[department]
        for member, unit in staff.unit_of.items():
            if unit is None or member in staff.providers:
                continue
            role = staff.role_of[member]
            if role == "leder":
                self.leaders.setdefault(unit, []).append(member)
            elif role.startswith("sagsbehandler-") or role == "doegnvagt":
                self.workers.setdefault(unit, []).append(member)

    def role_of_department(self, code: str) -> str:
        return ROLE_OF_DEPARTMENT.get(code, "")

    def area_workers(self, code: str) -> list[int]:
        """The caseworkers (the department's caseworker role) of a department."""
        role = self.role_of_department(code)
        department = self.departments.get(code)
        return [m for unit, members in sorted(self.workers.items())
                if self.unit_department.get(unit) == department
                for m in members if self.staff.role_of[m] == role]

    def pool(self, lo: int, hi: int) -> list[int]:
        """The citizens aged ``lo`` to ``hi`` on the reference day, youngest first."""
        return [c for age in range(lo, hi + 1) for c in self.by_age.get(age, ())]

    def unit(self, name: str) -> int | None:
        return self.org.unit_ids.get(name)

    def name(self, citizen: int) -> str:
        return self.people.first_name[citizen - self.people.first_id]

    # --- time -------------------------------------------------------------------------------

    def moment(self, day: int, minute: int) -> dt.datetime:
        """``minute`` minutes after local midnight on ``day`` (an ordinal), timezone-aware."""
        date = dt.date.fromordinal(day)
        return dt.datetime(date.year, date.month, date.day, minute // 60, minute % 60,
                           tzinfo=self.tz)

    def at(self, day: int, minute: int) -> str:
        """The same moment as a database timestamp (UTC), without making a datetime."""
        offset = self._offset(day)
        if minute < 240 and offset != self._offset(day - 1):  # a night with a clock change
            return self.enc.instant(self.moment(day, minute))
        utc = minute - offset
        when = utc % 1440
        return (f"{self.enc.date(day + utc // 1440)} {when // 60:02d}:{when % 60:02d}:00"
                f"{self.enc.zone}")

    def _offset(self, day: int) -> int:
        """Local time minus UTC in minutes at noon on ``day``."""
        offset = self._offsets.get(day)
        if offset is None:
            date = dt.date.fromordinal(day)
            delta = self.tz.utcoffset(dt.datetime(date.year, date.month, date.day, 12))
            offset = self._offsets[day] = int(delta.total_seconds()) // 60 if delta else 0
        return offset

    # --- rows every builder makes ---------------------------------------------------------

    def change(self, at: str, member: int | None, object_type: str, object_uuid: str,
               case: int | None, citizen: int, action: str, summary: str,
               after: dict[str, Any], before: dict[str, Any] | None = None) -> None:
        """One history row, as ``cases.history.changed`` writes it (without the event)."""
        user = self.staff.user_of.get(member) if member is not None else None
        name = self.staff.name_of.get(member, "system") if member is not None else "system"
        self.changes.add(at, user, name, object_type, object_uuid, case, citizen, action,
                         summary[:300],
                         json.dumps(before, ensure_ascii=False) if before else "{}",
                         json.dumps(after, ensure_ascii=False))

    def deadline(self, kind: str, due: str, citizen: int, *, case: int | None = None,
                 notification: int | None = None, basis: str = "",
                 responsible: int | None = None, unit: int | None = None, created: str,
                 met: str | None = None, title: str = "") -> None:
        found = self.bases.get(basis) if basis else None
        self.deadlines.add(self.enc.uuid(), kind, (title or self.deadline_titles[kind])[:200],
                           due, citizen, case, notification, found.id if found else None,
                           responsible, unit, created, met, "")


def _case_settings() -> dict[str, dict[str, str]]:
    data: dict[str, Any] = json.loads(SETTINGS_FILE.read_text(encoding="utf-8"))
    return {code: dict(values) for code, values in data["departments"].items()}
