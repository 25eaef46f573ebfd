"""``helhed worker``: publish the event outbox.

In the server profile events go to RabbitMQ (the municipality's topic exchange); otherwise
they are delivered to the in-process handlers. ``--once`` publishes what is pending and
exits; without it the worker runs until SIGTERM or SIGINT, finishing the batch it is on.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandError, CommandParser

from helhed.core import outbox


class Command(BaseCommand):
    help = "Send ventende hændelser fra udbakken (til RabbitMQ i server-profilen)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true",
            help="Send det der venter nu, skriv hvor mange, og stop.",
        )
        parser.add_argument(
            "--idle", type=float, default=outbox.IDLE_SECONDS,
            help="Sekunder mellem kig i udbakken, når der ikke er noget at sende.",
        )
        parser.add_argument(
            "--linger", type=float, default=outbox.LINGER_SECONDS,
            help="Sekunder at vente efter en portion, der ikke var fuld, så den næste "
                 "samler flere hændelser.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PROFILE == "server":
            # Refuse to start without a reachable database (helhed.E001).
            self.check(tags=[Tags.database], include_deployment_checks=True)
        transport = outbox.default_transport()
        try:
            if options["once"]:
                self._once(transport)
            else:
                self._forever(transport, options["idle"], options["linger"])
        finally:
            transport.close()

    def _once(self, transport: outbox.Transport) -> None:
        try:
            published = outbox.drain(transport)
        except Exception as exc:
            raise CommandError(
                f"Hændelserne kunne ikke sendes; de venter stadig i udbakken "
                f"({outbox.pending_count()}): {exc}"
            ) from exc
        self.stdout.write(f"Sendt: {published} hændelser. Venter: {outbox.pending_count()}.")

    def _forever(self, transport: outbox.Transport, idle: float, linger: float) -> None:
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            self.stdout.write(f"Stopper ({signal.Signals(signum).name}) …")
            stop.set()

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        self.stdout.write(
            f"helhed worker ({settings.HELHED_EVENT_TRANSPORT}) sender hændelser til "
            f"{self._target()}. Stop med Ctrl+C."
        )
        self.stdout.flush()
        try:
            outbox.warm_up()
            outbox.run_forever(transport, idle_seconds=idle, linger_seconds=linger,
                               stop=stop)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Stoppet.")

    def _target(self) -> str:
        if settings.HELHED_EVENT_TRANSPORT == "amqp":
            return f"RabbitMQ-exchange {outbox.exchange_name()}"
        return "modtagere i processen"
