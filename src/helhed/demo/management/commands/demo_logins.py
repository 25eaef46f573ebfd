"""``helhed demo_logins``: print the demo logins (one per role) as a table."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from helhed.demo.logins import LoginRow, demo_login_rows

HEADINGS = LoginRow("Brugernavn", "Adgangskode", "Navn", "Rolle", "Enhed")


class Command(BaseCommand):
    help = "Vis demo-logins: én bruger pr. rolle med brugernavn, adgangskode og enhed."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = demo_login_rows()
        if not rows:
            self.stdout.write("Der er ingen demo-logins. Byg demo-kommunen med: helhed demo")
            return
        self.stdout.write("Demo-logins (kun fiktive data):")
        for line in format_table([HEADINGS, *rows]):
            self.stdout.write(line)


def format_table(rows: list[LoginRow]) -> list[str]:
    cells = [[row.username, row.password, row.name, row.role, row.unit] for row in rows]
    widths = [max(len(cell[i]) for cell in cells) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)).rstrip()
             for cell in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines
