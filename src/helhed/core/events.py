"""Emitting domain events into the transactional outbox (ARCHITECTURE.md rule 2).

``emit`` must run inside the transaction that makes the change: an event is then
stored if and only if the change is, and it is never lost because a broker was down.

In-process consumers register with :func:`subscribe` (called once per event) or with
:func:`subscribe_batch` (called once per published batch with all its events of the
prefixes, in order: a consumer that loads what it needs for many events at once).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from helhed.core import clock
from helhed.core.models import OutboxEvent, Sensitivity

Handler = Callable[[dict[str, Any]], None]
BatchHandler = Callable[[list[dict[str, Any]]], None]
_handlers: list[tuple[str, Handler]] = []
_batch_handlers: list[tuple[str, BatchHandler]] = []


class NotInTransactionError(RuntimeError):
    """``emit`` was called outside a transaction; the event could outlive a rolled-back change."""


class _TransactionMarker:
    """Sits in the connection's on-commit list for as long as the transaction lives.

    Django empties that list when the outermost transaction commits or rolls back, so a
    marker found there belongs to the current transaction.
    """

    def __init__(self) -> None:
        self.id = uuid.uuid4()

    def __call__(self) -> None:
        return None


def _transaction_id() -> uuid.UUID:
    """One id per database transaction, shared by every event it emits."""
    for entry in connection.run_on_commit:  # (savepoint ids, callback, robust)
        func = entry[1]
        if isinstance(func, _TransactionMarker):
            return func.id
    marker = _TransactionMarker()
    transaction.on_commit(marker)
    return marker.id


def emit(
    type: str,  # noqa: A002 - the envelope's own word
    *,
    object_type: str,
    object_id: object,
    actor: str = "",
    citizen: uuid.UUID | None = None,
    sensitivity: str = Sensitivity.CONFIDENTIAL,
    kle: str = "",
    payload: dict[str, Any] | None = None,
    sender: str | None = None,
) -> OutboxEvent:
    """Store an event in the outbox as part of the current transaction."""
    if not connection.in_atomic_block:
        raise NotInTransactionError(f"emit({type!r}) must run inside transaction.atomic()")
    return OutboxEvent.objects.create(
        type=type,
        occurred_at=clock.now(),
        transaction_id=_transaction_id(),
        object_type=object_type,
        object_id=str(object_id),
        citizen=citizen,
        actor=actor,
        sending_organisation=sender or f"kommune:{settings.HELHED_MUNICIPALITY_CODE}",
        sensitivity=sensitivity,
        kle=kle,
        payload=payload or {},
    )


def subscribe(type_prefix: str) -> Callable[[Handler], Handler]:
    """Register an in-process handler for events whose type starts with ``type_prefix``."""

    def register(handler: Handler) -> Handler:
        _handlers.append((type_prefix, handler))
        return handler

    return register


def handlers_for(event_type: str) -> list[Handler]:
    return [h for prefix, h in _handlers if event_type.startswith(prefix)]


def subscribe_batch(type_prefix: str) -> Callable[[BatchHandler], BatchHandler]:
    """Register an in-process handler that takes, once per published batch, the list of
    the batch's events whose type starts with ``type_prefix`` (in publishing order).

    A handler registered for several prefixes is called once per batch with the events of
    all of them; it is not called for a batch without any."""

    def register(handler: BatchHandler) -> BatchHandler:
        if (type_prefix, handler) not in _batch_handlers:
            _batch_handlers.append((type_prefix, handler))
        return handler

    return register


def batches_for(envelopes: Iterable[dict[str, Any]]
                ) -> list[tuple[BatchHandler, list[dict[str, Any]]]]:
    """Each batch handler with the envelopes it takes (in order), in registration order."""
    chosen: dict[BatchHandler, list[dict[str, Any]]] = {}
    for _, handler in _batch_handlers:
        chosen.setdefault(handler, [])
    for envelope in envelopes:
        event_type = str(envelope.get("type", ""))
        taken: set[int] = set()
        for prefix, handler in _batch_handlers:
            if event_type.startswith(prefix) and id(handler) not in taken:
                taken.add(id(handler))
                chosen[handler].append(envelope)
    return [(handler, found) for handler, found in chosen.items() if found]
