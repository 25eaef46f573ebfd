"""Addresses (houses, flats, care homes) and residences with history.

Streets are opened as the town grows: each district has a few streets in use; when one is
full (40–160 house numbers) the next name from the word lists takes its place, so a small
demo has short streets and a large one has many, never the same address twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from helhed.demo import data
from helhed.demo.rows import REFERENCE_DAY, Encoder, Table
from helhed.people.models import Address, Residence

ADDRESS_FIELDS = [
    "uuid", "street", "house_number", "floor", "door", "postcode", "city",
    "municipality_code", "district",
]
RESIDENCE_FIELDS = ["valid_from", "valid_to", "registered_at", "citizen_id", "address_id"]
ACTIVE_STREETS = 6
# Share of households per district (Midt is the town centre).
DISTRICT_WEIGHTS = (0.18, 0.18, 0.17, 0.17, 0.30)


@dataclass
class Street:
    name: str
    postcode: str
    city: str
    district: str
    capacity: int
    next_number: int = 1


@dataclass
class District:
    name: str
    active: list[Street] = field(default_factory=list)
    block: list[tuple[str, str]] = field(default_factory=list)  # free (floor, door) units
    block_street: Street | None = None
    block_number: str = ""


class AddressBook:
    """Hands out new, unique addresses and remembers them for later moves."""

    def __init__(self, rng: random.Random, enc: Encoder, table: Table, code: str) -> None:
        self.rng = rng
        self.enc = enc
        self.table = table
        self.code = code
        names = [f"{prefix}{stem}{suffix}" for prefix in data.STREET_PREFIXES
                 for stem in data.STREET_STEMS for suffix in data.STREET_SUFFIXES]
        rng.shuffle(names)
        self._street_names = iter(names)
        self._round = 0
        self.districts = [District(name) for name in data.DISTRICTS]
        self.district_of: dict[int, str] = {}
        self.ids: list[int] = []
        self._care_doors = [0] * len(data.CARE_HOME_STREETS)

    def pick_district(self) -> str:
        return self.rng.choices(data.DISTRICTS, weights=DISTRICT_WEIGHTS)[0]

    def home(self, district: str, flat: bool) -> int:
        place = self.districts[data.DISTRICTS.index(district)]
        if flat:
            return self._flat(place)
        street = self._street(place)
        return self._add(street, self._number(street), "", "")

    def care_home(self) -> int:
        """A dwelling (plejebolig) in one of the care homes."""
        which = self.rng.randrange(len(data.CARE_HOME_STREETS))
        self._care_doors[which] += 1
        street = Street(data.CARE_HOME_STREETS[which], "9999", "Helhedby", "Midt", 0)
        return self._add(street, "1", "", str(self._care_doors[which]))

    def former(self, district: str) -> int:
        """An address someone lived at before: mostly one already in the town."""
        if self.ids and self.rng.random() < 0.7:
            return self.rng.choice(self.ids)
        return self.home(district, self.rng.random() < 0.6)

    def _flat(self, place: District) -> int:
        if not place.block:
            street = self._street(place)
            floors = data.FLOORS[: self.rng.randint(2, len(data.FLOORS))]
            place.block = [(f, d) for f in reversed(floors) for d in reversed(data.DOORS)]
            place.block_street = street
            place.block_number = self._number(street)
        floor, door = place.block.pop()
        assert place.block_street is not None
        return self._add(place.block_street, place.block_number, floor, door)

    def _street(self, place: District) -> Street:
        while len(place.active) < ACTIVE_STREETS:
            place.active.append(self._open_street(place.name))
        index = self.rng.randrange(ACTIVE_STREETS)
        street = place.active[index]
        if street.next_number > street.capacity:
            street = place.active[index] = self._open_street(place.name)
        return street

    def _open_street(self, district: str) -> Street:
        name = next(self._street_names, None)
        if name is None:  # every name used: start again with higher numbers
            self._round += 1
            names = [f"{p}{s}{x}" for p in data.STREET_PREFIXES for s in data.STREET_STEMS
                     for x in data.STREET_SUFFIXES]
            self.rng.shuffle(names)
            self._street_names = iter(names)
            name = next(self._street_names)
        postcode, city = self.rng.choice(data.PLACES[district])
        capacity = self.rng.randint(40, 160)
        return Street(name, postcode, city, district, capacity * (self._round + 1),
                      next_number=1 + capacity * self._round)

    def _number(self, street: Street) -> str:
        number = street.next_number
        street.next_number += self.rng.choice((1, 1, 2))
        return str(number)

    def _add(self, street: Street, number: str, floor: str, door: str) -> int:
        address_id = self.table.add(
            self.enc.uuid(), street.name, number, floor, door, street.postcode, street.city,
            self.code, street.district,
        )
        self.district_of[address_id] = street.district
        self.ids.append(address_id)
        return address_id


class Residences:
    """Residence rows: one open per citizen, earlier ones closed with ``valid_to``."""

    def __init__(self, enc: Encoder, table: Table) -> None:
        self.enc = enc
        self.table = table
        self.last_day = REFERENCE_DAY.toordinal() - 1

    def live(self, citizen: int, address: int, since: int, born: int) -> None:
        start = min(max(since, born), self.last_day)
        self.table.add(self.enc.date(start), None, self.enc.stamp(start), citizen, address)

    def lived(self, citizen: int, address: int, start: int, end: int, born: int) -> None:
        """An earlier residence from ``start`` to ``end`` (skipped if born after ``end``)."""
        start = max(start, born)
        end = min(end, self.last_day)
        if start >= end:
            return
        self.table.add(self.enc.date(start), self.enc.date(end), self.enc.stamp(end),
                       citizen, address)


def address_table(first_id: int) -> Table:
    return Table(Address, ADDRESS_FIELDS, first_id)


def residence_table(first_id: int) -> Table:
    return Table(Residence, RESIDENCE_FIELDS, first_id)
