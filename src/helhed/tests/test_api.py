"""The HTTP API under /api/v1/: documented, logged in only, and every failure a stable
JSON error ``{"error": {"code", "message", "field"}}`` that changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client

from helhed.core.models import AccessLogEntry, OutboxEvent
from helhed.testing.personas import Family

pytestmark = pytest.mark.django_db

API = "/api/v1"


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert {"code", "message", "field"} <= set(error)
    assert error["message"] and isinstance(error["message"], str)
    return error


# --- the document ---------------------------------------------------------------------

def test_openapi_document_lists_the_routes_for_logged_in_staff(anna: User) -> None:
    response = client_for(anna).get(f"{API}/openapi.json")
    assert response.status_code == 200
    paths = set(response.json()["paths"])
    assert {f"{API}/people/citizens", f"{API}/people/citizens/{{citizen_id}}",
            f"{API}/people/citizens/{{citizen_id}}/family", f"{API}/organisation/me",
            f"{API}/core/outbox"} <= paths


@pytest.mark.parametrize("url", [f"{API}/openapi.json", f"{API}/docs"])
def test_openapi_document_and_docs_need_login(url: str) -> None:
    error = error_of(Client().get(url), 401)
    assert error["code"] == "auth.required"


# --- errors -----------------------------------------------------------------------------

@pytest.mark.parametrize(("q", "code"), [
    ("0102031235", "cpr.checksum"),
    ("3202031234", "cpr.date"),
    ("0102-0312", "search.cpr_length"),
    ("a", "search.too_short"),
    (" b ", "search.too_short"),
    ("x" * 101, "search.too_long"),
    ("-- ..", "search.no_words"),
])
def test_a_malformed_search_is_a_422_with_a_stable_code(anna: User, q: str,
                                                        code: str) -> None:
    error = error_of(client_for(anna).get(f"{API}/people/citizens", {"q": q}), 422)
    assert error["code"] == code
    assert error["field"] == "q"


def test_a_search_without_a_query_names_the_missing_field(anna: User) -> None:
    error = error_of(client_for(anna).get(f"{API}/people/citizens"), 422)
    assert error["code"] == "request.invalid" and error["field"] == "q"


def test_search_by_cpr_finds_the_citizen(anna: User, family: Family) -> None:
    response = client_for(anna).get(f"{API}/people/citizens", {"q": family.mother.cpr})
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "cpr" and [c["id"] for c in body["results"]] == [
        str(family.mother.uuid)]


@pytest.mark.parametrize("citizen_id", [str(uuid.uuid4()), "not-a-uuid", "1", "%20"])
def test_an_unknown_or_malformed_citizen_id_is_a_404(anna: User,
                                                     citizen_id: str) -> None:
    for suffix in ("", "/family"):
        error = error_of(client_for(anna).get(f"{API}/people/citizens/{citizen_id}{suffix}"),
                         404)
        assert error["code"] == "citizen.not_found"


@pytest.mark.parametrize("persona", ["gustav", "outsider"])
def test_staff_without_a_lookup_role_cannot_search(persona: str, family: Family,
                                                   request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    error = error_of(client_for(user).get(f"{API}/people/citizens", {"q": "Hansen"}), 403)
    assert error["code"] == "access.denied"
    assert "Hansen" not in error["message"]


def test_anonymous_calls_are_refused(family: Family) -> None:
    for url in (f"{API}/people/citizens?q=Hansen", f"{API}/people/citizens/{family.liva.uuid}",
                f"{API}/organisation/me"):
        error = error_of(Client().get(url), 401)
        assert error["code"] == "auth.required"


def test_a_wrong_method_is_a_405(anna: User) -> None:
    assert client_for(anna).delete(f"{API}/people/citizens").status_code == 405
    assert client_for(anna).post(f"{API}/people/citizens/{uuid.uuid4()}").status_code == 405


def test_a_body_that_is_not_json_is_a_400_with_a_stable_code(anna: User) -> None:
    response = client_for(anna).post(f"{API}/people/citizens", "{not json",
                                     content_type="application/json")
    assert error_of(response, 400)["code"] == "request.malformed"


def test_the_outbox_status_is_for_administrators_only(anna: User,
                                                      hanne: User) -> None:
    assert error_of(client_for(anna).get(f"{API}/core/outbox"), 403)["code"] == "access.denied"
    response = client_for(hanne).get(f"{API}/core/outbox")
    assert response.status_code == 200
    assert response.json()["exchange"] == "helhed.0999.events"


# --- reading ----------------------------------------------------------------------------

def test_family_shows_siblings_across_households(anna: User, family: Family) -> None:
    response = client_for(anna).get(f"{API}/people/citizens/{family.liva.uuid}/family")
    assert response.status_code == 200
    body = response.json()
    siblings = {s["citizen"]["first_name"]: s for s in body["siblings"]}
    assert set(siblings) == {"Noah", "Oskar"}
    assert siblings["Noah"]["relation"] == "Helsøskende" and siblings["Noah"]["same_household"]
    assert siblings["Oskar"]["relation"] == "Halvsøskende"
    assert not siblings["Oskar"]["same_household"]
    assert siblings["Oskar"]["address"]["id"] == str(family.fathers_home.uuid)
    assert {p["citizen"]["first_name"] for p in body["parents"]} == {"Mette", "Søren"}
    assert {c["holder"]["first_name"] for c in body["custody"]} == {"Mette", "Søren"}


def test_a_protected_citizens_address_is_withheld(anna: User, family: Family) -> None:
    family.partner.name_protected = True
    family.partner.save(update_fields=["name_protected"])
    client = client_for(anna)
    body = client.get(f"{API}/people/citizens/{family.partner.uuid}/family").json()
    assert body["address"] is None and body["address_withheld"] is True
    assert body["household"] == []
    oskar = body["children"][0]
    assert oskar["address"] is None and oskar["same_household"] is None
    error = error_of(client.get(f"{API}/people/citizens/{family.partner.uuid}/residences"), 403)
    assert error["code"] == "address.protected"
    assert "navne- og adressebeskyttelse" in error["message"]
    assert AccessLogEntry.objects.filter(actor=anna, subject=family.partner.uuid,
                                         category="beskyttet_adresse", allowed=False).count() == 2
    # Her son's family: she is there, without her address or their shared household.
    body = client.get(f"{API}/people/citizens/{family.half_brother.uuid}/family").json()
    assert body["address_withheld"] is False and body["address"] is not None
    pia = next(p for p in body["parents"] if p["citizen"]["id"] == str(family.partner.uuid))
    assert pia["address"] is None and pia["same_household"] is None
    assert pia["address_withheld"] is True
    # Unprotected: unchanged.
    assert client.get(f"{API}/people/citizens/{family.father.uuid}/residences").status_code == 200


def test_a_denied_read_is_logged_as_denied(gustav: User, family: Family) -> None:
    error = error_of(client_for(gustav).get(f"{API}/people/citizens/{family.liva.uuid}"), 404)
    assert error["code"] == "citizen.not_found"
    entry = AccessLogEntry.objects.get(actor=gustav)
    assert entry.subject == family.liva.uuid and entry.allowed is False


def test_an_allowed_read_is_logged_with_its_basis(anna: User, family: Family) -> None:
    response = client_for(anna).get(f"{API}/people/citizens/{family.liva.uuid}")
    assert response.status_code == 200 and response.json()["cpr"] == family.liva.cpr
    entry = AccessLogEntry.objects.get(actor=anna, subject=family.liva.uuid)
    assert entry.allowed and entry.basis.startswith("Rolle:")


# --- nothing changes --------------------------------------------------------------------

def snapshot() -> dict[str, int]:
    """Row counts of every table but the access log and the logins' sessions."""
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()
              if m is not AccessLogEntry and m._meta.label != "sessions.Session"}
    counts["events"] = OutboxEvent.objects.count()
    return counts


@pytest.fixture
def unchanged(family: Family) -> Iterator[None]:
    from helhed.people.models import Citizen

    before = snapshot(), list(Citizen.objects.order_by("pk").values_list("updated_at"))
    yield
    after = snapshot(), list(Citizen.objects.order_by("pk").values_list("updated_at"))
    assert after == before


def test_failed_calls_change_nothing(anna: User, gustav: User, family: Family,
                                     unchanged: None) -> None:
    calls = [
        (client_for(anna), "get", f"{API}/people/citizens", {"q": "0102031235"}),
        (client_for(anna), "get", f"{API}/people/citizens", {"q": "a"}),
        (client_for(anna), "get", f"{API}/people/citizens/{uuid.uuid4()}", {}),
        (client_for(anna), "post", f"{API}/people/citizens/{family.liva.uuid}", {}),
        (client_for(anna), "get", f"{API}/core/outbox", {}),
        (client_for(gustav), "get", f"{API}/people/citizens", {"q": "Hansen"}),
        (client_for(gustav), "get", f"{API}/people/citizens/{family.liva.uuid}/family", {}),
        (client_for(None), "get", f"{API}/people/citizens/{family.liva.uuid}", {}),
        (client_for(None), "post", f"{API}/people/citizens", {"q": "Hansen"}),
    ]
    for client, method, url, data in calls:
        response = getattr(client, method)(url, data)
        assert response.status_code >= 400, url
