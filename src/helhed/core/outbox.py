"""Publishing the outbox: in-process handlers (embedded) or RabbitMQ (server).

``drain`` takes pending events in order, hands them to a transport and marks them
published. If the transport fails, the events stay pending and are tried again later:
nothing is lost while a broker is down. Delivery is at-least-once; every envelope carries
its id so that consumers can drop duplicates.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from helhed.core import clock
from helhed.core.events import handlers_for
from helhed.core.models import OutboxEvent

log = logging.getLogger(__name__)


class Transport(Protocol):
    def publish(self, events: Sequence[OutboxEvent]) -> None: ...

    def close(self) -> None: ...


class InProcessTransport:
    """Calls the handlers registered with ``helhed.core.events.subscribe``."""

    def publish(self, events: Sequence[OutboxEvent]) -> None:
        for event in events:
            envelope = event.envelope()
            for handler in handlers_for(event.type):
                handler(envelope)

    def close(self) -> None:
        return None


class AmqpTransport:
    """Publishes to one topic exchange per municipality, routed by event type.

    Uses publisher confirms: ``publish`` returns only when RabbitMQ has taken every
    message, so an event is marked published only once the broker holds it.
    """

    def __init__(self, url: str | None = None, exchange: str | None = None) -> None:
        self.url = url or settings.HELHED_AMQP_URL
        self.exchange = exchange or exchange_name()
        self._channel: Any = None
        self._connection: Any = None

    def _open(self) -> Any:
        import pika

        if self._channel is None or self._channel.is_closed:
            params = pika.URLParameters(self.url)
            params.socket_timeout = 5
            params.blocked_connection_timeout = 10
            self._connection = pika.BlockingConnection(params)
            self._channel = self._connection.channel()
            self._channel.exchange_declare(self.exchange, exchange_type="topic", durable=True)
            self._channel.confirm_delivery()
        return self._channel

    def publish(self, events: Sequence[OutboxEvent]) -> None:
        import pika

        channel = self._open()
        for event in events:
            channel.basic_publish(
                exchange=self.exchange,
                routing_key=event.type,
                body=json.dumps(event.envelope()).encode(),
                properties=pika.BasicProperties(
                    content_type="application/json",
                    delivery_mode=pika.DeliveryMode.Persistent,
                    message_id=str(event.id),
                    type=event.type,
                    timestamp=int(event.occurred_at.timestamp()),
                ),
                mandatory=False,
            )

    def close(self) -> None:
        if self._connection is not None and self._connection.is_open:
            self._connection.close()
        self._connection = self._channel = None


def exchange_name() -> str:
    return f"helhed.{settings.HELHED_MUNICIPALITY_CODE}.events"


def default_transport() -> Transport:
    if settings.HELHED_EVENT_TRANSPORT == "amqp":
        return AmqpTransport()
    return InProcessTransport()


def pending_count() -> int:
    return OutboxEvent.objects.filter(published_at__isnull=True).count()


def drain_once(transport: Transport, batch_size: int = 200) -> int:
    """Publish one batch of pending events. Returns how many were published.

    Raises the transport's error after recording it on the events, which stay pending.
    """
    failure: Exception | None = None
    with transaction.atomic():
        query = OutboxEvent.objects.filter(published_at__isnull=True).order_by("seq")
        if connection.vendor == "postgresql":
            query = query.select_for_update(skip_locked=True)
        events = list(query[:batch_size])
        if not events:
            return 0
        seqs = [e.seq for e in events]
        try:
            transport.publish(events)
        except Exception as exc:  # noqa: BLE001 - re-raised below, after recording it
            failure = exc
        else:
            OutboxEvent.objects.filter(seq__in=seqs).update(published_at=clock.now())
            return len(events)
    log.warning("outbox: publishing %d events failed: %s", len(seqs), failure)
    transport.close()
    OutboxEvent.objects.filter(seq__in=seqs).update(
        attempts=F("attempts") + 1, last_error=str(failure)[:500]
    )
    raise failure


def drain(transport: Transport, batch_size: int = 200) -> int:
    """Publish everything pending now. Returns the count; raises if the transport fails."""
    total = 0
    while True:
        published = drain_once(transport, batch_size)
        if not published:
            return total
        total += published


def run_forever(
    transport: Transport, *, idle_seconds: float = 0.5, max_backoff: float = 30.0,
    stop: Any = None,
) -> None:
    """The worker loop: drain, sleep when idle, back off while the transport is down."""
    backoff = idle_seconds
    while stop is None or not stop.is_set():
        try:
            published = drain(transport)
            backoff = idle_seconds
        except Exception:  # noqa: BLE001 - logged in drain_once; keep the worker alive
            published = 0
            backoff = min(max_backoff, backoff * 2)
        if not published:
            if stop is not None:
                stop.wait(backoff)
            else:
                time.sleep(backoff)
