"""The "Social indsats > Ydelse" part of KL's Fælles Faglige Begreber (FFB, the concepts
behind VUM 2.0), shipped as ``data/ffb_ydelser.json``: codes, names and the hierarchy.

An intervention type names the FFB concept it is (``InterventionType.ffb_concept``); this
module checks such a code and gives its name and path. Not personal data; read from the file
once per process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_noop

from helhed.core.errors import InvalidInput

FILE = Path(__file__).resolve().parent / "data" / "ffb_ydelser.json"


@dataclass(frozen=True)
class Concept:
    code: str
    name: str
    parent: str | None


@cache
def concepts() -> dict[str, Concept]:
    rows = json.loads(FILE.read_text(encoding="utf-8"))["concepts"]
    return {r["code"]: Concept(r["code"], r["name"], r["parent"]) for r in rows}


def concept(code: str) -> Concept:
    """The concept with this code; ``ffb.unknown`` if the shipped subset does not hold it."""
    found = concepts().get((code or "").strip())
    if found is None:
        raise InvalidInput("ffb.unknown",
                           gettext_noop("%(code)s er ikke en ydelse i Fælles Faglige Begreber."),
                           field="ffb_concept", params={"code": code})
    return found


def path(code: str) -> list[Concept]:
    """The concept and its ancestors, root (Ydelse) first."""
    chain = [concept(code)]
    while chain[0].parent is not None:
        chain.insert(0, concepts()[chain[0].parent])
    return chain
