"""API routes: notifications (underretninger), deadlines (frister) and the work list.

Each route calls ``cases.notifications``, ``cases.deadlines`` or ``cases.worklist``; the
door, the rules and the history live there. A failed call changes nothing and answers with
a stable error code (docs/api.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from helhed.cases import deadlines, notifications, worklist
from helhed.cases.models import CaseDeadline, Document, Notification
from helhed.people.models import Citizen

router = Router()


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# --- output -------------------------------------------------------------------------------

class CitizenRef(Schema):
    id: uuid.UUID
    name: str

    @staticmethod
    def of(c: Citizen) -> CitizenRef:
        return CitizenRef(id=c.uuid, name=c.full_name)


class DeadlineOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    due_at: dt.datetime
    overdue: bool
    met_at: dt.datetime | None
    waived_reason: str
    legal_basis: str | None = Field(description="the catalogue's code, e.g. bl-136")
    citizen: CitizenRef
    case: uuid.UUID | None
    notification: uuid.UUID | None
    responsible: str | None
    unit: str | None

    @staticmethod
    def of(d: CaseDeadline) -> DeadlineOut:
        return DeadlineOut(
            id=d.uuid, kind=d.kind, title=d.title, due_at=d.due_at,
            overdue=deadlines.overdue(d), met_at=d.met_at, waived_reason=d.waived_reason,
            legal_basis=d.legal_basis.code if d.legal_basis else None,
            citizen=CitizenRef.of(d.citizen), case=d.case.uuid if d.case else None,
            notification=d.notification.uuid if d.notification else None,
            responsible=str(d.responsible) if d.responsible else None,
            unit=d.unit.name if d.unit else None)


class NotificationOut(Schema):
    id: uuid.UUID
    child: CitizenRef
    received_at: dt.datetime
    registered_at: dt.datetime
    registered_by: str | None
    notifier_kind: str
    professional: bool
    notifier_name: str
    notifier_organisation: str
    notifier_contact: str
    description: str
    unit: str | None
    outside_office_hours: bool
    state: str
    assessed_at: dt.datetime | None
    assessed_by: str | None
    child_in_danger: bool | None
    assessment: str
    receipt_sent_at: dt.datetime | None
    reply_sent_at: dt.datetime | None
    investigation_started: bool | None
    second_opinion_required: bool
    second_opinion_by: str | None
    second_opinion_at: dt.datetime | None
    second_opinion: str
    case: uuid.UUID | None
    deadlines: list[DeadlineOut]

    @staticmethod
    def of(n: Notification) -> NotificationOut:
        def name(staff: object) -> str | None:
            return str(staff) if staff is not None else None

        return NotificationOut(
            id=n.uuid, child=CitizenRef.of(n.child), received_at=n.received_at,
            registered_at=n.registered_at, registered_by=name(n.registered_by),
            notifier_kind=n.notifier_kind, professional=n.professional,
            notifier_name=n.notifier_name, notifier_organisation=n.notifier_organisation,
            notifier_contact=n.notifier_contact, description=n.description,
            unit=n.unit.name if n.unit else None, outside_office_hours=n.outside_office_hours,
            state=n.state, assessed_at=n.assessed_at, assessed_by=name(n.assessed_by),
            child_in_danger=n.child_in_danger, assessment=n.assessment,
            receipt_sent_at=n.receipt_sent_at, reply_sent_at=n.reply_sent_at,
            investigation_started=n.investigation_started,
            second_opinion_required=n.second_opinion_required,
            second_opinion_by=name(n.second_opinion_by),
            second_opinion_at=n.second_opinion_at, second_opinion=n.second_opinion,
            case=n.case.uuid if n.case else None,
            deadlines=[DeadlineOut.of(d) for d in notifications.deadlines_of_notification(n)])


class RelatedRowOut(Schema):
    id: uuid.UUID
    child: CitizenRef
    sibling: bool = Field(description="about a sibling or half-sibling, not the child")
    ordinal: int = Field(description="1 for the family's first notification")
    received_at: dt.datetime
    notifier_kind: str
    state: str
    case: uuid.UUID | None


class RelatedOut(Schema):
    child: CitizenRef
    total: int
    recent: int = Field(description="notifications within window_months")
    repeated: bool = Field(description="recent >= threshold: show the warning")
    threshold: int
    window_months: int
    notifications: list[RelatedRowOut] = Field(description="newest first")


class NotificationSummaryOut(Schema):
    id: uuid.UUID
    child: CitizenRef
    received_at: dt.datetime
    notifier_kind: str
    outside_office_hours: bool
    second_opinion_required: bool


class DocumentSummaryOut(Schema):
    id: uuid.UUID
    title: str
    case: uuid.UUID
    case_number: str
    citizen: CitizenRef
    uploaded_at: dt.datetime
    uploaded_by: str

    @staticmethod
    def of(d: Document) -> DocumentSummaryOut:
        return DocumentSummaryOut(id=d.uuid, title=d.title, case=d.case.uuid,
                                  case_number=d.case.number,
                                  citizen=CitizenRef.of(d.case.citizen),
                                  uploaded_at=d.uploaded_at, uploaded_by=str(d.uploaded_by))


class WorkListOut(Schema):
    scope: str
    unit: str | None
    overdue: int
    more: bool = Field(description="a section was cut at its limit")
    deadlines: list[DeadlineOut] = Field(description="overdue first, then by due time")
    notifications: list[NotificationSummaryOut] = Field(description="new, not yet assessed")
    documents: list[DocumentSummaryOut] = Field(
        description="added by others in the last 14 days")


# --- input --------------------------------------------------------------------------------

Text = Annotated[str, Field(json_schema_extra={"maxLength": notifications.NOTIFIER_FIELD_MAX})]


class NotificationIn(Strict):
    child_id: uuid.UUID
    received_at: dt.datetime = Field(description="ISO 8601; without a zone: Danish time")
    notifier_kind: Annotated[str, Field(json_schema_extra={
        "enum": list(notifications.NOTIFIER_KINDS)})]
    notifier_name: Text = ""
    notifier_organisation: Text = ""
    notifier_contact: Text = ""
    description: Annotated[str, Field(json_schema_extra={
        "maxLength": notifications.DESCRIPTION_MAX})]


class AssessmentIn(Strict):
    child_in_danger: bool
    assessment: str


class ReplyIn(Strict):
    investigation_started: bool


class SecondOpinionIn(Strict):
    text: str


class FollowUpIn(Strict):
    title: str
    due_on: dt.date
    kind: Annotated[str, Field(json_schema_extra={"enum": list(deadlines.MANUAL_KINDS)})] = (
        "opfoelgning")


# --- routes -------------------------------------------------------------------------------

@router.post("/notifications", response={201: NotificationOut},
             summary="Registrér en underretning (starter 24-timersfristen m.fl.)")
def receive(request: HttpRequest, payload: NotificationIn) -> Status[NotificationOut]:
    notification = notifications.receive(
        request.user, payload.child_id, received_at=payload.received_at,
        notifier_kind=payload.notifier_kind, notifier_name=payload.notifier_name,
        notifier_organisation=payload.notifier_organisation,
        notifier_contact=payload.notifier_contact, description=payload.description)
    return Status(201, NotificationOut.of(notification))


@router.get("/notifications/related/{child_id}", response=RelatedOut,
            summary="Barnets og søskendes underretninger samlet, med markering af gentagne")
def related(request: HttpRequest, child_id: str) -> RelatedOut:
    found = notifications.related_notifications(request.user, child_id)
    return RelatedOut(
        child=CitizenRef.of(found.child), total=found.total, recent=found.recent,
        repeated=found.repeated, threshold=found.threshold, window_months=found.window_months,
        notifications=[RelatedRowOut(
            id=r.notification.uuid, child=CitizenRef.of(r.notification.child),
            sibling=r.sibling, ordinal=r.ordinal, received_at=r.notification.received_at,
            notifier_kind=r.notification.notifier_kind, state=r.notification.state,
            case=r.notification.case.uuid if r.notification.case else None)
            for r in found.rows])


@router.get("/notifications/{notification_id}", response=NotificationOut,
            summary="En underretning med dens frister")
def notification(request: HttpRequest, notification_id: str) -> NotificationOut:
    return NotificationOut.of(notifications.get_notification(request.user, notification_id))


@router.post("/notifications/{notification_id}/assessment", response=NotificationOut,
             summary="24-timersvurderingen: er barnet i fare?")
def assess(request: HttpRequest, notification_id: str,
           payload: AssessmentIn) -> NotificationOut:
    return NotificationOut.of(notifications.assess(
        request.user, notification_id, child_in_danger=payload.child_in_danger,
        assessment=payload.assessment))


@router.post("/notifications/{notification_id}/receipt", response=NotificationOut,
             summary="Registrér, at kvitteringen er sendt til underretteren")
def receipt(request: HttpRequest, notification_id: str) -> NotificationOut:
    return NotificationOut.of(notifications.send_receipt(request.user, notification_id))


@router.post("/notifications/{notification_id}/reply", response=NotificationOut,
             summary="Registrér tilbagemeldingen til underretteren")
def reply(request: HttpRequest, notification_id: str, payload: ReplyIn) -> NotificationOut:
    return NotificationOut.of(notifications.send_reply(
        request.user, notification_id, payload.investigation_started))


@router.post("/notifications/{notification_id}/second-opinion", response=NotificationOut,
             summary="Second opinion fra en kollega, der ikke har behandlet sagen")
def second_opinion(request: HttpRequest, notification_id: str,
                   payload: SecondOpinionIn) -> NotificationOut:
    return NotificationOut.of(notifications.give_second_opinion(
        request.user, notification_id, payload.text))


@router.get("/work-list", response=WorkListOut,
            summary="Arbejdslisten: frister (overskredne først), nye underretninger, "
                    "nye dokumenter")
def work_list(request: HttpRequest, scope: str = worklist.MINE) -> WorkListOut:
    found = worklist.work_list(request.user, scope=scope)
    return WorkListOut(
        scope=found.scope, unit=found.unit.name if found.unit else None,
        overdue=found.overdue_count, more=found.more,
        deadlines=[DeadlineOut.of(item.deadline) for item in found.items],
        notifications=[NotificationSummaryOut(
            id=n.uuid, child=CitizenRef.of(n.child), received_at=n.received_at,
            notifier_kind=n.notifier_kind, outside_office_hours=n.outside_office_hours,
            second_opinion_required=n.second_opinion_required) for n in found.notifications],
        documents=[DocumentSummaryOut.of(d) for d in found.documents])


@router.post("/cases/{case_id}/deadlines", response={201: DeadlineOut},
             summary="Sæt en opfølgningsfrist på en sag")
def add_follow_up(request: HttpRequest, case_id: str,
                  payload: FollowUpIn) -> Status[DeadlineOut]:
    row = deadlines.add_manual(request.user, case_id, title=payload.title,
                               due_on=payload.due_on, kind=payload.kind)
    return Status(201, DeadlineOut.of(row))


@router.post("/deadlines/{deadline_id}/met", response=DeadlineOut,
             summary="Markér en opfølgningsfrist som overholdt")
def meet(request: HttpRequest, deadline_id: str) -> DeadlineOut:
    return DeadlineOut.of(deadlines.meet(request.user, deadline_id))

