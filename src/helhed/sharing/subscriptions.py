"""Subscriptions (abonnementer): what a caseworker follows, and so gets advis about.

Automatic ("egen_sag"): the responsible caseworker of an open case follows the case's
citizen and the family. :func:`sync_own_case` keeps that true when a case is opened, its
responsible changes, or it is closed or reopened; the advis consumer does it for every
such ``cases.case.*`` event (``sharing.advis.handle_batch``, with :func:`plan_own_case`
for a whole batch), before it makes the event's advis.

By hand ("manuel"): :func:`subscribe` and :func:`unsubscribe`, only within the actor's
bases: the door must allow at least the citizen's case metadata (``Category.CASE``), and a
provider's staff may not subscribe at all.

Every change writes a ``sharing.subscription.*`` event in its transaction.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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
    return subscribers_of_many([citizen_id])[citizen_id]


def subscribers_of_many(citizen_ids: Iterable[int]) -> dict[int, list[Subscription]]:
    """:func:`subscribers_of` for many citizens in at most six queries (the family, the
    subscriptions, the subscribers and their roles), whatever their number. The rows
    carry ``staff`` (with user, unit, department and roles) but not ``citizen``."""
    wanted = set(citizen_ids)
    found: dict[int, dict[int, Subscription]] = {c: {} for c in wanted}
    if not wanted:
        return {}
    relatives = family_ids(wanted)
    kin = set().union(*relatives.values())
    rows = list(Subscription.objects.filter(ended_at__isnull=True)
                .filter(Q(citizen_id__in=wanted) | Q(family=True, citizen_id__in=kin))
                .only("pk", "uuid", "staff_id", "citizen_id", "family", "origin")
                .order_by("pk"))
    # The subscribers once each (a staff member follows many citizens), shared by her rows.
    staff = StaffMember.objects.filter(pk__in={r.staff_id for r in rows}).select_related(
        "user", "unit__department", "municipality", "provider").prefetch_related("roles")
    by_pk = {member.pk: member for member in staff} if rows else {}
    covered: dict[int, set[int]] = defaultdict(set)  # subscribed citizen → covered ones
    for citizen in wanted:
        covered[citizen].add(citizen)
        for relative in relatives[citizen]:
            covered[relative].add(citizen)
    for row in rows:
        row.staff = by_pk[row.staff_id]
        for citizen in covered.get(row.citizen_id, ()):
            if row.citizen_id != citizen and not row.family:
                continue
            chosen = found[citizen]
            if row.staff_id not in chosen or row.citizen_id == citizen:
                chosen[row.staff_id] = row
    return {citizen: list(chosen.values()) for citizen, chosen in found.items()}


# --- automatic subscriptions --------------------------------------------------------------

def _emit(subscription: Subscription, what: str, actor: str) -> None:
    events.emit(
        f"sharing.subscription.{what}", object_type="subscription",
        object_id=subscription.uuid, actor=actor, citizen=subscription.citizen.uuid,
        sensitivity=Sensitivity.CONFIDENTIAL,
        payload={"staff": subscription.staff_id, "origin": subscription.origin,
                 "family": subscription.family})


@dataclass(frozen=True)
class OwnCasePlan:
    """What :func:`sync_own_case` would change for one citizen: the staff to start an
    automatic subscription for, and the automatic subscriptions to end."""

    start: tuple[int, ...]
    end: tuple[Subscription, ...]

    def __bool__(self) -> bool:
        return bool(self.start or self.end)


def plan_own_case(citizen_ids: Iterable[int]) -> dict[int, OwnCasePlan]:
    """:func:`sync_own_case`'s changes for many citizens, in two queries; nothing is
    changed."""
    from helhed.cases.models import Case

    wanted = set(citizen_ids)
    if not wanted:
        return {}
    responsible: dict[int, set[int]] = defaultdict(set)
    for citizen_id, staff_id in (Case.objects.filter(citizen_id__in=wanted,
                                                     responsible__isnull=False)
                                 .exclude(state=Case.State.CLOSED)
                                 .values_list("citizen_id", "responsible_id")):
        responsible[citizen_id].add(staff_id)
    active: dict[int, list[Subscription]] = defaultdict(list)
    for subscription in (Subscription.objects.filter(citizen_id__in=wanted,
                                                     ended_at__isnull=True)
                         .select_related("citizen").order_by("pk")):
        active[subscription.citizen_id].append(subscription)
    plans = {}
    for citizen_id in wanted:
        following = {s.staff_id for s in active[citizen_id]}
        plans[citizen_id] = OwnCasePlan(
            tuple(sorted(responsible[citizen_id] - following)),
            tuple(s for s in active[citizen_id]
                  if s.origin == Origin.OWN_CASE and s.staff_id not in responsible[citizen_id]))
    return plans


def apply_own_case(citizen: Citizen, plan: OwnCasePlan, *, actor: str = "system"
                   ) -> tuple[int, int]:
    """Carry out a plan from :func:`plan_own_case` (inside the caller's transaction, which
    must not have changed the citizen's cases or subscriptions since). Returns (started,
    ended)."""
    now = clock.now()
    for staff_id in plan.start:
        subscription = Subscription.objects.create(
            staff_id=staff_id, citizen=citizen, family=True, origin=Origin.OWN_CASE,
            created_at=now)
        _emit(subscription, "created", actor)
    for subscription in plan.end:
        subscription.ended_at = now
        subscription.save(update_fields=["ended_at"])
        _emit(subscription, "ended", actor)
    return len(plan.start), len(plan.end)


def sync_own_case(citizen: Citizen, *, actor: str = "system") -> tuple[int, int]:
    """Make the automatic subscriptions on ``citizen`` match who is responsible for the
    citizen's open cases: start the missing ones, end those of staff who no longer are.
    Runs inside the caller's transaction. Returns (started, ended)."""
    return apply_own_case(citizen, plan_own_case([citizen.pk])[citizen.pk], actor=actor)


def syncs_own_case(envelope: Mapping[str, object]) -> bool:
    """Whether a ``cases.case.*`` event may change who is responsible for an open case of
    its citizen (so the automatic subscriptions are synchronised for it)."""
    kind = str(envelope.get("type", ""))
    if kind not in CASE_EVENTS:
        return False
    payload = envelope.get("payload") or {}
    return not (kind == "cases.case.changed" and "responsible" not in (
        payload.get("fields", []) if isinstance(payload, dict) else []))


def on_case_event(envelope: dict[str, object]) -> None:
    """The automatic part, for one ``cases.case.*`` event (in the caller's transaction)."""
    if not syncs_own_case(envelope):
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
