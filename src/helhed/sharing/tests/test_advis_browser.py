"""In Chromium: an advis arrives in the open advis list without reload (advis.js polls the
feed), is marked read in place, and the page breaks no CSP rule (no inline script)."""

from __future__ import annotations

import pytest

from helhed.sharing.tests.advis_helpers import (  # noqa: F401 - fixture
    advis_handler,
    deliver,
    note,
    open_case,
)
from helhed.testing.browser import BROWSER_TEST, expect, log_in_with_keyboard, shoot

pytestmark = [*BROWSER_TEST, pytest.mark.usefixtures("reference_data", "advis_handler")]


def test_a_new_advis_appears_without_reload_and_is_marked_read(live_server, anna, bo, family,
                                                               page):
    case = open_case(anna, family.liva)
    deliver()
    base = live_server.url
    log_in_with_keyboard(page, base, "anna")
    page.goto(f"{base}/adviser/")
    expect(page.locator("[data-advis-empty]")).to_be_visible()
    expect(page.locator("[data-advis-unread]")).to_have_text("0")
    page.evaluate("window.__marker = 'same page'")

    note(bo, case, title="Samtale på skolen")  # bo works, the publisher delivers
    deliver()

    row = page.locator("#advis-list li").first
    expect(row).to_contain_text("Samtale på skolen", timeout=15000)
    expect(row).to_contain_text("Liva Ærø Hansen")
    expect(page.locator("[data-advis-unread]")).to_have_text("1")
    assert page.evaluate("window.__marker") == "same page"  # no reload
    shoot(page, "advis-arrived.png")

    row.get_by_role("button", name="Markér som læst").click()
    expect(row.get_by_role("button")).to_have_count(0)
    expect(page.locator("[data-advis-unread]")).to_have_text("0")
    assert page.evaluate("window.__marker") == "same page"
    page.reload()
    expect(page.locator("#advis-list li").first.get_by_role("button")).to_have_count(0)
