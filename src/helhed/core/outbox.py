"""Publishing the outbox: in-process handlers (embedded) or RabbitMQ (server).

``drain`` takes pending events in order, hands them to a transport and marks them
published. If the transport fails, the events stay pending and are tried again later:
nothing is lost while a broker is down. Delivery is at-least-once; every envelope carries
its id so that consumers can drop duplicates.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from typing import Any, Protocol

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F

from helhed.core import clock
from helhed.core.events import batches_for, handlers_for
from helhed.core.models import OutboxEvent

log = logging.getLogger(__name__)


class Transport(Protocol):
    def publish(self, events: Sequence[OutboxEvent]) -> None: ...

    def close(self) -> None: ...


class InProcessTransport:
    """Calls the handlers registered with ``helhed.core.events.subscribe`` once per event,
    in order, then those registered with ``subscribe_batch`` once per batch."""

    def publish(self, events: Sequence[OutboxEvent]) -> None:
        envelopes = [event.envelope() for event in events]
        for event, envelope in zip(events, envelopes, strict=True):
            for handler in handlers_for(event.type):
                handler(envelope)
        for batch_handler, chosen in batches_for(envelopes):
            batch_handler(chosen)

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

        if self._connection is not None and self._connection.is_open:
            try:
                # Answer heartbeats and notice a connection the broker dropped while idle.
                self._connection.process_data_events(time_limit=0)
            except pika.exceptions.AMQPError:
                self.close()
        if self._channel is None or self._channel.is_closed:
            self.close()
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
            envelope = event.envelope()
            channel.basic_publish(
                exchange=self.exchange,
                routing_key=event.type,
                body=json.dumps(envelope).encode(),
                properties=pika.BasicProperties(
                    content_type="application/json",
                    delivery_mode=pika.DeliveryMode.Persistent,
                    message_id=envelope["id"],
                    correlation_id=envelope["transaction"],
                    type=event.type,
                    app_id="helhed",
                    timestamp=int(event.occurred_at.timestamp()),
                    headers=filter_headers(envelope),
                ),
                mandatory=False,
            )

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail too
                log.debug("outbox: closing the AMQP connection failed", exc_info=True)


def filter_headers(envelope: dict[str, Any]) -> dict[str, str]:
    """The envelope's filtering data as AMQP headers, for headers-exchange subscribers."""
    return {
        "object_type": envelope["object"]["type"],
        "sender": envelope["sender"],
        "sensitivity": envelope["sensitivity"],
        "kle": envelope["kle"] or "",
    }


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
    On PostgreSQL the batch is locked (``SKIP LOCKED``), so several workers never publish
    the same event at once.
    """
    with transaction.atomic():
        query = OutboxEvent.objects.filter(published_at__isnull=True).order_by("seq")
        if connection.vendor == "postgresql":
            query = query.select_for_update(skip_locked=True)
        events = list(query[:batch_size])
        if not events:
            return 0
        seqs = [e.seq for e in events]
        try:
            # A savepoint: what in-process handlers wrote is undone if one of them fails.
            with transaction.atomic():
                transport.publish(events)
        except Exception as exc:  # noqa: BLE001 - recorded below, then re-raised
            failure = exc
        else:
            OutboxEvent.objects.filter(seq__in=seqs).update(published_at=clock.now())
            return len(events)
    log.warning("outbox: publishing %d events failed: %s", len(seqs), failure)
    transport.close()
    OutboxEvent.objects.filter(seq__in=seqs).update(
        attempts=F("attempts") + 1, last_error=(str(failure) or repr(failure))[:500]
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


# The publishers' pace (helhed serve's thread and helhed worker): look in an empty outbox
# every 50 ms, and after a batch that was not full wait 100 ms so the next gathers more
# events (benchmarks/advis.py: p95 0.2–0.3 s from a change to its advis at 100/s).
IDLE_SECONDS = 0.05
LINGER_SECONDS = 0.1


def warm_up() -> None:
    """Load the URL configuration (and the API it mounts) before the first batch: a
    consumer that builds links would otherwise pay 0.3–2 s on its first event."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imported for its side effect


def run_forever(
    transport: Transport, *, idle_seconds: float = 0.5, max_backoff: float = 30.0,
    stop: threading.Event | None = None, linger_seconds: float = 0.0,
    batch_size: int = 200,
) -> None:
    """The worker loop: drain, sleep when idle, back off while the transport is down.

    ``linger_seconds``: after a batch that was not full, wait this long before the next,
    so that it gathers more events: a batch handler (``events.subscribe_batch``) then
    does its fixed work once for many events instead of once for every one or two, at
    the price of at most this much latency. A full batch is followed at once.

    Returns when ``stop`` is set (checked between batches and while waiting).
    """
    stop = stop or threading.Event()
    backoff = idle_seconds
    while not stop.is_set():
        if not connection.in_atomic_block:
            close_old_connections()  # drop a broken or expired database connection
        try:
            published = drain_once(transport, batch_size)  # one batch: a stop is noticed soon
            backoff = idle_seconds
        except Exception as exc:  # noqa: BLE001 - keep the worker alive, retry later
            published = 0
            backoff = min(max_backoff, backoff * 2)
            log.warning("outbox: retrying in %.1f s after: %s", backoff, exc)
        if not published:
            stop.wait(backoff)
        elif published < batch_size and linger_seconds > 0:
            stop.wait(linger_seconds)
