"""Child investigations (Barnets lov § 20): anna investigates Liva's situation along the
ICS triangle, with its four-month deadline on her work list, the conversation with Liva,
the school's absence request attached to the theme it informs, and a conclusion that meets
the deadline. And every way it must fail: an adult, a second open investigation, an unknown
theme, a conversation without a summary or reason, concluding before the conversation, a
request from another case, changes after the conclusion, and anyone without a basis."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helhed.assessment import investigations, services
from helhed.assessment.models import (
    ChildConversation,
    ChildInvestigation,
    InvestigationNote,
    InvestigationRequest,
)
from helhed.assessment.tests.helpers import (
    SCHOOL_ABSENCE,
    make_consent,
    make_unit,
    need,
    open_case,
)
from helhed.cases.models import CaseDeadline, Change
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.core.models import OutboxEvent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)
START = dt.date(2025, 3, 3)


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(NOW)


@pytest.fixture
def case(anna, family):
    return open_case(anna, family.liva)


@pytest.fixture
def inv(anna, case):
    return investigations.start_investigation(anna, case.uuid, started_on=START)


@pytest.fixture
def absence(anna, family, case):
    consent = make_consent(family.liva, [family.mother, family.father], anna)
    return services.request_information(
        anna, case.uuid, consent_uuid=consent.uuid,
        data_need_id=need(SCHOOL_ABSENCE).pk, recipient_kind="skole",
        recipient_unit_id=make_unit("Helhed Skole").pk, purpose="Fravær.",
        period_from=dt.date(2024, 10, 1), period_to=dt.date(2025, 2, 28),
        deadline=dt.date(2025, 3, 24))


def counts() -> tuple[int, ...]:
    return (ChildInvestigation.objects.count(), InvestigationNote.objects.count(),
            ChildConversation.objects.count(), InvestigationRequest.objects.count(),
            OutboxEvent.objects.filter(type__startswith="assessment.investigation.").count(),
            CaseDeadline.objects.filter(kind=CaseDeadline.Kind.INVESTIGATION).count())


def refused(code: str, call) -> InvalidInput:
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        call()
    assert caught.value.code == code, caught.value
    assert counts() == before
    return caught.value


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_investigation_runs_from_start_to_conclusion(anna, family, case, inv, absence):
    deadline = CaseDeadline.objects.get(pk=inv.deadline_id)
    assert deadline.kind == CaseDeadline.Kind.INVESTIGATION
    assert deadline.case == case and deadline.responsible == anna.staff
    assert timezone.localtime(deadline.due_at).date() == dt.date(2025, 7, 3)  # four months
    assert deadline.open

    investigations.describe_theme(anna, inv.uuid, theme="barnets_udvikling.skole_dagtilbud",
                                  text="Meget fravær i efteråret.")
    investigations.describe_theme(anna, inv.uuid, theme="foraeldrekompetencer",
                                  text="Mor og far samarbejder.")
    investigations.link_request(anna, inv.uuid, request_uuid=absence.uuid,
                                theme="barnets_udvikling.skole_dagtilbud")
    investigations.record_conversation(anna, inv.uuid, held=True, held_on=dt.date(2025, 3, 7),
                                       summary="Liva fortalte om skolen.")
    investigations.conclude(anna, inv.uuid, conclusion="Behov for familiebehandling.")

    done = investigations.get_investigation(anna, inv.uuid)
    assert done.state == ChildInvestigation.State.CONCLUDED
    assert done.conclusion == "Behov for familiebehandling."
    assert set(investigations.notes_of(done)) == {"barnets_udvikling.skole_dagtilbud",
                                                  "foraeldrekompetencer"}
    links = investigations.requests_of(done)
    assert [(x.request, x.theme) for x in links] == [
        (absence, "barnets_udvikling.skole_dagtilbud")]
    deadline.refresh_from_db()
    assert deadline.met_at is not None
    types = list(OutboxEvent.objects.filter(type__startswith="assessment.investigation.")
                 .order_by("seq").values_list("type", flat=True))
    assert types == ["assessment.investigation.started",
                     "assessment.investigation.theme_described",
                     "assessment.investigation.theme_described",
                     "assessment.investigation.request_linked",
                     "assessment.investigation.conversation",
                     "assessment.investigation.concluded"]
    assert OutboxEvent.objects.filter(type="cases.deadline.met").exists()
    assert Change.objects.filter(object_uuid=inv.uuid).count() == 6


def test_rewriting_a_theme_keeps_the_earlier_text_in_history(anna, inv):
    investigations.describe_theme(anna, inv.uuid, theme="familie_netvaerk.bolig", text="Trangt.")
    investigations.describe_theme(anna, inv.uuid, theme="familie_netvaerk.bolig",
                                  text="Flyttet til større lejlighed.")
    assert InvestigationNote.objects.get().text == "Flyttet til større lejlighed."
    last = Change.objects.filter(object_uuid=inv.uuid).order_by("-id").first()
    assert last.before == {"text": "Trangt."}


def test_a_conversation_not_held_records_why(anna, inv):
    investigations.record_conversation(anna, inv.uuid, held=False,
                                       reason_not_held="Liva ønskede ikke at tale med os.")
    talk = ChildConversation.objects.get()
    assert not talk.held and talk.held_on is None
    investigations.conclude(anna, inv.uuid, conclusion="Ingen foranstaltning.")


def test_an_adult_gets_no_child_investigation(carl, family):
    adult = open_case(carl, family.mother, "Mette")
    refused("assessment.investigation_not_a_child",
            lambda: investigations.start_investigation(carl, adult.uuid, started_on=START))


def test_bad_input_is_refused_and_nothing_saved(anna, case, inv, absence):
    refused("assessment.investigation_open",
            lambda: investigations.start_investigation(anna, case.uuid, started_on=START))
    refused("assessment.date_in_future", lambda: investigations.start_investigation(
        anna, case.uuid, started_on=dt.date(2025, 3, 11)))
    refused("assessment.ics_theme_unknown", lambda: investigations.describe_theme(
        anna, inv.uuid, theme="barnets_udvikling.hobby", text="x"))
    refused("assessment.text_required", lambda: investigations.describe_theme(
        anna, inv.uuid, theme="barnets_udvikling", text="  "))
    refused("assessment.summary_required", lambda: investigations.record_conversation(
        anna, inv.uuid, held=True, held_on=START, summary=""))
    refused("assessment.date_required", lambda: investigations.record_conversation(
        anna, inv.uuid, held=True, held_on=None, summary="x"))
    refused("assessment.conversation_reason_required",
            lambda: investigations.record_conversation(anna, inv.uuid, held=False))
    refused("assessment.conversation_missing", lambda: investigations.conclude(
        anna, inv.uuid, conclusion="Noget."))
    refused("assessment.conclusion_required", lambda: investigations.conclude(
        anna, inv.uuid, conclusion=""))
    refused("assessment.request_not_on_case", lambda: investigations.link_request(
        anna, inv.uuid, request_uuid="not-a-uuid", theme="barnets_udvikling"))
    investigations.link_request(anna, inv.uuid, request_uuid=absence.uuid,
                                theme="barnets_udvikling")
    refused("assessment.request_linked", lambda: investigations.link_request(
        anna, inv.uuid, request_uuid=absence.uuid, theme="familie_netvaerk"))


def test_a_request_of_another_case_cannot_be_attached(anna, bo, family, inv):
    consent = make_consent(family.noah, [family.mother, family.father], anna)
    other = open_case(anna, family.noah, "Noah")
    elsewhere = services.request_information(
        anna, other.uuid, consent_uuid=consent.uuid,
        data_need_id=need(SCHOOL_ABSENCE).pk, recipient_kind="skole",
        recipient_unit_id=make_unit("Helhed Skole").pk, purpose="Fravær.",
        period_from=dt.date(2024, 10, 1), period_to=dt.date(2025, 2, 28),
        deadline=dt.date(2025, 3, 24))
    refused("assessment.request_not_on_case", lambda: investigations.link_request(
        anna, inv.uuid, request_uuid=elsewhere.uuid, theme="barnets_udvikling"))


def test_a_concluded_investigation_is_not_changed(anna, inv):
    investigations.record_conversation(anna, inv.uuid, held=False, reason_not_held="Syg.")
    investigations.conclude(anna, inv.uuid, conclusion="Afsluttet.")
    refused("assessment.investigation_concluded", lambda: investigations.describe_theme(
        anna, inv.uuid, theme="barnets_udvikling", text="Sent."))
    refused("assessment.investigation_concluded", lambda: investigations.conclude(
        anna, inv.uuid, conclusion="Igen."))


@pytest.mark.parametrize("who", ["carl", "dorte", "gustav", "outsider"])
def test_others_may_neither_change_nor_read(request, case, inv, who):
    other = request.getfixturevalue(who)
    before = counts()
    with pytest.raises((AccessDenied, NotFound)):
        investigations.start_investigation(other, case.uuid, started_on=START)
    with pytest.raises((AccessDenied, NotFound)):
        investigations.describe_theme(other, inv.uuid, theme="barnets_udvikling", text="x")
    with pytest.raises((AccessDenied, NotFound)):
        investigations.conclude(other, inv.uuid, conclusion="x")
    with pytest.raises((AccessDenied, NotFound)):
        investigations.get_investigation(other, inv.uuid)
    with pytest.raises((AccessDenied, NotFound)):
        investigations.investigations_on_case(other, case.uuid)
    assert counts() == before


def test_api_runs_an_investigation(anna, case, absence):
    api = client_for(anna)
    made = api.post(f"/api/v1/assessment/cases/{case.uuid}/investigations",
                    content_type="application/json", data={"started_on": "2025-03-03"})
    assert made.status_code == 201, made.content
    inv_id = made.json()["id"]
    base = f"/api/v1/assessment/investigations/{inv_id}"
    body = api.post(f"{base}/themes", content_type="application/json",
                    data={"theme": "barnets_udvikling.sundhed", "text": "Rask."}).json()
    assert body["notes"] == [{"theme": "barnets_udvikling.sundhed", "theme_title": "Sundhed",
                              "text": "Rask."}]
    body = api.post(f"{base}/requests", content_type="application/json",
                    data={"request_id": str(absence.uuid), "theme": "barnets_udvikling"}).json()
    assert body["requests"][0]["request_id"] == str(absence.uuid)
    early = api.post(f"{base}/conclusion", content_type="application/json",
                     data={"conclusion": "Færdig."})
    assert early.status_code == 422
    assert early.json()["error"]["code"] == "assessment.conversation_missing"
    api.post(f"{base}/conversation", content_type="application/json",
             data={"held": True, "held_on": "2025-03-07", "summary": "God samtale."})
    done = api.post(f"{base}/conclusion", content_type="application/json",
                    data={"conclusion": "Færdig."}).json()
    assert done["state"] == "afsluttet" and done["conversation"]["held"] is True
    assert len(api.get("/api/v1/assessment/ics/themes").json()) == 23


def test_api_denies_another_department_and_anonymous(carl, case, inv):
    url = f"/api/v1/assessment/investigations/{inv.uuid}"
    assert client_for(carl).get(url).status_code in (403, 404)
    assert Client().get(url).status_code == 401
    assert Client().post(f"{url}/conclusion", content_type="application/json",
                         data={"conclusion": "x"}).status_code == 401
    assert ChildInvestigation.objects.get().state == "igang"


# --- pages --------------------------------------------------------------------------------

def test_pages_run_an_investigation(anna, case, absence):
    page = client_for(anna)
    form = page.get(reverse("investigation-new", args=[case.uuid]))
    assert form.status_code == 200 and "Start børnefaglig undersøgelse" in form.content.decode()
    started = page.post(reverse("investigation-new", args=[case.uuid]),
                        {"started_on": "2025-03-03"})
    assert started.status_code == 302
    inv = ChildInvestigation.objects.get()
    html = page.get(started["Location"]).content.decode()
    for side in ("Barnets udvikling", "Forældrenes kompetencer", "Familie og netværk"):
        assert side in html
    assert "03.07.2025" in html  # the four-month limit
    assert page.post(reverse("investigation-theme", args=[inv.uuid]), {
        "theme": "barnets_udvikling.sundhed", "text": "Rask og glad."}).status_code == 302
    assert page.post(reverse("investigation-link", args=[inv.uuid]), {
        "request": str(absence.uuid), "theme": "barnets_udvikling.sundhed"}).status_code == 302
    assert page.post(reverse("investigation-conversation", args=[inv.uuid]), {
        "held": "nej", "reason_not_held": "Liva var syg."}).status_code == 302
    assert page.post(reverse("investigation-conclude", args=[inv.uuid]), {
        "conclusion": "Ingen foranstaltning."}).status_code == 302
    html = page.get(reverse("investigation-detail", args=[inv.uuid])).content.decode()
    assert "Rask og glad." in html and "Liva var syg." in html
    assert "Ingen foranstaltning." in html and absence.data_need.title in html


def test_page_shows_an_error_next_to_its_field_and_saves_nothing(anna, inv):
    before = counts()
    response = client_for(anna).post(reverse("investigation-conversation", args=[inv.uuid]),
                                     {"held": "ja", "held_on": "2025-03-07", "summary": ""})
    assert response.status_code == 400
    assert 'id="summary-error"' in response.content.decode()
    assert "Skriv et resumé af samtalen." in response.content.decode()
    assert counts() == before


def test_pages_deny_another_department_a_provider_and_anonymous(carl, gustav, case, inv):
    for user in (carl, gustav):
        assert client_for(user).get(
            reverse("investigation-detail", args=[inv.uuid])).status_code in (403, 404)
        assert client_for(user).post(reverse("investigation-conclude", args=[inv.uuid]),
                                     {"conclusion": "x"}).status_code in (403, 404)
        assert client_for(user).get(
            reverse("investigation-new", args=[case.uuid])).status_code in (403, 404)
    anonymous = Client().get(reverse("investigation-detail", args=[inv.uuid]))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert ChildInvestigation.objects.get().state == "igang"


def test_the_investigation_deadline_is_met_by_the_conclusion_not_by_hand(anna, inv):
    from helhed.cases import deadlines

    deadline = CaseDeadline.objects.get(kind=CaseDeadline.Kind.INVESTIGATION, met_at=None)
    error = refused("deadline.met_by_action", lambda: deadlines.meet(anna, deadline.uuid))
    assert "konklusion" in str(error.message)
    deadline.refresh_from_db()
    assert deadline.met_at is None


def test_the_case_page_offers_the_investigation_for_a_child_and_vum_for_an_adult(
        anna, carl, family, case):
    child_page = client_for(anna).get(reverse("case-detail", args=[case.uuid]))
    assert reverse("investigation-new", args=[case.uuid]) in child_page.content.decode()
    assert reverse("plan-new", args=[case.uuid]) in child_page.content.decode()
    assert "Ny voksenudredning" not in child_page.content.decode()
    adult = open_case(carl, family.mother, "Mette")
    adult_page = client_for(carl).get(reverse("case-detail", args=[adult.uuid])).content
    assert reverse("adult-assessment-new", args=[adult.uuid]) in adult_page.decode()
    assert "Start børnefaglig undersøgelse" not in adult_page.decode()


def test_starting_an_investigation_puts_an_opened_case_under_investigation(anna, case):
    """The case's state is what the legal-basis rule for exchanging information during a
    child investigation looks at (sharing/data/access_rules.json)."""
    from helhed.cases.models import Case

    assert Case.objects.get(pk=case.pk).state == Case.State.OPENED
    investigations.start_investigation(anna, case.uuid, started_on=START)
    assert Case.objects.get(pk=case.pk).state == Case.State.INVESTIGATION
    assert Change.objects.filter(case=case, action="cases.case.state_changed").exists()
