"""Who sees which part of the same plan: through the service, the pages, the API and the
PDF letter. Mother and father never see each other's part; the provider sees only what was
shared with it; another department sees nothing without a basis."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from helhed.core.errors import AccessDenied
from helhed.core.models import AccessLogEntry as AccessLog
from helhed.plans import services
from helhed.plans.tests.helpers import (
    ALL_TITLES,
    COMMON,
    FATHERS,
    JOBCENTER,
    MOTHERS,
    PROVIDERS,
    consent_for_jobcenter,
    world,
)

__all__ = ["world"]
pytestmark = pytest.mark.django_db


def _titles(view) -> set[str]:
    return {s.title for s in view.sections}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_responsible_caseworker_sees_every_part(anna, world):
    assert _titles(services.read_plan(anna, world.plan.uuid)) == ALL_TITLES


def test_caseworker_of_another_department_without_basis_sees_nothing(carl, world):
    with pytest.raises(AccessDenied):
        services.read_plan(carl, world.plan.uuid)
    assert AccessLog.objects.filter(actor__username="carl", allowed=False).exists()


def test_jobcenter_with_consent_sees_shared_and_own_department_parts(dorte, anna, family,
                                                                     world):
    with pytest.raises(AccessDenied):
        services.read_plan(dorte, world.plan.uuid)
    consent_for_jobcenter(family, anna)
    assert _titles(services.read_plan(dorte, world.plan.uuid)) == {COMMON, JOBCENTER}


def test_provider_sees_only_the_part_shared_with_it(gustav, world):
    assert _titles(services.read_plan(gustav, world.plan.uuid)) == {PROVIDERS}
    assert AccessLog.objects.filter(actor__username="gustav", allowed=True,
                                    basis="Delt med udfører").exists()


def test_provider_with_nothing_shared_is_refused_and_logged(anna, gustav, family):
    from helhed.plans.tests.helpers import open_case

    case = open_case(anna, family.noah)
    plan = services.create_plan(anna, kind="handleplan", title="Noahs plan", cases=[case.uuid])
    with pytest.raises(AccessDenied):
        services.read_plan(gustav, plan.uuid)
    assert AccessLog.objects.filter(actor__username="gustav", allowed=False).exists()


@pytest.mark.parametrize(("who", "expected"), [
    ("mother", {COMMON, MOTHERS}),
    ("father", {COMMON, FATHERS}),
    ("liva", {COMMON}),
])
def test_each_family_member_gets_exactly_their_parts(anna, family, world, who, expected):
    view = services.read_plan_for(anna, world.plan.uuid, getattr(family, who).uuid)
    assert _titles(view) == expected


def test_father_cannot_see_mothers_part_in_his_letter(anna, family, world):
    response = _client(anna).get(f"/planer/{world.plan.uuid}/brev/{family.father.uuid}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Søren" in text and FATHERS in text and COMMON in text
    assert MOTHERS not in text and PROVIDERS not in text and JOBCENTER not in text


def test_mothers_letter_through_the_api_holds_only_her_parts(anna, family, world):
    response = _client(anna).get(f"/api/v1/plans/{world.plan.uuid}/letter",
                                 {"recipient": str(family.mother.uuid)})
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert MOTHERS in text and COMMON in text and FATHERS not in text


def test_letter_for_someone_not_on_the_plan_is_refused(anna, family, world):
    response = _client(anna).get(f"/api/v1/plans/{world.plan.uuid}/letter",
                                 {"recipient": str(family.partner.uuid)})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "plans.not_member"


def test_letter_needs_a_basis_for_the_plan(carl, family, world):
    response = _client(carl).get(f"/planer/{world.plan.uuid}/brev/{family.mother.uuid}/")
    assert response.status_code == 403
    assert MOTHERS.encode() not in response.content


@pytest.mark.parametrize(("persona", "expected"), [
    ("anna", ALL_TITLES), ("gustav", {PROVIDERS}),
])
def test_plan_page_shows_only_the_readers_parts(request, world, persona, expected):
    user = request.getfixturevalue(persona)
    response = _client(user).get(f"/planer/{world.plan.uuid}/")
    assert response.status_code == 200
    body = response.content.decode()
    for title in ALL_TITLES:
        assert (title in body) == (title in expected), title


def test_caseworker_sees_each_parts_audience_and_letter_links(anna, family, world):
    body = _client(anna).get(f"/planer/{world.plan.uuid}/").content.decode()
    assert f"/brev/{family.mother.uuid}/" in body and f"/brev/{family.father.uuid}/" in body
    assert "Kan ses af:" in body and "Bostøtten;" in body


def test_provider_page_shows_no_letters_or_audiences(gustav, family, world):
    body = _client(gustav).get(f"/planer/{world.plan.uuid}/").content.decode()
    assert "/brev/" not in body and "Kan ses af:" not in body and "Mette" not in body


def test_plan_page_refuses_another_department(carl, world):
    response = _client(carl).get(f"/planer/{world.plan.uuid}/")
    assert response.status_code == 403
    assert COMMON not in response.content.decode()


@pytest.mark.parametrize(("persona", "expected", "status"), [
    ("anna", ALL_TITLES, 200), ("gustav", {PROVIDERS}, 200), ("carl", set(), 403),
])
def test_api_returns_only_the_callers_parts(request, world, persona, expected, status):
    user = request.getfixturevalue(persona)
    response = _client(user).get(f"/api/v1/plans/{world.plan.uuid}")
    assert response.status_code == status
    if status == 200:
        assert {s["title"] for s in response.json()["sections"]} == expected
    else:
        assert response.json()["error"]["code"] == "access.denied"


def test_jobcenter_with_consent_through_api(dorte, anna, family, world):
    consent_for_jobcenter(family, anna)
    response = _client(dorte).get(f"/api/v1/plans/{world.plan.uuid}")
    assert {s["title"] for s in response.json()["sections"]} == {COMMON, JOBCENTER}


def test_unknown_plan_is_not_found(anna):
    response = _client(anna).get("/api/v1/plans/00000000-0000-0000-0000-000000000001")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "plans.not_found"


def test_reading_with_consent_does_not_let_the_jobcenter_write(dorte, anna, family, world):
    consent_for_jobcenter(family, anna)
    response = _client(dorte).post(f"/api/v1/plans/{world.plan.uuid}/sections",
                                   {"title": "Fra jobcentret", "audience": {"all_staff": True}},
                                   content_type="application/json")
    # The door itself refuses: consent opens reading, not writing.
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "access.denied"
    assert "læse, ikke til at ændre" in response.json()["error"]["message"]
