"""Writing in a plan through its page: sections with an audience, goals, progress; errors
in Danish next to the field, nothing saved; other departments cannot write."""

from __future__ import annotations

import pytest
from django.test import Client

from helhed.plans import services
from helhed.plans.models import Goal, Section
from helhed.plans.tests.helpers import COMMON, world

__all__ = ["world"]
pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_caseworker_adds_a_mother_only_section_on_the_page(anna, family, world):
    client = _client(anna)
    page = client.get(f"/planer/{world.plan.uuid}/").content.decode()
    assert 'id="nyt-afsnit"' in page
    response = client.post(f"/planer/{world.plan.uuid}/afsnit/",
                           {"title": "Mors aftaler", "text": "Kun til mor.",
                            "for_mother": "ja"})
    assert response.status_code == 302
    mother = services.read_plan_for(anna, world.plan.uuid, family.mother.uuid)
    father = services.read_plan_for(anna, world.plan.uuid, family.father.uuid)
    assert "Mors aftaler" in {s.title for s in mother.sections}
    assert "Mors aftaler" not in {s.title for s in father.sections}


def test_section_without_title_shows_the_error_next_to_the_field(anna, world):
    before = Section.objects.count()
    response = _client(anna).post(f"/planer/{world.plan.uuid}/afsnit/",
                                  {"title": " ", "all_staff": "ja"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="section-title-error"' in body and "Skriv en overskrift." in body
    assert Section.objects.count() == before


def test_goal_and_progress_through_the_page(anna, world):
    client = _client(anna)
    section = world.sections[COMMON]
    assert client.post(f"/planer/{world.plan.uuid}/maal/",
                       {"section": str(section.uuid), "title": "Liva sover godt"}
                       ).status_code == 302
    goal = Goal.objects.get(title="Liva sover godt")
    response = client.post(f"/planer/{world.plan.uuid}/fremdrift/",
                           {"goal": str(goal.uuid), "progress": "140"})
    assert response.status_code == 400
    assert "mellem 0 og 100" in response.content.decode()
    assert client.post(f"/planer/{world.plan.uuid}/fremdrift/",
                       {"goal": str(goal.uuid), "progress": "40", "note": "Bedre"}
                       ).status_code == 302
    assert "40 % nået" in client.get(f"/planer/{world.plan.uuid}/").content.decode()


def test_reader_with_consent_gets_no_writing_forms(dorte, anna, family, world):
    from helhed.plans.tests.helpers import consent_for_jobcenter

    consent_for_jobcenter(family, anna)
    page = _client(dorte).get(f"/planer/{world.plan.uuid}/").content.decode()
    assert 'id="nyt-afsnit"' not in page
    response = _client(dorte).post(f"/planer/{world.plan.uuid}/afsnit/",
                                   {"title": "Fra jobcentret", "all_staff": "ja"})
    assert response.status_code == 403
    assert not Section.objects.filter(title="Fra jobcentret").exists()


def test_other_department_cannot_post_a_section(carl, world):
    response = _client(carl).post(f"/planer/{world.plan.uuid}/afsnit/",
                                  {"title": "Indbrud", "all_staff": "ja"})
    assert response.status_code == 403
    assert not Section.objects.filter(title="Indbrud").exists()


def test_anonymous_is_sent_away(world):
    response = Client().get(f"/planer/{world.plan.uuid}/")
    assert response.status_code in {302, 403, 404}
    assert COMMON not in response.content.decode()


def test_caseworker_creates_a_plan_with_the_parents_from_the_case(anna, family):
    from helhed.plans.tests.helpers import open_case

    case = open_case(anna, family.liva)
    client = _client(anna)
    assert client.get(f"/sager/{case.uuid}/plan/ny/").status_code == 200
    response = client.post(f"/sager/{case.uuid}/plan/ny/",
                           {"kind": "helhedsplan", "title": "Livas plan", "parents": "ja"})
    assert response.status_code == 302
    plan = services.read_plan(anna, response.url.split("/")[2])
    roles = {m.citizen.first_name: m.role for m in plan.plan.members.all()}
    assert roles == {"Liva": "barn", "Mette": "mor", "Søren": "far"}


def test_new_plan_with_an_unknown_kind_is_refused_next_to_the_field(anna, family):
    from helhed.plans.tests.helpers import open_case

    case = open_case(anna, family.liva)
    response = _client(anna).post(f"/sager/{case.uuid}/plan/ny/",
                                  {"kind": "ukendt", "title": "Plan"})
    assert response.status_code == 400
    assert "Vælg handleplan, indsatsplan eller helhedsplan." in response.content.decode()


def test_other_department_cannot_create_a_plan_on_the_case(anna, carl, family):
    from helhed.plans.tests.helpers import open_case

    case = open_case(anna, family.liva)
    response = _client(carl).post(f"/sager/{case.uuid}/plan/ny/",
                                  {"kind": "handleplan", "title": "Plan"})
    assert response.status_code == 403


def test_new_plan_form_is_refused_to_anonymous_and_other_departments(anna, carl, family):
    from helhed.plans.tests.helpers import open_case

    case = open_case(anna, family.liva)
    assert Client().get(f"/sager/{case.uuid}/plan/ny/").status_code in {302, 403}
    assert _client(carl).get(f"/sager/{case.uuid}/plan/ny/").status_code == 403


def test_citizens_comment_is_kept_with_its_version(anna, world):
    client = _client(anna)
    client.post(f"/planer/{world.plan.uuid}/offentliggoer/")
    response = client.post(f"/planer/{world.plan.uuid}/bemaerkninger/",
                           {"version": "1", "comment": "Mette vil gerne have mere hjælp."})
    assert response.status_code == 302
    services.add_section(anna, world.plan.uuid, title="Nyt", audience=services.Audience(
        all_staff=True))
    assert "Mette vil gerne have mere hjælp." in client.get(
        f"/planer/{world.plan.uuid}/?version=1").content.decode()
    assert "Mette vil gerne have mere hjælp." not in client.get(
        f"/planer/{world.plan.uuid}/?version=2").content.decode()


def test_other_department_cannot_record_a_comment(carl, world):
    response = _client(carl).post(f"/planer/{world.plan.uuid}/bemaerkninger/",
                                  {"version": "1", "comment": "x"})
    assert response.status_code == 403
