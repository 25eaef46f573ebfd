"""Deadline arithmetic with a movable clock: 24 hours run through nights and weekends,
working days skip weekends, Danish holidays and the municipality's closing days, months are
clamped to the month's end; and deadlines on cases are created, met and waived with history
and events."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from helhed.cases import deadlines
from helhed.cases.deadlines import (
    add_hours,
    add_months,
    add_working_days,
    easter_sunday,
    is_office_hours,
    is_working_day,
    public_holidays,
)
from helhed.cases.models import CaseDeadline, Change
from helhed.cases.tests.notification_helpers import CPH, ensure_catalogue, local, receive
from helhed.catalogue.models import Deadline
from helhed.core import clock
from helhed.core.errors import AccessDenied, DomainError, InvalidInput
from helhed.core.models import OutboxEvent

UTC = dt.UTC


# --- 24 hours -----------------------------------------------------------------------------

def test_24_hours_run_across_midnight():
    assert add_hours(local(2027, 3, 16, 22, 0), 24) == local(2027, 3, 17, 22, 0)


def test_24_hours_from_friday_afternoon_end_on_saturday_afternoon():
    assert add_hours(local(2027, 3, 19, 15, 0), 24) == local(2027, 3, 20, 15, 0)


def test_24_hours_are_real_hours_when_summer_time_begins():
    # 28 March 2027: the clocks go from 02:00 to 03:00, so 24 hours end an hour "later".
    end = add_hours(local(2027, 3, 27, 12, 0), 24)
    assert end.astimezone(UTC) - local(2027, 3, 27, 12, 0).astimezone(UTC) \
        == dt.timedelta(hours=24)
    assert end == local(2027, 3, 28, 13, 0)
    # and back again on 31 October 2027
    assert add_hours(local(2027, 10, 30, 12, 0), 24) == local(2027, 10, 31, 11, 0)


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1),
                    timezones=st.just(CPH)),
       st.integers(min_value=0, max_value=1000))
def test_hours_are_exactly_hours_whatever_the_day(start, hours):
    elapsed = add_hours(start, hours).astimezone(UTC) - start.astimezone(UTC)
    assert elapsed == dt.timedelta(hours=hours)


# --- working days -------------------------------------------------------------------------

def end_of(year: int, month: int, day: int) -> dt.datetime:
    return local(year, month, day, 23, 59, 59)


def test_working_days_skip_the_weekend():
    # Friday afternoon + 6 working days: Mon–Fri of the next week, and the Monday after.
    assert add_working_days(local(2027, 1, 8, 15, 0), 6) == end_of(2027, 1, 18)


def test_the_day_of_receipt_never_counts():
    assert add_working_days(local(2027, 1, 11, 8, 0), 1) == end_of(2027, 1, 12)
    assert add_working_days(local(2027, 1, 11, 23, 0), 0) == end_of(2027, 1, 11)


def test_easter_2027_falls_on_28_march_and_its_holidays_do_not_count():
    assert easter_sunday(2027) == dt.date(2027, 3, 28)
    names = public_holidays(2027)
    assert names[dt.date(2027, 3, 25)] == "Skærtorsdag"
    assert names[dt.date(2027, 3, 26)] == "Langfredag"
    assert names[dt.date(2027, 3, 29)] == "2. påskedag"
    # Wednesday before Easter: Tue 30, Wed 31, Thu 1, Fri 2, Mon 5, Tue 6 April.
    assert add_working_days(local(2027, 3, 24, 11, 0), 6) == end_of(2027, 4, 6)


@pytest.mark.parametrize("year, easter", [
    (2000, (4, 23)), (2008, (3, 23)), (2011, (4, 24)), (2024, (3, 31)), (2025, (4, 20)),
    (2026, (4, 5)), (2027, (3, 28)), (2038, (4, 25)), (2285, (3, 22))])
def test_easter_is_computed_right(year, easter):
    assert easter_sunday(year) == dt.date(year, *easter)


def test_christmas_and_new_year_do_not_count():
    # Tue 22 Dec 2026: Wed 23 (1); 24 closed, 25 and 26 holidays; Mon 28 (2), Tue 29 (3),
    # Wed 30 (4); 31 closed, 1 Jan holiday; Mon 4 (5), Tue 5 January (6).
    assert add_working_days(local(2026, 12, 22, 10, 0), 6) == end_of(2027, 1, 5)


def test_ascension_and_whitsun_are_holidays():
    names = public_holidays(2027)
    assert names[dt.date(2027, 5, 6)] == "Kristi himmelfartsdag"
    assert names[dt.date(2027, 5, 16)] == "Pinsedag"
    assert names[dt.date(2027, 5, 17)] == "2. pinsedag"
    assert not is_working_day(dt.date(2027, 5, 6))


def test_store_bededag_counts_only_before_2024():
    assert public_holidays(2023)[dt.date(2023, 5, 5)] == "Store bededag"
    assert not is_working_day(dt.date(2023, 5, 5))
    assert dt.date(2024, 4, 26) not in public_holidays(2024)
    assert is_working_day(dt.date(2024, 4, 26))


def test_closing_days_come_from_the_settings():
    grundlovsdag = dt.date(2026, 6, 5)  # a Friday
    assert not is_working_day(grundlovsdag)
    with override_settings(HELHED_CLOSING_DAYS=[]):
        assert is_working_day(grundlovsdag)
    with override_settings(HELHED_CLOSING_DAYS=["2027-03-15"]):
        assert not is_working_day(dt.date(2027, 3, 15))
        assert is_working_day(dt.date(2028, 3, 15))


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 1)),
       st.integers(min_value=1, max_value=40))
def test_a_working_day_deadline_never_falls_on_a_weekend_or_holiday(start, n):
    end = add_working_days(start, n)
    day = end.date()
    assert end.timetz().replace(tzinfo=None) == dt.time(23, 59, 59)
    assert day.weekday() < 5 and day not in public_holidays(day.year)
    assert is_working_day(day)
    between = [start + dt.timedelta(days=i) for i in range(1, (day - start).days + 1)]
    assert sum(1 for d in between if is_working_day(d)) == n


# --- months -------------------------------------------------------------------------------

@pytest.mark.parametrize("start, months, expected", [
    (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
    (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
    (dt.date(2027, 3, 31), 1, dt.date(2027, 4, 30)),
    (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),
    (dt.date(2027, 10, 15), 4, dt.date(2028, 2, 15)),
    (dt.date(2027, 3, 31), -1, dt.date(2027, 2, 28)),
    (dt.date(2027, 1, 15), -12, dt.date(2026, 1, 15)),
])
def test_months_are_clamped_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_a_datetime_keeps_its_local_time_of_day_across_months():
    assert add_months(local(2027, 1, 31, 9, 30), 1) == local(2027, 2, 28, 9, 30)


# --- office hours -------------------------------------------------------------------------

@pytest.mark.parametrize("at, expected", [
    (local(2027, 3, 15, 7, 59), False),   # Monday before opening
    (local(2027, 3, 15, 8, 0), True),     # opening
    (local(2027, 3, 15, 15, 29), True),
    (local(2027, 3, 15, 15, 30), False),  # closing is outside
    (local(2027, 3, 18, 15, 0), True),    # Thursday
    (local(2027, 3, 19, 13, 59), True),   # Friday closes early
    (local(2027, 3, 19, 14, 0), False),
    (local(2027, 3, 20, 10, 0), False),   # Saturday
    (local(2027, 3, 29, 10, 0), False),   # 2. påskedag
    (local(2026, 12, 24, 10, 0), False),  # juleaftensdag, a closing day
])
def test_office_hours_edges(at, expected):
    assert is_office_hours(at) is expected


def test_office_hours_are_a_setting():
    with override_settings(HELHED_OFFICE_HOURS={5: ("09:00", "12:00")}):
        assert not is_office_hours(local(2027, 3, 15, 10, 0))
        assert not is_office_hours(local(2027, 3, 20, 10, 0))  # not a working day anyway
    # UTC input is judged in local time: 07:30 UTC is 08:30 in Copenhagen in March.
    assert is_office_hours(dt.datetime(2027, 3, 15, 7, 30, tzinfo=UTC))


# --- deadlines from the catalogue ---------------------------------------------------------

@pytest.fixture
def catalogue(db):
    ensure_catalogue()


def row(kind: str) -> Deadline:
    return Deadline.objects.get(kind=kind)


def test_due_counts_each_unit_of_the_catalogue(catalogue):
    received = local(2027, 3, 19, 15, 0)
    assert deadlines.due(row("underretning_vurdering"), received) == local(2027, 3, 20, 15, 0)
    # Mon 22, Tue 23, Wed 24; Easter (25, 26, 29 March); Tue 30, Wed 31, Thu 1 April.
    assert deadlines.due(row("kvittering"), received) == end_of(2027, 4, 1)
    assert deadlines.due(row("boerneundersoegelse"), local(2027, 10, 31, 9, 0)) \
        == end_of(2028, 2, 29)
    assert deadlines.due(row("behandlingsgaranti"), received) == end_of(2027, 4, 2)


def test_the_reply_to_a_notifier_is_the_municipalitys_own_deadline(catalogue):
    reply = Deadline.objects.get(legal_basis__code="bl-137", kind="tilbagemelding")
    assert (reply.amount, reply.unit) == (20, "hverdage")
    assert reply.description.startswith("Kommunens egen frist, ikke lovens")


def test_add_from_law_creates_the_deadline_with_history_and_event(catalogue, anna, family):
    clock.freeze(local(2027, 3, 19, 15, 0))
    notification = receive(anna, family.liva, notifier_kind="borger", notifier_name="",
                           notifier_contact="", notifier_organisation="")
    row = notification.deadlines.get()
    assert row.kind == CaseDeadline.Kind.ASSESSMENT_24H
    assert row.due_at == local(2027, 3, 20, 15, 0)
    assert row.legal_basis.code == "bl-136" and row.open
    change = Change.objects.get(object_uuid=row.uuid)
    assert change.action == "cases.deadline.created" and change.actor_name == "Anna Andersen"
    event = OutboxEvent.objects.get(type="cases.deadline.created")
    assert event.payload["kind"] == "underretning_vurdering"
    assert "Liva" not in str(event.payload)


def test_a_deadline_missing_from_the_catalogue_is_a_clear_error(catalogue, family):
    with pytest.raises(DomainError) as raised:
        deadlines.add_from_law("findes_ikke", start=clock.now(), citizen=family.liva)
    assert raised.value.code == "deadline.not_in_catalogue"
    assert "findes_ikke" in raised.value.message and "administrator" in raised.value.message


def test_an_expired_legal_basis_gives_no_deadline(catalogue, family):
    Deadline.objects.get(kind="kvittering").legal_basis.__class__.objects.filter(
        code="bl-137").update(valid_to=dt.date(2027, 1, 1))
    with pytest.raises(DomainError):
        deadlines.catalogue_deadline("kvittering", dt.date(2027, 3, 1))
    assert deadlines.catalogue_deadline("kvittering", dt.date(2026, 12, 1)).amount == 6


# --- manual follow-ups on a case ----------------------------------------------------------

@pytest.fixture
def case(catalogue, anna, family):
    from helhed.cases import services

    clock.freeze(local(2027, 3, 15, 10, 0))
    return services.open_case(anna, family.liva.uuid, title="Børnefaglig undersøgelse",
                              kle_numbers=["34.10.10"])


def test_caseworker_sets_a_follow_up_due_at_the_end_of_the_day(case, anna):
    row = deadlines.add_manual(anna, case.uuid, title="Opfølgning på skolefravær",
                               due_on=dt.date(2027, 4, 1))
    assert row.due_at == end_of(2027, 4, 1)
    assert (row.kind, row.case, row.responsible.user) == ("opfoelgning", case, anna)
    assert deadlines.open_for_case(case) == [row]
    assert [d.uuid for d in deadlines.deadlines_of_case(anna, case)] == [row.uuid]
    assert OutboxEvent.objects.filter(type="cases.deadline.created").count() == 1


@pytest.mark.parametrize("values, code, field", [
    ({"title": "Opfølgning", "due_on": dt.date(2027, 3, 14)}, "deadline.past", "due_on"),
    ({"title": "  ", "due_on": dt.date(2027, 4, 1)}, "text.empty", "title"),
    ({"title": "x" * 201, "due_on": dt.date(2027, 4, 1)}, "text.too_long", "title"),
    ({"title": "Opfølgning", "due_on": dt.date(2027, 4, 1), "kind": "kvittering"},
     "deadline.kind", "kind"),
])
def test_bad_follow_ups_are_refused_and_nothing_is_saved(case, anna, values, code, field):
    before = (CaseDeadline.objects.count(), OutboxEvent.objects.count())
    with pytest.raises(InvalidInput) as raised:
        deadlines.add_manual(anna, case.uuid, **values)
    assert (raised.value.code, raised.value.field) == (code, field)
    assert (CaseDeadline.objects.count(), OutboxEvent.objects.count()) == before


def test_today_is_not_in_the_past(case, anna):
    assert deadlines.add_manual(anna, case.uuid, title="I dag",
                                due_on=dt.date(2027, 3, 15)).due_at == end_of(2027, 3, 15)


@pytest.mark.parametrize("persona", ["carl", "gustav", "outsider"])
def test_others_cannot_set_or_see_deadlines_on_a_childs_case(case, persona, request):
    actor = request.getfixturevalue(persona)
    with pytest.raises(AccessDenied):
        deadlines.add_manual(actor, case.uuid, title="Opfølgning", due_on=dt.date(2027, 4, 1))
    with pytest.raises(AccessDenied):
        deadlines.deadlines_of_case(actor, case)
    assert not CaseDeadline.objects.exists()


def test_meeting_a_follow_up_records_who_and_when(case, anna, bo):
    row = deadlines.add_manual(anna, case.uuid, title="Opfølgning", due_on=dt.date(2027, 4, 1))
    clock.advance(dt.timedelta(days=3))
    deadlines.meet(bo, row.uuid)
    row.refresh_from_db()
    assert row.met_at == clock.now() and not row.open
    change = Change.objects.get(object_uuid=row.uuid, action="cases.deadline.met")
    assert change.actor_name == "Bo Bech" and "met_at" in change.after
    with pytest.raises(InvalidInput) as raised:
        deadlines.meet(anna, row.uuid)
    assert raised.value.code == "deadline.closed"


def test_overdue_means_open_and_past_due(case, anna):
    row = deadlines.add_manual(anna, case.uuid, title="Opfølgning", due_on=dt.date(2027, 3, 16))
    assert not deadlines.overdue(row)
    clock.freeze(local(2027, 3, 17, 0, 0))
    assert deadlines.overdue(row)


def test_closing_a_case_waives_its_open_deadlines_with_the_reason(case, anna):
    kept = deadlines.add_manual(anna, case.uuid, title="Møde", due_on=dt.date(2027, 3, 20))
    done = deadlines.add_manual(anna, case.uuid, title="Brev", due_on=dt.date(2027, 3, 20))
    deadlines.meet(anna, done.uuid)
    from django.db import transaction

    with transaction.atomic():
        waived = deadlines.waive_open_for_case(case, "Familien er flyttet.", actor=anna)
    assert [w.uuid for w in waived] == [kept.uuid]
    kept.refresh_from_db()
    assert kept.waived_reason == "Familien er flyttet." and not kept.open
    assert OutboxEvent.objects.filter(type="cases.deadline.waived").count() == 1
    assert deadlines.open_for_case(case) == []
