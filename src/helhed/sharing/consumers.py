"""The advis consumer, wired two ways (docs/events.md):

- **embedded**: :func:`register` registers :func:`on_batch` as an in-process batch handler
  (``core.events.subscribe_batch``) for ``cases.``, ``sharing.external_case.`` and
  ``plans.`` events; the outbox publisher calls it once per batch, inside its batch
  transaction (``advis.handle_batch_safely``).
- **server**: :class:`AmqpAdvisConsumer` (``helhed consume_advis``) declares its own
  durable queue ``helhed.<municipality>.advis``, binds it to the municipality's exchange
  with :data:`ROUTING_KEYS`, and handles the messages waiting for it (up to ``batch``,
  those the broker has already sent under its prefetch) as one batch in one database
  transaction, acknowledging them only after the commit; if the batch fails on a bug, its
  messages are handled one by one, each in its own transaction. A message delivered again
  (the publisher sent it twice, or the consumer died before its ack) is absorbed by
  ``ConsumedEvent``; a consumer that was away finds what it missed waiting in its durable
  queue.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection

from helhed.core import events, outbox
from helhed.sharing import advis

log = logging.getLogger(__name__)

ROUTING_KEYS = ("cases.#", "sharing.#")
IN_PROCESS_PREFIXES = ("cases.", "sharing.external_case.", "plans.")


def queue_name(code: str | None = None) -> str:
    return f"helhed.{code or settings.HELHED_MUNICIPALITY_CODE}.advis"


def on_event(envelope: dict[str, Any]) -> None:
    """One event in-process (a batch of one)."""
    advis.handle_safely(envelope)


def on_batch(envelopes: list[dict[str, Any]]) -> None:
    """The in-process batch handler (embedded profile)."""
    advis.handle_batch_safely(envelopes)


_registered = False


def register() -> None:
    """Register the in-process handler once per process (``sharing.apps`` calls this)."""
    global _registered  # noqa: PLW0603 - one registration per process
    if _registered:
        return
    for prefix in IN_PROCESS_PREFIXES:
        events.subscribe_batch(prefix)(on_batch)
    _registered = True


class AmqpAdvisConsumer:
    """Consumes the advis queue from RabbitMQ with manual acknowledgements."""

    def __init__(self, url: str | None = None, exchange: str | None = None,
                 queue: str | None = None, consumer: str = advis.CONSUMER,
                 prefetch: int = 100, batch: int = 100) -> None:
        self.url = url or settings.HELHED_AMQP_URL
        self.exchange = exchange or outbox.exchange_name()
        self.queue = queue or queue_name()
        self.consumer = consumer
        self.prefetch = prefetch
        self.batch = max(1, min(batch, prefetch))  # at most what the broker lends us
        self._connection: Any = None
        self._channel: Any = None
        self.handled = 0  # messages acknowledged
        self.duplicates = 0  # of which handled before (absorbed by ConsumedEvent)

    def open(self) -> Any:
        import pika

        if self._channel is not None and self._channel.is_open:
            return self._channel
        self.close()
        params = pika.URLParameters(self.url)
        params.socket_timeout = 5
        self._connection = pika.BlockingConnection(params)
        channel = self._connection.channel()
        self.declare(channel)
        channel.basic_qos(prefetch_count=self.prefetch)
        self._channel = channel
        return channel

    def declare(self, channel: Any) -> None:
        """The exchange (as the publisher declares it), the durable queue and its bindings."""
        channel.exchange_declare(self.exchange, exchange_type="topic", durable=True)
        channel.queue_declare(self.queue, durable=True)
        for key in ROUTING_KEYS:
            channel.queue_bind(self.queue, self.exchange, routing_key=key)

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail too
                log.debug("advis: closing the AMQP connection failed", exc_info=True)

    def _on_message(self, channel: Any, method: Any, body: bytes) -> None:
        """One message (a batch of one)."""
        self._on_messages(channel, [(method, body)])

    def _on_messages(self, channel: Any, messages: list[tuple[Any, bytes]]) -> None:
        """Handle messages as one batch (one database transaction); acknowledge each only
        after the commit. A message that is not an envelope is dropped."""
        batch: list[tuple[Any, dict[str, Any]]] = []
        for method, body in messages:
            try:
                envelope = json.loads(body)
                if not isinstance(envelope, dict):
                    raise ValueError("not an object")
            except ValueError:
                log.error("advis: dropping a message that is not a JSON envelope")
                channel.basic_nack(method.delivery_tag, requeue=False)
                continue
            batch.append((method, envelope))
        if batch:
            if not connection.in_atomic_block:
                close_old_connections()  # drop a broken or expired database connection
            self._handle(channel, batch)

    def _handle(self, channel: Any, batch: list[tuple[Any, dict[str, Any]]]) -> None:
        try:
            # In its own transaction: committed before we acknowledge.
            results = advis.handle_batch([envelope for _, envelope in batch], self.consumer)
        except DatabaseError:
            # The database is unavailable: the messages go back to the queue.
            for method, _ in batch:
                channel.basic_nack(method.delivery_tag, requeue=True)
            raise
        except Exception:
            if len(batch) > 1:
                log.warning("advis: a batch of %d messages failed; handling them one by one",
                            len(batch), exc_info=True)
                for message in batch:
                    self._handle(channel, [message])
                return
            [(method, envelope)] = batch
            log.exception("advis: event %s failed; dropped", envelope.get("id"))
            channel.basic_nack(method.delivery_tag, requeue=False)
            return
        for (method, _), result in zip(batch, results, strict=True):
            channel.basic_ack(method.delivery_tag)
            self.handled += 1
            if result is None:
                self.duplicates += 1

    def _waiting(self, channel: Any, messages: Iterator[Any], method: Any, body: bytes
                 ) -> list[tuple[Any, bytes]]:
        """The message just received and those already waiting behind it (sent under the
        prefetch), up to ``batch``: what can be handled at once without waiting."""
        found = [(method, body)]
        while len(found) < self.batch and channel.get_waiting_message_count() > 0:
            method, _props, body = next(messages)
            if method is None:
                break
            found.append((method, body))
        return found

    def consume_available(self, idle_seconds: float = 0.5) -> int:
        """Handle what is in the queue until it has been quiet for ``idle_seconds``.
        Returns how many messages were handled (tests and ``--once``)."""
        channel = self.open()
        before = self.handled
        messages = channel.consume(self.queue, inactivity_timeout=idle_seconds)
        for method, _props, body in messages:
            if method is None:
                break
            self._on_messages(channel, self._waiting(channel, messages, method, body))
        channel.cancel()
        return self.handled - before

    def run_forever(self, stop: threading.Event | None = None, *, max_backoff: float = 30.0
                    ) -> None:
        """Consume until ``stop`` is set; reconnect with back-off while the broker (or the
        database) is away."""
        stop = stop or threading.Event()
        backoff = 0.5
        while not stop.is_set():
            try:
                channel = self.open()
                messages = channel.consume(self.queue, inactivity_timeout=0.5)
                for method, _props, body in messages:
                    if stop.is_set():
                        break
                    if method is not None:
                        self._on_messages(channel,
                                          self._waiting(channel, messages, method, body))
                backoff = 0.5
                if self._channel is not None and self._channel.is_open:
                    self._channel.cancel()
            except Exception as exc:  # noqa: BLE001 - keep consuming after the broker returns
                log.warning("advis: consumer retrying in %.1f s after: %s", backoff, exc)
                self.close()
                stop.wait(backoff)
                backoff = min(max_backoff, backoff * 2)
        self.close()


def wait_for(predicate: Any, timeout: float = 10.0, step: float = 0.05) -> bool:
    """Poll until ``predicate()`` is true (tests and the benchmark)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())
