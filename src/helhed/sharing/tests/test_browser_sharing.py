"""End to end in Chromium (issue 4): Anna opens Liva's family overview and sees her
half-brother's jobcenter case only as "exists — ask …"; she asks Liva's school for absence
on the consent of both custody holders; the school answers in helhed; and the advis arrives
in Anna's open work list without reload. Screenshots land in ``test-artifacts/``.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from helhed.assessment.tests.helpers import (
    SCHOOL_ABSENCE,
    make_consent,
    make_school_staff,
    make_unit,
    need,
)
from helhed.cases import services
from helhed.core import clock
from helhed.sharing.tests.advis_helpers import advis_handler, deliver  # noqa: F401 - fixture
from helhed.testing.browser import BROWSER_TEST, expect, log_in_with_keyboard, shoot

pytestmark = [*BROWSER_TEST, pytest.mark.usefixtures("reference_data", "advis_handler")]


def test_overview_request_answer_and_advis(live_server, anna, dorte, family, browser, page):
    school = make_unit("Helhed Skole")
    make_school_staff("sofie", school)
    case = services.open_case(anna, family.liva.uuid, title="Bekymring for Liva",
                              kle_numbers=["34.10.10"])
    services.open_case(dorte, family.half_brother.uuid, title="Fritidsjob og uddannelse",
                       department_code="jobcenter", kle_numbers=["15"])
    consent = make_consent(family.liva, [family.mother, family.father], anna)
    deliver()  # Anna now follows Liva (her own case)
    base = live_server.url

    # 1. The family overview: Oskar's jobcenter case exists, and says whom to ask.
    log_in_with_keyboard(page, base, "anna")
    page.goto(f"{base}/borgere/{family.liva.uuid}/")
    page.locator("#family-overview").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Overblik over familien")
    oskar = page.locator("section", has_text="Oskar Ærø").first
    expect(oskar).to_contain_text("Jobcenter")
    expect(oskar).to_contain_text("Findes")
    expect(oskar).to_contain_text("Dorte Dahl")
    expect(oskar.locator("a[href*='/sager/']")).to_have_count(0)  # no content basis: no link
    expect(page.locator("main")).to_contain_text("Bekymring for Liva")  # her own case
    shoot(page, "sharing-1-family-overview.png")

    # 2. Ask the school for Liva's absence on the custody holders' consent.
    page.goto(f"{base}/sager/{case.uuid}/")
    page.get_by_role("link", name="Indhent oplysninger").click()
    page.locator(f"#need-{need(SCHOOL_ABSENCE).pk}").check()
    page.locator("#recipient_kind").get_by_label("Skole", exact=True).check()
    page.locator("#recipient_unit").select_option(str(school.pk))
    page.locator(f"input[name='basis'][value='samtykke:{consent.uuid}']").check()
    today = clock.today()
    page.locator("#period_from").fill((today - dt.timedelta(days=90)).isoformat())
    page.locator("#period_to").fill(today.isoformat())
    page.locator("#deadline").fill((today + dt.timedelta(days=14)).isoformat())
    shoot(page, "sharing-2-request-form.png")
    page.get_by_role("button", name="Send indhentning").click()
    expect(page.locator("main")).to_contain_text("Helhed Skole")

    # Anna keeps her work list open.
    page.goto(f"{base}/arbejdsliste/")
    expect(page.locator("#adviser")).to_be_visible()
    page.evaluate("window.__marker = 'same page'")

    # 3. The school answers in helhed, in its own browser session.
    school_context = browser.new_context(viewport={"width": 1280, "height": 900})
    teacher = school_context.new_page()
    teacher.set_default_timeout(10_000)
    log_in_with_keyboard(teacher, base, "sofie")
    teacher.goto(f"{base}/indhentning/indbakke/")
    teacher.locator("main a[href*='/indhentning/']").first.click()
    expect(teacher.locator("main")).to_contain_text("Liva")
    expect(teacher.locator("main")).not_to_contain_text("Bekymring for Liva")  # not the case
    percents = teacher.locator("input[id^='percent-']")
    assert percents.count() >= 1
    for index in range(percents.count()):
        percents.nth(index).fill(str(4 + index))
    teacher.locator("#text").fill("Liva har haft stigende fravær, mest om mandagen.")
    shoot(teacher, "sharing-3-school-answer.png")
    teacher.get_by_role("button", name="Send svar").click()
    expect(teacher.locator("main")).to_contain_text(re.compile("sendt|besvaret", re.I))
    school_context.close()

    # 4. The advis arrives in Anna's open work list without reload.
    deliver()
    advis = page.locator("#advis-list li").first
    expect(advis).to_contain_text("Liva Ærø Hansen", timeout=15_000)
    assert page.evaluate("window.__marker") == "same page"
    shoot(page, "sharing-4-advis-arrived.png")

    # The answer is on the case.
    page.goto(f"{base}/sager/{case.uuid}/")
    expect(page.locator("#journal-entries")).to_contain_text("mandagen")
