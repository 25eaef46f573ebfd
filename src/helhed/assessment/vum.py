"""The VUM 2.0 themes and the Fælles Sprog III scale, read once from ``assessment/data``
(KL's terminology, see data/README.md). Reference data, not personal data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_noop

DATA = Path(__file__).resolve().parent / "data"
NOT_RELEVANT = 9
LEVELS: tuple[int, ...] = (0, 1, 2, 3, 4, NOT_RELEVANT)
# The scale's short Danish labels (the UI's; KL's long definitions are in the data file).
LEVEL_LABELS: dict[int, str] = {
    0: gettext_noop("0 – Ingen begrænsninger"),
    1: gettext_noop("1 – Lette begrænsninger"),
    2: gettext_noop("2 – Moderate begrænsninger"),
    3: gettext_noop("3 – Svære begrænsninger"),
    4: gettext_noop("4 – Totale begrænsninger"),
    9: gettext_noop("9 – Ikke relevant"),
}


@dataclass(frozen=True)
class Theme:
    code: str
    kl_code: str
    title: str
    part: str
    definition: str
    subthemes: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    code: str
    title: str
    themes: tuple[Theme, ...]


@cache
def parts() -> tuple[Part, ...]:
    raw = json.loads((DATA / "vum_themes.json").read_text(encoding="utf-8"))
    return tuple(
        Part(code=p["code"], title=p["title"], themes=tuple(
            Theme(code=t["code"], kl_code=t["kl_code"], title=t["title"], part=p["title"],
                  definition=t["definition"],
                  subthemes=tuple(s["title"] for s in t["subthemes"]))
            for t in p["themes"]))
        for p in raw["parts"])


@cache
def themes() -> dict[str, Theme]:
    """The 11 themes by code, in the order of VUM 2.0."""
    return {t.code: t for p in parts() for t in p.themes}


@cache
def scale() -> dict[int, str]:
    """KL's definition of each level of the Fælles Sprog III scale."""
    raw = json.loads((DATA / "fsiii_scale.json").read_text(encoding="utf-8"))
    return {int(row["level"]): row["definition"] for row in raw["levels"]}
