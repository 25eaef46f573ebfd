"""``helhed bench <benchmark>``: run a benchmark in fresh databases and report the figures.

Benchmarks are subcommands, found in ``benchmarks.py`` of every installed app (see
helhed.demo.bench); ``demo`` is the first. Example:
``helhed bench demo --citizens 100000 --repeat 3``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from helhed.demo.bench import Report, benchmarks, engine_label, run_repeats
from helhed.demo.generator import decimal, number


class Command(BaseCommand):
    help = "Kør en benchmark i en frisk, tom database og vis median, min, max og rækker/s."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="benchmark", required=True,
                                           metavar="benchmark")
        for name, cls in benchmarks().items():
            sub = subparsers.add_parser(name, help=cls.help, description=cls.help)
            sub.add_argument("--repeat", type=int, default=3,
                             help="antal gentagelser (standard 3)")
            sub.add_argument("--json", type=Path, default=None,
                             help="skriv resultatet som JSON til denne fil")
            cls().add_arguments(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        bench = benchmarks()[options["benchmark"]]()
        repeat = max(1, options["repeat"])
        self.stdout.write(f"Benchmark {bench.describe(options)}; {repeat} gentagelse(r)")
        report = run_repeats(bench, options, repeat, self.stdout.write)
        engine = engine_label()
        self.stdout.write(f"\nDatabase: {engine}")
        self._print(report)
        if options["json"]:
            result = {"benchmark": bench.describe(options), "engine": engine,
                      "repeat": repeat, **report.as_dict()}
            options["json"].write_text(json.dumps(result, indent=2, ensure_ascii=False),
                                       encoding="utf-8")

    def _print(self, report: Report) -> None:
        median, low, high = report.seconds()
        out = self.stdout.write
        out(f"Tid: median {decimal(median, 2)} s, min {decimal(low, 2)} s, "
            f"max {decimal(high, 2)} s")
        for label, seconds in report.extra().items():
            out(f"  heraf {label}: {decimal(seconds, 2)} s (median)")
        out("")
        out(f"{'Tabel':<34} {'rækker':>10} {'rækker/s':>12}")
        total = 0
        for table, rows, rate in report.table_rates():
            total += rows
            out(f"{table:<34} {number(rows):>10} {number(round(rate)):>12}")
        out(f"{'I alt (hele kørslen)':<34} {number(total):>10} "
            f"{number(round(total / median)):>12}")
