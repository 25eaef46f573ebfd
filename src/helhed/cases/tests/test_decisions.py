"""Decisions: who gets a letter, the complaint guidance, history and events, the lifecycle,
bad input and who is refused; the pages and the API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from helhed.cases import decisions, services
from helhed.cases.models import Case, Change, Decision, Letter
from helhed.catalogue.models import LegalBasis
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput
from helhed.core.models import AccessLogEntry, OutboxEvent
from helhed.messaging.models import OutboundMessage
from helhed.people.models import ContactDetails, Guardianship
from helhed.testing.personas import make_citizen
from helhed.web.tests.helpers import assert_danish_and_labelled

from .decision_helpers import (
    NOW,
    REASONS,
    open_adult_case,
    open_child_case,
    pdf_text,
    table_counts,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/cases"


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


@pytest.fixture
def liva_case(anna, family):
    return open_child_case(anna, family.liva)


def decide(actor, case, **kwargs):
    values = {"title": "Aflastning i weekender", "outcome": "bevilget",
              "legal_basis_code": "bl-32", "reasons": REASONS} | kwargs
    return decisions.make_decision(actor, case.uuid, **values)


# --- parties and letters ------------------------------------------------------------------

def test_a_ten_year_old_and_both_custody_holders_each_get_a_letter(anna, family, liva_case):
    decision = decide(anna, liva_case)

    letters = {(x.recipient, x.recipient_role) for x in Letter.objects.filter(decision=decision)}
    assert letters == {(family.liva, "barn"), (family.mother, "forældremyndighed"),
                       (family.father, "forældremyndighed")}
    sent = OutboundMessage.objects.filter(source_type="letter")
    assert {m.recipient for m in sent} == {family.liva, family.mother, family.father}
    assert {m.channel for m in sent} == {"digital_post"}
    assert all(m.attachment_type == "application/pdf" and bytes(m.attachment).startswith(b"%PDF")
               for m in sent)
    letter = Letter.objects.get(decision=decision, recipient=family.liva)
    assert letter.sent_at == NOW and letter.channel == "digital_post"
    assert letter.delivery_id == str(sent.get(recipient=family.liva).uuid)


def test_a_six_year_old_gets_no_letter_of_its_own(anna, family):
    case = open_child_case(anna, family.noah)
    decision = decide(anna, case)

    assert set(Letter.objects.filter(decision=decision).values_list("recipient_role", flat=True)
               ) == {"forældremyndighed"}
    assert Letter.objects.filter(decision=decision).count() == 2


def test_an_adult_and_her_guardian_get_letters_the_exempt_guardian_by_physical_post(
        carl, family):
    Guardianship.objects.create(ward=family.mother, guardian=family.partner,
                                scope=Guardianship.Scope.PERSONAL,
                                valid_from=dt.date(2024, 1, 1), registered_at=NOW)
    ContactDetails.objects.create(citizen=family.partner, exempt_from_digital_post=True,
                                  valid_from=dt.date(2024, 1, 1), registered_at=NOW)
    case = open_adult_case(carl, family.mother)
    decision = decide(carl, case, title="Socialpædagogisk støtte", legal_basis_code="sel-85")

    letters = {x.recipient: x for x in Letter.objects.filter(decision=decision)}
    assert letters[family.mother].recipient_role == "part"
    assert letters[family.partner].recipient_role == "vaerge"
    assert letters[family.mother].channel == "digital_post"
    assert letters[family.partner].channel == "fysisk_post"
    history = Change.objects.get(object_uuid=letters[family.partner].uuid)
    assert "fritaget for Digital Post" in " ".join(history.after["notes"])
    assert "serviceloven" in decision.complaint_guidance


def test_the_complaint_guidance_comes_from_the_laws_template(anna, carl, dorte, family):
    child = decide(anna, open_child_case(anna, family.liva))
    adult = decide(carl, open_adult_case(carl, family.mother), legal_basis_code="sel-85")
    job = decide(dorte, open_adult_case(dorte, family.father, kle_numbers=["15"]),
                 legal_basis_code="lab-57")
    other = decide(carl, open_adult_case(carl, family.partner), legal_basis_code="rsl-3")

    assert "barnets lov" in child.complaint_guidance
    assert "10 år eller derover kan selv klage" in child.complaint_guidance
    assert "serviceloven" in adult.complaint_guidance
    assert "jobcentret" in job.complaint_guidance
    rsl = LegalBasis.objects.get(code="rsl-3")
    assert other.complaint_guidance.endswith(f"truffet efter {rsl.law} § 3.")  # the default
    assert "serviceloven" not in other.complaint_guidance
    for decision in (child, adult, job, other):
        assert "$" not in decision.complaint_guidance  # every placeholder filled in
        assert "Helhed Kommune" in decision.complaint_guidance
        assert decision.complaint_deadline == dt.date(2026, 12, 21)
        assert "21. december 2026" in decision.complaint_guidance


def test_a_deadline_on_a_weekend_moves_to_monday(anna, liva_case):
    clock.freeze(dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC))  # a Saturday
    decision = decide(anna, liva_case)

    assert decision.complaint_deadline == dt.date(2026, 12, 28)  # not Saturday the 26th
    assert decisions.complaint_deadline(dt.date(2026, 11, 23), 28) == dt.date(2026, 12, 21)


@pytest.mark.parametrize(("decided_on", "expected"), [
    (dt.date(2029, 11, 28), dt.date(2029, 12, 27)),  # 2. juledag, a Wednesday
    (dt.date(2027, 3, 1), dt.date(2027, 3, 30)),     # 2. påskedag
    (dt.date(2027, 2, 25), dt.date(2027, 3, 30)),    # skærtorsdag, then all of Easter
    (dt.date(2026, 4, 16), dt.date(2026, 5, 15)),    # Kristi himmelfartsdag
    (dt.date(2026, 11, 26), dt.date(2026, 12, 28)),  # juleaftensdag, juledag, the weekend
    (dt.date(2026, 5, 8), dt.date(2026, 6, 8)),      # grundlovsdag, a Friday
    (dt.date(2026, 12, 3), dt.date(2027, 1, 4)),     # nytårsaften, nytårsdag, the weekend
    (dt.date(2027, 3, 2), dt.date(2027, 3, 30)),     # an ordinary Tuesday stays
])
def test_a_complaint_deadline_on_a_holiday_moves_to_the_next_hverdag(decided_on, expected):
    assert decisions.complaint_deadline(decided_on, 28) == expected


def test_the_municipalitys_closing_days_do_not_lengthen_the_complaint_deadline(settings):
    settings.HELHED_CLOSING_DAYS = ["2026-05-15", "12-24"]
    assert decisions.complaint_deadline(dt.date(2026, 4, 17), 28) == dt.date(2026, 5, 15)


def test_a_decision_whose_four_weeks_end_on_easter_monday_runs_to_tuesday(anna, family):
    clock.freeze(dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC))
    decision = decide(anna, open_child_case(anna, family.liva))

    assert decision.complaint_deadline == dt.date(2027, 3, 30)  # not 2. påskedag the 29th
    assert "senest den 30. marts 2027" in decision.complaint_guidance
    letter = Letter.objects.filter(decision=decision).first()
    assert letter is not None and "30. marts 2027" in pdf_text(bytes(letter.pdf))


def test_the_decision_and_each_letter_are_in_the_history_with_events(anna, family, liva_case):
    decision = decide(anna, liva_case)

    made = Change.objects.get(object_uuid=decision.uuid)
    assert made.action == "cases.decision.made" and made.actor == anna
    assert made.after["legal_basis"].startswith("Barnets lov § 32")
    assert made.summary == "Afgørelse om aflastning i weekender"
    assert Change.objects.filter(case=liva_case, action="cases.letter.sent").count() == 3
    events = OutboxEvent.objects.filter(type__startswith="cases.")
    assert events.filter(type="cases.decision.made").count() == 1
    assert events.filter(type="cases.letter.sent").count() == 3
    assert OutboxEvent.objects.filter(type="messaging.message.sent").count() == 3
    for event in OutboxEvent.objects.filter(type__in=["cases.decision.made",
                                                      "cases.letter.sent"]):
        assert event.citizen == family.liva.uuid
        assert "Aflastning" not in json.dumps(event.payload)  # no content in events
        assert "Søren" not in json.dumps(event.payload)


def test_the_lifecycle_hook_runs_in_the_same_transaction(anna, liva_case):
    decide(anna, liva_case)

    liva_case.refresh_from_db()
    assert liva_case.state == Case.State.DELIVERY  # closing rule: when delivery ends


def test_letters_can_be_made_without_sending_them(anna, liva_case):
    decision = decide(anna, liva_case, send=False)

    assert Letter.objects.filter(decision=decision, sent_at__isnull=True, channel="").count() == 3
    assert not OutboundMessage.objects.exists()
    assert Change.objects.filter(action="cases.letter.created").count() == 3


# --- bad input: a clear Danish message, nothing saved ------------------------------------

@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"legal_basis_code": ""}, "decision.legal_basis_required", "legal_basis"),
    ({"legal_basis_code": None}, "decision.legal_basis_required", "legal_basis"),
    ({"legal_basis_code": "sel-999"}, "legal_basis.unknown", "legal_basis"),
    ({"reasons": "  "}, "decision.reasons_required", "reasons"),
    ({"title": ""}, "decision.title_required", "title"),
    ({"outcome": "maaske"}, "decision.outcome_invalid", "outcome"),
    ({"citizen_display": "alt"}, "decision.citizen_display_invalid", "citizen_display"),
])
def test_bad_input_is_refused_and_nothing_is_saved(anna, liva_case, changes, code, field):
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        decide(anna, liva_case, **changes)

    assert (error.value.code, error.value.field) == (code, field)
    assert error.value.message  # Danish, for people
    assert table_counts() == before


def test_an_expired_legal_basis_is_refused(anna, liva_case):
    LegalBasis.objects.create(code="sel-52", law="Serviceloven", law_short="SEL",
                              paragraph="§ 52", title="Foranstaltninger (før barnets lov)",
                              valid_to=dt.date(2024, 1, 1))
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        decide(anna, liva_case, legal_basis_code="sel-52")

    assert error.value.code == "legal_basis.expired"
    assert "udgået" in error.value.message
    assert table_counts() == before


def test_no_decision_on_a_closed_case(anna, liva_case):
    services.close_case(anna, liva_case.uuid, reason="Afsluttet uden afgørelse")
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        decide(anna, liva_case)

    assert error.value.code == "case.closed"
    assert table_counts() == before


def test_a_child_without_anyone_to_send_to_is_refused(anna):
    orphan = make_citizen("6101215012", "Ida", "Ingen", "K", dt.date(2021, 1, 1))
    case = open_child_case(anna, orphan)
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        decide(anna, case)

    assert error.value.code == "decision.no_parties"
    assert table_counts() == before


def test_an_unknown_adapter_is_a_configuration_error_and_saves_nothing(anna, liva_case,
                                                                         settings):
    settings.HELHED_DIGITAL_POST_ADAPTER = "brevdue"
    before = table_counts()
    with pytest.raises(ImproperlyConfigured):
        decide(anna, liva_case)

    assert table_counts() == before


# --- who is refused -----------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["carl", "gustav", "outsider", "hanne"])
def test_others_cannot_decide_on_a_childs_case(request, persona, liva_case):
    user = request.getfixturevalue(persona)
    before = table_counts()
    with pytest.raises(AccessDenied):
        decide(user, liva_case)

    assert table_counts() == before


def test_a_refusal_is_in_the_access_log(carl, liva_case):
    with pytest.raises(AccessDenied):
        decide(carl, liva_case)

    assert AccessLogEntry.objects.filter(actor=carl, allowed=False, action="write").exists()


def test_anonymous_cannot_decide(liva_case):
    with pytest.raises(AccessDenied):
        decide(AnonymousUser(), liva_case)


def test_a_colleague_reads_the_decision_and_its_letters_another_department_does_not(
        anna, bo, carl, family, liva_case):
    decision = decide(anna, liva_case)
    letter = Letter.objects.get(decision=decision, recipient=family.liva)

    assert decisions.get_decision(bo, decision.uuid) == decision
    assert [d.uuid for d in decisions.decisions_of(bo, liva_case)] == [decision.uuid]
    assert "Liva" in pdf_text(decisions.letter_pdf(bo, letter.uuid)[1])
    for read in (lambda: decisions.get_decision(carl, decision.uuid),
                 lambda: decisions.letter_pdf(carl, letter.uuid),
                 lambda: decisions.decisions_of(carl, liva_case)):
        with pytest.raises(AccessDenied):
            read()


# --- pages --------------------------------------------------------------------------------

def test_the_form_shows_who_will_get_a_letter(client, anna, family, liva_case):
    client.force_login(anna)
    response = client.get(f"/sager/{liva_case.uuid}/afgoerelser/ny/")

    assert response.status_code == 200
    assert_danish_and_labelled(response)
    text = response.content.decode()
    assert 'id="letter-recipients"' in text
    for name in ("Liva Ærø Hansen", "Mette Hansen", "Søren Ærø"):
        assert name in text
    assert "Barnets lov § 32 – Støttende indsatser" in text
    assert 'name="legal_basis"' in text and 'name="reasons"' in text


def test_a_decision_without_legal_basis_shows_the_error_next_to_the_field(client, anna,
                                                                          liva_case):
    client.force_login(anna)
    before = table_counts()
    response = client.post(f"/sager/{liva_case.uuid}/afgoerelser/ny/", {
        "title": "Aflastning", "outcome": "bevilget", "legal_basis": "",
        "reasons": REASONS, "citizen_display": "fuld"})

    assert response.status_code == 400
    text = response.content.decode()
    assert 'id="legal_basis-error"' in text and "Vælg lovgrundlaget" in text
    assert "Aflastning" in text  # what was typed is kept
    assert table_counts() == before


def test_making_a_decision_in_the_browser_shows_it_with_guidance_and_letters(
        client, anna, family, liva_case):
    client.force_login(anna)
    response = client.post(f"/sager/{liva_case.uuid}/afgoerelser/ny/", {
        "title": "Aflastning i weekender", "outcome": "bevilget", "legal_basis": "bl-32",
        "reasons": REASONS, "citizen_display": "fuld"}, follow=True)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Afgørelse om aflastning i weekender" in text
    assert "Klagevejledning" in text and "Ankestyrelsen" in text
    decision = Decision.objects.get(case=liva_case)
    links = [f"/breve/{x.uuid}/pdf/" for x in Letter.objects.filter(decision=decision)]
    assert len(links) == 3 and all(link in text for link in links)
    letter = Letter.objects.get(decision=decision, recipient=family.liva)
    pdf = client.get(f"/breve/{letter.uuid}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")
    assert "object-src 'self'" in pdf["Content-Security-Policy"]
    assert "Liva Ærø Hansen" in pdf_text(pdf.content) and "Klagevejledning" in pdf_text(
        pdf.content)


def test_the_case_page_lists_the_decision_and_its_letters(client, anna, liva_case):
    decision = decide(anna, liva_case)
    client.force_login(anna)
    text = client.get(f"/sager/{liva_case.uuid}/").content.decode()

    assert 'id="decisions"' in text and f"/afgoerelser/{decision.uuid}/" in text
    assert text.count("/breve/") == 3


def test_another_department_gets_no_decision_pages(client, anna, carl, liva_case):
    decision = decide(anna, liva_case)
    letter = Letter.objects.filter(decision=decision).first()
    client.force_login(carl)

    assert client.get(f"/sager/{liva_case.uuid}/afgoerelser/ny/").status_code == 403
    assert client.get(f"/afgoerelser/{decision.uuid}/").status_code == 403
    assert client.get(f"/breve/{letter.uuid}/pdf/").status_code == 403
    before = table_counts()
    assert client.post(f"/sager/{liva_case.uuid}/afgoerelser/ny/", {
        "title": "X", "outcome": "afslag", "legal_basis": "bl-32",
        "reasons": "Y"}).status_code == 403
    assert table_counts() == before


def test_anonymous_is_sent_to_login(client, liva_case):
    response = client.get(f"/sager/{liva_case.uuid}/afgoerelser/ny/")
    assert response.status_code == 302 and response.url.startswith("/login/")


# --- API ----------------------------------------------------------------------------------

def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_makes_a_decision_and_serves_its_letters(client, anna, family, liva_case):
    client.force_login(anna)
    response = post_json(client, f"{API}/cases/{liva_case.uuid}/decisions", {
        "title": "Aflastning i weekender", "outcome": "bevilget", "legal_basis": "bl-32",
        "reasons": REASONS})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["legal_basis"] == "bl-32" and body["complaint_deadline"] == "2026-12-21"
    assert {x["recipient_role"] for x in body["letters"]} == {"barn", "forældremyndighed"}
    again = client.get(f"{API}/decisions/{body['id']}").json()
    assert again["id"] == body["id"] and len(again["letters"]) == 3
    child = next(x for x in body["letters"] if x["recipient_role"] == "barn")
    pdf = client.get(child["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Liva" in pdf_text(pdf.content)


def test_the_api_refuses_a_decision_without_legal_basis_and_saves_nothing(client, anna,
                                                                          liva_case):
    client.force_login(anna)
    before = table_counts()
    response = post_json(client, f"{API}/cases/{liva_case.uuid}/decisions", {
        "title": "Aflastning", "outcome": "bevilget", "reasons": REASONS})

    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("decision.legal_basis_required", "legal_basis")
    assert table_counts() == before


@pytest.mark.parametrize(("persona", "status"), [("carl", 403), ("gustav", 403),
                                                 ("outsider", 403)])
def test_the_api_refuses_others(request, client, anna, liva_case, persona, status):
    decision = decide(anna, liva_case)
    letter = Letter.objects.filter(decision=decision).first()
    client.force_login(request.getfixturevalue(persona))
    before = table_counts()

    response = post_json(client, f"{API}/cases/{liva_case.uuid}/decisions", {
        "title": "X", "outcome": "afslag", "legal_basis": "bl-32", "reasons": "Y"})
    assert response.status_code == status
    assert response.json()["error"]["code"] == "access.denied"
    assert client.get(f"{API}/decisions/{decision.uuid}").status_code == status
    assert client.get(f"{API}/letters/{letter.uuid}/pdf").status_code == status
    assert table_counts() == before


def test_the_api_refuses_anonymous(client, anna, liva_case):
    decision = decide(anna, liva_case)
    response = post_json(client, f"{API}/cases/{liva_case.uuid}/decisions", {"title": "X"})
    assert response.status_code == 401
    assert client.get(f"{API}/decisions/{decision.uuid}").status_code == 401


def test_unknown_ids_are_not_found(client, anna):
    client.force_login(anna)
    assert client.get(f"{API}/decisions/nope").json()["error"]["code"] == "decision.not_found"
    assert client.get(f"{API}/letters/{NOW.year}/pdf").json()["error"]["code"] == (
        "letter.not_found")
    response = post_json(client, f"{API}/cases/00000000-0000-0000-0000-000000000000/decisions",
                         {"title": "X"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "case.not_found"
