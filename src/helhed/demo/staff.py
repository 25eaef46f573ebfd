"""Staff: logins and staff records spread over the teams, with roles, and the demo logins.

Ordinary staff get an unusable password (they are there to be seen, not to log in); only
the demo logins (one per role) can log in. Their password is hashed once and shared.
"""

from __future__ import annotations

import random
import string

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from helhed.demo.institutions import Organisation
from helhed.demo.logins import DEMO_PASSWORD, is_superuser_role, login_for
from helhed.demo.people import Names
from helhed.demo.rows import Encoder, Table
from helhed.organisation.models import Role, StaffMember
from helhed.people.names import fold

USER_FIELDS = [
    "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
    "is_staff", "is_active", "date_joined",
]
STAFF_FIELDS = ["user_id", "municipality_id", "unit_id", "provider_id", "title", "initials",
                "phone"]
ROLE_LINK_FIELDS = ["staffmember_id", "role_id"]
CITIZENS_PER_STAFF = 120
ROLE_OF_DEPARTMENT = {
    "boernesocial": "sagsbehandler-boern", "voksensocial": "sagsbehandler-voksen",
    "jobcenter": "sagsbehandler-job", "sundhed": "sagsbehandler-sundhed",
    "uu": "uu-vejleder", "ppr": "medarbejder", "skole": "medarbejder",
    "dagtilbud": "medarbejder", "ydelse": "medarbejder",
    # Authority staff for adults with addiction or mental illness work under serviceloven.
    "misbrugscenter": "sagsbehandler-voksen", "socialpsykiatri": "sagsbehandler-voksen",
}
ROLE_OF_UNIT = {"Helhedsteamet": "koordinator", "IT og Digitalisering": "administrator",
                "Analyse": "analytiker", "Døgnvagten": "doegnvagt"}
TITLES = {
    "sagsbehandler-boern": "Socialrådgiver", "sagsbehandler-voksen": "Socialrådgiver",
    "sagsbehandler-job": "Jobkonsulent", "sagsbehandler-sundhed": "Visitator",
    "uu-vejleder": "UU-vejleder", "koordinator": "Koordinator", "leder": "Afdelingsleder",
    "doegnvagt": "Socialrådgiver, døgnvagt", "udfoerer": "Pædagog",
    "planlaegger": "Vagtplanlægger", "medarbejder": "Medarbejder",
    "analytiker": "Dataanalytiker", "administrator": "Systemadministrator",
}
UNIT_WEIGHT = {"team": 3, "center": 4, "institution": 5, "doegnvagt": 1}


class Staff:
    """Rows for ``auth_user``, staff members and their roles."""

    def __init__(self, rng: random.Random, enc: Encoder, first_ids: dict[str, int],
                 names: Names) -> None:
        self.rng = rng
        self.enc = enc
        self.names = names
        self.users = Table(get_user_model(), USER_FIELDS, first_ids["user"])
        self.members = Table(StaffMember, STAFF_FIELDS, first_ids["staff"])
        self.role_links = Table(StaffMember.roles.through, ROLE_LINK_FIELDS,
                                first_ids["staff_role"])
        self.roles = {role.code: role for role in Role.objects.order_by("sort_order", "name")}
        # What later steps (the casework) need to know about each staff member.
        self.unit_of: dict[int, int | None] = {}  # member -> unit
        self.role_of: dict[int, str] = {}  # member -> role code
        self.user_of: dict[int, int] = {}  # member -> auth user
        self.name_of: dict[int, str] = {}  # member -> full name
        self.login_of: dict[str, int] = {}  # demo login (role code) -> member
        self.providers: set[int] = set()  # members who work for a provider

    def tables(self) -> list[Table]:
        return [self.users, self.members, self.role_links]

    def build(self, org: Organisation, municipality: int, citizens: int) -> None:
        """One person per team first (its leader), the rest spread by the teams' size."""
        weights = [UNIT_WEIGHT.get(kind, 3) for _unit, _code, kind in org.teams]
        extra = max(len(org.teams), citizens // CITIZENS_PER_STAFF - len(org.teams))
        placed = org.teams + self.rng.choices(org.teams, weights=weights, k=extra)
        leaders: set[int] = set()
        for index, (unit, code, _kind) in enumerate(placed):
            role = "leder" if unit not in leaders else self._role(org, unit, code)
            leaders.add(unit)
            self._member(index, municipality, unit, org.provider_of_unit.get(unit), role)
        self._demo_logins(org, municipality)

    def _role(self, org: Organisation, unit: int, code: str) -> str:
        name = org.unit_names[unit]
        if name in ROLE_OF_UNIT:
            return ROLE_OF_UNIT[name]
        if unit in org.provider_of_unit:
            return self.rng.choices(("udfoerer", "planlaegger", "medarbejder"), (7, 1, 2))[0]
        return ROLE_OF_DEPARTMENT.get(code, "medarbejder")

    def _member(self, index: int, municipality: int, unit: int, provider: int | None,
                role: str) -> None:
        rng = self.rng
        female = rng.random() < 0.7  # the social area's staff are mostly women
        first = self.names.first(rng.randint(1960, 2000), female, rng.random() < 0.06)
        last = self.names.last(False)
        initials = (fold(first)[:2] + fold(last)[:2]).upper()
        username = f"{initials.lower()}{index:04d}"
        password = "!" + "".join(rng.choices(string.ascii_letters + string.digits, k=40))
        self._add(username, password, first, last, False, municipality, unit, provider,
                  role, TITLES.get(role, "Medarbejder"), initials)

    def _add(self, username: str, password: str, first: str, last: str, superuser: bool,
             municipality: int, unit: int | None, provider: int | None, role: str,
             title: str, initials: str) -> None:
        enc = self.enc
        email = f"{username}@helhed-kommune.example.org"
        user = self.users.add(password, None, superuser, username, first, last, email,
                              superuser, True, enc.reference_stamp)
        member = self.members.add(user, municipality, unit, provider, title, initials,
                                  f"1{self.rng.randrange(10_000_000):07d}")
        if role in self.roles:
            self.role_links.add(member, self.roles[role].pk)
        self.unit_of[member] = unit
        self.role_of[member] = role
        self.user_of[member] = user
        self.name_of[member] = f"{first} {last}"
        if provider is not None:
            self.providers.add(member)
        if username == role:
            self.login_of[role] = member

    def _demo_logins(self, org: Organisation, municipality: int) -> None:
        salt = "".join(self.rng.choices(string.ascii_letters + string.digits, k=22))
        password = make_password(DEMO_PASSWORD, salt=salt)
        for code, role in self.roles.items():
            login = login_for(role)
            unit = org.unit_ids.get(login.unit)
            provider = org.provider_of_unit.get(unit) if unit else None
            initials = (fold(login.first_name)[:2] + fold(login.last_name)[:2]).upper()
            self._add(code, password, login.first_name, login.last_name,
                      is_superuser_role(role), municipality, unit, provider, code,
                      login.title, initials)
