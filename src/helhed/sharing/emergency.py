"""Emergency access (akut adgang): on-call staff open a family's cases and plans outside
office hours with a stated reason, time-boxed, and a leader reviews it afterwards.

- :func:`start`: only the on-call role (``doegnvagt``) and leaders (``leder``) may; a reason
  of at least ``MIN_REASON`` characters; ``DEFAULT_HOURS`` (12) unless chosen, at most
  ``MAX_HOURS`` (24). The family (the citizen, parents, children, siblings) is recorded at
  the start: the access covers them and nobody who joins the family later.
- While it lasts the policy door grants case content to the actor for that family, and
  every such look is flagged ``emergency`` in the access log (``policy.Evaluator``).
- :func:`review_queue`: the leaders of the on-call unit's department see every unreviewed
  access with the looks made under it; :func:`review` approves or criticises it (a note is
  required for criticism). Nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from helhed.core import clock, events
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.core.models import AccessLogEntry, Sensitivity
from helhed.organisation.models import StaffMember
from helhed.organisation.services import roles_of, staff_of
from helhed.people.kinship import family_ids
from helhed.people.models import Citizen
from helhed.people.services import CitizenNotFound
from helhed.sharing import policy
from helhed.sharing.accesslog import action_label, category_label
from helhed.sharing.models import EmergencyAccess
from helhed.sharing.policy import Actor, Category, Purpose

ON_CALL_ROLES = frozenset({"doegnvagt", "leder"})
REVIEWER_ROLE = "leder"
DEFAULT_HOURS = 12
MAX_HOURS = 24
MIN_REASON = 10
MAX_REASON = 1000

NOT_ON_CALL = gettext_noop("Kun døgnvagten og ledere kan give sig selv akut adgang.")
NOT_LEADER = gettext_noop("Kun ledere kan gennemgå akut adgang.")


class EmergencyNotFound(NotFound):
    code = "emergency.not_found"
    message = gettext_noop("Den akutte adgang findes ikke, eller du har ikke adgang til den.")


# --- the family -----------------------------------------------------------------------------

def family_uuids(citizen: Citizen) -> list[uuid.UUID]:
    """The citizen first, then parents, children and siblings (``people.kinship``: the same
    family the policy door uses)."""
    ids = {citizen.pk} | family_ids([citizen.pk])[citizen.pk]
    found = dict(Citizen.objects.filter(pk__in=ids).values_list("pk", "uuid"))
    return [found[citizen.pk]] + sorted((u for pk, u in found.items() if pk != citizen.pk),
                                        key=str)


# --- who may ------------------------------------------------------------------------------

def _refuse(actor: Actor, subject: uuid.UUID | None, reason: str, detail: str,
            code: str) -> AccessDenied:
    policy.record(actor, [policy.look(policy.Decision(False, "", reason), subject,
                                      Category.CASE_CONTENT, purpose=Purpose.EMERGENCY,
                                      action="write", detail=detail)])
    return AccessDenied(code, reason)


def _role_codes(actor: Actor) -> set[str]:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return set()
    return {r.code for r in roles_of(actor)}


def _on_call(actor: Actor, subject: uuid.UUID | None) -> StaffMember:
    staff = staff_of(actor)
    if staff is None or staff.provider_id is not None or not (_role_codes(actor)
                                                              & ON_CALL_ROLES):
        raise _refuse(actor, subject, NOT_ON_CALL, "akut adgang afvist", "emergency.not_on_call")
    return staff


def require_on_call(actor: Actor, citizen_uuid: uuid.UUID | str) -> Citizen:
    """The citizen, if the actor may start emergency access (a refusal is logged)."""
    citizen = _citizen(citizen_uuid)
    _on_call(actor, citizen.uuid)
    return citizen


def may_start(actor: Actor) -> bool:
    """Whether to offer the start form (the service decides again)."""
    staff = staff_of(actor)
    return bool(staff is not None and staff.provider_id is None
                and _role_codes(actor) & ON_CALL_ROLES)


def _leader(actor: Actor, detail: str) -> StaffMember:
    staff = staff_of(actor)
    if (staff is None or staff.unit is None or staff.provider_id is not None
            or REVIEWER_ROLE not in _role_codes(actor)):
        policy.record(actor, [policy.look(policy.Decision(False, "", NOT_LEADER), None,
                                          Category.CASE, purpose=Purpose.CASEWORK,
                                          detail=detail)])
        raise AccessDenied("emergency.not_leader", NOT_LEADER)
    return staff


def is_leader(actor: Actor) -> bool:
    staff = staff_of(actor)
    return bool(staff is not None and staff.unit is not None
                and REVIEWER_ROLE in _role_codes(actor))


# --- starting and ending ------------------------------------------------------------------

def _citizen(citizen_uuid: uuid.UUID | str) -> Citizen:
    try:
        key = uuid.UUID(str(citizen_uuid))
    except ValueError:
        raise CitizenNotFound() from None
    citizen = Citizen.objects.filter(uuid=key).first()
    if citizen is None:
        raise CitizenNotFound()
    return citizen


def _check(reason: str, hours: object) -> tuple[str, int]:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise InvalidInput("emergency.reason_required", gettext_noop(
            "Skriv begrundelsen for den akutte adgang (mindst %(min)s tegn)."),
            field="reason", params={"min": MIN_REASON})
    if len(reason) > MAX_REASON:
        raise InvalidInput("emergency.reason_too_long", gettext_noop("Højst %(max)s tegn."),
                           field="reason", params={"max": MAX_REASON})
    try:
        count = int(str(hours))
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= MAX_HOURS:
        raise InvalidInput("emergency.hours", gettext_noop(
            "Vælg mellem 1 og %(max)s timer."), field="hours", params={"max": MAX_HOURS})
    return reason, count


def _active() -> QuerySet[EmergencyAccess]:
    now = clock.now()
    return EmergencyAccess.objects.filter(ended_at__isnull=True, started_at__lte=now,
                                          expires_at__gt=now)


def start(actor: Actor, citizen_uuid: uuid.UUID | str, reason: str,
          hours: int | str = DEFAULT_HOURS) -> EmergencyAccess:
    """Open the citizen's family's cases to the actor for ``hours``. Refusals are logged."""
    citizen = _citizen(citizen_uuid)
    staff = _on_call(actor, citizen.uuid)
    reason, count = _check(reason, hours)
    current = _active().filter(actor_id=staff.user_id, citizen=citizen).first()
    if current is not None:
        raise InvalidInput("emergency.already_active", gettext_noop(
            "Du har allerede akut adgang til familien indtil %(until)s."),
            params={"until": f"{timezone.localtime(current.expires_at):%d.%m.%Y %H:%M}"})
    family = family_uuids(citizen)
    now = clock.now()
    with transaction.atomic():
        access = EmergencyAccess.objects.create(
            actor_id=staff.user_id, staff=staff, citizen=citizen,
            family=[str(u) for u in family], reason=reason, started_at=now,
            expires_at=now + dt.timedelta(hours=count))
        events.emit("sharing.emergency_access.started", object_type="emergency_access",
                    object_id=access.uuid, actor=staff.user.get_username(),
                    citizen=citizen.uuid, sensitivity=Sensitivity.SENSITIVE,
                    payload={"emergency_access": str(access.uuid), "hours": count,
                             "expires_at": access.expires_at.isoformat(),
                             "family": [str(u) for u in family],
                             "staff_unit": str(staff.unit) if staff.unit else ""})
    basis = f"Akut adgang: {reason}"[:200]
    policy.record(actor, [policy.look(policy.Decision(True, basis, emergency=True), u,
                                      Category.CASE, purpose=Purpose.EMERGENCY, action="write",
                                      detail="akut adgang startet") for u in family])
    return access


def _load(access_uuid: uuid.UUID | str) -> EmergencyAccess:
    try:
        key = uuid.UUID(str(access_uuid))
    except ValueError:
        raise EmergencyNotFound() from None
    found = (EmergencyAccess.objects.select_related("citizen", "staff__user", "staff__unit",
                                                    "reviewed_by__user")
             .filter(uuid=key).first())
    if found is None:
        raise EmergencyNotFound()
    return found


def end(actor: Actor, access_uuid: uuid.UUID | str) -> EmergencyAccess:
    """End one's own emergency access before it expires."""
    access = _load(access_uuid)
    if getattr(actor, "pk", None) != access.actor_id:
        raise EmergencyNotFound()
    now = clock.now()
    if access.ended_at is not None or access.expires_at <= now:
        raise InvalidInput("emergency.not_active", gettext_noop(
            "Den akutte adgang er allerede afsluttet eller udløbet."))
    with transaction.atomic():
        access.ended_at = now
        access.save(update_fields=["ended_at"])
        events.emit("sharing.emergency_access.ended", object_type="emergency_access",
                    object_id=access.uuid, actor=access.staff.user.get_username(),
                    citizen=access.citizen.uuid, sensitivity=Sensitivity.SENSITIVE,
                    payload={"emergency_access": str(access.uuid),
                             "ended_at": now.isoformat()})
    return access


def active_of(actor: Actor) -> list[EmergencyAccess]:
    """The actor's own emergency accesses that are running now."""
    if getattr(actor, "pk", None) is None:
        return []
    return list(_active().filter(actor_id=actor.pk).select_related("citizen")  # type: ignore[union-attr]
                .order_by("expires_at"))


# --- the leader's review ------------------------------------------------------------------

@dataclass(frozen=True)
class ReviewLook:
    at: dt.datetime
    subject: uuid.UUID | None
    subject_name: str
    category: str
    category_label: str
    action: str
    action_label: str
    detail: str
    allowed: bool


@dataclass
class QueueItem:
    access: EmergencyAccess
    looks: list[ReviewLook] = field(default_factory=list)

    @property
    def window_end(self) -> dt.datetime:
        return self.access.ended_at or self.access.expires_at

    @property
    def running(self) -> bool:
        return self.access.ended_at is None and self.access.expires_at > clock.now()


def _with_looks(accesses: list[EmergencyAccess]) -> list[QueueItem]:
    """Each access with the emergency-flagged looks its actor made in its window at its
    family (two queries for the whole queue)."""
    items = [QueueItem(a) for a in accesses]
    if not items:
        return items
    first = min(a.started_at for a in accesses)
    last = max(i.window_end for i in items)
    entries = list(AccessLogEntry.objects.filter(
        emergency=True, actor_id__in={a.actor_id for a in accesses}, at__gte=first,
        at__lte=last).order_by("at", "id"))
    subjects = {e.subject for e in entries if e.subject is not None}
    full = {c.uuid: c.full_name for c in Citizen.objects.filter(uuid__in=subjects)}
    for item in items:
        family = {uuid.UUID(str(u)) for u in item.access.family}
        item.looks = [
            ReviewLook(e.at, e.subject, full.get(e.subject, "") if e.subject else "",
                       e.category, category_label(e.category), e.action,
                       action_label(e.action), e.detail, e.allowed)
            for e in entries
            if e.actor_id == item.access.actor_id and e.subject in family
            and item.access.started_at <= e.at <= item.window_end]
    return items


def _log_review(actor: Actor, accesses: Iterable[EmergencyAccess], detail: str) -> None:
    evaluator = policy.Evaluator(actor, Purpose.CASEWORK)
    looks = []
    for access in accesses:
        decision = evaluator.decide(access.citizen.uuid, Category.MASTER_DATA)
        looks.append(policy.look(decision, access.citizen.uuid, Category.MASTER_DATA,
                                 purpose=Purpose.CASEWORK, detail=detail))
    policy.record(actor, looks)


def _department_accesses(staff: StaffMember) -> QuerySet[EmergencyAccess]:
    """The accesses of staff in the leader's department (``_leader`` ensures a unit)."""
    department = staff.unit.department_id if staff.unit is not None else -1
    return (EmergencyAccess.objects.select_related("citizen", "staff__user", "staff__unit",
                                                   "reviewed_by__user")
            .filter(staff__unit__department_id=department))


def review_queue(actor: Actor) -> list[QueueItem]:
    """Unreviewed emergency accesses of the leader's department's staff, oldest first,
    each with the looks made under it. The leader's look is logged per citizen."""
    staff = _leader(actor, "akut adgang: gennemgangskø")
    accesses = list(_department_accesses(staff).filter(reviewed_at__isnull=True)
                    .order_by("started_at", "pk"))
    _log_review(actor, accesses, "gennemgang af akut adgang")
    return _with_looks(accesses)


def review_item(actor: Actor, access_uuid: uuid.UUID | str) -> QueueItem:
    """One access (reviewed or not) of the leader's department, with its looks."""
    staff = _leader(actor, "akut adgang: gennemgang")
    access = _load(access_uuid)
    if not _department_accesses(staff).filter(pk=access.pk).exists():
        raise EmergencyNotFound()
    _log_review(actor, [access], "gennemgang af akut adgang")
    return _with_looks([access])[0]


def review(actor: Actor, access_uuid: uuid.UUID | str, approved: bool,
           note: str = "") -> EmergencyAccess:
    """The leader's verdict on an ended or expired access. Criticism needs a note."""
    staff = _leader(actor, "akut adgang: gennemgang")
    access = _load(access_uuid)
    if not _department_accesses(staff).filter(pk=access.pk).exists():
        raise EmergencyNotFound()
    if access.staff_id == staff.pk:
        raise AccessDenied("emergency.own_access", gettext_noop(
            "Du kan ikke gennemgå din egen akutte adgang. En anden leder skal gøre det."))
    note = (note or "").strip()
    if access.reviewed_at is not None:
        raise InvalidInput("emergency.already_reviewed", gettext_noop(
            "Den akutte adgang er allerede gennemgået."))
    if access.ended_at is None and access.expires_at > clock.now():
        raise InvalidInput("emergency.still_running", gettext_noop(
            "Den akutte adgang er ikke afsluttet endnu. Gennemgå den, når den er afsluttet "
            "eller udløbet."))
    if not approved and not note:
        raise InvalidInput("emergency.note_required", gettext_noop(
            "Skriv, hvad der ikke var i orden."), field="note")
    if len(note) > MAX_REASON:
        raise InvalidInput("emergency.note_too_long", gettext_noop("Højst %(max)s tegn."),
                           field="note", params={"max": MAX_REASON})
    with transaction.atomic():
        access.reviewed_at = clock.now()
        access.reviewed_by = staff
        access.review_approved = approved
        access.review_note = note
        access.save(update_fields=["reviewed_at", "reviewed_by", "review_approved",
                                   "review_note"])
        events.emit("sharing.emergency_access.reviewed", object_type="emergency_access",
                    object_id=access.uuid, actor=staff.user.get_username(),
                    citizen=access.citizen.uuid, sensitivity=Sensitivity.SENSITIVE,
                    payload={"emergency_access": str(access.uuid), "approved": approved})
    return access
