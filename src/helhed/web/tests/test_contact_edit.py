"""Correcting a citizen's contact details from the citizen page."""

from __future__ import annotations

import pytest
from django.test import Client

from helhed.core import clock
from helhed.core.models import OutboxEvent
from helhed.people.models import ContactDetails
from helhed.sharing import policy
from helhed.sharing.policy import Decision
from helhed.testing.personas import PASSWORD
from helhed.web.tests.helpers import assert_danish_and_labelled

pytestmark = pytest.mark.django_db

EVENT = "people.contact_details.changed"


def url(citizen) -> str:
    return f"/borgere/{citizen.uuid}/kontakt/ret/"


def form(**changes: str) -> dict[str, str]:
    """Mette Hansen's current details as the form posts them, with ``changes``."""
    values = {"phone": "20304050", "email": "mette@example.org", "preferred_channel": "sms",
              "note": ""}
    values.update(changes)
    return values


def rows_of(citizen) -> list[ContactDetails]:
    return list(ContactDetails.objects.filter(citizen=citizen).order_by("pk"))


def events_of(citizen) -> int:
    return OutboxEvent.objects.filter(type=EVENT, citizen=citizen.uuid).count()


def group_of(text: str, anchor: str) -> str:
    """The form group around ``anchor`` (an id), to check that an error sits next to it."""
    start = text.rindex('<div class="form-group', 0, text.index(anchor))
    return text[start:text.index("</div>", text.index(anchor))]


# --- the link and the form ------------------------------------------------------------------

def test_caseworker_sees_the_edit_link_in_the_contact_section(login, anna, family):
    text = login(anna).get(f"/borgere/{family.mother.uuid}/").content.decode()
    section = text[text.index('id="kontakt"'):]
    assert f'href="{url(family.mother)}"' in section
    assert "Ret kontaktoplysninger" in section


def test_the_form_is_labelled_danish_and_prefilled(login, anna, family):
    response = login(anna).get(url(family.mother))
    assert response.status_code == 200
    page = assert_danish_and_labelled(response)
    assert {"phone", "email", "note", "exempt_from_digital_post",
            "preferred_channel-sms", "preferred_channel-digital_post"} <= page.label_for
    text = response.content.decode()
    assert "<h1>Ret kontaktoplysninger</h1>" in text and "Mette Hansen" in text
    assert 'id="phone" name="phone" value="20304050"' in text
    assert 'value="mette@example.org"' in text
    assert 'id="preferred_channel-sms" name="preferred_channel" value="sms" checked' in text
    assert text.count(" checked") == 1  # the channel; not exempt from Digital Post
    assert '<legend class="form-label">Foretrukken kontaktform</legend>' in text
    assert 'name="csrfmiddlewaretoken"' in text
    assert 'autocomplete="off"' in text  # never the caseworker's own phone or e-mail


def test_a_citizen_without_details_gets_an_empty_form_with_digital_post(login, anna, family):
    text = login(anna).get(url(family.liva)).content.decode()
    assert 'id="phone" name="phone" autocomplete' in text  # no value
    assert 'value="digital_post" checked' in text


# --- who may -------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["gustav", "outsider"])
def test_staff_without_a_basis_get_not_found_and_change_nothing(request, login, family,
                                                               persona):
    client = login(request.getfixturevalue(persona))
    response = client.get(url(family.mother))
    assert response.status_code == 404
    text = response.content.decode()
    assert "Borgeren findes ikke, eller du har ikke adgang til borgeren." in text
    assert "Mette" not in text and "20304050" not in text
    response = client.post(url(family.mother), form(phone="99887766"))
    assert response.status_code == 404
    assert len(rows_of(family.mother)) == 1 and events_of(family.mother) == 0


def test_a_role_that_may_read_but_not_write_contact_data_is_refused(login, anna, family,
                                                                    monkeypatch):
    """The service asks the policy door for "write"; a refusal is the Danish 403 page."""
    real = policy.decide

    def read_only(actor, purpose, subject, category, *, action="read", detail=""):
        decision = real(actor, purpose, subject, category, action=action, detail=detail)
        if action == "write":
            return Decision(False, "", policy.ROLE_GIVES_NO_ACCESS)
        return decision

    monkeypatch.setattr(policy, "decide", read_only)
    response = login(anna).post(url(family.mother), form(phone="99887766"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "Ingen adgang" in text
    assert "Din rolle giver ikke adgang til disse oplysninger." in text
    assert len(rows_of(family.mother)) == 1 and events_of(family.mother) == 0


def test_anonymous_visitor_is_sent_to_login(client, family):
    response = client.get(url(family.mother))
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_a_post_without_the_csrf_token_is_refused(anna, family):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="anna", password=PASSWORD)
    response = client.post(url(family.mother), form(phone="99887766"))
    assert response.status_code == 403
    assert len(rows_of(family.mother)) == 1


# --- errors next to their fields -------------------------------------------------------------

def test_a_bad_phone_number_is_a_danish_error_next_to_the_field(login, anna, family):
    response = login(anna).post(url(family.mother), form(phone="12 34"))
    assert response.status_code == 400
    text = response.content.decode()
    phone = group_of(text, 'id="phone"')
    assert 'class="form-group form-error"' in phone
    assert ('<span class="form-error-message" id="phone-error" role="alert">'
            '<span class="sr-only">Fejl: </span>Et telefonnummer er 8 cifre, eller + og '
            'landekode og 8–15 cifre i alt.</span>') in phone
    assert 'aria-invalid="true"' in phone and 'aria-describedby="phone-hint phone-error"' in phone
    assert 'value="12 34"' in phone and "autofocus" in phone  # kept, and focused to correct
    assert "Fejl:" in assert_danish_and_labelled(response).title
    assert text.count("form-error-message") == 1
    assert len(rows_of(family.mother)) == 1 and events_of(family.mother) == 0
    assert rows_of(family.mother)[0].valid_to is None


def test_a_bad_email_is_shown_next_to_the_email_field(login, anna, family):
    response = login(anna).post(url(family.mother), form(email="mette@"))
    assert response.status_code == 400
    email = group_of(response.content.decode(), 'id="email"')
    assert "E-mailadressen er ikke gyldig." in email and 'id="email-error"' in email


def test_a_channel_that_contradicts_the_exemption_is_shown_at_the_channel(login, anna,
                                                                          family):
    response = login(anna).post(url(family.mother), form(preferred_channel="digital_post",
                                                         exempt_from_digital_post="ja"))
    assert response.status_code == 400
    text = response.content.decode()
    group = text[text.index('id="preferred_channel"'):text.index("</fieldset>")]
    assert '<fieldset aria-describedby="preferred_channel-hint preferred_channel-error">' in group
    assert "En borger fritaget for Digital Post kan ikke foretrække Digital Post." in group
    assert 'id="exempt_from_digital_post" name="exempt_from_digital_post" value="ja" checked' \
        in text
    assert len(rows_of(family.mother)) == 1


def test_errors_are_english_for_a_user_who_chose_english(login, anna, family):
    client = login(anna)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.post(url(family.mother), form(phone="12")).content.decode()
    assert "<h1>Edit contact details</h1>" in text
    assert "A phone number" in group_of(text, 'id="phone"')


# --- saving ----------------------------------------------------------------------------------

def test_saving_closes_the_old_details_and_confirms_in_danish(login, anna, family):
    client = login(anna)
    response = client.post(url(family.mother), form(phone="+45 11 22 33 44", note="Tolk: tyrkisk"))
    assert response.status_code == 302
    assert response.url == f"/borgere/{family.mother.uuid}/#kontakt"
    old, new = rows_of(family.mother)
    assert old.valid_to == clock.today() and old.phone == "20304050"
    assert new.valid_to is None and new.phone == "+4511223344" and new.note == "Tolk: tyrkisk"
    assert events_of(family.mother) == 1
    text = client.get(response.url).content.decode()
    section = text[text.index('id="kontakt"'):]  # where the redirect lands
    confirmation = section[section.index('class="alert alert-success helhed-message"'):]
    assert confirmation.startswith('class="alert alert-success helhed-message" role="status">')
    assert "Kontaktoplysningerne er gemt." in confirmation[:confirmation.index("</div>\n</div>")]
    assert "alert-heading" not in confirmation[:confirmation.index("</div>\n</div>")]
    assert text.count("Kontaktoplysningerne er gemt.") == 1
    current = text[text.index('id="contact"'):text.index('id="contact-history"')]
    assert "+4511223344" in current and "Tolk: tyrkisk" in current
    history = text[text.index('id="contact-history"'):]
    assert "20304050" in history and "01.01.2020–" in history
    # The confirmation is shown once.
    assert "Kontaktoplysningerne er gemt." not in client.get(response.url).content.decode()


def test_saving_the_same_details_changes_nothing_and_says_so(login, anna, family):
    client = login(anna)
    response = client.post(url(family.mother), form(), follow=True)
    assert "Intet er ændret" in response.content.decode()
    assert len(rows_of(family.mother)) == 1 and events_of(family.mother) == 0


def test_the_form_and_saving_use_a_bounded_number_of_queries(login, anna, family,
                                                             django_assert_max_num_queries):
    client = login(anna)
    client.get(url(family.mother))  # warm the session
    # Session, user, citizen, staff member, roles, two access-log rows (the citizen, her
    # contact details), the details.
    with django_assert_max_num_queries(8):
        assert client.get(url(family.mother)).status_code == 200
    # The same up to the log (the second row is the write), then in one transaction: savepoint,
    # lock the citizen, current details, close them, insert, outbox event, release.
    with django_assert_max_num_queries(14):
        assert client.post(url(family.mother), form(phone="11223344")).status_code == 302
    # A value the rules refuse is refused before the transaction.
    with django_assert_max_num_queries(7):
        assert client.post(url(family.mother), form(phone="1")).status_code == 400
