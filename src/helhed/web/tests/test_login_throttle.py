"""Login throttling: five wrong passwords lock a username for 15 minutes, twenty lock an
address; the answer is Danish and never tells whether the username exists."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.test import Client
from django.utils import timezone

from helhed.core import clock
from helhed.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "For mange forkerte forsøg"
WRONG = "Forkert brugernavn eller adgangskode"
WRONG_PASSWORD = "forkert-kode-123"  # noqa: S105
START = timezone.make_aware(dt.datetime(2025, 3, 3, 8, 0))


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(START)


def attempt(client: Client, username: str, password: str = WRONG_PASSWORD,
            address: str = "10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(client: Client, username: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        attempt(client, username, address=address)
        clock.advance(dt.timedelta(seconds=30))


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, anna):
    fail(client, "anna", 3)
    assert WRONG in attempt(client, "anna").content.decode()  # the fourth
    attempt(client, "anna")  # the fifth
    response = attempt(client, "anna", PASSWORD)
    assert response.status_code == 200 and not logged_in(client)
    text = response.content.decode()
    assert LOCKED in text and "15 minutter" in text and 'role="alert"' in text
    assert '<html lang="da">' in text


def test_the_fifth_failure_already_says_that_logins_are_locked(client, anna):
    fail(client, "anna", 4)
    assert LOCKED in attempt(client, "anna").content.decode()


def test_the_lock_ends_after_15_minutes(client, anna):
    fail(client, "anna", 5)
    clock.advance(dt.timedelta(minutes=14))
    assert LOCKED in attempt(client, "anna", PASSWORD).content.decode()
    clock.advance(dt.timedelta(minutes=1))
    response = attempt(client, "anna", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_failures_spread_over_more_than_15_minutes_do_not_lock(client, anna):
    for _ in range(8):
        attempt(client, "anna")
        clock.advance(dt.timedelta(minutes=4))
    assert attempt(client, "anna", PASSWORD).status_code == 302


def test_the_username_is_compared_without_case(client, anna):
    for name in ("anna", "Anna", "ANNA", "aNNa ", "anna"):
        attempt(client, name)
    assert LOCKED in attempt(client, "anna", PASSWORD).content.decode()


def test_other_usernames_are_not_affected(client, anna, bo):
    fail(client, "anna", 5)
    response = attempt(client, "bo", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_an_unknown_username_is_locked_the_same_way(client):
    """The answers for a username that does not exist are the same: nothing to learn."""
    answers = [attempt(client, "findes-ikke").content.decode() for _ in range(6)]
    assert all(WRONG in a for a in answers[:4])
    assert all(LOCKED in a for a in answers[4:])


def test_a_successful_login_clears_the_failures(client, anna):
    fail(client, "anna", 4)
    assert attempt(client, "anna", PASSWORD).status_code == 302
    client.post("/logout/")
    fail(client, "anna", 4)
    assert attempt(client, "anna", PASSWORD).status_code == 302


def test_twenty_failures_from_one_address_lock_that_address(client, anna, bo):
    for number in range(20):
        attempt(client, f"gaet-{number}", address="10.9.9.9")
    assert LOCKED in attempt(client, "bo", PASSWORD, address="10.9.9.9").content.decode()
    assert not logged_in(client)
    assert attempt(client, "bo", PASSWORD, address="10.0.0.2").status_code == 302
    client.post("/logout/")
    clock.advance(dt.timedelta(minutes=15))
    assert attempt(client, "anna", PASSWORD, address="10.9.9.9").status_code == 302


def test_behind_a_proxy_the_forwarded_address_counts(client, anna, settings):
    settings.HELHED_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    for number in range(20):
        client.post("/login/", {"username": f"gaet-{number}", "password": "x" * 10},
                    REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.7")
    # Another client behind the same proxy is not locked out.
    response = client.post("/login/", {"username": "anna", "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert response.status_code == 302


def test_a_lockout_is_logged_as_a_warning(client, anna, caplog):
    with caplog.at_level(logging.WARNING, logger="helhed.web.login"):
        fail(client, "anna", 5)
    locks = [r for r in caplog.records if r.name == "helhed.web.login"]
    assert len(locks) == 1 and locks[0].levelno == logging.WARNING
    assert "'anna'" in locks[0].getMessage() and "10.0.0.1" in locks[0].getMessage()


def test_empty_fields_are_not_counted(client, anna):
    for _ in range(10):
        client.post("/login/", {"username": "anna", "password": ""})
    assert attempt(client, "anna", PASSWORD).status_code == 302
