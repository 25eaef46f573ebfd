"""Subscriptions: automatic for the citizens of a caseworker's cases, by hand within the
actor's bases (a provider and a login without staff are refused, and the refusal is
logged), and the family they cover."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from helhed.cases import services
from helhed.core import clock
from helhed.core.errors import AccessDenied, NotFound
from helhed.core.models import AccessLogEntry, OutboxEvent
from helhed.organisation.models import StaffMember
from helhed.people import kinship
from helhed.sharing import subscriptions
from helhed.sharing.models import Subscription
from helhed.sharing.tests.advis_helpers import advis_handler, deliver, open_case  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("advis_handler")]

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


def sharing_events():  # noqa: N802 - reads as a table
    return OutboxEvent.objects.filter(type__startswith="sharing.")


def active(user) -> list[Subscription]:
    return list(Subscription.objects.filter(staff__user=user, ended_at__isnull=True)
                .order_by("pk"))


def test_the_responsible_caseworker_follows_the_citizen_of_her_new_case(anna, family):
    case = open_case(anna, family.liva)
    assert active(anna) == []  # the subscription follows the event, not the page
    deliver()
    [subscription] = active(anna)
    assert subscription.citizen == family.liva and subscription.family
    assert subscription.origin == Subscription.Origin.OWN_CASE
    event = OutboxEvent.objects.get(type="sharing.subscription.created")
    assert event.citizen == family.liva.uuid and event.actor == "system"
    assert event.payload == {"staff": subscription.staff_id, "origin": "egen_sag",
                             "family": True}
    # Delivered again (at least once): nothing more.
    deliver()
    assert len(active(anna)) == 1 and case.responsible.user == anna


def test_a_new_responsible_follows_and_the_old_one_stops(anna, bo, family):
    case = open_case(anna, family.liva)
    deliver()
    services.update_case(anna, case.uuid,
                         responsible_id=StaffMember.objects.get(user=bo).pk)
    deliver()
    assert [s.citizen for s in active(bo)] == [family.liva]
    assert active(anna) == []
    ended = Subscription.objects.get(staff__user=anna)
    assert ended.ended_at == NOW
    assert OutboxEvent.objects.filter(type="sharing.subscription.ended").count() == 1


def test_closing_the_last_case_ends_the_automatic_subscription_but_not_a_manual_one(
        anna, bo, family):
    case = open_case(anna, family.liva)
    subscriptions.subscribe(bo, family.liva.uuid)
    deliver()
    services.close_case(anna, case.uuid)
    deliver()
    assert active(anna) == []
    assert [s.origin for s in active(bo)] == [Subscription.Origin.MANUAL]


def test_a_caseworker_subscribes_by_hand_within_her_bases(dorte, family):
    subscription = subscriptions.subscribe(dorte, family.mother.uuid, family=False)
    assert subscription.origin == Subscription.Origin.MANUAL and not subscription.family
    entry = AccessLogEntry.objects.get(actor__username="dorte")
    assert entry.allowed and entry.action == "subscribe" and entry.subject == family.mother.uuid
    # The same again changes only the family flag (and says so once).
    same = subscriptions.subscribe(dorte, family.mother.uuid, family=True)
    assert same.pk == subscription.pk and same.family
    assert list(sharing_events().order_by("seq").values_list("type", flat=True)) == [
        "sharing.subscription.created", "sharing.subscription.changed"]
    subscriptions.subscribe(dorte, family.mother.uuid, family=True)
    assert sharing_events().count() == 2


@pytest.mark.parametrize("who", ["gustav", "outsider"])
def test_a_provider_or_a_login_without_staff_is_refused_and_the_refusal_logged(
        request, who, family):
    actor = request.getfixturevalue(who)
    with pytest.raises(AccessDenied):
        subscriptions.subscribe(actor, family.liva.uuid)
    assert not Subscription.objects.exists() and not sharing_events().exists()
    refusal = AccessLogEntry.objects.get(actor=actor)
    assert not refusal.allowed and refusal.subject == family.liva.uuid
    assert refusal.action == "subscribe"


def test_an_unknown_citizen_is_not_found_and_nothing_is_saved(anna):
    for key in (uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(NotFound) as caught:
            subscriptions.subscribe(anna, key)
        assert caught.value.code == "subscription.citizen_not_found"
    assert not Subscription.objects.exists() and not sharing_events().exists()


def test_unsubscribing_ends_it_and_twice_is_not_found(dorte, family):
    subscriptions.subscribe(dorte, family.mother.uuid)
    ended = subscriptions.unsubscribe(dorte, family.mother.uuid)
    assert ended.ended_at == NOW and active(dorte) == []
    with pytest.raises(NotFound) as caught:
        subscriptions.unsubscribe(dorte, family.mother.uuid)
    assert caught.value.code == "subscription.not_found"
    assert OutboxEvent.objects.filter(type="sharing.subscription.ended").count() == 1


def test_one_cannot_end_someone_elses_subscription(anna, dorte, family):
    subscriptions.subscribe(dorte, family.mother.uuid)
    with pytest.raises(NotFound):
        subscriptions.unsubscribe(anna, family.mother.uuid)
    assert len(active(dorte)) == 1


def test_the_family_is_parents_children_and_siblings_across_households(family):
    ids = kinship.family_ids([family.liva.pk, family.father.pk, family.partner.pk])
    assert ids[family.liva.pk] == {family.mother.pk, family.father.pk, family.noah.pk,
                                   family.half_brother.pk}
    assert ids[family.father.pk] == {family.liva.pk, family.noah.pk, family.half_brother.pk}
    assert ids[family.partner.pk] == {family.half_brother.pk}  # not her partner's children


def test_subscribers_of_a_citizen_include_family_subscriptions_only_with_family(
        anna, bo, dorte, family):
    subscriptions.subscribe(anna, family.liva.uuid, family=True)
    subscriptions.subscribe(bo, family.liva.uuid, family=False)
    subscriptions.subscribe(dorte, family.noah.uuid, family=True)
    about_noah = {s.staff.user.username for s in subscriptions.subscribers_of(family.noah.pk)}
    assert about_noah == {"anna", "dorte"}
    about_pia = subscriptions.subscribers_of(family.partner.pk)
    assert about_pia == []
