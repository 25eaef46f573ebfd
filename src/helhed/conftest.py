"""Fixtures shared by every app's tests: personas and the test family."""

from __future__ import annotations

import os

import pytest

from helhed.core import clock
from helhed.testing import personas
from helhed.testing.browser import browser, page, reference_data  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _unfrozen_clock():
    yield
    clock.unfreeze()


@pytest.fixture(autouse=True)
def _fresh_policy_caches():
    """The door keeps categories and rules for a minute per process; a rule made in a test
    that was rolled back must not serve the next test."""
    from helhed.sharing import policy

    policy.forget()
    yield
    policy.forget()


def _persona(name: str):
    @pytest.fixture
    def fixture(db):
        return personas.make_staff(name)

    fixture.__name__ = name
    return fixture


anna = _persona("anna")
bo = _persona("bo")
carl = _persona("carl")
dorte = _persona("dorte")
erik = _persona("erik")
frida = _persona("frida")
gustav = _persona("gustav")
hanne = _persona("hanne")
ivan = _persona("ivan")
outsider = _persona("outsider")


@pytest.fixture
def family(db) -> personas.Family:
    return personas.make_family()


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, stopped *before* the test database is dropped.

    Depending on ``django_db_setup`` orders the teardown so that the server is gone before
    the test database is dropped.
    """
    from pytest_django.live_server_helper import LiveServer

    address = (request.config.getvalue("liveserver")
               or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost")
    server = LiveServer(address)
    yield server
    server.stop()
