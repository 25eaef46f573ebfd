"""The Danish pages: login, start pages, the header, errors."""

from __future__ import annotations

import pytest

from helhed.organisation.models import Role
from helhed.testing.personas import PASSWORD
from helhed.web.tests.factories import make_staff_with_roles
from helhed.web.tests.helpers import assert_danish_and_labelled

pytestmark = pytest.mark.django_db


# --- login and logout ---------------------------------------------------------------------

def test_login_page_is_danish_with_labelled_fields(client):
    response = client.get("/login/")
    assert response.status_code == 200
    page = assert_danish_and_labelled(response)
    assert {"id_username", "id_password"} <= page.label_for
    assert "Log ind" in page.title


def test_wrong_password_gives_a_danish_message(client, anna):
    response = client.post("/login/", {"username": "anna", "password": "forkert-kode-123"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Forkert brugernavn eller adgangskode" in text
    assert 'role="alert"' in text
    assert "_auth_user_id" not in client.session


def test_empty_login_shows_errors_next_to_the_fields(client):
    response = client.post("/login/", {"username": "", "password": ""})
    text = response.content.decode()
    assert "Skriv dit brugernavn." in text and "Skriv din adgangskode." in text
    assert 'aria-describedby="id_username-error"' in text
    assert_danish_and_labelled(response)


def test_right_password_logs_in_and_goes_to_the_start_page(client, anna):
    response = client.post("/login/", {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"


def test_logged_in_user_is_redirected_away_from_login(login, anna):
    response = login(anna).get("/login/")
    assert response.status_code == 302 and response.url == "/"


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/borgere/")
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=/borgere/")


def test_logout_needs_a_post(login, anna):
    client = login(anna)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302 and response.url == "/login/"
    assert client.get("/").status_code == 302


# --- header and navigation ----------------------------------------------------------------

def test_header_shows_municipality_user_unit_and_role(login, anna):
    response = login(anna).get("/")
    text = response.content.decode()
    for expected in ("helhed", "Helhed Kommune", "Anna Andersen", "Familieteam Nord",
                     "Sagsbehandler, børn og unge", "Børn og Familie", "Log af"):
        assert expected in text
    assert 'href="/borgere/"' in text
    assert 'class="skipnav" href="#main-content"' in text


def test_provider_staff_have_no_find_citizen_in_the_menu(login, gustav):
    text = login(gustav).get("/").content.decode()
    assert "Find borger" not in text
    assert 'href="/borgere/"' not in text


def test_static_design_system_is_served_locally(client):
    from django.contrib.staticfiles import finders

    for path in ("dkfds/css/dkfds.min.css", "dkfds/js/dkfds.min.js",
                 "dkfds/img/all-svg-icons.svg",
                 "dkfds/fonts/IBMPlexSans/complete/woff2/IBMPlexSans-Regular.woff2",
                 "web/helhed.css"):
        assert finders.find(path), path


# --- start pages --------------------------------------------------------------------------

@pytest.mark.parametrize(("persona", "heading", "has_search"), [
    ("anna", "Gå til arbejdslisten", True),
    ("erik", "Akut opslag", True),
    ("frida", "Gennemgå akutte adgange", True),
    ("gustav", "Du har ingen bestillinger", False),
    ("hanne", "Gå til administrationen", False),
    ("ivan", "Der er ingen rapporter endnu", False),
])
def test_each_role_gets_its_own_start_page(request, login, persona, heading, has_search):
    user = request.getfixturevalue(persona)
    response = login(user).get("/")
    assert response.status_code == 200
    assert_danish_and_labelled(response)
    text = response.content.decode()
    assert heading in text
    assert ('id="start-q"' in text) is has_search
    assert f"Goddag, {user.first_name}" in text


@pytest.mark.parametrize("code", ["koordinator", "planlaegger", "medarbejder"])
def test_roles_without_a_persona_also_have_a_start_page(login, code):
    user = make_staff_with_roles("tina", code)
    response = login(user).get("/")
    assert response.status_code == 200
    role = Role.objects.get(code=code)
    assert role.name in response.content.decode()
    assert_danish_and_labelled(response)


def test_administrator_start_page_links_to_the_administration(login, hanne):
    text = login(hanne).get("/").content.decode()
    assert 'href="/admin/"' in text


def test_user_with_several_roles_gets_the_first_and_links_to_the_others(login):
    user = make_staff_with_roles("tina", "planlaegger", "leder")
    client = login(user)
    text = client.get("/").content.decode()
    assert "Gennemgå akutte adgange" in text  # leder sorts before planlaegger
    assert 'href="/start/planlaegger/"' in text
    other = client.get("/start/planlaegger/")
    assert other.status_code == 200
    assert "Der er ingen vagtplaner endnu" in other.content.decode()


def test_start_page_of_a_role_one_does_not_have_is_not_found(login, anna):
    response = login(anna).get("/start/administrator/")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


def test_login_without_staff_record_sees_whom_to_contact(login, outsider):
    response = login(outsider).get("/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "Du har ingen rolle i helhed" in text
    assert "administrator" in text and "outsider" in text
    assert "Find borger" not in text
    assert_danish_and_labelled(response)


def test_staff_member_without_roles_is_told_so(login):
    user = make_staff_with_roles("tina")
    response = login(user).get("/")
    assert response.status_code == 403
    assert "Din medarbejderprofil har ingen roller" in response.content.decode()
