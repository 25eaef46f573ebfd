"""``helhed remind_requests``: remind suppliers of overdue information requests.

Run it from cron (or a systemd timer) as often as you like: each overdue request gets at
most one reminder a day (``assessment.services.remind_overdue``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from helhed.assessment import services


class Command(BaseCommand):
    help = "Send rykkere for indhentninger, hvis svarfrist er overskredet (højst én om dagen)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = services.remind_overdue()
        self.stdout.write(f"Rykkere sendt: {sent}")
