"""Teams, schools, day-care and providers, and the children's enrolments.

Schools (about 450 pupils) and day-care institutions (about 60 children) are sized to the
children in each district; every child 1–5 years old not yet in school has a day-care
place (most of them), every child in 0.–9. klasse a school and a class.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from helhed.demo import data
from helhed.demo.rows import REFERENCE_DAY, Encoder, Table
from helhed.organisation.models import Provider, Unit
from helhed.people.models import Enrollment
from helhed.people.names import fold

UNIT_FIELDS = ["department_id", "parent_id", "name", "kind", "district", "email", "phone"]
PROVIDER_FIELDS = [
    "uuid", "name", "kind", "cvr", "municipality_id", "unit_id", "offers", "address", "phone",
]
ENROLLMENT_FIELDS = ["valid_from", "valid_to", "registered_at", "citizen_id", "unit_id", "grade"]
PUPILS_PER_SCHOOL = 450
CHILDREN_PER_DAYCARE = 60
YEAR = 365
REF = REFERENCE_DAY.toordinal()

# department code -> [(unit name, kind)]; "{district}" makes one unit per district.
TEAMS: dict[str, list[tuple[str, str]]] = {
    "boernesocial": [("Familieteam {district}", "team"), ("Ungeteamet", "team"),
                     ("Handicapteamet for børn", "team"), ("Helhedsteamet", "team"),
                     ("Døgnvagten", "doegnvagt"), ("Familiehuset", "center")],
    "voksensocial": [("Voksenteam {district}", "team"), ("Visitationen, voksne", "team"),
                     ("Bostøtten", "center"), ("Botilbuddet Egely", "institution")],
    "jobcenter": [("Jobcenter Team {district}", "team"), ("Ungeindsatsen", "team")],
    "sundhed": [("Visitationen", "team"), ("Hjemmeplejen {district}", "team"),
                ("Hjælpemiddelcentret", "center")],
    "uu": [("UU-vejledningen", "team")],
    "skole": [("Skoleafdelingen", "team")],
    "dagtilbud": [("Dagtilbudsafdelingen", "team")],
    "misbrugscenter": [("Rusmiddelvisitationen", "team"), ("Rusmiddelcenter Helhed", "center")],
    "socialpsykiatri": [("Socialpsykiatrisk Center", "center"),
                        ("Bostedet Ørnereden", "institution")],
    "ppr": [("PPR Team {district}", "team")],
    "ydelse": [("Borgerservice", "team"), ("IT og Digitalisering", "team"),
               ("Analyse", "team")],
}
# (name, kind, municipal unit or "", offers)
PROVIDERS = (
    ("Bostøtten", "kommunal", "Bostøtten", "Serviceloven § 85: socialpædagogisk støtte"),
    ("Botilbuddet Egely", "kommunal", "Botilbuddet Egely",
     "Serviceloven §§ 107–108: midlertidigt og længerevarende botilbud"),
    ("Familiehuset", "kommunal", "Familiehuset", "Barnets lov § 32: familiebehandling"),
    ("Rusmiddelcenter Helhed", "kommunal", "Rusmiddelcenter Helhed",
     "Serviceloven § 101: behandling for stofmisbrug"),
    ("Bostedet Ørnereden", "kommunal", "Bostedet Ørnereden",
     "Serviceloven § 107: midlertidigt botilbud (socialpsykiatri)"),
    ("Børne- og Ungdomspsykiatrien, Region Demo", "regional", "",
     "Udredning og behandling af børn og unge"),
    ("Specialbørnehjemmet Kastanjegården, Region Demo", "regional", "",
     "Barnets lov § 43: anbringelse på døgninstitution"),
    ("Opholdsstedet Kompasset ApS", "privat", "", "Barnets lov § 43: opholdssted"),
    ("Familiebehandling Nord ApS", "privat", "", "Barnets lov § 32: familiebehandling"),
    ("Bo og Udvikling A/S", "privat", "", "Serviceloven §§ 85 og 107: bostøtte og botilbud"),
    ("Støttekontakten ApS", "privat", "", "Serviceloven § 85: støtte- og kontaktperson"),
    ("Misbrugsbehandling Vest ApS", "privat", "", "Serviceloven § 101: dagbehandling"),
)


@dataclass
class Organisation:
    """The units, providers and enrolments being built, and where staff can work."""

    units: Table
    providers: Table
    enrollments: Table
    unit_ids: dict[str, int] = field(default_factory=dict)  # name -> id
    unit_names: dict[int, str] = field(default_factory=dict)  # id -> name
    teams: list[tuple[int, str, str]] = field(default_factory=list)  # (id, dept code, kind)
    provider_of_unit: dict[int, int] = field(default_factory=dict)
    schools: dict[str, list[int]] = field(default_factory=dict)
    daycare: dict[str, list[int]] = field(default_factory=dict)


def build_organisation(rng: random.Random, enc: Encoder, first_ids: dict[str, int],
                       departments: dict[str, int], municipality_id: int,
                       kids: list[tuple[int, int, str]]) -> Organisation:
    org = Organisation(Table(Unit, UNIT_FIELDS, first_ids["unit"]),
                       Table(Provider, PROVIDER_FIELDS, first_ids["provider"]),
                       Table(Enrollment, ENROLLMENT_FIELDS, first_ids["enrollment"]))
    _teams(org, departments)
    _providers(org, rng, enc, municipality_id)
    pupils, toddlers = _split_children(rng, kids)
    _schools(org, rng, enc, departments["skole"], pupils)
    _daycare(org, rng, enc, departments["dagtilbud"], toddlers)
    return org


def _add_unit(org: Organisation, department: int, code: str, name: str, kind: str,
              district: str = "") -> int:
    slug = fold(name).replace(" ", "-")[:40] or "enhed"
    unit = org.units.add(department, None, name, kind, district,
                         f"{slug}@helhed-kommune.example.org", "")
    org.unit_ids[name] = unit
    org.unit_names[unit] = name
    if kind not in ("skole", "dagtilbud"):
        org.teams.append((unit, code, kind))
    return unit


def _teams(org: Organisation, departments: dict[str, int]) -> None:
    for code, teams in TEAMS.items():
        if code not in departments:
            continue
        for name, kind in teams:
            if "{district}" in name:
                for district in data.DISTRICTS:
                    _add_unit(org, departments[code], code, name.format(district=district),
                              kind, district)
            else:
                _add_unit(org, departments[code], code, name, kind)


def _providers(org: Organisation, rng: random.Random, enc: Encoder, municipality: int) -> None:
    for name, kind, unit_name, offers in PROVIDERS:
        unit = org.unit_ids.get(unit_name) if unit_name else None
        street = f"{rng.choice(data.STREET_STEMS)}{rng.choice(data.STREET_SUFFIXES)}"
        address = f"{street} {rng.randint(1, 120)}, 9999 Helhedby"
        provider = org.providers.add(enc.uuid(), name, kind, "", municipality, unit, offers,
                                     address, f"1{rng.randrange(10_000_000):07d}")
        if unit is not None:
            org.provider_of_unit[unit] = provider


def _split_children(rng: random.Random, kids: list[tuple[int, int, str]]
                    ) -> tuple[list[tuple[int, int, str, int]], list[tuple[int, int, str]]]:
    """Pupils (with their grade) and children for day-care, by birth year and age."""
    pupils, toddlers = [], []
    for kid, born, district in kids:
        grade = REFERENCE_DAY.year - _year(born) - 6
        if 0 <= grade <= 9 or (grade == 10 and rng.random() < 0.15):
            pupils.append((kid, born, district, grade))
        elif grade < 0 and REF - born >= 300 and rng.random() < 0.92:
            toddlers.append((kid, born, district))
    return pupils, toddlers


def _year(ordinal: int) -> int:
    return dt.date.fromordinal(ordinal).year


def _by_district(items: list[tuple], size: int,
                 add: Callable[[str], int]) -> dict[str, list[int]]:
    """Enough units in each district for its children (at least one)."""
    placed: dict[str, list[int]] = {}
    for district in data.DISTRICTS:
        count = sum(1 for item in items if item[2] == district)
        placed[district] = [add(district) for _ in range(max(1, math.ceil(count / size)))]
    return placed


def _unit_adder(org: Organisation, department: int, kind: str, names: list[str],
                name_of: Callable[[str, int], str]) -> Callable[[str], int]:
    """A function that adds the next unit of ``kind`` in a district and returns its id.

    Units take ``names`` in turn; once every name is used, ``name_of`` gets the round
    number (1, 2, ...) to tell the second unit of a name from the first.
    """
    made: list[int] = []

    def add(district: str) -> int:
        index = len(made)
        name = name_of(names[index % len(names)], index // len(names))
        made.append(_add_unit(org, department, kind, name, kind, district))
        return made[-1]

    return add


def _schools(org: Organisation, rng: random.Random, enc: Encoder, department: int,
             pupils: list[tuple[int, int, str, int]]) -> None:
    stems = list(data.SCHOOL_STEMS)
    rng.shuffle(stems)
    add = _unit_adder(org, department, "skole", stems,
                      lambda stem, n: f"{stem}skolen" + (f" afd. {n + 1}" if n else ""))
    org.schools.update(_by_district(pupils, PUPILS_PER_SCHOOL, add))
    for kid, _born, district, grade in pupils:
        school = rng.choice(org.schools[district])
        start = dt.date(REFERENCE_DAY.year - grade, 8, 10).toordinal()
        label = f"{grade}.{rng.choice('abc')}"
        org.enrollments.add(enc.date(start), None, enc.stamp(start), kid, school, label)


def _daycare(org: Organisation, rng: random.Random, enc: Encoder, department: int,
             toddlers: list[tuple[int, int, str]]) -> None:
    names = list(data.DAYCARE_NAMES)
    rng.shuffle(names)
    add = _unit_adder(org, department, "dagtilbud", names,
                      lambda name, n: f"Børnehuset {name}" + (f" {n + 1}" if n else ""))
    org.daycare.update(_by_district(toddlers, CHILDREN_PER_DAYCARE, add))
    for kid, born, district in toddlers:
        start = min(born + rng.randint(300, 400), REF - 1)
        org.enrollments.add(enc.date(start), None, enc.stamp(start), kid,
                            rng.choice(org.daycare[district]), "")
