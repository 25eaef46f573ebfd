"""Emitting domain events into the transactional outbox (ARCHITECTURE.md rule 2).

``emit`` must run inside the transaction that makes the change: an event is then
stored if and only if the change is, and it is never lost because a broker was down.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from helhed.core import clock
from helhed.core.models import OutboxEvent, Sensitivity

Handler = Callable[[dict[str, Any]], None]
_handlers: list[tuple[str, Handler]] = []


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
