"""Personas for tests: built once per test from the same recipe, reused everywhere.

Staff: ``anna`` (children's caseworker), ``bo`` (her team colleague), ``carl`` (adults'),
``dorte`` (jobcenter), ``erik`` (on-call), ``frida`` (leader), ``gustav`` (provider staff),
``hanne`` (administrator), ``ivan`` (analyst), ``outsider`` (a login with no staff record).
Citizens: the Ærø Hansen family, see :class:`Family`.
All passwords are ``PASSWORD``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from helhed.core import clock
from helhed.organisation.models import Provider, Role, StaffMember, Unit
from helhed.organisation.setup import ensure_municipality
from helhed.people import names
from helhed.people.models import (
    Address,
    Citizen,
    ContactArrangement,
    ContactDetails,
    Custody,
    ParentChild,
    Residence,
)

PASSWORD = "helhed-test-1234"  # noqa: S105

STAFF = {
    # username: (full name, role code, department code, unit name)
    "anna": ("Anna Andersen", "sagsbehandler-boern", "boernesocial", "Familieteam Nord"),
    "bo": ("Bo Bech", "sagsbehandler-boern", "boernesocial", "Familieteam Nord"),
    "carl": ("Carl Christensen", "sagsbehandler-voksen", "voksensocial", "Voksenteam"),
    "dorte": ("Dorte Dahl", "sagsbehandler-job", "jobcenter", "Jobcenter Team 1"),
    "erik": ("Erik Eriksen", "doegnvagt", "boernesocial", "Døgnvagten"),
    "frida": ("Frida Frost", "leder", "boernesocial", "Familieteam Nord"),
    "gustav": ("Gustav Gade", "udfoerer", "voksensocial", "Bostøtten"),
    "hanne": ("Hanne Holm", "administrator", "ydelse", "IT og Digitalisering"),
    "ivan": ("Ivan Iversen", "analytiker", "ydelse", "Analyse"),
}
# Units that are not ordinary teams: the on-call unit takes notifications outside office hours.
UNIT_KINDS = {"Døgnvagten": Unit.Kind.ONCALL}


def make_staff(username: str) -> AbstractUser:
    User = get_user_model()  # noqa: N806
    if username == "outsider":
        return User.objects.create_user("outsider", password=PASSWORD, first_name="Olga",
                                        last_name="Udenfor")
    full_name, role_code, dept_code, unit_name = STAFF[username]
    municipality = ensure_municipality("0999", "Helhed Kommune", "Region Demo")
    department = municipality.departments.get(code=dept_code)
    unit, _ = Unit.objects.get_or_create(
        department=department, name=unit_name,
        defaults={"kind": UNIT_KINDS.get(unit_name, Unit.Kind.TEAM)})
    first, last = full_name.split(" ", 1)
    is_admin = role_code == "administrator"
    user = User.objects.create_user(username, password=PASSWORD, first_name=first,
                                    last_name=last, is_staff=is_admin, is_superuser=is_admin)
    provider = None
    if role_code == "udfoerer":
        provider, _ = Provider.objects.get_or_create(
            name="Bostøtten", municipality=municipality, kind=Provider.Kind.MUNICIPAL)
    staff = StaffMember.objects.create(user=user, municipality=municipality, unit=unit,
                                       provider=provider, initials=username[:3].upper())
    staff.roles.add(Role.objects.get(code=role_code))
    return user


def make_citizen(cpr: str, first: str, last: str, sex: str, birth: dt.date,
                 address: Address | None = None, since: dt.date | None = None) -> Citizen:
    now = clock.now()
    citizen = Citizen.objects.create(
        cpr=cpr, birth_date=birth, sex=sex, first_name=first, last_name=last,
        name_folded=names.fold(f"{first} {last}"), created_at=now, updated_at=now)
    if address is not None:
        Residence.objects.create(citizen=citizen, address=address,
                                 valid_from=since or birth, registered_at=now)
    return citizen


def make_address(street: str, number: str, postcode: str = "9999",
                 city: str = "Helhedby") -> Address:
    return Address.objects.create(street=street, house_number=number, postcode=postcode,
                                  city=city, municipality_code="0999", district="Nord")


@dataclass
class Family:
    """Søren Ærø (father) and Mette Hansen (mother) live apart; their children Liva (10)
    and Noah (6) live with Mette; Søren has a son, Oskar (14), with his new partner Pia,
    with whom he lives. Joint custody of Liva and Noah; contact every other weekend."""

    mother: Citizen
    father: Citizen
    liva: Citizen
    noah: Citizen
    partner: Citizen
    half_brother: Citizen
    mothers_home: Address
    fathers_home: Address


def make_family() -> Family:
    now = clock.now()
    mothers_home = make_address("Rosenvej", "12")
    fathers_home = make_address("Åboulevarden", "3")
    # Synthetic CPR numbers: day of month + 60, valid checksums (docs/cpr.md).
    mother = make_citizen("7003854048", "Mette", "Hansen", "K", dt.date(1985, 3, 10),
                          mothers_home, dt.date(2015, 1, 1))
    father = make_citizen("7506834001", "Søren", "Ærø", "M", dt.date(1983, 6, 15),
                          fathers_home, dt.date(2019, 5, 1))
    liva = make_citizen("6402165004", "Liva", "Ærø Hansen", "K", dt.date(2016, 2, 4),
                        mothers_home, dt.date(2016, 2, 4))
    noah = make_citizen("8009205005", "Noah", "Ærø Hansen", "M", dt.date(2020, 9, 20),
                        mothers_home, dt.date(2020, 9, 20))
    partner = make_citizen("6111884038", "Pia", "Poulsen", "K", dt.date(1988, 11, 1),
                           fathers_home, dt.date(2019, 5, 1))
    half_brother = make_citizen("7207125029", "Oskar", "Ærø", "M", dt.date(2012, 7, 12),
                                fathers_home, dt.date(2019, 5, 1))
    for child in (liva, noah):
        ParentChild.objects.create(parent=mother, child=child, kind="mor",
                                   valid_from=child.birth_date, registered_at=now)
        ParentChild.objects.create(parent=father, child=child, kind="far",
                                   valid_from=child.birth_date, registered_at=now)
        for holder in (mother, father):
            Custody.objects.create(child=child, holder=holder, valid_from=child.birth_date,
                                   basis="Fælles forældremyndighed", registered_at=now)
        ContactArrangement.objects.create(
            child=child, parent=father, schedule="Hver anden weekend, fredag til søndag",
            decided_by="Familieretshuset", valid_from=dt.date(2019, 5, 1), registered_at=now)
    ParentChild.objects.create(parent=father, child=half_brother, kind="far",
                               valid_from=half_brother.birth_date, registered_at=now)
    ParentChild.objects.create(parent=partner, child=half_brother, kind="mor",
                               valid_from=half_brother.birth_date, registered_at=now)
    ContactDetails.objects.create(citizen=mother, phone="20304050", email="mette@example.org",
                                  preferred_channel="sms", valid_from=dt.date(2020, 1, 1),
                                  registered_at=now)
    return Family(mother, father, liva, noah, partner, half_brother, mothers_home,
                  fathers_home)
