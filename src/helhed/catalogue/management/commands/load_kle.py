"""``helhed load_kle FILE``: load KL's emneplan (or facet file) into the catalogue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helhed.catalogue import kle
from helhed.core.errors import DomainError

NAMES = {"main_groups": "hovedgrupper", "groups": "grupper", "subjects": "emner",
         "facets": "handlingsfacetter"}


class Command(BaseCommand):
    help = ("Indlæs KL's KLE-emneplan (XML, KLE-REST-Emneplan-fuld-version-1-3) eller "
            "KLE-handlingsfacetter. Alt eller intet indlæses; udgåede emner markeres udgået.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Stien til XML-filen.")
        parser.add_argument("--actor", default="system", help="Hvem indlæser (til hændelsen).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = kle.load_file(options["file"], actor=options["actor"])
        except DomainError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from None
        counts = ", ".join(f"{value} {NAMES[name]}" for name, value in result.counts.items()
                           if name in NAMES)
        self.stdout.write(
            f"Indlæst KLE udgivet {result.published.isoformat()}: {counts}. "
            f"Nye: {len(result.created)}, ændrede: {len(result.changed)}, "
            f"udgåede: {len(result.expired)}.")
