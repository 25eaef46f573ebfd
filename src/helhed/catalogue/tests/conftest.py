"""The shipped KLE subset, present in every test database (the data migration loads it).

A test that flushes the database (``transaction=True``) empties it; ``kle_subset`` loads it
again in that case, so catalogue tests never depend on the order they run in.
"""

from __future__ import annotations

import pytest

from helhed.catalogue import kle
from helhed.catalogue.models import KleSubject


@pytest.fixture
def kle_subset(db: None) -> None:
    if not KleSubject.objects.exists():
        kle.load_file(kle.SUBSET)
