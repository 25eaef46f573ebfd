"""Outbound channels behind adapters: Digital Post (and later SMS and e-mail).

A sender (e.g. the cases app's decision letters) calls :func:`digital_post` for the adapter
the settings name (``HELHED_DIGITAL_POST_ADAPTER``, default ``local``) and ``send``\\s
through it, inside its own transaction: the letter, its history and the message are
written together or not at all.

``local`` is the embedded profile's (and every test machine's) implementation: it sends
nothing out of the house but stores exactly what would have been sent in
``OutboundMessage``, shown on the page "Forsendelser". An adapter for the real Digital
Post (NgDP, through the municipality's integration) implements the same protocol.

A citizen exempt from Digital Post (``ContactDetails.exempt_from_digital_post``) gets the
letter as physical post: Digital Post prints and posts it (fjernprint), so the
municipality never needs the address. The receipt says which channel was used.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext_noop

from helhed.core import clock
from helhed.core.events import emit
from helhed.core.models import Sensitivity
from helhed.messaging.models import OutboundMessage
from helhed.people.models import Citizen, ContactDetails

# The channel a letter went by. ``OutboundMessage.Channel`` has no choice for physical post
# yet (see the report); the value is stored as it is and labelled by ``channel_label``.
DIGITAL_POST = OutboundMessage.Channel.DIGITAL_POST.value
PHYSICAL_POST = "fysisk_post"
CHANNEL_LABELS = {
    DIGITAL_POST: gettext_noop("Digital Post"),
    PHYSICAL_POST: gettext_noop("Fysisk post"),
    OutboundMessage.Channel.SMS.value: gettext_noop("SMS"),
    OutboundMessage.Channel.EMAIL.value: gettext_noop("E-mail"),
}

NOTE_LOCAL = gettext_noop("Gemt lokalt i helhed (Forsendelser); ikke sendt ud af huset.")
NOTE_EXEMPT = gettext_noop(
    "Borgeren er fritaget for Digital Post: brevet sendes som fysisk post.")
NOTE_PROTECTED = gettext_noop(
    "Borgeren har navne- og adressebeskyttelse: adressen står ikke i brevet.")


def channel_label(channel: str) -> str:
    """The Danish label of a channel (marked; a page translates it)."""
    return CHANNEL_LABELS.get(channel, channel)


@dataclass(frozen=True)
class Receipt:
    """What an adapter answers: the delivery's id, the channel used, the adapter's name,
    and Danish notes on how it went (e.g. physical post instead of Digital Post)."""

    delivery_id: str
    channel: str
    adapter: str
    notes: tuple[str, ...] = ()
    sent_at: dt.datetime | None = None

    @property
    def physical(self) -> bool:
        return self.channel == PHYSICAL_POST


class DigitalPost(Protocol):
    """Sends one letter with a PDF to a citizen by Digital Post."""

    name: str

    def send(self, recipient: Citizen, *, title: str, body: str, pdf: bytes, filename: str,
             sender: str, source_type: str, source_uuid: uuid.UUID) -> Receipt: ...


def exempt_from_digital_post(citizen: Citizen) -> bool:
    """Whether the citizen's current contact details exempt them from Digital Post."""
    current = ContactDetails.objects.filter(citizen=citizen, valid_to__isnull=True).first()
    return bool(current and current.exempt_from_digital_post)


class LocalDigitalPost:
    """Stores the message in ``OutboundMessage`` instead of sending it (Forsendelser).

    Runs inside the caller's transaction and emits ``messaging.message.sent`` there."""

    name = "local"

    def send(self, recipient: Citizen, *, title: str, body: str, pdf: bytes, filename: str,
             sender: str, source_type: str, source_uuid: uuid.UUID) -> Receipt:
        exempt = exempt_from_digital_post(recipient)
        channel = PHYSICAL_POST if exempt else DIGITAL_POST
        notes = [NOTE_LOCAL]
        if exempt:
            notes.append(NOTE_EXEMPT)
        if recipient.name_protected:
            notes.append(NOTE_PROTECTED)
        now = clock.now()
        with transaction.atomic():
            message = OutboundMessage.objects.create(
                channel=channel, adapter=self.name, recipient=recipient,
                sender=sender[:200], title=title[:200], body=body, attachment=pdf,
                attachment_name=filename[:200], attachment_type="application/pdf",
                sent_at=now, source_type=source_type[:30], source_uuid=source_uuid)
            emit("messaging.message.sent", object_type="outbound_message",
                 object_id=message.uuid, actor="system", citizen=recipient.uuid,
                 sensitivity=Sensitivity.CONFIDENTIAL,
                 payload={"channel": channel, "adapter": self.name,
                          "source_type": source_type, "source_uuid": str(source_uuid)})
        return Receipt(delivery_id=str(message.uuid), channel=channel, adapter=self.name,
                       notes=tuple(notes), sent_at=now)


ADAPTERS: dict[str, Callable[[], DigitalPost]] = {
    "local": LocalDigitalPost,
}


def digital_post() -> DigitalPost:
    """The Digital Post adapter the settings name (``HELHED_DIGITAL_POST_ADAPTER``)."""
    name = getattr(settings, "HELHED_DIGITAL_POST_ADAPTER", "local") or "local"
    factory = ADAPTERS.get(name)
    if factory is None:
        raise ImproperlyConfigured(
            f"HELHED_DIGITAL_POST_ADAPTER={name!r} kendes ikke; mulige: "
            f"{', '.join(sorted(ADAPTERS))}. (Unknown Digital Post adapter.)")
    return factory()
