"""Test helpers for information requests: a school and its staff, consents, a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection

from helhed.cases import services as cases
from helhed.cases.models import Case
from helhed.catalogue.models import DataNeed
from helhed.core import clock
from helhed.core.models import OutboxEvent
from helhed.organisation.models import Role, StaffMember, Unit
from helhed.organisation.setup import ensure_municipality
from helhed.people.models import Citizen
from helhed.sharing.models import Consent, DataCategory
from helhed.testing.personas import PASSWORD

SCHOOL_ABSENCE = ("SEL § 50", 15)
DAYCARE_ABSENCE = ("SEL § 50", 14)
ADMISSIONS = ("SEL § 85", 6)
SCHOOL_STATEMENT = ("SEL § 50", 12)


def need(key: tuple[str, int]) -> DataNeed:
    return DataNeed.objects.get(paragraph=key[0], number=key[1])


def make_unit(name: str, kind: str = Unit.Kind.SCHOOL) -> Unit:
    """A school (kind skole, in the skole department) or a day-care unit (dagtilbud)."""
    municipality = ensure_municipality("0999", "Helhed Kommune", "Region Demo")
    department = municipality.departments.get(code="skole" if kind == Unit.Kind.SCHOOL
                                               else "dagtilbud")
    unit, _ = Unit.objects.get_or_create(department=department, name=name,
                                         defaults={"kind": kind, "phone": "70101010"})
    return unit


def make_school_staff(username: str, school: Unit, full_name: str = "Sofie Skov") -> Any:
    """A school user: a StaffMember whose unit is the school, with the ordinary staff role
    (no role that may look up citizens)."""
    first, last = full_name.split(" ", 1)
    user = get_user_model().objects.create_user(username, password=PASSWORD, first_name=first,
                                                last_name=last)
    staff = StaffMember.objects.create(user=user, municipality=school.department.municipality,
                                       unit=school, initials=username[:3].upper())
    staff.roles.add(Role.objects.get(code="medarbejder"))
    return user


def make_consent(citizen: Citizen, givers: list[Citizen], recorded_by: Any,
                 categories: tuple[str, ...] = ("skolefravaer",), *,
                 valid_from: dt.date | None = None, valid_to: dt.date | None = None,
                 from_departments: tuple[str, ...] = ()) -> Consent:
    today = clock.today()
    consent = Consent.objects.create(
        citizen=citizen, purpose=Consent.Purpose.INVESTIGATION, form=Consent.Form.WRITTEN,
        valid_from=valid_from or today - dt.timedelta(days=30),
        valid_to=valid_to or today + dt.timedelta(days=335), recorded_at=clock.now(),
        recorded_by=recorded_by.staff, note="Underskrevet på mødet.")
    consent.given_by.set(givers)
    consent.categories.set(DataCategory.objects.filter(code__in=categories))
    if from_departments:
        municipality = recorded_by.staff.municipality
        consent.from_departments.set(municipality.departments.filter(code__in=from_departments))
    return consent


def withdraw(consent: Consent) -> None:
    consent.withdrawn_at = clock.now()
    consent.withdrawn_by = consent.recorded_by
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])


def open_case(actor: Any, citizen: Citizen, title: str = "Bekymring for Liva") -> Case:
    return cases.open_case(actor, citizen.uuid, title=title, kle_numbers=["27"])


def rows() -> dict[str, int]:
    """Rows in every assessment_* and cases_* table, and the outbox's events."""
    tables = [t for t in connection.introspection.table_names()
              if t.startswith(("assessment_", "cases_"))]
    assert {m._meta.db_table for m in apps.get_app_config("assessment").get_models()} <= set(
        tables)
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    counts["core_outboxevent"] = OutboxEvent.objects.count()
    return counts
