"""API routes for information requests, under /api/v1/assessment/.

Each route calls ``assessment.services`` (or ``dashboard``); every rule lives there, with its
stable code. Files come with an answer through the pages only (multipart); the API answers
with text and structured rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from helhed.assessment import dashboard, services
from helhed.assessment.models import InformationAnswer, InformationRequest

router = Router(tags=["Indhentning"])


class RequestIn(Schema):
    model_config = ConfigDict(extra="forbid")

    data_need_id: int = Field(description="Databehovets id i kataloget (/catalogue/)")
    recipient_kind: str = Field(description="afdeling, skole, dagtilbud, laege, hospital "
                                            "eller anden_kommune")
    recipient_unit_id: int | None = Field(None, description="Skolen eller dagtilbuddet")
    recipient_department: str | None = Field(None, description="Afdelingens kode")
    recipient_name: str = Field("", description="Ekstern modtagers navn")
    purpose: str = Field("", description="Formålet; tomt: katalogets formål")
    consent_id: uuid.UUID | None = Field(None, description="Samtykket (eller rule)")
    rule: str | None = Field(None, description="Hjemmelsreglens kode (eller consent_id)")
    period_from: dt.date
    period_to: dt.date
    deadline: dt.date


class AnswerOut(Schema):
    id: uuid.UUID
    answered_at: dt.datetime
    answered_by: str
    digital: bool = Field(description="Besvaret af modtageren i helhed")
    text: str
    structured: list[dict[str, Any]]
    document_id: uuid.UUID | None
    journal_entry_id: uuid.UUID | None

    @staticmethod
    def of(a: InformationAnswer) -> AnswerOut:
        return AnswerOut(id=a.uuid, answered_at=a.answered_at, answered_by=str(a.answered_by),
                         digital=a.digital, text=a.text, structured=list(a.structured or []),
                         document_id=a.document.uuid if a.document else None,
                         journal_entry_id=a.journal_entry.uuid if a.journal_entry else None)


class RequestOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    citizen_id: uuid.UUID
    data_need_id: int
    data_need: str
    category: str
    recipient_kind: str
    recipient: str
    purpose: str
    basis: str
    period_from: dt.date
    period_to: dt.date
    deadline: dt.date
    state: str
    reminders_sent: int
    created_at: dt.datetime
    created_by: str
    answer: AnswerOut | None

    @staticmethod
    def of(r: InformationRequest) -> RequestOut:
        reply = services.answer_of(r)
        return RequestOut(
            id=r.uuid, case_id=r.case.uuid, citizen_id=r.citizen.uuid,
            data_need_id=r.data_need_id, data_need=r.data_need.title,
            category=r.category.code, recipient_kind=r.recipient_kind,
            recipient=r.recipient_label, purpose=r.purpose, basis=r.basis_text,
            period_from=r.period_from, period_to=r.period_to, deadline=r.deadline,
            state=r.state, reminders_sent=r.reminders_sent, created_at=r.created_at,
            created_by=str(r.created_by), answer=AnswerOut.of(reply) if reply else None)


class InboxOut(Schema):
    id: uuid.UUID
    data_need: str
    purpose: str
    structure: str = Field(description="fravaer, indlaeggelser eller tom (fritekst)")
    child_name: str
    child_cpr: str
    period_from: dt.date
    period_to: dt.date
    deadline: dt.date
    state: str
    overdue: bool
    requested_by: str
    requested_from: str


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = ""
    structured: list[dict[str, Any]] = Field(
        default_factory=list,
        description='Fravær: [{"month": "2025-01", "percent": 12.5}]; indlæggelser: '
                    '[{"from": "2025-01-03", "to": "2025-01-10", "ward": "…"}]')


class CancelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str


class SavingsRowOut(Schema):
    label: str
    answered: int
    minutes: int


class SavingsOut(Schema):
    total_answered: int
    total_minutes: int
    months: list[SavingsRowOut]
    departments: list[SavingsRowOut]
    registered_by_caseworker: int
    open: int
    overdue: int


@router.post("/cases/{case_id}/requests", response={201: RequestOut},
             summary="Send en indhentning af oplysninger på en sag")
def create_request(request: HttpRequest, case_id: uuid.UUID,
                   payload: RequestIn) -> Status[RequestOut]:
    made = services.request_information(
        request.user, case_id, data_need_id=payload.data_need_id,
        recipient_kind=payload.recipient_kind, recipient_unit_id=payload.recipient_unit_id,
        recipient_department_code=payload.recipient_department,
        recipient_name=payload.recipient_name, purpose=payload.purpose,
        consent_uuid=payload.consent_id, rule_code=payload.rule,
        period_from=payload.period_from, period_to=payload.period_to,
        deadline=payload.deadline)
    return Status(201, RequestOut.of(services.get_request(request.user, made.uuid)))


@router.get("/requests/{request_id}", response=RequestOut,
            summary="En indhentning med svar (for sagsbehandlere med adgang til sagen)")
def get_request(request: HttpRequest, request_id: uuid.UUID) -> RequestOut:
    return RequestOut.of(services.get_request(request.user, request_id))


@router.get("/inbox", response=list[InboxOut],
            summary="Indhentninger til den indloggedes enhed (modtagerens indbakke)")
def inbox(request: HttpRequest) -> list[InboxOut]:
    return [InboxOut(id=v.uuid, data_need=v.data_need, purpose=v.purpose,
                     structure=v.structure, child_name=v.child_name, child_cpr=v.child_cpr,
                     period_from=v.period_from, period_to=v.period_to, deadline=v.deadline,
                     state=v.state, overdue=v.overdue, requested_by=v.requested_by,
                     requested_from=v.requested_from)
            for v in services.requests_for(request.user)]


@router.post("/requests/{request_id}/answer", response={201: AnswerOut},
             summary="Besvar en indhentning (modtageren)")
def answer_request(request: HttpRequest, request_id: uuid.UUID,
                   payload: AnswerIn) -> Status[AnswerOut]:
    reply = services.answer(request.user, request_id, text=payload.text,
                            structured_rows=payload.structured)
    return Status(201, AnswerOut.of(reply))


@router.post("/requests/{request_id}/cancel", response=RequestOut,
             summary="Annullér en åben indhentning")
def cancel_request(request: HttpRequest, request_id: uuid.UUID,
                   payload: CancelIn) -> RequestOut:
    services.cancel(request.user, request_id, payload.reason)
    return RequestOut.of(services.get_request(request.user, request_id))


@router.get("/dashboard", response=SavingsOut,
            summary="Sagsbehandlertid sparet med digitale indhentninger")
def savings(request: HttpRequest) -> SavingsOut:
    figures = dashboard.savings(request.user)

    def rows(items: list[dashboard.Row]) -> list[SavingsRowOut]:
        return [SavingsRowOut(label=r.label, answered=r.answered, minutes=r.minutes)
                for r in items]

    return SavingsOut(total_answered=figures.total.answered,
                      total_minutes=figures.total.minutes, months=rows(figures.months),
                      departments=rows(figures.departments),
                      registered_by_caseworker=figures.registered_by_caseworker,
                      open=figures.open, overdue=figures.overdue)


# Adult assessments (VUM 2.0) share the /assessment/ prefix.
router.add_router("", "helhed.assessment.assessments_api.router")
