"""API routes for adult assessments (VUM 2.0) and child investigations (ICS), under
/api/v1/assessment/ (mounted by ``assessment.api``). Every rule lives in
``assessment.assessments`` and ``assessment.investigations``, with its stable code."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from helhed.assessment import assessments, ics, investigations, vum
from helhed.assessment.assessments_models import AdultAssessment, ChildInvestigation

router = Router(tags=["Voksenudredning"])


class LevelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    theme: str = Field(description="Temaets kode, se /assessment/vum/themes")
    level: int | None = Field(None, description="Sagsbehandlerens vurdering: 0–4 eller 9")
    citizen_level: int | None = Field(None, description="Borgerens egen vurdering: 0–4 "
                                                        "eller 9")
    text: str = ""


class AssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    assessed_on: dt.date
    summary: str = ""
    levels: list[LevelIn]


class LevelOut(Schema):
    theme: str
    theme_title: str
    level: int | None
    citizen_level: int | None
    text: str


class AssessmentOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    citizen_id: uuid.UUID
    assessed_on: dt.date
    summary: str
    created_at: dt.datetime
    created_by: str
    levels: list[LevelOut]

    @staticmethod
    def of(a: AdultAssessment) -> AssessmentOut:
        return AssessmentOut(
            id=a.uuid, case_id=a.case.uuid, citizen_id=a.citizen.uuid,
            assessed_on=a.assessed_on, summary=a.summary, created_at=a.created_at,
            created_by=str(a.created_by),
            levels=[LevelOut(theme=t.code, theme_title=t.title, level=row.level,
                             citizen_level=row.citizen_level, text=row.text)
                    for t, row in assessments.levels_of(a) if row is not None])


class PointOut(Schema):
    assessment_id: uuid.UUID
    assessed_on: dt.date
    level: int | None
    citizen_level: int | None


class ThemeOut(Schema):
    code: str
    kl_code: str
    title: str
    part: str
    subthemes: list[str]


@router.get("/vum/themes", response=list[ThemeOut],
            summary="VUM 2.0-temaerne (KL's Fælles Faglige Begreber)")
def vum_themes(request: HttpRequest) -> list[ThemeOut]:
    return [ThemeOut(code=t.code, kl_code=t.kl_code, title=t.title, part=t.part,
                     subthemes=list(t.subthemes)) for t in vum.themes().values()]


@router.post("/cases/{case_id}/adult-assessments", response={201: AssessmentOut},
             summary="Registrér en voksenudredning med funktionsniveauer på en sag")
def create_assessment(request: HttpRequest, case_id: uuid.UUID,
                      payload: AssessmentIn) -> Status[AssessmentOut]:
    made = assessments.record_adult_assessment(
        request.user, case_id, assessed_on=payload.assessed_on, summary=payload.summary,
        levels=[assessments.LevelIn(theme=x.theme, level=x.level,
                                    citizen_level=x.citizen_level, text=x.text)
                for x in payload.levels])
    return Status(201, AssessmentOut.of(assessments.get_assessment(request.user, made.uuid)))


@router.get("/cases/{case_id}/adult-assessments", response=list[AssessmentOut],
            summary="Sagens voksenudredninger, nyeste først")
def list_assessments(request: HttpRequest, case_id: uuid.UUID) -> list[AssessmentOut]:
    return [AssessmentOut.of(a) for a in assessments.assessments_on_case(request.user, case_id)]


@router.get("/adult-assessments/{assessment_id}", response=AssessmentOut,
            summary="En voksenudredning")
def get_assessment(request: HttpRequest, assessment_id: uuid.UUID) -> AssessmentOut:
    return AssessmentOut.of(assessments.get_assessment(request.user, assessment_id))


@router.get("/citizens/{citizen_id}/functional-levels", response=dict[str, list[PointOut]],
            summary="Borgerens funktionsniveauer pr. tema over tid (ældste først)")
def functional_levels(request: HttpRequest,
                      citizen_id: uuid.UUID) -> dict[str, list[PointOut]]:
    found = assessments.levels_over_time(request.user, citizen_id)
    return {theme: [PointOut(assessment_id=p.assessment, assessed_on=p.assessed_on,
                             level=p.level, citizen_level=p.citizen_level) for p in points]
            for theme, points in found.items()}


# --- child investigations (Barnets lov § 20, ICS) ------------------------------------------

class InvestigationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    started_on: dt.date


class ThemeTextIn(Schema):
    model_config = ConfigDict(extra="forbid")

    theme: str = Field(description="Kode fra /assessment/ics/themes, fx "
                                   "barnets_udvikling.sundhed")
    text: str


class ConversationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    held: bool
    held_on: dt.date | None = None
    summary: str = ""
    reason_not_held: str = ""


class LinkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    request_id: uuid.UUID
    theme: str


class ConclusionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    conclusion: str


class NoteOut(Schema):
    theme: str
    theme_title: str
    text: str


class ConversationOut(Schema):
    held: bool
    held_on: dt.date | None
    summary: str
    reason_not_held: str


class LinkOut(Schema):
    request_id: uuid.UUID
    data_need: str
    theme: str


class InvestigationOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    citizen_id: uuid.UUID
    started_on: dt.date
    due_at: dt.datetime | None
    state: str
    notes: list[NoteOut]
    conversation: ConversationOut | None
    requests: list[LinkOut]
    conclusion: str
    concluded_at: dt.datetime | None

    @staticmethod
    def of(i: ChildInvestigation) -> InvestigationOut:
        themes = ics.themes()
        talk = investigations.conversation_of(i)
        return InvestigationOut(
            id=i.uuid, case_id=i.case.uuid, citizen_id=i.citizen.uuid,
            started_on=i.started_on, due_at=i.deadline.due_at if i.deadline else None,
            state=i.state,
            notes=[NoteOut(theme=code, theme_title=themes[code].title, text=n.text)
                   for code, n in investigations.notes_of(i).items() if code in themes],
            conversation=ConversationOut(held=talk.held, held_on=talk.held_on,
                                         summary=talk.summary,
                                         reason_not_held=talk.reason_not_held)
            if talk else None,
            requests=[LinkOut(request_id=x.request.uuid, data_need=x.request.data_need.title,
                              theme=x.theme) for x in investigations.requests_of(i)],
            conclusion=i.conclusion, concluded_at=i.concluded_at)


class IcsThemeOut(Schema):
    code: str
    title: str
    side: str


def _shown(request: HttpRequest, investigation_id: uuid.UUID) -> InvestigationOut:
    return InvestigationOut.of(investigations.get_investigation(request.user, investigation_id))


@router.get("/ics/themes", response=list[IcsThemeOut],
            summary="ICS-trekantens sider og temaer")
def ics_themes(request: HttpRequest) -> list[IcsThemeOut]:
    return [IcsThemeOut(code=t.code, title=t.title, side=t.side)
            for t in ics.themes().values()]


@router.post("/cases/{case_id}/investigations", response={201: InvestigationOut},
             summary="Start en børnefaglig undersøgelse (frist: fire måneder)")
def start_investigation(request: HttpRequest, case_id: uuid.UUID,
                        payload: InvestigationIn) -> Status[InvestigationOut]:
    made = investigations.start_investigation(request.user, case_id,
                                              started_on=payload.started_on)
    return Status(201, _shown(request, made.uuid))


@router.get("/cases/{case_id}/investigations", response=list[InvestigationOut],
            summary="Sagens børnefaglige undersøgelser")
def list_investigations(request: HttpRequest, case_id: uuid.UUID) -> list[InvestigationOut]:
    return [InvestigationOut.of(i)
            for i in investigations.investigations_on_case(request.user, case_id)]


@router.get("/investigations/{investigation_id}", response=InvestigationOut,
            summary="En børnefaglig undersøgelse")
def get_investigation(request: HttpRequest, investigation_id: uuid.UUID) -> InvestigationOut:
    return _shown(request, investigation_id)


@router.post("/investigations/{investigation_id}/themes", response=InvestigationOut,
             summary="Beskriv et tema i ICS-trekanten")
def describe_theme(request: HttpRequest, investigation_id: uuid.UUID,
                   payload: ThemeTextIn) -> InvestigationOut:
    investigations.describe_theme(request.user, investigation_id, theme=payload.theme,
                                  text=payload.text)
    return _shown(request, investigation_id)


@router.post("/investigations/{investigation_id}/conversation", response=InvestigationOut,
             summary="Registrér samtalen med barnet (eller hvorfor den ikke er holdt)")
def record_conversation(request: HttpRequest, investigation_id: uuid.UUID,
                        payload: ConversationIn) -> InvestigationOut:
    investigations.record_conversation(
        request.user, investigation_id, held=payload.held, held_on=payload.held_on,
        summary=payload.summary, reason_not_held=payload.reason_not_held)
    return _shown(request, investigation_id)


@router.post("/investigations/{investigation_id}/requests", response=InvestigationOut,
             summary="Knyt en indhentning på sagen til det tema, den belyser")
def link_request(request: HttpRequest, investigation_id: uuid.UUID,
                 payload: LinkIn) -> InvestigationOut:
    investigations.link_request(request.user, investigation_id,
                                request_uuid=payload.request_id, theme=payload.theme)
    return _shown(request, investigation_id)


@router.post("/investigations/{investigation_id}/conclusion", response=InvestigationOut,
             summary="Afslut undersøgelsen med en konklusion")
def conclude(request: HttpRequest, investigation_id: uuid.UUID,
             payload: ConclusionIn) -> InvestigationOut:
    investigations.conclude(request.user, investigation_id, conclusion=payload.conclusion)
    return _shown(request, investigation_id)
