"""Helpers for the target-group search tests: a coordinator, and open items in departments
written straight to the tables (the search reads them; how they came about is issue 3's)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.test import Client

from helhed.cases.models import Case, Grant
from helhed.catalogue.models import LegalBasis
from helhed.core import clock
from helhed.organisation.models import Department, Role, StaffMember, Unit
from helhed.organisation.setup import ensure_municipality
from helhed.people.models import Citizen
from helhed.sharing.models import DataCategory, ExternalCase
from helhed.testing.personas import PASSWORD

_numbers = itertools.count(1)


def make_koordinator(username: str = "kirsten") -> AbstractUser:
    """Kirsten Kragh, coordinator of the holistic effort (no persona fixture has the role)."""
    municipality = ensure_municipality("0999", "Helhed Kommune", "Region Demo")
    department = municipality.departments.get(code="voksensocial")
    unit, _ = Unit.objects.get_or_create(department=department, name="Helhedsteamet")
    user = get_user_model().objects.create_user(username, password=PASSWORD,
                                                first_name="Kirsten", last_name="Kragh")
    staff = StaffMember.objects.create(user=user, municipality=municipality, unit=unit,
                                       initials="KK")
    staff.roles.add(Role.objects.get(code="koordinator"))
    return user


def department(code: str) -> Department:
    ensure_municipality("0999", "Helhed Kommune", "Region Demo")
    return Department.objects.get(municipality__code="0999", code=code)


def open_case(citizen: Citizen, code: str, *, state: str = Case.State.OPENED,
              legal_basis: str | None = None) -> Case:
    now = clock.now()
    return Case.objects.create(
        number=f"T-{next(_numbers):06d}", citizen=citizen, department=department(code),
        title=f"Sag i {code}", state=state, concept="enkelt", closing_rule="afgoerelse",
        legal_basis=LegalBasis.objects.get(code=legal_basis) if legal_basis else None,
        opened_at=now, updated_at=now, closed_at=now if state == Case.State.CLOSED else None)


def active_grant(citizen: Citizen, code: str, *, state: str = Grant.State.ACTIVE) -> Grant:
    return Grant.objects.create(
        citizen=citizen, department=department(code), title="Ydelse", amount=1, unit="plads",
        valid_from=dt.date(2026, 1, 1), state=state, granted_at=clock.now())


def external_case(citizen: Citizen, code: str, *, closed: bool = False) -> ExternalCase:
    now = clock.now()
    category = DataCategory.objects.get(code="beskaeftigelse")
    return ExternalCase.objects.create(
        source_system="jobcenter-system", external_id=f"X{next(_numbers)}", citizen=citizen,
        department=department(code), category=category, title="Ledighedsforløb",
        state="afsluttet" if closed else "aktiv", opened_on=dt.date(2026, 1, 1),
        closed_on=dt.date(2026, 6, 1) if closed else None, received_at=now, updated_at=now)


def logged_in(user: AbstractUser | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]  # any user model
    return client
