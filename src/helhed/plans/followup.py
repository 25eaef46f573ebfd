"""Follow-up on a plan (issue 5): an action's follow-up date lands on the responsible
caseworker's work list as a ``CaseDeadline`` (kind ``opfoelgning``) on the plan's first case;
a follow-up records progress on the plan's goals and, on an adult's plan, new functional
levels (a new adult assessment), and meets the plan's open follow-up deadlines, all in one
transaction, emitting ``plans.plan.followed_up``.

The deadline has no foreign key to the action: the plan's follow-up deadlines are the open
``opfoelgning`` deadlines on the plan's cases titled ``Opfølgning: <action title>`` for an
action on one of the plan's goals.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_noop

from helhed.assessment import assessments
from helhed.assessment.assessments import LevelIn
from helhed.assessment.assessments_models import AdultAssessment
from helhed.cases import deadlines
from helhed.cases.models import CaseDeadline
from helhed.core import clock
from helhed.core.errors import InvalidInput
from helhed.organisation.models import StaffMember
from helhed.plans import access, services
from helhed.plans.models import Action, Goal, Plan
from helhed.sharing.policy import Actor

EVENT = "plans.plan.followed_up"
TITLE_PREFIX = "Opfølgning: "  # data (the work list's title), Danish whatever the language
ADULT_AGE = 18

NOTHING = gettext_noop("Angiv fremdrift på mindst ét mål eller nye funktionsniveauer.")
GOAL_NOT_ON_PLAN = gettext_noop("Målet hører ikke til planen.")
NOT_ADULT = gettext_noop(
    "Funktionsniveauer (voksenudredning) kan kun registreres på en voksens plan.")


@dataclass
class FollowUp:
    plan: Plan
    goals: list[Goal] = field(default_factory=list)
    assessment: AdultAssessment | None = None
    met: list[CaseDeadline] = field(default_factory=list)


def _title(action: Action) -> str:
    return f"{TITLE_PREFIX}{action.title}"


def add_deadline_for_action(actor: Actor, action: Action) -> CaseDeadline | None:
    """The action's follow-up date as a deadline on the responsible caseworker's work list
    (the action's responsible, else the plan's), on the plan's first case. For
    ``services.add_action``: runs in its transaction, after its door check."""
    if action.follow_up is None:
        return None
    plan = action.goal.plan
    case = plan.cases.select_related("citizen", "unit").order_by("pk").first()
    if case is None:
        return None
    responsible: StaffMember | None = action.responsible or plan.responsible
    return deadlines.add_for_case(actor, case, kind=CaseDeadline.Kind.FOLLOW_UP,
                                  title=_title(action), due_on=action.follow_up,
                                  responsible=responsible)


def open_deadlines(plan: Plan) -> list[CaseDeadline]:
    """The plan's open follow-up deadlines (no door: for services), soonest first."""
    titles = {_title(a) for a in Action.objects.filter(goal__in=_goals_on(plan))}
    if not titles:
        return []
    return list(CaseDeadline.objects.filter(
        case__in=plan.cases.all(), kind=CaseDeadline.Kind.FOLLOW_UP, met_at__isnull=True,
        waived_reason="", title__in=titles).order_by("due_at", "pk"))


def _goals_on(plan: Plan) -> list[Goal]:
    """Goals written in the plan or placed (referenced) in one of its sections."""
    return list(Goal.objects.filter(Q(plan=plan) | Q(links__section__version__plan=plan))
                .select_related("plan").distinct())


def _progress(goals: Mapping[uuid.UUID | str, int], plan: Plan) -> list[tuple[Goal, int]]:
    on_plan = {str(g.uuid): g for g in _goals_on(plan)}
    checked: list[tuple[Goal, int]] = []
    for key, progress in goals.items():
        try:
            goal = on_plan.get(str(uuid.UUID(str(key))))
        except (ValueError, ValidationError):
            goal = None
        if goal is None:
            raise InvalidInput(code="plans.goal_not_on_plan", message=GOAL_NOT_ON_PLAN,
                               field="goals")
        if isinstance(progress, bool) or not isinstance(progress, int) \
                or not 0 <= progress <= 100:
            raise InvalidInput(code="plans.bad_progress", message=services.BAD_PROGRESS,
                               field="goals")
        checked.append((goal, progress))
    return checked


def _is_adult(plan: Plan, on: dt.date) -> bool:
    return plan.citizen.age_on(on) >= ADULT_AGE


def record_follow_up(actor: Actor, plan_uuid: uuid.UUID | str, *,
                     goals: Mapping[uuid.UUID | str, int],
                     levels: Sequence[LevelIn] | None = None, note: str = "",
                     assessed_on: dt.date | None = None) -> FollowUp:
    """A follow-up on the plan: progress on its goals (``{goal: 0–100}``, through
    ``services.record_progress``), new functional levels on an adult's plan (a new adult
    assessment on the plan's first case, dated ``assessed_on``, default today) and the
    plan's open follow-up deadlines met. One transaction: bad input saves nothing."""
    plan = access.get_plan(plan_uuid)
    staff = services._writer(actor, plan, "opfølgning på plan")
    checked = _progress(goals, plan)
    levels = list(levels or [])
    if not checked and not levels:
        raise InvalidInput(code="plans.follow_up_empty", message=NOTHING, field="goals")
    today = clock.today()
    case = plan.cases.order_by("pk").first()
    if levels and (case is None or not _is_adult(plan, today)):
        raise InvalidInput(code="plans.levels_not_adult", message=NOT_ADULT, field="levels")
    note = (note or "").strip()
    with transaction.atomic():
        result = FollowUp(plan)
        for goal, progress in checked:
            result.goals.append(services.record_progress(actor, goal.uuid, progress=progress,
                                                         note=note))
        if levels and case is not None:
            result.assessment = assessments.record_adult_assessment(
                actor, case.uuid, assessed_on=assessed_on or today, levels=levels,
                summary=note)
        for row in open_deadlines(plan):
            deadlines.meet_internal(actor, row)
            result.met.append(row)
        services._emit(EVENT, plan, staff, goals=[str(g.uuid) for g in result.goals],
                       assessment=str(result.assessment.uuid) if result.assessment else None,
                       deadlines_met=len(result.met))
    return result
