"""API routes for plans, under /api/v1/plans/.

Each route calls ``plans.services``: the door and every rule live there. A plan is returned
with only the sections the caller may see (``plans.access.visible_sections``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from helhed.assessment.assessments import LevelIn as LevelData
from helhed.assessment.assessments_api import LevelIn
from helhed.plans import followup, pdf, services
from helhed.plans.models import Goal, PlanVersion, Section
from helhed.plans.services import Audience, PlanView

router = Router(tags=["Planer"])


class PlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="handleplan, indsatsplan eller helhedsplan")
    title: str = Field(max_length=200)
    cases: list[uuid.UUID] = Field(description="Sagerne, planen hører til")
    members: list[tuple[uuid.UUID, str]] = Field(
        default_factory=list, description="Borgere på planen: [borgerens id, rolle], hvor "
                                          "rolle er borger, barn, mor eller far")


class AudienceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    all_staff: bool = False
    departments: list[str] = Field(default_factory=list, description="Afdelingskoder")
    citizen: bool = False
    mother: bool = False
    father: bool = False
    provider: uuid.UUID | None = None


class SectionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=200)
    text: str = ""
    audience: AudienceIn


class GoalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=300)
    parent: uuid.UUID | None = Field(None, description="Overordnet mål (delmål)")


class ReferenceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    goal: uuid.UUID = Field(description="Et mål skrevet i en anden plan")


class ProgressIn(Schema):
    model_config = ConfigDict(extra="forbid")

    progress: int = Field(description="0–100 %")
    note: str = ""


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=300)
    department: str = Field(description="Den ansvarlige afdelings kode")
    responsible_id: int | None = None
    deadline: dt.date | None = None
    follow_up: dt.date | None = None


class FollowUpIn(Schema):
    model_config = ConfigDict(extra="forbid")

    goals: dict[uuid.UUID, int] = Field(default_factory=dict,
                                        description="Fremdrift pr. mål: {mål-id: 0–100}")
    levels: list[LevelIn] | None = Field(None, description="Nye funktionsniveauer (kun en "
                                                           "voksens plan)")
    assessed_on: dt.date | None = Field(None, description="Udredningens dato (standard: i dag)")
    note: str = ""


class FollowUpOut(Schema):
    plan: uuid.UUID
    goals: list[uuid.UUID]
    assessment: uuid.UUID | None
    deadlines_met: list[uuid.UUID]


class CommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str


class ActionOut(Schema):
    title: str
    department: str
    deadline: dt.date | None
    follow_up: dt.date | None


class GoalOut(Schema):
    id: uuid.UUID
    title: str
    progress: int
    progress_note: str
    home_plan: uuid.UUID
    sub_goal_of: uuid.UUID | None
    actions: list[ActionOut]

    @staticmethod
    def of(goal: Goal) -> GoalOut:
        return GoalOut(id=goal.uuid, title=goal.title, progress=goal.progress,
                       progress_note=goal.progress_note, home_plan=goal.plan.uuid,
                       sub_goal_of=goal.parent.uuid if goal.parent else None,
                       actions=[ActionOut(title=a.title, department=a.department.code,
                                          deadline=a.deadline, follow_up=a.follow_up)
                                for a in goal.action_list])  # type: ignore[attr-defined]


class SectionOut(Schema):
    id: uuid.UUID
    title: str
    text: str
    goals: list[GoalOut]

    @staticmethod
    def of(section: Section) -> SectionOut:
        return SectionOut(id=section.uuid, title=section.title, text=section.text,
                          goals=[GoalOut.of(g) for g in section.goals])  # type: ignore[attr-defined]


class VersionOut(Schema):
    number: int
    published_at: dt.datetime | None
    citizen_comment: str

    @staticmethod
    def of(version: PlanVersion) -> VersionOut:
        return VersionOut(number=version.number, published_at=version.published_at,
                          citizen_comment=version.citizen_comment)


class PlanOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    state: str
    department: str
    version: VersionOut
    versions: list[VersionOut]
    sections: list[SectionOut] = Field(description="Kun de afsnit, kalderen må se")

    @staticmethod
    def of(view: PlanView) -> PlanOut:
        plan = view.plan
        return PlanOut(id=plan.uuid, kind=plan.kind, title=plan.title, state=plan.state,
                       department=plan.department.code, version=VersionOut.of(view.version),
                       versions=[VersionOut.of(v) for v in view.versions],
                       sections=[SectionOut.of(s) for s in view.sections])


class CreatedOut(Schema):
    id: uuid.UUID


@router.post("/", response={201: PlanOut})
def create_plan(request: HttpRequest, payload: PlanIn) -> Status[PlanOut]:
    plan = services.create_plan(request.user, kind=payload.kind, title=payload.title,
                                cases=payload.cases, members=payload.members)
    return Status(201, PlanOut.of(services.read_plan(request.user, plan.uuid)))


@router.get("/{plan_id}", response=PlanOut)
def get_plan(request: HttpRequest, plan_id: uuid.UUID, version: int | None = None
             ) -> PlanOut:
    return PlanOut.of(services.read_plan(request.user, plan_id, version))


@router.post("/{plan_id}/sections", response={201: CreatedOut})
def add_section(request: HttpRequest, plan_id: uuid.UUID, payload: SectionIn
                ) -> Status[CreatedOut]:
    a = payload.audience
    section = services.add_section(
        request.user, plan_id, title=payload.title, text=payload.text,
        audience=Audience(a.all_staff, a.departments, a.citizen, a.mother, a.father,
                          a.provider))
    return Status(201, CreatedOut(id=section.uuid))


@router.post("/{plan_id}/publish", response=VersionOut)
def publish(request: HttpRequest, plan_id: uuid.UUID) -> VersionOut:
    return VersionOut.of(services.publish(request.user, plan_id))


@router.post("/{plan_id}/versions/{number}/comment", response=VersionOut)
def comment(request: HttpRequest, plan_id: uuid.UUID, number: int, payload: CommentIn
            ) -> VersionOut:
    return VersionOut.of(services.record_comment(request.user, plan_id, number, payload.text))


@router.post("/{plan_id}/sections/{section_id}/goals", response={201: CreatedOut})
def add_goal(request: HttpRequest, plan_id: uuid.UUID, section_id: uuid.UUID,
             payload: GoalIn) -> Status[CreatedOut]:
    goal = services.add_goal(request.user, plan_id, section_id, title=payload.title,
                             parent=payload.parent)
    return Status(201, CreatedOut(id=goal.uuid))


@router.post("/{plan_id}/sections/{section_id}/references", response={201: CreatedOut})
def reference_goal(request: HttpRequest, plan_id: uuid.UUID, section_id: uuid.UUID,
                   payload: ReferenceIn) -> Status[CreatedOut]:
    services.reference_goal(request.user, plan_id, section_id, payload.goal)
    return Status(201, CreatedOut(id=payload.goal))


@router.post("/goals/{goal_id}/progress", response=CreatedOut)
def record_progress(request: HttpRequest, goal_id: uuid.UUID, payload: ProgressIn
                    ) -> CreatedOut:
    goal = services.record_progress(request.user, goal_id, progress=payload.progress,
                                    note=payload.note)
    return CreatedOut(id=goal.uuid)


@router.post("/goals/{goal_id}/actions", response={201: CreatedOut})
def add_action(request: HttpRequest, goal_id: uuid.UUID, payload: ActionIn
               ) -> Status[CreatedOut]:
    services.add_action(request.user, goal_id, title=payload.title,
                        department_code=payload.department,
                        responsible_id=payload.responsible_id, deadline=payload.deadline,
                        follow_up=payload.follow_up)
    return Status(201, CreatedOut(id=goal_id))


@router.post("/{plan_id}/follow-ups", response={201: FollowUpOut})
def follow_up(request: HttpRequest, plan_id: uuid.UUID, payload: FollowUpIn
              ) -> Status[FollowUpOut]:
    levels = ([LevelData(lv.theme, lv.level, lv.citizen_level, lv.text)
               for lv in payload.levels] if payload.levels else None)
    goals: dict[uuid.UUID | str, int] = {k: v for k, v in payload.goals.items()}  # noqa: C416
    done = followup.record_follow_up(request.user, plan_id, goals=goals,
                                     levels=levels, note=payload.note,
                                     assessed_on=payload.assessed_on)
    return Status(201, FollowUpOut(
        plan=plan_id, goals=[g.uuid for g in done.goals],
        assessment=done.assessment.uuid if done.assessment else None,
        deadlines_met=[d.uuid for d in done.met]))


@router.get("/{plan_id}/letter", response={200: None})
def letter(request: HttpRequest, plan_id: uuid.UUID, recipient: uuid.UUID,
           version: int | None = None) -> HttpResponse:
    """The version as a PDF letter for one citizen of the plan, with only their sections."""
    view = services.read_plan_for(request.user, plan_id, recipient, version)
    body = pdf.render(view)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{view.version.number}.pdf"'
    return response
