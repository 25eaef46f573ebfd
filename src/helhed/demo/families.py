"""Families with children: together, apart (two households), or one parent alone.

Children are drawn from the age pyramid first; parents are then found at fitting ages.
About seven in ten families live together; the rest live apart with joint (mostly) or
sole custody and a contact arrangement with the parent the children do not live with.
New partners move in, and some have children together: half-siblings across households.
"""

from __future__ import annotations

from dataclasses import dataclass

from helhed.demo.data import MAX_AGE
from helhed.demo.town import JOINT, REF, SOLE, SOLE_DECIDED, YEAR, Town


@dataclass
class Family:
    mother: int
    other: int | None
    kids: list[int]
    district: str
    world: bool
    co_mother: bool = False


def build_families(town: Town) -> None:
    """Families until every child in the pyramid has one."""
    while town.quotas.remaining(0, 17):
        ages = _sibling_ages(town)
        _family(town, ages)


def _sibling_ages(town: Town) -> list[int]:
    rng, quotas = town.rng, town.quotas
    first = quotas.draw(0, 17)
    assert first is not None
    ages = [first]
    wanted = rng.choices((1, 2, 3, 4), weights=(38, 43, 15, 4))[0]
    while len(ages) < wanted:
        gap = rng.randint(1, 5)
        target = max(ages) + gap if rng.random() < 0.5 else min(ages) - gap
        age = quotas.take_near(target, 0, 17)
        if age is None:
            break
        ages.append(age)
    return sorted(ages, reverse=True)


def adult(town: Town, target: int, lo: int, hi: int, female: bool, world: bool,
          last: str | None = None, required: bool = True) -> int | None:
    """A new adult near ``target`` years; when ``required``, made even if the pyramid is full."""
    age = town.quotas.take_near(target, max(lo, 18), hi)
    if age is None and required:
        age = town.quotas.take_near(target, 18, MAX_AGE) or min(max(target, 18, lo), MAX_AGE)
    if age is None:
        return None
    return town.people.make(age, female, world, last=last)


def _family(town: Town, ages: list[int]) -> None:
    rng, people = town.rng, town.people
    world = rng.random() < 0.08
    oldest = ages[0]
    mother = adult(town, oldest + round(rng.gauss(30, 4.5)), oldest + 18, oldest + 45,
                   True, world)
    assert mother is not None
    family = Family(mother, None, [], town.homes.pick_district(), world)
    roll = rng.random()
    if roll >= 0.02:
        family.co_mother = roll < 0.035
        shared = rng.random() < (0.3 if family.co_mother else 0.45)
        target = people.age(mother) + round(rng.gauss(0 if family.co_mother else 2.5, 3))
        family.other = adult(town, target, oldest + 18, oldest + 60, family.co_mother, world,
                             last=people.last_of(mother) if shared else None)
    for age in ages:
        family.kids.append(_child(town, family, age))
    if roll < 0.02:
        _alone(town, family)
    elif roll < 0.72:
        _together(town, family)
    else:
        _apart(town, family)


def _child(town: Town, family: Family, age: int) -> int:
    rng, people = town.rng, town.people
    mothers = people.last_of(family.mother)
    middle = ""
    last = mothers
    if family.other is not None and not family.co_mother:
        others = people.last_of(family.other)
        roll = rng.random()
        last = others if roll < 0.5 or others == mothers else mothers
        if roll >= 0.75 and others != mothers:
            middle, last = mothers, others
    avoid = frozenset(people.first_name[k - people.first_id] for k in family.kids)
    child = people.make(age, rng.random() < 0.487, family.world, last=last, middle=middle,
                        avoid=avoid)
    town.parent(family.mother, child)
    if family.other is not None:
        town.parent(family.other, child, "medmor" if family.co_mother else "")
    return child


def _moved_in(town: Town, family: Family, latest: int) -> int:
    oldest_born = town.people.born(family.kids[0])
    adults = [family.mother] + ([family.other] if family.other else [])
    earliest = max(town.people.born(a) for a in adults) + 18 * YEAR
    start = max(oldest_born - 3 * YEAR, earliest)
    return town.rng.randint(min(start, latest), latest)


def _together(town: Town, family: Family) -> None:
    rng = town.rng
    assert family.other is not None
    home = town.homes.home(family.district, rng.random() < 0.35)
    moved_in = _moved_in(town, family, REF - 30)
    grown = _grown_child(town, family, [family.mother, family.other])
    town.settle([family.mother, family.other, *family.kids, *grown], home, moved_in,
                family.district, history=0.5)
    for kid in family.kids:
        born = town.people.born(kid)
        town.give_custody(kid, family.mother, born, JOINT)
        town.give_custody(kid, family.other, born, JOINT)
    _enrol_later(town, family.kids, family.district)


def _alone(town: Town, family: Family) -> None:
    """A mother alone with her children: sole custody, no other legal parent."""
    rng = town.rng
    home = town.homes.home(family.district, rng.random() < 0.6)
    town.settle([family.mother, *family.kids], home, _moved_in(town, family, REF - 30),
                family.district, history=0.5)
    for kid in family.kids:
        town.give_custody(kid, family.mother, town.people.born(kid), SOLE)
    _enrol_later(town, family.kids, family.district)
    if rng.random() < 0.3:
        _new_partner(town, family.mother, home, rng.randint(REF - 5 * YEAR, REF - 30),
                     family.district, family.world)


def _apart(town: Town, family: Family) -> None:
    """The parents split up: the children live with one, see the other."""
    rng, people = town.rng, town.people
    assert family.other is not None
    resident, away = family.mother, family.other
    if rng.random() < 0.2:
        resident, away = away, resident
    youngest_born = people.born(family.kids[-1])
    separated = rng.randint(min(youngest_born + 120, REF - 2), REF - 1)
    home = town.homes.home(family.district, rng.random() < 0.45)
    moved_in = _moved_in(town, family, min(people.born(family.kids[0]), REF - 30))
    grown = _grown_child(town, family, [family.mother, family.other])
    town.settle([resident, *family.kids, *grown], home, moved_in, family.district,
                history=0.4)
    town.residences.lived(away, home, moved_in, separated, people.born(away))
    away_district = family.district if rng.random() < 0.6 else town.homes.pick_district()
    away_home = town.homes.home(away_district, rng.random() < 0.6)
    town.residences.live(away, away_home, separated, people.born(away))
    _custody_after_split(town, family.kids, resident, away, separated)
    _enrol_later(town, family.kids, family.district)
    if rng.random() < 0.45:
        _new_partner(town, resident, home, rng.randint(separated, REF - 1), family.district,
                     family.world)
    if rng.random() < 0.5:
        _new_partner(town, away, away_home, separated, away_district, family.world)


def _custody_after_split(town: Town, kids: list[int], resident: int, away: int,
                         separated: int) -> None:
    rng = town.rng
    joint = rng.random() < 0.78
    changed = rng.randint(separated, REF - 1)
    for kid in kids:
        born = town.people.born(kid)
        if joint:
            town.give_custody(kid, resident, born, JOINT)
            town.give_custody(kid, away, born, JOINT)
        else:
            end = max(changed, born + 1)
            town.give_custody(kid, resident, born, JOINT, end=end)
            town.give_custody(kid, away, born, JOINT, end=end)
            town.give_custody(kid, resident, end, SOLE_DECIDED)
        if joint or rng.random() < 0.75:
            town.arrange_contact(kid, away, separated)


def _new_partner(town: Town, parent: int, home: int, since: int, district: str,
                 world: bool) -> None:
    """A new partner moves in with ``parent``; maybe they have a child together."""
    rng, people = town.rng, town.people
    female = not people.is_female(parent) if rng.random() < 0.97 else people.is_female(parent)
    target = people.age(parent) + round(rng.gauss(0, 4))
    partner = adult(town, target, target - 12, target + 12, female, world, required=False)
    if partner is None:
        return
    born = people.born(partner)
    since = min(max(since, born + 18 * YEAR), REF - 1)
    town.residences.live(partner, home, since, born)
    former = town.homes.former(district)
    if former != home:
        town.residences.lived(partner, former, since - rng.randint(1, 10) * YEAR, since, born)
    if rng.random() < 0.4:
        _half_sibling(town, parent, partner, home, since, district, world)


def _half_sibling(town: Town, parent: int, partner: int, home: int, since: int,
                  district: str, world: bool) -> None:
    rng, people = town.rng, town.people
    if not (people.is_female(parent) or people.is_female(partner)):
        return
    oldest = min((REF - since) // YEAR, 17)
    age = town.quotas.take_near(rng.randint(0, oldest), 0, oldest)
    if age is None:
        return
    mother, father = (parent, partner) if people.is_female(parent) else (partner, parent)
    child = people.make(age, rng.random() < 0.487, world, last=people.last_of(father),
                        avoid=town.names_of_children(parent, partner))
    born = people.born(child)
    town.parent(mother, child)
    town.parent(father, child, "medmor" if people.is_female(father) else "")
    town.residences.live(child, home, since, born)
    town.give_custody(child, mother, born, JOINT)
    town.give_custody(child, father, born, JOINT)
    _enrol_later(town, [child], district)


def _grown_child(town: Town, family: Family, parents: list[int]) -> list[int]:
    """Sometimes an older child (18–24) still lives at home."""
    oldest = town.people.age(family.kids[0])
    if oldest < 15 or town.rng.random() >= 0.3:
        return []
    youngest_parent = min(town.people.age(p) for p in parents)
    age = town.quotas.take_near(oldest + town.rng.randint(1, 4), 18,
                                min(24, youngest_parent - 18))
    if age is None:
        return []
    child = town.people.make(age, town.rng.random() < 0.487, family.world,
                             last=town.people.last_of(parents[-1]),
                             avoid=town.names_of_children(*parents))
    for parent in parents:
        town.parent(parent, child, "medmor" if family.co_mother and parent != parents[0]
                    else "")
    return [child]


def _enrol_later(town: Town, kids: list[int], district: str) -> None:
    town.kids.extend((kid, town.people.born(kid), district) for kid in kids)
