"""Advis made a batch at a time (the publisher's batch, or the messages waiting on
RabbitMQ): the same advis and subscriptions as one event at a time, each event once, a
bad event costing only its own advis, and a fixed number of queries per batch."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, DataError, connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helhed.cases import services
from helhed.core import clock
from helhed.core.models import OutboxEvent
from helhed.organisation.models import StaffMember
from helhed.people.models import ParentChild
from helhed.sharing import advis, subscriptions
from helhed.sharing.models import Advis, ConsumedEvent, Subscription
from helhed.sharing.tests.advis_helpers import (  # noqa: F401 - fixture
    advis_handler,
    deliver,
    make_staff_in,
    note,
    open_case,
)
from helhed.testing import personas

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("advis_handler")]

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


def pending() -> list[dict[str, Any]]:
    return [e.envelope() for e in OutboxEvent.objects.filter(published_at__isnull=True)
            .order_by("seq")]


def snapshot() -> tuple[Any, ...]:
    """What handling left behind: the advis as their recipients see them, the
    subscriptions, and the subscription events written."""
    made = sorted(Advis.objects.values_list(
        "staff__user__username", "event_id", "citizen_id", "kind", "event_type",
        "object_type", "object_id", "department_id", "text", "may_open", "url",
        "occurred_at"))
    following = sorted(Subscription.objects.values_list(
        "staff__user__username", "citizen_id", "origin", "family", "ended_at"))
    emitted = sorted(OutboxEvent.objects.filter(
        published_at__isnull=True, type__startswith="sharing.subscription.").values_list(
        "type", "citizen", "payload"), key=repr)
    return made, following, emitted


def rolled_back(run: Callable[[], list[int | None]]) -> tuple[list[int | None], Any]:
    """Run a handling and what it left behind, then undo it (a savepoint)."""
    point = transaction.savepoint()
    try:
        return run(), snapshot()
    finally:
        transaction.savepoint_rollback(point)


@pytest.fixture
def changes(anna, bo, carl, dorte, frida, family) -> list[dict[str, Any]]:
    """A world with several recipients and bases, and a pool of changes not yet handled
    whose order matters: cases opened and handed over (automatic subscriptions start and
    end), a hidden category, and notes before and after."""
    rita = make_staff_in("rita", "misbrugscenter", "Rusmiddelvisitationen")
    liva_case = open_case(anna, family.liva)  # anna follows Liva and the family
    deliver()
    subscriptions.subscribe(dorte, family.mother.uuid, family=False)  # no content basis
    subscriptions.subscribe(carl, family.mother.uuid)  # the family too
    deliver()
    note(bo, liva_case, title="Samtale med Liva")
    hidden = open_case(rita, family.mother, title="Alkoholbehandling", kle="29")
    note(rita, hidden, title="Tilbagefald")
    noah_case = open_case(bo, family.noah, title="Noahs sag")  # bo follows Noah's family
    note(anna, liva_case, title="Skolebesøg")  # reaches bo only after his subscription
    services.update_case(anna, liva_case.uuid,
                         responsible_id=StaffMember.objects.get(user=bo).pk)
    note(frida, noah_case, title="Om Noah")
    services.close_case(rita, hidden.uuid, reason="Afsluttet")  # ends rita's subscription
    note(frida, liva_case, title="Efter overdragelsen")
    services.set_state(bo, noah_case.uuid, "undersoegelse")
    pool = pending()
    assert len([e for e in pool if advis.wanted(e["type"])]) >= 10
    return pool


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_batch_makes_what_one_event_at_a_time_makes(changes, data):
    """Property: for any order of the changes, with duplicates and however the batches are
    cut, handling in batches gives the same advis (recipients, texts, content or not), the
    same subscriptions and the same duplicates as handling one event at a time."""
    order = data.draw(st.lists(st.integers(0, len(changes) - 1), min_size=1, max_size=20),
                      label="order")
    envelopes = [changes[i] for i in order]
    cuts = sorted(data.draw(st.sets(st.integers(1, len(envelopes)), max_size=4),
                            label="cuts") | {0, len(envelopes)})

    def one_at_a_time() -> list[int | None]:
        return [advis.handle(envelope) for envelope in envelopes]

    def in_batches() -> list[int | None]:
        results: list[int | None] = []
        for start, end in zip(cuts, cuts[1:], strict=False):
            results += advis.handle_batch(envelopes[start:end])
        return results

    single = rolled_back(one_at_a_time)
    batched = rolled_back(in_batches)
    assert batched == single


def test_the_batch_follows_subscriptions_made_and_ended_within_it(changes, anna, bo,
                                                                 family):
    """The note anna wrote after bo opened Noah's case reaches bo (he follows Noah's
    family, Liva included); the one before does not reach him. Handing over Liva's case
    ends anna's automatic subscription: what comes after does not reach her."""
    results = advis.handle_batch(changes)
    assert None not in results
    texts = {(a.staff.user.username, a.text.split(" (")[0])
             for a in Advis.objects.select_related("staff__user")}
    assert ("bo", "Nyt journalnotat: Skolebesøg") in texts
    assert ("bo", "Nyt journalnotat: Samtale med Liva") not in texts  # his own change
    assert ("anna", "Nyt journalnotat: Samtale med Liva") in texts
    assert ("anna", "Nyt journalnotat: Efter overdragelsen") not in texts
    assert ("bo", "Nyt journalnotat: Efter overdragelsen") in texts
    # The hidden category: carl and dorte, who follow Mette without a basis for it, are
    # not told that anything happened (the children's caseworkers have § 20's basis).
    hidden = Advis.objects.filter(department__code="misbrugscenter")
    assert {a.staff.user.username for a in hidden.select_related("staff__user")} <= {
        "anna", "bo"}
    assert hidden.exists() and all(a.may_open for a in hidden)
    assert advis.handle_batch(changes) == [None if advis.handles(e["type"]) else 0
                                           for e in changes]


def test_a_duplicate_inside_one_batch_makes_its_advis_once(anna, bo, family):
    case = open_case(anna, family.liva)
    deliver()
    note(bo, case)
    [envelope] = [e for e in pending() if e["type"] == "cases.journal.entry_added"]
    assert advis.handle_batch([envelope, dict(envelope), envelope]) == [1, None, None]
    assert Advis.objects.filter(staff__user=anna).count() == 1
    assert ConsumedEvent.objects.filter(event_id=envelope["id"]).count() == 1
    assert advis.handle_batch([envelope]) == [None]  # and in a later batch


def test_a_failing_event_does_not_hold_back_the_others_in_its_batch(
        anna, bo, family, monkeypatch, caplog):
    """A bug on one event (here: loading its journal entry) makes the publisher handle
    its batch one event at a time: the others get their advis, the outbox moves on."""
    case = open_case(anna, family.liva)
    deliver()
    entries = [note(bo, case, title=f"Notat {i}") for i in range(4)]
    bad = entries[2].uuid
    load = advis.LOADERS["journalentry"]

    def buggy(keys):
        if bad in keys:
            raise KeyError("fejl i indlæsningen")
        return load(keys)

    monkeypatch.setitem(advis.LOADERS, "journalentry", buggy)
    with caplog.at_level(logging.WARNING, logger="helhed.sharing.advis"):
        assert deliver() >= 4
    titles = sorted(a.text.split(":")[1].split("(")[0].strip()
                    for a in Advis.objects.filter(staff__user=anna))
    assert titles == ["Notat 0", "Notat 1", "Notat 3"]
    assert not OutboxEvent.objects.filter(published_at__isnull=True).exists()
    assert "one by one" in caplog.text and str(entries[2].uuid) not in {
        str(a.object_id) for a in Advis.objects.all()}


def test_a_database_error_leaves_the_whole_batch_to_be_tried_again(anna, bo, family,
                                                                  monkeypatch):
    case = open_case(anna, family.liva)
    deliver()
    note(bo, case, title="Første")
    note(bo, case, title="Anden")

    def down(keys):
        raise DatabaseError("databasen svarer ikke")

    monkeypatch.setitem(advis.LOADERS, "journalentry", down)
    with pytest.raises(DatabaseError):
        deliver()
    assert not Advis.objects.exists() and not ConsumedEvent.objects.filter(
        event_id__in=[e["id"] for e in pending()]).exists()
    assert OutboxEvent.objects.filter(published_at__isnull=True).count() >= 2
    monkeypatch.undo()
    deliver()  # tried again: made once
    assert Advis.objects.filter(staff__user=anna).count() == 2


def test_an_event_whose_data_the_database_refuses_is_skipped_not_retried_forever(
        anna, bo, family, monkeypatch, caplog):
    """A DataError comes from the event's own data (a value too long, out of range): the
    same batch would fail the same way on every retry and hold back the outbox for good.
    The batch is handled one by one instead, and only that event is left out."""
    case = open_case(anna, family.liva)
    deliver()
    entries = [note(bo, case, title=f"Notat {i}") for i in range(3)]
    bad = entries[1].uuid
    load = advis.LOADERS["journalentry"]

    def refused(keys):
        if bad in keys:
            raise DataError("værdien er for lang")
        return load(keys)

    monkeypatch.setitem(advis.LOADERS, "journalentry", refused)
    with caplog.at_level(logging.WARNING, logger="helhed.sharing.advis"):
        deliver()
    assert not OutboxEvent.objects.filter(published_at__isnull=True).exists()
    titles = sorted(a.text.split(":")[1].split("(")[0].strip()
                    for a in Advis.objects.filter(staff__user=anna))
    assert titles == ["Notat 0", "Notat 2"]
    assert "refuses" in caplog.text


def _children(anna, dorte, count: int) -> list[Any]:
    """Children with a mother each and a case with anna responsible; dorte (no content
    basis) follows each child by hand."""
    cases = []
    for i in range(count):
        birth = dt.date(2014 + i % 8, 1 + i % 12, 1 + i % 28)
        child = personas.make_citizen(f"99{i:08d}", f"Barn{i}", "Test", "K", birth)
        mother = personas.make_citizen(f"98{i:08d}", f"Mor{i}", "Test", "K",
                                       dt.date(1985, 1, 1))
        ParentChild.objects.create(parent=mother, child=child, kind="mor",
                                   valid_from=birth, registered_at=child.created_at)
        cases.append(open_case(anna, child, title=f"Undersøgelse {i}"))
        subscriptions.subscribe(dorte, child.uuid, family=False)
    deliver()
    return cases


def test_the_queries_of_a_batch_do_not_grow_with_its_number_of_events(anna, bo, dorte):
    cases = _children(anna, dorte, 25)
    for i in range(50):
        note(bo, cases[i % len(cases)], title=f"Notat {i}")
    envelopes = [e for e in pending() if e["type"] == "cases.journal.entry_added"]
    assert len(envelopes) == 50

    def queries(batch: list[dict[str, Any]]) -> tuple[int, int, list[int | None]]:
        point = transaction.savepoint()
        try:
            with CaptureQueriesContext(connection) as captured:
                results = advis.handle_batch(batch)
        finally:
            transaction.savepoint_rollback(point)
        inserts = sum(1 for q in captured.captured_queries
                      if q["sql"].startswith("INSERT") and '"sharing_advis"' in q["sql"])
        return len(captured.captured_queries) - inserts, inserts, results

    small, small_inserts, small_results = queries(envelopes[:5])
    large, large_inserts, large_results = queries(envelopes)
    assert small_results == [2] * 5 and large_results == [2] * 50  # anna's and dorte's
    assert large == small <= 25
    # One INSERT for the advis (SQLite: Django's at most 999 parameters a statement).
    assert small_inserts == 1 and large_inserts <= math.ceil(100 * 15 / 999)
