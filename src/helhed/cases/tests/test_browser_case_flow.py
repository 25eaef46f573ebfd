"""End to end in Chromium: a notification about Liva becomes a case that is worked and
closed — journal entry, document upload, a decision whose PDF letters open and carry the
child's name and the complaint guidance, a grant, closing with a reason — and the case's
history shows every step. Screenshots land in ``test-artifacts/``.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from helhed.testing.browser import BROWSER_TEST, expect, log_in_with_keyboard, shoot

pytestmark = [*BROWSER_TEST, pytest.mark.usefixtures("reference_data")]


def a_pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 760, text)
    pdf.save()
    return buffer.getvalue()


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def test_notification_to_closed_case_in_the_browser(live_server, anna, family, page, tmp_path):
    base = live_server.url
    log_in_with_keyboard(page, base, "anna")

    # The child's page offers a notification and a case.
    page.goto(f"{base}/borgere/{family.liva.uuid}/")
    cases = page.locator("#sager")
    expect(cases.locator("#no-cases")).to_be_visible()
    cases.locator("#new-notification").click()

    # 1. The notification, with its legal clock.
    expect(page.get_by_role("heading", level=1)).to_contain_text("underretning")
    page.locator("#notifier_kind").select_option("skole")
    page.locator("#notifier_name").fill("Lærer Lise Lund")
    page.locator("#notifier_organisation").fill("Helhed Skole")
    page.locator("#description").fill("Liva kommer ofte sulten i skole og er meget træt.")
    shoot(page, "case-flow-1-notification-form.png")
    page.get_by_role("button", name="Registrér underretningen").click()
    page.wait_for_url(re.compile(r"/underretninger/[0-9a-f-]+/$"))
    expect(page.locator("main")).to_contain_text("24 timer")
    expect(page.locator("main")).to_contain_text("Kvittering")
    page.locator("#child_in_danger").get_by_label("Nej").check()
    page.locator("#assessment").fill("Ikke akut fare. Forældrene kontaktes.")
    page.get_by_role("button", name="Gem vurderingen").click()
    expect(page.locator("#assessment-text")).to_contain_text("Forældrene kontaktes.")
    expect(page.locator("#vurdering")).to_contain_text("Barnet er ikke i akut fare")
    shoot(page, "case-flow-2-notification.png")

    # 2. A case from the notification.
    page.get_by_role("link", name="Opret sag").first.click()
    page.locator("#title").fill("Bekymring for Livas trivsel")
    page.locator("#kle").fill("34.10.10\n34.10")
    page.locator("#legal_basis").select_option("bl-20")
    shoot(page, "case-flow-3-case-form.png")
    page.get_by_role("button", name="Opret sag").click()
    page.wait_for_url(re.compile(r"/sager/[0-9a-f-]+/$"))
    case_url = page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bekymring for Livas trivsel")
    expect(page.locator("#case-kle")).to_contain_text("34.10.10")
    expect(page.locator("#underretninger")).to_contain_text("Skole")

    # 3. A journal entry.
    page.locator("#case-actions").get_by_role("link", name="Journalnotat").click()
    page.locator("#kind").get_by_label("Samtale", exact=True).check()
    page.locator("#title").fill("Samtale med Liva")
    page.locator("#text").fill("Liva fortæller, at hun tit er alene om morgenen.")
    page.get_by_role("button", name="Gem notat").click()
    page.wait_for_url(re.compile(r"/sager/[0-9a-f-]+/#journal$"))
    expect(page.locator("#journal-entries")).to_contain_text("Samtale med Liva")

    # 4. A document; a wrong file type is refused first and nothing is kept.
    page.locator("#case-actions").get_by_role("link", name="Dokument").click()
    fake = tmp_path / "skoleudtalelse.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf at all")
    page.locator("#title").fill("Skoleudtalelse")
    page.locator("#file").set_input_files(str(fake))
    page.get_by_role("button", name="Gem dokument").click()
    expect(page.locator("#file-error")).to_be_visible()
    shoot(page, "case-flow-4-upload-refused.png")
    real = tmp_path / "skoleudtalelse-rigtig.pdf"
    real.write_bytes(a_pdf("Skoleudtalelse om Liva: fravaer og traethed."))
    page.locator("#title").fill("Skoleudtalelse")
    page.locator("#file").set_input_files(str(real))
    page.get_by_role("button", name="Gem dokument").click()
    page.wait_for_url(re.compile(r"/sager/[0-9a-f-]+/"))
    expect(page.locator("#dokumenter")).to_contain_text("Skoleudtalelse")
    expect(page.locator("#dokumenter")).not_to_contain_text("skoleudtalelse.pdf")

    # 5. A decision: letters to both custody holders and to Liva herself (10 years old).
    page.goto(case_url)
    page.locator("#case-actions").get_by_role("link", name="Afgørelse").click()
    page.locator("#title").fill("Aflastning i weekender")
    page.locator("#outcome").get_by_label("Bevilget", exact=True).check()
    page.locator("#legal_basis").select_option("bl-32")
    page.locator("#reasons").fill("Familien har behov for aflastning for at sikre Livas trivsel.")
    expect(page.locator("main")).to_contain_text("Liva")
    shoot(page, "case-flow-5-decision-form.png")
    page.get_by_role("button", name="Træf afgørelse og send brevene").click()
    page.wait_for_url(re.compile(r"/afgoerelser/[0-9a-f-]+/$"))
    letters = page.locator("a[href*='/breve/']")
    expect(letters).to_have_count(3)
    shoot(page, "case-flow-6-decision.png")
    texts = []
    for index in range(3):
        href = letters.nth(index).get_attribute("href")
        response = page.request.get(f"{base}{href}")
        assert response.ok and response.headers["content-type"] == "application/pdf"
        texts.append(pdf_text(response.body()))
    assert all("Liva" in t for t in texts)
    assert all("klage" in t.lower() for t in texts)
    assert any("Mette Hansen" in t for t in texts) and any("Søren Ærø" in t for t in texts)
    # The letter opens in the browser as a PDF.
    with page.expect_response(re.compile(r"/breve/[0-9a-f-]+/pdf/")) as opened:
        page.goto(f"{base}{letters.nth(0).get_attribute('href') or ''}")
    assert opened.value.headers["content-type"] == "application/pdf"

    # 6. A grant linked to the case.
    page.goto(case_url)
    page.locator("#case-actions").get_by_role("link", name="Bevilling").click()
    page.locator("#title").fill("Aflastning")
    page.locator("#amount").fill("16")
    page.locator("#unit").select_option("timer_maaned")
    page.locator("#valid_from").fill(dt.date.today().isoformat())
    shoot(page, "case-flow-7-grant-form.png")
    page.get_by_role("button", name="Opret bevilling").click()
    page.wait_for_url(re.compile(r"/bevillinger/[0-9a-f-]+/$"))
    page.goto(case_url)
    expect(page.locator("#bevillinger")).to_contain_text("Aflastning")

    # 7. Closing: open deadlines warn; with a reason the case closes.
    page.locator("#case-actions").get_by_role("link", name="Afslut sag").click()
    expect(page.locator("#open-deadlines")).to_be_visible()
    page.get_by_role("button", name="Afslut sag").click()
    expect(page.locator("#reason-error")).to_be_visible()
    page.locator("#reason").fill("Familien er flyttet til en anden kommune; sagen overdrages.")
    page.get_by_role("button", name="Afslut sag").click()
    page.wait_for_url(re.compile(r"/sager/[0-9a-f-]+/#sag$"))
    expect(page.locator("#case-facts")).to_contain_text("Afsluttet")

    # The history shows each step, who and when.
    history = page.locator("#history")
    for label in ("Sag oprettet", "Underretning knyttet til sagen", "Journalnotat skrevet",
                  "Dokument tilføjet", "Afgørelse truffet", "Brev sendt",
                  "Bevilling oprettet", "Frist bortfaldet", "Sag afsluttet"):
        expect(history).to_contain_text(label)
    expect(history).to_contain_text("Anna Andersen")
    shoot(page, "case-flow-8-closed-case.png")
