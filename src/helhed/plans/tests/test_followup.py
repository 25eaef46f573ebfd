"""Follow-up on a plan (issue 5): an action's follow-up date lands on the caseworker's work
list; a follow-up records goal progress and, on an adult's plan, new functional levels, and
meets the follow-up deadline, in one transaction. And how it is refused, nothing saved:
progress outside 0–100, a goal not on the plan, a level outside 0–4/9, levels on a child's
plan, a caseworker of another department."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from helhed.assessment.assessments import LevelIn
from helhed.assessment.assessments_models import AdultAssessment, FunctionalLevel
from helhed.assessment.tests.helpers import open_case as open_adult_case
from helhed.cases.models import CaseDeadline
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput
from helhed.core.models import OutboxEvent
from helhed.organisation.models import StaffMember
from helhed.plans import followup, services
from helhed.plans.models import Goal, Plan
from helhed.plans.services import Audience
from helhed.plans.tests.helpers import COMMON, world

__all__ = ["world"]
pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)
FOLLOW_ON = dt.date(2025, 6, 2)


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(NOW)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _follow_ups() -> list[CaseDeadline]:
    return list(CaseDeadline.objects.filter(kind=CaseDeadline.Kind.FOLLOW_UP))


def _state(*goals: Goal) -> dict[str, Any]:
    """Everything a follow-up could change."""
    return {
        "progress": [Goal.objects.get(pk=g.pk).progress for g in goals],
        "assessments": AdultAssessment.objects.count(),
        "levels": FunctionalLevel.objects.count(),
        "open": CaseDeadline.objects.filter(kind=CaseDeadline.Kind.FOLLOW_UP,
                                            met_at__isnull=True).count(),
        "events": OutboxEvent.objects.count(),
    }


@pytest.fixture
def child(anna, world):
    """Liva's plan with a goal and an action followed up on 2 June."""
    goal = services.add_goal(anna, world.plan.uuid, world.sections[COMMON].uuid,
                             title="Liva kommer i skole hver dag")
    action = services.add_action(anna, goal.uuid, title="Skolestøtte", department_code=(
        "boernesocial"), deadline=dt.date(2025, 8, 1), follow_up=FOLLOW_ON)
    return world, goal, action


@pytest.fixture
def adult(carl, family):
    """Mette's plan in voksensocial, written by carl, with a goal and a follow-up date."""
    case = open_adult_case(carl, family.mother, "Støtte i hverdagen")
    plan = services.create_plan(carl, kind=Plan.Kind.INTERVENTION, title="Mettes indsatsplan",
                                cases=[case.uuid])
    section = services.add_section(carl, plan.uuid, title="Mål",
                                   audience=Audience(all_staff=True, citizen=True))
    goal = services.add_goal(carl, plan.uuid, section.uuid, title="Mette handler selv ind")
    services.add_action(carl, goal.uuid, title="Bostøtte", department_code="voksensocial",
                        follow_up=FOLLOW_ON)
    return case, plan, goal


def levels() -> list[LevelIn]:
    return [LevelIn("mentale_funktioner", 2, 2), LevelIn("praktiske_opgaver", 1, None)]


# --- the work list ------------------------------------------------------------------------

def test_action_with_follow_up_date_lands_on_the_caseworkers_work_list(anna, child):
    world, _, _ = child
    [row] = _follow_ups()
    assert row.title == "Opfølgning: Skolestøtte"
    assert row.case == world.case
    assert row.responsible == StaffMember.objects.get(user=anna)
    assert row.due_at.astimezone(dt.UTC).date() in {FOLLOW_ON, FOLLOW_ON + dt.timedelta(1)}
    assert row.due_at > dt.datetime(2025, 6, 2, 20, 0, tzinfo=dt.UTC)  # end of that day
    assert row.open
    assert OutboxEvent.objects.filter(type="cases.deadline.created",
                                      object_id=row.uuid).exists()


def test_action_without_follow_up_date_adds_no_deadline(anna, world):
    goal = services.add_goal(anna, world.plan.uuid, world.sections[COMMON].uuid, title="Mål")
    services.add_action(anna, goal.uuid, title="Samtale", department_code="boernesocial")
    assert _follow_ups() == []


def test_refused_action_adds_no_deadline(anna, world):
    goal = services.add_goal(anna, world.plan.uuid, world.sections[COMMON].uuid, title="Mål")
    with pytest.raises(InvalidInput):
        services.add_action(anna, goal.uuid, title="Samtale", department_code="boernesocial",
                            deadline=dt.date(2025, 4, 1), follow_up=dt.date(2025, 5, 1))
    assert _follow_ups() == []


def test_action_with_own_responsible_lands_on_that_persons_list(anna, bo, world):
    goal = services.add_goal(anna, world.plan.uuid, world.sections[COMMON].uuid, title="Mål")
    bo_staff = StaffMember.objects.get(user=bo)
    services.add_action(anna, goal.uuid, title="Hjemmebesøg", department_code="boernesocial",
                        responsible_id=bo_staff.pk, follow_up=FOLLOW_ON)
    [row] = _follow_ups()
    assert row.responsible == bo_staff


# --- recording a follow-up ----------------------------------------------------------------

def test_follow_up_records_progress_and_meets_the_deadline(anna, child):
    world, goal, _ = child
    done = followup.record_follow_up(anna, world.plan.uuid, goals={goal.uuid: 40},
                                     note="Møder op tre dage om ugen.")
    goal.refresh_from_db()
    assert (goal.progress, goal.progress_note) == (40, "Møder op tre dage om ugen.")
    [row] = _follow_ups()
    assert row.met_at == NOW and [d.pk for d in done.met] == [row.pk]
    assert done.assessment is None
    event = OutboxEvent.objects.get(type=followup.EVENT)
    assert event.payload["goals"] == [str(goal.uuid)]
    assert event.payload["deadlines_met"] == 1
    assert OutboxEvent.objects.filter(type="plans.goal.progress").count() == 1
    assert OutboxEvent.objects.filter(type="cases.deadline.met").count() == 1


def test_follow_up_on_adults_plan_records_new_levels(carl, adult):
    case, plan, goal = adult
    done = followup.record_follow_up(carl, plan.uuid, goals={str(goal.uuid): 70},
                                     levels=levels(), note="Handler selv ind.")
    assert done.assessment is not None
    made = AdultAssessment.objects.get()
    assert (made.case, made.assessed_on, made.summary) == (case, NOW.date(),
                                                           "Handler selv ind.")
    assert {(lv.theme, lv.level) for lv in made.levels.all()} == {
        ("mentale_funktioner", 2), ("praktiske_opgaver", 1)}
    assert Goal.objects.get(pk=goal.pk).progress == 70
    assert [d.open for d in _follow_ups()] == [False]
    event = OutboxEvent.objects.get(type=followup.EVENT)
    assert event.payload["assessment"] == str(made.uuid)


def test_levels_alone_are_a_follow_up(carl, adult):
    _, plan, goal = adult
    followup.record_follow_up(carl, plan.uuid, goals={}, levels=levels())
    assert AdultAssessment.objects.count() == 1
    assert Goal.objects.get(pk=goal.pk).progress == 0


@pytest.mark.parametrize("progress", [-1, 101, 1000])
def test_progress_outside_0_to_100_saves_nothing(anna, child, progress):
    world, goal, _ = child
    before = _state(goal)
    with pytest.raises(InvalidInput) as refused:
        followup.record_follow_up(anna, world.plan.uuid, goals={goal.uuid: progress})
    assert refused.value.code == "plans.bad_progress"
    assert _state(goal) == before


def test_goal_not_on_the_plan_saves_nothing(anna, carl, child, adult):
    world, goal, _ = child
    _, _, mettes_goal = adult
    before = _state(goal, mettes_goal)
    with pytest.raises(InvalidInput) as refused:
        followup.record_follow_up(anna, world.plan.uuid,
                                  goals={goal.uuid: 50, mettes_goal.uuid: 50})
    assert refused.value.code == "plans.goal_not_on_plan"
    assert _state(goal, mettes_goal) == before


@pytest.mark.parametrize("bad", [5, -1, "x"])
def test_level_outside_scale_saves_nothing_not_even_the_progress(carl, adult, bad):
    _, plan, goal = adult
    before = _state(goal)
    with pytest.raises(InvalidInput) as refused:
        followup.record_follow_up(carl, plan.uuid, goals={goal.uuid: 60},
                                  levels=[LevelIn("mentale_funktioner", bad)])
    assert refused.value.code == "assessment.level_invalid"
    assert _state(goal) == before


def test_levels_on_a_childs_plan_are_refused(anna, child):
    world, goal, _ = child
    before = _state(goal)
    with pytest.raises(InvalidInput) as refused:
        followup.record_follow_up(anna, world.plan.uuid, goals={goal.uuid: 10},
                                  levels=levels())
    assert refused.value.code == "plans.levels_not_adult"
    assert _state(goal) == before


def test_empty_follow_up_is_refused(anna, child):
    world, goal, _ = child
    before = _state(goal)
    with pytest.raises(InvalidInput):
        followup.record_follow_up(anna, world.plan.uuid, goals={})
    assert _state(goal) == before


def test_caseworker_of_another_department_may_not_follow_up(carl, child):
    world, goal, _ = child
    before = _state(goal)
    with pytest.raises(AccessDenied):
        followup.record_follow_up(carl, world.plan.uuid, goals={goal.uuid: 90})
    assert _state(goal) == before


# --- the API ------------------------------------------------------------------------------

def _post(user, plan, body) -> Any:
    return _client(user).post(f"/api/v1/plans/{plan.uuid}/follow-ups",
                              data=json.dumps(body), content_type="application/json")


def test_api_follow_up_with_levels(carl, adult):
    _, plan, goal = adult
    response = _post(carl, plan, {
        "goals": {str(goal.uuid): 55}, "note": "Bedre",
        "levels": [{"theme": "mentale_funktioner", "level": 3, "citizen_level": 2}]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["assessment"] == str(AdultAssessment.objects.get().uuid)
    assert body["goals"] == [str(goal.uuid)]
    assert len(body["deadlines_met"]) == 1
    assert Goal.objects.get(pk=goal.pk).progress == 55


def test_api_refuses_bad_progress_and_saves_nothing(anna, child):
    world, goal, _ = child
    before = _state(goal)
    response = _post(anna, world.plan, {"goals": {str(goal.uuid): 150}})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "plans.bad_progress"
    assert _state(goal) == before


def test_api_refuses_another_department(carl, child):
    world, goal, _ = child
    before = _state(goal)
    response = _post(carl, world.plan, {"goals": {str(goal.uuid): 50}})
    assert response.status_code in {403, 404}
    assert _state(goal) == before
