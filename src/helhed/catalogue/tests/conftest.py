"""The shipped KLE subset, present in every test database (the data migration loads it).

A test that flushes the database (``transaction=True``) empties it; ``kle_subset`` loads it
again in that case, so catalogue tests never depend on the order they run in.
"""

from __future__ import annotations

import importlib

import pytest

from helhed.catalogue import kle
from helhed.catalogue.models import KleSubject


@pytest.fixture
def kle_subset(db: None) -> None:
    if not KleSubject.objects.exists():
        kle.load_file(kle.SUBSET)


@pytest.fixture
def intervention_catalogue(kle_subset: None) -> None:
    """The shipped intervention catalogue (loaded by migration 0006), again after a flush."""
    from django.apps import apps

    from helhed.catalogue.models import InterventionType, LegalBasis

    if not InterventionType.objects.exists() and LegalBasis.objects.exists():
        migration = importlib.import_module(
            "helhed.catalogue.migrations.0006_intervention_types")
        migration.add_intervention_types(apps, None)
