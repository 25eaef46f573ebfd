"""Multi-level KLE tagging: a case may carry a main group, a group or a subject."""

from __future__ import annotations

import pytest

from helhed.catalogue import kle
from helhed.catalogue.models import KleGroup, KleMainGroup, KleSubject
from helhed.core.errors import InvalidInput

pytestmark = pytest.mark.usefixtures("kle_subset")


def test_a_subject_a_group_and_a_main_group_resolve() -> None:
    subject = kle.resolve("34.10.30")
    group = kle.resolve("34.10")
    main = kle.resolve(" 34 ")
    assert isinstance(subject, KleSubject) and subject.title == "Underretninger"
    assert isinstance(group, KleGroup) and subject.group == group
    assert isinstance(main, KleMainGroup) and main.title == "Hjælp og støtte efter barnets lov"
    assert kle.resolve("27.36.12").title.startswith("Socialpædagogisk bistand")


def test_a_number_kle_does_not_have_is_refused_in_danish() -> None:
    # 27.24.03 was the child investigation before Barnets Lov moved it to 34.10.10.
    with pytest.raises(InvalidInput) as refused:
        kle.resolve("27.24.03")
    assert refused.value.code == "kle.unknown"
    assert refused.value.message == "KLE-nummeret 27.24.03 findes ikke i emneplanen."


@pytest.mark.parametrize("number", ["", "2724", "27.2", "27.24.03.01", "ab.cd"])
def test_a_malformed_number_is_refused(number: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        kle.resolve(number)
    assert refused.value.code == "kle.number"
