"""The town being built: its tables, its people and homes, and the family relations."""

from __future__ import annotations

import random

from helhed.demo.homes import AddressBook, Residences, address_table, residence_table
from helhed.demo.people import AgeQuotas, People, citizen_table
from helhed.demo.rows import REFERENCE_DAY, Encoder, Table
from helhed.people.models import (
    ContactArrangement,
    ContactDetails,
    Custody,
    Guardianship,
    ParentChild,
)

REF = REFERENCE_DAY.toordinal()
YEAR = 365
JOINT = "Fælles forældremyndighed"
SOLE = "Eneforældremyndighed"
SOLE_DECIDED = "Eneforældremyndighed efter afgørelse i Familieretshuset"
SCHEDULES = (
    "Hver anden weekend, fredag til søndag",
    "Hver anden weekend og en hverdag hver uge",
    "7/7-ordning: hver anden uge hos hver forælder",
    "9/5-ordning: ni dage hos bopælsforælderen, fem hos den anden",
    "Hver tredje weekend og halvdelen af ferierne",
    "Overvåget samvær to timer hver måned",
)
DECIDED_BY = ("Familieretshuset", "Aftale mellem forældrene", "Familieretten")

PARENT_CHILD_FIELDS = ["parent_id", "child_id", "kind", "valid_from", "registered_at"]
CUSTODY_FIELDS = ["valid_from", "valid_to", "registered_at", "child_id", "holder_id", "basis"]
CONTACT_FIELDS = [
    "valid_from", "valid_to", "registered_at", "child_id", "parent_id", "schedule", "decided_by",
]
GUARDIAN_FIELDS = [
    "valid_from", "valid_to", "registered_at", "ward_id", "guardian_id", "guardian_name", "scope",
]
DETAILS_FIELDS = [
    "valid_from", "valid_to", "registered_at", "citizen_id", "phone", "email",
    "preferred_channel", "exempt_from_digital_post", "note",
]


class Town:
    """Everything about the citizens, as rows, before it is written."""

    def __init__(self, rng: random.Random, enc: Encoder, first_ids: dict[str, int],
                 code: str, citizens: int) -> None:
        self.rng = rng
        self.enc = enc
        self.citizen = citizen_table(first_ids["citizen"])
        self.address = address_table(first_ids["address"])
        self.residence = residence_table(first_ids["residence"])
        self.parent_child = Table(ParentChild, PARENT_CHILD_FIELDS, first_ids["parent_child"])
        self.custody = Table(Custody, CUSTODY_FIELDS, first_ids["custody"])
        self.contact = Table(ContactArrangement, CONTACT_FIELDS, first_ids["contact"])
        self.guardianship = Table(Guardianship, GUARDIAN_FIELDS, first_ids["guardianship"])
        self.details = Table(ContactDetails, DETAILS_FIELDS, first_ids["details"])
        self.people = People(rng, enc, self.citizen)
        self.homes = AddressBook(rng, enc, self.address, code)
        self.residences = Residences(enc, self.residence)
        self.quotas = AgeQuotas(citizens, rng)
        self.kids: list[tuple[int, int, str]] = []  # (citizen id, birth ordinal, district)
        self._children_names: dict[int, set[str]] = {}  # parent -> children's first names

    def tables(self) -> list[Table]:
        return [self.address, self.citizen, self.residence, self.parent_child, self.custody,
                self.contact, self.guardianship, self.details]

    def parent(self, parent: int, child: int, kind: str = "") -> None:
        """``parent`` is a legal parent of ``child``: mor or far by sex unless ``kind``."""
        kind = kind or ("mor" if self.people.is_female(parent) else "far")
        name = self.people.first_name[child - self.people.first_id]
        self._children_names.setdefault(parent, set()).add(name)
        born = self.people.born(child)
        self.parent_child.add(parent, child, kind, self.enc.date(born), self.enc.stamp(born))

    def names_of_children(self, *parents: int) -> frozenset[str]:
        """First names the parents' children already have (not to be given again)."""
        return frozenset().union(*(self._children_names.get(p, ()) for p in parents))

    def give_custody(self, child: int, holder: int, start: int, basis: str,
                     end: int | None = None) -> None:
        enc = self.enc
        self.custody.add(enc.date(start), enc.date(end) if end else None,
                         enc.stamp(end or start), child, holder, basis)

    def arrange_contact(self, child: int, parent: int, start: int) -> None:
        start = min(max(start, self.people.born(child)), REF - 1)
        self.contact.add(self.enc.date(start), None, self.enc.stamp(start), child, parent,
                         self.rng.choice(SCHEDULES), self.rng.choice(DECIDED_BY))

    def settle(self, members: list[int], address: int, moved_in: int, district: str,
               history: float) -> None:
        """Members live at ``address`` from ``moved_in``; maybe together somewhere before."""
        moved_in = min(moved_in, REF - 1)
        former = None
        if self.rng.random() < history:
            former = self.homes.former(district)
            former_from = moved_in - self.rng.randint(1, 12) * YEAR
        for member in members:
            born = self.people.born(member)
            self.residences.live(member, address, moved_in, born)
            if former is not None and former != address:
                self.residences.lived(member, former, former_from, moved_in, born)
