"""Reading the organisation. Organisation data is not personal data about citizens, but
only staff (not anonymous users, not citizens) may read it.

The logged-in user's staff record and roles are read once per user object and kept on it
(``_helhed_staff``, ``_helhed_roles``), so that the policy door, the access log and the
page header share two queries however many decisions a page makes. A request loads its
user afresh, so the memo lives exactly as long as the request: a role granted or taken
away in the administration counts from the user's next request. Code that keeps a user
object for longer (a worker, a shell, a test that changes roles) calls :func:`forget`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_noop

from helhed.core.errors import AccessDenied
from helhed.organisation.models import Department, Provider, Role, StaffMember, Unit

if TYPE_CHECKING:
    from helhed.sharing.policy import Actor

_STAFF_MEMO = "_helhed_staff"
_ROLES_MEMO = "_helhed_roles"
# The cache behind ``user.staff``; filled by staff_of so that ``user.staff`` costs nothing.
_USER_STAFF = StaffMember._meta.get_field("user").remote_field


@dataclass(frozen=True)
class _StaffMemo:
    user_pk: object  # guards against a user object being reused for someone else
    staff: StaffMember | None


@dataclass(frozen=True)
class _RolesMemo:
    user_pk: object
    roles: tuple[Role, ...]


def staff_of(actor: Actor) -> StaffMember | None:
    if actor is None or not actor.is_authenticated:
        return None
    memo = getattr(actor, _STAFF_MEMO, None)
    if isinstance(memo, _StaffMemo) and memo.user_pk == actor.pk:
        return memo.staff
    staff = StaffMember.objects.select_related(
        "unit__department", "municipality", "provider").filter(user_id=actor.pk).first()
    setattr(actor, _STAFF_MEMO, _StaffMemo(actor.pk, staff))
    _USER_STAFF.set_cached_value(actor, staff)
    return staff


def roles_of(actor: Actor) -> list[Role]:
    """The actor's roles, primary role first (Role's ordering is sort_order, name)."""
    staff = staff_of(actor)
    if actor is None or staff is None:
        return []
    memo = getattr(actor, _ROLES_MEMO, None)
    if not (isinstance(memo, _RolesMemo) and memo.user_pk == actor.pk):
        memo = _RolesMemo(actor.pk, tuple(staff.roles.all()))
        setattr(actor, _ROLES_MEMO, memo)
    return list(memo.roles)


def remember(user: Model, staff: StaffMember | None, roles: Iterable[Role]) -> None:
    """Tell ``staff_of`` and ``roles_of`` what a caller has already loaded for this user
    object (e.g. with a batch of subscriptions), so that they do not ask again."""
    setattr(user, _STAFF_MEMO, _StaffMemo(user.pk, staff))
    setattr(user, _ROLES_MEMO, _RolesMemo(user.pk, tuple(roles)))
    _USER_STAFF.set_cached_value(user, staff)


def forget(actor: Actor) -> None:
    """Drop what staff_of and roles_of remember about this user object."""
    if not isinstance(actor, Model):
        return
    for name in (_STAFF_MEMO, _ROLES_MEMO):
        if hasattr(actor, name):
            delattr(actor, name)
    if _USER_STAFF.is_cached(actor):
        _USER_STAFF.delete_cached_value(actor)


def _require_staff(actor: Actor) -> StaffMember:
    staff = staff_of(actor)
    if staff is None:
        raise AccessDenied(message=gettext_noop("Kun medarbejdere kan se organisationen."))
    return staff


def departments(actor: Actor) -> QuerySet[Department]:
    staff = _require_staff(actor)
    return Department.objects.filter(municipality=staff.municipality)


def units(actor: Actor) -> QuerySet[Unit]:
    staff = _require_staff(actor)
    return Unit.objects.filter(department__municipality=staff.municipality).select_related(
        "department")


def all_roles(actor: Actor) -> QuerySet[Role]:
    _require_staff(actor)
    return Role.objects.all()


def providers(actor: Actor) -> QuerySet[Provider]:
    staff = _require_staff(actor)
    return Provider.objects.filter(municipality=staff.municipality)
