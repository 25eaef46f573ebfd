"""Adults without children at home, guardians (værgemål) and contact details.

Whoever the families did not take from the pyramid lives alone or as a couple; some of
the oldest live in a care home. Demo phone numbers start with 1 (eight-digit numbers
starting with 1 are not issued to subscribers in Denmark) and e-mail addresses are at
example.org, so no demo message can reach a real person.
"""

from __future__ import annotations

import random

from helhed.demo import data
from helhed.demo.families import adult
from helhed.demo.town import REF, YEAR, Town
from helhed.people.names import fold

SCOPES = ("begge", "oekonomiske", "personlige")
SCOPE_WEIGHTS = (50, 35, 15)
CHANNELS = ("digital_post", "sms", "email", "telefon")
CHANNEL_WEIGHTS = (75, 12, 8, 5)


def build_adults(town: Town) -> None:
    """Households for every adult still left in the pyramid."""
    counts = town.quotas.counts
    pool = [age for age in range(18, data.MAX_AGE + 1) for _ in range(counts[age])]
    town.rng.shuffle(pool)
    for age in pool:
        if counts[age] == 0:  # already taken as someone's partner
            continue
        counts[age] -= 1
        _household(town, age)


def _couple_share(age: int) -> float:
    if age < 25:
        return 0.15
    if age < 35:
        return 0.45
    return 0.55 if age < 80 else 0.3


def _female_share(age: int) -> float:
    return 0.5 if age < 65 else 0.56 if age < 80 else 0.66


def _household(town: Town, age: int) -> None:
    rng, people = town.rng, town.people
    world = rng.random() < 0.07
    district = town.homes.pick_district()
    if age >= 80 and rng.random() < 0.08:
        _care_home(town, age, world, district)
        return
    female = rng.random() < _female_share(age)
    first = people.make(age, female, world)
    members = [first]
    if rng.random() < _couple_share(age):
        partner_female = female if rng.random() < 0.02 else not female
        delta = round(rng.gauss(2.5, 3)) * (1 if female else -1)
        shared = people.last_of(first) if rng.random() < 0.4 else None
        partner = adult(town, age + delta, age - 15, age + 15, partner_female, world,
                        last=shared, required=False)
        if partner is not None:
            members.append(partner)
    youngest = min(people.age(m) for m in members)
    address = town.homes.home(district, rng.random() < (0.7 if len(members) == 1 else 0.4))
    moved_in = REF - rng.randint(30, max(31, min(youngest - 18, 40) * YEAR))
    town.settle(members, address, moved_in, district, history=0.6 if youngest < 26 else 0.35)


def _care_home(town: Town, age: int, world: bool, district: str) -> None:
    rng, people = town.rng, town.people
    resident = people.make(age, rng.random() < 0.7, world)
    born = people.born(resident)
    moved_in = REF - rng.randint(30, 5 * YEAR)
    town.residences.live(resident, town.homes.care_home(), moved_in, born)
    before = moved_in - rng.randint(5, 40) * YEAR
    town.residences.lived(resident, town.homes.former(district), before, moved_in, born)


def add_guardians(town: Town) -> None:
    """Værgemål for some adults: more among the young and the very old."""
    rng, people, enc = town.rng, town.people, town.enc
    for ward in people.ids():
        age = people.age(ward)
        share = 0.0 if age < 18 else 0.012 if age < 30 else 0.004 if age < 80 else 0.03
        if share == 0.0 or rng.random() >= share:
            continue
        start = max(people.born(ward) + 18 * YEAR + 1, REF - rng.randint(30, 15 * YEAR))
        guardian = _relative_guardian(town, ward) if rng.random() < 0.4 else None
        name = "" if guardian else _professional(town)
        scope = rng.choices(SCOPES, weights=SCOPE_WEIGHTS)[0]
        town.guardianship.add(enc.date(start), None, enc.stamp(start), ward, guardian, name,
                              scope)


def _relative_guardian(town: Town, ward: int) -> int | None:
    people = town.people
    ids = people.ids()
    for _ in range(20):
        candidate = town.rng.choice(ids)
        if candidate != ward and 30 <= people.age(candidate) <= 75:
            return candidate
    return None


def _professional(town: Town) -> str:
    names, rng = town.people.names, town.rng
    female = rng.random() < 0.5
    person = f"{names.first(1975, female, False)} {names.last(False)}"
    return f"{person}, advokat" if rng.random() < 0.6 else f"{person}, beskikket værge"


def add_contact_details(town: Town) -> None:
    """How citizens from 15 years old prefer to be reached; some changed it once."""
    rng, people = town.rng, town.people
    slugs: dict[tuple[str, str], str] = {}
    for citizen in people.ids():
        age = people.age(citizen)
        if age < 15:
            continue
        key = (people.first_name[citizen - people.first_id], people.last_of(citizen))
        slug = slugs.get(key)
        if slug is None:
            slug = slugs[key] = ".".join(fold(part).replace(" ", "-") for part in key)
        since = max(people.born(citizen) + 15 * YEAR + 1, REF - rng.randint(30, 6 * YEAR))
        if rng.random() < 0.1:
            earlier = since - rng.randint(1, 5) * YEAR
            _details(town, rng, citizen, age, slug, earlier, since)
        _details(town, rng, citizen, age, slug, since, None)


def _details(town: Town, rng: random.Random, citizen: int, age: int, slug: str, start: int,
             end: int | None) -> None:
    start = max(start, town.people.born(citizen))
    if end is not None and start >= end:
        return
    exempt = age >= 85 and rng.random() < 0.4
    channel = "brev" if exempt else rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
    phone = f"1{rng.randrange(10_000_000):07d}" if rng.random() < 0.92 or channel in (
        "sms", "telefon") else ""
    email = ""
    if channel == "email" or (age < 80 and rng.random() < 0.7):
        email = f"{slug}{rng.randrange(100)}@example.org"
    enc = town.enc
    town.details.add(enc.date(start), enc.date(end) if end else None, enc.stamp(end or start),
                     citizen, phone, email, channel, exempt, "")
