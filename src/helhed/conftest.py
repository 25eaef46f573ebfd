"""Fixtures shared by every app's tests: personas and the test family."""

from __future__ import annotations

import pytest

from helhed.core import clock
from helhed.testing import personas


@pytest.fixture(autouse=True)
def _unfrozen_clock():
    yield
    clock.unfreeze()


def _persona(name: str):
    @pytest.fixture
    def fixture(db):
        return personas.make_staff(name)

    fixture.__name__ = name
    return fixture


anna = _persona("anna")
bo = _persona("bo")
carl = _persona("carl")
dorte = _persona("dorte")
erik = _persona("erik")
frida = _persona("frida")
gustav = _persona("gustav")
hanne = _persona("hanne")
ivan = _persona("ivan")
outsider = _persona("outsider")


@pytest.fixture
def family(db) -> personas.Family:
    return personas.make_family()
