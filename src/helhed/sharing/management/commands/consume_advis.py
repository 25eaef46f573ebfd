"""``helhed consume_advis``: make advis from the events on RabbitMQ (server profile).

Declares and binds the durable queue ``helhed.<municipality>.advis`` (routing keys
``cases.#`` and ``sharing.#``) on the municipality's exchange, and handles the events
waiting together (up to the prefetch, 100) in one database transaction, acknowledging them
after the commit. ``--once`` handles what
is waiting and exits; without it the consumer runs until SIGTERM or SIGINT.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from helhed.sharing.consumers import ROUTING_KEYS, AmqpAdvisConsumer


class Command(BaseCommand):
    help = "Lav adviser ud fra hændelserne på RabbitMQ (server-profilen)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true",
                            help="Behandl det der venter i køen, skriv hvor meget, og stop.")
        parser.add_argument("--url", default=None, help="RabbitMQ (standard: HELHED_AMQP_URL).")

    def handle(self, *args: Any, **options: Any) -> None:
        consumer = AmqpAdvisConsumer(url=options["url"])
        if options["once"]:
            try:
                handled = consumer.consume_available()
            finally:
                consumer.close()
            self.stdout.write(f"Behandlet: {handled} hændelser "
                              f"({consumer.duplicates} allerede behandlet).")
            return
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            self.stdout.write(f"Stopper ({signal.Signals(signum).name}) …")
            stop.set()

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        self.stdout.write(f"helhed consume_advis lytter på køen {consumer.queue} "
                          f"({', '.join(ROUTING_KEYS)} fra {consumer.exchange}). "
                          "Stop med Ctrl+C.")
        self.stdout.flush()
        try:
            consumer.run_forever(stop)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Stoppet.")
