"""The ICS triangle (the child's development, the parents' capacities, family and network)
that structures a child investigation, read once from ``assessment/data/ics_triangle.json``.
Reference data, not personal data. A theme is either a side (``barnets_udvikling``) or one
of its dimensions (``barnets_udvikling.sundhed``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class IcsTheme:
    code: str
    title: str
    side: str
    side_title: str


@dataclass(frozen=True)
class Side:
    code: str
    title: str
    themes: tuple[IcsTheme, ...]


@cache
def sides() -> tuple[Side, ...]:
    raw = json.loads((DATA / "ics_triangle.json").read_text(encoding="utf-8"))
    return tuple(
        Side(code=s["code"], title=s["title"], themes=tuple(
            IcsTheme(code=f"{s['code']}.{t['code']}", title=t["title"], side=s["code"],
                     side_title=s["title"]) for t in s["themes"]))
        for s in raw["sides"])


@cache
def themes() -> dict[str, IcsTheme]:
    """Every side and dimension by code, in the triangle's order."""
    out: dict[str, IcsTheme] = {}
    for side in sides():
        out[side.code] = IcsTheme(code=side.code, title=side.title, side=side.code,
                                  side_title=side.title)
        out.update({t.code: t for t in side.themes})
    return out
