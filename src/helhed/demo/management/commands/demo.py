"""``helhed demo``: build the synthetic demo municipality (see helhed.demo.generator)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from helhed.demo.generator import (
    DemoRefused,
    check_synthetic_allowed,
    decimal,
    generate,
    number,
)
from helhed.demo.reset import reset_demo
from helhed.organisation.models import Municipality


class Command(BaseCommand):
    help = "Byg en syntetisk demo-kommune med fiktive borgere (fiktive CPR-numre: dag + 60)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--citizens", type=int, default=5000,
                            help="antal borgere (standard 5000)")
        parser.add_argument("--seed", type=int, default=1,
                            help="frø: samme frø giver samme kommune (standard 1)")
        parser.add_argument("--municipality-code", default=None,
                            help="kommunekode (standard HELHED_MUNICIPALITY_CODE, 0999)")
        parser.add_argument("--if-empty", action="store_true",
                            help="gør intet, hvis der allerede findes en kommune")
        parser.add_argument("--reset", action="store_true",
                            help="slet alle borgere og demo-kommunen først")

    def handle(self, *args: Any, **options: Any) -> None:
        citizens = options["citizens"]
        if citizens < 1:
            raise CommandError("--citizens skal være mindst 1.")
        code = options["municipality_code"] or settings.HELHED_MUNICIPALITY_CODE
        try:
            check_synthetic_allowed()
            if options["if_empty"] and Municipality.objects.exists():
                self.stdout.write("Der findes allerede en kommune; demo-data bygges ikke igen.")
                return
            if options["reset"]:
                self.stdout.write("Sletter eksisterende borgere og demo-kommunen …")
                reset_demo(code)
            summary = generate(citizens, options["seed"], code, say=self.stdout.write)
        except DemoRefused as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Demo-kommunen {code} er bygget: {number(summary.citizens)} borgere, "
            f"{number(summary.total_rows)} rækker i alt på {decimal(summary.total_seconds)} s."
        ))
