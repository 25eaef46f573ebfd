# mypy: disable-error-code="no-untyped-def,no-untyped-call"
"""The citizen's access log: who looked at what, when and on which basis — denials and
emergency looks included — for the citizen's own caseworker or an administrator; reading
it is itself logged; everyone else gets nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from helhed.cases import access as case_access
from helhed.cases import services as cases
from helhed.core import clock
from helhed.core.models import AccessLogEntry
from helhed.people.services import CitizenNotFound
from helhed.sharing import accesslog, emergency, policy
from helhed.sharing.policy import Category, Purpose

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
API = "/api/v1/sharing"


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


@pytest.fixture
def mothers_case(carl, family):
    return cases.open_case(carl, family.mother.uuid, title="Støtte", kle_numbers=["27"])


@pytest.fixture
def looks(mothers_case, dorte, erik, family):
    """Dorte is refused Mette's adults' case; Erik reads it under emergency access."""
    scope = case_access.scope_of(mothers_case)
    clock.advance(dt.timedelta(minutes=1))
    policy.decide(dorte, Purpose.CASEWORK, family.mother.uuid, Category.CASE_CONTENT,
                  scope=scope, detail="sag")
    clock.advance(dt.timedelta(minutes=1))
    emergency.start(erik, family.liva.uuid, "Akut henvendelse fra politiet om børnene.")
    policy.decide(erik, Purpose.EMERGENCY, family.mother.uuid, Category.CASE_CONTENT,
                  scope=scope, detail="sag")
    clock.advance(dt.timedelta(minutes=1))


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_caseworker_sees_who_looked_including_denials_and_emergency(carl, family, looks):
    rows = accesslog.access_log_of(carl, family.mother.uuid)

    first = rows[0]  # reading the log is itself a look, and the newest
    assert (first.category, first.actor_name, first.basis, first.allowed) == (
        "adgangslog", "Carl Christensen", "Egen sag", True)
    denied = next(r for r in rows if r.actor_name == "Dorte Dahl")
    assert not denied.allowed and denied.category_label == "Sagens indhold"
    assert denied.actor_unit == "Jobcenter Team 1"
    flagged = next(r for r in rows if r.actor_name == "Erik Eriksen" and r.action == "read")
    assert flagged.emergency and flagged.allowed and flagged.basis.startswith("Akut adgang")
    assert flagged.purpose_label == "Akut"
    assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)


def test_since_leaves_out_older_looks(carl, family, looks):
    rows = accesslog.access_log_of(carl, family.mother.uuid, since=clock.now())
    assert [r.category for r in rows] == ["adgangslog"]


def test_an_administrator_reads_it_for_administration(hanne, family, looks):
    rows = accesslog.access_log_of(hanne, family.mother.uuid)
    assert rows[0].purpose == "administration" and rows[0].allowed
    assert any(not r.allowed for r in rows)


@pytest.mark.parametrize("persona", ["anna", "bo", "dorte", "erik", "frida", "gustav", "ivan",
                                     "outsider"])
def test_nobody_else_reads_it_and_the_refusal_is_logged(request, persona, family, looks):
    actor = request.getfixturevalue(persona)
    with pytest.raises(CitizenNotFound):
        accesslog.access_log_of(actor, family.mother.uuid)
    entry = AccessLogEntry.objects.filter(actor=actor).latest("id")
    assert (entry.category, entry.allowed, entry.subject) == (
        "adgangslog", False, family.mother.uuid)


def test_anonymous_is_refused_and_logged(family):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(CitizenNotFound):
        accesslog.access_log_of(AnonymousUser(), family.mother.uuid)
    assert AccessLogEntry.objects.filter(actor_name="anonym", category="adgangslog",
                                         allowed=False).exists()


def test_the_page_lists_the_log(carl, family, looks):
    page = client_for(carl).get(reverse("citizen-access-log", args=[family.mother.uuid]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Dorte Dahl" in text and "Afvist" in text and "Akut" in text
    assert "Adgangsloggen" in text


@pytest.mark.parametrize(("persona", "status"), [("anna", 404), ("gustav", 404),
                                                 ("outsider", 404), (None, 302)])
def test_the_page_refuses_others(request, persona, status, family, looks):
    client = client_for(request.getfixturevalue(persona) if persona else None)
    page = client.get(reverse("citizen-access-log", args=[family.mother.uuid]))
    assert page.status_code == status and "Dorte" not in page.content.decode()


def test_the_api_gives_the_log(carl, family, looks):
    response = client_for(carl).get(f"{API}/citizens/{family.mother.uuid}/access-log")
    assert response.status_code == 200
    body = response.json()
    assert body[0]["category"] == "adgangslog"
    assert any(r["emergency"] for r in body) and any(not r["allowed"] for r in body)


@pytest.mark.parametrize(("persona", "status", "code"), [
    ("anna", 404, "citizen.not_found"), ("gustav", 404, "citizen.not_found"),
    ("outsider", 404, "citizen.not_found"), (None, 401, "auth.required")])
def test_the_api_refuses_others(request, persona, status, code, family, looks):
    client = client_for(request.getfixturevalue(persona) if persona else None)
    response = client.get(f"{API}/citizens/{family.mother.uuid}/access-log")
    assert response.status_code == status and response.json()["error"]["code"] == code
