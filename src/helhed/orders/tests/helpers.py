"""An order's world: Liva's plan (plans.tests.helpers) with a section shared with Gustav's
provider (Bostøtten) and one not shared, a grant on her case to that provider, and the
parents' consent to share children's case data with the provider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from helhed.cases import grants
from helhed.cases.models import Grant
from helhed.catalogue.models import InterventionType
from helhed.core import clock
from helhed.orders import services
from helhed.orders.models import Order
from helhed.organisation.models import StaffMember
from helhed.plans.tests.helpers import PROVIDERS, build
from helhed.plans.tests.helpers import World as PlanWorld
from helhed.sharing.models import Consent, DataCategory

KIND = "sel-85-stoette"


@dataclass
class World:
    plan: PlanWorld
    grant: Grant


def intervention() -> InterventionType:
    kind, _ = InterventionType.objects.get_or_create(
        code=KIND, defaults={"name": "Socialpædagogisk støtte", "unit": "timer_uge",
                             "departments": "voksensocial boernesocial"})
    return kind


def provider_consent(family: Any, anna: Any, world: World, **extra: Any) -> Consent:
    values = {"valid_from": clock.today(), "valid_to": clock.today() + dt.timedelta(days=365),
              **extra}
    consent = Consent.objects.create(
        citizen=family.liva, purpose="sagsbehandling", form="skriftlig",
        recorded_at=clock.now(), recorded_by=StaffMember.objects.get(user=anna), **values)
    consent.given_by.set([family.mother, family.father])
    consent.categories.set(DataCategory.objects.filter(code="boernesag"))
    consent.to_providers.set([world.plan.provider])
    return consent


def send(anna: Any, world: World, **changes: Any) -> Order:
    values: dict[str, Any] = {
        "intervention_code": KIND, "extent": "5", "start": clock.today(),
        "purpose": "Støtte til at komme i skole hver dag.",
        "sections": [world.plan.sections[PROVIDERS].uuid], "report_every_days": 30, **changes}
    return services.send_order(anna, world.grant.uuid, **values)


@pytest.fixture
def order_world(anna, gustav, family) -> World:
    plan = build(anna, gustav, family)
    intervention()
    grant = grants.create_grant(anna, family.liva.uuid, title="Støtte", amount=5,
                                unit="timer_uge", valid_from=clock.today(),
                                provider_id=plan.provider.uuid, case_uuid=plan.case.uuid)
    return World(plan, grant)


@pytest.fixture
def consented(anna, family, order_world) -> World:
    provider_consent(family, anna, order_world)
    return order_world
