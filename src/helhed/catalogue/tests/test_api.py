"""The catalogue API: any member of staff reads it; nobody else does."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.usefixtures("kle_subset")
API = "/api/v1/catalogue"


@pytest.fixture
def as_anna(client: Client, anna) -> Client:
    client.force_login(anna)
    return client


def test_caseworker_looks_up_a_kle_subject(as_anna: Client) -> None:
    body = as_anna.get(f"{API}/kle/34.10.30").json()
    assert (body["level"], body["number"], body["title"]) == ("emne", "34.10.30", "Underretninger")
    assert body["retention"] == "B" and body["deletion_period"] == "P3650D"
    assert [p["number"] for p in body["parents"]] == ["34", "34.10"]
    assert any(r["paragraph"] == "§ 132-138" for r in body["references"])


def test_caseworker_looks_up_a_group_and_sees_its_subjects(as_anna: Client) -> None:
    body = as_anna.get(f"{API}/kle/34.10").json()
    assert body["level"] == "gruppe" and body["parents"][0]["number"] == "34"
    assert "34.10.30" in [c["number"] for c in body["children"]]


def test_an_unknown_kle_number_is_a_danish_error(as_anna: Client) -> None:
    response = as_anna.get(f"{API}/kle/27.24.03")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "kle.unknown"


def test_caseworker_searches_kle_without_danish_letters(as_anna: Client) -> None:
    found = [s["number"] for s in as_anna.get(f"{API}/kle", {"q": "boernefaglig"}).json()]
    assert "34.10.10" in found
    by_number = [s["number"] for s in as_anna.get(f"{API}/kle", {"q": "34.10"}).json()]
    assert by_number == ["34.10.00", "34.10.10", "34.10.30"]
    assert as_anna.get(f"{API}/kle", {"q": "x"}).json()["error"]["code"] == "search.too_short"


def test_caseworker_reads_legal_bases_with_deadlines(as_anna: Client) -> None:
    bases = {b["code"]: b for b in as_anna.get(f"{API}/legal-bases").json()}
    assert bases["bl-136"]["deadlines"][0] | {"amount": 24, "unit": "timer"} == (
        bases["bl-136"]["deadlines"][0])
    assert as_anna.get(f"{API}/legal-bases/bl-20").json()["kle_numbers"] == ["34.10.10"]
    missing = as_anna.get(f"{API}/legal-bases/nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "legal_basis.not_found"
    former = as_anna.get(f"{API}/former-paragraphs").json()
    assert {"former": "SEL § 50", "legal_basis": "bl-20"}.items() <= former[0].items() or any(
        f["former"] == "SEL § 50" and f["legal_basis"] == "bl-20" for f in former)


def test_caseworker_reads_data_needs_and_minutes(as_anna: Client) -> None:
    assert len(as_anna.get(f"{API}/data-needs").json()) == 43
    adults = as_anna.get(f"{API}/data-needs", {"paragraph": "SEL § 85"}).json()
    assert len(adults) == 21
    minutes = as_anna.get(f"{API}/data-needs/minutes", {"paragraph": "SEL § 85"}).json()
    assert {m["paragraph"] for m in minutes} == {"SEL § 85"}


def test_lists_take_a_fixed_number_of_queries(as_anna: Client, django_assert_max_num_queries
                                              ) -> None:
    as_anna.get(f"{API}/legal-bases")  # warm the session and staff lookups
    with django_assert_max_num_queries(6):
        assert as_anna.get(f"{API}/legal-bases").status_code == 200
    with django_assert_max_num_queries(6):
        assert as_anna.get(f"{API}/data-needs").status_code == 200


ROUTES = ["/kle/34.10.30", "/kle?q=underretning", "/legal-bases", "/legal-bases/bl-20",
          "/former-paragraphs", "/data-needs", "/data-needs/minutes"]


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_callers_get_401(route: str) -> None:
    response = Client().get(API + route)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.required"


@pytest.mark.parametrize("route", ROUTES)
def test_a_login_without_a_staff_record_gets_403(client: Client, outsider, route: str) -> None:
    client.force_login(outsider)
    response = client.get(API + route)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "access.denied"
