"""A holistic family plan for Liva, written by Anna (børnesocial), with one section per
audience: shared with all staff and the family, the mother's own part, the father's own
part, a part for the jobcenter, and a part shared with Gustav's provider (Bostøtten)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from helhed.cases.models import Case
from helhed.core import clock
from helhed.organisation.models import Department, Provider, StaffMember
from helhed.plans import services
from helhed.plans.models import Plan, Section
from helhed.plans.services import Audience
from helhed.sharing.models import Consent, DataCategory
from helhed.sharing.tests.advis_helpers import open_case

COMMON = "Fælles mål for familien"
MOTHERS = "Mors egen del"
FATHERS = "Fars egen del"
JOBCENTER = "Jobcentrets del"
PROVIDERS = "Til Bostøtten"
ALL_TITLES = {COMMON, MOTHERS, FATHERS, JOBCENTER, PROVIDERS}


@dataclass
class World:
    case: Case
    plan: Plan
    sections: dict[str, Section]
    provider: Provider


def build(anna: Any, gustav: Any, family: Any) -> World:
    case = open_case(anna, family.liva)
    f = family
    plan = services.create_plan(
        anna, kind=Plan.Kind.HOLISTIC, title="Familien Ærø Hansens plan", cases=[case.uuid],
        members=[(f.liva.uuid, "barn"), (f.mother.uuid, "mor"), (f.father.uuid, "far")])
    provider = StaffMember.objects.get(user=gustav).provider
    assert provider is not None
    audiences = {
        COMMON: Audience(all_staff=True, citizen=True, mother=True, father=True),
        MOTHERS: Audience(mother=True),
        FATHERS: Audience(father=True),
        JOBCENTER: Audience(departments=["jobcenter"]),
        PROVIDERS: Audience(provider=provider.uuid),
    }
    sections = {title: services.add_section(anna, plan.uuid, title=title,
                                            text=f"Tekst i {title.lower()}.",
                                            audience=audience)
                for title, audience in audiences.items()}
    return World(case, plan, sections, provider)


def consent_for_jobcenter(family: Any, anna: Any) -> Consent:
    """The parents consent that the jobcenter may read Liva's children's case content."""
    consent = Consent.objects.create(
        citizen=family.liva, purpose="sagsbehandling", form="skriftlig",
        valid_from=clock.today(), valid_to=clock.today() + dt.timedelta(days=365),
        recorded_at=clock.now(), recorded_by=StaffMember.objects.get(user=anna))
    consent.given_by.set([family.mother, family.father])
    consent.categories.set(DataCategory.objects.filter(code="boernesag"))
    consent.from_departments.set(Department.objects.filter(code="boernesocial"))
    return consent


@pytest.fixture
def world(anna, gustav, family) -> World:
    return build(anna, gustav, family)
