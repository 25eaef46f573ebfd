"""Advis: notifications in a caseworker's work list that something relevant appeared (K2,
"ny") or changed (K3, "ændret") for a citizen she follows (``sharing.subscriptions``).

:func:`handle_batch` takes a batch of event envelopes (the outbox publisher's batch
in-process, or the messages waiting on RabbitMQ; :func:`handle` is a batch of one) and,
once per consumer and event (``sharing.ConsumedEvent``), makes one ``Advis`` per
subscriber of the event's citizen — or of a member of the citizen's family, where the
subscription covers the family. A batch costs a fixed number of queries per recipient,
whatever its number of events: the claims, citizens, subscriptions and items are loaded
for all its events at once, and each recipient's policy evaluator once. Each advis is
decided with the policy for its recipient (``policy.Evaluator``), never carrying what she
may not see:

- the item's category hides existence and she has no basis → no advis at all;
- no basis for the content → only what and where, and who to ask (no title, no link);
- a basis for the content → the item's title and a link.

The actor of the change is never notified of her own change. The advis is idempotent on
two levels: the consumer's ``ConsumedEvent`` row and the ``(staff, event_id)`` unique
constraint.

Reading (:func:`inbox`, :func:`feed`, :func:`mark_read`) shows the actor's own advis and
logs one look at case metadata per citizen shown (detail "adviser").
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, DataError, connection, transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from helhed.cases import access as case_access
from helhed.cases.models import Case, Decision, Document, Grant, JournalEntry, Notification
from helhed.core import clock, events
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.organisation.models import StaffMember
from helhed.organisation.services import staff_of
from helhed.people.models import Citizen
from helhed.sharing import policy, subscriptions
from helhed.sharing.models import Advis, ConsumedEvent, ExternalCase
from helhed.sharing.policy import Actor, CaseScope, Category, Purpose

log = logging.getLogger(__name__)

CONSUMER = "advis"
# The event types that make advis: their prefixes, and those left out because another
# event of the same transaction says the same (a decision's letters; a notification's or
# case's deadlines) or because they are not news about the citizen.
PREFIXES = ("cases.", "sharing.external_case.", "plans.")
SKIPPED = ("cases.letter.", "cases.deadline.", "cases.history.",
           "cases.notification.receipt_sent")
NEW_ENDINGS = ("opened", "created", "received", "added")
INBOX_LIMIT = 50
FEED_LIMIT = 50
# How often an open work list asks the feed for new advis (seconds; pages pause while hidden).
# With the publisher's 0.05 s idle and 0.1 s linger an advis shows within about 1.3 s.
FEED_POLL_SECONDS = 1
# The feed looks this far back before ``efter``: an advis is stamped when it is made but
# seen only when its transaction commits (a publisher's batch), so it may carry a time
# just before a poll that could not yet see it. The page drops advis it already shows.
FEED_OVERLAP = dt.timedelta(seconds=10)

# What happened, per event type (Danish; marked for the catalogue). Fallbacks by kind.
LABELS: dict[str, str] = {
    "cases.case.opened": gettext_noop("Ny sag"),
    "cases.case.changed": gettext_noop("Sagen er ændret"),
    "cases.case.reclassified": gettext_noop("Sagen er KLE-opmærket på ny"),
    "cases.case.state_changed": gettext_noop("Sagen har skiftet tilstand"),
    "cases.case.closed": gettext_noop("Sagen er afsluttet"),
    "cases.journal.entry_added": gettext_noop("Nyt journalnotat"),
    "cases.journal.corrected": gettext_noop("Journalnotat rettet"),
    "cases.notification.received": gettext_noop("Ny underretning"),
    "cases.notification.assessed": gettext_noop("Underretning vurderet"),
    "cases.notification.reply_sent": gettext_noop("Tilbagemelding på underretning sendt"),
    "cases.notification.second_opinion_given": gettext_noop("Second opinion givet"),
    "cases.notification.attached": gettext_noop("Underretning knyttet til sag"),
    "cases.document.added": gettext_noop("Nyt dokument"),
    "cases.document.marked_wrongly_filed": gettext_noop("Dokument markeret som fejlarkiveret"),
    "cases.decision.made": gettext_noop("Afgørelse truffet"),
    "cases.grant.created": gettext_noop("Ny bevilling"),
    "cases.grant.changed": gettext_noop("Bevilling ændret"),
    "cases.grant.ended": gettext_noop("Bevilling ophørt"),
    "sharing.external_case.received": gettext_noop("Ny sag fra andet system"),
    "sharing.external_case.created": gettext_noop("Ny sag fra andet system"),
    "sharing.external_case.updated": gettext_noop("Sag fra andet system ændret"),
    "sharing.external_case.changed": gettext_noop("Sag fra andet system ændret"),
}
NEW_LABEL = gettext_noop("Nyt")
CHANGED_LABEL = gettext_noop("Ændret")
# "<what>: <title> (<where>)" with a content basis; "<what> (<where>). <who to ask>" without.
TEXT_OPEN = gettext_noop("%(what)s: %(title)s (%(where)s)")
TEXT_OPEN_UNTITLED = gettext_noop("%(what)s (%(where)s)")
TEXT_CLOSED = gettext_noop("%(what)s (%(where)s). %(ask)s")


class AdvisNotFound(NotFound):
    code = "advis.not_found"
    message = gettext_noop("Adviset findes ikke.")


class BadSince(InvalidInput):
    code = "advis.since_invalid"
    message = gettext_noop("Angiv tidspunktet som ISO 8601, fx 2026-01-31T12:00:00+00:00.")


# --- which events ---------------------------------------------------------------------------

def wanted(event_type: str) -> bool:
    return event_type.startswith(PREFIXES) and not event_type.startswith(SKIPPED)


def handles(event_type: str) -> bool:
    """Whether the consumer does anything with the event (and so records it as consumed):
    advis, or the automatic subscriptions of ``cases.case.*``."""
    return wanted(event_type) or event_type.startswith("cases.case.")


def kind_of(event_type: str) -> str:
    last = event_type.rsplit(".", 1)[-1]
    return Advis.Kind.NEW if last.endswith(NEW_ENDINGS) else Advis.Kind.CHANGED


# --- the item an event is about -------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    """What an event is about, as the policy needs it (scope) and as an advis says it."""

    scope: CaseScope
    where: str  # metadata: "sag 2026-000123, Børn og Familie"
    title: str  # content: shown only with a content basis
    url: str  # shown only with a content basis


def _case_where(case: Case) -> str:
    return f"sag {case.number}, {case.department.name}"


def _of_case(case: Case, title: str, anchor: str = "") -> Item:
    return Item(case_access.scope_of(case), _case_where(case), title,
                reverse("case-detail", args=[case.uuid]) + anchor)


def _key(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _cases() -> Any:
    return Case.objects.select_related("department", "responsible__user")


_ON_CASE = ("case__department", "case__responsible__user")
Loader = Callable[[set[uuid.UUID]], dict[uuid.UUID, Item]]


def _load_cases(keys: set[uuid.UUID]) -> dict[uuid.UUID, Item]:
    return {case.uuid: _of_case(case, case.title) for case in _cases().filter(uuid__in=keys)}


def _load_cases_untitled(keys: set[uuid.UUID]) -> dict[uuid.UUID, Item]:
    """The case named in an event's payload (an event about something else on it)."""
    return {case.uuid: _of_case(case, "") for case in _cases().filter(uuid__in=keys)}


def _load_entries(keys: set[uuid.UUID]) -> dict[uuid.UUID, Item]:
    return {entry.uuid: _of_case(entry.case, entry.title, "#journal")
            for entry in JournalEntry.objects.select_related(*_ON_CASE).filter(uuid__in=keys)}


def _load_documents(keys: set[uuid.UUID]) -> dict[uuid.UUID, Item]:
    return {doc.uuid: _of_case(doc.case, doc.title, "#dokumenter")
            for doc in Document.objects.select_related(*_ON_CASE).filter(uuid__in=keys)}


def _load_decisions(keys: set[uuid.UUID]) -> dict[uuid.UUID, Item]:
    found = {}
    for decision in Decision.objects.select_related(*_ON_CASE).filter(uuid__in=keys):
        item = _of_case(decision.case, decision.title)
        found[decision.uuid] = Item(item.scope, item.where, item.title,
                                    reverse("decision-detail", args=[decision.uuid]))
    return found


def _load_grants(keys: set[uuid.UUID]) -> dict[uuid.UUID, Item]:
    grants = Grant.objects.select_related("department", *_ON_CASE).filter(uuid__in=keys)
    return {grant.uuid: _of_grant(grant) for grant in grants}


def _of_grant(grant: Grant) -> Item:
    url = reverse("grant-detail", args=[grant.uuid])
    if grant.case is not None:
        item = _of_case(grant.case, grant.title)
        return Item(item.scope, item.where, item.title, url)
    code = grant.department.code
    scope = CaseScope(department_id=grant.department_id, department_name=grant.department.name,
                      department_code=code,
                      category=policy.category_of_department(code, policy.categories()))
    return Item(scope, grant.department.name, grant.title, url)


def _load_notifications(keys: set[uuid.UUID]) -> dict[uuid.UUID, Item]:
    notes = Notification.objects.select_related(*_ON_CASE, "unit__department").filter(
        uuid__in=keys)
    return {note.uuid: _of_notification(note) for note in notes}


def _of_notification(note: Notification) -> Item:
    scope = case_access.scope_of_notification(note)
    where = (_case_where(note.case) if note.case is not None
             else f"{scope.department_name}".strip() or "–")
    # A notification has no title: its concern is content and never goes in an advis.
    return Item(scope, f"underretning, {where}" if note.case is None else where, "",
                reverse("notification-detail", args=[note.uuid]))


def _load_external(keys: set[uuid.UUID]) -> dict[uuid.UUID, Item]:
    found = {}
    for case in ExternalCase.objects.select_related("department", "category").filter(
            uuid__in=keys):
        scope = CaseScope(department_id=case.department_id,
                          department_name=case.department.name,
                          department_code=case.department.code, category=case.category.code,
                          responsible_name=case.responsible_name,
                          responsible_phone=case.responsible_contact)
        found[case.uuid] = Item(scope, f"{case.department.name} ({case.source_system})",
                                case.title, "")
    return found


# The envelope's object type → how to load the items of that type (one query for all).
LOADERS: dict[str, Loader] = {
    "case": _load_cases,
    "journalentry": _load_entries,
    "document": _load_documents,
    "decision": _load_decisions,
    "grant": _load_grants,
    "notification": _load_notifications,
    "external_case": _load_external,
    "externalcase": _load_external,
    "payload.case": _load_cases_untitled,
}


def _reference(envelope: Mapping[str, Any]) -> tuple[str, uuid.UUID] | None:
    """(loader, key) of the item an event is about; an object of another type counts as
    the case named in the payload, if any."""
    obj = envelope.get("object") or {}
    kind = str(obj.get("type", ""))
    key = _key(obj.get("id"))
    if key is None:
        return None
    if kind in LOADERS and kind != "payload.case":
        return kind, key
    payload = envelope.get("payload") or {}
    case_key = _key(payload.get("case")) if isinstance(payload, dict) else None
    return ("payload.case", case_key) if case_key is not None else None


def items_of(envelopes: Sequence[Mapping[str, Any]]) -> list[Item | None]:
    """The item each event is about, loaded from its master with one query per type of
    item among the events; ``None`` if it is gone or of a kind the advis does not know
    (then no advis is made)."""
    references = [_reference(envelope) for envelope in envelopes]
    wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
    for reference in references:
        if reference is not None:
            wanted[reference[0]].add(reference[1])
    loaded = {kind: LOADERS[kind](keys) for kind, keys in wanted.items()}
    return [loaded[ref[0]].get(ref[1]) if ref is not None else None for ref in references]


def item_of(envelope: Mapping[str, Any]) -> Item | None:
    """The item one event is about (see :func:`items_of`)."""
    return items_of([envelope])[0]


# --- making advis ---------------------------------------------------------------------------

def _text(what: str, item: Item, may_open: bool) -> str:
    if may_open:
        template = TEXT_OPEN if item.title else TEXT_OPEN_UNTITLED
        text = template % {"what": what, "title": item.title, "where": item.where}
    else:
        text = TEXT_CLOSED % {"what": what, "where": item.where,
                              "ask": policy.who_to_ask(item.scope)}
    return text[:300]


def remember_staff(staff: StaffMember) -> None:
    """Give the policy the recipient's staff record and roles, loaded with the
    subscriptions (``subscribers_of_many``), instead of two queries per recipient."""
    from helhed.organisation import services as organisation

    organisation.remember(staff.user, staff, staff.roles.all())


def _recipient_decision(evaluator: policy.Evaluator, citizen: uuid.UUID, item: Item
                        ) -> tuple[bool, bool]:
    """(may know it exists, may open it) for one recipient, decided by the policy."""
    exists = evaluator.decide(citizen, Category.CASE, item.scope)
    if not exists.allowed or exists.hidden:
        return False, False
    content = evaluator.decide(citizen, Category.CASE_CONTENT, item.scope)
    return True, content.allowed


@dataclass(frozen=True)
class _Change:
    """An event that may make advis: its position in the batch, and whom it may reach."""

    position: int
    envelope: Mapping[str, Any]
    event_id: uuid.UUID
    citizen: Citizen
    recipients: tuple[StaffMember, ...]


class _Batch:
    """The events of one batch handled for the first time, and what is loaded once for
    all of them: their citizens and each recipient's evaluator. The policy's loading per
    recipient (roles, rules, emergency access, and per citizen consents, family and open
    cases) is done once per batch, never across a commit or a rollback."""

    def __init__(self, envelopes: Sequence[Mapping[str, Any]]) -> None:
        self.envelopes = envelopes
        keys = {_key(e.get("citizen")) for e in envelopes} - {None}
        self.citizens: dict[uuid.UUID, Citizen] = {
            c.uuid: c for c in Citizen.objects.filter(uuid__in=keys).only("pk", "uuid")
        } if keys else {}
        self.evaluators: dict[int, policy.Evaluator] = {}

    def citizen(self, envelope: Mapping[str, Any]) -> Citizen | None:
        key = _key(envelope.get("citizen"))
        return self.citizens.get(key) if key is not None else None

    def handle(self) -> list[int]:
        """The automatic subscriptions and the advis, in the events' order: the advis of
        the events before a subscription change are made with the subscriptions before
        it (as if handled one by one). Returns how many advis each event made."""
        made = [0] * len(self.envelopes)
        syncing = [(i, c) for i, e in enumerate(self.envelopes)
                   if subscriptions.syncs_own_case(e) and (c := self.citizen(e)) is not None]
        plans = subscriptions.plan_own_case({c.pk for _, c in syncing})
        start = 0
        for position, citizen in syncing:
            plan = plans.pop(citizen.pk, None)  # the first event of a citizen carries it out
            if plan:
                made[start:position] = self.advis(start, position)
                subscriptions.apply_own_case(citizen, plan, actor="system")
                start = position
        made[start:] = self.advis(start, len(self.envelopes))
        return made

    def changes(self, start: int, end: int) -> list[_Change]:
        found: list[tuple[int, uuid.UUID, Citizen]] = []
        for position in range(start, end):
            envelope = self.envelopes[position]
            citizen = self.citizen(envelope)
            event_id = _key(envelope.get("id"))
            if wanted(str(envelope.get("type", ""))) and citizen and event_id:
                found.append((position, event_id, citizen))
        subscribers = subscriptions.subscribers_of_many({c.pk for _, _, c in found})
        changes = []
        for position, event_id, citizen in found:
            actor = str(self.envelopes[position].get("actor") or "")
            recipients = tuple(s.staff for s in subscribers[citizen.pk]
                               if s.staff.user.get_username() != actor
                               and s.staff.user.is_active)
            if recipients:
                changes.append(_Change(position, self.envelopes[position], event_id,
                                       citizen, recipients))
        return changes

    def evaluator(self, recipient: StaffMember) -> policy.Evaluator:
        evaluator = self.evaluators.get(recipient.pk)
        if evaluator is None:
            remember_staff(recipient)
            evaluator = policy.Evaluator(recipient.user, Purpose.CASEWORK)
            self.evaluators[recipient.pk] = evaluator
        return evaluator

    def advis(self, start: int, end: int) -> list[int]:
        """Make the advis of the events ``[start, end)``; how many each made."""
        made = [0] * (end - start)
        changes = self.changes(start, end)
        if not changes:
            return made
        items = items_of([change.envelope for change in changes])
        followed: dict[int, tuple[StaffMember, set[uuid.UUID]]] = {}
        for change in changes:
            for recipient in change.recipients:
                followed.setdefault(recipient.pk, (recipient, set()))[1].add(
                    change.citizen.uuid)
        for recipient, citizens in followed.values():
            self.evaluator(recipient).preload(citizens)
        rows: list[Advis] = []
        for change, item in zip(changes, items, strict=True):
            if item is not None:
                found = self.advis_of(change, item)
                made[change.position - start] = len(found)
                rows.extend(found)
        if rows:
            now = clock.now()
            for row in rows:
                row.created_at = now
            # ``(staff, event_id)`` is unique: an advis made before (by another consumer
            # of the same events) stays as it was.
            Advis.objects.bulk_create(rows, ignore_conflicts=True)
        return made

    def advis_of(self, change: _Change, item: Item) -> list[Advis]:
        """One event's advis, one per recipient who may know that the item exists."""
        envelope = change.envelope
        event_type = str(envelope.get("type", ""))
        kind = kind_of(event_type)
        what = LABELS.get(event_type) or (NEW_LABEL if kind == Advis.Kind.NEW
                                          else CHANGED_LABEL)
        obj = envelope.get("object") or {}
        occurred = _occurred(envelope)
        made = []
        for recipient in change.recipients:
            exists, may_open = _recipient_decision(self.evaluator(recipient),
                                                   change.citizen.uuid, item)
            if not exists:
                continue  # hidden: not even that something happened
            made.append(Advis(
                staff=recipient, citizen_id=change.citizen.pk, kind=kind,
                event_id=change.event_id, event_type=event_type[:100],
                object_type=str(obj.get("type", ""))[:40],
                object_id=str(obj.get("id", ""))[:64],
                department_id=item.scope.department_id, text=_text(what, item, may_open),
                may_open=may_open, url=item.url if may_open else "",
                occurred_at=occurred))
        return made


def _occurred(envelope: Mapping[str, Any]) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(envelope.get("time")))
    except ValueError:
        return clock.now()


CLAIM_CHUNK = 300  # rows per INSERT (three parameters each; SQLite allows 999 here)


def _claim(consumer: str, event_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Record that ``consumer`` handles these events; returns those it had not handled
    before. One statement per :data:`CLAIM_CHUNK` events (``INSERT … ON CONFLICT DO
    NOTHING RETURNING``: PostgreSQL, and SQLite from 3.35)."""
    unique = list(dict.fromkeys(event_ids))
    if not unique:
        return set()
    field = ConsumedEvent._meta.get_field("event_id")
    now = ConsumedEvent._meta.get_field("consumed_at").get_db_prep_value(clock.now(),
                                                                          connection)
    table = connection.ops.quote_name(ConsumedEvent._meta.db_table)
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 35):
        return {event_id for event_id in unique if _claim_one(table, consumer, event_id, now)}
    claimed: set[uuid.UUID] = set()
    with connection.cursor() as cursor:
        for begin in range(0, len(unique), CLAIM_CHUNK):
            chunk = unique[begin:begin + CLAIM_CHUNK]
            params: list[Any] = []
            for event_id in chunk:
                params += [consumer, field.get_db_prep_value(event_id, connection), now]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (consumer, event_id, consumed_at) "  # noqa: S608 - names
                f"VALUES {values} ON CONFLICT DO NOTHING RETURNING event_id", params)
            claimed.update(uuid.UUID(str(value)) for (value,) in cursor.fetchall())
    return claimed


def _claim_one(table: str, consumer: str, event_id: uuid.UUID, now: Any) -> bool:
    """One event's claim, for an SQLite without ``RETURNING``."""
    field = ConsumedEvent._meta.get_field("event_id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (consumer, event_id, consumed_at) "  # noqa: S608 - names
            "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            [consumer, field.get_db_prep_value(event_id, connection), now])
        return bool(cursor.rowcount)


def handle_batch(envelopes: Sequence[Mapping[str, Any]], consumer: str = CONSUMER
                 ) -> list[int | None]:
    """Handle a batch of events once each for ``consumer``: claim them all, then the
    automatic subscriptions and the advis of those not handled before, with a fixed
    number of queries per batch and recipient (not per event). Returns, per envelope, how
    many advis it made, or ``None`` when it was handled before (a duplicate, also within
    the batch). Runs in its own transaction (a savepoint inside the publisher's)."""
    results: list[int | None] = [0] * len(envelopes)
    candidates: list[tuple[int, uuid.UUID]] = []
    for position, envelope in enumerate(envelopes):
        event_id = _key(envelope.get("id"))
        if event_id is not None and handles(str(envelope.get("type", ""))):
            candidates.append((position, event_id))
    if not candidates:
        return results
    with transaction.atomic():
        fresh_ids = _claim(consumer, [event_id for _, event_id in candidates])
        fresh: list[int] = []
        for position, event_id in candidates:
            if event_id in fresh_ids:
                fresh_ids.discard(event_id)  # a second copy in the batch is a duplicate
                fresh.append(position)
            else:
                results[position] = None
        made = _Batch([envelopes[p] for p in fresh]).handle()
        for position, count in zip(fresh, made, strict=True):
            results[position] = count
    return results


def handle(envelope: Mapping[str, Any], consumer: str = CONSUMER) -> int | None:
    """Handle one event once for ``consumer`` (a batch of one: :func:`handle_batch`).
    Returns how many advis were made, or ``None`` when the event was handled before."""
    return handle_batch([envelope], consumer)[0]


def handle_safely(envelope: Mapping[str, Any], consumer: str = CONSUMER) -> int | None:
    """:func:`handle` for the in-process publisher: a bug in one event's advis is logged
    and does not hold back the outbox for everyone else; a database error is raised (the
    batch is tried again)."""
    try:
        return handle(envelope, consumer)
    except DataError:
        # The event's own data does not fit (a value too long, out of range): trying it
        # again would fail again, forever. Logged and skipped like any other bug.
        log.exception("advis: event %s (%s) has data the database refuses",
                      envelope.get("id"), envelope.get("type"))
        return 0
    except DatabaseError:
        raise
    except Exception:  # noqa: BLE001 - logged; the event's own writes were rolled back
        log.exception("advis: event %s (%s) failed", envelope.get("id"), envelope.get("type"))
        return 0


def handle_batch_safely(envelopes: Sequence[Mapping[str, Any]], consumer: str = CONSUMER
                        ) -> list[int | None]:
    """:func:`handle_batch` for the publisher: if the batch fails on a bug, its writes are
    rolled back and its events are handled one by one (:func:`handle_safely`), so that
    one bad event costs only its own advis. A database error is raised (the publisher's
    batch is tried again)."""
    try:
        return handle_batch(envelopes, consumer)
    except DatabaseError as exc:
        if not isinstance(exc, DataError):
            raise  # the database is unwell: the publisher tries the batch again
        log.warning("advis: a batch of %d events has data the database refuses; handling "
                    "them one by one", len(envelopes), exc_info=True)
        return [handle_safely(envelope, consumer) for envelope in envelopes]
    except Exception:  # noqa: BLE001 - logged; handled again one by one
        log.warning("advis: a batch of %d events failed; handling them one by one",
                    len(envelopes), exc_info=True)
        return [handle_safely(envelope, consumer) for envelope in envelopes]


# --- reading --------------------------------------------------------------------------------

def _staff(actor: Actor) -> StaffMember:
    staff = staff_of(actor)
    if staff is None or staff.provider_id is not None:
        raise AccessDenied(message=subscriptions.NOT_CASEWORKER)
    return staff


def _log_shown(actor: Actor, rows: Iterable[Advis]) -> None:
    shown = list(dict.fromkeys(r.citizen.uuid for r in rows))
    if shown:
        policy.decide_many(actor, Purpose.CASEWORK, shown, Category.CASE, detail="adviser")


@dataclass(frozen=True)
class Inbox:
    rows: list[Advis]
    unread: int
    now: dt.datetime


def inbox(actor: Actor, *, unread_only: bool = False, limit: int = INBOX_LIMIT) -> Inbox:
    """The actor's newest advis (unread first is the page's choice), and the unread count."""
    staff = _staff(actor)
    query = Advis.objects.filter(staff=staff).select_related("citizen", "department")
    if unread_only:
        query = query.filter(read_at__isnull=True)
    rows = list(query.order_by("-created_at", "-pk")[:limit])
    unread = Advis.objects.filter(staff=staff, read_at__isnull=True).count()
    _log_shown(actor, rows)
    return Inbox(rows, unread, clock.now())


def parse_since(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError:
        raise BadSince(field="efter") from None
    if parsed.tzinfo is None:
        raise BadSince(field="efter")
    return parsed


def feed(actor: Actor, since: dt.datetime | None, limit: int = FEED_LIMIT) -> Inbox:
    """The actor's advis made after ``since`` (oldest first), for the page's polling."""
    staff = _staff(actor)
    query = Advis.objects.filter(staff=staff).select_related("citizen", "department")
    if since is not None:
        query = query.filter(created_at__gt=since - FEED_OVERLAP)
    rows = list(query.order_by("-created_at", "-pk")[:limit])
    unread = Advis.objects.filter(staff=staff, read_at__isnull=True).count()
    _log_shown(actor, rows)
    return Inbox(rows, unread, clock.now())


def mark_read(actor: Actor, advis_uuid: uuid.UUID | str) -> Advis:
    """Mark one of the actor's own advis as read (again: no change)."""
    staff = _staff(actor)
    key = _key(advis_uuid)
    with transaction.atomic():
        found = (Advis.objects.select_for_update().select_related("citizen")
                 .filter(uuid=key, staff=staff).first() if key else None)
        if found is None:
            raise AdvisNotFound()
        if found.read_at is None:
            found.read_at = clock.now()
            found.save(update_fields=["read_at"])
            events.emit("sharing.advis.read", object_type="advis", object_id=found.uuid,
                        actor=_username(actor), citizen=found.citizen.uuid,
                        payload={"count": 1})
    return found


def mark_all_read(actor: Actor) -> int:
    """Mark all the actor's unread advis as read; one event for them all."""
    staff = _staff(actor)
    with transaction.atomic():
        count = Advis.objects.filter(staff=staff, read_at__isnull=True).update(
            read_at=clock.now())
        if count:
            events.emit("sharing.advis.read", object_type="staffmember", object_id=staff.pk,
                        actor=_username(actor), citizen=None, payload={"count": count})
    return count


def _username(actor: Actor) -> str:
    return actor.get_username() if actor is not None else ""
