"""The demo municipality: deterministic, realistic enough, and safe."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from helhed.core import cpr
from helhed.core.models import OutboxEvent
from helhed.demo.generator import EVENT_TYPE, generate
from helhed.demo.logins import DEMO_PASSWORD
from helhed.demo.reset import reset_demo
from helhed.demo.rows import REFERENCE_DAY
from helhed.organisation.models import Municipality, Role, StaffMember, Unit
from helhed.organisation.setup import ensure_municipality
from helhed.people.models import (
    Citizen,
    ContactArrangement,
    Custody,
    Enrollment,
    Guardianship,
    ParentChild,
    Residence,
)

pytestmark = pytest.mark.django_db
SMALL = 300


@pytest.fixture
def demo():
    return generate(SMALL, seed=7)


def fingerprint() -> str:
    """A digest of who exists, their relations and where they live."""
    cprs = dict(Citizen.objects.values_list("id", "cpr"))
    parts = [
        sorted(Citizen.objects.values_list("cpr", "uuid", "first_name", "middle_name",
                                           "last_name", "birth_date", "sex")),
        sorted((cprs[p], cprs[c], k) for p, c, k in
               ParentChild.objects.values_list("parent_id", "child_id", "kind")),
        sorted((cprs[c], cprs[h], f, t) for c, h, f, t in
               Custody.objects.values_list("child_id", "holder_id", "valid_from", "valid_to")),
        sorted((cprs[c], cprs[p], s) for c, p, s in
               ContactArrangement.objects.values_list("child_id", "parent_id", "schedule")),
        sorted((cprs[c], str(a), f, t) for c, a, f, t in
               Residence.objects.values_list("citizen_id", "address__uuid", "valid_from",
                                             "valid_to")),
        sorted((cprs[c], u, g) for c, u, g in
               Enrollment.objects.values_list("citizen_id", "unit__name", "grade")),
        sorted(get_user_model().objects.values_list("username", "first_name", "last_name")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def test_same_seed_builds_the_same_municipality():
    generate(SMALL, seed=7)
    first = fingerprint()
    reset_demo("0999")
    generate(SMALL, seed=7)
    assert fingerprint() == first
    reset_demo("0999")
    generate(SMALL, seed=8)
    assert fingerprint() != first


def test_builds_the_number_of_citizens_asked_for(demo):
    assert Citizen.objects.count() == SMALL == demo.citizens


def test_every_child_has_a_parent(demo):
    with_parent = set(ParentChild.objects.values_list("child_id", flat=True))
    children = [c for c in Citizen.objects.all() if c.age_on(REFERENCE_DAY) < 18]
    assert children
    assert all(child.pk in with_parent for child in children)


def test_custody_holders_are_parents_or_guardians(demo):
    parents = set(ParentChild.objects.values_list("parent_id", "child_id"))
    guardians = set(Guardianship.objects.values_list("guardian_id", "ward_id"))
    holders = set(Custody.objects.values_list("holder_id", "child_id"))
    assert holders
    assert holders <= parents | guardians


def test_custody_split_across_two_homes_has_a_contact_arrangement(demo):
    home = dict(Residence.objects.filter(valid_to__isnull=True)
                .values_list("citizen_id", "address_id"))
    holders = defaultdict(set)
    for child, holder in Custody.objects.filter(valid_to__isnull=True).values_list(
            "child_id", "holder_id"):
        holders[child].add(home[holder])
    split = {child for child, homes in holders.items() if len(homes) > 1}
    arranged = set(ContactArrangement.objects.filter(valid_to__isnull=True)
                   .values_list("child_id", flat=True))
    assert split
    assert split <= arranged


def test_every_cpr_is_synthetic_and_passes_full_validation(demo):
    for number, birth, sex in Citizen.objects.values_list("cpr", "birth_date", "sex"):
        parsed = cpr.parse(number, allow_synthetic=True)
        assert parsed.synthetic
        assert parsed.birth_date == birth
        assert parsed.is_female == (sex == "K")
    with pytest.raises(cpr.CprError):
        cpr.parse(number)


def test_every_citizen_has_exactly_one_open_residence(demo):
    open_rows = list(Residence.objects.filter(valid_to__isnull=True)
                     .values_list("citizen_id", flat=True))
    assert len(open_rows) == len(set(open_rows)) == Citizen.objects.count()
    assert Residence.objects.filter(valid_to__isnull=False).exists()


def test_the_town_looks_like_a_danish_municipality():
    generate(1500, seed=3)
    ages = [c.age_on(REFERENCE_DAY) for c in Citizen.objects.all()]
    assert 0.15 < sum(a < 18 for a in ages) / len(ages) < 0.25
    assert 0.15 < sum(a >= 65 for a in ages) / len(ages) < 0.27
    assert Guardianship.objects.exists()
    assert Custody.objects.filter(valid_to__isnull=False).exists()  # custody history
    assert Enrollment.objects.filter(unit__kind="skole").exclude(grade="").exists()
    assert Enrollment.objects.filter(unit__kind="dagtilbud").exists()
    assert set(Enrollment.objects.values_list("unit__kind", flat=True)) == {"skole",
                                                                          "dagtilbud"}
    assert _half_siblings_exist()


def _half_siblings_exist() -> bool:
    parents = defaultdict(set)
    for parent, child in ParentChild.objects.values_list("parent_id", "child_id"):
        parents[child].add(parent)
    children_of = defaultdict(set)
    for child, them in parents.items():
        for parent in them:
            children_of[parent].add(child)
    return any(parents[a] != parents[b] for kids in children_of.values()
               for a in kids for b in kids)


def test_one_event_for_the_whole_load(demo):
    events = OutboxEvent.objects.filter(type=EVENT_TYPE)
    assert events.count() == 1
    assert events.get().payload["citizens"] == SMALL


@override_settings(HELHED_ALLOW_SYNTHETIC_CPR=False)
def test_demo_refuses_where_synthetic_cpr_is_not_allowed():
    with pytest.raises(CommandError, match="fiktive CPR-numre"):
        call_command("demo", "--citizens", "20", stdout=StringIO())
    assert not Municipality.objects.exists()
    assert not Citizen.objects.exists()


def test_if_empty_leaves_an_existing_municipality_alone():
    ensure_municipality("0999", "Helhed Kommune", "Region Demo")
    out = StringIO()
    call_command("demo", "--if-empty", "--citizens", "50", stdout=out)
    assert "findes allerede" in out.getvalue()
    assert not Citizen.objects.exists()


def test_demo_refuses_to_build_twice_without_reset(demo):
    with pytest.raises(CommandError, match="--reset"):
        call_command("demo", "--citizens", "20", stdout=StringIO())
    call_command("demo", "--citizens", "20", "--reset", stdout=StringIO())
    assert Citizen.objects.count() == 20


def test_demo_logins_can_log_in(demo, client):
    roles = list(Role.objects.all())
    assert roles
    for role in roles:
        assert client.login(username=role.code, password=DEMO_PASSWORD), role.code
        client.logout()
    admin = get_user_model().objects.get(username="administrator")
    assert admin.is_staff and admin.is_superuser
    provider_staff = StaffMember.objects.get(user__username="udfoerer")
    assert provider_staff.provider is not None
    assert provider_staff.roles.get().code == "udfoerer"


def test_demo_logins_command_prints_every_role(demo):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for role in Role.objects.all():
        assert role.code in text
    assert DEMO_PASSWORD in text and "Døgnvagten" in text


def test_schools_and_day_care_are_in_their_departments(demo):
    assert set(Unit.objects.filter(kind="skole").values_list("department__code", flat=True)) \
        == {"skole"}
    assert set(Unit.objects.filter(kind="dagtilbud")
               .values_list("department__code", flat=True)) == {"dagtilbud"}
    assert set(Unit.objects.filter(kind="skole").values_list("district", flat=True)) \
        == {"Nord", "Syd", "Øst", "Vest", "Midt"}


def test_the_planner_knows_the_size_of_the_new_tables(demo):
    """The demo refreshes the planner's statistics itself: a fresh demo is not planned as
    if its tables were empty (on PostgreSQL that made the overview's SQL 20× slower)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s",
                           [Citizen._meta.db_table])
            assert cursor.fetchone()[0] >= SMALL
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s",
                           [Citizen._meta.db_table])
            rows = cursor.fetchall()
            assert rows and int(rows[0][0].split()[0]) >= SMALL
    assert demo.analyze_seconds > 0
