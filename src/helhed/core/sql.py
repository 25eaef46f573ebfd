"""Small helpers for the few hot read paths that run plain SQL instead of the ORM (the
policy door's preload, the family overview, kinship, the target-group search; decision
0008). Table names come from the models, values are always parameters; the same text runs
on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection


def select(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of one statement."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


def marks(values: Sequence[Any]) -> str:
    """One ``%s`` placeholder per value, for ``IN (…)``."""
    return ", ".join(["%s"] * len(values))


def table(model: Any) -> str:
    """A model's table name, quoted for the database in use."""
    return str(connection.ops.quote_name(model._meta.db_table))


def as_date(value: Any) -> dt.date:
    """A date from a date or timestamp column: PostgreSQL gives date or (aware)
    datetime objects, SQLite naive UTC datetimes or ISO text; a timestamp gives its UTC
    day either way."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
