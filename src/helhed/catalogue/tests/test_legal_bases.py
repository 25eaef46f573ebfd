"""Legal bases and their deadlines are data an administrator edits; edits are events."""

from __future__ import annotations

import pytest

from helhed.catalogue import kle, services
from helhed.catalogue.models import Deadline, FormerParagraph, LegalBasis
from helhed.core.models import OutboxEvent
from helhed.testing.personas import PASSWORD

pytestmark = pytest.mark.usefixtures("kle_subset")


def deadline(code: str, kind: str) -> tuple[int, str]:
    found = Deadline.objects.get(legal_basis__code=code, kind=kind)
    return found.amount, found.unit


def test_the_child_investigation_has_its_four_month_deadline() -> None:
    basis = LegalBasis.objects.get(code="bl-20")
    assert (basis.law, basis.paragraph) == ("Barnets lov", "§ 20")
    assert deadline("bl-20", "boerneundersoegelse") == (4, "maaneder")
    assert basis.kle_list == ["34.10.10"]


def test_notifications_have_the_24_hour_assessment_and_the_receipt() -> None:
    assert deadline("bl-136", "underretning_vurdering") == (24, "timer")
    assert deadline("bl-137", "kvittering") == (6, "hverdage")
    assert LegalBasis.objects.filter(code__in=["bl-133", "bl-134", "bl-132-135"]).count() == 3


def test_adult_paragraphs_are_there() -> None:
    assert set(LegalBasis.objects.filter(law_short="SEL").values_list("paragraph", flat=True)) >= {
        "§ 85", "§ 101", "§ 107", "§ 108", "§ 141"}


def test_every_kle_number_of_a_legal_basis_exists() -> None:
    for basis in LegalBasis.objects.all():
        for number in basis.kle_list:
            kle.resolve(number)


def test_the_seeds_pre_2024_paragraphs_lead_to_todays() -> None:
    child = services.current_for("SEL § 50")
    adult = services.current_for("SEL § 85")
    assert child is not None and child.legal_basis is not None
    assert (child.current, child.legal_basis.code, child.certain) == (
        "Barnets lov §§ 20–23", "bl-20", True)
    assert adult is not None and adult.legal_basis is not None
    assert adult.legal_basis.code == "sel-85"
    assert services.current_for("SEL § 999") is None
    assert FormerParagraph.objects.filter(certain=False).exists(), "doubts are recorded"


def _form(basis: LegalBasis, **changes: str) -> dict[str, str]:
    deadlines = list(basis.deadlines.all())
    data = {
        "code": basis.code, "law": basis.law, "law_short": basis.law_short,
        "paragraph": basis.paragraph, "title": basis.title, "description": basis.description,
        "url": basis.url, "kle_numbers": basis.kle_numbers,
        "valid_from": basis.valid_from.isoformat() if basis.valid_from else "", "valid_to": "",
        "deadlines-TOTAL_FORMS": str(len(deadlines)),
        "deadlines-INITIAL_FORMS": str(len(deadlines)),
        "deadlines-MIN_NUM_FORMS": "0", "deadlines-MAX_NUM_FORMS": "1000",
    }
    for i, d in enumerate(deadlines):
        data |= {f"deadlines-{i}-id": str(d.pk), f"deadlines-{i}-legal_basis": str(basis.pk),
                 f"deadlines-{i}-kind": d.kind, f"deadlines-{i}-amount": str(d.amount),
                 f"deadlines-{i}-unit": d.unit, f"deadlines-{i}-description": d.description}
    return data | changes


def test_administrator_edits_a_legal_basis_and_events_record_it(client, hanne) -> None:
    client.login(username="hanne", password=PASSWORD)
    basis = LegalBasis.objects.get(code="bl-20")
    response = client.post(f"/admin/catalogue/legalbasis/{basis.pk}/change/",
                           _form(basis, title="Børnefaglig undersøgelse (BFU)",
                                 **{"deadlines-0-amount": "3"}))
    assert response.status_code == 302, response.content[:800]
    basis.refresh_from_db()
    assert basis.title == "Børnefaglig undersøgelse (BFU)"
    assert deadline("bl-20", "boerneundersoegelse") == (3, "maaneder")
    changed = OutboxEvent.objects.get(type="catalogue.legalbasis.changed")
    assert changed.actor == "hanne" and changed.payload["changed"] == ["title"]
    assert OutboxEvent.objects.get(type="catalogue.deadline.changed").payload["changed"] == [
        "amount"]


def test_a_legal_basis_cannot_name_a_kle_number_that_does_not_exist(client, hanne) -> None:
    client.login(username="hanne", password=PASSWORD)
    basis = LegalBasis.objects.get(code="sel-85")
    response = client.post(f"/admin/catalogue/legalbasis/{basis.pk}/change/",
                           _form(basis, kle_numbers="27.36.12 27.24.03"))
    assert response.status_code == 200
    assert "KLE-nummeret 27.24.03 findes ikke i emneplanen." in response.content.decode()
    assert not OutboxEvent.objects.filter(type__startswith="catalogue.").exists()


def test_caseworker_cannot_edit_legal_bases(client, anna) -> None:
    client.login(username="anna", password=PASSWORD)
    response = client.get("/admin/catalogue/legalbasis/")
    assert response.status_code == 302 and "/login/" in response["Location"]
