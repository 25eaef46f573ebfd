"""Benchmarks of the demo app: ``helhed bench demo`` builds the demo municipality."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from helhed.demo.bench import Benchmark, Measurement, register
from helhed.demo.generator import generate, number


@register
class DemoBenchmark(Benchmark):
    name = "demo"
    help = "Byg demo-kommunen (helhed demo) i en tom database og mål tiden."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--citizens", type=int, default=100_000,
                            help="antal borgere (standard 100000)")
        parser.add_argument("--seed", type=int, default=1, help="frø (standard 1)")

    def describe(self, options: dict[str, Any]) -> str:
        return f"demo: {number(options['citizens'])} borgere, frø {options['seed']}"

    def run(self, options: dict[str, Any]) -> Measurement:
        summary = generate(options["citizens"], options["seed"])
        return Measurement(
            seconds=summary.total_seconds,
            rows=summary.rows,
            table_seconds=summary.seconds,
            extra={"dannelse i Python": summary.build_seconds,
                   "skrivning til databasen": sum(summary.seconds.values()),
                   "commit": summary.commit_seconds,
                   "sagsarbejde i Python": summary.casework_seconds,
                   "skrivning af sagsarbejde": sum(
                       s for label, s in summary.seconds.items() if label.startswith("cases."))},
        )
