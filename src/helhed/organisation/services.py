"""Reading the organisation. Organisation data is not personal data about citizens, but
only staff (not anonymous users, not citizens) may read it."""

from __future__ import annotations

from django.db.models import QuerySet

from helhed.core.errors import AccessDenied
from helhed.organisation.models import Department, Provider, Role, StaffMember, Unit
from helhed.sharing.policy import Actor


def staff_of(actor: Actor) -> StaffMember | None:
    if actor is None or not actor.is_authenticated:
        return None
    return StaffMember.objects.select_related("unit__department", "municipality").filter(
        user_id=actor.pk).first()


def _require_staff(actor: Actor) -> StaffMember:
    staff = staff_of(actor)
    if staff is None:
        raise AccessDenied(message="Kun medarbejdere kan se organisationen.")
    return staff


def roles_of(actor: Actor) -> list[Role]:
    staff = staff_of(actor)
    return list(staff.roles.all()) if staff else []


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
