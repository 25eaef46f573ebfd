"""Helpers for the subscription, advis and consumer tests: deliver the outbox in-process
with the advis handler registered, and staff in departments the personas do not cover."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from helhed.cases import services
from helhed.cases.models import Case
from helhed.core import events, outbox
from helhed.organisation.models import Role, StaffMember, Unit
from helhed.organisation.setup import ensure_municipality
from helhed.people.models import Citizen
from helhed.sharing import consumers
from helhed.testing.personas import PASSWORD


@pytest.fixture
def advis_handler() -> Iterator[None]:
    """The in-process advis batch handler, registered for the test (as ``sharing.apps``
    does)."""
    saved = list(events._handlers), list(events._batch_handlers)
    if not any(h is consumers.on_batch for _, h in events._batch_handlers):
        for prefix in consumers.IN_PROCESS_PREFIXES:
            events.subscribe_batch(prefix)(consumers.on_batch)
    yield
    events._handlers[:], events._batch_handlers[:] = saved


def deliver() -> int:
    """Publish the outbox in-process (what the embedded publisher thread does)."""
    return outbox.drain(outbox.InProcessTransport())


def make_staff_in(username: str, department_code: str, unit_name: str,
                  role_code: str = "sagsbehandler-voksen", full_name: str = "Rita Rask",
                  phone: str = "") -> AbstractUser:
    municipality = ensure_municipality("0999", "Helhed Kommune", "Region Demo")
    department = municipality.departments.get(code=department_code)
    unit, _ = Unit.objects.get_or_create(department=department, name=unit_name,
                                         defaults={"kind": Unit.Kind.TEAM})
    first, last = full_name.split(" ", 1)
    user = get_user_model().objects.create_user(username, password=PASSWORD,
                                                first_name=first, last_name=last)
    staff = StaffMember.objects.create(user=user, municipality=municipality, unit=unit,
                                       initials=username[:3].upper(), phone=phone)
    staff.roles.add(Role.objects.get(code=role_code))
    return user


def open_case(actor: Any, citizen: Citizen, title: str = "Børnefaglig undersøgelse",
              kle: str = "34.10.10", **kwargs: Any) -> Case:
    return services.open_case(actor, citizen.uuid, title=title, kle_numbers=[kle], **kwargs)


def note(actor: Any, case: Case, title: str = "Samtale med moren") -> Any:
    from helhed.core import clock

    return services.add_journal_entry(actor, case.uuid, kind="samtale",
                                      occurred_on=clock.today(), title=title,
                                      text="Indhold, som kun må ses med grundlag.")


# --- RabbitMQ -----------------------------------------------------------------------------

BROKER = __import__("os").environ.get("HELHED_TEST_AMQP_URL",
                                      "amqp://guest:guest@127.0.0.1:5672/%2F")
NO_BROKER = "amqp://guest:guest@127.0.0.1:5999/%2F"  # a closed port: the broker is "down"


class RecordingConsumer(consumers.AmqpAdvisConsumer):
    """The advis consumer, remembering the id of every message it acknowledged."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: list[str] = []
        self.batches: list[int] = []  # how many messages each batch had

    def _on_messages(self, channel: Any, messages: list[tuple[Any, bytes]]) -> None:
        import json

        self.batches.append(len(messages))
        super()._on_messages(channel, messages)
        for _method, body in messages:
            try:
                self.seen.append(str(json.loads(body).get("id")))
            except ValueError:
                self.seen.append("")


@pytest.fixture
def amqp() -> Iterator[tuple[str, str]]:
    """A fresh exchange and advis queue name on the real broker (removed afterwards);
    skips the test when no broker answers."""
    import uuid

    import pika

    try:
        connection = pika.BlockingConnection(pika.URLParameters(BROKER))
    except pika.exceptions.AMQPConnectionError:
        pytest.skip("RabbitMQ svarer ikke på " + BROKER)
    tag = uuid.uuid4().hex[:12]
    exchange, queue = f"helhed.test-{tag}.events", f"helhed.test-{tag}.advis"
    try:
        yield exchange, queue
    finally:
        channel = connection.channel()
        channel.queue_delete(queue)
        channel.exchange_delete(exchange)
        connection.close()
