"""CPR numbers: what a caseworker types must be accepted exactly when the CPR office could
have issued it, and refused with a stable code and a Danish message otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from helhed.core import cpr
from helhed.core.cpr import CprError

WEIGHTS_9 = cpr.WEIGHTS[:9]


def build(birth: dt.date, sex_digit: int, serial: int = 0, *, synthetic: bool = False,
          seventh: int | None = None) -> str:
    """A number for ``birth`` that passes modulus 11: the ninth digit is chosen to fit."""
    day = birth.day + (cpr.SYNTHETIC_DAY_OFFSET if synthetic else 0)
    if seventh is None:
        seventh = cpr.seventh_digits_for(birth.year)[serial % len(cpr.seventh_digits_for(
            birth.year))]
    for attempt in range(10):
        eighth = (serial + attempt) % 10
        head = f"{day:02d}{birth.month:02d}{birth.year % 100:02d}{seventh}{eighth}"
        for ninth in range(10):
            digits = f"{head}{ninth}{sex_digit}"
            if cpr.modulus11_ok(digits):
                return digits
    raise AssertionError("unreachable: some eighth digit always fits")  # pragma: no cover


dates = st.dates(min_value=dt.date(1858, 1, 1), max_value=dt.date(2057, 12, 31))
checked_dates = dates.filter(cpr.modulus11_applies)


@st.composite
def valid_numbers(draw: st.DrawFn, when: st.SearchStrategy[dt.date] = dates) -> tuple[
        str, dt.date, int]:
    birth = draw(when)
    seventh = draw(st.sampled_from(cpr.seventh_digits_for(birth.year)))
    sex = draw(st.integers(0, 9))
    serial = draw(st.integers(0, 9))
    return build(birth, sex, serial, seventh=seventh), birth, sex


# --- properties ------------------------------------------------------------------------

@given(valid_numbers())
def test_any_valid_number_round_trips(case: tuple[str, dt.date, int]) -> None:
    digits, birth, sex = case
    number = cpr.parse(digits)
    assert number.digits == digits
    assert number.birth_date == birth
    assert number.is_female == (sex % 2 == 0)
    assert not number.synthetic
    assert cpr.parse(number.formatted) == number


@given(valid_numbers(checked_dates), st.integers(0, 9), st.integers(1, 9))
def test_a_single_mistyped_digit_is_caught(case: tuple[str, dt.date, int], position: int,
                                           delta: int) -> None:
    digits = case[0]
    changed = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1:]
    assume(changed[:4] != "0101")  # 1 January numbers are not all modulus-11 checked
    with pytest.raises(CprError) as caught:
        cpr.parse(changed)
    assert caught.value.code in {"cpr.checksum", "cpr.date", "cpr.synthetic"}


@given(valid_numbers(), st.sampled_from(["-", " ", " - ", "\t"]), st.sampled_from(["", " "]))
def test_hyphen_and_spaces_do_not_matter(case: tuple[str, dt.date, int], middle: str,
                                         edge: str) -> None:
    digits = case[0]
    assert cpr.parse(f"{edge}{digits[:6]}{middle}{digits[6:]}{edge}") == cpr.parse(digits)


@given(dates, st.integers(0, 9), st.integers(0, 9))
def test_synthetic_numbers_are_accepted_only_when_allowed(birth: dt.date, sex: int,
                                                          serial: int) -> None:
    digits = build(birth, sex, serial, synthetic=True)
    with pytest.raises(CprError) as caught:
        cpr.parse(digits)
    assert caught.value.code == "cpr.synthetic"
    number = cpr.parse(digits, allow_synthetic=True)
    assert number.synthetic and number.birth_date == birth


@given(dates, st.integers(0, 9))
def test_a_synthetic_number_never_equals_a_real_one(birth: dt.date, sex: int) -> None:
    real = cpr.parse(build(birth, sex))
    fake = cpr.parse(build(birth, sex, synthetic=True), allow_synthetic=True)
    assert real.digits != fake.digits and int(fake.digits[:2]) > 31


# --- known cases -----------------------------------------------------------------------

@pytest.mark.parametrize("value", ["12345", "01020312345", "0102031"])
def test_wrong_length_is_refused(value: str) -> None:
    with pytest.raises(CprError) as caught:
        cpr.parse(value)
    assert caught.value.code == "cpr.length"
    assert "10 cifre" in caught.value.message


@pytest.mark.parametrize(
    "value", ["01020A1234", "O102031234", "０１０２０３１２３４", "0102031234x"])
def test_letters_and_non_ascii_digits_are_refused(value: str) -> None:
    with pytest.raises(CprError) as caught:
        cpr.parse(value)
    assert caught.value.code == "cpr.not_digits"


@pytest.mark.parametrize("value", ["", "   ", "-"])
def test_empty_input_asks_for_a_number(value: str) -> None:
    with pytest.raises(CprError) as caught:
        cpr.parse(value)
    assert caught.value.code == "cpr.empty"


@pytest.mark.parametrize(("year", "seventh"), [(2000, 4), (1904, 0), (1996, 2), (2024, 5),
                                             (1896, 5)])
def test_29_february_in_a_leap_year_is_a_date(year: int, seventh: int) -> None:
    number = cpr.parse(build(dt.date(year, 2, 29), 1, seventh=seventh))
    assert number.birth_date == dt.date(year, 2, 29)


@pytest.mark.parametrize(("head", "seventh"), [("290200", 0), ("290201", 4), ("290299", 5),
                                               ("290237", 4), ("290223", 5), ("310499", 1),
                                               ("001090", 1), ("011390", 1)])
def test_29_february_in_other_years_and_other_non_dates_are_refused(head: str,
                                                                    seventh: int) -> None:
    # 1900, 2001, 1899, 1937 and 2023 are not leap years; 31 April does not exist.
    with pytest.raises(CprError) as caught:
        cpr.parse(f"{head}{seventh}001")
    assert caught.value.code == "cpr.date"


CENTURY_TABLE = [
    # (two-digit year, seventh digit, century)
    *[(y, s, 1900) for s in (0, 1, 2, 3) for y in (0, 36, 37, 57, 58, 99)],
    *[(y, s, 2000) for s in (4, 9) for y in (0, 20, 36)],
    *[(y, s, 1900) for s in (4, 9) for y in (37, 58, 99)],
    *[(y, s, 2000) for s in (5, 6, 7, 8) for y in (0, 36, 57)],
    *[(y, s, 1800) for s in (5, 6, 7, 8) for y in (58, 80, 99)],
]


@pytest.mark.parametrize(("year2", "seventh", "century"), CENTURY_TABLE)
def test_the_seventh_digit_gives_the_century(year2: int, seventh: int, century: int) -> None:
    assert cpr.century(year2, seventh) == century
    birth = dt.date(century + year2, 6, 15)
    assert cpr.parse(build(birth, 3, seventh=seventh)).birth_date == birth


def test_1_january_numbers_without_modulus_11_are_accepted() -> None:
    # Since 2007 the CPR office has issued numbers failing modulus 11 for e.g. 1 January 1965.
    unchecked = [f"0101650{n:03d}" for n in range(1000)]
    failing = [d for d in unchecked if not cpr.modulus11_ok(d)]
    assert failing
    for digits in failing[:50]:
        assert cpr.parse(digits).birth_date == dt.date(1965, 1, 1)


def test_a_failed_check_on_another_date_is_refused_as_a_typo() -> None:
    good = build(dt.date(1965, 1, 2), 1)
    bad = good[:9] + str((int(good[9]) + 1) % 10)
    with pytest.raises(CprError) as caught:
        cpr.parse(bad)
    assert caught.value.code == "cpr.checksum"
    assert "modulus 11" in caught.value.message


@pytest.mark.parametrize(("value", "code"), [
    ("", "cpr.empty"),
    ("01-02-03-A", "cpr.not_digits"),
    ("010203123", "cpr.length"),
    ("3202031234", "cpr.date"),
    ("0102031235", "cpr.checksum"),
    ("6102031234", "cpr.synthetic"),
])
def test_error_codes_are_stable_and_messages_danish(value: str, code: str) -> None:
    # Pages and API clients key on these codes; changing one is a breaking change.
    with pytest.raises(CprError) as caught:
        cpr.parse(value)
    assert caught.value.code == code
    assert caught.value.message and caught.value.message == str(caught.value)
    assert not caught.value.message.startswith(("Invalid", "The "))


def test_age_and_formatting_for_the_case_file() -> None:
    number = cpr.parse(build(dt.date(2010, 3, 5), 4))
    assert number.formatted == f"{number.digits[:6]}-{number.digits[6:]}" == str(number)
    assert number.is_female
    assert number.age_on(dt.date(2028, 3, 4)) == 17
    assert number.age_on(dt.date(2028, 3, 5)) == 18


@pytest.mark.parametrize(("text", "expected"), [("010203", True), ("0102 03-1234", True),
                                                 ("Mette", False), ("", False), ("12ab", False)])
def test_search_text_looks_like_cpr(text: str, expected: bool) -> None:
    assert cpr.looks_like_cpr(text) is expected
