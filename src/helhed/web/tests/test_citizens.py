"""Finding a citizen and the citizen page: what a caseworker sees, what others do not."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from helhed.core.models import AccessLogEntry
from helhed.people import services
from helhed.people.models import Citizen, ContactDetails, ParentChild, Residence
from helhed.testing.personas import make_address, make_citizen
from helhed.web.tests.helpers import assert_danish_and_labelled

pytestmark = pytest.mark.django_db


# --- search -------------------------------------------------------------------------------

def test_search_page_offers_a_labelled_search_box(login, anna):
    response = login(anna).get("/borgere/")
    assert response.status_code == 200
    page = assert_danish_and_labelled(response)
    assert "q" in page.label_for


def test_name_search_without_danish_letters_finds_soren_aero(login, anna, family):
    response = login(anna).get("/borgere/", {"q": "soren aero"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Søren Ærø" in text and "750683-4001" in text
    assert f'href="/borgere/{family.father.uuid}/"' in text
    assert "Adgang: Rolle: Sagsbehandler, børn og unge" in text
    assert "Åboulevarden" not in text  # results stay minimal: no addresses
    assert_danish_and_labelled(response)


@pytest.mark.parametrize("query", ["750683-4001", "7506834001", " 750683 4001 "])
def test_cpr_search_with_or_without_hyphen(login, anna, family, query):
    text = login(anna).get("/borgere/", {"q": query}).content.decode()
    assert "1 borger fundet" in text and "Søren Ærø" in text


def test_birth_date_search(login, anna, family):
    text = login(anna).get("/borgere/", {"q": "640216"}).content.decode()
    results = text[text.index('id="search-results"'):]
    assert "Liva Ærø Hansen" in results and "Søren" not in results


@pytest.mark.parametrize(("query", "message"), [
    ("x", "Skriv mindst to tegn"),
    ("12345678", "Skriv et helt CPR-nummer (10 cifre)"),
    ("!!", "Søgningen skal indeholde bogstaver eller cifre."),
])
def test_malformed_search_is_a_danish_error_next_to_the_field(login, anna, query, message):
    response = login(anna).get("/borgere/", {"q": query})
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert 'class="form-group form-error"' in text
    assert 'id="q-error" role="alert"' in text and 'aria-invalid="true"' in text
    assert_danish_and_labelled(response)


def test_no_matches_says_so(login, anna, family):
    text = login(anna).get("/borgere/", {"q": "zacharias"}).content.decode()
    assert "Ingen borgere matcher søgningen" in text


def test_too_many_hits_asks_to_narrow_the_search(login, anna, django_assert_max_num_queries):
    for i in range(services.MAX_RESULTS + 3):
        make_citizen(f"99{i:08d}", f"Testperson{i:02d}", "Mangehansen", "K",
                     dt.date(1990, 1, 1) + dt.timedelta(days=i))
    client = login(anna)
    # Session, user, staff member, roles, the search, one access-log insert for all hits.
    with django_assert_max_num_queries(6):
        response = client.get("/borgere/", {"q": "mangehansen"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Flere resultater – præcisér søgningen" in text
    assert text.count('<td data-title="Navn">') == services.MAX_RESULTS


def test_provider_staff_may_not_search(login, gustav, family):
    client = login(gustav)
    response = client.get("/borgere/", {"q": "soren aero"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "Du har ikke adgang til at slå borgere op" in text
    assert "Søren Ærø" not in text
    assert client.get("/borgere/").status_code == 403


def test_login_without_staff_record_may_not_search(login, outsider, family):
    response = login(outsider).get("/borgere/", {"q": "soren"})
    assert response.status_code == 403 and "Søren" not in response.content.decode()


# --- the citizen page ---------------------------------------------------------------------

def test_child_page_shows_siblings_across_households_and_custody(login, anna, family):
    response = login(anna).get(f"/borgere/{family.liva.uuid}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Liva Ærø Hansen" in text and "640216-5004" in text
    siblings = text[text.index('id="siblings"'):text.index('id="custody-heading"')]
    noah = siblings[siblings.index("Noah"):]
    oskar = siblings[siblings.index("Oskar"):]
    assert "Helsøskende" in siblings[:siblings.index("Noah")].rsplit("<tr>", 1)[1]
    assert "Halvsøskende" in siblings[:siblings.index("Oskar")].rsplit("<tr>", 1)[1]
    assert noah and oskar
    custody = text[text.index('id="custody"'):text.index('id="samvaer"')]
    assert "Mette Hansen" in custody and "Søren Ærø" in custody
    assert "Fælles forældremyndighed" in custody
    assert "Hver anden weekend, fredag til søndag" in text
    for relative in (family.mother, family.father, family.noah, family.half_brother):
        assert f'href="/borgere/{relative.uuid}/"' in text
    assert_danish_and_labelled(response)


def test_child_page_shows_household_and_parents_addresses(login, anna, family):
    text = login(anna).get(f"/borgere/{family.liva.uuid}/").content.decode()
    household = text[text.index('id="household"'):text.index('id="familie"')]
    assert "Mette Hansen" in household and "Noah" in household and "Søren" not in household
    parents = text[text.index('id="parents"'):text.index('id="children-heading"')]
    assert "Rosenvej 12, 9999 Helhedby" in parents
    assert "Åboulevarden 3, 9999 Helhedby" in parents


def test_father_page_shows_all_his_children(login, anna, family):
    text = login(anna).get(f"/borgere/{family.father.uuid}/").content.decode()
    children = text[text.index('id="children"'):text.index('id="siblings-heading"')]
    for name in ("Liva", "Noah", "Oskar"):
        assert name in children
    assert "Har forældremyndighed over" in text
    assert "Bopælshistorik" in text and "Åboulevarden 3" in text


def test_address_history_is_newest_first(login, anna, family):
    services.do_move(anna, family.father, make_address("Havnegade", "7"), dt.date(2024, 3, 1))
    text = login(anna).get(f"/borgere/{family.father.uuid}/").content.decode()
    history = text[text.index('id="residences"'):text.index('id="husstand"')]
    assert history.index("Havnegade 7") < history.index("Åboulevarden 3")
    assert "fra 01.03.2024" in history and "01.05.2019–01.03.2024" in history


def test_contact_details_and_their_history(login, anna, family):
    services.do_set_contact_details(anna, family.mother, phone="11223344", email="",
                                    preferred_channel="digital_post",
                                    exempt_from_digital_post=False)
    text = login(anna).get(f"/borgere/{family.mother.uuid}/").content.decode()
    current = text[text.index('id="contact"'):]
    assert "11223344" in current and "Digital Post" in current
    history = text[text.index('id="contact-history"'):]
    assert "20304050" in history and "mette@example.org" in history and "SMS" in history


def test_protected_citizen_is_flagged(login, anna, family):
    Citizen.objects.filter(pk=family.liva.pk).update(name_protected=True)
    text = login(anna).get(f"/borgere/{family.liva.uuid}/").content.decode()
    assert "Navne- og adressebeskyttelse" in text
    assert "Borgerens navn og adresse må ikke videregives" in text


def _protect(citizen):
    Citizen.objects.filter(pk=citizen.pk).update(name_protected=True)


def test_protected_citizens_address_history_and_household_are_not_shown(login, anna, family):
    _protect(family.partner)
    Residence.objects.create(citizen=family.partner, address=make_address("Gammelvej", "2"),
                             valid_from=dt.date(2010, 1, 1), valid_to=dt.date(2019, 4, 30),
                             registered_at=family.partner.created_at)
    response = login(anna).get(f"/borgere/{family.partner.uuid}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Pia Poulsen" in text
    # Not her address, nor her history, nor her son's address (he lives with her).
    for address in ("Gammelvej", "Åboulevarden"):
        assert address not in text
    oskar = text[text.index("Oskar Ærø"):].split("</tr>", 1)[0]
    assert "Vises ikke (adressebeskyttelse)" in oskar
    assert 'id="residences"' not in text and 'id="household"' not in text
    alert = text[text.index('id="address-withheld"'):]
    assert 'class="alert alert-info"' in text[:text.index('id="address-withheld"')].rsplit(
        "<div", 1)[1]
    assert "Borgeren har navne- og adressebeskyttelse." in alert
    assert "Adresse, bopælshistorik og husstand vises ikke." in alert
    assert "en sag med borgeren eller en hjemmel" in alert
    assert "Søren Ærø" not in text  # her household; he is no relative of hers
    lead = text[text.index('class="helhed-lead'):]
    assert "·" not in lead[:lead.index("</p>")]
    entry = AccessLogEntry.objects.get(actor=anna, category="beskyttet_adresse")
    assert entry.subject == family.partner.uuid and entry.allowed is False
    assert_danish_and_labelled(response)


def test_a_relatives_page_hides_the_protected_parents_address_and_household(login, anna,
                                                                            family):
    _protect(family.partner)
    # Oskar lives with her (and his father): her row tells neither her address nor that.
    text = login(anna).get(f"/borgere/{family.half_brother.uuid}/").content.decode()
    parents = text[text.index('id="parents"'):text.index('id="children-heading"')]
    pia = parents[parents.index("Pia Poulsen"):].split("</tr>", 1)[0]
    assert '<td data-title="Samme husstand">–</td>' in pia
    assert "Vises ikke (adressebeskyttelse)" in pia and "Åboulevarden" not in pia
    household = text[text.index('id="household"'):text.index('id="familie"')]
    assert "Pia" not in household and "Søren Ærø" in household


def test_an_unprotected_citizens_page_shows_the_address(login, anna, family):
    text = login(anna).get(f"/borgere/{family.father.uuid}/").content.decode()
    assert 'id="address-withheld"' not in text
    assert "Åboulevarden 3, 9999 Helhedby" in text
    household = text[text.index('id="household"'):text.index('id="familie"')]
    assert "Pia Poulsen" in household and "Oskar" in household
    assert not AccessLogEntry.objects.filter(category="beskyttet_adresse").exists()


def test_provider_staff_get_not_found_for_a_citizen(login, gustav, family):
    response = login(gustav).get(f"/borgere/{family.liva.uuid}/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Borgeren findes ikke, eller du har ikke adgang til borgeren." in text
    assert "Liva" not in text
    assert_danish_and_labelled(response)


def test_unknown_citizen_is_not_found(login, anna):
    response = login(anna).get(f"/borgere/{uuid.uuid4()}/")
    assert response.status_code == 404
    assert "Findes ikke" in response.content.decode()


def test_outsider_gets_not_found_for_a_citizen(login, outsider, family):
    assert login(outsider).get(f"/borgere/{family.liva.uuid}/").status_code == 404


def test_citizen_page_queries_do_not_grow_with_the_family(login, anna, family,
                                                         django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(anna)
    url = f"/borgere/{family.father.uuid}/"
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    home = make_address("Skovvej", "1")
    for i in range(6):
        child = make_citizen(f"98{i:08d}", f"Ekstra{i}", "Ærø", "M", dt.date(2010 + i, 1, 1),
                             home)
        ParentChild.objects.create(parent=family.father, child=child, kind="far",
                                   valid_from=child.birth_date, registered_at=child.created_at)
        ContactDetails.objects.create(citizen=family.father, phone=f"1000000{i}",
                                      valid_from=dt.date(2000 + i, 1, 1),
                                      valid_to=dt.date(2000 + i, 12, 31),
                                      registered_at=child.created_at)
        Residence.objects.create(citizen=family.father, address=make_address("Gade", str(i)),
                                 valid_from=dt.date(2000 + i, 1, 1),
                                 valid_to=dt.date(2000 + i, 12, 31),
                                 registered_at=child.created_at)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Ekstra") >= 6
    with django_assert_max_num_queries(23):  # 21 + the cases section (read, logged look)
        client.get(f"/borgere/{family.liva.uuid}/")
