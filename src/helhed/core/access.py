"""Writing the append-only access log. Called by the policy door, not by views."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection

from helhed.core import clock
from helhed.core.models import AccessLogEntry


@dataclass(frozen=True)
class Look:
    """What one access was: at whose data, which category, why and on what basis."""

    subject: uuid.UUID | None
    category: str
    action: str
    purpose: str
    basis: str
    allowed: bool
    emergency: bool = False
    detail: str = ""


def _actor_fields(actor: AbstractBaseUser | AnonymousUser | None) -> dict[str, object]:
    if actor is None or not actor.is_authenticated:
        return {"actor": None, "actor_name": "anonym", "actor_unit": ""}
    staff = getattr(actor, "staff", None)
    full_name = getattr(actor, "get_full_name", None)
    name = (full_name() if callable(full_name) else "") or actor.get_username()
    unit = str(staff.unit) if staff is not None and staff.unit_id else ""
    return {"actor": actor, "actor_name": name, "actor_unit": unit}


# The entries recorded inside ``batch()``, written when it ends; None outside a batch.
_batch: ContextVar[list[AccessLogEntry] | None] = ContextVar("access_log_batch", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Write every look recorded inside in one statement when the block ends — also when
    it ends with an error, so a refusal stays in the log. A page that asks the door several
    times (the family overview: the citizen, the family, the relatives, the items) then
    writes the log once, in one commit, instead of once per question. Nested batches join
    the outermost one."""
    if _batch.get() is not None:
        yield
        return
    token = _batch.set([])
    try:
        yield
    finally:
        entries = _batch.get() or []
        _batch.reset(token)
        if entries:
            _write(entries)


def record(actor: AbstractBaseUser | AnonymousUser | None, looks: Iterable[Look]) -> int:
    """Append one entry per look, in one statement (inside ``batch()``: when the batch
    ends). Returns the number of entries."""
    who = _actor_fields(actor)
    at = clock.now()
    entries = [
        AccessLogEntry(
            at=at, subject=look.subject, category=look.category, action=look.action,
            purpose=look.purpose, basis=look.basis, allowed=look.allowed,
            emergency=look.emergency, detail=look.detail[:300], **who,
        )
        for look in looks
    ]
    pending = _batch.get()
    if pending is not None:
        pending.extend(entries)
    else:
        _write(entries)
    return len(entries)


# From this many entries, PostgreSQL gets them by COPY: a target-group search logs one
# look per citizen shown (up to 5 000), which as one INSERT took a third of a second.
COPY_FROM = 200
# The columns COPY writes, in the order of ``_row``.
_COLUMNS = ("at", "actor_id", "actor_name", "actor_unit", "subject", "category", "action",
            "purpose", "basis", "allowed", "emergency", "detail")


def _row(entry: AccessLogEntry) -> tuple[object, ...]:
    return (entry.at, entry.actor_id, entry.actor_name, entry.actor_unit, entry.subject,
            entry.category, entry.action, entry.purpose, entry.basis, entry.allowed,
            entry.emergency, entry.detail)


def _write(entries: list[AccessLogEntry]) -> None:
    if connection.vendor != "postgresql" or len(entries) < COPY_FROM:
        AccessLogEntry.objects.bulk_create(entries)
        return
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for entry in entries:
                copy.write_row(_row(entry))
