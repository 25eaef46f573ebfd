"""API routes: cases, their KLE, state, closing, the journal and the history.

Each route calls ``cases.services``; the door, the rules and the history live there. A
failed call changes nothing and answers with a stable error code (docs/api.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from helhed.cases import services
from helhed.cases.history import history_rows
from helhed.cases.models import Case, CaseKle, JournalEntry

router = Router()


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# --- output -------------------------------------------------------------------------------

class KleOut(Schema):
    number: str
    level: str
    title: str
    facet: str | None
    primary: bool

    @staticmethod
    def of(k: CaseKle) -> KleOut:
        return KleOut(number=k.number, level=k.level, title=k.title,
                      facet=k.facet.number if k.facet else None, primary=k.primary)


class CaseOut(Schema):
    id: uuid.UUID
    number: str
    title: str
    citizen: uuid.UUID
    citizen_name: str
    department: str
    department_name: str
    unit: str | None
    responsible: str | None
    state: str
    state_label: str
    concept: str
    closing_rule: str
    legal_basis: str | None
    sensitivity: str
    citizen_display: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    closing_reason: str
    kle: list[KleOut]

    @staticmethod
    def of(c: Case) -> CaseOut:
        return CaseOut(
            id=c.uuid, number=c.number, title=c.title, citizen=c.citizen.uuid,
            citizen_name=c.citizen.full_name, department=c.department.code,
            department_name=c.department.name, unit=c.unit.name if c.unit else None,
            responsible=str(c.responsible) if c.responsible else None, state=c.state,
            state_label=str(c.get_state_display()), concept=c.concept,
            closing_rule=c.closing_rule,
            legal_basis=c.legal_basis.code if c.legal_basis else None,
            sensitivity=c.sensitivity, citizen_display=c.citizen_display,
            opened_at=c.opened_at, closed_at=c.closed_at, closing_reason=c.closing_reason,
            kle=[KleOut.of(k) for k in services.kle_of(c)])


class CaseSummaryOut(Schema):
    """A case as metadata; ``may_open`` says whether the caller may read its content."""

    id: uuid.UUID
    number: str
    title: str
    department: str
    department_name: str
    responsible: str | None
    state: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    may_open: bool


class JournalOut(Schema):
    id: uuid.UUID
    kind: str
    occurred_on: dt.date
    title: str
    text: str
    author: str
    written_at: dt.datetime
    corrects: uuid.UUID | None
    corrected_by: list[uuid.UUID]
    citizen_display: str

    @staticmethod
    def of(e: JournalEntry) -> JournalOut:
        return JournalOut(
            id=e.uuid, kind=e.kind, occurred_on=e.occurred_on, title=e.title, text=e.text,
            author=str(e.author), written_at=e.written_at,
            corrects=e.corrects.uuid if e.corrects else None,
            corrected_by=[c.uuid for c in services.corrections_of(e)],
            citizen_display=e.citizen_display)


class HistoryOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    label: str
    summary: str
    changes: list[dict[str, Any]]


# --- input --------------------------------------------------------------------------------

class CaseIn(Strict):
    citizen: uuid.UUID
    title: str = Field(max_length=200)
    department: str | None = Field(None, description="Department code; default: the caller's")
    unit_id: int | None = None
    responsible_id: int | None = Field(None, description="Staff id; default: the caller")
    kle: list[str] = Field(description="KLE numbers, first is primary; "
                                       "'NN', 'NN.NN' or 'NN.NN.NN', optionally ' G01'")
    legal_basis: str | None = None
    sensitivity: str | None = None
    citizen_display: str | None = None
    notification: uuid.UUID | None = None


class CaseChangeIn(Strict):
    title: str | None = None
    unit_id: int | None = None
    responsible_id: int | None = None
    legal_basis: str | None = None
    sensitivity: str | None = None
    citizen_display: str | None = None


class KleIn(Strict):
    kle: list[str]


class StateIn(Strict):
    state: str


class ReasonIn(Strict):
    reason: str = ""


class JournalIn(Strict):
    kind: str
    occurred_on: dt.date
    title: str
    text: str
    citizen_display: str | None = None


class CorrectionIn(Strict):
    occurred_on: dt.date
    title: str
    text: str


# --- routes -------------------------------------------------------------------------------

@router.post("/cases", response={201: CaseOut}, summary="Opret en sag")
def open_case(request: HttpRequest, payload: CaseIn) -> Status[CaseOut]:
    case = services.open_case(
        request.user, payload.citizen, title=payload.title, department_code=payload.department,
        unit_id=payload.unit_id, responsible_id=payload.responsible_id,
        kle_numbers=payload.kle, legal_basis_code=payload.legal_basis,
        sensitivity=payload.sensitivity, citizen_display=payload.citizen_display,
        notification_uuid=payload.notification)
    return Status(201, CaseOut.of(case))


@router.get("/cases/{case_id}", response=CaseOut, summary="En sag med dens oplysninger")
def get_case(request: HttpRequest, case_id: str) -> CaseOut:
    return CaseOut.of(services.get_case(request.user, case_id))


@router.patch("/cases/{case_id}", response=CaseOut, summary="Ret sagens oplysninger")
def change_case(request: HttpRequest, case_id: str, payload: CaseChangeIn) -> CaseOut:
    case = services.update_case(
        request.user, case_id, title=payload.title, unit_id=payload.unit_id,
        responsible_id=payload.responsible_id, legal_basis_code=payload.legal_basis,
        sensitivity=payload.sensitivity, citizen_display=payload.citizen_display)
    return CaseOut.of(case)


@router.put("/cases/{case_id}/kle", response=CaseOut, summary="Sagens KLE-opmærkning")
def set_kle(request: HttpRequest, case_id: str, payload: KleIn) -> CaseOut:
    return CaseOut.of(services.set_kle(request.user, case_id, payload.kle))


@router.post("/cases/{case_id}/state", response=CaseOut, summary="Flyt sagen til en tilstand")
def set_state(request: HttpRequest, case_id: str, payload: StateIn) -> CaseOut:
    return CaseOut.of(services.set_state(request.user, case_id, payload.state))


@router.post("/cases/{case_id}/close", response=CaseOut,
             summary="Afslut sagen (med åbne frister kræves en begrundelse)")
def close_case(request: HttpRequest, case_id: str, payload: ReasonIn) -> CaseOut:
    return CaseOut.of(services.close_case(request.user, case_id, payload.reason))


@router.post("/cases/{case_id}/reopen", response=CaseOut, summary="Genåbn en afsluttet sag")
def reopen_case(request: HttpRequest, case_id: str, payload: ReasonIn) -> CaseOut:
    return CaseOut.of(services.reopen_case(request.user, case_id, payload.reason))


@router.get("/cases/{case_id}/journal", response=list[JournalOut], summary="Sagens journal")
def journal(request: HttpRequest, case_id: str) -> list[JournalOut]:
    case = services.get_case(request.user, case_id)
    return [JournalOut.of(e) for e in services.journal_of(request.user, case)]


@router.post("/cases/{case_id}/journal", response={201: JournalOut},
             summary="Skriv et journalnotat")
def add_journal_entry(request: HttpRequest, case_id: str,
                      payload: JournalIn) -> Status[JournalOut]:
    entry = services.add_journal_entry(
        request.user, case_id, kind=payload.kind, occurred_on=payload.occurred_on,
        title=payload.title, text=payload.text, citizen_display=payload.citizen_display)
    return Status(201, JournalOut.of(entry))


@router.post("/journal/{entry_id}/corrections", response={201: JournalOut},
             summary="Ret et journalnotat (det oprindelige bevares)")
def correct_journal_entry(request: HttpRequest, entry_id: str,
                          payload: CorrectionIn) -> Status[JournalOut]:
    entry = services.correct_journal_entry(
        request.user, entry_id, occurred_on=payload.occurred_on, title=payload.title,
        text=payload.text)
    return Status(201, JournalOut.of(entry))


@router.get("/cases/{case_id}/history", response=list[HistoryOut],
            summary="Sagens historik: hvem, hvornår, før og efter")
def case_history(request: HttpRequest, case_id: str) -> list[HistoryOut]:
    case = services.get_case(request.user, case_id)
    return [HistoryOut(at=r.at, actor=r.actor_name, action=r.action, label=r.label,
                       summary=r.summary,
                       changes=[{"field": c.field, "label": c.label, "before": c.before,
                                 "after": c.after} for c in r.changes])
            for r in history_rows(services.history_of(request.user, case))]


@router.get("/citizens/{citizen_id}/cases", response=list[CaseSummaryOut],
            summary="Borgerens sager i alle afdelinger (metadata)")
def citizen_cases(request: HttpRequest, citizen_id: uuid.UUID) -> list[CaseSummaryOut]:
    return [CaseSummaryOut(
        id=r.case.uuid, number=r.case.number, title=r.case.title,
        department=r.case.department.code, department_name=r.case.department.name,
        responsible=str(r.case.responsible) if r.case.responsible else None,
        state=r.case.state, opened_at=r.case.opened_at, closed_at=r.case.closed_at,
        may_open=r.may_open) for r in services.cases_of_citizen(request.user, citizen_id)]
