"""``helhed demo --reset``: remove the demo municipality and every citizen before a rebuild.

People are not kept per municipality, so every citizen and relation goes, with the
municipality's organisation and its staff logins. Rows of other parts of helhed that
point at them (cases, the access log) stop the reset: then delete the database instead.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError

from helhed.demo.generator import DemoRefused
from helhed.organisation.models import Department, Municipality, Provider, StaffMember, Unit
from helhed.people.models import (
    Address,
    Citizen,
    ContactArrangement,
    ContactDetails,
    Custody,
    Enrollment,
    Guardianship,
    ParentChild,
    Residence,
)

PEOPLE = (Enrollment, ContactDetails, Guardianship, ContactArrangement, Custody, ParentChild,
          Residence, Citizen, Address)


def _wipe(queryset: models.QuerySet) -> None:  # type: ignore[type-arg]
    """Delete in one statement, without loading rows (foreign keys are checked at commit)."""
    queryset._raw_delete(queryset.db)


def reset_demo(code: str) -> None:
    municipality = Municipality.objects.filter(code=code).first()
    try:
        with transaction.atomic():
            for model in PEOPLE:
                _wipe(model.objects.all())
            if municipality is not None:
                _wipe_organisation(municipality)
    except (IntegrityError, ProtectedError) as exc:
        raise DemoRefused(
            "Demo-data kan ikke nulstilles, fordi andre data (fx sager eller adgangsloggen) "
            "peger på dem. Slet databasen (fx var/helhed.sqlite3), kør migrate og byg "
            f"demo-kommunen igen. ({exc})"
        ) from exc


def _wipe_organisation(municipality: Municipality) -> None:
    staff = StaffMember.objects.filter(municipality=municipality)
    _wipe(StaffMember.roles.through.objects.filter(staffmember__in=staff))
    _wipe(get_user_model().objects.filter(staff__municipality=municipality))
    _wipe(staff)
    _wipe(Provider.objects.filter(municipality=municipality))
    _wipe(Unit.objects.filter(department__municipality=municipality))
    _wipe(Department.objects.filter(municipality=municipality))
    Municipality.objects.filter(pk=municipality.pk).delete()
