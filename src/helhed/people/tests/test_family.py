from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from helhed.core.models import AccessLogEntry
from helhed.people import services
from helhed.testing.personas import Family


@pytest.mark.django_db
def test_caseworker_sees_siblings_across_households(anna: User, family: Family) -> None:
    result = services.family_of(anna, family.liva)
    siblings = {r.citizen.first_name: r for r in result.siblings}
    assert set(siblings) == {"Noah", "Oskar"}
    assert siblings["Noah"].relation == "Helsøskende" and siblings["Noah"].same_household
    assert siblings["Oskar"].relation == "Halvsøskende" and not siblings["Oskar"].same_household
    assert {c.holder.first_name for c in result.custody} == {"Mette", "Søren"}


@pytest.mark.django_db
def test_family_view_is_logged_for_every_relative_shown(anna: User, family: Family) -> None:
    services.family_of(anna, family.liva)
    logged = set(AccessLogEntry.objects.filter(actor=anna, allowed=True)
                 .values_list("subject", flat=True))
    expected = {family.liva.uuid, family.mother.uuid, family.father.uuid, family.noah.uuid,
                family.half_brother.uuid}
    assert expected <= logged


@pytest.mark.django_db
def test_provider_staff_cannot_open_a_citizen_and_the_refusal_is_logged(
    gustav: User, family: Family,
) -> None:
    with pytest.raises(services.CitizenNotFound):
        services.access_citizen(gustav, family.liva.uuid)
    entry = AccessLogEntry.objects.get(actor=gustav)
    assert entry.subject == family.liva.uuid and entry.allowed is False


@pytest.mark.django_db
def test_name_search_finds_soren_aero_without_danish_letters(anna: User, family: Family) -> None:
    result = services.search_citizens(anna, "soren aero")
    assert [c.cpr for c in result.citizens] == [family.father.cpr]


# --- name and address protection ----------------------------------------------------------

@pytest.mark.django_db
def test_a_protected_citizens_address_and_household_are_withheld(anna: User,
                                                                family: Family) -> None:
    family.partner.name_protected = True
    family.partner.save(update_fields=["name_protected"])
    result = services.family_of(anna, family.partner)
    assert result.address_withheld and result.address is None
    assert result.residences == [] and result.household == []
    # Her son lives with her: his address is hers, so it is left out, and co-residence untold.
    oskar = next(r for r in result.children if r.citizen == family.half_brother)
    assert oskar.address is None and oskar.address_withheld and oskar.same_household is None
    entry = AccessLogEntry.objects.get(actor=anna, category="beskyttet_adresse")
    assert entry.subject == family.partner.uuid and entry.allowed is False
    with pytest.raises(services.AddressProtected):
        services.residences_of(anna, family.partner)


@pytest.mark.django_db
def test_a_protected_relatives_address_and_co_residence_are_withheld(anna: User,
                                                                    family: Family) -> None:
    family.partner.name_protected = True
    family.partner.save(update_fields=["name_protected"])
    result = services.family_of(anna, family.half_brother)
    assert result.address == family.fathers_home and not result.address_withheld
    pia = next(r for r in result.parents if r.citizen == family.partner)
    assert pia.address is None and pia.address_withheld and pia.same_household is None
    father = next(r for r in result.parents if r.citizen == family.father)
    assert father.same_household is True and father.address == family.fathers_home
    assert family.partner not in [r.citizen for r in result.household]
    assert not AccessLogEntry.objects.filter(category="beskyttet_adresse").exists()


@pytest.mark.django_db
def test_an_unprotected_citizen_asks_no_protected_address_basis(anna: User,
                                                               family: Family) -> None:
    result = services.family_of(anna, family.father)
    assert result.address == family.fathers_home and not result.address_withheld
    assert {r.citizen for r in result.household} == {family.partner}
    assert not AccessLogEntry.objects.filter(category="beskyttet_adresse").exists()
