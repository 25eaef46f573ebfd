"""The advis pages, the feed the work list polls, marking read, following citizens, the
panel for the work list, and the same through the API. Nobody sees another's advis."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from helhed.core import clock
from helhed.core.models import AccessLogEntry
from helhed.sharing import subscriptions
from helhed.sharing.models import Advis, Subscription
from helhed.sharing.tests.advis_helpers import (  # noqa: F401 - fixture
    advis_handler,
    deliver,
    note,
    open_case,
)
from helhed.web.tests.helpers import assert_danish_and_labelled

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("advis_handler")]

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
API = "/api/v1/sharing"


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_advis(anna, bo, family):
    case = open_case(anna, family.liva)
    deliver()
    note(bo, case, title="Første notat")
    deliver()
    clock.freeze(NOW + dt.timedelta(minutes=1))
    note(bo, case, title="Andet notat")
    deliver()
    return list(Advis.objects.filter(staff__user=anna).order_by("created_at"))


def test_the_advis_page_lists_them_newest_first_in_danish(anna, two_advis):
    response = client_for(anna).get("/adviser/")
    assert response.status_code == 200
    html = response.content.decode()
    assert_danish_and_labelled(response)
    assert html.index("Andet notat") < html.index("Første notat")
    assert 'data-advis-feed="/adviser/nye/"' in html
    # The page asks every second: with the publisher's pace an advis shows within ~1.3 s.
    assert 'data-advis-poll="1"' in html
    assert re.search(r'<script src="[^"]*sharing/advis\.js"', html)
    assert "<script>" not in html and " style=" not in html
    assert html.count('action="/adviser/') >= 2  # mark read works without JavaScript


def test_the_feed_answers_what_is_new_since_the_last_poll(anna, bo, family, two_advis):
    client = client_for(anna)
    first = client.get("/adviser/nye/", {"efter": (NOW + dt.timedelta(hours=1)).isoformat()},
                       HTTP_ACCEPT="application/json").json()
    assert first["items"] == [] and first["unread"] == 2
    since = first["now"]
    clock.freeze(NOW + dt.timedelta(hours=2))
    case = two_advis[0].citizen.cases.get()
    note(bo, case, title="Tredje notat")
    deliver()
    later = client.get("/adviser/nye/", {"efter": since}).json()
    # The feed looks FEED_OVERLAP back (an advis may commit after a poll that it predates);
    # the page drops those it already shows. "Første notat" is older than that.
    texts = [i["text"] for i in later["items"]]
    assert [t.split(" (")[0] for t in texts] == ["Nyt journalnotat: Tredje notat",
                                                 "Nyt journalnotat: Andet notat"]
    assert "Tredje notat" in later["html"] and later["unread"] == 3
    assert later["items"][0]["may_open"] and later["items"][0]["url"].startswith("/sager/")


def test_a_bad_time_is_refused_next_to_the_parameter(anna):
    response = client_for(anna).get("/adviser/nye/", {"efter": "i går"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "efter"
    assert response.json()["error"]["code"] == "advis.since_invalid"


def test_marking_read_without_and_with_javascript(anna, two_advis):
    client = client_for(anna)
    first, second = two_advis
    response = client.post(f"/adviser/{first.uuid}/laest/", {"next": "/arbejdsliste/"})
    assert response.status_code == 302 and response["Location"] == "/arbejdsliste/"
    response = client.post(f"/adviser/{second.uuid}/laest/", {"next": "https://evil.example/"},
                           HTTP_ACCEPT="application/json")
    assert response.json() == {"read": str(second.uuid)}
    assert not Advis.objects.filter(read_at__isnull=True).exists()


def test_nobody_reads_or_marks_another_caseworkers_advis(dorte, two_advis):
    client = client_for(dorte)
    response = client.post(f"/adviser/{two_advis[0].uuid}/laest/",
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert "Første notat" not in client.get("/adviser/").content.decode()
    assert client.get("/adviser/nye/").json()["items"] == []
    assert Advis.objects.get(pk=two_advis[0].pk).read_at is None


def test_a_provider_gets_no_advis_page(gustav):
    assert client_for(gustav).get("/adviser/").status_code == 403


def test_following_and_unfollowing_from_the_citizens_page(dorte, family):
    client = client_for(dorte)
    page = f"/borgere/{family.mother.uuid}/"
    response = client.post(f"/borgere/{family.mother.uuid}/abonner/",
                           {"familie": "1", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert Subscription.objects.get(staff__user=dorte).family
    listing = client.get("/abonnementer/")
    assert "Mette Hansen" in listing.content.decode()
    assert_danish_and_labelled(listing)
    client.post(f"/borgere/{family.mother.uuid}/afmeld/")
    assert not Subscription.objects.filter(ended_at__isnull=True).exists()


def test_a_provider_cannot_follow_anyone(gustav, family):
    response = client_for(gustav).post(f"/borgere/{family.mother.uuid}/abonner/")
    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_the_work_list_panel_renders_the_callers_advis_and_logs_the_look(anna, two_advis):
    request = RequestFactory().get("/arbejdsliste/")
    request.user = anna
    html = Template("{% load advis_tags %}{% advis_panel %}").render(
        Context({"request": request}))
    assert "Andet notat" in html and 'id="adviser"' in html
    assert AccessLogEntry.objects.filter(actor=anna, detail="adviser").exists()
    request.user = type(anna).objects.get(username="anna")
    request.user.is_active = True
    html_for_nobody = Template("{% load advis_tags %}{% advis_panel %}").render(
        Context({"request": RequestFactory().get("/")}))
    assert html_for_nobody.strip() == ""


def test_the_subscribe_partial_is_labelled(dorte, family):
    html = Template('{% include "sharing/advis_subscribe.html" %}').render(Context({
        "citizen": family.mother, "following": None, "next_url": "/"}))
    assert 'for="subscribe-family"' in html and "Følg borgeren" in html
    subscriptions.subscribe(dorte, family.mother.uuid)
    html = Template('{% include "sharing/advis_subscribe.html" %}').render(Context({
        "citizen": family.mother, "following": subscriptions.is_following(
            dorte, family.mother.uuid), "next_url": "/"}))
    assert "Følg ikke længere" in html


# --- the API ------------------------------------------------------------------------------

def test_the_api_lists_and_marks_advis(anna, two_advis):
    client = client_for(anna)
    body = client.get(f"{API}/advis").json()
    assert body["unread"] == 2 and [i["kind"] for i in body["items"]] == ["ny", "ny"]
    assert body["items"][0]["citizen_name"] == "Liva Ærø Hansen"
    since = client.get(f"{API}/advis", {"efter": (NOW + dt.timedelta(hours=1)).isoformat()})
    assert since.json()["items"] == []
    read = client.post(f"{API}/advis/{two_advis[0].uuid}/read")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert client.post(f"{API}/advis/{two_advis[0].uuid}/read").status_code == 200


def test_the_api_refuses_another_callers_advis_and_bad_times(dorte, two_advis):
    client = client_for(dorte)
    response = client.post(f"{API}/advis/{two_advis[0].uuid}/read")
    assert response.status_code == 404 and response.json()["error"]["code"] == "advis.not_found"
    bad = client.get(f"{API}/advis", {"efter": "snart"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "advis.since_invalid"


def test_the_api_follows_and_unfollows(dorte, gustav, family):
    client = client_for(dorte)
    made = client.post(f"{API}/subscriptions", {"citizen": str(family.mother.uuid),
                                                "family": False},
                       content_type="application/json")
    assert made.status_code == 201 and made.json()["origin"] == "manuel"
    assert [s["citizen_name"] for s in client.get(f"{API}/subscriptions").json()] == [
        "Mette Hansen"]
    assert client.delete(f"{API}/subscriptions/{family.mother.uuid}").status_code == 204
    again = client.delete(f"{API}/subscriptions/{family.mother.uuid}")
    assert again.status_code == 404 and again.json()["error"]["code"] == "subscription.not_found"
    refused = client_for(gustav).post(f"{API}/subscriptions",
                                      {"citizen": str(family.mother.uuid)},
                                      content_type="application/json")
    assert refused.status_code == 403
    extra = client.post(f"{API}/subscriptions", {"citizen": str(family.mother.uuid),
                                                 "hvem": "alle"},
                        content_type="application/json")
    assert extra.status_code == 422
    assert Subscription.objects.filter(ended_at__isnull=True).count() == 0
