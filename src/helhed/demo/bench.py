"""The benchmark harness behind ``helhed bench <name>``.

A benchmark is a class registered with :func:`register` in a ``benchmarks.py`` module of
any installed app (found like Django admin's ``admin.py``). Each repeat runs in a fresh,
empty, migrated database: PostgreSQL drops and recreates the database named in
``HELHED_DATABASE_URL`` (its name must contain "bench"); SQLite uses ``var/bench.sqlite3``.
See benchmarks/README.md.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import connection

SQLITE_FILE = "bench.sqlite3"


@dataclass
class Measurement:
    """One repeat: total seconds, and rows and write seconds per table."""

    seconds: float
    rows: dict[str, int] = field(default_factory=dict)
    table_seconds: dict[str, float] = field(default_factory=dict)
    extra: dict[str, float] = field(default_factory=dict)  # other timings, by Danish label


class Benchmark:
    """Subclass, name it, and register it: ``@register`` on the class."""

    name: ClassVar[str] = ""
    help: ClassVar[str] = ""

    def add_arguments(self, parser: CommandParser) -> None:
        """Arguments after ``helhed bench <name>``."""

    def describe(self, options: dict[str, Any]) -> str:
        """One line saying what is measured (Danish)."""
        return self.name

    def run(self, options: dict[str, Any]) -> Measurement:
        raise NotImplementedError


_registry: dict[str, type[Benchmark]] = {}


def register(cls: type[Benchmark]) -> type[Benchmark]:
    _registry[cls.name] = cls
    return cls


def benchmarks() -> dict[str, type[Benchmark]]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("benchmarks")
    return dict(sorted(_registry.items()))


def engine_label() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return f"PostgreSQL {version} (database {connection.settings_dict['NAME']})"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} ({connection.settings_dict['NAME']})"


def fresh_database() -> None:
    """An empty, migrated database for one repeat."""
    connection.close()
    if connection.vendor == "postgresql":
        _recreate_postgres(connection.settings_dict)
    else:
        var = Path(settings.VAR_DIR)
        var.mkdir(parents=True, exist_ok=True)
        path = var / SQLITE_FILE
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        connection.settings_dict["NAME"] = str(path)
    call_command("migrate", verbosity=0, interactive=False)


def _recreate_postgres(db: dict[str, Any]) -> None:
    import psycopg
    from psycopg import sql

    name = db["NAME"]
    if "bench" not in name:
        raise CommandError(
            f"Benchmark-databasen hedder {name!r}; den slettes og oprettes ved hver gentagelse, "
            "så navnet skal indeholde 'bench' (fx helhed_bench)."
        )
    params = {key: db[upper] for key, upper in (("host", "HOST"), ("port", "PORT"),
              ("user", "USER"), ("password", "PASSWORD")) if db.get(upper)}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                      .format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@dataclass
class Report:
    """Repeats of one benchmark, summarised."""

    runs: list[Measurement]

    def seconds(self) -> tuple[float, float, float]:
        times = [run.seconds for run in self.runs]
        return statistics.median(times), min(times), max(times)

    def table_rates(self) -> list[tuple[str, int, float]]:
        """(table, rows, median rows per second of writing it)."""
        first = self.runs[0]
        rates = []
        for table, rows in first.rows.items():
            per_run = [run.rows[table] / run.table_seconds[table] for run in self.runs
                       if run.table_seconds.get(table)]
            rates.append((table, rows, statistics.median(per_run) if per_run else 0.0))
        return rates

    def extra(self) -> dict[str, float]:
        labels = self.runs[0].extra
        return {label: statistics.median(run.extra[label] for run in self.runs)
                for label in labels}

    def as_dict(self) -> dict[str, Any]:
        median, low, high = self.seconds()
        return {
            "seconds": {"median": median, "min": low, "max": high,
                        "runs": [run.seconds for run in self.runs]},
            "tables": {table: {"rows": rows, "rows_per_second": rate}
                       for table, rows, rate in self.table_rates()},
            "extra": self.extra(),
        }


def run_repeats(bench: Benchmark, options: dict[str, Any], repeat: int,
                say: Callable[[str], None]) -> Report:
    runs = []
    for index in range(1, repeat + 1):
        say(f"Gentagelse {index}/{repeat}: opretter tom database …")
        fresh_database()
        measurement = bench.run(options)
        say(f"Gentagelse {index}/{repeat}: {measurement.seconds:.2f} s".replace(".", ","))
        runs.append(measurement)
    return Report(runs)
