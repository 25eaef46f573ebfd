"""End to end in Chromium: Anna writes a holistic family plan for Liva with a part only the
mother sees and a part only the father sees, publishes it, and each parent's letter holds
exactly their part. Screenshots land in ``test-artifacts/``."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from helhed.cases import services as cases
from helhed.plans import pdf, services
from helhed.testing.browser import BROWSER_TEST, expect, log_in_with_keyboard, shoot

pytestmark = [*BROWSER_TEST, pytest.mark.usefixtures("reference_data")]


def _add_section(page, title: str, audience: str) -> None:
    form = page.locator("#nyt-afsnit")
    form.get_by_label("Overskrift").fill(title)
    form.get_by_label("Tekst").fill(f"{title}: det aftalte.")
    form.locator(audience).check()
    form.get_by_role("button", name="Tilføj afsnit").click()
    expect(page.locator("#afsnit")).to_contain_text(title)


def test_family_plan_with_a_part_for_each_parent(live_server, anna, family, browser, page):
    case = cases.open_case(anna, family.liva.uuid, title="Bekymring for Liva",
                           kle_numbers=["34.10.10"])
    base = live_server.url
    log_in_with_keyboard(page, base, "anna")
    page.goto(f"{base}/sager/{case.uuid}/plan/ny/")
    page.get_by_label("Helhedsplan").check()
    page.get_by_label("Titel").fill("Familien Ærø Hansens plan")
    page.get_by_label("Mor og far er med i planen").check()
    page.get_by_role("button", name="Opret plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Familien Ærø Hansens plan")

    _add_section(page, "Fælles aftaler", "#aud-staff")
    _add_section(page, "Mors del", "#aud-mother")
    _add_section(page, "Fars del", "#aud-father")
    page.get_by_role("button", name="Offentliggør versionen").click()
    expect(page.locator("#versioner")).to_contain_text("offentliggjort")
    shoot(page, "plans-1-family-plan.png")

    plan_id = page.url.rstrip("/").split("/")[-1]
    for parent, own, other in ((family.mother, "Mors del", "Fars del"),
                               (family.father, "Fars del", "Mors del")):
        view = services.read_plan_for(anna, plan_id, parent.uuid)
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.render(view))).pages)
        assert own in text and other not in text
