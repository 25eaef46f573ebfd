"""Browser tests' shared parts: Debian's Chromium driven by Playwright (never downloaded),
a page that fails the test on CSP violations and console errors, screenshots into
``test-artifacts/``, and the reference data a flushed (transactional) database needs.

Import the fixtures into a test module: ``from helhed.testing.browser import browser, page,
reference_data  # noqa: F401`` and mark the module with ``BROWSER_TEST``.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helhed.testing.personas import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"



@pytest.fixture
def reference_data(transactional_db) -> None:
    """A transactional test starts from a flushed database: reload the data that migrations
    load (roles; KLE, legal bases and data needs; complaint guidance) the same way their data
    migrations do (serialized rollback clashes with content types that other transactional
    tests re-create). Use it with ``@pytest.mark.usefixtures("reference_data")``."""
    from django.apps import apps

    from helhed.cases.models import ComplaintGuidance
    from helhed.catalogue.models import KleMainGroup, LegalBasis
    from helhed.organisation.models import Role

    if not Role.objects.exists():
        module("helhed.organisation.migrations.0002_load_roles").load_roles(apps, None)
    if not KleMainGroup.objects.exists():
        module("helhed.catalogue.migrations.0002_load_kle_subset").load_subset(apps, None)
    if not LegalBasis.objects.exists():
        module("helhed.catalogue.migrations.0003_load_legal_bases_and_data_needs").load(
            apps, None)
        module("helhed.catalogue.migrations.0004_reply_to_notifier_deadline"
               ).add_reply_deadline(apps, None)
    if not ComplaintGuidance.objects.exists():
        module("helhed.cases.migrations.0003_complaint_guidance").load(apps, None)
    from helhed.sharing.models import DataCategory

    if not DataCategory.objects.exists():
        module("helhed.sharing.migrations.0002_load_categories_and_rules").load(apps, None)


def module(name: str) -> Any:
    return importlib.import_module(name)


@pytest.fixture
def browser(live_server) -> Iterator[object]:
    # Function-scoped on purpose: Playwright's sync API keeps an event loop running while it
    # is open, and the test database must be set up and flushed outside it.
    # While it runs, asgiref treats this thread as async and Django keeps database
    # connections per context: request database fixtures *before* ``page`` in a test's
    # arguments, and close whatever was opened inside before leaving.
    from django.db import connections

    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(10_000)
    failures: list[str] = []
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}")
            if r.status >= 400 and "/static/" in r.url else None)
    # A request cut off by the next navigation (net::ERR_ABORTED, e.g. the favicon of a page
    # left at once) is no missing file.
    page.on("requestfailed", lambda r: failures.append(f"failed {r.url}: {r.failure}")
            if "ERR_ABORTED" not in (r.failure or "") else None)
    page.static_failures = failures
    problems: list[str] = []
    watch_for_policy_violations(page, problems)
    yield page
    context.close()
    assert problems == [], "CSP violations or console errors in the browser"


# Chromium logs every 4xx/5xx answer as a console error; the tests expect some (a refused
# search, a form with an error) and check static files separately.
EXPECTED_CONSOLE = re.compile(r"^Failed to load resource: the server responded with a status "
                              r"of (400|403|404) ")


def watch_for_policy_violations(page, problems: list[str]) -> None:
    """Collect Content-Security-Policy violations (reported by the page itself) and console
    errors (Chromium also logs a refused script or style there)."""
    page.expose_function("helhedCspViolation", lambda text: problems.append(f"CSP: {text}"))
    page.add_init_script("""
        document.addEventListener("securitypolicyviolation", function (e) {
            window.helhedCspViolation(e.violatedDirective + " blocked " + e.blockedURI
                                      + " in " + e.documentURI);
        });
    """)
    page.on("console", lambda m: problems.append(f"console: {m.text}")
            if m.type == "error" and not EXPECTED_CONSOLE.match(m.text) else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))


def shoot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


def log_in_with_keyboard(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    expect(page).to_have_title(re.compile("Log ind"))
    page.get_by_label("Brugernavn").fill(username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Adgangskode")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def assert_design_system_loaded(page) -> None:
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"IBM Plex Sans\"')")
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "IBM Plex Sans" in family
    # The sprite icons render (a <use> pointing at the vendored sprite has a size).
    box = page.locator("svg.icon-svg:visible").first.bounding_box()
    assert box and box["width"] > 0
    assert page.static_failures == []


BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
