"""The one clock helhed reads. Tests (and demos) can stop and move it.

Domain code calls ``clock.now()`` and ``clock.today()``, never ``timezone.now()`` directly,
so that deadlines can be tested across midnight, weekends and holidays.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_lock = threading.Lock()
_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current time, timezone-aware (UTC)."""
    frozen = _frozen
    return frozen if frozen is not None else timezone.now()


def today() -> dt.date:
    """Today's date in the municipality's time zone."""
    return timezone.localdate(now())


def freeze(at: dt.datetime) -> None:
    """Stop the clock at ``at`` (must be timezone-aware)."""
    global _frozen
    if timezone.is_naive(at):
        raise ValueError("clock.freeze needs a timezone-aware datetime")
    with _lock:
        _frozen = at


def advance(delta: dt.timedelta) -> dt.datetime:
    """Move a frozen clock forward (or back, with a negative delta)."""
    global _frozen
    with _lock:
        if _frozen is None:
            raise RuntimeError("clock.advance needs a frozen clock; call clock.freeze first")
        _frozen = _frozen + delta
        return _frozen


def unfreeze() -> None:
    global _frozen
    with _lock:
        _frozen = None


@contextmanager
def frozen_at(at: dt.datetime) -> Iterator[None]:
    """Run a block with the clock stopped at ``at``, restoring it afterwards."""
    previous = _frozen
    freeze(at)
    try:
        yield
    finally:
        with _lock:
            globals()["_frozen"] = previous
