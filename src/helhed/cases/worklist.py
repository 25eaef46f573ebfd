"""The work list (arbejdsliste): what a caseworker, or her unit, must do next.

Open deadlines with the overdue ones on top, new (unassessed) notifications in the unit,
and documents others added to her cases in the last ``NEW_DOCUMENT_DAYS`` days. The list
shows metadata only (who, what kind, when due, where): it is logged as one look at case
metadata per citizen shown (``Category.CASE``, detail "arbejdsliste"). A handful of queries,
whatever the length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_noop

from helhed.cases import access
from helhed.cases.models import CaseDeadline, Document, Notification
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput
from helhed.organisation.models import StaffMember, Unit
from helhed.people.models import Citizen
from helhed.sharing import policy
from helhed.sharing.policy import Actor, Category, Purpose

MINE = "mine"
UNIT = "unit"
SCOPES = (MINE, UNIT)
NEW_DOCUMENT_DAYS = 14
LIMIT = 200  # per section; ``more`` says when there were more


@dataclass
class WorkItem:
    """One open deadline: whom it concerns, and the case or notification it belongs to."""

    deadline: CaseDeadline
    overdue: bool

    @property
    def citizen(self) -> Citizen:
        return self.deadline.citizen


@dataclass
class WorkList:
    scope: str
    staff: StaffMember
    unit: Unit | None
    now: dt.datetime
    items: list[WorkItem] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    more: bool = False

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.items if item.overdue)


def _deadlines(staff: StaffMember, scope: str) -> list[CaseDeadline]:
    wanted = Q(responsible=staff) if scope == MINE else Q(unit_id=staff.unit_id)
    rows = (CaseDeadline.objects.filter(wanted, met_at__isnull=True, waived_reason="")
            .select_related("citizen", "case", "notification", "responsible__user",
                            "legal_basis")
            .order_by("due_at", "pk"))
    return list(rows[: LIMIT + 1])


def _notifications(staff: StaffMember) -> list[Notification]:
    if staff.unit_id is None:
        return []
    rows = (Notification.objects.filter(unit_id=staff.unit_id,
                                        state=Notification.State.RECEIVED)
            .select_related("child").order_by("received_at", "pk"))
    return list(rows[: LIMIT + 1])


def _documents(staff: StaffMember, scope: str, now: dt.datetime) -> list[Document]:
    mine = Q(case__responsible=staff) if scope == MINE else Q(case__unit_id=staff.unit_id)
    rows = (Document.objects.filter(mine, uploaded_at__gte=now - dt.timedelta(
        days=NEW_DOCUMENT_DAYS), wrongly_filed=False)
            .exclude(uploaded_by=staff)
            .select_related("case__citizen", "uploaded_by__user").order_by("-uploaded_at"))
    return list(rows[: LIMIT + 1])


def work_list(actor: Actor, *, scope: str = MINE) -> WorkList:
    """The actor's (``mine``) or the actor's unit's (``unit``) work list."""
    if scope not in SCOPES:
        raise InvalidInput("worklist.scope",
                           gettext_noop("Vælg enten din egen liste eller enhedens."),
                           field="scope")
    staff = access.caseworker(actor)
    if scope == UNIT and staff.unit_id is None:
        raise InvalidInput("worklist.no_unit",
                           gettext_noop("Du hører ikke til en enhed, så der er ingen "
                                        "enhedsliste."), field="scope")
    now = clock.now()
    rows = _deadlines(staff, scope)
    notes = _notifications(staff)
    docs = _documents(staff, scope, now)
    shown: dict[object, None] = {}
    for citizen in ([d.citizen for d in rows[:LIMIT]] + [n.child for n in notes[:LIMIT]]
                    + [d.case.citizen for d in docs[:LIMIT]]):
        shown.setdefault(citizen.uuid, None)
    decision = policy.decide_many(actor, Purpose.CASEWORK, list(shown),  # type: ignore[arg-type]
                                  Category.CASE, detail="arbejdsliste")
    if not decision.allowed:
        raise AccessDenied(message=decision.reason)
    return WorkList(
        scope=scope, staff=staff, unit=staff.unit, now=now,
        items=[WorkItem(d, d.due_at < now) for d in rows[:LIMIT]],
        notifications=notes[:LIMIT], documents=docs[:LIMIT],
        more=any(len(part) > LIMIT for part in (rows, notes, docs)))
