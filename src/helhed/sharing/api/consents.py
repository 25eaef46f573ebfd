"""API routes under /api/v1/sharing/: consent (samtykke), emergency access (akut adgang)
with the leader's review, and the citizen's access log.

Each route calls ``sharing.consents``, ``sharing.emergency`` or ``sharing.accesslog``: the
door, the rules and the events live there. A failed call changes nothing and answers with a
stable error code (docs/api.md)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from helhed.sharing import accesslog, consents, emergency
from helhed.sharing.models import EmergencyAccess

router = Router()


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# --- consent ------------------------------------------------------------------------------

class ConsentOut(Schema):
    id: uuid.UUID
    citizen: uuid.UUID
    given_by: list[uuid.UUID]
    purpose: str
    categories: list[str]
    from_departments: list[str]
    from_providers: list[uuid.UUID]
    to_providers: list[uuid.UUID]
    form: str
    valid_from: dt.date
    valid_to: dt.date
    active: bool
    recorded_at: dt.datetime
    recorded_by: str
    note: str
    withdrawn_at: dt.datetime | None
    withdrawn_by: str | None
    rule: str

    @staticmethod
    def of(row: consents.ConsentRow) -> ConsentOut:
        c = row.consent
        return ConsentOut(
            id=c.uuid, citizen=c.citizen.uuid, given_by=[g.uuid for g in row.given_by],
            purpose=c.purpose, categories=row.category_codes,
            from_departments=[d.code for d in row.departments],
            from_providers=[p.uuid for p in row.providers],
            to_providers=[p.uuid for p in row.receivers], form=c.form,
            valid_from=c.valid_from, valid_to=c.valid_to, active=row.active,
            recorded_at=c.recorded_at, recorded_by=str(c.recorded_by), note=c.note,
            withdrawn_at=c.withdrawn_at,
            withdrawn_by=str(c.withdrawn_by) if c.withdrawn_by else None, rule=row.rule)


class ConsentIn(Strict):
    given_by: list[uuid.UUID]
    purpose: str
    categories: list[str]
    from_departments: list[str] = []
    from_providers: list[uuid.UUID] = []
    to_providers: list[uuid.UUID] = []
    form: str
    valid_from: dt.date
    valid_to: dt.date
    note: str = Field("", max_length=2000)


class RuleIn(Strict):
    purpose: str
    categories: list[str]
    from_departments: list[str] = []
    from_providers: list[uuid.UUID] = []
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    to_providers: list[uuid.UUID] = []


class RuleOut(Schema):
    text: str


class WithdrawIn(Strict):
    note: str = Field("", max_length=2000)


@router.get("/citizens/{citizen_id}/consents", response=list[ConsentOut],
            summary="Borgerens samtykker")
def list_consents(request: HttpRequest, citizen_id: uuid.UUID) -> list[ConsentOut]:
    return [ConsentOut.of(c) for c in consents.consents_of(request.user, citizen_id)]


@router.post("/citizens/{citizen_id}/consents", response={201: ConsentOut},
             summary="Registrér et samtykke")
def create_consent(request: HttpRequest, citizen_id: uuid.UUID,
                   payload: ConsentIn) -> Status[ConsentOut]:
    consent = consents.record_consent(
        request.user, citizen_id, given_by=payload.given_by, purpose=payload.purpose,
        categories=payload.categories, from_departments=payload.from_departments,
        from_providers=payload.from_providers, to_providers=payload.to_providers,
        form=payload.form,
        valid_from=payload.valid_from, valid_to=payload.valid_to, note=payload.note)
    return Status(201, ConsentOut.of(consents.consent_row(consent)))


@router.post("/consents/rule", response=RuleOut, summary="Samtykkets regel i klart sprog")
def consent_rule(request: HttpRequest, payload: RuleIn) -> RuleOut:
    consents.category_choices(request.user)  # caseworkers only
    return RuleOut(text=consents.rule_text(
        payload.purpose, payload.categories, payload.from_departments, payload.from_providers,
        payload.valid_from, payload.valid_to, payload.to_providers))


@router.post("/consents/{consent_id}/withdraw", response=ConsentOut,
             summary="Træk et samtykke tilbage")
def withdraw_consent(request: HttpRequest, consent_id: uuid.UUID,
                     payload: WithdrawIn) -> ConsentOut:
    consent = consents.withdraw(request.user, consent_id, payload.note)
    return ConsentOut.of(consents.consent_row(consent))


# --- emergency access ---------------------------------------------------------------------

class EmergencyOut(Schema):
    id: uuid.UUID
    citizen: uuid.UUID
    family: list[uuid.UUID]
    staff: str
    reason: str
    started_at: dt.datetime
    expires_at: dt.datetime
    ended_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    reviewed_by: str | None
    approved: bool | None
    review_note: str

    @staticmethod
    def of(a: EmergencyAccess) -> EmergencyOut:
        return EmergencyOut(
            id=a.uuid, citizen=a.citizen.uuid, family=[uuid.UUID(str(u)) for u in a.family],
            staff=str(a.staff), reason=a.reason, started_at=a.started_at,
            expires_at=a.expires_at, ended_at=a.ended_at, reviewed_at=a.reviewed_at,
            reviewed_by=str(a.reviewed_by) if a.reviewed_by else None,
            approved=a.review_approved, review_note=a.review_note)


class EmergencyIn(Strict):
    reason: str = Field(max_length=1000)
    hours: int = emergency.DEFAULT_HOURS


class ReviewIn(Strict):
    approved: bool
    note: str = Field("", max_length=1000)


class LookOut(Schema):
    at: dt.datetime
    subject: uuid.UUID | None
    subject_name: str
    category: str
    category_label: str
    action: str
    detail: str
    allowed: bool


class QueueItemOut(Schema):
    access: EmergencyOut
    citizen_name: str
    running: bool
    looks: list[LookOut]

    @staticmethod
    def of(item: emergency.QueueItem) -> QueueItemOut:
        return QueueItemOut(
            access=EmergencyOut.of(item.access), citizen_name=item.access.citizen.full_name,
            running=item.running,
            looks=[LookOut(at=x.at, subject=x.subject, subject_name=x.subject_name,
                           category=x.category, category_label=x.category_label,
                           action=x.action, detail=x.detail, allowed=x.allowed)
                   for x in item.looks])


@router.post("/citizens/{citizen_id}/emergency-access", response={201: EmergencyOut},
             summary="Start akut adgang til familien")
def start_emergency(request: HttpRequest, citizen_id: uuid.UUID,
                    payload: EmergencyIn) -> Status[EmergencyOut]:
    access = emergency.start(request.user, citizen_id, payload.reason, payload.hours)
    return Status(201, EmergencyOut.of(access))


@router.post("/emergency-access/{access_id}/end", response=EmergencyOut,
             summary="Afslut egen akut adgang")
def end_emergency(request: HttpRequest, access_id: uuid.UUID) -> EmergencyOut:
    return EmergencyOut.of(emergency.end(request.user, access_id))


@router.get("/emergency-access/review-queue", response=list[QueueItemOut],
            summary="Lederens kø: akut adgang til gennemgang")
def review_queue(request: HttpRequest) -> list[QueueItemOut]:
    return [QueueItemOut.of(i) for i in emergency.review_queue(request.user)]


@router.post("/emergency-access/{access_id}/review", response=EmergencyOut,
             summary="Gennemgå en akut adgang")
def review_emergency(request: HttpRequest, access_id: uuid.UUID,
                     payload: ReviewIn) -> EmergencyOut:
    return EmergencyOut.of(emergency.review(request.user, access_id, payload.approved,
                                            payload.note))


# --- the access log -----------------------------------------------------------------------

class AccessLogRowOut(Schema):
    at: dt.datetime
    actor_name: str
    actor_unit: str
    category: str
    category_label: str
    action: str
    action_label: str
    purpose: str
    purpose_label: str
    basis: str
    emergency: bool
    allowed: bool
    detail: str


class AccessLogQuery(Schema):
    since: dt.datetime | None = None


@router.get("/citizens/{citizen_id}/access-log", response=list[AccessLogRowOut],
            summary="Borgerens adgangslog: hvem har set hvad, hvornår og på hvilket grundlag")
def access_log(request: HttpRequest, citizen_id: uuid.UUID,
               query: Query[AccessLogQuery]) -> list[AccessLogRowOut]:
    rows = accesslog.access_log_of(request.user, citizen_id, since=query.since)
    return [AccessLogRowOut(**r.__dict__) for r in rows]
