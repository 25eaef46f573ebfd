"""Danish CPR numbers (personnumre): parsing and validation.

Rules (CPR-kontoret, "Personnummeret i CPR-systemet"):
- ten digits, ``DDMMYY-SSSS`` with or without the hyphen;
- the first six are a real date; the century follows from the seventh digit and the year;
- the tenth digit is odd for men, even for women;
- until 1 October 2007 every number passed the modulus-11 check. Since then the CPR office
  has issued numbers without it, so far only for birth dates on 1 January. We therefore
  require the check for every birth date except 1 January.

Synthetic numbers for demos and tests add 60 to the day of month (61–91): no real
number can have such a day, so a synthetic number can never name a real person. They are
accepted only where ``allow_synthetic`` is true (see docs/cpr.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from helhed.core.errors import fill, localize

WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
SYNTHETIC_DAY_OFFSET = 60
_SEPARATORS = re.compile(r"[\s\-]")


class CprError(ValueError):
    """An invalid CPR number. ``code`` is stable for machines, ``message`` is Danish.

    Like :class:`helhed.core.errors.DomainError`: ``message`` is the marked Danish
    ``template`` filled in with ``params``; :meth:`localized` is the reader's language.
    """

    def __init__(self, code: str, message: str,
                 params: Mapping[str, object] | None = None) -> None:
        self.code = code
        self.template = message
        self.params: dict[str, object] = dict(params or {})
        self.message = fill(message, self.params)
        super().__init__(self.message)

    def localized(self) -> str:
        return localize(self.template, self.params)


@dataclass(frozen=True)
class Cpr:
    """A validated CPR number."""

    digits: str
    birth_date: dt.date
    synthetic: bool

    @property
    def is_female(self) -> bool:
        return int(self.digits[9]) % 2 == 0

    @property
    def formatted(self) -> str:
        return f"{self.digits[:6]}-{self.digits[6:]}"

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    def __str__(self) -> str:
        return self.formatted


def century(year2: int, seventh: int) -> int:
    """The century (1800, 1900 or 2000) from the two-digit year and the seventh digit."""
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if year2 <= 36 else 1900
    # 5–8
    if year2 <= 57:
        return 2000
    return 1800


def modulus11_ok(digits: str) -> bool:
    return sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11 == 0


def modulus11_applies(birth_date: dt.date) -> bool:
    """Numbers without the check have been issued only for 1 January birth dates."""
    return not (birth_date.month == 1 and birth_date.day == 1)


def normalise(value: str) -> str:
    return _SEPARATORS.sub("", value or "")


def parse(value: str, *, allow_synthetic: bool = False) -> Cpr:
    """Validate ``value`` and return a :class:`Cpr`, or raise :class:`CprError`."""
    digits = normalise(value)
    if not digits:
        raise CprError("cpr.empty", gettext_noop("Skriv et CPR-nummer."))
    if not digits.isascii() or not digits.isdigit():
        raise CprError("cpr.not_digits",
                       gettext_noop("Et CPR-nummer består kun af cifre (fx 010203-1234)."))
    if len(digits) != 10:
        raise CprError("cpr.length",
                       gettext_noop("Et CPR-nummer har 10 cifre; der er %(count)s."),
                       {"count": len(digits)})
    day, month, year2, seventh = (
        int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    )
    synthetic = day > SYNTHETIC_DAY_OFFSET
    if synthetic:
        if not allow_synthetic:
            raise CprError(
                "cpr.synthetic",
                gettext_noop(
                    "Nummeret er et fiktivt demo-CPR-nummer (dag + 60) og accepteres ikke her."),
            )
        day -= SYNTHETIC_DAY_OFFSET
    year = century(year2, seventh) + year2
    try:
        birth_date = dt.date(year, month, day)
    except ValueError as exc:
        raise CprError(
            "cpr.date", gettext_noop("De første seks cifre er ikke en gyldig dato (DDMMÅÅ).")
        ) from exc
    if modulus11_applies(birth_date) and not modulus11_ok(digits):
        raise CprError(
            "cpr.checksum",
            gettext_noop("CPR-nummeret består ikke kontrollen (modulus 11). "
                         "Tjek om der er en tastefejl."),
        )
    return Cpr(digits=digits, birth_date=birth_date, synthetic=synthetic)


def looks_like_cpr(query: str) -> bool:
    """True when a search text is (the start of) a CPR number rather than a name."""
    compact = normalise(query)
    return bool(compact) and compact.isdigit()


def seventh_digits_for(year: int) -> tuple[int, ...]:
    """The seventh digits that give ``year`` its century (used to build numbers)."""
    year2 = year % 100
    return tuple(s for s in range(10) if century(year2, s) + year2 == year)
