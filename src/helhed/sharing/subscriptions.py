"""Subscriptions (abonnementer): what a caseworker follows, and so gets advis about.

Automatic ("egen_sag"): the responsible caseworker of an open case follows the case's
citizen and the family. :func:`sync_own_case` keeps that true when a case is opened, its
responsible changes, or it is closed or reopened; the advis consumer calls it for every
``cases.case.*`` event (``sharing.advis.handle``), before it makes the event's advis.

By hand ("manuel"): :func:`subscribe` and :func:`unsubscribe`, only within the actor's
bases: the door must allow at least the citizen's case metadata (``Category.CASE``), and a
provider's staff may not subscribe at all.

Every change writes a ``sharing.subscription.*`` event in its transaction.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_noop

from helhed.core import clock, events
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.core.models import Sensitivity
from helhed.organisation.models import StaffMember
from helhed.organisation.services import roles_of, staff_of
from helhed.people.kinship import family_ids
from helhed.people.models import Citizen
from helhed.sharing import policy
from helhed.sharing.models import Subscription
from helhed.sharing.policy import Actor, Category, Purpose

Origin = Subscription.Origin
NOT_CASEWORKER = gettext_noop("Kun sagsbehandlere kan abonnere på borgere.")
# Events whose cases may change who is responsible for an open case.
CASE_EVENTS = ("cases.case.opened", "cases.case.changed", "cases.case.closed",
               "cases.case.state_changed")


class SubscriptionNotFound(NotFound):
    code = "subscription.not_found"
    message = gettext_noop("Du abonnerer ikke på denne borger.")


class CitizenNotFound(NotFound):
    code = "subscription.citizen_not_found"
    message = gettext_noop("Der findes ingen borger med dette id.")


def subscribers_of(citizen_id: int) -> list[Subscription]:
    """The active subscriptions that cover a citizen: on the citizen, or (``family``) on a
    member of the citizen's family. One per staff member (the citizen's own first)."""
    relatives = family_ids([citizen_id])[citizen_id]
    rows = (Subscription.objects.filter(ended_at__isnull=True)
            .filter(Q(citizen_id=citizen_id) | Q(family=True, citizen_id__in=relatives))
            .select_related("staff__user", "staff__unit__department", "staff__municipality",
                            "staff__provider")
            .order_by("pk"))
    found: dict[int, Subscription] = {}
    for row in rows:
        if row.staff_id not in found or row.citizen_id == citizen_id:
            found[row.staff_id] = row
    return list(found.values())


# --- automatic subscriptions --------------------------------------------------------------

def _emit(subscription: Subscription, what: str, actor: str) -> None:
    events.emit(
        f"sharing.subscription.{what}", object_type="subscription",
        object_id=subscription.uuid, actor=actor, citizen=subscription.citizen.uuid,
        sensitivity=Sensitivity.CONFIDENTIAL,
        payload={"staff": subscription.staff_id, "origin": subscription.origin,
                 "family": subscription.family})


def sync_own_case(citizen: Citizen, *, actor: str = "system") -> tuple[int, int]:
    """Make the automatic subscriptions on ``citizen`` match who is responsible for the
    citizen's open cases: start the missing ones, end those of staff who no longer are.
    Runs inside the caller's transaction. Returns (started, ended)."""
    from helhed.cases.models import Case

    responsible = set(Case.objects.filter(citizen=citizen, responsible__isnull=False)
                      .exclude(state=Case.State.CLOSED)
                      .values_list("responsible_id", flat=True))
    active = list(Subscription.objects.filter(citizen=citizen, ended_at__isnull=True)
                  .select_related("citizen"))
    following = {s.staff_id for s in active}
    now = clock.now()
    started = ended = 0
    for staff_id in sorted(responsible - following):
        subscription = Subscription.objects.create(
            staff_id=staff_id, citizen=citizen, family=True, origin=Origin.OWN_CASE,
            created_at=now)
        _emit(subscription, "created", actor)
        started += 1
    for subscription in active:
        if subscription.origin == Origin.OWN_CASE and subscription.staff_id not in responsible:
            subscription.ended_at = now
            subscription.save(update_fields=["ended_at"])
            _emit(subscription, "ended", actor)
            ended += 1
    return started, ended


def on_case_event(envelope: dict[str, object]) -> None:
    """The automatic part, for one ``cases.case.*`` event (in the caller's transaction)."""
    kind = str(envelope.get("type", ""))
    if kind not in CASE_EVENTS:
        return
    payload = envelope.get("payload") or {}
    if kind == "cases.case.changed" and "responsible" not in (
            payload.get("fields", []) if isinstance(payload, dict) else []):
        return
    citizen_uuid = envelope.get("citizen")
    citizen = Citizen.objects.filter(uuid=str(citizen_uuid)).first() if citizen_uuid else None
    if citizen is not None:
        sync_own_case(citizen, actor="system")


# --- by hand ------------------------------------------------------------------------------

def _caseworker(actor: Actor) -> StaffMember:
    staff = staff_of(actor)
    if (staff is None or staff.provider_id is not None
            or not any(r.may_look_up_citizens and not r.is_provider for r in roles_of(actor))):
        raise AccessDenied(message=NOT_CASEWORKER)
    return staff


def _key(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _citizen(citizen_uuid: uuid.UUID | str) -> Citizen:
    try:
        key = uuid.UUID(str(citizen_uuid))
    except ValueError:
        raise CitizenNotFound(field="citizen") from None
    citizen = Citizen.objects.filter(uuid=key).first()
    if citizen is None:
        raise CitizenNotFound(field="citizen")
    return citizen


def subscribe(actor: Actor, citizen_uuid: uuid.UUID | str, family: bool = True
              ) -> Subscription:
    """Follow a citizen (and with ``family`` the family). Asks the door for the citizen's
    case metadata first; a refusal is logged and raises ``AccessDenied``. Following
    someone already followed only changes ``family`` (and emits ``changed``)."""
    try:
        staff = _caseworker(actor)
    except AccessDenied:
        refused = policy.Decision(False, "", NOT_CASEWORKER)
        policy.record(actor, [policy.look(refused, _key(citizen_uuid), Category.CASE,
                                          purpose=Purpose.CASEWORK, action="subscribe",
                                          detail="abonnement")])
        raise
    citizen = _citizen(citizen_uuid)
    decision = policy.decide(actor, Purpose.CASEWORK, citizen.uuid, Category.CASE,
                             action="subscribe", detail="abonnement")
    if not decision.allowed:
        raise AccessDenied(message=decision.reason or policy.ROLE_GIVES_NO_ACCESS)
    username = actor.get_username() if actor is not None else ""
    with transaction.atomic():
        existing = (Subscription.objects.select_for_update().select_related("citizen")
                    .filter(staff=staff, citizen=citizen, ended_at__isnull=True).first())
        if existing is not None:
            if existing.family != family:
                existing.family = family
                existing.save(update_fields=["family"])
                _emit(existing, "changed", username)
            return existing
        subscription = Subscription.objects.create(
            staff=staff, citizen=citizen, family=family, origin=Origin.MANUAL,
            created_at=clock.now())
        _emit(subscription, "created", username)
    return subscription


def unsubscribe(actor: Actor, citizen_uuid: uuid.UUID | str) -> Subscription:
    """Stop following a citizen (a manual or an automatic subscription). An automatic one
    starts again only when the actor becomes responsible for another of the citizen's
    cases."""
    staff = _caseworker(actor)
    try:
        key = uuid.UUID(str(citizen_uuid))
    except ValueError:
        raise SubscriptionNotFound(field="citizen") from None
    username = actor.get_username() if actor is not None else ""
    with transaction.atomic():
        existing = (Subscription.objects.select_for_update().select_related("citizen")
                    .filter(staff=staff, citizen__uuid=key, ended_at__isnull=True).first())
        if existing is None:
            raise SubscriptionNotFound(field="citizen")
        existing.ended_at = clock.now()
        existing.save(update_fields=["ended_at"])
        _emit(existing, "ended", username)
    return existing


def subscriptions_of(actor: Actor) -> list[Subscription]:
    """The actor's active subscriptions, with their citizens (names: master data, logged as
    one look per citizen)."""
    staff = _caseworker(actor)
    rows = list(Subscription.objects.filter(staff=staff, ended_at__isnull=True)
                .select_related("citizen").order_by("citizen__last_name",
                                                    "citizen__first_name"))
    if rows:
        policy.decide_many(actor, Purpose.CASEWORK, [r.citizen.uuid for r in rows],
                           Category.MASTER_DATA, detail="abonnementer")
    return rows


def is_following(actor: Actor, citizen_uuid: uuid.UUID) -> Subscription | None:
    """The actor's active subscription on the citizen, if any (no look: the actor's own
    data)."""
    staff = staff_of(actor)
    if staff is None:
        return None
    return (Subscription.objects.filter(staff=staff, citizen__uuid=citizen_uuid,
                                        ended_at__isnull=True).first())


def validate_family_flag(value: str | None) -> bool:
    """A form's "hele familien" checkbox / API flag."""
    if value in (None, "", "0", "false", "off"):
        return False
    if value in ("1", "true", "on", "ja"):
        return True
    raise InvalidInput("request.invalid_choice", gettext_noop("Vælg ja eller nej."),
                       field="family")
