"""The advis consumer on the real RabbitMQ (server profile): its own durable queue bound
with ``cases.#`` and ``sharing.#``, manual acks after the commit, a consumer that was away
gets what it missed, duplicates from the broker are absorbed, and the policy holds on this
path too. Skipped when no broker answers."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pika
import pytest
from django.core.management import call_command
from django.test import override_settings

from helhed.core import clock, outbox
from helhed.core.models import OutboxEvent
from helhed.sharing import consumers, subscriptions
from helhed.sharing.models import Advis, ConsumedEvent
from helhed.sharing.tests.advis_helpers import (  # noqa: F401 - fixture
    BROKER,
    RecordingConsumer,
    amqp,
    make_staff_in,
    note,
    open_case,
)

pytestmark = [pytest.mark.broker, pytest.mark.django_db]

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


def publish(exchange: str) -> int:
    transport = outbox.AmqpTransport(BROKER, exchange)
    try:
        return outbox.drain(transport)
    finally:
        transport.close()


def queue_depth(queue: str) -> int:
    connection = pika.BlockingConnection(pika.URLParameters(BROKER))
    try:
        return int(connection.channel().queue_declare(queue, durable=True,
                                                      passive=True).method.message_count)
    finally:
        connection.close()


def advis_events() -> list[OutboxEvent]:
    return [e for e in OutboxEvent.objects.order_by("seq")
            if e.type.startswith(("cases.", "sharing."))]


def test_the_queue_is_durable_named_by_municipality_and_bound_to_cases_and_sharing(amqp):  # noqa: F811 - the fixture
    exchange, _ = amqp
    assert consumers.queue_name("0751") == "helhed.0751.advis"
    with override_settings(HELHED_MUNICIPALITY_CODE="0999"):
        assert consumers.AmqpAdvisConsumer(url=BROKER).queue == "helhed.0999.advis"
    assert consumers.ROUTING_KEYS == ("cases.#", "sharing.#")


def test_a_consumer_that_was_away_gets_everything_it_missed(amqp, anna, bo, family):  # noqa: F811 - the fixture
    exchange, queue = amqp
    away = RecordingConsumer(BROKER, exchange, queue)
    away.open()  # declares and binds its durable queue …
    away.close()  # … and goes away
    case = open_case(anna, family.liva)
    publish(exchange)
    away.consume_available()  # back once: the case's subscription is made
    away.close()
    for i in range(5):
        note(bo, case, title=f"Notat {i}")
    # people.* events are published too, but the advis queue is not bound to them
    assert publish(exchange) >= 5
    assert queue_depth(queue) == 5 + 1  # five journal entries and the subscription event
    back = RecordingConsumer(BROKER, exchange, queue)
    try:
        assert back.consume_available() == 6
    finally:
        back.close()
    assert queue_depth(queue) == 0
    texts = sorted(a.text.split(" (")[0] for a in Advis.objects.filter(staff__user=anna))
    assert texts == [f"Nyt journalnotat: Notat {i}" for i in range(5)]
    assert set(away.seen) | set(back.seen) == {str(e.id) for e in advis_events()}


def test_duplicates_from_the_broker_are_handled_once(amqp, anna, bo, family):  # noqa: F811 - the fixture
    exchange, queue = amqp
    consumer = RecordingConsumer(BROKER, exchange, queue)
    consumer.open()
    case = open_case(anna, family.liva)
    publish(exchange)
    consumer.consume_available()
    note(bo, case)
    publish(exchange)
    # The worker died after RabbitMQ confirmed but before it marked the batch: sent again.
    OutboxEvent.objects.filter(type="cases.journal.entry_added").update(published_at=None)
    publish(exchange)
    try:
        # the subscription made for anna, the journal entry, and the entry again
        assert consumer.consume_available() == 3
    finally:
        consumer.close()
    assert consumer.duplicates == 1
    [event] = OutboxEvent.objects.filter(type="cases.journal.entry_added")
    assert consumer.seen.count(str(event.id)) == 2
    assert ConsumedEvent.objects.filter(event_id=event.id).count() == 1
    assert Advis.objects.filter(event_id=event.id).count() == 1


def test_the_policy_holds_on_the_broker_path(amqp, anna, dorte, carl, family):  # noqa: F811 - the fixture
    exchange, queue = amqp
    rita = make_staff_in("rita", "misbrugscenter", "Rusmiddelvisitationen")
    consumer = RecordingConsumer(BROKER, exchange, queue)
    consumer.open()
    subscriptions.subscribe(dorte, family.mother.uuid, family=False)
    open_case(rita, family.mother, title="Alkoholbehandling", kle="29")  # hidden category
    open_case(carl, family.mother, title="Hjemmehjælp efter fald", kle="27")  # not hidden
    publish(exchange)
    try:
        consumer.consume_available()
    finally:
        consumer.close()
    [only] = Advis.objects.filter(staff__user=dorte)
    assert only.event_type == "cases.case.opened" and not only.may_open
    assert "Social og Handicap" in only.text and "Hjemmehjælp" not in only.text
    assert not Advis.objects.filter(text__icontains="alkohol").exists()
    assert not Advis.objects.filter(text__icontains="Rusmiddelcenter").exists()


def test_a_message_that_is_not_an_envelope_is_dropped_not_retried(amqp):  # noqa: F811 - the fixture
    exchange, queue = amqp
    consumer = RecordingConsumer(BROKER, exchange, queue)
    channel = consumer.open()
    channel.basic_publish(exchange, "cases.case.opened", b"not json")
    try:
        consumer.consume_available()
    finally:
        consumer.close()
    assert queue_depth(queue) == 0 and not ConsumedEvent.objects.exists()


def test_the_command_handles_what_is_waiting(amqp, anna, bo, family):  # noqa: F811 - the fixture
    exchange, queue = amqp
    consumer = consumers.AmqpAdvisConsumer(BROKER, exchange, queue)
    consumer.open()
    consumer.close()
    case = open_case(anna, family.liva)
    publish(exchange)
    out = StringIO()
    with override_settings(HELHED_AMQP_URL=BROKER):
        from unittest import mock

        with mock.patch.object(consumers.outbox, "exchange_name", return_value=exchange), \
                mock.patch.object(consumers, "queue_name", return_value=queue):
            call_command("consume_advis", "--once", stdout=out)
            note(bo, case)
            publish(exchange)
            call_command("consume_advis", "--once", stdout=out)
    assert "Behandlet: 2 hændelser" in out.getvalue()  # case opened + subscription made
    assert "Behandlet: 1 hændelser" in out.getvalue()
    assert Advis.objects.filter(staff__user=anna).count() == 1


def test_messages_waiting_together_are_handled_as_one_batch(amqp, anna, bo, family):  # noqa: F811 - the fixture
    exchange, queue = amqp
    consumer = RecordingConsumer(BROKER, exchange, queue)
    consumer.open()
    case = open_case(anna, family.liva)
    publish(exchange)
    consumer.consume_available()
    for i in range(12):
        note(bo, case, title=f"Notat {i}")
    publish(exchange)
    consumer.batches.clear()
    try:
        # the twelve entries, and the subscription made for anna when the case was opened
        assert consumer.consume_available() == 13
    finally:
        consumer.close()
    assert sum(consumer.batches) == 13 and max(consumer.batches) > 1
    assert Advis.objects.filter(staff__user=anna).count() == 12
    assert queue_depth(queue) == 0


def test_a_bad_event_in_a_batch_is_dropped_alone_on_the_broker_path(amqp, anna, bo, family,  # noqa: F811 - the fixture
                                                                   monkeypatch):
    from helhed.sharing import advis

    exchange, queue = amqp
    consumer = RecordingConsumer(BROKER, exchange, queue)
    consumer.open()
    case = open_case(anna, family.liva)
    publish(exchange)
    consumer.consume_available()
    entries = [note(bo, case, title=f"Notat {i}") for i in range(4)]
    load = advis.LOADERS["journalentry"]

    def buggy(keys):
        if entries[1].uuid in keys:
            raise KeyError("fejl")
        return load(keys)

    monkeypatch.setitem(advis.LOADERS, "journalentry", buggy)
    publish(exchange)
    try:
        # acknowledged: three entries and anna's subscription; the bad one is dropped
        assert consumer.consume_available() == 4
    finally:
        consumer.close()
    titles = sorted(a.text.split(":")[1].split("(")[0].strip()
                    for a in Advis.objects.filter(staff__user=anna))
    assert titles == ["Notat 0", "Notat 2", "Notat 3"]
    assert queue_depth(queue) == 0  # not requeued for ever
    assert not ConsumedEvent.objects.filter(event_id=entries[1].uuid).exists()
