"""``helhed serve``: the web server (waitress), plus in-process event delivery when embedded.

In the server profile events go to RabbitMQ through a separate ``helhed worker``; in the
embedded profile a background thread here drains the outbox in-process, so one command
runs everything.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Start helhed's web server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve  # type: ignore[import-untyped]

        from helhed.core import outbox
        from helhed.wsgi import application

        deploy = settings.PROFILE == "server"
        try:
            call_command("check", deploy=deploy, fail_level="ERROR", stdout=self.stdout)
        except Exception as exc:  # SystemCheckError: refuse to start, with the reason
            raise CommandError(f"helhed starter ikke: {exc}") from exc
        self._check_migrated()
        if settings.HELHED_EVENT_TRANSPORT == "inprocess":
            stop = threading.Event()
            thread = threading.Thread(
                target=outbox.run_forever, args=(outbox.InProcessTransport(),),
                kwargs={"stop": stop, "idle_seconds": outbox.IDLE_SECONDS,
                        "linger_seconds": outbox.LINGER_SECONDS}, name="outbox", daemon=True)
            thread.start()
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"helhed ({settings.PROFILE}) kører på {url}  (stop med Ctrl+C)")
        serve(application, host=options["host"], port=options["port"],
              threads=options["threads"], ident="helhed", clear_untrusted_proxy_headers=True)

    def _check_migrated(self) -> None:
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError(
                "Databasen mangler migreringer. Kør først: helhed migrate "
                "(the database is not migrated)."
            )
