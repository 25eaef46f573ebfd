"""K5/K6: stop RabbitMQ, keep working, start it again — no event is lost and none is
handled twice by the same consumer. With the real broker (mark ``broker``; skipped when it
does not answer).

The outage is made two ways: the publisher pointed at a closed port (the broker is
unreachable), and the publisher's live connection dropped between batches (the broker
restarted). Meanwhile caseworkers keep working: their changes only need the database.
Afterwards one batch is also published twice (a worker that died after RabbitMQ confirmed
but before it marked the batch), so the consumer really meets duplicates."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pika
import pytest

from helhed.cases import services
from helhed.core import clock, outbox
from helhed.core.models import OutboxEvent
from helhed.sharing import advis, subscriptions
from helhed.sharing.models import Advis, ConsumedEvent
from helhed.sharing.tests.advis_helpers import (  # noqa: F401 - fixture
    BROKER,
    NO_BROKER,
    RecordingConsumer,
    amqp,
    note,
    open_case,
)

pytestmark = [pytest.mark.broker, pytest.mark.django_db]

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


def bound(event: OutboxEvent) -> bool:
    """Whether the advis queue is bound to the event's routing key."""
    return event.type.startswith(("cases.", "sharing."))


def test_an_outage_loses_nothing_and_no_consumer_handles_an_event_twice(
        amqp, anna, bo, dorte, family):  # noqa: F811 - the fixture
    exchange, queue = amqp
    consumer = RecordingConsumer(BROKER, exchange, queue)
    consumer.open()  # the durable queue exists and is bound before anything happens
    consumer.close()
    publisher = outbox.AmqpTransport(BROKER, exchange)
    down = outbox.AmqpTransport(NO_BROKER, exchange)
    try:
        # Before: working normally.
        case = open_case(anna, family.liva)
        subscriptions.subscribe(dorte, family.liva.uuid, family=False)
        assert outbox.drain(publisher) > 0
        consumer.consume_available()

        # The broker goes away; caseworkers keep working.
        for attempt in range(3):
            note(bo, case, title=f"Under nedbrud {attempt}")
            with pytest.raises(pika.exceptions.AMQPConnectionError):
                outbox.drain(down)
        services.set_state(bo, case.uuid, "undersoegelse")
        pending = outbox.pending_count()
        # Three journal entries and the state change, all kept (and the subscription the
        # consumer made for anna when it saw her case).
        assert sorted(OutboxEvent.objects.filter(published_at__isnull=True)
                      .values_list("type", flat=True)) == [
            "cases.case.state_changed", *["cases.journal.entry_added"] * 3,
            "sharing.subscription.created"]
        assert all(e.attempts >= 1 and e.last_error for e in OutboxEvent.objects.filter(
            published_at__isnull=True, type="cases.journal.entry_added"))

        # It comes back: everything pending goes out.
        assert outbox.drain(publisher) == pending

        # It restarts between batches (the publisher's connection drops while idle).
        publisher._connection.close()
        note(bo, case, title="Efter genstart")
        assert outbox.drain(publisher) == 1

        # A worker died after the broker confirmed a batch, before marking it: sent again.
        again = list(OutboxEvent.objects.filter(type="cases.journal.entry_added")
                     .order_by("seq")[:2])
        OutboxEvent.objects.filter(pk__in=[e.pk for e in again]).update(published_at=None)
        assert outbox.drain(publisher) == 2
    finally:
        publisher.close()

    consumer.consume_available()
    consumer.close()

    expected = {str(e.id) for e in OutboxEvent.objects.all() if bound(e)}
    received = Counter(consumer.seen)
    assert set(received) == expected  # none lost
    assert {k for k, n in received.items() if n > 1} == {str(e.id) for e in again}
    assert consumer.duplicates == 2  # the broker's duplicates were absorbed …
    handled = Counter(ConsumedEvent.objects.filter(consumer="advis")
                      .values_list("event_id", flat=True))
    # … and every event the consumer acts on is handled once (sharing.subscription.* is
    # bound but not acted on).
    acted_on = {str(e.id) for e in OutboxEvent.objects.all() if advis.handles(e.type)}
    assert acted_on < expected
    assert {str(k) for k in handled} == acted_on and set(handled.values()) == {1}
    # Each journal entry and the state change made exactly one advis for each follower.
    for user, may_open in ((anna, True), (dorte, False)):
        rows = Advis.objects.filter(staff__user=user)
        by_event = Counter(rows.values_list("event_id", flat=True))
        assert set(by_event.values()) == {1}
        assert rows.filter(event_type="cases.journal.entry_added").count() == 4
        assert rows.filter(event_type="cases.case.state_changed").count() == 1
        assert {a.may_open for a in rows} == {may_open}
    assert outbox.pending_count() == 0
