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
