"""Extra staff for page tests: personas cover the common roles; these cover the rest."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from helhed.organisation.models import Role, StaffMember, Unit
from helhed.organisation.setup import ensure_municipality
from helhed.testing.personas import PASSWORD


def make_staff_with_roles(username: str, *role_codes: str, unit_name: str = "Vagtplan"):
    municipality = ensure_municipality("0999", "Helhed Kommune", "Region Demo")
    department = municipality.departments.get(code="voksensocial")
    unit, _ = Unit.objects.get_or_create(department=department, name=unit_name)
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, first_name=username.capitalize(), last_name="Test")
    staff = StaffMember.objects.create(user=user, municipality=municipality, unit=unit)
    staff.roles.add(*Role.objects.filter(code__in=role_codes))
    return user
