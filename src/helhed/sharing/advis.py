"""Advis: notifications in a caseworker's work list that something relevant appeared (K2,
"ny") or changed (K3, "ændret") for a citizen she follows (``sharing.subscriptions``).

:func:`handle` takes one event envelope (from the outbox, in-process or through RabbitMQ)
and, once per consumer and event (``sharing.ConsumedEvent``), makes one ``Advis`` per
subscriber of the event's citizen — or of a member of the citizen's family, where the
subscription covers the family. Each advis is decided with the policy for its recipient
(``policy.Evaluator``), never carrying what she may not see:

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
import threading
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, transaction
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


def item_of(envelope: Mapping[str, Any]) -> Item | None:
    """The item the event is about, loaded from its master; ``None`` if it is gone or of a
    kind the advis does not know (then no advis is made)."""
    obj = envelope.get("object") or {}
    kind = str(obj.get("type", ""))
    key = _key(obj.get("id"))
    payload = envelope.get("payload") or {}
    if key is None:
        return None
    if kind == "case":
        case = _cases().filter(uuid=key).first()
        return _of_case(case, case.title) if case else None
    if kind == "journalentry":
        entry = (JournalEntry.objects.select_related(
            "case__department", "case__responsible__user").filter(uuid=key).first())
        return _of_case(entry.case, entry.title, "#journal") if entry else None
    if kind == "document":
        doc = (Document.objects.select_related("case__department", "case__responsible__user")
               .filter(uuid=key).first())
        return _of_case(doc.case, doc.title, "#dokumenter") if doc else None
    if kind == "decision":
        decision = (Decision.objects.select_related(
            "case__department", "case__responsible__user").filter(uuid=key).first())
        if decision is None:
            return None
        item = _of_case(decision.case, decision.title)
        return Item(item.scope, item.where, item.title,
                    reverse("decision-detail", args=[decision.uuid]))
    if kind == "grant":
        return _of_grant(key)
    if kind == "notification":
        return _of_notification(key)
    if kind in ("external_case", "externalcase"):
        return _of_external(key)
    case_key = _key(payload.get("case")) if isinstance(payload, dict) else None
    if case_key is not None:
        case = _cases().filter(uuid=case_key).first()
        return _of_case(case, "") if case else None
    return None


def _of_grant(key: uuid.UUID) -> Item | None:
    grant = (Grant.objects.select_related("department", "case__department",
                                          "case__responsible__user").filter(uuid=key).first())
    if grant is None:
        return None
    url = reverse("grant-detail", args=[grant.uuid])
    if grant.case is not None:
        item = _of_case(grant.case, grant.title)
        return Item(item.scope, item.where, item.title, url)
    code = grant.department.code
    scope = CaseScope(department_id=grant.department_id, department_name=grant.department.name,
                      department_code=code,
                      category=policy.category_of_department(code, policy.categories()))
    return Item(scope, grant.department.name, grant.title, url)


def _of_notification(key: uuid.UUID) -> Item | None:
    note = (Notification.objects.select_related(
        "case__department", "case__responsible__user", "unit__department")
        .filter(uuid=key).first())
    if note is None:
        return None
    scope = case_access.scope_of_notification(note)
    where = (_case_where(note.case) if note.case is not None
             else f"{scope.department_name}".strip() or "–")
    # A notification has no title: its concern is content and never goes in an advis.
    return Item(scope, f"underretning, {where}" if note.case is None else where, "",
                reverse("notification-detail", args=[note.uuid]))


def _of_external(key: uuid.UUID) -> Item | None:
    found = (ExternalCase.objects.select_related("department", "category")
             .filter(uuid=key).first())
    if found is None:
        return None
    scope = CaseScope(department_id=found.department_id, department_name=found.department.name,
                      department_code=found.department.code, category=found.category.code,
                      responsible_name=found.responsible_name,
                      responsible_phone=found.responsible_contact)
    return Item(scope, f"{found.department.name} ({found.source_system})", found.title, "")


# --- making advis ---------------------------------------------------------------------------

def _text(what: str, item: Item, may_open: bool) -> str:
    if may_open:
        template = TEXT_OPEN if item.title else TEXT_OPEN_UNTITLED
        text = template % {"what": what, "title": item.title, "where": item.where}
    else:
        text = TEXT_CLOSED % {"what": what, "where": item.where,
                              "ask": policy.who_to_ask(item.scope)}
    return text[:300]


class _BatchMarker:
    """Sits in the connection's on-commit list while the transaction that made it lives
    (as ``core.events`` does): evaluators are reused only within one transaction."""

    def __call__(self) -> None:
        return None


_local = threading.local()


def _evaluators() -> dict[int, policy.Evaluator]:
    """The recipients' evaluators for the current transaction (the publisher's batch, or
    one AMQP message): the policy's per-actor loading (roles, rules, emergency access) is
    done once per batch, never across a commit or a rollback."""
    if not connection.in_atomic_block:
        return {}
    # The savepoints around this event's own: the publisher's batch (each batch makes new
    # ones), so that a batch nested in a longer transaction (tests) does not share either.
    key = tuple(connection.savepoint_ids[:-1])
    marker = getattr(_local, "marker", None)
    if (marker is None or getattr(_local, "key", None) != key
            or not any(entry[1] is marker for entry in connection.run_on_commit)):
        marker = _BatchMarker()
        transaction.on_commit(marker)
        _local.marker = marker
        _local.key = key
        _local.evaluators = {}
    found: dict[int, policy.Evaluator] = _local.evaluators
    return found


def _evaluator(recipient: StaffMember, cache: dict[int, policy.Evaluator]
               ) -> policy.Evaluator:
    evaluator = cache.get(recipient.pk)
    if evaluator is None:
        remember_staff(recipient)
        evaluator = cache[recipient.pk] = policy.Evaluator(recipient.user, Purpose.CASEWORK)
    return evaluator


def remember_staff(staff: StaffMember) -> None:
    """Give the policy the recipient's staff record and roles, loaded with the
    subscriptions (``subscribers_of``), instead of two queries per recipient.

    Uses ``organisation.services``' per-user memo; see the report: a public
    ``organisation.services.remember(user, staff, roles)`` would be better."""
    from helhed.organisation import services as organisation

    user = staff.user
    setattr(user, organisation._STAFF_MEMO, organisation._StaffMemo(user.pk, staff))
    setattr(user, organisation._ROLES_MEMO,
            organisation._RolesMemo(user.pk, tuple(staff.roles.all())))


def _recipient_decision(evaluator: policy.Evaluator, citizen: uuid.UUID, item: Item
                        ) -> tuple[bool, bool]:
    """(may know it exists, may open it) for one recipient, decided by the policy."""
    exists = evaluator.decide(citizen, Category.CASE, item.scope)
    if not exists.allowed or exists.hidden:
        return False, False
    content = evaluator.decide(citizen, Category.CASE_CONTENT, item.scope)
    return True, content.allowed


def make_advis(envelope: Mapping[str, Any]) -> list[Advis]:
    """The advis for one event (inside the caller's transaction). No ``ConsumedEvent``
    bookkeeping here: see :func:`handle`."""
    event_type = str(envelope.get("type", ""))
    citizen_key = _key(envelope.get("citizen"))
    event_id = _key(envelope.get("id"))
    if not wanted(event_type) or citizen_key is None or event_id is None:
        return []
    citizen = Citizen.objects.filter(uuid=citizen_key).only("pk", "uuid").first()
    if citizen is None:
        return []
    actor = str(envelope.get("actor") or "")
    recipients = [s.staff for s in subscriptions.subscribers_of(citizen.pk)
                  if s.staff.user.get_username() != actor and s.staff.user.is_active]
    if not recipients:
        return []
    item = item_of(envelope)
    if item is None:
        return []
    occurred = _occurred(envelope)
    kind = kind_of(event_type)
    what = LABELS.get(event_type) or (NEW_LABEL if kind == Advis.Kind.NEW else CHANGED_LABEL)
    cache = _evaluators()
    made: list[Advis] = []
    for recipient in recipients:
        exists, may_open = _recipient_decision(_evaluator(recipient, cache), citizen.uuid,
                                               item)
        if not exists:
            continue  # hidden: not even that something happened
        made.append(Advis(
            staff=recipient, citizen_id=citizen.pk, kind=kind, event_id=event_id,
            event_type=event_type[:100],
            object_type=str((envelope.get("object") or {}).get("type", ""))[:40],
            object_id=str((envelope.get("object") or {}).get("id", ""))[:64],
            department_id=item.scope.department_id, text=_text(what, item, may_open),
            may_open=may_open, url=item.url if may_open else "",
            created_at=clock.now(), occurred_at=occurred))
    if made:
        # ``(staff, event_id)`` is unique: an advis made before (by another consumer of
        # the same events) stays as it was.
        Advis.objects.bulk_create(made, ignore_conflicts=True)
    return made


def _occurred(envelope: Mapping[str, Any]) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(envelope.get("time")))
    except ValueError:
        return clock.now()


def _claim(consumer: str, event_id: uuid.UUID) -> bool:
    """Record that ``consumer`` handles ``event_id``; False if it already did. One
    statement (``ON CONFLICT DO NOTHING``, SQLite and PostgreSQL alike)."""
    field = ConsumedEvent._meta.get_field("event_id")
    table = ConsumedEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (consumer, event_id, consumed_at) "  # noqa: S608 - names
            "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            [consumer, field.get_db_prep_value(event_id, connection),
             ConsumedEvent._meta.get_field("consumed_at").get_db_prep_value(
                 clock.now(), connection)])
        return bool(cursor.rowcount)


def handle(envelope: Mapping[str, Any], consumer: str = CONSUMER) -> int | None:
    """Handle one event once for ``consumer``: the automatic subscriptions, then the advis.
    Returns how many advis were made, or ``None`` when the event was handled before
    (a duplicate). Runs in its own transaction (a savepoint inside the publisher's)."""
    event_type = str(envelope.get("type", ""))
    event_id = _key(envelope.get("id"))
    if event_id is None or not handles(event_type):
        return 0
    with transaction.atomic():
        if not _claim(consumer, event_id):
            return None
        if event_type.startswith("cases.case."):
            subscriptions.on_case_event(dict(envelope))
        return len(make_advis(envelope))


def handle_safely(envelope: Mapping[str, Any], consumer: str = CONSUMER) -> int | None:
    """:func:`handle` for the in-process publisher: a bug in one event's advis is logged
    and does not hold back the outbox for everyone else; a database error is raised (the
    batch is tried again)."""
    try:
        return handle(envelope, consumer)
    except DatabaseError:
        raise
    except Exception:  # noqa: BLE001 - logged; the event's own writes were rolled back
        log.exception("advis: event %s (%s) failed", envelope.get("id"), envelope.get("type"))
        return 0


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
