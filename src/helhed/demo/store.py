"""Writing prepared rows fast: PostgreSQL ``COPY``, SQLite ``executemany``.

Rows carry their primary keys, so nothing needs to come back from the database; on
PostgreSQL the id sequences are moved past them afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from helhed.demo.rows import Table

if TYPE_CHECKING:
    from django.db.models.options import Options

SQLITE_BATCH = 50_000
# SQLite's page cache while the demo is written (KiB; negative = size, not pages). The
# default, 2 MB, is far smaller than the indexes on random keys (UUIDs, CPR numbers) that
# every insert updates; for the load it may use this much, then it gets the default back.
SQLITE_LOAD_CACHE_KIB = 256 * 1024


def first_free_id(model: type[models.Model]) -> int:
    """The first primary key after the ones already in the table."""
    top = model._default_manager.aggregate(top=Max("pk"))["top"]
    return int(top or 0) + 1


def _column(meta: Options[models.Model], name: str) -> str:
    field = meta.pk if name == "id" else meta.get_field(name)
    column = getattr(field, "column", None)
    if not isinstance(column, str):
        raise ValueError(f"{meta.label}.{name} has no database column")
    return column


@contextmanager
def bulk_load() -> Iterator[None]:
    """Settings for writing many rows on this connection (SQLite: a larger page cache)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def write(table: Table) -> float:
    """Insert the table's rows; returns the seconds it took."""
    if not table.rows:
        return 0.0
    started = time.perf_counter()
    meta = table.model._meta
    columns = [_column(meta, name) for name in table.fields]
    quote = connection.ops.quote_name
    target = f"{quote(meta.db_table)} ({', '.join(quote(c) for c in columns)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, target, table.rows)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {target} VALUES ({marks})"  # noqa: S608 - names from _meta
            for start in range(0, len(table.rows), SQLITE_BATCH):
                cursor.executemany(sql, table.rows[start : start + SQLITE_BATCH])
    return time.perf_counter() - started


def _copy(cursor: object, target: str, rows: list[tuple[object, ...]]) -> None:
    raw = cursor.cursor  # type: ignore[attr-defined]  # psycopg 3 cursor under Django's
    with raw.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past the ids handed out here."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def analyze(model_list: Iterable[type[models.Model]]) -> None:
    """Refresh the planner's statistics for these tables (outside a transaction)."""
    tables = sorted({m._meta.db_table for m in model_list})
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
