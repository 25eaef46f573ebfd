"""The 43 data needs of the Deloitte report and the minutes spent collecting them."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from helhed.catalogue import services
from helhed.catalogue.models import DataNeed

SOURCE = Path(services.__file__).resolve().parent / "data" / "data_needs.json"


@pytest.fixture
def rows() -> list[dict[str, object]]:
    return json.loads(SOURCE.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_the_43_needs_are_loaded_22_for_children_and_21_for_adults() -> None:
    assert DataNeed.objects.count() == 43
    assert DataNeed.objects.filter(paragraph="SEL § 50").count() == 22
    assert DataNeed.objects.filter(paragraph="SEL § 85").count() == 21
    first = DataNeed.objects.get(paragraph="SEL § 50", number=1)
    assert (first.title, first.phases, first.minutes_total) == (
        "Medlemmer af husstanden", ["Sagsåbning"], 20)


@pytest.mark.django_db
def test_phases_are_named_as_the_case_phases() -> None:
    named = {p for need in DataNeed.objects.all() for p in need.phases}
    assert named <= set(DataNeed.Phase.values) and len(named) == 5


@pytest.mark.django_db
def test_the_minutes_sum_to_what_the_report_says(rows) -> None:
    expected: dict[str, int] = defaultdict(int)
    for row in rows:
        expected[row["paragraph"]] += row["minutes"]["total"]  # type: ignore[index]
    assert services.minutes_per_paragraph() == dict(expected)
    assert sum(expected.values()) == 1162


@pytest.mark.django_db
def test_minutes_per_phase_count_a_need_in_every_phase_it_serves(rows) -> None:
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        for phase in str(row["phases"]).split(","):
            phase = phase.strip().rstrip(".").capitalize()
            expected[(str(row["paragraph"]), phase)] += row["minutes"]["total"]  # type: ignore[index]
    sums = services.minutes_per_phase()
    assert {(s.paragraph, s.phase): s.total for s in sums} == dict(expected)
    for s in sums:
        assert s.identification + s.request + s.delivery + s.documentation == s.total
    assert [s.phase for s in services.minutes_per_phase("SEL § 50")][:2] == [
        "Sagsåbning", "Sagsoplysning"]
