"""The information request pages and API through Django's test client: what the caseworker
and the school see and can do, and what others get."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from helhed.assessment import services
from helhed.assessment.models import InformationRequest
from helhed.assessment.tests.helpers import (
    SCHOOL_ABSENCE,
    make_consent,
    make_school_staff,
    make_unit,
    need,
    open_case,
    rows,
)
from helhed.cases.tests.documents_helpers import pdf
from helhed.core import clock
from helhed.web.tests.helpers import assert_danish_and_labelled

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(NOW)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def school(db):
    return make_unit("Helhed Skole")


@pytest.fixture
def teacher(school):
    return make_school_staff("sofie", school)


@pytest.fixture
def case(anna, family):
    return open_case(anna, family.liva)


@pytest.fixture
def consent(anna, family):
    return make_consent(family.liva, [family.mother, family.father], anna)


@pytest.fixture
def sent(anna, case, consent, school):
    return services.request_information(
        anna, case.uuid, data_need_id=need(SCHOOL_ABSENCE).pk, recipient_kind="skole",
        recipient_unit_id=school.pk, purpose="Mor fortæller om meget fravær.",
        consent_uuid=consent.uuid, period_from=dt.date(2024, 11, 1),
        period_to=dt.date(2025, 2, 28), deadline=dt.date(2025, 3, 24))


def error_next_to(html: str, field: str) -> str:
    match = re.search(rf'id="{field}-error"[^>]*><span class="sr-only">[^<]*</span>(.*?)</span>',
                      html, re.S)
    assert match, f"no error next to {field}"
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_the_request_form_lists_needs_consents_and_rules(anna, case, consent, school) -> None:
    response = client_for(anna).get(reverse("request-new", args=[case.uuid]))
    assert response.status_code == 200
    assert_danish_and_labelled(response)
    html = response.content.decode()
    assert "SEL § 50" in html and "SEL § 85" in html
    assert "Fravær fra skole/andre uddannelser" in html
    assert need(SCHOOL_ABSENCE).purpose[:40] in html  # the purpose is shown
    assert "Samtykke fra Mette Hansen og Søren Ærø" in html
    assert "Barnets lov § 20" in html  # the rule and its text
    assert "Helhed Skole" in html


def test_sending_a_request_from_the_form(anna, case, consent, school) -> None:
    response = client_for(anna).post(reverse("request-new", args=[case.uuid]), {
        "data_need": need(SCHOOL_ABSENCE).pk, "recipient_kind": "skole",
        "recipient_unit": school.pk, "purpose": "", "basis": f"samtykke:{consent.uuid}",
        "period_from": "2024-11-01", "period_to": "2025-02-28", "deadline": "2025-03-24"})
    made = InformationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("request-detail", args=[made.uuid])
    assert made.purpose == need(SCHOOL_ABSENCE).purpose  # the catalogue's by default
    page = client_for(anna).get(response["Location"])
    assert "Helhed Skole" in page.content.decode()
    assert_danish_and_labelled(page)


def test_a_form_without_basis_shows_the_error_by_the_field(anna, case, school) -> None:
    before = rows()
    response = client_for(anna).post(reverse("request-new", args=[case.uuid]), {
        "data_need": need(SCHOOL_ABSENCE).pk, "recipient_kind": "skole",
        "recipient_unit": school.pk, "period_from": "2024-11-01",
        "period_to": "2025-02-28", "deadline": "2025-03-24"})
    assert response.status_code == 400
    assert "Vælg grundlaget" in error_next_to(response.content.decode(), "basis")
    assert rows() == before


def test_the_form_is_not_for_others(carl, teacher, case) -> None:
    for user in (carl, teacher):
        assert client_for(user).get(reverse("request-new", args=[case.uuid])).status_code == 403


def test_the_school_answers_in_its_inbox(anna, teacher, sent, case) -> None:
    school = client_for(teacher)
    inbox = school.get(reverse("requests-inbox"))
    assert inbox.status_code == 200
    assert_danish_and_labelled(inbox)
    html = inbox.content.decode()
    assert "Liva Ærø Hansen" in html and "640216-5004" in html
    assert case.number not in html and case.title not in html

    page = school.get(reverse("request-answer", args=[sent.uuid]))
    assert_danish_and_labelled(page)
    html = page.content.decode()
    assert "Mor fortæller om meget fravær." in html
    assert case.number not in html and case.title not in html
    assert 'name="percent-2024-11"' in html and 'name="percent-2025-02"' in html
    assert 'name="percent-2024-10"' not in html

    bad = school.post(reverse("request-answer", args=[sent.uuid]),
                      {"percent-2024-11": "120", "text": "Se tallene"})
    assert bad.status_code == 400
    assert "november 2024: fraværet skal være" in error_next_to(bad.content.decode(),
                                                                "structured")
    assert 'value="120"' in bad.content.decode()  # what was typed stays

    done = school.post(reverse("request-answer", args=[sent.uuid]), {
        "percent-2024-11": "10", "percent-2024-12": "12,5", "text": "Mest mandage.",
        "file": SimpleUploadedFile("fravaer.pdf", pdf("Udskrift"))})
    assert done.status_code == 302, re.findall(r"alert.{0,300}", done.content.decode(), re.S)
    assert done["Location"] == reverse("requests-inbox")
    sent.refresh_from_db()
    assert sent.state == "besvaret"

    # The caseworker sees the answer on the request page and the case page.
    detail = client_for(anna).get(reverse("request-detail", args=[sent.uuid])).content.decode()
    assert "12.5 %" in detail or "12,5 %" in detail
    assert "fravaer.pdf" in detail
    # A supplier opening the request page lands on the answer page, never the case.
    moved = school.get(reverse("request-detail", args=[sent.uuid]))
    assert moved.status_code == 302
    assert moved["Location"] == reverse("request-answer", args=[sent.uuid])


def test_other_staff_get_not_found(carl, sent) -> None:
    other = make_school_staff("otto", make_unit("Nordskolen"), "Otto Olsen")
    assert client_for(other).get(reverse("request-answer", args=[sent.uuid])).status_code == 404
    response = client_for(other).post(reverse("request-answer", args=[sent.uuid]),
                                      {"text": "Svar"})
    assert response.status_code == 404
    assert client_for(carl).get(reverse("request-detail", args=[sent.uuid])).status_code == 403


def test_the_dashboard_page(frida, teacher, sent) -> None:
    services.answer(teacher, sent.uuid, text="Intet fravær.")
    response = client_for(frida).get(reverse("requests-dashboard"))
    assert response.status_code == 200
    assert_danish_and_labelled(response)
    html = response.content.decode()
    assert "27 minutter" in html and "marts 2025" in html and "Børn og Familie" in html
    assert client_for(teacher).get(reverse("requests-dashboard")).status_code == 403


def test_the_case_partial_lists_the_requests(anna, case, sent) -> None:
    from django.template.loader import render_to_string

    html = render_to_string("assessment/case_requests.html",
                            {"case": case, "requests": services.requests_of_case(anna, case)})
    assert "Fravær fra skole/andre uddannelser" in html and "Helhed Skole" in html
    assert reverse("request-new", args=[case.uuid]) in html


# --- the API ------------------------------------------------------------------------------

def test_the_api_round_trip(anna, teacher, case, consent, school) -> None:
    made = client_for(anna).post(
        f"/api/v1/assessment/cases/{case.uuid}/requests", content_type="application/json",
        data=json.dumps({"data_need_id": need(SCHOOL_ABSENCE).pk, "recipient_kind": "skole",
                         "recipient_unit_id": school.pk, "consent_id": str(consent.uuid),
                         "period_from": "2024-11-01", "period_to": "2025-02-28",
                         "deadline": "2025-03-24"}))
    assert made.status_code == 201, made.content
    request_id = made.json()["id"]
    inbox = client_for(teacher).get("/api/v1/assessment/inbox").json()
    assert [i["id"] for i in inbox] == [request_id]
    assert "case_id" not in inbox[0]
    answered = client_for(teacher).post(
        f"/api/v1/assessment/requests/{request_id}/answer", content_type="application/json",
        data=json.dumps({"structured": [{"month": "2024-11", "percent": 7}]}))
    assert answered.status_code == 201, answered.content
    got = client_for(anna).get(f"/api/v1/assessment/requests/{request_id}").json()
    assert got["state"] == "besvaret"
    assert got["answer"]["structured"] == [{"month": "2024-11", "percent": 7.0}]
    refused = client_for(anna).post(
        f"/api/v1/assessment/cases/{case.uuid}/requests", content_type="application/json",
        data=json.dumps({"data_need_id": need(SCHOOL_ABSENCE).pk, "recipient_kind": "skole",
                         "recipient_unit_id": school.pk, "period_from": "2024-11-01",
                         "period_to": "2025-02-28", "deadline": "2025-03-24"}))
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "assessment.basis_required"
    assert client_for(teacher).get(f"/api/v1/assessment/requests/{request_id}").status_code \
        == 403


def test_the_inbox_and_the_case_list_do_not_query_per_request(anna, teacher, case, consent,
                                                              school, sent) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(call) -> int:
        with CaptureQueriesContext(connection) as queries:
            call()
        return len(queries)

    def inbox_page():
        assert client_for(teacher).get(reverse("requests-inbox")).status_code == 200

    def case_list():
        services.requests_of_case(anna, case)

    one = (count(inbox_page), count(case_list))
    for _ in range(3):
        services.request_information(
            anna, case.uuid, data_need_id=need(SCHOOL_ABSENCE).pk, recipient_kind="skole",
            recipient_unit_id=school.pk, consent_uuid=consent.uuid,
            period_from=dt.date(2024, 11, 1), period_to=dt.date(2025, 2, 28),
            deadline=dt.date(2025, 3, 24))
    assert (count(inbox_page), count(case_list)) == one
