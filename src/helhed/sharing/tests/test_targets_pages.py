"""Target-group search through the page, the CSV link and the API: the same basis, the
same refusals (logged), nothing leaks to those without a basis."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from helhed.core import clock
from helhed.core.models import AccessLogEntry
from helhed.sharing.tests.targets_helpers import (
    active_grant,
    logged_in,
    make_koordinator,
    open_case,
)
from helhed.web.tests.helpers import assert_danish_and_labelled

pytestmark = pytest.mark.django_db

QUERY = "departments=boernesocial&departments=voksensocial&departments=jobcenter" \
        "&min_departments=2"
API = "/api/v1/sharing/targets"


@pytest.fixture(autouse=True)
def _today():
    clock.freeze(dt.datetime(2027, 3, 15, 10, 0, tzinfo=dt.UTC))


@pytest.fixture
def kirsten(db):
    return make_koordinator()


@pytest.fixture
def matches(family):
    open_case(family.father, "voksensocial")
    active_grant(family.father, "jobcenter")
    open_case(family.partner, "misbrugscenter")  # hides existence: never shown
    open_case(family.partner, "voksensocial")
    return family


def test_the_page_offers_the_search_with_the_basis_on_top(kirsten, matches):
    response = logged_in(kirsten).get(reverse("target-search"))
    assert response.status_code == 200
    assert_danish_and_labelled(response)
    html = response.content.decode()
    assert "Retssikkerhedsloven § 12 b" in html
    assert 'id="departments-jobcenter"' in html and "Misbrugscenter" not in html
    assert "750683" not in html  # nothing searched yet
    assert not AccessLogEntry.objects.exists()


def test_the_page_shows_the_result_counts_and_the_csv_link(kirsten, matches):
    response = logged_in(kirsten).get(reverse("target-search") + "?" + QUERY)
    assert response.status_code == 200
    assert_danish_and_labelled(response)
    html = response.content.decode()
    assert "Søren Ærø" in html and "750683-4001" in html
    assert "Pia Poulsen" not in html and "Misbrugscenter" not in html
    assert 'id="target-counts"' in html
    assert reverse("target-search-csv") + "?" + QUERY.replace("&", "&amp;") in html
    assert "Eksportér CSV" in html
    assert AccessLogEntry.objects.filter(action="search").count() == 2


def test_the_leader_may_use_the_page(frida, matches):
    response = logged_in(frida).get(reverse("target-search") + "?" + QUERY)
    assert response.status_code == 200 and "Søren Ærø" in response.content.decode()


def test_bad_criteria_are_shown_next_to_the_field(kirsten, matches):
    response = logged_in(kirsten).get(
        reverse("target-search") + "?departments=jobcenter&min_departments=to")
    assert response.status_code == 400
    page = assert_danish_and_labelled(response)
    html = response.content.decode()
    assert 'id="min_departments-error"' in html and "Skriv et helt tal." in html
    assert page.title.startswith("Fejl:")
    assert not AccessLogEntry.objects.exists()


def test_the_csv_link_downloads_a_file_excel_reads(kirsten, matches):
    response = logged_in(kirsten).get(reverse("target-search-csv") + "?" + QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="maalgruppe-2027-03-15.csv"')
    text = response.content.decode("utf-8-sig")
    assert text.startswith("Navn;CPR-nummer;Alder;Distrikt;")
    assert "Søren Ærø;750683-4001;43;Nord;" in text
    assert AccessLogEntry.objects.filter(action="export").count() == 2


def test_a_caseworker_is_refused_on_the_page_in_danish_and_it_is_logged(anna, matches):
    response = logged_in(anna).get(reverse("target-search") + "?" + QUERY)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Du har ikke hjemmel til målgruppesøgning" in html
    assert "Søren" not in html
    entry = AccessLogEntry.objects.get()
    assert (entry.allowed, entry.action, entry.subject) == (False, "search", None)


@pytest.mark.parametrize("who", ["anna", "gustav", "outsider"])
def test_those_without_a_basis_get_nothing_from_page_csv_or_api(who, request, matches):
    client = logged_in(request.getfixturevalue(who))
    for url in (reverse("target-search") + "?" + QUERY, reverse("target-search"),
                reverse("target-search-csv") + "?" + QUERY, f"{API}?{QUERY}",
                f"{API}.csv?{QUERY}"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "750683" not in response.content.decode("utf-8", "replace"), url
    assert not AccessLogEntry.objects.filter(allowed=True).exists()
    assert AccessLogEntry.objects.filter(allowed=False, action="search").count() == 5


def test_anonymous_callers_are_sent_to_login_or_get_401(matches):
    client = logged_in(None)
    page = client.get(reverse("target-search") + "?" + QUERY)
    assert page.status_code == 302 and "/login/" in page["Location"]
    csv = client.get(reverse("target-search-csv") + "?" + QUERY)
    assert csv.status_code == 302
    for url in (f"{API}?{QUERY}", f"{API}.csv?{QUERY}"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "auth.required"


def test_the_api_answers_with_basis_counts_and_metadata(kirsten, matches):
    response = logged_in(kirsten).get(f"{API}?{QUERY}")
    assert response.status_code == 200
    body = response.json()
    assert body["basis"].startswith("Retssikkerhedsloven § 12 b: ")
    assert body["basis_code"] == "maalgruppe-helhedsorienteret"
    assert body["total"] == 1 and body["more"] is False
    assert [r["name"] for r in body["rows"]] == ["Søren Ærø"]
    row = body["rows"][0]
    assert set(row) == {"id", "name", "cpr", "age", "district", "departments"}
    assert sorted(row["departments"]) == ["jobcenter", "voksensocial"]
    counts = {c["code"]: c["citizens"] for c in body["counts"]}
    assert counts["jobcenter"] == 1 and "misbrugscenter" not in counts


def test_the_api_refuses_bad_criteria_with_a_stable_code(kirsten, matches):
    client = logged_in(kirsten)
    response = client.get(f"{API}?departments=misbrugscenter&min_departments=1")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "sharing.targets.department"
    assert error["field"] == "departments"
    refused = client.get(f"{API}")
    assert refused.json()["error"]["code"] == "sharing.targets.no_criterion"
    assert not AccessLogEntry.objects.exists()


def test_the_api_csv(kirsten, matches):
    response = logged_in(kirsten).get(f"{API}.csv?{QUERY}&family=false")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "Søren Ærø;750683-4001" in response.content.decode("utf-8-sig")
