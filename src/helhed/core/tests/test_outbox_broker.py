"""Publishing to the real RabbitMQ at 127.0.0.1:5672 (guest/guest).

Run with the broker up; deselect with ``-m "not broker"`` where there is none. Each test
uses its own exchange and queue and removes them afterwards.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pika
import pytest
from django.db import transaction
from pika.adapters.blocking_connection import BlockingChannel

from helhed.core import outbox
from helhed.core.events import emit
from helhed.core.models import OutboxEvent

pytestmark = [pytest.mark.broker, pytest.mark.django_db]

BROKER = os.environ.get("HELHED_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
NO_BROKER = "amqp://guest:guest@127.0.0.1:5999/%2F"


@dataclass
class Received:
    routing_key: str
    message_id: str
    correlation_id: str
    content_type: str
    delivery_mode: int
    headers: dict[str, Any]
    body: dict[str, Any]


@dataclass
class Exchange:
    name: str
    queue: str
    channel: BlockingChannel

    def received(self) -> list[Received]:
        messages: list[Received] = []
        while True:
            method, props, body = self.channel.basic_get(self.queue, auto_ack=True)
            if method is None:
                return messages
            messages.append(Received(
                method.routing_key, props.message_id, props.correlation_id,
                props.content_type, props.delivery_mode, props.headers or {}, json.loads(body)))


@pytest.fixture
def exchange() -> Iterator[Exchange]:
    connection = pika.BlockingConnection(pika.URLParameters(BROKER))
    channel = connection.channel()
    name = f"helhed.test-{uuid.uuid4().hex[:12]}.events"
    channel.exchange_declare(name, exchange_type="topic", durable=True)
    queue = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(queue, name, routing_key="#")
    try:
        yield Exchange(name, queue, channel)
    finally:
        channel.queue_delete(queue)
        channel.exchange_delete(name)
        connection.close()


def _emit(n: int) -> list[OutboxEvent]:
    with transaction.atomic():
        return [emit(f"people.test.n{i % 2}", object_type="citizen", object_id=i,
                     citizen=uuid.uuid4(), actor="anna", kle="27.24.00", payload={"n": i})
                for i in range(n)]


def test_events_reach_rabbitmq_with_envelope_routing_key_and_message_id(
    exchange: Exchange,
) -> None:
    emitted = _emit(3)
    transport = outbox.AmqpTransport(BROKER, exchange.name)
    try:
        assert outbox.drain(transport) == 3
    finally:
        transport.close()
    received = exchange.received()
    assert [m.message_id for m in received] == [str(e.id) for e in emitted]
    for message, event in zip(received, emitted, strict=True):
        event.refresh_from_db()
        assert message.routing_key == event.type
        assert message.body == json.loads(json.dumps(event.envelope()))
        assert message.correlation_id == str(event.transaction_id)
        assert message.content_type == "application/json" and message.delivery_mode == 2
        assert message.headers["kle"] == "27.24.00"
        assert message.headers["object_type"] == "citizen"
    assert outbox.pending_count() == 0


def test_an_unreachable_broker_loses_nothing_and_recovery_sends_each_once(
    exchange: Exchange,
) -> None:
    emitted = _emit(5)
    down = outbox.AmqpTransport(NO_BROKER, exchange.name)
    for _attempt in range(2):
        with pytest.raises(pika.exceptions.AMQPConnectionError):
            outbox.drain(down)
    assert outbox.pending_count() == 5
    assert {e.attempts for e in OutboxEvent.objects.all()} == {2}
    assert all(e.last_error for e in OutboxEvent.objects.all())
    assert exchange.received() == []

    up = outbox.AmqpTransport(BROKER, exchange.name)
    try:
        assert outbox.drain(up) == 5
        assert outbox.drain(up) == 0
    finally:
        up.close()
    ids = [m.message_id for m in exchange.received()]
    assert sorted(ids) == sorted(str(e.id) for e in emitted)  # none lost, none twice
    assert outbox.pending_count() == 0


def test_a_connection_dropped_while_idle_is_reopened(exchange: Exchange) -> None:
    transport = outbox.AmqpTransport(BROKER, exchange.name)
    try:
        _emit(1)
        assert outbox.drain(transport) == 1
        transport._connection.close()  # as when the broker restarts between batches
        _emit(2)
        assert outbox.drain(transport) == 2
    finally:
        transport.close()
    assert len(exchange.received()) == 3
