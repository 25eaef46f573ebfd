"""The operations that change people's data: their rules, their history and their events,
called as the pages call them (service functions, Python objects)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput
from helhed.core.models import AccessLogEntry, OutboxEvent
from helhed.people import rules, services
from helhed.people.models import ContactArrangement, Custody, Guardianship, Residence
from helhed.testing.personas import Family, make_address

pytestmark = pytest.mark.django_db


def new_events(since: int) -> list[OutboxEvent]:
    return list(OutboxEvent.objects.filter(seq__gt=since).order_by("seq"))


def last_seq() -> int:
    return OutboxEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def code_of(call: object, *args: object, **kwargs: object) -> tuple[str, str | None]:
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value.code, caught.value.field


# --- rules ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "cleaned"), [
    ("  Anne-Marie  ", "Anne-Marie"), ("O'Brien", "O'Brien"), ("Ærø  Hansen", "Ærø Hansen"),
    ("St. Clair", "St. Clair"),
])
def test_names_are_tidied(value: str, cleaned: str) -> None:
    assert rules.name(value, "first_name") == cleaned


@pytest.mark.parametrize(("value", "code"), [
    ("", "name.empty"), ("   ", "name.empty"), ("x" * 101, "name.too_long"),
    ("R2D2", "name.characters"), ("Anna\x00", "name.characters"), ("--", "name.characters"),
])
def test_bad_names_have_stable_codes(value: str, code: str) -> None:
    assert code_of(rules.name, value, "last_name") == (code, "last_name")


@pytest.mark.parametrize(("value", "cleaned"), [
    ("", ""), ("20 30 40 50", "20304050"), ("+45 20 30 40 50", "+4520304050"),
])
def test_phone_numbers_are_compacted(value: str, cleaned: str) -> None:
    assert rules.phone(value) == cleaned


@pytest.mark.parametrize("value", ["1234567", "123456789", "2030405a", "+4512", "++4520304050"])
def test_bad_phone_numbers_are_refused(value: str) -> None:
    assert code_of(rules.phone, value) == ("contact.phone", "phone")


def test_dates_far_ahead_or_before_1900_are_refused() -> None:
    clock.freeze(dt.datetime(2025, 3, 10, 12, tzinfo=dt.UTC))
    assert rules.date(dt.date(2026, 3, 10), "d") == dt.date(2026, 3, 10)
    assert code_of(rules.date, dt.date(2026, 3, 12), "d") == ("date.far_future", "d")
    assert code_of(rules.date, dt.date(1899, 12, 31), "d") == ("date.too_early", "d")


# --- registering and moving -------------------------------------------------------------

def test_registering_with_an_address_is_two_events_naming_no_one(anna: User) -> None:
    home = make_address("Havnegade", "7")
    since = last_seq()
    citizen = services.do_register_citizen(anna, cpr_number="740311-4000", first_name=" Ida ",
                                           last_name="Holm", address=home.uuid,
                                           moved_in=dt.date(2020, 1, 1))
    assert (citizen.first_name, citizen.sex, citizen.birth_date) == ("Ida", "K",
                                                                     dt.date(2011, 3, 14))
    events = new_events(since)
    assert [e.type for e in events] == ["people.citizen.registered", "people.residence.changed"]
    assert {e.citizen for e in events} == {citizen.uuid}
    assert not [e for e in events if "Ida" in str(e.envelope()) or "7403114000"
                in str(e.envelope())]


def test_a_denied_write_is_logged_and_stays_logged(gustav: User) -> None:
    with pytest.raises(AccessDenied):
        services.do_register_citizen(gustav, cpr_number="7403114000", first_name="Ida",
                                     last_name="Holm")
    entry = AccessLogEntry.objects.get(actor=gustav)
    assert entry.action == "write" and entry.allowed is False


def test_a_move_closes_the_old_residence(anna: User, family: Family) -> None:
    new_home = make_address("Havnegade", "7")
    services.do_move(anna, family.father, new_home, dt.date(2024, 3, 1))
    rows = list(Residence.objects.filter(citizen=family.father).order_by("valid_from"))
    assert [(r.address, r.valid_from, r.valid_to) for r in rows] == [
        (family.fathers_home, dt.date(2019, 5, 1), dt.date(2024, 3, 1)),
        (new_home, dt.date(2024, 3, 1), None),
    ]


# --- custody, contact arrangements, guardians -------------------------------------------------

def test_custody_moves_to_one_parent_and_the_old_rows_are_kept(anna: User,
                                                              family: Family) -> None:
    since = last_seq()
    services.do_set_custody(anna, family.liva, [family.mother], dt.date(2024, 1, 1), "Dom")
    rows = Custody.objects.filter(child=family.liva)
    assert {(r.holder_id, r.valid_to) for r in rows} == {
        (family.mother.pk, dt.date(2024, 1, 1)), (family.father.pk, dt.date(2024, 1, 1)),
        (family.mother.pk, None)}
    assert [e.type for e in new_events(since)] == ["people.custody.changed"]


def test_setting_the_custody_that_applies_changes_nothing(anna: User, family: Family) -> None:
    since = last_seq()
    current = services.do_set_custody(anna, family.liva, [family.father, family.mother],
                                      dt.date(2024, 1, 1), "Fælles forældremyndighed")
    assert {c.valid_from for c in current} == {family.liva.birth_date}
    assert new_events(since) == []


def test_a_guardian_may_hold_custody(anna: User, family: Family) -> None:
    services.do_appoint_guardian(anna, family.liva, guardian=family.partner, scope="begge",
                                 valid_from=dt.date(2024, 1, 1))
    rows = services.do_set_custody(anna, family.liva, [family.partner], dt.date(2024, 2, 1))
    assert [r.holder for r in rows] == [family.partner]


def test_custody_for_someone_neither_parent_nor_guardian_is_refused(
    anna: User, family: Family,
) -> None:
    code = code_of(services.do_set_custody, anna, family.liva, [family.partner],
                   dt.date(2024, 1, 1))
    assert code == ("custody.not_parent", "holder_ids")


def test_a_contact_arrangement_is_replaced_not_overwritten(anna: User, family: Family) -> None:
    services.do_set_contact_arrangement(anna, family.noah, family.father,
                                        schedule="Hver weekend", valid_from=dt.date(2024, 6, 1))
    rows = ContactArrangement.objects.filter(child=family.noah).order_by("valid_from")
    assert [(r.schedule, r.valid_to) for r in rows] == [
        ("Hver anden weekend, fredag til søndag", dt.date(2024, 6, 1)), ("Hver weekend", None)]


def test_a_guardianship_is_appointed_and_ended(anna: User, family: Family) -> None:
    since = last_seq()
    row = services.do_appoint_guardian(anna, family.mother, guardian_name="Advokat Jensen",
                                       scope="oekonomiske", valid_from=dt.date(2024, 1, 1))
    services.do_end_guardianship(anna, family.mother, row.pk, valid_to=dt.date(2024, 12, 31))
    row.refresh_from_db()
    assert row.valid_to == dt.date(2024, 12, 31)
    events = new_events(since)
    assert [e.type for e in events] == ["people.guardianship.appointed",
                                        "people.guardianship.ended"]
    assert all(e.citizen == family.mother.uuid for e in events)
    assert "Jensen" not in str([e.envelope() for e in events])
    assert Guardianship.objects.count() == 1
