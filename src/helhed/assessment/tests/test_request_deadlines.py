"""An information request's answer deadline is on the requester's work list: asking puts it
there (in the same transaction as the request), the supplier's answer meets it, cancelling
waives it with the reason, and a request past its deadline is on top as overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from helhed.assessment import services
from helhed.assessment.models import InformationRequest
from helhed.assessment.tests.helpers import (
    SCHOOL_ABSENCE,
    make_consent,
    make_school_staff,
    make_unit,
    need,
    open_case,
    rows,
)
from helhed.cases import deadlines, worklist
from helhed.cases import services as cases
from helhed.cases.models import CaseDeadline, Change
from helhed.core import clock
from helhed.core.errors import InvalidInput
from helhed.core.models import OutboxEvent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)  # a Monday
ANSWER_BY = dt.date(2025, 3, 24)


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
def case(anna, family):
    return open_case(anna, family.liva)


@pytest.fixture
def request_(anna, family, case, school):
    consent = make_consent(family.liva, [family.mother, family.father], anna)
    return services.request_information(
        anna, case.uuid, data_need_id=need(SCHOOL_ABSENCE).pk, recipient_kind="skole",
        recipient_unit_id=school.pk, purpose="Liva har meget fravær ifølge mor.",
        period_from=dt.date(2024, 10, 1), period_to=dt.date(2025, 2, 28),
        deadline=ANSWER_BY, consent_uuid=consent.uuid)


def open_titles(actor) -> list[str]:
    return [item.deadline.title for item in worklist.work_list(actor).items]


def test_the_request_puts_its_answer_deadline_on_the_requesters_work_list(anna, bo, request_):
    found = worklist.work_list(anna)
    assert [i.deadline.title for i in found.items] == ["Svar på indhentning: Helhed Skole"]
    row = found.items[0].deadline
    assert row.kind == CaseDeadline.Kind.INFORMATION_REQUEST
    assert row.responsible.user == anna and row.case == request_.case
    assert row.citizen == request_.citizen
    # Due at the end of the answer day, Danish time (23:59:59 CET is 22:59:59 UTC).
    assert row.due_at == dt.datetime(2025, 3, 24, 22, 59, 59, tzinfo=dt.UTC)
    assert not found.items[0].overdue
    request_.refresh_from_db()
    assert request_.case_deadline == row
    # A colleague's own list does not carry it; the unit's list does.
    assert open_titles(bo) == []
    assert [i.deadline.pk for i in worklist.work_list(bo, scope="unit").items] == [row.pk]


def test_the_deadline_is_in_the_history_with_its_event(anna, request_):
    change = Change.objects.get(action="cases.deadline.created")
    assert change.case == request_.case and change.summary == "Svar på indhentning: Helhed Skole"
    assert change.after["kind"] == "indhentning"
    event = OutboxEvent.objects.get(type="cases.deadline.created")
    assert event.payload["kind"] == "indhentning"
    assert event.envelope()["citizen"] == str(request_.citizen.uuid)


def test_a_request_that_cannot_get_its_deadline_is_not_sent(anna, case, school, family,
                                                            monkeypatch):
    consent = make_consent(family.liva, [family.mother, family.father], anna)
    before = rows()

    def broken(*args, **kwargs):
        raise RuntimeError("the work list is down")

    monkeypatch.setattr(deadlines, "add_for_case", broken)
    with pytest.raises(RuntimeError):
        services.request_information(
            anna, case.uuid, data_need_id=need(SCHOOL_ABSENCE).pk, recipient_kind="skole",
            recipient_unit_id=school.pk, period_from=dt.date(2024, 10, 1),
            period_to=dt.date(2025, 2, 28), deadline=ANSWER_BY, consent_uuid=consent.uuid)
    assert rows() == before  # no request, no history, no event without its deadline
    assert not InformationRequest.objects.exists()


def test_the_answer_takes_it_off_the_open_list(anna, teacher, request_):
    clock.advance(dt.timedelta(days=2))
    services.answer(teacher, request_.uuid, text="Fraværet er mest om mandagen.")
    assert open_titles(anna) == []
    row = CaseDeadline.objects.get(kind="indhentning")
    assert row.met_at == clock.now() and not row.open
    met = Change.objects.get(action="cases.deadline.met")
    assert met.actor == teacher and met.before == {"met_at": None}
    assert OutboxEvent.objects.filter(type="cases.deadline.met").count() == 1
    # The case page still shows it, as met.
    shown = deadlines.deadlines_of_case(anna, request_.case)
    assert [(d.title, d.open) for d in shown] == [("Svar på indhentning: Helhed Skole", False)]


def test_an_overdue_request_is_on_top_of_the_list(anna, family, case, request_):
    later = deadlines.add_manual(anna, case.uuid, title="Hjemmebesøg",
                                 due_on=dt.date(2025, 3, 26))
    sooner = deadlines.add_manual(anna, case.uuid, title="Ring til mor",
                                  due_on=dt.date(2025, 3, 20))
    assert open_titles(anna) == ["Ring til mor", "Svar på indhentning: Helhed Skole",
                                 "Hjemmebesøg"]
    clock.freeze(dt.datetime(2025, 3, 25, 8, 0, tzinfo=dt.UTC))  # the day after the deadline
    deadlines.meet(anna, sooner.uuid)
    found = worklist.work_list(anna)
    assert [(i.deadline.title, i.overdue) for i in found.items] == [
        ("Svar på indhentning: Helhed Skole", True), ("Hjemmebesøg", False)]
    assert found.overdue_count == 1 and found.items[1].deadline == later


def test_the_work_list_page_shows_the_overdue_request_first(anna, case, request_):
    deadlines.add_manual(anna, case.uuid, title="Hjemmebesøg", due_on=dt.date(2025, 3, 28))
    clock.freeze(dt.datetime(2025, 3, 25, 8, 0, tzinfo=dt.UTC))
    client = Client()
    client.force_login(anna)
    text = client.get("/arbejdsliste/").content.decode()
    assert 'id="overdue-warning"' in text
    assert text.index("Svar på indhentning: Helhed Skole") < text.index("Hjemmebesøg")


def test_cancelling_waives_it_with_the_reason(anna, request_):
    services.cancel(anna, request_.uuid, "Skolen har sendt oplysningerne med posten.")
    assert open_titles(anna) == []
    row = CaseDeadline.objects.get(kind="indhentning")
    assert row.waived_reason == ("Indhentningen er annulleret: Skolen har sendt "
                                 "oplysningerne med posten.")
    assert row.met_at is None
    waived = Change.objects.get(action="cases.deadline.waived")
    assert waived.before == {"waived_reason": ""}
    assert waived.after == {"waived_reason": row.waived_reason}
    assert OutboxEvent.objects.filter(type="cases.deadline.waived").count() == 1


def test_the_answer_deadline_cannot_be_clicked_away(anna, request_):
    before = rows()
    with pytest.raises(InvalidInput) as caught:
        deadlines.meet(anna, request_.case_deadline.uuid)
    assert caught.value.code == "deadline.met_by_action"
    assert rows() == before
    assert open_titles(anna) == ["Svar på indhentning: Helhed Skole"]


def test_an_answer_after_the_case_was_closed_leaves_the_waived_deadline(anna, teacher,
                                                                        request_):
    cases.close_case(anna, request_.case.uuid, "Familien er flyttet.")
    row = CaseDeadline.objects.get(kind="indhentning")
    assert row.waived_reason == "Familien er flyttet."
    services.answer(teacher, request_.uuid, text="Intet fravær.")
    row.refresh_from_db()
    assert row.met_at is None and row.waived_reason == "Familien er flyttet."
    assert not OutboxEvent.objects.filter(type="cases.deadline.met").exists()
