"""Citizens: ages from the Danish age pyramid, names by generation, synthetic CPR numbers."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random

from helhed.demo import data
from helhed.demo.cprs import CprFactory
from helhed.demo.rows import REFERENCE_DAY, Encoder, Table
from helhed.people.models import Citizen
from helhed.people.names import fold

CITIZEN_FIELDS = [
    "uuid", "cpr", "birth_date", "sex", "first_name", "middle_name", "last_name",
    "name_folded", "name_protected", "died_on", "created_at", "updated_at",
]
YEAR = 365


class AgeQuotas:
    """How many citizens of each age are still to be made; the pyramid scaled to ``total``."""

    def __init__(self, total: int, rng: random.Random) -> None:
        weights = [data.AGE_BANDS[age // 5] for age in range(data.MAX_AGE + 1)]
        exact = [w * total / sum(weights) for w in weights]
        counts = [int(x) for x in exact]
        by_remainder = sorted(range(len(exact)), key=lambda a: (counts[a] - exact[a], a))
        for age in by_remainder[: total - sum(counts)]:
            counts[age] += 1
        self.counts = counts
        self._rng = rng

    def remaining(self, lo: int, hi: int) -> int:
        return sum(self.counts[lo : hi + 1])

    def draw(self, lo: int, hi: int) -> int | None:
        """A random age in ``lo..hi``, weighted by what is left."""
        window = self.counts[lo : hi + 1]
        if not any(window):
            return None
        age = self._rng.choices(range(lo, hi + 1), weights=window)[0]
        self.counts[age] -= 1
        return age

    def take_near(self, target: int, lo: int, hi: int) -> int | None:
        """The age closest to ``target`` within ``lo..hi`` that is still to be made."""
        lo, hi = max(lo, 0), min(hi, data.MAX_AGE)
        if lo > hi:
            return None
        target = min(max(target, lo), hi)
        for step in range(hi - lo + 1):
            for age in (target - step, target + step):
                if lo <= age <= hi and self.counts[age] > 0:
                    self.counts[age] -= 1
                    return age
        return None


class Names:
    """Weighted picks of first names (by birth year and sex) and last names."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._lists: dict[str, tuple[list[str], list[float]]] = {}
        for key, names in {
            "K0": data.FEMALE_OLD, "K1": data.FEMALE_MIDDLE, "K2": data.FEMALE_YOUNG,
            "M0": data.MALE_OLD, "M1": data.MALE_MIDDLE, "M2": data.MALE_YOUNG,
            "Kw": data.FEMALE_WORLD, "Mw": data.MALE_WORLD,
            "last": data.LAST_NAMES, "lastw": data.LAST_WORLD, "middle": data.MIDDLE_NAMES,
        }.items():
            weights = [1 / (rank + 2) ** 0.8 for rank in range(len(names))]
            self._lists[key] = (list(names), list(itertools.accumulate(weights)))

    def pick(self, key: str) -> str:
        names, cumulative = self._lists[key]
        return names[bisect.bisect(cumulative, self._rng.random() * cumulative[-1])]

    def first(self, birth_year: int, female: bool, world: bool) -> str:
        sex = "K" if female else "M"
        if world:
            return self.pick(sex + "w")
        generation = "0" if birth_year < 1960 else "1" if birth_year < 1995 else "2"
        return self.pick(sex + generation)

    def last(self, world: bool) -> str:
        return self.pick("lastw" if world else "last")


class People:
    """Makes citizen rows and remembers what later steps need about each citizen."""

    def __init__(self, rng: random.Random, enc: Encoder, table: Table) -> None:
        self.rng = rng
        self.enc = enc
        self.table = table
        self.names = Names(rng)
        self.cprs = CprFactory(rng)
        self.first_id = table.next_id
        self.birth: list[int] = []  # birth date ordinals, by citizen id - first_id
        self.female: list[bool] = []
        self.ages: list[int] = []  # age on the reference day
        self.first_name: list[str] = []
        self.last_name: list[str] = []
        self._folded: dict[tuple[str, str, str], str] = {}
        ref = REFERENCE_DAY
        self._birth_span = [
            (dt.date(ref.year - age - 1, ref.month, ref.day).toordinal() + 1,
             dt.date(ref.year - age, ref.month, ref.day).toordinal())
            for age in range(data.MAX_AGE + 1)
        ]

    def make(self, age: int, female: bool, world: bool = False, last: str | None = None,
             middle: str = "", avoid: frozenset[str] = frozenset()) -> int:
        """A new citizen of ``age`` on the reference day; returns the citizen id.

        ``avoid``: first names not to give (a sibling's)."""
        rng = self.rng
        born = rng.randint(*self._birth_span[age])
        birth = dt.date.fromordinal(born)
        first = self.names.first(birth.year, female, world)
        for _ in range(3):
            if first not in avoid:
                break
            first = self.names.first(birth.year, female, world)
        if last is None:
            last = self.names.last(world)
        if not middle and not world and rng.random() < 0.12:
            middle = self.names.pick("middle" if female else "last")
        key = (first, middle, last)
        folded = self._folded.get(key)
        if folded is None:
            folded = self._folded[key] = fold(" ".join(p for p in key if p))
        protected = rng.random() < 0.004
        self.birth.append(born)
        self.ages.append(age)
        self.female.append(female)
        self.first_name.append(first)
        self.last_name.append(last)
        return self.table.add(
            self.enc.uuid(), self.cprs.make(birth, female), self.enc.date(born),
            "K" if female else "M", first, middle, last, folded, protected, None,
            self.enc.reference_stamp, self.enc.reference_stamp,
        )

    def born(self, citizen_id: int) -> int:
        return self.birth[citizen_id - self.first_id]

    def age(self, citizen_id: int) -> int:
        return self.ages[citizen_id - self.first_id]

    def last_of(self, citizen_id: int) -> str:
        return self.last_name[citizen_id - self.first_id]

    def is_female(self, citizen_id: int) -> bool:
        return self.female[citizen_id - self.first_id]

    def ids(self) -> range:
        return range(self.first_id, self.table.next_id)


def citizen_table(first_id: int) -> Table:
    return Table(Citizen, CITIZEN_FIELDS, first_id)
