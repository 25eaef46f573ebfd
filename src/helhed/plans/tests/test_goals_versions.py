"""Goals written once and referenced elsewhere; versions frozen by publishing; events;
the plan's row in the family overview."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helhed.core.errors import AccessDenied, InvalidInput
from helhed.core.models import OutboxEvent
from helhed.plans import services
from helhed.plans.models import Goal, PlanGoal, PlanVersion
from helhed.plans.services import Audience
from helhed.plans.tests.helpers import COMMON, MOTHERS, open_case, world
from helhed.sharing import overview

__all__ = ["world"]
pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _other_plan(actor, citizen, title="Indsatsplan for Mette"):
    case = open_case(actor, citizen, title="Voksensag", kle="32.00.00")
    plan = services.create_plan(actor, kind="indsatsplan", title=title, cases=[case.uuid])
    section = services.add_section(actor, plan.uuid, title="Mål", audience=Audience(
        all_staff=True))
    return plan, section


def test_goal_referenced_from_two_plans_shows_its_progress_in_both(anna, family, world):
    common = world.sections[COMMON]
    goal = services.add_goal(anna, world.plan.uuid, common.uuid, title="Liva kommer i skole")
    plan, section = _other_plan(anna, family.mother)
    services.reference_goal(anna, plan.uuid, section.uuid, goal.uuid)
    services.record_progress(anna, goal.uuid, progress=60, note="Fremmøde 4 af 5 dage")

    for key in (world.plan.uuid, plan.uuid):
        response = _client(anna).get(f"/api/v1/plans/{key}")
        goals = [g for s in response.json()["sections"] for g in s["goals"]]
        assert [(g["title"], g["progress"]) for g in goals] == [("Liva kommer i skole", 60)]
    assert Goal.objects.count() == 1  # referenced, not copied
    page = _client(anna).get(f"/planer/{plan.uuid}/").content.decode()
    assert "Liva kommer i skole" in page and "60 % nået" in page


def test_goal_in_a_plan_the_actor_may_not_see_is_refused_nothing_saved(anna, carl, family,
                                                                        world):
    goal = services.add_goal(anna, world.plan.uuid, world.sections[MOTHERS].uuid,
                             title="Mette får støtte")
    adult_case = open_case(carl, family.father, title="Voksensag", kle="32.00.00")
    plan = services.create_plan(carl, kind="indsatsplan", title="Sørens plan",
                                cases=[adult_case.uuid])
    section = services.add_section(carl, plan.uuid, title="Mål",
                                   audience=Audience(all_staff=True))
    before = PlanGoal.objects.count()
    response = _client(carl).post(
        f"/api/v1/plans/{plan.uuid}/sections/{section.uuid}/references",
        {"goal": str(goal.uuid)}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "plans.goal_not_visible"
    assert "ikke har adgang" in response.json()["error"]["message"]
    assert PlanGoal.objects.count() == before
    assert not OutboxEvent.objects.filter(type="plans.goal.referenced").exists()


def test_sub_goal_and_action_show_under_the_goal(anna, world):
    common = world.sections[COMMON]
    goal = services.add_goal(anna, world.plan.uuid, common.uuid, title="Trivsel")
    sub = services.add_goal(anna, world.plan.uuid, common.uuid, title="Venner i klassen",
                            parent=goal.uuid)
    response = _client(anna).post(
        f"/api/v1/plans/goals/{goal.uuid}/actions",
        {"title": "Samtaler med AKT-lærer", "department": "boernesocial",
         "deadline": "2027-01-31", "follow_up": "2026-12-15"},
        content_type="application/json")
    assert response.status_code == 201
    data = _client(anna).get(f"/api/v1/plans/{world.plan.uuid}").json()
    goals = {g["title"]: g for s in data["sections"] for g in s["goals"]}
    assert goals["Venner i klassen"]["sub_goal_of"] == str(goal.uuid)
    assert goals["Trivsel"]["actions"][0]["follow_up"] == "2026-12-15"
    assert sub.parent_id == goal.pk


def test_follow_up_after_deadline_is_refused(anna, world):
    goal = services.add_goal(anna, world.plan.uuid, world.sections[COMMON].uuid, title="Mål")
    response = _client(anna).post(
        f"/api/v1/plans/goals/{goal.uuid}/actions",
        {"title": "X", "department": "boernesocial", "deadline": "2026-12-01",
         "follow_up": "2027-01-01"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "follow_up"
    assert not goal.actions.exists()


def test_progress_outside_0_to_100_is_refused(anna, world):
    goal = services.add_goal(anna, world.plan.uuid, world.sections[COMMON].uuid, title="Mål")
    with pytest.raises(InvalidInput):
        services.record_progress(anna, goal.uuid, progress=101)
    goal.refresh_from_db()
    assert goal.progress == 0


def test_publishing_freezes_a_version_and_the_next_edit_makes_a_new_draft(anna, world):
    services.publish(anna, world.plan.uuid)
    services.record_comment(anna, world.plan.uuid, 1, "Mette er enig i planen.")
    services.add_section(anna, world.plan.uuid, title="Nyt afsnit",
                         audience=Audience(all_staff=True))
    first = services.read_plan(anna, world.plan.uuid, 1)
    second = services.read_plan(anna, world.plan.uuid)
    assert first.version.frozen and not second.version.frozen
    assert "Nyt afsnit" not in {s.title for s in first.sections}
    assert "Nyt afsnit" in {s.title for s in second.sections}
    assert {s.title for s in first.sections} < {s.title for s in second.sections}
    assert first.version.citizen_comment == "Mette er enig i planen."
    assert second.version.citizen_comment == ""
    assert PlanVersion.objects.filter(plan=world.plan).count() == 2


def test_published_version_stays_viewable_on_the_page(anna, world):
    client = _client(anna)
    assert client.post(f"/planer/{world.plan.uuid}/offentliggoer/").status_code == 302
    services.add_section(anna, world.plan.uuid, title="Senere afsnit",
                         audience=Audience(all_staff=True))
    old = client.get(f"/planer/{world.plan.uuid}/?version=1").content.decode()
    assert "Senere afsnit" not in old and COMMON in old
    assert "Senere afsnit" in client.get(f"/planer/{world.plan.uuid}/").content.decode()


def test_publishing_twice_is_refused(anna, world):
    services.publish(anna, world.plan.uuid)
    with pytest.raises(InvalidInput) as raised:
        services.publish(anna, world.plan.uuid)
    assert raised.value.code == "plans.already_published"


def test_changes_by_another_department_are_refused(carl, world):
    with pytest.raises(AccessDenied):
        services.add_section(carl, world.plan.uuid, title="Indbrud",
                             audience=Audience(all_staff=True))
    with pytest.raises(AccessDenied):
        services.publish(carl, world.plan.uuid)


def test_provider_cannot_change_the_plan(gustav, world):
    with pytest.raises(AccessDenied):
        services.add_section(gustav, world.plan.uuid, title="Fra udfører",
                             audience=Audience(all_staff=True))


def test_every_change_is_an_event(anna, world):
    goal = services.add_goal(anna, world.plan.uuid, world.sections[COMMON].uuid, title="Mål")
    services.record_progress(anna, goal.uuid, progress=10)
    services.publish(anna, world.plan.uuid)
    types = list(OutboxEvent.objects.filter(type__startswith="plans.")
                 .order_by("pk").values_list("type", flat=True))
    assert types[0] == "plans.plan.created"
    assert "plans.plan.changed" in types
    assert types[-3:] == ["plans.goal.created", "plans.goal.progress", "plans.plan.published"]
    event = OutboxEvent.objects.get(type="plans.plan.published")
    assert event.payload["case"] == str(world.case.uuid)
    assert event.citizen == world.plan.citizen.uuid


def test_plan_without_a_case_is_refused(anna):
    with pytest.raises(InvalidInput) as raised:
        services.create_plan(anna, kind="handleplan", title="Plan", cases=[])
    assert raised.value.code == "plans.needs_case"


def test_plan_shows_in_the_family_overview_for_each_member(anna, carl, family, world):
    seen = overview.family_overview(anna, family.liva.uuid)
    plans = [(p.citizen.first_name, i) for p in seen.people for i in p.items
             if i.kind == "plan"]
    assert {name for name, _ in plans} >= {"Mette", "Søren", "Liva"}
    assert all(item.may_open for _, item in plans)
    assert {item.url for _, item in plans} == {f"/planer/{world.plan.uuid}/"}
    # Carl (voksensocial) may know it exists and whom to ask, not open it.
    other = overview.family_overview(carl, family.liva.uuid)
    rows = [i for p in other.people for i in p.items if i.kind == "plan"]
    assert rows and not any(i.may_open for i in rows)
    assert all(i.ask and not i.url for i in rows)


def test_plan_page_costs_the_same_queries_with_more_goals(anna, world):
    client = _client(anna)
    common = world.sections[COMMON]
    first = services.add_goal(anna, world.plan.uuid, common.uuid, title="Mål 1")
    services.add_action(anna, first.uuid, title="Indsats", department_code="boernesocial")
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/planer/{world.plan.uuid}/").status_code == 200
    for n in range(2, 6):
        goal = services.add_goal(anna, world.plan.uuid, common.uuid, title=f"Mål {n}")
        services.add_action(anna, goal.uuid, title="Indsats", department_code="boernesocial")
    with CaptureQueriesContext(connection) as many:
        body = client.get(f"/planer/{world.plan.uuid}/").content.decode()
    assert "Mål 5" in body
    assert len(many.captured_queries) == len(few.captured_queries)
