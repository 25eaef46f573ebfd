"""The demo logins: one per role, username = role code, password ``helhed-demo``.

Shown by ``helhed demo_logins`` (``scripts/run.sh`` prints them before the server starts).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q

from helhed.organisation.models import Role, StaffMember

DEMO_PASSWORD = "helhed-demo"  # noqa: S105 - a published demo password, synthetic data only


@dataclass(frozen=True)
class DemoLogin:
    first_name: str
    last_name: str
    unit: str  # the unit's name (see institutions.TEAMS)
    title: str


# role code -> who logs in with it and where they sit.
DEMO_LOGINS = {
    "sagsbehandler-boern": DemoLogin("Sofie", "Mølgaard", "Familieteam Nord", "Socialrådgiver"),
    "sagsbehandler-voksen": DemoLogin("Jens", "Østergaard", "Voksenteam Midt", "Socialrådgiver"),
    "sagsbehandler-job": DemoLogin("Mette", "Kjær", "Jobcenter Team Syd", "Jobkonsulent"),
    "sagsbehandler-sundhed": DemoLogin("Lene", "Bøgh", "Visitationen", "Visitator"),
    "uu-vejleder": DemoLogin("Anders", "Lyngsø", "UU-vejledningen", "UU-vejleder"),
    "koordinator": DemoLogin("Birgitte", "Ågaard", "Helhedsteamet", "Tværgående koordinator"),
    "doegnvagt": DemoLogin("Rasmus", "Dæhnfeldt", "Døgnvagten", "Socialrådgiver, døgnvagt"),
    "leder": DemoLogin("Hanne", "Søndergaard", "Familieteam Nord", "Afdelingsleder"),
    "udfoerer": DemoLogin("Karsten", "Bøje", "Bostøtten", "Bostøttemedarbejder"),
    "planlaegger": DemoLogin("Camilla", "Jørgensen", "Botilbuddet Egely", "Vagtplanlægger"),
    "medarbejder": DemoLogin("Ole", "Åberg", "Botilbuddet Egely", "Social- og sundhedsassistent"),
    "analytiker": DemoLogin("Peter", "Nørgaard", "Analyse", "Dataanalytiker"),
    "administrator": DemoLogin("Åse", "Lindahl", "IT og Digitalisering", "Systemadministrator"),
}
# For a role an administrator added later: a generic login in citizens' service.
FALLBACK = DemoLogin("Kim", "Ærø", "Borgerservice", "Medarbejder")


def login_for(role: Role) -> DemoLogin:
    return DEMO_LOGINS.get(role.code, FALLBACK)


def is_superuser_role(role: Role) -> bool:
    return role.is_administrator or role.code == "administrator"


@dataclass(frozen=True)
class LoginRow:
    username: str
    password: str
    name: str
    role: str
    unit: str


def demo_login_rows() -> list[LoginRow]:
    """The demo logins that exist in the database, in the roles' order."""
    roles = list(Role.objects.order_by("sort_order", "name"))
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=[r.code for r in roles])}
    staff = {s.user_id: s for s in StaffMember.objects.filter(
        Q(user__in=users.values())).select_related("unit", "provider")}
    rows = []
    for role in roles:
        user = users.get(role.code)
        if user is None:
            continue
        member = staff.get(user.pk)
        unit = member.unit.name if member and member.unit else ""
        if member and member.provider and member.provider.name != unit:
            unit = f"{unit} ({member.provider.name})" if unit else member.provider.name
        rows.append(LoginRow(user.username, DEMO_PASSWORD, user.get_full_name(), role.name,
                             unit))
    return rows
