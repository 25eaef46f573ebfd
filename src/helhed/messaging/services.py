"""Reading what was sent (the local adapter's outbox, the page "Forsendelser").

A message is the content of the case it came from (a decision letter: its title and PDF),
so it is read through the policy door with that case's scope (``Category.CASE_CONTENT``):
a caseworker sees the messages of her own cases and her department's, and each look is
logged on the recipient. Staff without a lookup role (providers, administrators) and
logins without a staff record are refused outright. A message whose source has no case
scope is shown to nobody until its sender says where it belongs.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from helhed.core.errors import AccessDenied, NotFound
from helhed.messaging.adapters import channel_label
from helhed.messaging.models import OutboundMessage
from helhed.organisation.services import roles_of, staff_of
from helhed.sharing import policy
from helhed.sharing.policy import Actor, CaseScope, Category, Purpose

LIST_LIMIT = 100
SCAN_LIMIT = 1000
NOT_ALLOWED = gettext_noop("Kun sagsbehandlere kan se forsendelser.")


class MessageNotFound(NotFound):
    code = "outbox.not_found"
    message = gettext_noop("Forsendelsen findes ikke.")


@dataclass(frozen=True)
class OutboxRow:
    message: OutboundMessage
    channel_label: str
    case_number: str = ""
    case_uuid: uuid.UUID | None = None


@dataclass(frozen=True)
class _Source:
    scope: CaseScope | None
    case_number: str = ""
    case_uuid: uuid.UUID | None = None


def _require_reader(actor: Actor) -> None:
    staff = staff_of(actor)
    roles = roles_of(actor) if staff is not None else []
    if (staff is None or staff.provider_id is not None
            or not any(r.may_look_up_citizens and not r.is_provider for r in roles)):
        raise AccessDenied(message=NOT_ALLOWED)


def _sources(messages: list[OutboundMessage]) -> dict[uuid.UUID, _Source]:
    """Where each message belongs: a decision letter's case."""
    from helhed.cases import access as case_access
    from helhed.cases import decisions

    letters = [m.source_uuid for m in messages if m.source_type == "letter"]
    found = decisions.letter_scopes(letters) if letters else {}
    out: dict[uuid.UUID, _Source] = {}
    for message in messages:
        if message.source_type == "letter" and message.source_uuid in found:
            case, _recipient = found[message.source_uuid]
            out[message.uuid] = _Source(case_access.scope_of(case), case.number, case.uuid)
        else:
            out[message.uuid] = _Source(None)
    return out


def outbox(actor: Actor, limit: int = LIST_LIMIT) -> list[OutboxRow]:
    """The latest messages the actor may see, newest first. Each shown message is a
    logged look at its recipient, with the case's scope."""
    _require_reader(actor)
    messages = list(OutboundMessage.objects.select_related("recipient").defer("attachment")
                    .order_by("-sent_at", "-pk")[:SCAN_LIMIT])
    sources = _sources(messages)
    verdicts: dict[CaseScope, bool] = {}
    shown: list[OutboxRow] = []
    looks: dict[CaseScope, list[uuid.UUID]] = defaultdict(list)
    for message in messages:
        source = sources[message.uuid]
        if source.scope is None:
            continue
        if source.scope not in verdicts:
            verdicts[source.scope] = policy.evaluate(
                actor, Purpose.CASEWORK, Category.CASE_CONTENT, source.scope).allowed
        if not verdicts[source.scope]:
            continue
        shown.append(OutboxRow(message, channel_label(message.channel), source.case_number,
                               source.case_uuid))
        looks[source.scope].append(message.recipient.uuid)
        if len(shown) >= limit:
            break
    for scope, recipients in looks.items():
        policy.decide_many(actor, Purpose.CASEWORK, recipients, Category.CASE_CONTENT,
                           detail="forsendelser", scope=scope)
    return shown


def _message(actor: Actor, message_uuid: uuid.UUID | str, detail: str) -> OutboxRow:
    _require_reader(actor)
    try:
        key = uuid.UUID(str(message_uuid))
    except ValueError:
        raise MessageNotFound() from None
    message = OutboundMessage.objects.select_related("recipient").filter(uuid=key).first()
    if message is None:
        raise MessageNotFound()
    source = _sources([message])[message.uuid]
    decision = policy.decide(actor, Purpose.CASEWORK, message.recipient.uuid,
                             Category.CASE_CONTENT, detail=detail, scope=source.scope)
    if not decision.allowed:
        raise AccessDenied(message=decision.reason or policy.ROLE_GIVES_NO_ACCESS)
    return OutboxRow(message, channel_label(message.channel), source.case_number,
                     source.case_uuid)


def outbox_message(actor: Actor, message_uuid: uuid.UUID | str) -> OutboxRow:
    """One message (without reading its attachment's bytes into the page)."""
    return _message(actor, message_uuid, "forsendelse")


def outbox_attachment(actor: Actor, message_uuid: uuid.UUID | str
                      ) -> tuple[OutboundMessage, bytes]:
    """A message's attachment (the letter's PDF)."""
    row = _message(actor, message_uuid, "forsendelse: bilag")
    data = row.message.attachment
    if not data:
        raise MessageNotFound(message=gettext_noop("Forsendelsen har intet bilag."))
    return row.message, bytes(data)
