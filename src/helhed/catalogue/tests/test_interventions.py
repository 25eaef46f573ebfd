"""The intervention catalogue (indsatskatalog): types with legal basis, unit, provider types,
departments and prices, loaded from catalogue/data/, read by staff, edited by the admin."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from helhed.catalogue import ffb, interventions
from helhed.catalogue.models import (
    InterventionPrice,
    InterventionType,
    LegalBasis,
    ProviderType,
)
from helhed.core import clock
from helhed.core.errors import InvalidInput, NotFound
from helhed.core.models import OutboxEvent
from helhed.testing.personas import PASSWORD

pytestmark = pytest.mark.usefixtures("intervention_catalogue")

API = "/api/v1/catalogue"
DATA = Path(apps.get_app_config("catalogue").path) / "data"
SEED = json.loads((DATA / "intervention_types.json").read_text(encoding="utf-8"))
MIGRATION = importlib.import_module("helhed.catalogue.migrations.0006_intervention_types")
FFB_SOCIALPAEDAGOGISK = "1f0ff82b-3243-422f-9651-1d00fd2dcd61"


@pytest.fixture
def as_anna(client: Client, anna) -> Client:
    client.force_login(anna)
    return client


@pytest.fixture
def stoette() -> InterventionType:
    return InterventionType.objects.get(code="sel-85-stoette")


# --- the data ------------------------------------------------------------------------------

def test_the_catalogue_is_loaded_as_the_file_says() -> None:
    rows = {r["code"]: r for r in SEED["intervention_types"]}
    loaded = {k.code: k for k in InterventionType.objects.prefetch_related(
        "legal_bases", "provider_types")}
    assert set(loaded) == set(rows)
    for code, row in rows.items():
        kind = loaded[code]
        assert (kind.name, kind.description, kind.unit, kind.ffb_concept, kind.active) == (
            row["name"], row["description"], row["unit"], row["ffb_concept"], row["active"])
        assert sorted(b.code for b in kind.legal_bases.all()) == sorted(row["legal_bases"])
        assert sorted(p.code for p in kind.provider_types.all()) == sorted(
            row["provider_types"])
        assert kind.department_list == row["departments"]
    assert set(ProviderType.objects.values_list("code", flat=True)) == {
        p["code"] for p in SEED["provider_types"]}


def test_the_migration_and_the_seed_file_agree() -> None:
    assert SEED["provider_types"] == MIGRATION.PROVIDER_TYPES
    assert SEED["intervention_types"] == MIGRATION.INTERVENTION_TYPES


def test_the_seed_names_only_legal_bases_and_concepts_that_exist() -> None:
    bases = {r["code"] for r in json.loads(
        (DATA / "legal_bases.json").read_text(encoding="utf-8"))}
    units = {u.value for u in InterventionType.Unit}
    for row in SEED["intervention_types"]:
        assert set(row["legal_bases"]) <= bases, row["code"]
        assert row["unit"] in units, row["code"]
        if row["ffb_concept"]:
            assert ffb.path(row["ffb_concept"])[0].name == "Ydelse"
        if not row["legal_bases"]:
            assert "Usikkert:" in row["description"], "a missing basis is said out loud"


def test_the_ffb_subset_is_the_ydelse_hierarchy() -> None:
    concepts = ffb.concepts()
    roots = [c for c in concepts.values() if c.parent is None]
    assert [r.name for r in roots] == ["Ydelse"]
    assert all(c.parent is None or c.parent in concepts for c in concepts.values())
    assert [c.name for c in ffb.path(FFB_SOCIALPAEDAGOGISK)] == [
        "Ydelse", "Socialpædagogisk støtte"]
    with pytest.raises(InvalidInput) as caught:
        ffb.concept("00000000-0000-0000-0000-000000000000")
    assert caught.value.code == "ffb.unknown"


def test_the_migration_adds_what_is_missing_and_keeps_edits() -> None:
    InterventionType.objects.filter(code="sel-108-botilbud").delete()
    InterventionType.objects.filter(code="sel-85-stoette").update(name="Bostøtte (kommunens)")
    LegalBasis.objects.filter(code="bl-47").update(code="bl-47-old")  # as if deleted
    InterventionType.objects.filter(code="anbringelse-opholdssted").delete()
    MIGRATION.add_intervention_types(apps, None)
    MIGRATION.add_intervention_types(apps, None)  # twice: nothing doubles
    assert InterventionType.objects.count() == len(SEED["intervention_types"])
    assert ProviderType.objects.count() == len(SEED["provider_types"])
    again = InterventionType.objects.get(code="sel-108-botilbud")
    assert [b.code for b in again.legal_bases.all()] == ["sel-108"]
    assert InterventionType.objects.get(code="sel-85-stoette").name == "Bostøtte (kommunens)"
    placed = InterventionType.objects.get(code="anbringelse-opholdssted")
    assert [b.code for b in placed.legal_bases.all()] == ["bl-46"]


# --- the service ---------------------------------------------------------------------------

def test_for_basis_gives_what_can_be_granted_under_a_paragraph() -> None:
    assert [k.code for k in interventions.for_basis("sel-85")] == ["sel-85-stoette"]
    assert [k.name for k in interventions.for_basis("bl-46")] == [  # by name
        "Anbringelse i plejefamilie", "Anbringelse på opholdssted"]
    assert [k.code for k in interventions.for_basis("bl-32")] == [
        "bl-32-familiebehandling", "bl-32-stoette-i-hjemmet"]
    assert interventions.for_basis("bl-20") == []


def test_for_basis_leaves_out_inactive_types(stoette: InterventionType) -> None:
    stoette.active = False
    stoette.save()
    assert interventions.for_basis("sel-85") == []
    assert interventions.for_basis("sel-85", include_inactive=True) == [stoette]


def test_for_basis_refuses_an_unknown_basis() -> None:
    with pytest.raises(NotFound) as caught:
        interventions.for_basis("sel-999")
    assert caught.value.code == "legal_basis.not_found"
    with pytest.raises(NotFound) as unknown:
        interventions.get("ingen-saadan")
    assert unknown.value.code == "intervention.not_found"


def test_the_price_is_the_one_in_force_on_the_day(stoette: InterventionType) -> None:
    assert interventions.price_on(stoette, dt.date(2026, 1, 1)) is None
    stoette.prices.create(amount=Decimal("612.50"), valid_from=dt.date(2025, 1, 1))
    stoette.prices.create(amount=Decimal("640.00"), valid_from=dt.date(2026, 1, 1))
    kind = interventions.get("sel-85-stoette")
    assert interventions.price_on(kind, dt.date(2024, 12, 31)) is None
    assert interventions.price_on(kind, dt.date(2025, 12, 31)) == Decimal("612.50")
    assert interventions.price_on(kind, dt.date(2026, 1, 1)) == Decimal("640.00")


# --- validation ----------------------------------------------------------------------------

def test_a_negative_price_is_refused(stoette: InterventionType) -> None:
    price = InterventionPrice(intervention_type=stoette, amount=Decimal("-1"),
                              valid_from=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError) as caught:
        price.full_clean()
    assert "amount" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        price.save()
    assert not stoette.prices.exists()


def test_a_type_needs_a_unit_and_a_known_ffb_concept() -> None:
    kind = InterventionType(code="uden-enhed", name="Uden enhed", unit="")
    with pytest.raises(ValidationError) as caught:
        kind.full_clean()
    assert "unit" in caught.value.message_dict
    kind.unit = "maaned"
    with pytest.raises(ValidationError) as bad_unit:
        kind.full_clean()
    assert "unit" in bad_unit.value.message_dict
    kind.unit, kind.ffb_concept = InterventionType.Unit.SESSION, "ikke-en-kode"
    with pytest.raises(ValidationError) as bad_concept:
        kind.full_clean()
    assert "ffb_concept" in bad_concept.value.message_dict
    kind.unit = ""
    with pytest.raises(IntegrityError), transaction.atomic():
        kind.save()
    assert not InterventionType.objects.filter(code="uden-enhed").exists()


# --- the API -------------------------------------------------------------------------------

def test_caseworker_reads_the_catalogue(as_anna: Client) -> None:
    body = as_anna.get(f"{API}/interventions").json()
    assert len(body) == len(SEED["intervention_types"])
    detail = as_anna.get(f"{API}/interventions/sel-85-stoette").json()
    assert detail["legal_bases"] == ["sel-85"]
    assert (detail["unit"], detail["unit_label"]) == ("timer_uge", "timer pr. uge")
    assert detail["provider_types"] == ["bostoette", "botilbud"]
    assert detail["ffb_concept"] == {"code": FFB_SOCIALPAEDAGOGISK,
                                     "name": "Socialpædagogisk støtte",
                                     "path": ["Ydelse", "Socialpædagogisk støtte"]}
    assert detail["price"] is None and detail["prices"] == []


def test_caseworker_sees_todays_price(as_anna: Client, stoette: InterventionType) -> None:
    stoette.prices.create(amount=Decimal("612.50"), valid_from=dt.date(2025, 1, 1))
    stoette.prices.create(amount=Decimal("640.00"), valid_from=dt.date(2027, 1, 1))
    clock.freeze(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC))
    detail = as_anna.get(f"{API}/interventions/sel-85-stoette").json()
    assert Decimal(detail["price"]) == Decimal("612.50")
    assert [(Decimal(p["amount"]), p["valid_from"]) for p in detail["prices"]] == [
        (Decimal("612.50"), "2025-01-01"), (Decimal("640.00"), "2027-01-01")]


def test_caseworker_filters_by_legal_basis_and_department(as_anna: Client) -> None:
    by_basis = as_anna.get(f"{API}/interventions", {"legal_basis": "sel-107"}).json()
    assert [k["code"] for k in by_basis] == ["sel-107-botilbud"]
    children = as_anna.get(f"{API}/interventions", {"department": "boernesocial"}).json()
    assert {k["code"] for k in children} == {
        "bl-32-stoette-i-hjemmet", "bl-32-familiebehandling", "anbringelse-plejefamilie",
        "anbringelse-opholdssted"}
    both = as_anna.get(f"{API}/interventions",
                       {"department": "boernesocial", "legal_basis": "sel-85"}).json()
    assert both == []


def test_inactive_types_are_listed_only_when_asked(as_anna: Client,
                                                   stoette: InterventionType) -> None:
    stoette.active = False
    stoette.save()
    listed = [k["code"] for k in as_anna.get(f"{API}/interventions").json()]
    assert "sel-85-stoette" not in listed
    everything = as_anna.get(f"{API}/interventions", {"include_inactive": "true"}).json()
    assert "sel-85-stoette" in [k["code"] for k in everything]
    assert as_anna.get(f"{API}/interventions/sel-85-stoette").json()["active"] is False


@pytest.mark.parametrize(("query", "status", "code"), [
    ({"legal_basis": "sel-999"}, 404, "legal_basis.not_found"),
    ({"department": "ingen-afdeling"}, 422, "intervention.unknown_department"),
])
def test_bad_filters_are_refused_with_a_danish_error(as_anna: Client, query: dict[str, str],
                                                     status: int, code: str) -> None:
    response = as_anna.get(f"{API}/interventions", query)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_an_unknown_type_is_404(as_anna: Client) -> None:
    response = as_anna.get(f"{API}/interventions/ingen-saadan")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "intervention.not_found"


def test_the_list_takes_a_fixed_number_of_queries(as_anna: Client,
                                                  django_assert_max_num_queries) -> None:
    as_anna.get(f"{API}/interventions")  # warm the session and staff lookups
    with django_assert_max_num_queries(7):
        assert as_anna.get(f"{API}/interventions").status_code == 200


@pytest.mark.parametrize("route", ["/interventions", "/interventions/sel-85-stoette"])
def test_only_staff_read_the_catalogue(client: Client, outsider, route: str) -> None:
    anonymous = Client().get(API + route)
    assert anonymous.status_code == 401
    client.force_login(outsider)
    response = client.get(API + route)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "access.denied"


# --- the administration --------------------------------------------------------------------

def _form(kind: InterventionType, prices: list[tuple[str, str]], **changes: str
          ) -> dict[str, object]:
    data: dict[str, object] = {
        "code": kind.code, "name": kind.name, "description": kind.description,
        "ffb_concept": kind.ffb_concept, "unit": kind.unit, "departments": kind.departments,
        "active": "on" if kind.active else "",
        "legal_bases": [str(b.pk) for b in kind.legal_bases.all()],
        "provider_types": [str(p.pk) for p in kind.provider_types.all()],
        "prices-TOTAL_FORMS": str(len(prices)), "prices-INITIAL_FORMS": "0",
        "prices-MIN_NUM_FORMS": "0", "prices-MAX_NUM_FORMS": "1000",
    }
    for i, (amount, valid_from) in enumerate(prices):
        data |= {f"prices-{i}-amount": amount, f"prices-{i}-valid_from": valid_from,
                 f"prices-{i}-intervention_type": str(kind.pk)}
    return data | changes


def test_administrator_sets_a_price_and_events_record_it(client: Client, hanne,
                                                          stoette: InterventionType) -> None:
    client.login(username="hanne", password=PASSWORD)
    response = client.post(f"/admin/catalogue/interventiontype/{stoette.pk}/change/",
                           _form(stoette, [("612.50", "2026-01-01")], departments="voksensocial"))
    assert response.status_code == 302, response.content[:800]
    assert [p.amount for p in stoette.prices.all()] == [Decimal("612.50")]
    created = OutboxEvent.objects.get(type="catalogue.interventionprice.created")
    assert created.actor == "hanne"
    assert OutboxEvent.objects.filter(type="catalogue.interventiontype.changed").exists()


@pytest.mark.parametrize(("prices", "changes", "message"), [
    ([("-5", "2026-01-01")], {}, "Denne værdi skal være større end eller lig 0."),
    ([], {"unit": ""}, "Dette felt er påkrævet."),
    ([], {"ffb_concept": "ikke-en-kode"},
     "ikke-en-kode er ikke en ydelse i Fælles Faglige Begreber."),
    ([], {"departments": "voksensocial Børn"},
     "Børn er ikke en afdelingskode (små bogstaver, tal og bindestreger, fx voksensocial)."),
])
def test_administrator_cannot_save_bad_input(client: Client, hanne, stoette: InterventionType,
                                             prices: list[tuple[str, str]],
                                             changes: dict[str, str], message: str) -> None:
    client.login(username="hanne", password=PASSWORD)
    response = client.post(f"/admin/catalogue/interventiontype/{stoette.pk}/change/",
                           _form(stoette, prices, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    stoette.refresh_from_db()
    assert stoette.unit == "timer_uge" and stoette.ffb_concept == FFB_SOCIALPAEDAGOGISK
    assert stoette.departments == "voksensocial"
    assert not stoette.prices.exists()
    assert not OutboxEvent.objects.filter(type__startswith="catalogue.").exists()
