"""End to end in a real browser: Debian's Chromium driven by Playwright (never downloaded).

A caseworker logs in with the keyboard, finds Søren Ærø without Danish letters, opens his
page and his daughter Liva's; provider staff neither see nor reach the citizen search.
Full-page screenshots land in ``test-artifacts/``.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from helhed.testing.personas import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture(autouse=True)
def _roles(transactional_db) -> None:
    """A transactional test starts from a flushed database: reload the standard roles the
    same way their data migration does (serialized rollback clashes with content types
    that other transactional tests re-create)."""
    from django.apps import apps

    from helhed.organisation.models import Role

    if not Role.objects.exists():
        migration = importlib.import_module("helhed.organisation.migrations.0002_load_roles")
        migration.load_roles(apps, None)


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
    page.on("requestfailed", lambda r: failures.append(f"failed {r.url}"))
    page.static_failures = failures
    yield page
    context.close()


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


def test_caseworker_finds_a_family_with_the_keyboard(live_server, anna, family, page):
    base = live_server.url
    page.goto(f"{base}/login/")
    shoot(page, "login.png")
    page.get_by_label("Brugernavn").fill("anna")
    page.get_by_label("Adgangskode").fill("forkert-kode-123")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Forkert brugernavn eller adgangskode")
    shoot(page, "login-error.png")
    log_in_with_keyboard(page, base, "anna")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", name="Goddag, Anna")).to_be_visible()
    nav = page.get_by_role("navigation", name="Hovedmenu").first
    expect(nav.get_by_role("link", name="Find borger")).to_be_visible()
    assert_design_system_loaded(page)
    shoot(page, "start-sagsbehandler.png")

    search = page.get_by_label("CPR-nummer, fødselsdato eller navn")
    search.fill("soren aero")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/borgere/\?q="))
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name="Søren Ærø")).to_be_visible()
    expect(page.get_by_text("Adgang: Rolle: Sagsbehandler, børn og unge")).to_be_visible()
    shoot(page, "search.png")

    results.get_by_role("link", name="Søren Ærø").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Søren Ærø")
    children = page.locator("#children")
    for name in ("Liva Ærø Hansen", "Noah Ærø Hansen", "Oskar Ærø"):
        expect(children.get_by_role("link", name=name)).to_be_visible()
    assert_design_system_loaded(page)
    shoot(page, "citizen-father.png")

    children.get_by_role("link", name="Liva Ærø Hansen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Liva Ærø Hansen")
    siblings = page.locator("#siblings")
    expect(siblings.locator("tr", has_text="Noah")).to_contain_text("Helsøskende")
    expect(siblings.locator("tr", has_text="Oskar")).to_contain_text("Halvsøskende")
    custody = page.locator("#custody")
    expect(custody).to_contain_text("Mette Hansen")
    expect(custody).to_contain_text("Søren Ærø")
    expect(page.locator("#arrangements")).to_contain_text("Hver anden weekend")
    shoot(page, "citizen-family.png")
    page.locator("#familie").scroll_into_view_if_needed()
    shoot(page, "citizen-family-section.png", full_page=False)


def test_provider_staff_do_not_see_or_reach_the_citizen_search(live_server, gustav, family,
                                                               page):
    base = live_server.url
    log_in_with_keyboard(page, base, "gustav")
    expect(page.get_by_text("Du har ingen bestillinger")).to_be_visible()
    nav = page.get_by_role("navigation", name="Hovedmenu").first
    expect(nav.get_by_role("link", name="Start")).to_be_visible()
    expect(page.get_by_role("link", name="Find borger")).to_have_count(0)
    shoot(page, "start-udfoerer.png")

    response = page.goto(f"{base}/borgere/?q=soren+aero")
    assert response is not None and response.status == 403
    expect(page.get_by_role("alert")).to_contain_text(
        "Du har ikke adgang til at slå borgere op")
    expect(page.get_by_text("Søren Ærø")).to_have_count(0)
    shoot(page, "search-denied.png")

    response = page.goto(f"{base}/borgere/{family.liva.uuid}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Findes ikke")
    assert page.static_failures == []


def test_caseworker_switches_to_english_and_back(live_server, anna, family, page):
    base = live_server.url
    log_in_with_keyboard(page, base, "anna")
    page.goto(f"{base}/borgere/{family.father.uuid}/")
    switch = page.locator(".portal-user .helhed-language")
    english = switch.get_by_role("button", name="English")
    english.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/borgere/{family.father.uuid}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Master data")).to_be_visible()
    expect(page.get_by_role("heading", name="Household")).to_be_visible()
    shoot(page, "header-english.png", full_page=False)
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Hello, Anna")).to_be_visible()
    page.locator(".portal-user .helhed-language").get_by_role("button", name="Dansk").click()
    page.wait_for_url(f"{base}/")
    expect(page.get_by_role("heading", name="Goddag, Anna")).to_be_visible()
    assert page.static_failures == []
