# mypy: disable-error-code="no-untyped-def,no-untyped-call"
"""Consent pages and API: the form with the custody holders preselected, the rule shown
before saving, errors next to their field with nothing saved, the list with withdrawal, and
refusal for everyone without a basis."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from helhed.cases import services as cases
from helhed.core import clock
from helhed.core.errors import InvalidInput
from helhed.core.models import OutboxEvent
from helhed.orders.models import Order
from helhed.orders.tests.helpers import order_world, send
from helhed.sharing.models import Consent

__all__ = ["order_world"]
pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
API = "/api/v1/sharing"


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


@pytest.fixture
def liva_case(anna, family):
    return cases.open_case(anna, family.liva.uuid, title="Undersøgelse",
                           kle_numbers=["34.10.10"])


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def form_data(family, **overrides):
    data = {"given_by": [str(family.mother.uuid), str(family.father.uuid)],
            "purpose": "sagsbehandling", "categories": ["skolefravaer"],
            "from_departments": ["skole"], "form": "skriftlig",
            "valid_from": "2026-11-23", "valid_to": "2027-11-22", "note": ""}
    data.update(overrides)
    return data


def test_the_form_preselects_both_custody_holders(anna, family, liva_case):
    page = client_for(anna).get(reverse("consent-new", args=[family.liva.uuid]))
    text = page.content.decode()
    assert page.status_code == 200
    for holder in (family.mother, family.father):
        assert f'value="{holder.uuid}" checked' in text
    assert "Fravær fra skole og uddannelse" in text  # categories by name


def test_the_rule_is_shown_before_saving_then_saved_on_confirm(anna, family, liva_case):
    client = client_for(anna)
    url = reverse("consent-new", args=[family.liva.uuid])
    preview = client.post(url, form_data(family, step="preview"))
    text = preview.content.decode()
    assert preview.status_code == 200 and 'id="consent-rule"' in text
    assert "kan trækkes tilbage når som helst" in text and "Bekræft og gem" in text
    assert not Consent.objects.exists()

    saved = client.post(url, form_data(family, step="confirm"))
    assert saved.status_code == 302
    assert saved["Location"] == reverse("consent-list", args=[family.liva.uuid])
    assert Consent.objects.count() == 1


def test_a_missing_custody_holder_is_shown_next_to_the_field(anna, family, liva_case):
    response = client_for(anna).post(
        reverse("consent-new", args=[family.liva.uuid]),
        form_data(family, given_by=[str(family.mother.uuid)], step="confirm"))
    text = response.content.decode()
    assert response.status_code == 400
    assert 'id="given_by-error"' in text and "Søren Ærø mangler" in text
    assert not Consent.objects.exists()


def test_the_list_shows_consents_and_withdraws_with_a_note(anna, family, liva_case):
    client = client_for(anna)
    client.post(reverse("consent-new", args=[family.liva.uuid]),
                form_data(family, step="confirm"))
    consent = Consent.objects.get()
    listing = client.get(reverse("consent-list", args=[family.liva.uuid])).content.decode()
    assert "Gælder" in listing and "Træk samtykket tilbage" in listing
    response = client.post(reverse("consent-withdraw", args=[consent.uuid]),
                           {"note": "Far ringede.", "borger": str(family.liva.uuid)})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at == NOW and consent.withdrawal_note == "Far ringede."
    listing = client.get(reverse("consent-list", args=[family.liva.uuid])).content.decode()
    assert "Trukket tilbage" in listing and "Far ringede." in listing


@pytest.mark.parametrize(("persona", "status"), [("gustav", 404), ("outsider", 404),
                                                 ("ivan", 404), (None, 302)])
def test_others_are_refused_every_consent_page(request, persona, status, anna, family,
                                               liva_case):
    client_for(anna).post(reverse("consent-new", args=[family.liva.uuid]),
                          form_data(family, step="confirm"))
    consent = Consent.objects.get()
    client = client_for(request.getfixturevalue(persona) if persona else None)
    for url in (reverse("consent-new", args=[family.liva.uuid]),
                reverse("consent-list", args=[family.liva.uuid])):
        response = client.get(url)
        assert response.status_code == status, url
        assert "Liva" not in response.content.decode()
    response = client.post(reverse("consent-withdraw", args=[consent.uuid]), {"note": "x"})
    assert response.status_code in {302, 403, 404}
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    posted = client.post(reverse("consent-new", args=[family.liva.uuid]),
                         form_data(family, step="confirm"))
    assert posted.status_code == status
    assert Consent.objects.count() == 1


def test_a_caseworker_without_a_case_is_refused_the_form(carl, family, liva_case):
    response = client_for(carl).get(reverse("consent-new", args=[family.liva.uuid]))
    assert response.status_code == 403


# --- API ------------------------------------------------------------------------------------

def api_body(family, **overrides):
    body = {"given_by": [str(family.mother.uuid), str(family.father.uuid)],
            "purpose": "sagsbehandling", "categories": ["skolefravaer"],
            "from_departments": ["skole"], "form": "digital",
            "valid_from": "2026-11-23", "valid_to": "2027-05-23"}
    body.update(overrides)
    return body


def test_the_api_records_lists_and_withdraws(anna, family, liva_case):
    client = client_for(anna)
    created = client.post(f"{API}/citizens/{family.liva.uuid}/consents", api_body(family),
                          content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["active"] and body["categories"] == ["skolefravaer"]
    assert "kan trækkes tilbage" in body["rule"]
    listed = client.get(f"{API}/citizens/{family.liva.uuid}/consents").json()
    assert [c["id"] for c in listed] == [body["id"]]
    withdrawn = client.post(f"{API}/consents/{body['id']}/withdraw", {"note": "Mor ringede"},
                            content_type="application/json")
    assert withdrawn.status_code == 200 and withdrawn.json()["active"] is False
    rule = client.post(f"{API}/consents/rule", {"purpose": "sagsbehandling",
                                                "categories": ["sundhed"]},
                       content_type="application/json")
    assert rule.status_code == 200 and "»Sundhed og tandsundhed«" in rule.json()["text"]


def test_the_api_refuses_a_missing_custody_holder_with_a_stable_code(anna, family, liva_case):
    response = client_for(anna).post(
        f"{API}/citizens/{family.liva.uuid}/consents",
        api_body(family, given_by=[str(family.father.uuid)]), content_type="application/json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("consent.custody_missing", "given_by")
    assert "Mette Hansen" in error["message"]
    assert not Consent.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("gustav", 403), ("outsider", 403),
                                                 ("carl", 403), (None, 401)])
def test_the_api_refuses_others(request, persona, status, family, liva_case):
    client = client_for(request.getfixturevalue(persona) if persona else None)
    response = client.post(f"{API}/citizens/{family.liva.uuid}/consents", api_body(family),
                           content_type="application/json")
    assert response.status_code == status
    assert not Consent.objects.exists()


# --- consent to providers (to_providers) ----------------------------------------------------

RULE = "Samtykket giver kun Bostøtten adgang til det, der deles med den"


def test_the_page_shows_the_provider_rule_then_saves_the_receiving_provider(
        anna, gustav, family, liva_case):
    provider = gustav.staff.provider
    client = client_for(anna)
    url = reverse("consent-new", args=[family.liva.uuid])
    data = form_data(family, from_departments=[], to_providers=[str(provider.uuid)])

    form = client.get(url).content.decode()
    assert 'name="to_providers"' in form and "Bostøtten" in form
    preview = client.post(url, {**data, "step": "preview"})
    assert preview.status_code == 200 and RULE in preview.content.decode()
    assert not Consent.objects.exists()
    saved = client.post(url, {**data, "step": "confirm"})
    assert saved.status_code == 302
    assert list(Consent.objects.get().to_providers.all()) == [provider]
    listing = client.get(reverse("consent-list", args=[family.liva.uuid])).content.decode()
    assert "Til udførere" in listing and RULE in listing
    assert "Alle kommunens afdelinger" not in listing  # it opens no department


def test_the_page_refuses_an_unknown_provider_next_to_the_field(anna, family, liva_case):
    page = client_for(anna).post(
        reverse("consent-new", args=[family.liva.uuid]),
        {**form_data(family, to_providers=["00000000-0000-4000-8000-000000000000"]),
         "step": "confirm"})
    assert page.status_code == 400
    assert 'id="to_providers-error"' in page.content.decode()
    assert not Consent.objects.exists()


def test_the_api_records_and_shows_a_consent_to_a_provider(anna, gustav, family, liva_case):
    provider = gustav.staff.provider
    client = client_for(anna)
    created = client.post(f"{API}/citizens/{family.liva.uuid}/consents",
                          api_body(family, from_departments=[],
                                   to_providers=[str(provider.uuid)]),
                          content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["to_providers"] == [str(provider.uuid)] and body["from_providers"] == []
    assert body["rule"].startswith(RULE)
    listed = client.get(f"{API}/citizens/{family.liva.uuid}/consents").json()
    assert listed[0]["to_providers"] == [str(provider.uuid)]
    rule = client.post(f"{API}/consents/rule",
                       {"purpose": "sagsbehandling", "categories": ["sundhed"],
                        "to_providers": [str(provider.uuid)]},
                       content_type="application/json")
    assert rule.status_code == 200 and rule.json()["text"].startswith(RULE)


def test_the_api_refuses_an_unknown_provider_and_saves_nothing(anna, family, liva_case):
    response = client_for(anna).post(
        f"{API}/citizens/{family.liva.uuid}/consents",
        api_body(family, to_providers=["00000000-0000-4000-8000-000000000000"]),
        content_type="application/json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("consent.provider_unknown", "to_providers")
    assert not Consent.objects.exists()
    assert not OutboxEvent.objects.filter(type__startswith="sharing.consent").exists()


def test_an_order_can_be_sent_after_the_consent_is_recorded_through_the_api(
        anna, family, order_world):
    with pytest.raises(InvalidInput) as caught:
        send(anna, order_world)
    assert caught.value.code == "orders.consent_missing"

    provider = order_world.plan.provider
    created = client_for(anna).post(
        f"{API}/citizens/{family.liva.uuid}/consents",
        api_body(family, categories=["boernesag"], from_departments=[],
                 to_providers=[str(provider.uuid)]),
        content_type="application/json")
    assert created.status_code == 201, created.content

    order = send(anna, order_world)
    assert order.provider == provider
    assert Order.objects.count() == 1
