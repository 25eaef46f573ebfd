"""End to end in a real browser: Debian's Chromium driven by Playwright (never downloaded).

A caseworker logs in with the keyboard, finds Søren Ærø without Danish letters, opens his
page and his daughter Liva's, and corrects Mette Hansen's phone number; provider staff
neither see nor reach the citizen search; the administration and the API docs work under
the Content-Security-Policy. Every page is watched for CSP violations and console errors.
Full-page screenshots land in ``test-artifacts/``.
"""

from __future__ import annotations

import re

import pytest

from helhed.testing.browser import (
    BROWSER_TEST,
    assert_design_system_loaded,
    expect,
    log_in_with_keyboard,
    shoot,
)

pytestmark = [*BROWSER_TEST, pytest.mark.usefixtures("reference_data")]


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


def test_caseworker_corrects_a_phone_number(live_server, anna, family, page):
    base = live_server.url
    mother = f"{base}/borgere/{family.mother.uuid}/"
    log_in_with_keyboard(page, base, "anna")
    page.goto(mother)
    edit = page.locator("#kontakt").get_by_role("link", name="Ret kontaktoplysninger")
    edit.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{mother}kontakt/ret/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ret kontaktoplysninger")
    phone = page.get_by_label("Telefonnummer")
    expect(phone).to_have_value("20304050")
    expect(page.get_by_label("E-mailadresse")).to_have_value("mette@example.org")
    expect(page.get_by_role("radio", name="SMS")).to_be_checked()
    expect(page.get_by_label("Fritaget for Digital Post")).not_to_be_checked()
    assert_design_system_loaded(page)

    phone.fill("2030 405")
    phone.press("Enter")
    error = page.locator("#phone-error")
    expect(error).to_contain_text("Et telefonnummer er 8 cifre")
    expect(phone).to_have_attribute("aria-describedby", "phone-hint phone-error")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_be_focused()
    expect(page).to_have_title(re.compile("^Fejl:"))
    shoot(page, "contact-edit-error.png")

    # Corrected with the keyboard only: the number, then the channel with the arrow keys.
    page.keyboard.press("Control+A")
    page.keyboard.type("20 30 40 51")
    page.get_by_role("radio", name="SMS").focus()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name="Telefon")).to_be_checked()
    page.get_by_role("button", name="Gem kontaktoplysninger").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{mother}#kontakt")
    expect(page.get_by_role("status")).to_contain_text("Kontaktoplysningerne er gemt.")
    current = page.locator("#contact")
    expect(current).to_contain_text("20304051")
    expect(current).to_contain_text("Telefon")
    history = page.locator("#contact-history")
    expect(history.locator("tr", has_text="20304050")).to_contain_text("SMS")
    expect(history.locator("tr", has_text="20304050")).to_contain_text("01.01.2020–")
    shoot(page, "contact-edit-saved.png")
    page.locator("#kontakt").scroll_into_view_if_needed()
    shoot(page, "contact-edit-history.png", full_page=False)


def test_administration_and_api_docs_work_under_the_security_policy(live_server, hanne, page):
    base = live_server.url
    log_in_with_keyboard(page, base, "hanne")
    response = page.goto(f"{base}/admin/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", name="Organisation, roller og klassifikationer")) \
        .to_be_visible()
    expect(page.locator("#content-main")).to_be_visible()
    shoot(page, "admin-index.png")
    # A change form with the admin's own scripts (the two-list role picker).
    page.goto(f"{base}/admin/organisation/staffmember/add/")
    expect(page.locator(".selector #id_roles_from")).to_be_visible()  # built by SelectFilter2.js

    response = page.goto(f"{base}/api/v1/docs")
    assert response is not None and response.status == 200
    docs = page.locator("#swagger-ui")
    expect(docs.locator(".information-container")).to_contain_text("helhed API")
    docs.locator(".opblock-summary").first.click()
    docs.get_by_role("button", name="Try it out").first.click()
    docs.locator("input[placeholder=q]").fill("soren")
    docs.get_by_role("button", name="Execute").first.click()
    expect(docs.locator(".live-responses-table")).to_be_visible()  # the call went out
    shoot(page, "api-docs.png", full_page=False)
    assert page.static_failures == []
