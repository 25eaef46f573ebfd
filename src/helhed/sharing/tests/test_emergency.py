# mypy: disable-error-code="no-untyped-def,no-untyped-call"
"""Emergency access (akut adgang): only on-call staff (and leaders) may start it, with a
reason and a time limit; every look under it is flagged in the access log and queued for
a leader's review; after it expires the door is shut again. Pages and API included."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from helhed.cases import access as case_access
from helhed.cases import services as cases
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput
from helhed.core.models import AccessLogEntry, OutboxEvent
from helhed.sharing import emergency, policy
from helhed.sharing.models import EmergencyAccess
from helhed.sharing.policy import Category, Purpose

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 22, 0, tzinfo=dt.UTC)
REASON = "Politiet har ringet: Liva er fundet alene på banegården."


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


@pytest.fixture
def mothers_case(carl, family):
    """Mette's adults' case: the on-call worker (children's department) has no basis."""
    return cases.open_case(carl, family.mother.uuid, title="Støtte", kle_numbers=["27"])


def erik_reads(erik, family, case):
    return policy.decide(erik, Purpose.EMERGENCY, family.mother.uuid, Category.CASE_CONTENT,
                         scope=case_access.scope_of(case))


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_on_call_opens_the_family_and_every_look_is_flagged(erik, family, mothers_case):
    assert not erik_reads(erik, family, mothers_case)

    access = emergency.start(erik, family.liva.uuid, REASON)

    assert access.expires_at == NOW + dt.timedelta(hours=12)
    assert {str(c.uuid) for c in (family.liva, family.mother, family.father, family.noah,
                                  family.half_brother)} == set(access.family)
    assert str(family.partner.uuid) not in access.family  # not family by law
    event = OutboxEvent.objects.get(type="sharing.emergency_access.started")
    assert event.citizen == family.liva.uuid and "banegården" not in str(event.payload)
    decision = erik_reads(erik, family, mothers_case)
    assert decision.allowed and decision.emergency
    look = AccessLogEntry.objects.filter(actor=erik, category="sagsindhold").latest("id")
    assert look.allowed and look.emergency and look.subject == family.mother.uuid


def test_the_leader_sees_the_access_with_its_looks_and_reviews_it(erik, frida, family,
                                                                  mothers_case):
    access = emergency.start(erik, family.liva.uuid, REASON, hours=2)
    erik_reads(erik, family, mothers_case)

    [item] = emergency.review_queue(frida)
    assert item.access == access and item.running
    assert [(x.subject_name, x.category) for x in item.looks if x.detail != "akut adgang startet"
            ] == [("Mette Hansen", "sagsindhold")]
    with pytest.raises(InvalidInput) as caught:
        emergency.review(frida, access.uuid, True)
    assert caught.value.code == "emergency.still_running"

    emergency.end(erik, access.uuid)
    assert not erik_reads(erik, family, mothers_case)  # ended: shut again
    with pytest.raises(InvalidInput) as caught:
        emergency.review(frida, access.uuid, False, "")
    assert (caught.value.code, caught.value.field) == ("emergency.note_required", "note")
    emergency.review(frida, access.uuid, True, "Nødvendigt og forholdsmæssigt.")

    access.refresh_from_db()
    assert access.review_approved and access.reviewed_by == frida.staff
    assert emergency.review_queue(frida) == []
    event = OutboxEvent.objects.get(type="sharing.emergency_access.reviewed")
    assert event.payload["approved"] is True and "forholdsmæssigt" not in str(event.payload)
    with pytest.raises(InvalidInput):
        emergency.review(frida, access.uuid, True)


def test_an_expired_emergency_access_opens_nothing(erik, frida, family, mothers_case):
    emergency.start(erik, family.liva.uuid, REASON, hours=1)
    clock.advance(dt.timedelta(hours=1, minutes=1))
    decision = erik_reads(erik, family, mothers_case)
    assert not decision.allowed and not decision.emergency
    [item] = emergency.review_queue(frida)
    assert not item.running  # expired: ready for review


@pytest.mark.parametrize("persona", ["anna", "carl", "dorte", "gustav", "hanne", "ivan",
                                     "outsider"])
def test_only_on_call_staff_and_leaders_may_start(request, persona, family):
    actor = request.getfixturevalue(persona)
    with pytest.raises(AccessDenied) as caught:
        emergency.start(actor, family.liva.uuid, REASON)
    assert caught.value.code == "emergency.not_on_call"
    assert AccessLogEntry.objects.filter(actor=actor, allowed=False,
                                         subject=family.liva.uuid).exists()
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize(("reason", "hours", "code", "field"), [
    ("Akut", 12, "emergency.reason_required", "reason"),
    ("   ", 12, "emergency.reason_required", "reason"),
    (REASON, 25, "emergency.hours", "hours"),
    (REASON, 0, "emergency.hours", "hours"),
    (REASON, "x", "emergency.hours", "hours"),
])
def test_a_reason_and_a_time_limit_are_required(erik, family, reason, hours, code, field):
    with pytest.raises(InvalidInput) as caught:
        emergency.start(erik, family.liva.uuid, reason, hours)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert not EmergencyAccess.objects.exists()
    assert not OutboxEvent.objects.filter(type__startswith="sharing.emergency").exists()


@pytest.mark.parametrize("persona", ["anna", "erik", "gustav", "outsider"])
def test_only_leaders_see_the_review_queue(request, persona, erik, family):
    emergency.start(erik, family.liva.uuid, REASON)
    actor = request.getfixturevalue(persona)
    with pytest.raises(AccessDenied):
        emergency.review_queue(actor)
    assert AccessLogEntry.objects.filter(actor=actor, allowed=False).exists()


# --- pages ----------------------------------------------------------------------------------

def test_the_start_page_for_on_call_staff(erik, family):
    client = client_for(erik)
    url = reverse("emergency-start", args=[family.liva.uuid])
    page = client.get(url)
    assert page.status_code == 200 and "Start akut adgang" in page.content.decode()

    short = client.post(url, {"reason": "kort", "hours": "12"})
    assert short.status_code == 400 and 'id="reason-error"' in short.content.decode()
    assert not EmergencyAccess.objects.exists()

    done = client.post(url, {"reason": REASON, "hours": "4"})
    assert done.status_code == 302
    assert EmergencyAccess.objects.get().expires_at == NOW + dt.timedelta(hours=4)


@pytest.mark.parametrize(("persona", "status"), [("anna", 403), ("gustav", 403),
                                                 ("outsider", 403), (None, 302)])
def test_others_cannot_reach_the_emergency_pages(request, persona, status, erik, family):
    access = emergency.start(erik, family.liva.uuid, REASON, hours=1)
    client = client_for(request.getfixturevalue(persona) if persona else None)
    for url in (reverse("emergency-start", args=[family.liva.uuid]),
                reverse("emergency-review"),
                reverse("emergency-review-detail", args=[access.uuid])):
        response = client.get(url)
        assert response.status_code == status, url
        assert "Liva" not in response.content.decode()
    response = client.post(reverse("emergency-start", args=[family.liva.uuid]),
                           {"reason": REASON, "hours": "4"})
    assert response.status_code == status
    assert EmergencyAccess.objects.count() == 1


def test_the_leaders_queue_and_review_pages(erik, frida, family, mothers_case):
    access = emergency.start(erik, family.liva.uuid, REASON, hours=1)
    erik_reads(erik, family, mothers_case)
    client = client_for(frida)
    queue = client.get(reverse("emergency-review")).content.decode()
    assert "Liva Ærø Hansen" in queue and "banegården" in queue and "Mette Hansen" in queue
    clock.advance(dt.timedelta(hours=2))
    url = reverse("emergency-review-detail", args=[access.uuid])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"verdict": "kritik", "note": ""})
    assert refused.status_code == 400 and 'id="note-error"' in refused.content.decode()
    done = client.post(url, {"verdict": "kritik", "note": "Burde have ringet til lederen."})
    assert done.status_code == 302
    access.refresh_from_db()
    assert access.review_approved is False


# --- API ------------------------------------------------------------------------------------

API = "/api/v1/sharing"


def test_the_api_starts_queues_and_reviews(erik, frida, family):
    started = client_for(erik).post(f"{API}/citizens/{family.liva.uuid}/emergency-access",
                                    {"reason": REASON, "hours": 3},
                                    content_type="application/json")
    assert started.status_code == 201
    access_id = started.json()["id"]
    ended = client_for(erik).post(f"{API}/emergency-access/{access_id}/end")
    assert ended.status_code == 200 and ended.json()["ended_at"]
    queue = client_for(frida).get(f"{API}/emergency-access/review-queue").json()
    assert [q["access"]["id"] for q in queue] == [access_id]
    reviewed = client_for(frida).post(f"{API}/emergency-access/{access_id}/review",
                                      {"approved": True}, content_type="application/json")
    assert reviewed.status_code == 200 and reviewed.json()["approved"] is True


@pytest.mark.parametrize(("persona", "status", "code"), [
    ("anna", 403, "emergency.not_on_call"), ("gustav", 403, "emergency.not_on_call"),
    ("outsider", 403, "emergency.not_on_call"), (None, 401, "auth.required")])
def test_the_api_refuses_others(request, persona, status, code, family):
    client = client_for(request.getfixturevalue(persona) if persona else None)
    response = client.post(f"{API}/citizens/{family.liva.uuid}/emergency-access",
                           {"reason": REASON}, content_type="application/json")
    assert response.status_code == status and response.json()["error"]["code"] == code
    queue = client.get(f"{API}/emergency-access/review-queue")
    assert queue.status_code == status
    assert not EmergencyAccess.objects.exists()
