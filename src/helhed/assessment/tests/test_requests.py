"""Information requests, end to end through the services: anna asks Liva's school for her
absence on the basis of a consent from both custody holders; the school answers with
monthly percentages; the answer is filed on the case. And every way it must fail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from helhed.assessment import dashboard, services
from helhed.assessment.models import InformationAnswer, InformationRequest
from helhed.assessment.tests.helpers import (
    ADMISSIONS,
    SCHOOL_ABSENCE,
    SCHOOL_STATEMENT,
    make_consent,
    make_school_staff,
    make_unit,
    need,
    open_case,
    rows,
    withdraw,
)
from helhed.cases import services as cases
from helhed.cases.models import Change, Document, JournalEntry
from helhed.cases.tests.documents_helpers import EXE, pdf
from helhed.core import clock
from helhed.core.errors import AccessDenied, DomainError, NotFound
from helhed.core.models import AccessLogEntry, OutboxEvent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(NOW)


@pytest.fixture
def school(db):
    return make_unit("Helhed Skole")


@pytest.fixture
def teacher(school):
    return make_school_staff("sofie", school)


@pytest.fixture
def other_teacher(db):
    return make_school_staff("otto", make_unit("Nordskolen"), "Otto Olsen")


@pytest.fixture
def case(anna, family):
    return open_case(anna, family.liva)


@pytest.fixture
def consent(anna, family):
    return make_consent(family.liva, [family.mother, family.father], anna)


def ask(actor, case, school, **overrides):
    values = {
        "data_need_id": need(SCHOOL_ABSENCE).pk, "recipient_kind": "skole",
        "recipient_unit_id": school.pk, "purpose": "Liva har meget fravær ifølge mor.",
        "period_from": dt.date(2024, 10, 1), "period_to": dt.date(2025, 2, 28),
        "deadline": dt.date(2025, 3, 24),
    }
    values.update(overrides)
    return services.request_information(actor, case.uuid, **values)


def refused(code: str, call) -> DomainError:
    before = rows()
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, caught.value
    assert rows() == before
    return caught.value


ABSENCE = [{"month": "2024-10", "percent": "4,5"}, {"month": "2024-11", "percent": 12},
           {"month": "2025-01", "percent": "0"}, {"month": "", "percent": ""}]


# --- the round trip -----------------------------------------------------------------------

def test_school_absence_round_trip(anna, family, case, consent, school, teacher) -> None:
    request = ask(anna, case, school, consent_uuid=consent.uuid)
    assert request.state == "sendt"
    assert request.citizen == family.liva and request.category.code == "skolefravaer"
    assert request.basis_text.startswith("Samtykke fra Mette Hansen og Søren Ærø")
    sent = OutboxEvent.objects.get(type="assessment.information_request.sent")
    assert sent.envelope()["citizen"] == str(family.liva.uuid)
    assert "fravær" not in str(sent.payload).lower()  # no content in events

    inbox = services.requests_for(teacher)
    assert [r.uuid for r in inbox] == [request.uuid]
    assert (inbox[0].child_name, inbox[0].child_cpr) == ("Liva Ærø Hansen", "6402165004")
    assert inbox[0].structure == "fravaer" and inbox[0].requested_by == "Anna Andersen"

    clock.advance(dt.timedelta(days=2))
    reply = services.answer(teacher, request.uuid, text="Fraværet er mest om mandagen.",
                            structured_rows=ABSENCE,
                            file=("fravaer.pdf", pdf("Fraværsudskrift for Liva")))
    assert reply.structured == [{"month": "2024-10", "percent": 4.5},
                                {"month": "2024-11", "percent": 12.0},
                                {"month": "2025-01", "percent": 0.0}]
    assert reply.digital is True
    request.refresh_from_db()
    assert request.state == "besvaret"

    # On the case: a journal entry with the figures, the document, and the history.
    journal = cases.journal_of(anna, case)
    assert [e.title for e in journal] == ["Svar på indhentning: Fravær fra skole/andre "
                                          "uddannelser"]
    assert "november 2024: 12,0 %" in journal[0].text
    assert "mest om mandagen" in journal[0].text
    assert journal[0].author.user == teacher
    document = Document.objects.get(case=case)
    assert document.uploaded_by.user == teacher and document.filename == "fravaer.pdf"
    actions = [c.action for c in cases.history_of(anna, case)]
    assert actions[-6:] == ["assessment.information_request.sent", "cases.deadline.created",
                            "cases.journal.entry_added", "cases.document.added",
                            "assessment.information_request.answered", "cases.deadline.met"]
    answered = Change.objects.get(action="assessment.information_request.answered")
    assert answered.actor == teacher
    assert OutboxEvent.objects.filter(type="assessment.information_request.answered").count() == 1
    assert services.requests_of_case(anna, case)[0].answer == reply


def test_the_request_and_the_basis_are_in_the_access_log(anna, family, case, consent, school,
                                                         teacher) -> None:
    request = ask(anna, case, school, consent_uuid=consent.uuid)
    entry = AccessLogEntry.objects.filter(action="request").get()
    assert (entry.subject, entry.category, entry.allowed) == (family.liva.uuid,
                                                              "skolefravaer", True)
    assert entry.basis.startswith("Samtykke fra")
    services.supplier_request(teacher, request.uuid)
    look = AccessLogEntry.objects.filter(actor=teacher).get()
    assert look.allowed and look.basis.startswith("Indhentning fra Anna Andersen")


def test_a_rule_is_a_basis_too(anna, case, school) -> None:
    request = ask(anna, case, school, rule_code="boerneundersoegelse")
    assert request.access_rule.code == "boerneundersoegelse"
    assert request.basis_text.startswith("Hjemmel: Barnets lov § 20")


# --- refusals -----------------------------------------------------------------------------

def test_without_a_basis_nothing_is_saved_and_the_refusal_is_logged(anna, case, school) -> None:
    error = refused("assessment.basis_required", lambda: ask(anna, case, school))
    assert error.field == "basis" and "Liva Ærø Hansen" in error.message
    entry = AccessLogEntry.objects.get(action="request")
    assert not entry.allowed


def test_a_withdrawn_consent_blocks_the_next_request(anna, case, consent, school) -> None:
    ask(anna, case, school, consent_uuid=consent.uuid)
    withdraw(consent)
    error = refused("assessment.consent_withdrawn",
                    lambda: ask(anna, case, school, consent_uuid=consent.uuid))
    assert "10.03.2025" in error.message


@pytest.mark.parametrize(("setup", "code"), [
    ({"categories": ("sundhed",)}, "assessment.consent_category"),
    ({"valid_to": dt.date(2025, 3, 1), "valid_from": dt.date(2024, 3, 1)},
     "assessment.consent_not_valid"),
    ({"from_departments": ("dagtilbud",)}, "assessment.consent_source"),
])
def test_a_consent_must_cover_the_request(anna, family, case, school, setup, code) -> None:
    consent = make_consent(family.liva, [family.mother, family.father], anna, **setup)
    refused(code, lambda: ask(anna, case, school, consent_uuid=consent.uuid))


def test_a_consent_of_another_citizen_is_no_basis(anna, family, case, school) -> None:
    noahs = make_consent(family.noah, [family.mother, family.father], anna)
    refused("assessment.consent_unknown",
            lambda: ask(anna, case, school, consent_uuid=noahs.uuid))


def test_a_rule_must_cover_role_and_category(anna, carl, family, case, school) -> None:
    refused("assessment.rule_role",
            lambda: ask(anna, case, school, rule_code="helhedsorienteret-indsats"))
    refused("assessment.rule_unknown", lambda: ask(anna, case, school, rule_code="nej"))


def test_only_caseworkers_with_the_case_may_ask(carl, teacher, case, consent, school) -> None:
    for actor in (carl, teacher):
        before = rows()
        with pytest.raises(AccessDenied):
            ask(actor, case, school, consent_uuid=consent.uuid)
        assert rows() == before


@pytest.mark.parametrize(("overrides", "code", "field"), [
    ({"data_need_id": None}, "assessment.need_required", "data_need"),
    ({"recipient_kind": "nabo"}, "assessment.recipient_kind_invalid", "recipient_kind"),
    ({"recipient_unit_id": None}, "assessment.recipient_unit_required", "recipient_unit"),
    ({"recipient_kind": "dagtilbud"}, "assessment.recipient_unit_required", "recipient_unit"),
    ({"recipient_kind": "laege"}, "assessment.recipient_name_required", "recipient_name"),
    ({"recipient_kind": "afdeling"}, "assessment.recipient_department_required",
     "recipient_department"),
    ({"period_to": dt.date(2024, 1, 1)}, "assessment.period_order", "period_to"),
    ({"period_from": None}, "assessment.period_required", "period_from"),
    ({"deadline": dt.date(2025, 3, 10)}, "assessment.deadline_past", "deadline"),
    ({"purpose": "x" * 2001}, "assessment.purpose_too_long", "purpose"),
])
def test_bad_input_is_refused_next_to_its_field(anna, case, consent, school, overrides, code,
                                                 field) -> None:
    error = refused(code, lambda: ask(anna, case, school, consent_uuid=consent.uuid,
                                      **overrides))
    assert error.field == field


# --- the supplier sees the request, not the case ------------------------------------------

def test_the_supplier_sees_only_the_request(anna, case, consent, school, teacher) -> None:
    request = ask(anna, case, school, consent_uuid=consent.uuid)
    view = services.supplier_request(teacher, request.uuid)
    assert not hasattr(view, "case")
    assert case.number not in str(view.__dict__) and case.title not in str(view.__dict__)
    with pytest.raises(AccessDenied):
        cases.get_case(teacher, case.uuid)
    with pytest.raises(AccessDenied):
        cases.journal_of(teacher, case)
    with pytest.raises(AccessDenied):
        services.get_request(teacher, request.uuid)


def test_other_schools_staff_cannot_see_or_answer(anna, case, consent, school, teacher,
                                                  other_teacher) -> None:
    request = ask(anna, case, school, consent_uuid=consent.uuid)
    assert services.requests_for(other_teacher) == []
    with pytest.raises(NotFound):
        services.supplier_request(other_teacher, request.uuid)
    before = rows()
    with pytest.raises(NotFound):
        services.answer(other_teacher, request.uuid, text="Hun er aldrig her.")
    assert rows() == before
    denied = AccessLogEntry.objects.filter(actor=other_teacher, allowed=False)
    assert denied.count() == 2
    # Caseworkers cannot answer a request to a school either.
    with pytest.raises(NotFound):
        services.answer(anna, request.uuid, text="Jeg svarer selv.")


def test_an_answered_request_cannot_be_answered_again(anna, case, consent, school,
                                                      teacher) -> None:
    request = ask(anna, case, school, consent_uuid=consent.uuid)
    services.answer(teacher, request.uuid, structured_rows=ABSENCE)
    refused("assessment.request_closed",
            lambda: services.answer(teacher, request.uuid, text="Igen"))


# --- structured validation ----------------------------------------------------------------

@pytest.mark.parametrize(("rows_in", "code"), [
    ([{"month": "2024-11", "percent": 101}], "assessment.percent_invalid"),
    ([{"month": "2024-11", "percent": "-1"}], "assessment.percent_invalid"),
    ([{"month": "2024-11", "percent": "meget"}], "assessment.percent_invalid"),
    ([{"month": "2024-09", "percent": 5}], "assessment.month_outside_period"),
    ([{"month": "2025-03", "percent": 5}], "assessment.month_outside_period"),
    ([{"month": "nov", "percent": 5}], "assessment.month_invalid"),
    ([{"month": "2024-11", "percent": 5}, {"month": "2024-11", "percent": 6}],
     "assessment.month_repeated"),
    ("ikke en liste", "assessment.structured_invalid"),
])
def test_absence_rows_are_checked(anna, case, consent, school, teacher, rows_in, code) -> None:
    request = ask(anna, case, school, consent_uuid=consent.uuid)
    error = refused(code, lambda: services.answer(teacher, request.uuid,
                                                  structured_rows=rows_in))
    assert error.field == "structured"


def test_an_empty_answer_or_a_bad_file_is_refused(anna, case, consent, school,
                                                  teacher) -> None:
    request = ask(anna, case, school, consent_uuid=consent.uuid)
    refused("assessment.answer_empty", lambda: services.answer(teacher, request.uuid))
    refused("document.type_not_allowed",
            lambda: services.answer(teacher, request.uuid, text="Se bilag",
                                    file=("x.pdf", EXE)))


def test_admissions_are_checked_and_filed(carl, family) -> None:
    adult_case = open_case(carl, family.mother, "Støtte til Mette")
    consent = make_consent(family.mother, [family.mother], carl, ("indlaeggelser",))
    request = services.request_information(
        carl, adult_case.uuid, data_need_id=need(ADMISSIONS).pk, recipient_kind="hospital",
        recipient_name="Regionshospitalet, Psykiatrisk afdeling",
        consent_uuid=consent.uuid, period_from=dt.date(2024, 1, 1),
        period_to=dt.date(2024, 12, 31), deadline=dt.date(2025, 4, 1))
    for bad, code in [
        ([{"from": "2024-05-10", "to": "2024-05-01", "ward": "P1"}], "assessment.dates_order"),
        ([{"from": "2023-05-10", "to": "2023-05-12", "ward": "P1"}],
         "assessment.admission_outside_period"),
        ([{"from": "2024-05-10", "to": "", "ward": ""}], "assessment.ward_required"),
        ([{"from": "10.05.2024", "to": "", "ward": "P1"}], "assessment.date_invalid"),
    ]:
        refused(code, lambda bad=bad: services.answer(carl, request.uuid, structured_rows=bad))
    # An external recipient answers by post: the caseworker registers it (not digital).
    reply = services.answer(carl, request.uuid, structured_rows=[
        {"from": "2024-05-01", "to": "2024-05-10", "ward": "Psykiatrisk afsnit P1"},
        {"from": "2024-12-20", "to": "", "ward": "Akutmodtagelsen"}])
    assert reply.digital is False
    assert reply.structured[1] == {"from": "2024-12-20", "to": None, "ward": "Akutmodtagelsen"}
    text = JournalEntry.objects.get(case=adult_case).text
    assert "01.05.2024–10.05.2024: Psykiatrisk afsnit P1" in text
    assert "fortsat indlagt" in text


def test_free_text_needs_take_no_rows(anna, case, school, teacher) -> None:
    request = ask(anna, case, school, rule_code="boerneundersoegelse",
                  data_need_id=need(SCHOOL_STATEMENT).pk)
    refused("assessment.structured_not_expected",
            lambda: services.answer(teacher, request.uuid, structured_rows=ABSENCE))
    assert services.answer(teacher, request.uuid, text="Liva trives fagligt.").text


# --- cancelling, reminders ----------------------------------------------------------------

def test_a_request_can_be_cancelled_with_a_reason(anna, case, consent, school,
                                                  teacher) -> None:
    request = ask(anna, case, school, consent_uuid=consent.uuid)
    refused("assessment.reason_required", lambda: services.cancel(anna, request.uuid, " "))
    services.cancel(anna, request.uuid, "Mor har selv sendt udskriften.")
    refused("assessment.request_closed",
            lambda: services.answer(teacher, request.uuid, text="For sent"))


def test_overdue_requests_are_reminded_once_a_day(anna, case, consent, school) -> None:
    request = ask(anna, case, school, consent_uuid=consent.uuid)
    assert services.remind_overdue(clock.now()) == 0  # not due yet
    clock.freeze(dt.datetime(2025, 3, 25, 6, 0, tzinfo=dt.UTC))  # the day after the deadline
    assert services.remind_overdue() == 1
    assert services.remind_overdue() == 0
    call_command("remind_requests")  # the management command, same day: nothing more
    request.refresh_from_db()
    assert (request.state, request.reminders_sent) == ("overskredet", 1)
    clock.advance(dt.timedelta(hours=20))  # the next day
    call_command("remind_requests")
    request.refresh_from_db()
    assert request.reminders_sent == 2
    assert OutboxEvent.objects.filter(type="assessment.information_request.reminded").count() == 2
    assert Change.objects.filter(action="assessment.information_request.reminded").count() == 2


def test_answered_requests_are_not_reminded(anna, case, consent, school, teacher) -> None:
    request = ask(anna, case, school, consent_uuid=consent.uuid)
    services.answer(teacher, request.uuid, text="Intet fravær.")
    clock.freeze(dt.datetime(2025, 4, 25, 6, 0, tzinfo=dt.UTC))
    assert services.remind_overdue() == 0


# --- the dashboard ------------------------------------------------------------------------

def test_the_dashboard_counts_the_minutes_of_digital_answers(anna, frida, carl, family, case,
                                                             consent, school,
                                                             teacher) -> None:
    first = ask(anna, case, school, consent_uuid=consent.uuid)
    second = ask(anna, case, school, rule_code="boerneundersoegelse",
                 data_need_id=need(SCHOOL_STATEMENT).pk)
    ask(anna, case, school, consent_uuid=consent.uuid)  # still open
    services.answer(teacher, first.uuid, structured_rows=ABSENCE)
    clock.freeze(dt.datetime(2025, 4, 2, 9, 0, tzinfo=dt.UTC))
    services.answer(teacher, second.uuid, text="Liva trives.")
    # Registered by a caseworker from a letter: not counted.
    adult_case = open_case(carl, family.mother, "Støtte")
    adults = make_consent(family.mother, [family.mother], carl, ("indlaeggelser",))
    letter = services.request_information(
        carl, adult_case.uuid, data_need_id=need(ADMISSIONS).pk, recipient_kind="laege",
        recipient_name="Lægehuset", consent_uuid=adults.uuid, period_from=dt.date(2024, 1, 1),
        period_to=dt.date(2024, 12, 31), deadline=dt.date(2025, 5, 1))
    services.answer(carl, letter.uuid, text="Ingen indlæggelser.")

    figures = dashboard.savings(frida)
    absence, statement = need(SCHOOL_ABSENCE), need(SCHOOL_STATEMENT)
    m1 = absence.minutes_request + absence.minutes_delivery + absence.minutes_documentation
    m2 = (statement.minutes_request + statement.minutes_delivery
          + statement.minutes_documentation)
    assert (m1, m2) == (27, 29)
    assert [(r.label, r.answered, r.minutes) for r in figures.months] == [
        ("marts 2025", 1, m1), ("april 2025", 1, m2)]
    assert [(r.label, r.answered, r.minutes) for r in figures.departments] == [
        ("Børn og Familie", 2, m1 + m2)]
    assert (figures.total.answered, figures.total.minutes) == (2, 56)
    assert figures.registered_by_caseworker == 1
    assert figures.open == 1


def test_the_dashboard_is_not_for_school_staff(teacher, gustav) -> None:
    for actor in (teacher, gustav):
        with pytest.raises(AccessDenied):
            dashboard.savings(actor)


def test_answers_are_one_per_request(anna, case, consent, school, teacher) -> None:
    request = ask(anna, case, school, consent_uuid=consent.uuid)
    services.answer(teacher, request.uuid, text="Intet fravær.")
    assert InformationAnswer.objects.filter(request=request).count() == 1
    assert InformationRequest.objects.get(pk=request.pk).closed_at is not None
