"""The clock deadlines are measured by: it can be stopped and moved, and 'today' is the
municipality's date, not UTC's."""

from __future__ import annotations

import datetime as dt

import pytest

from helhed.core import clock

UTC = dt.UTC
NEW_YEARS_EVE_LATE = dt.datetime(2025, 12, 31, 23, 30, tzinfo=UTC)


def test_a_frozen_clock_stands_still() -> None:
    clock.freeze(NEW_YEARS_EVE_LATE)
    assert clock.now() == NEW_YEARS_EVE_LATE
    assert clock.now() == NEW_YEARS_EVE_LATE


def test_today_is_the_danish_date_not_the_utc_date() -> None:
    clock.freeze(NEW_YEARS_EVE_LATE)  # 00:30 on 1 January in Copenhagen
    assert clock.today() == dt.date(2026, 1, 1)


def test_advance_moves_a_frozen_clock_across_midnight() -> None:
    clock.freeze(dt.datetime(2025, 3, 10, 22, 0, tzinfo=UTC))
    moved = clock.advance(dt.timedelta(hours=24))
    assert moved == clock.now() == dt.datetime(2025, 3, 11, 22, 0, tzinfo=UTC)
    assert clock.today() == dt.date(2025, 3, 11)
    clock.advance(dt.timedelta(hours=-48))
    assert clock.today() == dt.date(2025, 3, 9)


def test_advance_refuses_a_running_clock() -> None:
    clock.unfreeze()
    with pytest.raises(RuntimeError, match="frozen"):
        clock.advance(dt.timedelta(minutes=1))


def test_freeze_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.freeze(dt.datetime(2025, 1, 1, 12, 0))  # a naive time: the point


def test_frozen_at_restores_the_previous_state_even_on_error() -> None:
    outer = dt.datetime(2024, 2, 29, 12, 0, tzinfo=UTC)
    inner = dt.datetime(2030, 1, 1, 8, 0, tzinfo=UTC)
    with clock.frozen_at(outer):
        with pytest.raises(KeyError), clock.frozen_at(inner):
            assert clock.now() == inner
            raise KeyError("boom")
        assert clock.now() == outer
    before = dt.datetime.now(UTC)
    assert before - dt.timedelta(seconds=5) < clock.now() < before + dt.timedelta(seconds=5)


def test_an_unfrozen_clock_follows_real_time() -> None:
    clock.unfreeze()
    first = clock.now()
    assert first.tzinfo is not None
    assert clock.now() >= first
