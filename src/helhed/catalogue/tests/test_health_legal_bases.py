"""The legal bases of health and elderly care (Sundhed og Ældre) are in the catalogue:
ældreloven § 10, serviceloven §§ 83 and 112, sundhedsloven § 140; a visitator of the
department makes decisions on them."""

from __future__ import annotations

import datetime as dt
import importlib
import json

import pytest
from django.apps import apps

from helhed.cases import decisions
from helhed.cases import services as cases
from helhed.catalogue.models import LegalBasis
from helhed.core import clock
from helhed.core.errors import InvalidInput
from helhed.sharing.tests.advis_helpers import make_staff_in
from helhed.testing.personas import make_address, make_citizen

pytestmark = pytest.mark.usefixtures("kle_subset")

HEALTH = {
    # code: (law, law_short, paragraph, title, KLE numbers)
    "aeldrel-10": ("Ældreloven", "ÆL", "§ 10", "Helhedspleje: personlig og praktisk hjælp",
                   ["27.34.10"]),
    "sel-83": ("Lov om social service", "SEL", "§ 83",
               "Personlig hjælp, praktisk hjælp og madservice (hjemmehjælp)",
               ["27.36.20", "27.36.04"]),
    "sel-112": ("Lov om social service", "SEL", "§ 112", "Hjælpemidler",
                ["27.60.08", "27.60.11"]),
    "sul-140": ("Sundhedsloven", "SUL", "§ 140", "Genoptræning efter udskrivning fra sygehus",
                ["29.21.04"]),
}
MIGRATION = importlib.import_module(
    "helhed.catalogue.migrations.0005_health_and_elderly_legal_bases")
REASONS = ("Du har efter hjemmebesøget den 2. november behov for hjælp til bad og "
           "påklædning morgen og aften.")


def test_the_health_and_elderly_legal_bases_are_loaded() -> None:
    found = {b.code: b for b in LegalBasis.objects.filter(code__in=HEALTH)}
    assert set(found) == set(HEALTH)
    for code, (law, short, paragraph, title, kle_numbers) in HEALTH.items():
        basis = found[code]
        assert (basis.law, basis.law_short, basis.paragraph, basis.title) == (
            law, short, paragraph, title)
        assert basis.kle_list == kle_numbers
        assert basis.url.startswith("https://www.retsinformation.dk/eli/accn/")
        assert basis.description and basis.valid_to is None


def test_aeldreloven_applies_from_1_july_2025() -> None:
    basis = LegalBasis.objects.get(code="aeldrel-10")
    assert not basis.is_valid_on(dt.date(2025, 6, 30))
    assert basis.is_valid_on(dt.date(2025, 7, 1))


def test_the_migration_and_the_seed_file_agree() -> None:
    path = apps.get_app_config("catalogue").path + "/data/legal_bases.json"
    with open(path, encoding="utf-8") as f:
        seeded = {r["code"]: r for r in json.load(f)}
    for row in MIGRATION.LEGAL_BASES:
        assert seeded[row["code"]] == row


def test_the_migration_adds_what_is_missing_and_keeps_edits() -> None:
    LegalBasis.objects.filter(code="sel-112").delete()
    LegalBasis.objects.filter(code="sel-83").update(title="Hjemmehjælp (kommunens titel)")
    MIGRATION.add_legal_bases(apps, None)
    MIGRATION.add_legal_bases(apps, None)  # twice: nothing doubles
    assert LegalBasis.objects.filter(code__in=HEALTH).count() == 4
    assert LegalBasis.objects.get(code="sel-112").title == "Hjælpemidler"
    assert LegalBasis.objects.get(code="sel-83").title == "Hjemmehjælp (kommunens titel)"


@pytest.fixture
def visitator(db):
    return make_staff_in("lene", "sundhed", "Visitationen", role_code="sagsbehandler-sundhed",
                         full_name="Lene Bøgh")


@pytest.fixture
def elder(db):
    # Synthetic CPR number (day of month + 60): born 12 May 1948.
    return make_citizen("7205481006", "Karen", "Mortensen", "K", dt.date(1948, 5, 12),
                        make_address("Lindevej", "4"), dt.date(1990, 1, 1))


@pytest.mark.parametrize(("code", "kle"), [("aeldrel-10", "27.34.10"), ("sel-83", "27.36.20"),
                                           ("sel-112", "27.60.08"), ("sul-140", "29.21.04")])
def test_a_health_decision_is_made_on_each(visitator, elder, code, kle) -> None:
    clock.freeze(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC))
    case = cases.open_case(visitator, elder.uuid, title="Visitation", kle_numbers=[kle],
                           legal_basis_code=code)
    assert case.department.code == "sundhed"
    decision = decisions.make_decision(visitator, case.uuid, title="Hjælp i hjemmet",
                                       outcome="bevilget", legal_basis_code=code,
                                       reasons=REASONS)
    basis = LegalBasis.objects.get(code=code)
    assert decision.legal_basis == basis
    assert f"truffet efter {basis.law} {basis.paragraph}" in decision.complaint_guidance
    assert [(x.recipient, x.recipient_role) for x in decision.letters.all()] == [
        (elder, "part")]


def test_no_decision_on_aeldreloven_before_it_applies(visitator, elder) -> None:
    clock.freeze(dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.UTC))
    case = cases.open_case(visitator, elder.uuid, title="Visitation",
                           kle_numbers=["27.36.20"], legal_basis_code="sel-83")
    with pytest.raises(InvalidInput) as caught:
        decisions.make_decision(visitator, case.uuid, title="Hjælp i hjemmet",
                                outcome="bevilget", legal_basis_code="aeldrel-10",
                                reasons=REASONS)
    assert caught.value.code == "legal_basis.expired"
    assert not case.decisions.exists()
