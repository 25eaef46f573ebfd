"""Adult assessments (VUM 2.0): carl, the adults' caseworker, assesses Mette's functional
levels per theme on the Fælles Sprog III scale, with her own view beside his; a later
assessment keeps the first, so her levels over time show the change. And every way it must
fail: a level outside 0–4/9, an unknown theme, nothing assessed, a date in the future, a
closed case, a caseworker of another department, provider staff, anonymous."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from helhed.assessment import assessments, vum
from helhed.assessment.assessments import LevelIn
from helhed.assessment.models import AdultAssessment, FunctionalLevel
from helhed.assessment.tests.helpers import open_case
from helhed.cases import services as cases
from helhed.cases.models import Change
from helhed.core import clock
from helhed.core.errors import AccessDenied, DomainError, InvalidInput, NotFound
from helhed.core.models import OutboxEvent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)
FIRST = dt.date(2025, 3, 3)
SECOND = dt.date(2025, 9, 1)


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(NOW)


@pytest.fixture
def case(carl, family):
    return open_case(carl, family.mother, "Støtte i hverdagen")


def first_levels() -> list[LevelIn]:
    return [LevelIn("mentale_funktioner", 3, 2, "Svært ved at planlægge dagen."),
            LevelIn("praktiske_opgaver", "2", "1"),
            LevelIn("mobilitet", 9, None)]


def counts() -> tuple[int, int, int, int]:
    return (AdultAssessment.objects.count(), FunctionalLevel.objects.count(),
            OutboxEvent.objects.filter(type=assessments.EVENT_RECORDED).count(),
            Change.objects.filter(action=assessments.EVENT_RECORDED).count())


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the catalogue ------------------------------------------------------------------------

def test_vum_has_eleven_themes_in_three_parts():
    parts = vum.parts()
    assert [p.title for p in parts] == ["Funktioner og forhold", "Aktivitet og deltagelse",
                                        "Omgivelsesfaktorer"]
    assert [len(p.themes) for p in parts] == [4, 6, 1]
    assert "Hukommelse" in vum.themes()["mentale_funktioner"].subthemes
    assert set(vum.scale()) == {0, 1, 2, 3, 4, 9}
    assert vum.scale()[4].startswith("Totale begrænsninger")


# --- recording ----------------------------------------------------------------------------

def test_caseworker_records_levels_with_the_citizens_own_view(carl, family, case):
    made = assessments.record_adult_assessment(carl, case.uuid, assessed_on=FIRST,
                                               levels=first_levels(), summary="Første møde.")
    got = assessments.get_assessment(carl, made.uuid)
    rows = {theme.code: row for theme, row in assessments.levels_of(got) if row is not None}
    assert {code: (r.level, r.citizen_level) for code, r in rows.items()} == {
        "mentale_funktioner": (3, 2), "praktiske_opgaver": (2, 1), "mobilitet": (9, None)}
    assert rows["mentale_funktioner"].text == "Svært ved at planlægge dagen."
    assert got.citizen == family.mother and got.summary == "Første møde."
    event = OutboxEvent.objects.get(type=assessments.EVENT_RECORDED)
    assert str(event.object_id) == str(made.uuid)
    assert event.payload["levels"]["mentale_funktioner"] == {"level": 3, "citizen_level": 2}
    assert "Svært" not in str(event.payload)  # text stays in the case, not in the event
    assert Change.objects.filter(action=assessments.EVENT_RECORDED, case=case).count() == 1


def test_a_new_assessment_keeps_the_old_and_levels_show_over_time(carl, family, case):
    first = assessments.record_adult_assessment(carl, case.uuid, assessed_on=FIRST,
                                                levels=first_levels())
    clock.freeze(dt.datetime(2025, 9, 2, 9, 0, tzinfo=dt.UTC))
    second = assessments.record_adult_assessment(
        carl, case.uuid, assessed_on=SECOND,
        levels=[LevelIn("mentale_funktioner", 1, 1, "Bedre struktur med bostøtte.")])
    again = assessments.get_assessment(carl, first.uuid)
    assert {r.theme: r.level for r in again.levels.all()}["mentale_funktioner"] == 3
    over_time = assessments.levels_over_time(carl, family.mother.uuid)
    assert [(p.assessed_on, p.level, p.citizen_level)
            for p in over_time["mentale_funktioner"]] == [(FIRST, 3, 2), (SECOND, 1, 1)]
    assert [p.assessment for p in over_time["mentale_funktioner"]] == [first.uuid, second.uuid]
    assert over_time["praktiske_opgaver"][0].level == 2
    assert over_time["omgivelser"] == []
    assert list(over_time) == list(vum.themes())


@pytest.mark.parametrize("level", [5, -1, 8, 10, "x", "3.5", "4a", True])
def test_a_level_outside_the_scale_is_refused_and_nothing_saved(carl, case, level):
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        assessments.record_adult_assessment(
            carl, case.uuid, assessed_on=FIRST,
            levels=[LevelIn("praktiske_opgaver", 2), LevelIn("mentale_funktioner", level)])
    assert caught.value.code == "assessment.level_invalid"
    assert caught.value.field == "level_mentale_funktioner"
    assert "0, 1, 2, 3, 4 eller 9" in caught.value.localized()
    assert counts() == before


def test_the_citizens_own_level_is_checked_too(carl, case):
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        assessments.record_adult_assessment(carl, case.uuid, assessed_on=FIRST,
                                            levels=[LevelIn("mobilitet", 1, 6)])
    assert caught.value.field == "citizen_level_mobilitet"
    assert counts() == before


@pytest.mark.parametrize(("levels", "assessed_on", "code"), [
    ([LevelIn("hukommelse", 2)], FIRST, "assessment.theme_unknown"),
    ([LevelIn("mobilitet", 2), LevelIn("mobilitet", 3)], FIRST, "assessment.theme_twice"),
    ([], FIRST, "assessment.levels_required"),
    ([LevelIn("mobilitet", None, None, "  ")], FIRST, "assessment.levels_required"),
    ([LevelIn("mobilitet", 2)], None, "assessment.date_required"),
    ([LevelIn("mobilitet", 2)], dt.date(2025, 3, 11), "assessment.date_in_future"),
    ([LevelIn("mobilitet", 2, None, "x" * 10001)], FIRST, "assessment.text_too_long"),
])
def test_bad_input_is_refused_with_its_code(carl, case, levels, assessed_on, code):
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        assessments.record_adult_assessment(carl, case.uuid, assessed_on=assessed_on,
                                            levels=levels)
    assert caught.value.code == code
    assert counts() == before


def test_a_closed_case_takes_no_assessment(carl, case):
    cases.close_case(carl, case.uuid, reason="Forløbet er afsluttet.")
    with pytest.raises(InvalidInput) as caught:
        assessments.record_adult_assessment(carl, case.uuid, assessed_on=FIRST,
                                            levels=first_levels())
    assert caught.value.code == "case.closed"
    assert AdultAssessment.objects.count() == 0


# --- who may -------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["anna", "dorte", "gustav", "outsider"])
def test_others_may_neither_record_nor_read(request, carl, family, case, who):
    made = assessments.record_adult_assessment(carl, case.uuid, assessed_on=FIRST,
                                               levels=first_levels())
    other = request.getfixturevalue(who)
    before = counts()
    with pytest.raises((AccessDenied, NotFound)):
        assessments.record_adult_assessment(other, case.uuid, assessed_on=FIRST,
                                            levels=first_levels())
    assert counts() == before
    with pytest.raises((AccessDenied, NotFound)):
        assessments.get_assessment(other, made.uuid)
    with pytest.raises((AccessDenied, NotFound)):
        assessments.assessments_on_case(other, case.uuid)
    with pytest.raises((AccessDenied, NotFound)):
        assessments.levels_over_time(other, family.mother.uuid)


def test_an_unknown_assessment_is_not_found(carl):
    with pytest.raises(NotFound):
        assessments.get_assessment(carl, "not-a-uuid")
    with pytest.raises(DomainError):
        assessments.get_assessment(carl, "6e1f9a3c-1d2b-4c5d-8e9f-0a1b2c3d4e5f")


# --- API ----------------------------------------------------------------------------------

def test_api_records_lists_and_shows_levels_over_time(carl, family, case):
    api = client_for(carl)
    made = api.post(f"/api/v1/assessment/cases/{case.uuid}/adult-assessments",
                    content_type="application/json",
                    data={"assessed_on": "2025-03-03", "summary": "",
                          "levels": [{"theme": "mentale_funktioner", "level": 3,
                                      "citizen_level": 2, "text": "Struktur."}]})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["levels"] == [{"theme": "mentale_funktioner", "theme_title": "Mentale funktioner",
                               "level": 3, "citizen_level": 2, "text": "Struktur."}]
    listed = api.get(f"/api/v1/assessment/cases/{case.uuid}/adult-assessments").json()
    assert [a["id"] for a in listed] == [body["id"]]
    over = api.get(f"/api/v1/assessment/citizens/{family.mother.uuid}/functional-levels").json()
    assert over["mentale_funktioner"][0]["level"] == 3
    themes = api.get("/api/v1/assessment/vum/themes").json()
    assert len(themes) == 11


def test_api_refuses_a_level_outside_the_scale(carl, case):
    before = counts()
    response = client_for(carl).post(
        f"/api/v1/assessment/cases/{case.uuid}/adult-assessments",
        content_type="application/json",
        data={"assessed_on": "2025-03-03",
              "levels": [{"theme": "mobilitet", "level": 7}]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "assessment.level_invalid"
    assert error["field"] == "level_mobilitet"
    assert counts() == before


def test_api_denies_another_department_and_anonymous(anna, family, case):
    url = f"/api/v1/assessment/cases/{case.uuid}/adult-assessments"
    data = {"assessed_on": "2025-03-03", "levels": [{"theme": "mobilitet", "level": 1}]}
    assert client_for(anna).post(url, content_type="application/json",
                                 data=data).status_code in (403, 404)
    assert Client().post(url, content_type="application/json", data=data).status_code == 401
    assert Client().get(url).status_code == 401
    levels = f"/api/v1/assessment/citizens/{family.mother.uuid}/functional-levels"
    assert Client().get(levels).status_code == 401
    assert AdultAssessment.objects.count() == 0


# --- pages --------------------------------------------------------------------------------

def test_page_records_an_assessment_and_shows_it(carl, family, case):
    page = client_for(carl)
    form = page.get(reverse("adult-assessment-new", args=[case.uuid]))
    assert form.status_code == 200
    assert "Ny voksenudredning" in form.content.decode()
    assert "Mentale funktioner" in form.content.decode()
    response = page.post(reverse("adult-assessment-new", args=[case.uuid]), {
        "assessed_on": "2025-03-03", "level_mentale_funktioner": "3",
        "citizen_level_mentale_funktioner": "2", "text_mentale_funktioner": "Struktur.",
        "summary": "Første møde."})
    assert response.status_code == 302
    shown = page.get(response["Location"]).content.decode()
    assert "3 – Svære begrænsninger" in shown and "2 – Moderate begrænsninger" in shown
    over = page.get(reverse("functional-levels", args=[family.mother.uuid])).content.decode()
    assert "03.03.2025" in over


def test_page_shows_a_bad_level_next_to_its_field_and_saves_nothing(carl, case):
    before = counts()
    response = client_for(carl).post(reverse("adult-assessment-new", args=[case.uuid]), {
        "assessed_on": "2025-03-03", "level_mobilitet": "7"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="level_mobilitet-error"' in html
    assert "0, 1, 2, 3, 4 eller 9" in html
    assert counts() == before


def test_pages_deny_another_department_a_provider_and_anonymous(anna, gustav, carl, case):
    made = assessments.record_adult_assessment(carl, case.uuid, assessed_on=FIRST,
                                               levels=first_levels())
    for user in (anna, gustav):
        assert client_for(user).get(
            reverse("adult-assessment-new", args=[case.uuid])).status_code in (403, 404)
        assert client_for(user).get(
            reverse("adult-assessment-detail", args=[made.uuid])).status_code in (403, 404)
    anonymous = Client().get(reverse("adult-assessment-detail", args=[made.uuid]))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
