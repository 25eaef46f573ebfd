"""API routes: decisions, their letters (PDF) and grants (mounted by cases/api/__init__.py
under /api/v1/cases/).

Each route calls ``cases.decisions`` or ``cases.grants``; the door, the rules and the
history live there. A failed call changes nothing and answers with a stable error code
(docs/api.md). Required fields the rules check themselves (a decision's legal basis, a
grant's period) are optional in the schemas, so that the caller gets the rule's own code.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from helhed.cases import decisions, grants
from helhed.cases.grants import UNSET, GrantRow
from helhed.cases.models import Decision, Grant, Letter
from helhed.messaging.http import inline_pdf

router = Router()


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# --- output -------------------------------------------------------------------------------

class LetterOut(Schema):
    id: uuid.UUID
    recipient: uuid.UUID
    recipient_name: str
    recipient_role: str
    title: str
    channel: str = Field(description="digital_post or fysisk_post; empty: not sent")
    delivery_id: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    pdf: str = Field(description="Where to fetch the PDF")

    @staticmethod
    def of(letter: Letter) -> LetterOut:
        return LetterOut(
            id=letter.uuid, recipient=letter.recipient.uuid,
            recipient_name=letter.recipient.full_name, recipient_role=letter.recipient_role,
            title=letter.title, channel=letter.channel, delivery_id=letter.delivery_id,
            created_at=letter.created_at, sent_at=letter.sent_at,
            pdf=f"/api/v1/cases/letters/{letter.uuid}/pdf")


class DecisionOut(Schema):
    id: uuid.UUID
    case: uuid.UUID
    case_number: str
    title: str
    outcome: str
    legal_basis: str
    legal_basis_text: str
    reasons: str
    complaint_guidance: str
    complaint_deadline: dt.date
    decided_at: dt.datetime
    decided_by: str
    citizen_display: str
    letters: list[LetterOut]

    @staticmethod
    def of(d: Decision) -> DecisionOut:
        basis = d.legal_basis
        return DecisionOut(
            id=d.uuid, case=d.case.uuid, case_number=d.case.number, title=d.title,
            outcome=d.outcome, legal_basis=basis.code,
            legal_basis_text=f"{basis.law} {basis.paragraph} {basis.title}",
            reasons=d.reasons, complaint_guidance=d.complaint_guidance,
            complaint_deadline=d.complaint_deadline, decided_at=d.decided_at,
            decided_by=str(d.decided_by), citizen_display=d.citizen_display,
            letters=[LetterOut.of(x) for x in decisions.letters_of(d)])


class GrantOut(Schema):
    id: uuid.UUID
    citizen: uuid.UUID
    department: str
    case: uuid.UUID | None
    decision: uuid.UUID | None
    title: str
    amount: decimal.Decimal
    unit: str
    valid_from: dt.date
    valid_to: dt.date | None
    provider: uuid.UUID | None
    provider_name: str | None
    legal_basis: str | None
    state: str
    ended_reason: str
    granted_at: dt.datetime
    citizen_display: str

    @staticmethod
    def of(g: Grant) -> GrantOut:
        return GrantOut(
            id=g.uuid, citizen=g.citizen.uuid, department=g.department.code,
            case=g.case.uuid if g.case else None,
            decision=g.decision.uuid if g.decision else None, title=g.title,
            amount=g.amount, unit=g.unit, valid_from=g.valid_from, valid_to=g.valid_to,
            provider=g.provider.uuid if g.provider else None,
            provider_name=g.provider.name if g.provider else None,
            legal_basis=g.legal_basis.code if g.legal_basis else None, state=g.state,
            ended_reason=g.ended_reason, granted_at=g.granted_at,
            citizen_display=g.citizen_display)


class GrantSummaryOut(Schema):
    """One of a citizen's grants: metadata always; the content fields are null and named in
    ``withheld`` where the caller has no basis for the grant's department."""

    id: uuid.UUID
    title: str
    department: str
    department_name: str
    valid_from: dt.date
    valid_to: dt.date | None
    state: str
    case: uuid.UUID | None
    case_number: str
    responsible: str
    amount: decimal.Decimal | None
    unit: str | None
    provider: str | None
    legal_basis: str | None
    withheld: list[str]

    @staticmethod
    def of(r: GrantRow) -> GrantSummaryOut:
        return GrantSummaryOut(
            id=r.uuid, title=r.title, department=r.department_code,
            department_name=r.department, valid_from=r.valid_from, valid_to=r.valid_to,
            state=r.state, case=r.case_uuid, case_number=r.case_number,
            responsible=r.responsible, amount=r.amount, unit=r.unit, provider=r.provider,
            legal_basis=r.legal_basis, withheld=list(r.withheld))


# --- input --------------------------------------------------------------------------------

class DecisionIn(Strict):
    title: str = ""
    outcome: str = ""
    legal_basis: str | None = Field(None, description="Legal basis code, e.g. bl-32")
    reasons: str = ""
    citizen_display: str | None = None
    send: bool = Field(True, description="false: make the letters but do not send them")


class GrantIn(Strict):
    citizen: uuid.UUID
    title: str = ""
    amount: decimal.Decimal | None = None
    unit: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    provider: str | None = Field(None, description="Provider id (UUID)")
    legal_basis: str | None = None
    case: uuid.UUID | None = None
    decision: uuid.UUID | None = None
    department: str | None = Field(None, description="Department code (without a case); "
                                                     "default: the caller's")
    citizen_display: str | None = None


class GrantChangeIn(Strict):
    amount: decimal.Decimal | None = None
    valid_to: dt.date | None = Field(None, description="null removes the end date")


class GrantEndIn(Strict):
    valid_to: dt.date | None = None
    reason: str = ""


# --- routes -------------------------------------------------------------------------------

@router.post("/cases/{case_id}/decisions", response={201: DecisionOut},
             summary="Træf en afgørelse og send brev til parterne")
def make_decision(request: HttpRequest, case_id: str, payload: DecisionIn
                  ) -> Status[DecisionOut]:
    decision = decisions.make_decision(
        request.user, case_id, title=payload.title, outcome=payload.outcome,
        legal_basis_code=payload.legal_basis, reasons=payload.reasons,
        citizen_display=payload.citizen_display, send=payload.send)
    return Status(201, DecisionOut.of(decision))


@router.get("/decisions/{decision_id}", response=DecisionOut, summary="En afgørelse med breve")
def get_decision(request: HttpRequest, decision_id: str) -> DecisionOut:
    return DecisionOut.of(decisions.get_decision(request.user, decision_id))


@router.get("/letters/{letter_id}/pdf", summary="Et brev som PDF (application/pdf)")
def letter_pdf(request: HttpRequest, letter_id: str) -> HttpResponse:
    letter, data = decisions.letter_pdf(request.user, letter_id)
    return inline_pdf(data, f"{letter.title}.pdf")


@router.post("/grants", response={201: GrantOut}, summary="Opret en bevilling")
def create_grant(request: HttpRequest, payload: GrantIn) -> Status[GrantOut]:
    grant = grants.create_grant(
        request.user, payload.citizen, title=payload.title,
        amount=payload.amount if payload.amount is not None else "", unit=payload.unit,
        valid_from=payload.valid_from, valid_to=payload.valid_to,
        provider_id=payload.provider, legal_basis_code=payload.legal_basis,
        case_uuid=payload.case, decision_uuid=payload.decision,
        department_code=payload.department, citizen_display=payload.citizen_display)
    return Status(201, GrantOut.of(grant))


@router.get("/grants/{grant_id}", response=GrantOut, summary="En bevilling")
def get_grant(request: HttpRequest, grant_id: str) -> GrantOut:
    return GrantOut.of(grants.get_grant(request.user, grant_id))


@router.patch("/grants/{grant_id}", response=GrantOut,
              summary="Ret en bevillings omfang eller slutdato")
def change_grant(request: HttpRequest, grant_id: str, payload: GrantChangeIn) -> GrantOut:
    given = payload.model_fields_set
    changes: dict[str, Any] = {}
    if "amount" in given:
        changes["amount"] = payload.amount if payload.amount is not None else ""
    changes["valid_to"] = payload.valid_to if "valid_to" in given else UNSET
    return GrantOut.of(grants.change_grant(request.user, grant_id, **changes))


@router.post("/grants/{grant_id}/end", response=GrantOut, summary="Lad en bevilling ophøre")
def end_grant(request: HttpRequest, grant_id: str, payload: GrantEndIn) -> GrantOut:
    return GrantOut.of(grants.end_grant(request.user, grant_id, valid_to=payload.valid_to,
                                        reason=payload.reason))


@router.get("/citizens/{citizen_id}/grants", response=list[GrantSummaryOut],
            summary="Borgerens bevillinger i alle afdelinger (indhold kun med grundlag)")
def citizen_grants(request: HttpRequest, citizen_id: str) -> list[GrantSummaryOut]:
    return [GrantSummaryOut.of(r) for r in grants.grants_of_citizen(request.user, citizen_id)]
