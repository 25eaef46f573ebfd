"""Case metadata pushed in by another department's system (K5): the jobcenter's system pushes
a case through the API; it appears in the family overview with its source."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client

from helhed.core import tokens
from helhed.core.models import AccessLogEntry, OutboxEvent
from helhed.organisation.models import Role, StaffMember
from helhed.organisation.setup import ensure_municipality
from helhed.sharing.models import ExternalCase
from helhed.sharing.overview import family_overview
from helhed.testing.personas import Family

URL = "/api/v1/sharing/external-cases"


@pytest.fixture
def system_token(db: None) -> str:
    """The jobcenter's system: a service user with the jobcenter caseworker's role."""
    municipality = ensure_municipality("0999", "Helhed Kommune", "Region Demo")
    user = get_user_model().objects.create_user("jobcenter-system", first_name="Jobcenterets",
                                                last_name="fagsystem")
    staff = StaffMember.objects.create(user=user, municipality=municipality)
    staff.roles.add(Role.objects.get(code="sagsbehandler-job"))
    return tokens.issue_token(username="jobcenter-system", name="Momentum").secret


def push(token: str, body: dict[str, Any]) -> Any:
    return Client().post(URL, body, content_type="application/json",
                         headers={"Authorization": f"Bearer {token}"})


def body_for(family: Family, **changes: Any) -> dict[str, Any]:
    body = {
        "source_system": "KMD Momentum", "external_id": "SAG-4711",
        "citizen": str(family.father.uuid), "department": "jobcenter",
        "title": "Ressourceforløb", "state": "Aktiv", "responsible_name": "Jens Jensen",
        "responsible_contact": "tlf. 44556677", "kle": "15.00.05", "opened_on": "2026-03-01",
    }
    body.update(changes)
    return body


def events(kind: str) -> list[OutboxEvent]:
    return list(OutboxEvent.objects.filter(type=f"sharing.external_case.{kind}"))


def test_a_push_creates_the_case_and_the_overview_shows_it(
        system_token: str, family: Family, anna: User) -> None:
    response = push(system_token, body_for(family))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["created"] is True and data["category"] == "beskaeftigelse"
    stored = ExternalCase.objects.get()
    assert stored.citizen == family.father and stored.department.code == "jobcenter"
    [event] = events("received")
    assert event.citizen == family.father.uuid and event.object_id == str(stored.uuid)
    assert event.payload["source_system"] == "KMD Momentum"
    overview = family_overview(anna, family.liva.uuid)
    [pushed] = [i for i in overview.items if i.kind == "ekstern_sag"]
    assert pushed.title == "Ressourceforløb" and pushed.source == "KMD Momentum"
    assert not pushed.may_open and "Jens Jensen" in pushed.ask


def test_pushing_again_updates_and_the_same_push_changes_nothing(
        system_token: str, family: Family) -> None:
    assert push(system_token, body_for(family)).status_code == 201
    again = push(system_token, body_for(family))
    assert again.status_code == 200 and again.json()["created"] is False
    assert events("updated") == []
    closed = push(system_token, body_for(family, state="Afsluttet", closed_on="2026-06-30"))
    assert closed.status_code == 200
    [event] = events("updated")
    assert set(event.payload["changed"]) == {"state", "closed_on"}
    assert ExternalCase.objects.get().state == "Afsluttet"
    assert ExternalCase.objects.count() == 1


def test_the_citizen_may_be_named_by_cpr(system_token: str, family: Family) -> None:
    response = push(system_token, body_for(family, citizen=family.mother.cpr))
    assert response.status_code == 201, response.content
    assert ExternalCase.objects.get().citizen == family.mother


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"citizen": "00000000-0000-0000-0000-000000000000"}, "external_case.citizen_unknown",
     "citizen"),
    ({"citizen": "Søren"}, "external_case.citizen_unknown", "citizen"),
    ({"department": "bageriet"}, "external_case.department_unknown", "department"),
    ({"category": "ukendt"}, "external_case.category_unknown", "category"),
    ({"department": "ydelse", "category": None}, None, None),
    ({"opened_on": "2099-01-01"}, "date.far_future", "opened_on"),
    ({"opened_on": "1970-01-01"}, "date.before_birth", "opened_on"),
    ({"closed_on": "2026-01-01"}, "external_case.closed_before_opened", "closed_on"),
    ({"title": "   "}, "text.empty", "title"),
    ({"kle": "15-00"}, "external_case.kle", "kle"),
    ({"opened_on": "1. marts"}, "request.invalid", "opened_on"),
    ({"extra": 1}, "request.invalid", "extra"),
])
def test_bad_input_saves_nothing(system_token: str, family: Family, changes: dict[str, Any],
                                 code: str | None, field: str | None) -> None:
    response = push(system_token, body_for(family, **changes))
    if code is None:  # the benefits department's category is the default: fine
        assert response.status_code == 201
        return
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["field"] == field
    assert not ExternalCase.objects.exists() and not events("received")


def test_a_case_cannot_move_to_another_citizen(system_token: str, family: Family) -> None:
    assert push(system_token, body_for(family)).status_code == 201
    moved = push(system_token, body_for(family, citizen=str(family.mother.uuid)))
    assert moved.json()["error"]["code"] == "external_case.citizen_changed"
    assert ExternalCase.objects.get().citizen == family.father and not events("updated")


def test_a_hidden_category_needs_a_basis_to_push(system_token: str, family: Family) -> None:
    response = push(system_token, body_for(family, category="misbrug"))
    assert response.status_code == 403
    assert not ExternalCase.objects.exists()
    assert AccessLogEntry.objects.filter(subject=family.father.uuid, action="write",
                                         allowed=False).exists()


@pytest.mark.parametrize("who", ["gustav", "outsider", "ivan"])
def test_providers_and_others_may_not_push(
        family: Family, who: str, request: pytest.FixtureRequest) -> None:
    actor: User = request.getfixturevalue(who)
    client = Client()
    client.force_login(actor)
    body = body_for(family)
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 403
    assert not ExternalCase.objects.exists() and not events("received")


def test_a_caseworker_pushes_from_the_page_session_with_csrf(
        family: Family, dorte: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(dorte)
    refused = client.post(URL, body_for(family), content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "auth.csrf"
    assert not ExternalCase.objects.exists()


def test_anonymous_may_not_push(family: Family) -> None:
    response = Client().post(URL, body_for(family), content_type="application/json")
    assert response.status_code == 401
    assert not ExternalCase.objects.exists()
