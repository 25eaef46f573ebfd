"""The demo municipality's casework: cases, notifications, journal, decisions, grants.

What someone trying the demo cares about: the caseworker logins find cases and a work list
with the legal clock on it, the data obeys the rules the services enforce (age groups,
periods, KLE numbers, states by closing rule, case numbers), and the same seed builds the
same casework.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from helhed.cases import search, services, worklist
from helhed.cases.models import (
    Case,
    CaseDeadline,
    CaseKle,
    CaseNumberCounter,
    CaseSettings,
    Change,
    Decision,
    Grant,
    JournalEntry,
    Notification,
    SearchEntry,
)
from helhed.catalogue.models import KleGroup, KleSubject
from helhed.core import clock
from helhed.core.models import OutboxEvent
from helhed.demo.casebase import REFERENCE_MOMENT
from helhed.demo.casekinds import AREA_OF
from helhed.demo.generator import EVENT_TYPE, DemoRefused, generate
from helhed.demo.reset import reset_demo
from helhed.demo.rows import REFERENCE_DAY
from helhed.organisation.models import StaffMember
from helhed.people.models import ParentChild

pytestmark = pytest.mark.django_db
SIZE = 600
CASE_ROLES = ("sagsbehandler-boern", "sagsbehandler-voksen", "sagsbehandler-job",
              "sagsbehandler-sundhed")
CASEWORK_MODELS = (Case, CaseKle, Notification, CaseDeadline, JournalEntry, SearchEntry,
                   Decision, Grant, Change, CaseNumberCounter)


@pytest.fixture
def demo():
    return generate(SIZE, seed=7)


def login(username: str):
    return get_user_model().objects.get(username=username)


def casework_snapshot() -> tuple[object, ...]:
    counts = tuple(model.objects.count() for model in CASEWORK_MODELS)
    cases = sorted(Case.objects.values_list("number", "citizen__cpr", "state",
                                            "responsible__user__username", "title"))
    grants = sorted(Grant.objects.values_list("citizen__cpr", "title", "amount",
                                              "valid_from", "valid_to"))
    return counts, cases, grants


def test_same_seed_builds_the_same_casework():
    generate(SIZE, seed=7)
    first = casework_snapshot()
    reset_demo("0999")
    generate(SIZE, seed=7)
    assert casework_snapshot() == first
    reset_demo("0999")
    generate(SIZE, seed=8)
    assert casework_snapshot() != first


def test_every_case_citizen_is_in_the_departments_age_group(demo):
    cases = Case.objects.select_related("citizen", "department")
    assert {c.department.code for c in cases} == set(AREA_OF)
    for case in cases:
        area = AREA_OF[case.department.code]
        lo, hi = area.ages
        assert lo <= case.citizen.age_on(REFERENCE_DAY) <= hi, case.number
        opened = case.opened_at.date()
        assert case.citizen.age_on(opened) >= area.min_age_at_opening, case.number
        assert case.citizen.birth_date < opened


def test_cases_are_numbered_per_year_and_the_counter_continues(demo):
    prefixes = dict(CaseSettings.objects.values_list("department__code", "number_prefix"))
    by_year: dict[int, list[int]] = defaultdict(list)
    for number, code, opened in Case.objects.values_list("number", "department__code",
                                                         "opened_at"):
        match = re.fullmatch(r"(.+)-(\d{4})-(\d{6})", number)
        assert match and match[1] == prefixes[code], number
        assert int(match[2]) == timezone.localtime(opened).year
        by_year[int(match[2])].append(int(match[3]))
    counters = dict(CaseNumberCounter.objects.values_list("year", "last"))
    for year, numbers in by_year.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert counters[year] == len(numbers)
    clock.freeze(REFERENCE_MOMENT + dt.timedelta(days=2))
    child = Case.objects.filter(department__code="boernesocial").first().citizen
    Case.objects.filter(citizen=child).update(state=Case.State.CLOSED)
    case = services.open_case(login("sagsbehandler-boern"), child.uuid, title="Ny sag",
                              kle_numbers=["34.10.10"])
    assert case.number == f"BF-2026-{counters[2026] + 1:06d}"


def test_every_case_kle_number_exists_in_the_catalogue(demo):
    subjects = set(KleSubject.objects.values_list("number", flat=True))
    groups = set(KleGroup.objects.values_list("number", flat=True))
    primaries = Counter(CaseKle.objects.filter(primary=True).values_list("case_id", flat=True))
    assert set(primaries.values()) == {1}
    assert len(primaries) == Case.objects.count()
    for number, level, primary in CaseKle.objects.values_list("number", "level", "primary"):
        assert number in (subjects if level == "emne" else groups), number
        assert level == "emne" or not primary
    assert CaseKle.objects.filter(level="gruppe").exists()


def test_every_grant_period_is_valid(demo):
    grants = list(Grant.objects.select_related("decision", "case"))
    assert grants
    for grant in grants:
        assert grant.valid_to is None or grant.valid_to >= grant.valid_from
        ended = grant.valid_to is not None and grant.valid_to < REFERENCE_DAY
        assert grant.state == ("ophoert" if ended else "aktiv")
        assert bool(grant.ended_reason) == ended
        if grant.decision is not None:
            assert grant.decision.decided_at <= grant.granted_at
            assert grant.valid_from >= grant.decision.decided_at.date() - dt.timedelta(days=1)
    without_case = sum(g.case_id is None for g in grants) / len(grants)
    assert 0.1 < without_case < 0.35


def test_states_follow_the_departments_closing_rules(demo):
    for case in Case.objects.prefetch_related("grants", "decisions"):
        closed = case.state == Case.State.CLOSED
        assert (case.closed_at is not None) == closed == bool(case.closing_reason)
        if closed:
            assert case.opened_at <= case.closed_at
        active = [g for g in case.grants.all() if g.state == "aktiv"]
        if case.closing_rule == "afgoerelse":
            assert case.state in ("aabnet", "undersoegelse", "afsluttet")
            if case.decisions.exists():
                assert closed and case.closing_reason.startswith("Afgørelse truffet")
        elif case.state == Case.State.DELIVERY:
            assert active, case.number
        elif closed or case.state == Case.State.DECISION:
            assert not active, case.number
        if case.state == Case.State.DECISION:
            assert case.decisions.get().outcome == "afslag"
    states = Counter(Case.objects.exclude(state="afsluttet").values_list("state", flat=True))
    assert states.most_common(1)[0][0] == Case.State.DELIVERY


def test_decisions_carry_complaint_guidance_and_deadline(demo):
    decisions = list(Decision.objects.select_related("legal_basis"))
    assert decisions
    for decision in decisions:
        assert "Ankestyrelsen" in decision.complaint_guidance
        assert "$" not in decision.complaint_guidance
        assert decision.complaint_deadline >= decision.decided_at.date() + dt.timedelta(28)
        assert decision.legal_basis.law in decision.reasons


def test_every_demo_caseworker_login_has_open_cases_it_may_open(demo):
    for role in CASE_ROLES:
        staff = StaffMember.objects.select_related("unit").get(user__username=role)
        cases = Case.objects.filter(responsible=staff).exclude(state="afsluttet")
        assert cases.exists(), role
        assert set(cases.values_list("department_id", flat=True)) == {
            staff.unit.department_id}
        assert services.get_case(login(role), cases.first().uuid).responsible == staff


def test_childrens_caseworker_has_a_work_list_with_an_overdue_deadline(demo):
    clock.freeze(REFERENCE_MOMENT)
    work = worklist.work_list(login("sagsbehandler-boern"))
    assert work.items and work.overdue_count >= 1
    kinds = {item.deadline.kind for item in work.items}
    assert {"underretning_vurdering", "kvittering", "opfoelgning"} <= kinds
    assert any(n.state == "modtaget" for n in work.notifications)
    assert all(item.deadline.due_at < REFERENCE_MOMENT for item in work.items if item.overdue)


def test_notifications_come_at_realistic_rates():
    generate(3000, seed=3)
    children = {c for c in Notification.objects.values_list("child_id", flat=True)}
    per_child = Counter(Notification.objects.values_list("child_id", flat=True))
    kids = sum(1 for c in get_citizens_under_18())
    yearly = Notification.objects.filter(
        received_at__gte=REFERENCE_MOMENT - dt.timedelta(days=365)).count()
    assert 0.015 < yearly / kids < 0.06
    assert max(per_child.values()) >= 2 and len(children) < sum(per_child.values())
    assert _largest_family_count() >= 5
    kinds = Counter(Notification.objects.values_list("notifier_kind", flat=True))
    assert kinds["skole"] > kinds["anonym"] and kinds["politi"] > 0
    night = Notification.objects.filter(outside_office_hours=True)
    assert night.exists()
    assert set(night.values_list("unit__name", flat=True)) == {"Døgnvagten"}
    assessed = Notification.objects.exclude(assessed_at=None)
    on_time = sum((n.assessed_at - n.received_at) <= dt.timedelta(hours=24) for n in assessed)
    assert on_time / assessed.count() > 0.85
    assert Notification.objects.filter(assessed_at=None).exists()


def get_citizens_under_18():
    from helhed.people.models import Citizen

    return [c for c in Citizen.objects.all() if c.age_on(REFERENCE_DAY) < 18]


def _largest_family_count() -> int:
    per_child = Counter(Notification.objects.values_list("child_id", flat=True))
    mother = dict(ParentChild.objects.filter(kind="mor").values_list("child_id", "parent_id"))
    families: Counter[int] = Counter()
    for child, count in per_child.items():
        if child in mother:
            families[mother[child]] += count
    return max(families.values())


def test_search_finds_demo_journal_text(demo):
    assert SearchEntry.objects.count() == JournalEntry.objects.count()
    assert set(SearchEntry.objects.values_list("object_uuid", flat=True)) == set(
        JournalEntry.objects.values_list("uuid", flat=True))
    hits = search.search(login("sagsbehandler-voksen"), "bostøtten")
    assert hits
    assert all(h.case_number.startswith(("SH-", "SP-")) for h in hits)


def test_one_event_with_the_casework_counts_and_no_event_per_row(demo):
    event = OutboxEvent.objects.get(type=EVENT_TYPE)
    assert event.payload["casework"]["cases"] == Case.objects.count()
    assert event.payload["rows"]["cases.Case"] == Case.objects.count()
    assert not OutboxEvent.objects.filter(type__startswith="cases.").exists()
    assert Change.objects.filter(action="cases.case.opened").count() == Case.objects.count()
    assert Change.objects.filter(action="cases.grant.created").count() == Grant.objects.count()


def test_reset_clears_the_casework_and_the_demo_builds_again(demo):
    call_command("demo", "--citizens", "200", "--reset", stdout=StringIO())
    assert Case.objects.exists()
    reset_demo("0999")
    for model in (*CASEWORK_MODELS, CaseSettings):
        assert not model.objects.exists(), model.__name__


def test_reset_refuses_once_the_access_log_points_at_a_demo_login(demo):
    case = Case.objects.filter(responsible__user__username="sagsbehandler-boern").first()
    services.get_case(login("sagsbehandler-boern"), case.uuid)  # logged in the access log
    with pytest.raises(DemoRefused, match="adgangsloggen"):
        reset_demo("0999")
    assert Case.objects.filter(pk=case.pk).exists()


def test_childrens_caseworker_can_open_the_demo_pages(demo, client):
    from helhed.demo.logins import DEMO_PASSWORD

    assert client.login(username="sagsbehandler-boern", password=DEMO_PASSWORD)
    staff = StaffMember.objects.get(user__username="sagsbehandler-boern")
    case = (Case.objects.filter(responsible=staff, state="levering")
            .exclude(decisions=None).first())
    notification = Notification.objects.filter(unit=staff.unit, state="modtaget").first()
    decision, grant = case.decisions.first(), case.grants.first()
    pages = {
        reverse("work-list"): "Arbejdsliste",
        reverse("case-detail", args=[case.uuid]): case.number,
        reverse("notification-detail", args=[notification.uuid]): notification.child.first_name,
        reverse("decision-detail", args=[decision.uuid]): "Ankestyrelsen",
        reverse("grant-detail", args=[grant.uuid]): grant.title,
        reverse("case-search") + "?q=børnesamtale": case.number[:3],
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
