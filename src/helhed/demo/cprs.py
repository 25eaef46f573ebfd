"""Synthetic CPR numbers for the demo: day of month + 60, otherwise by every real rule.

A number is ``DD+60 MM YY S S S S``: the seventh digit gives the right century for the
birth year (``cpr.seventh_digits_for``), the tenth is even for women and odd for men, and
the whole number passes the modulus-11 check, so ``cpr.parse(n, allow_synthetic=True)``
accepts it after full validation. See docs/cpr.md.
"""

from __future__ import annotations

import datetime as dt
import random

from helhed.core import cpr

_LAST_FOUR_WEIGHTS = cpr.WEIGHTS[6:]


class CprFactory:
    """Hands out unique synthetic numbers, deterministically from ``rng``."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._buckets = _serial_buckets()
        # (residue of the first six digits, allowed seventh digits, female) -> serials
        self._serials: dict[tuple[int, tuple[int, ...], bool], list[str]] = {}
        # (first six digits, female) -> (serials, start offset, how many handed out)
        self._next: dict[tuple[str, bool], list] = {}
        self._sevenths: dict[int, tuple[int, ...]] = {}

    def make(self, birth: dt.date, female: bool) -> str:
        day = birth.day + cpr.SYNTHETIC_DAY_OFFSET
        first_six = f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        slot = self._next.get((first_six, female))
        if slot is None:
            serials = self._serials_for(first_six, birth.year, female)
            slot = self._next[(first_six, female)] = [
                serials, self._rng.randrange(len(serials)), 0]
        serials, start, used = slot
        if used >= len(serials):
            raise ValueError(f"no synthetic CPR numbers left for {birth}")
        slot[2] = used + 1
        return first_six + serials[(start + used) % len(serials)]

    def _serials_for(self, first_six: str, year: int, female: bool) -> list[str]:
        residue = sum(int(d) * w for d, w in zip(first_six, cpr.WEIGHTS, strict=False)) % 11
        sevenths = self._sevenths.get(year)
        if sevenths is None:
            sevenths = self._sevenths[year] = cpr.seventh_digits_for(year)
        key = (residue, sevenths, female)
        serials = self._serials.get(key)
        if serials is None:
            parity = 0 if female else 1
            serials = [s for seventh in sevenths
                       for s in self._buckets[(residue, seventh, parity)]]
            self._rng.shuffle(serials)
            self._serials[key] = serials
        return serials


def _serial_buckets() -> dict[tuple[int, int, int], list[str]]:
    """Last four digits by (residue of the first six they complete, seventh digit, parity)."""
    buckets: dict[tuple[int, int, int], list[str]] = {}
    for number in range(10_000):
        serial = f"{number:04d}"
        weighted = sum(int(d) * w for d, w in zip(serial, _LAST_FOUR_WEIGHTS, strict=True))
        key = ((-weighted) % 11, int(serial[0]), int(serial[3]) % 2)
        buckets.setdefault(key, []).append(serial)
    return buckets
