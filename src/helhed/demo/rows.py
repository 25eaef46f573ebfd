"""Rows as plain tuples, ready for the database, and the values that go in them.

Every table is a :class:`Table`: the model, the column names and a list of tuples whose
first value is a primary key handed out here, so rows can point at each other before any
of them is written. Values are encoded once, when the row is made, in a form both
engines read as they are: dates as ``YYYY-MM-DD``, UUIDs as 32 hex digits, timestamps in
UTC as Django writes them on the engine in use.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import models

REFERENCE_DAY = dt.date(2026, 11, 1)
# 2026-11-01 00:00 Europe/Copenhagen (CET, UTC+1): the moment the demo data "is" from.
REFERENCE_UTC = dt.datetime(2026, 10, 31, 23, 0, 0)
# A random UUID's version (4) and variant (RFC 4122) bits, as uuid.UUID(version=4) sets them.
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)


class Table:
    """Rows for one model, with primary keys counted from ``first_id``."""

    def __init__(self, model: type[models.Model], fields: list[str], first_id: int = 1) -> None:
        self.model = model
        self.fields = ["id", *fields]
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = first_id

    def add(self, *values: Any) -> int:
        row_id = self.next_id
        self.next_id += 1
        self.rows.append((row_id, *values))
        return row_id

    def __len__(self) -> int:
        return len(self.rows)


class Encoder:
    """Deterministic ids and database-ready dates for one engine."""

    def __init__(self, rng: random.Random, vendor: str) -> None:
        self.rng = rng
        self.zone = "+00" if vendor == "postgresql" else ""
        self._dates: dict[int, str] = {}
        self._stamps: dict[int, str] = {}
        self.reference_stamp = f"{REFERENCE_UTC:%Y-%m-%d %H:%M:%S}{self.zone}"

    def uuid(self) -> str:
        """A random (version 4) UUID as 32 hex digits; the same as
        ``uuid.UUID(int=rng.getrandbits(128), version=4).hex``, without the object."""
        return f"{(self.rng.getrandbits(128) & _UUID_CLEAR) | _UUID_SET:032x}"

    def date(self, ordinal: int) -> str:
        text = self._dates.get(ordinal)
        if text is None:
            text = self._dates[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    def instant(self, moment: dt.datetime) -> str:
        """A timezone-aware moment as a UTC timestamp for the database."""
        utc = moment.astimezone(dt.UTC)
        return (f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d} "
                f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}{self.zone}")

    def stamp(self, ordinal: int) -> str:
        """A registration time on the given day: 08:00 UTC (09:00 or 10:00 in Denmark)."""
        text = self._stamps.get(ordinal)
        if text is None:
            day = min(ordinal, REFERENCE_DAY.toordinal() - 1)
            text = self._stamps[ordinal] = f"{self.date(day)} 08:00:00{self.zone}"
        return text
