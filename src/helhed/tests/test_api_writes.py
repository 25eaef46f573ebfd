"""Changing people's data through the API: every refusal is a stable JSON error that
changes nothing (no row, no event; only the access log notes a refusal), and every change
emits exactly one event per thing changed, naming the citizen by UUID and nobody by name."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client

from helhed.core.models import AccessLogEntry, OutboxEvent
from helhed.people.models import Citizen, Residence
from helhed.testing.personas import Family, make_address
from helhed.tests.test_anonymous import secrets_of

pytestmark = pytest.mark.django_db

API = "/api/v1/people"
NEW_CPR = "7403114000"  # synthetic (day + 60): 14 March 2011, a girl


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, but the access log, the sessions and when a token was
    last used."""
    rows = {}
    for model in apps.get_models():
        if model is AccessLogEntry or model._meta.label == "sessions.Session":
            continue
        values = model._default_manager.order_by("pk").values()
        rows[model._meta.label] = [{k: v for k, v in row.items() if k != "last_used_at"}
                                   for row in values]
    return rows


def call(client: Client, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, body, content_type="application/json")


def refused(client: Client, method: str, url: str, body: Any, status: int, code: str,
            field: str | None = "") -> dict[str, Any]:
    """The call fails with ``code`` and changes nothing."""
    before = snapshot()
    response = call(client, method, url, body)
    assert response.status_code == status, response.content
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code, error
    assert error["message"] and set(error) >= {"code", "message", "field"}
    if field != "":
        assert error["field"] == field, error
    assert snapshot() == before, f"{method.upper()} {url} changed something"
    return error


def changed(client: Client, method: str, url: str, body: Any, status: int,
            secrets: list[str]) -> tuple[Any, list[OutboxEvent]]:
    """The call succeeds; returns its body and the events it emitted, none of which carry
    a name, a CPR number or an address line."""
    since = OutboxEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = call(client, method, url, body)
    assert response.status_code == status, response.content
    events = list(OutboxEvent.objects.filter(seq__gt=since).order_by("seq"))
    for event in events:
        text = str(event.envelope())
        assert not [s for s in secrets if s in text], event.type
    return response.json(), events


# --- registering ------------------------------------------------------------------------------

def test_registering_a_citizen_with_an_address(anna: User, family: Family) -> None:
    home = make_address("Havnegade", "7")
    body, events = changed(client_for(anna), "post", f"{API}/citizens", {
        "cpr": "740311-4000", "first_name": "Ida", "middle_name": "Marie", "last_name": "Holm",
        "address_id": str(home.uuid), "moved_in": "2020-01-01"}, 201,
        [*secrets_of(family), "Ida", "Holm", NEW_CPR, "Havnegade"])
    assert body["cpr"] == NEW_CPR and body["name"] == "Ida Marie Holm"
    assert body["birth_date"] == "2011-03-14" and body["sex"] == "K"
    assert [(e.type, str(e.citizen)) for e in events] == [
        ("people.citizen.registered", body["id"]), ("people.residence.changed", body["id"])]
    history = client_for(anna).get(f"{API}/citizens/{body['id']}/residences").json()
    assert [(r["address"]["id"], r["valid_from"]) for r in history] == [
        (str(home.uuid), "2020-01-01")]


REGISTER_REFUSALS = {
    "bad checksum": ({"cpr": "0102031235"}, "cpr.checksum", "cpr"),
    "not a date": ({"cpr": "3202031234"}, "cpr.date", "cpr"),
    "born in the future": ({"cpr": "6505405003"}, "cpr.future", "cpr"),
    "exists": ({"cpr": "6402165004"}, "citizen.exists", "cpr"),
    "empty first name": ({"first_name": "  "}, "name.empty", "first_name"),
    "long last name": ({"last_name": "x" * 101}, "name.too_long", "last_name"),
    "digits in a name": ({"middle_name": "R2"}, "name.characters", "middle_name"),
    "missing last name": ({"last_name": None}, "request.invalid", "last_name"),
    "unknown address": ({"address_id": str(uuid.uuid4())}, "address.unknown", "address_id"),
    "malformed address id": ({"address_id": "Rosenvej 12"}, "request.invalid", "address_id"),
    "moved in far ahead": ({"moved_in": "2999-01-01"}, "date.far_future", "moved_in"),
    "moved in before birth": ({"moved_in": "2010-01-01"}, "date.before_birth", "moved_in"),
    "not a date at all": ({"moved_in": "i morgen"}, "request.invalid", "moved_in"),
    "moved in nowhere": ({"address_id": None, "moved_in": "2020-01-01"},
                         "residence.address_missing", "address_id"),
    "unknown field": ({"firstname": "Ida"}, "request.invalid", "firstname"),
}


@pytest.mark.parametrize(("change", "code", "field"), REGISTER_REFUSALS.values(),
                         ids=REGISTER_REFUSALS.keys())
def test_a_bad_registration_is_refused_and_changes_nothing(
    anna: User, family: Family, change: dict[str, Any], code: str, field: str,
) -> None:
    body = {"cpr": NEW_CPR, "first_name": "Ida", "last_name": "Holm",
            "address_id": str(family.mothers_home.uuid), **change}
    body = {k: v for k, v in body.items() if v is not None}
    refused(client_for(anna), "post", f"{API}/citizens", body, 422, code, field)


def test_staff_without_a_basis_cannot_register_and_the_refusal_is_logged(
    gustav: User, family: Family,
) -> None:
    refused(client_for(gustav), "post", f"{API}/citizens",
            {"cpr": NEW_CPR, "first_name": "Ida", "last_name": "Holm"}, 403, "access.denied")
    entry = AccessLogEntry.objects.get(actor=gustav)
    assert entry.action == "write" and entry.allowed is False


# --- moving -----------------------------------------------------------------------------------

def test_a_move_closes_the_old_residence_and_is_one_event(anna: User, family: Family) -> None:
    new_home = make_address("Havnegade", "7")
    body, events = changed(client_for(anna), "post",
                           f"{API}/citizens/{family.father.uuid}/moves",
                           {"address_id": str(new_home.uuid), "moved_on": "2024-03-01"}, 201,
                           secrets_of(family))
    assert body["address"]["id"] == str(new_home.uuid) and body["valid_to"] is None
    assert [(e.type, e.citizen) for e in events] == [("people.residence.changed",
                                                      family.father.uuid)]
    history = client_for(anna).get(f"{API}/citizens/{family.father.uuid}/residences").json()
    assert [(h["address"]["id"], h["valid_from"], h["valid_to"]) for h in history] == [
        (str(new_home.uuid), "2024-03-01", None),
        (str(family.fathers_home.uuid), "2019-05-01", "2024-03-01")]


@pytest.mark.parametrize(("moved_on", "address", "code", "field"), [
    ("2019-05-01", "new", "residence.date", "moved_on"),
    ("2018-01-01", "new", "residence.date", "moved_on"),
    ("2024-03-01", "same", "residence.same_address", "address_id"),
    ("2024-03-01", "unknown", "address.unknown", "address_id"),
    ("1979-01-01", "new", "date.before_birth", "moved_on"),
    ("2999-01-01", "new", "date.far_future", "moved_on"),
])
def test_a_bad_move_is_refused_and_changes_nothing(
    anna: User, family: Family, moved_on: str, address: str, code: str, field: str,
) -> None:
    target = {"new": make_address("Havnegade", "7").uuid, "same": family.fathers_home.uuid,
              "unknown": uuid.uuid4()}[address]
    refused(client_for(anna), "post", f"{API}/citizens/{family.father.uuid}/moves",
            {"address_id": str(target), "moved_on": moved_on}, 422, code, field)


@pytest.mark.parametrize("persona", ["gustav", "outsider"])
def test_staff_without_a_basis_get_not_found_for_writes(
    persona: str, family: Family, request: pytest.FixtureRequest,
) -> None:
    client = client_for(request.getfixturevalue(persona))
    liva = family.liva.uuid
    for method, url, body in [
        ("post", f"{API}/citizens/{liva}/moves",
         {"address_id": str(family.fathers_home.uuid), "moved_on": "2024-03-01"}),
        ("put", f"{API}/citizens/{liva}/custody",
         {"holder_ids": [str(family.mother.uuid)], "valid_from": "2024-01-01"}),
        ("put", f"{API}/citizens/{liva}/contact-details", {"preferred_channel": "brev"}),
        ("put", f"{API}/citizens/{liva}/contact-arrangements/{family.father.uuid}",
         {"schedule": "Hver weekend", "valid_from": "2024-06-01"}),
        ("post", f"{API}/citizens/{liva}/guardianships",
         {"guardian_name": "Advokat Jensen", "scope": "begge", "valid_from": "2024-01-01"}),
    ]:
        refused(client, method, url, body, 404, "citizen.not_found")
    for suffix in ("residences", "contact-details", "contact-arrangements", "guardianships"):
        response = client.get(f"{API}/citizens/{liva}/{suffix}")
        assert response.status_code == 404 and "Liva" not in response.content.decode()


# --- custody ----------------------------------------------------------------------------------

def test_custody_changes_once_and_the_same_custody_again_changes_nothing(
    anna: User, family: Family,
) -> None:
    url = f"{API}/citizens/{family.liva.uuid}/custody"
    put = {"holder_ids": [str(family.mother.uuid)], "valid_from": "2024-01-01",
           "basis": "Aftale i Familieretshuset"}
    body, events = changed(client_for(anna), "put", url, put, 200, secrets_of(family))
    assert [c["holder"]["id"] for c in body] == [str(family.mother.uuid)]
    assert [(e.type, e.citizen) for e in events] == [("people.custody.changed",
                                                      family.liva.uuid)]
    assert events[0].payload == {"holders": [str(family.mother.uuid)],
                                 "valid_from": "2024-01-01"}
    _, again = changed(client_for(anna), "put", url, put, 200, secrets_of(family))
    assert again == []
    family_view = client_for(anna).get(f"{API}/citizens/{family.liva.uuid}/family").json()
    assert len(family_view["custody"]) == 1 and len(family_view["custody_history"]) == 2


@pytest.mark.parametrize(("holders", "valid_from", "code"), [
    (["partner"], "2024-01-01", "custody.not_parent"),
    (["liva"], "2024-01-01", "custody.self"),
    (["mother", "mother"], "2024-01-01", "custody.duplicate"),
    (["mother", "father", "partner"], "2024-01-01", "custody.holders"),
    ([], "2024-01-01", "custody.holders"),
    (["unknown"], "2024-01-01", "citizen.reference_unknown"),
    (["mother"], "2016-02-04", "custody.date"),
    (["mother"], "2015-01-01", "date.before_birth"),
    (["mother"], "2999-01-01", "date.far_future"),
])
def test_bad_custody_is_refused_and_changes_nothing(
    anna: User, family: Family, holders: list[str], valid_from: str, code: str,
) -> None:
    people = {"mother": family.mother.uuid, "father": family.father.uuid,
              "partner": family.partner.uuid, "liva": family.liva.uuid,
              "unknown": uuid.uuid4()}
    field = "valid_from" if code.endswith(("date", "birth", "future")) else "holder_ids"
    refused(client_for(anna), "put", f"{API}/citizens/{family.liva.uuid}/custody",
            {"holder_ids": [str(people[h]) for h in holders], "valid_from": valid_from},
            422, code, field)


def test_custody_of_an_adult_is_refused(anna: User, family: Family) -> None:
    refused(client_for(anna), "put", f"{API}/citizens/{family.mother.uuid}/custody",
            {"holder_ids": [str(family.father.uuid)], "valid_from": "2024-01-01"}, 422,
            "custody.adult", "valid_from")


# --- contact details --------------------------------------------------------------------------

def test_new_contact_details_keep_the_old_as_history(anna: User, family: Family) -> None:
    url = f"{API}/citizens/{family.mother.uuid}/contact-details"
    put = {"phone": "+45 11 22 33 44", "email": "mette.hansen@example.org",
           "preferred_channel": "email"}
    body, events = changed(client_for(anna), "put", url, put, 200,
                           [*secrets_of(family), "11223344", "mette.hansen@example.org"])
    assert body["phone"] == "+4511223344" and body["valid_to"] is None
    assert [(e.type, e.citizen, e.payload) for e in events] == [
        ("people.contact_details.changed", family.mother.uuid, {"preferred_channel": "email"})]
    _, again = changed(client_for(anna), "put", url, put, 200, [])
    assert again == []
    shown = client_for(anna).get(url).json()
    assert shown["current"]["email"] == "mette.hansen@example.org"
    assert [h["phone"] for h in shown["history"]] == ["20304050"]
    assert shown["history"][0]["valid_to"] is not None


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"phone": "12ab5678"}, "contact.phone", "phone"),
    ({"phone": "1234567"}, "contact.phone", "phone"),
    ({"email": "mette@"}, "contact.email", "email"),
    ({"email": "mette example.org"}, "contact.email", "email"),
    ({"preferred_channel": "fax"}, "contact.channel", "preferred_channel"),
    ({"preferred_channel": "sms", "phone": ""}, "contact.channel_needs_phone", "phone"),
    ({"preferred_channel": "email", "email": ""}, "contact.channel_needs_email", "email"),
    ({"preferred_channel": "digital_post", "exempt_from_digital_post": True},
     "contact.exempt_digital_post", "preferred_channel"),
    ({"note": "x" * 301}, "text.too_long", "note"),
    ({"exempt_from_digital_post": "måske"}, "request.invalid", "exempt_from_digital_post"),
])
def test_bad_contact_details_are_refused_and_change_nothing(
    anna: User, family: Family, change: dict[str, Any], code: str, field: str,
) -> None:
    body = {"phone": "20304050", "email": "", "preferred_channel": "sms", **change}
    refused(client_for(anna), "put", f"{API}/citizens/{family.mother.uuid}/contact-details",
            body, 422, code, field)


# --- addresses --------------------------------------------------------------------------------

ADDRESS = {"street": "Havnegade", "house_number": "7b", "floor": "2", "door": "TH",
           "postcode": "9999", "city": "Helhedby", "municipality_code": "0999"}


def test_creating_an_address_twice_gives_the_same_address_and_one_event(anna: User) -> None:
    body, events = changed(client_for(anna), "post", f"{API}/addresses", ADDRESS, 201, [])
    assert body["text"] == "Havnegade 7B, 2., th, 9999 Helhedby"
    assert [(e.type, e.object_id, e.citizen) for e in events] == [
        ("people.address.created", body["id"], None)]
    again, more = changed(client_for(anna), "post", f"{API}/addresses", ADDRESS, 200, [])
    assert again["id"] == body["id"] and more == []


@pytest.mark.parametrize(("change", "code"), [
    ({"postcode": "999"}, "address.postcode"),
    ({"postcode": "99999"}, "address.postcode"),
    ({"postcode": "9a99"}, "address.postcode"),
    ({"municipality_code": "751"}, "address.municipality_code"),
    ({"municipality_code": "07511"}, "address.municipality_code"),
    ({"house_number": "0"}, "address.house_number"),
    ({"house_number": "12-14"}, "address.house_number"),
    ({"street": " "}, "text.empty"),
    ({"city": "x" * 61}, "text.too_long"),
])
def test_a_bad_address_is_refused_and_changes_nothing(anna: User, change: dict[str, str],
                                                     code: str) -> None:
    refused(client_for(anna), "post", f"{API}/addresses", {**ADDRESS, **change}, 422, code,
            next(iter(change)))


def test_staff_without_a_basis_cannot_create_addresses(gustav: User) -> None:
    refused(client_for(gustav), "post", f"{API}/addresses", ADDRESS, 403, "access.denied")


# --- contact arrangements ---------------------------------------------------------------------

def test_a_contact_arrangement_replaces_the_current_one(anna: User, family: Family) -> None:
    url = f"{API}/citizens/{family.noah.uuid}/contact-arrangements/{family.father.uuid}"
    put = {"schedule": "Hver weekend og halvdelen af ferierne", "valid_from": "2024-06-01",
           "decided_by": "Familieretshuset"}
    body, events = changed(client_for(anna), "put", url, put, 200,
                           [*secrets_of(family), "Hver weekend"])
    assert body["parent"]["id"] == str(family.father.uuid) and body["valid_to"] is None
    assert [(e.type, e.citizen) for e in events] == [("people.contact_arrangement.changed",
                                                      family.noah.uuid)]
    _, again = changed(client_for(anna), "put", url, put, 200, [])
    assert again == []
    listed = client_for(anna).get(f"{API}/citizens/{family.noah.uuid}/contact-arrangements")
    assert [(a["schedule"][:12], a["valid_to"]) for a in listed.json()] == [
        ("Hver weekend", None), ("Hver anden w", "2024-06-01")]


@pytest.mark.parametrize(("parent", "change", "code", "field"), [
    ("partner", {}, "contact_arrangement.not_parent", "parent_id"),
    ("noah", {}, "contact_arrangement.not_parent", "parent_id"),
    ("unknown", {}, "citizen.reference_unknown", "parent_id"),
    ("father", {"schedule": ""}, "text.empty", "schedule"),
    ("father", {"valid_from": "2018-01-01"}, "contact_arrangement.date", "valid_from"),
    ("father", {"valid_from": "2015-01-01"}, "date.before_birth", "valid_from"),
    ("father", {"valid_from": "2999-05-01"}, "date.far_future", "valid_from"),
])
def test_a_bad_contact_arrangement_is_refused_and_changes_nothing(
    anna: User, family: Family, parent: str, change: dict[str, str], code: str, field: str,
) -> None:
    ids = {"father": family.father.uuid, "partner": family.partner.uuid,
           "noah": family.noah.uuid, "unknown": uuid.uuid4()}
    body = {"schedule": "Hver weekend", "valid_from": "2024-06-01", **change}
    refused(client_for(anna), "put",
            f"{API}/citizens/{family.liva.uuid}/contact-arrangements/{ids[parent]}",
            body, 422, code, field)


# --- guardianship -----------------------------------------------------------------------------

def test_a_guardian_is_appointed_and_the_guardianship_ended(anna: User, family: Family) -> None:
    url = f"{API}/citizens/{family.mother.uuid}/guardianships"
    body, events = changed(client_for(anna), "post", url, {
        "guardian_id": str(family.partner.uuid), "scope": "oekonomiske",
        "valid_from": "2024-01-01"}, 201, secrets_of(family))
    assert body["guardian"]["id"] == str(family.partner.uuid) and body["valid_to"] is None
    assert [(e.type, e.citizen, e.payload["guardian"]) for e in events] == [
        ("people.guardianship.appointed", family.mother.uuid, str(family.partner.uuid))]
    ended, events = changed(client_for(anna), "post", f"{url}/{body['id']}/end",
                            {"valid_to": "2024-12-31"}, 200, secrets_of(family))
    assert ended["valid_to"] == "2024-12-31"
    assert [e.type for e in events] == ["people.guardianship.ended"]
    refused(client_for(anna), "post", f"{url}/{body['id']}/end", {"valid_to": "2025-01-31"},
            422, "guardianship.already_ended")
    listed = client_for(anna).get(url).json()
    assert [g["valid_to"] for g in listed] == ["2024-12-31"]


def test_a_guardian_named_outside_helhed_is_not_named_in_the_event(anna: User,
                                                                   family: Family) -> None:
    _, events = changed(client_for(anna), "post",
                        f"{API}/citizens/{family.mother.uuid}/guardianships",
                        {"guardian_name": "Advokat Birte Jensen", "scope": "begge",
                         "valid_from": "2024-01-01"}, 201, [*secrets_of(family), "Jensen"])
    assert events[0].payload["guardian"] is None


@pytest.mark.parametrize(("body", "code", "field"), [
    ({}, "guardianship.guardian", "guardian_id"),
    ({"guardian_id": "partner", "guardian_name": "Advokat Jensen"}, "guardianship.guardian",
     "guardian_id"),
    ({"guardian_id": "mother"}, "guardianship.self", "guardian_id"),
    ({"guardian_id": "noah"}, "guardianship.guardian_minor", "guardian_id"),
    ({"guardian_id": "unknown"}, "citizen.reference_unknown", "guardian_id"),
    ({"guardian_id": "partner", "scope": "alt"}, "guardianship.scope", "scope"),
    ({"guardian_id": "partner", "valid_from": "2999-01-01"}, "date.far_future", "valid_from"),
    ({"guardian_id": "partner", "valid_from": "1984-01-01"}, "date.before_birth",
     "valid_from"),
])
def test_a_bad_appointment_is_refused_and_changes_nothing(
    anna: User, family: Family, body: dict[str, str], code: str, field: str,
) -> None:
    ids = {"partner": family.partner.uuid, "mother": family.mother.uuid,
           "noah": family.noah.uuid, "unknown": uuid.uuid4()}
    if "guardian_id" in body:
        body = {**body, "guardian_id": str(ids[body["guardian_id"]])}
    body = {"scope": "begge", "valid_from": "2024-01-01", **body}
    refused(client_for(anna), "post", f"{API}/citizens/{family.mother.uuid}/guardianships",
            body, 422, code, field)


def test_the_same_guardian_twice_and_bad_endings_are_refused(anna: User,
                                                            family: Family) -> None:
    url = f"{API}/citizens/{family.mother.uuid}/guardianships"
    appoint = {"guardian_id": str(family.partner.uuid), "scope": "begge",
               "valid_from": "2024-01-01"}
    body, _ = changed(client_for(anna), "post", url, appoint, 201, [])
    refused(client_for(anna), "post", url, appoint, 422, "guardianship.exists", "guardian_id")
    refused(client_for(anna), "post", f"{url}/{body['id']}/end", {"valid_to": "2023-12-31"},
            422, "guardianship.date", "valid_to")
    refused(client_for(anna), "post", f"{url}/{body['id'] + 1000}/end",
            {"valid_to": "2024-12-31"}, 404, "guardianship.not_found")
    other = f"{API}/citizens/{family.father.uuid}/guardianships/{body['id']}/end"
    refused(client_for(anna), "post", other, {"valid_to": "2024-12-31"}, 404,
            "guardianship.not_found")


# --- the document -----------------------------------------------------------------------------

def test_the_openapi_document_lists_the_write_routes(anna: User) -> None:
    paths = client_for(anna).get("/api/v1/openapi.json").json()["paths"]
    assert {"post", "get"} <= set(paths[f"{API}/citizens"])
    assert "put" in paths[f"{API}/citizens/{{citizen_id}}/custody"]
    assert "post" in paths[f"{API}/addresses"]


def test_nothing_personal_is_written_by_a_failed_registration_of_an_existing_citizen(
    anna: User, family: Family,
) -> None:
    before = Citizen.objects.count(), Residence.objects.count()
    refused(client_for(anna), "post", f"{API}/citizens", {
        "cpr": family.liva.cpr, "first_name": "Liva", "last_name": "Ærø Hansen",
        "address_id": str(family.fathers_home.uuid)}, 422, "citizen.exists", "cpr")
    assert (Citizen.objects.count(), Residence.objects.count()) == before
