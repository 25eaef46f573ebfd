"""Fixtures for the page tests: a logged-in client per persona."""

from __future__ import annotations

import os

import pytest

from helhed.testing.personas import PASSWORD

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told it is safe (it is: the browser is driven synchronously).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Login throttling counts in the cache (per-process memory here): start every test
    without earlier tests' failed logins."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def login(client):
    def log_in(user):
        assert client.login(username=user.get_username(), password=PASSWORD)
        return client

    return log_in
