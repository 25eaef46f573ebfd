"""Target-group search (målgruppesøgning): who may search (a legal basis for it), what
matches (departments, the family criterion, age, district), what is shown (metadata only,
never a category that hides existence without a basis), and that every search is logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helhed.cases.models import Case
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput
from helhed.core.models import AccessLogEntry
from helhed.people.models import Address
from helhed.sharing import targets
from helhed.sharing.models import AccessRule, DataCategory
from helhed.sharing.targets import TargetCriteria
from helhed.sharing.tests.targets_helpers import (
    active_grant,
    external_case,
    make_koordinator,
    open_case,
)

pytestmark = pytest.mark.django_db

TWO_OF_THREE = TargetCriteria(departments=("boernesocial", "voksensocial", "jobcenter"),
                              min_departments=2)


@pytest.fixture(autouse=True)
def _today():
    clock.freeze(dt.datetime(2027, 3, 15, 10, 0, tzinfo=dt.UTC))


@pytest.fixture
def kirsten(db):
    return make_koordinator()


def names(result) -> set[str]:
    return {row.name for row in result.rows}


@pytest.fixture
def spread(family):
    """Søren: adults' case and a jobcenter grant. Pia: adults' case and a jobcenter case
    pushed in by the jobcenter's system. Mette: a children's case only. Oskar: a children's
    case and a closed jobcenter case and an ended grant (neither counts)."""
    open_case(family.father, "voksensocial")
    active_grant(family.father, "jobcenter")
    open_case(family.partner, "voksensocial")
    external_case(family.partner, "jobcenter")
    open_case(family.mother, "boernesocial")
    open_case(family.half_brother, "boernesocial")
    open_case(family.half_brother, "jobcenter", state=Case.State.CLOSED)
    active_grant(family.half_brother, "voksensocial", state="ophoert")
    external_case(family.half_brother, "jobcenter", closed=True)
    return family


def test_coordinator_finds_citizens_with_open_items_in_two_departments(kirsten, spread):
    result = targets.search_targets(kirsten, TWO_OF_THREE)
    assert names(result) == {"Søren Ærø", "Pia Poulsen"}
    assert result.total == 2 and not result.more
    assert result.counts["voksensocial"] == 2 and result.counts["jobcenter"] == 2
    assert result.counts["boernesocial"] == 0
    soren = next(r for r in result.rows if r.name == "Søren Ærø")
    assert soren.cpr == "750683-4001" and soren.age == 43 and soren.district == "Nord"
    assert set(soren.departments) == {"voksensocial", "jobcenter"}
    assert result.basis.paragraph == "Retssikkerhedsloven § 12 b"
    assert "Målgruppesøgning" in result.basis.label


def test_one_of_the_departments_is_enough_when_the_minimum_is_one(kirsten, spread):
    result = targets.search_targets(kirsten, TargetCriteria(
        departments=("boernesocial",), min_departments=1))
    assert names(result) == {"Mette Hansen", "Oskar Ærø"}


def test_the_leader_may_search_too(frida, spread):
    assert names(targets.search_targets(frida, TWO_OF_THREE)) == {"Søren Ærø", "Pia Poulsen"}


def test_a_caseworker_without_a_basis_is_refused_in_danish_and_the_refusal_is_logged(
        anna, spread):
    with pytest.raises(AccessDenied) as refused:
        targets.search_targets(anna, TWO_OF_THREE)
    assert refused.value.code == "sharing.targets.no_basis"
    assert "hjemmel til målgruppesøgning" in refused.value.message
    entry = AccessLogEntry.objects.get()
    assert (entry.allowed, entry.action, entry.subject) == (False, "search", None)
    assert "mindst 2 af boernesocial, voksensocial, jobcenter" in entry.detail


@pytest.mark.parametrize("who", ["gustav", "outsider", "ivan"])
def test_provider_staff_a_login_without_staff_and_an_analyst_are_refused(who, request, spread):
    actor = request.getfixturevalue(who)
    with pytest.raises(AccessDenied):
        targets.search_targets(actor, TWO_OF_THREE)
    assert list(AccessLogEntry.objects.values_list("allowed", "subject")) == [(False, None)]


def test_families_with_a_child_under_investigation_and_a_parent_at_the_jobcenter(
        kirsten, family):
    open_case(family.liva, "boernesocial", state=Case.State.INVESTIGATION)
    open_case(family.noah, "boernesocial")  # not under investigation
    open_case(family.father, "jobcenter")
    open_case(family.half_brother, "boernesocial", state=Case.State.INVESTIGATION)
    # Oskar's parents (Søren, Pia): Søren has the jobcenter case, so Oskar is found too.
    result = targets.search_targets(kirsten, TargetCriteria(family=True))
    assert names(result) == {"Liva Ærø Hansen", "Oskar Ærø", "Søren Ærø"}


def test_an_investigation_may_be_named_by_its_legal_basis(kirsten, family):
    open_case(family.noah, "boernesocial", legal_basis="bl-20")
    external_case(family.mother, "jobcenter")
    result = targets.search_targets(kirsten, TargetCriteria(family=True))
    assert names(result) == {"Noah Ærø Hansen", "Mette Hansen"}


def test_a_closed_investigation_or_a_parent_without_a_jobcenter_case_is_not_a_match(
        kirsten, family):
    open_case(family.liva, "boernesocial", state=Case.State.CLOSED, legal_basis="bl-20")
    open_case(family.noah, "boernesocial", state=Case.State.INVESTIGATION)
    open_case(family.father, "jobcenter", state=Case.State.CLOSED)
    open_case(family.mother, "voksensocial")
    assert targets.search_targets(kirsten, TargetCriteria(family=True)).rows == []


def test_the_family_criterion_and_departments_together(kirsten, family):
    open_case(family.liva, "boernesocial", state=Case.State.INVESTIGATION)
    open_case(family.father, "jobcenter")
    open_case(family.father, "voksensocial")
    open_case(family.mother, "jobcenter")
    result = targets.search_targets(kirsten, TargetCriteria(
        departments=("voksensocial", "jobcenter"), min_departments=2, family=True))
    assert names(result) == {"Søren Ærø"}


def test_age_range(kirsten, family):
    for person in (family.liva, family.noah, family.half_brother, family.mother):
        open_case(person, "boernesocial")
        open_case(person, "jobcenter")
    result = targets.search_targets(kirsten, TargetCriteria(
        departments=("boernesocial", "jobcenter"), age_min=6, age_max=11))
    # On 15 March 2027: Noah 6, Liva 11, Oskar 14, Mette 42.
    assert names(result) == {"Noah Ærø Hansen", "Liva Ærø Hansen"}
    older = targets.search_targets(kirsten, TargetCriteria(
        departments=("boernesocial", "jobcenter"), age_min=12))
    assert names(older) == {"Oskar Ærø", "Mette Hansen"}


def test_district_of_the_current_residence(kirsten, family):
    Address.objects.filter(pk=family.fathers_home.pk).update(district="Syd")
    for person in (family.mother, family.father):
        open_case(person, "voksensocial")
        open_case(person, "jobcenter")
    result = targets.search_targets(kirsten, TargetCriteria(
        departments=("voksensocial", "jobcenter"), district="Syd"))
    assert names(result) == {"Søren Ærø"}
    assert [r.district for r in result.rows] == ["Syd"]


def test_a_protected_address_is_neither_shown_nor_used_to_select(kirsten, family):
    family.father.name_protected = True
    family.father.save(update_fields=["name_protected"])
    open_case(family.father, "voksensocial")
    open_case(family.father, "jobcenter")
    result = targets.search_targets(kirsten, TargetCriteria(
        departments=("voksensocial", "jobcenter")))
    assert [(r.name, r.district) for r in result.rows] == [("Søren Ærø", None)]
    assert targets.search_targets(kirsten, TargetCriteria(
        departments=("voksensocial", "jobcenter"), district="Nord")).rows == []


def test_categories_that_hide_existence_are_neither_searchable_nor_shown(kirsten, family):
    open_case(family.partner, "misbrugscenter")
    open_case(family.partner, "socialpsykiatri")
    open_case(family.partner, "voksensocial")
    open_case(family.partner, "jobcenter")
    assert all(d.code not in {"misbrugscenter", "socialpsykiatri"}
               for d in targets.search_basis(kirsten).departments)
    with pytest.raises(InvalidInput) as refused:
        targets.search_targets(kirsten, TargetCriteria(
            departments=("voksensocial", "misbrugscenter"), min_departments=2))
    assert refused.value.field == "departments"
    result = targets.search_targets(kirsten, TargetCriteria(
        departments=("voksensocial", "jobcenter")))
    assert [set(r.departments) for r in result.rows] == [{"voksensocial", "jobcenter"}]
    assert "misbrugscenter" not in result.counts
    _, content = targets.export_targets_csv(kirsten, TargetCriteria(
        departments=("voksensocial", "jobcenter")))
    assert "Misbrug" not in content.decode("utf-8-sig")


def test_a_rule_that_covers_substance_abuse_lets_it_be_searched(kirsten, family):
    rule = AccessRule.objects.get(code="maalgruppe-helhedsorienteret")
    rule.categories.add(DataCategory.objects.get(code="misbrug"))
    open_case(family.partner, "misbrugscenter")
    open_case(family.partner, "voksensocial")
    result = targets.search_targets(kirsten, TargetCriteria(
        departments=("voksensocial", "misbrugscenter")))
    assert [set(r.departments) for r in result.rows] == [{"voksensocial", "misbrugscenter"}]


def test_every_search_is_logged_per_citizen_and_once_for_the_search(kirsten, spread):
    result = targets.search_targets(kirsten, TWO_OF_THREE)
    entries = list(AccessLogEntry.objects.order_by("pk"))
    assert {e.subject for e in entries} == {r.uuid for r in result.rows} | {None}
    assert len(entries) == 3
    assert all(e.allowed and e.action == "search" and e.category == "sag" for e in entries)
    assert all(e.basis == "Hjemmel: Retssikkerhedsloven § 12 b" for e in entries)
    assert all("mindst 2 af boernesocial, voksensocial, jobcenter" in e.detail
               for e in entries)
    assert "(2 borgere)" in entries[-1].detail


def test_bad_criteria_are_refused_with_the_field_and_nothing_is_logged(kirsten, spread):
    cases = [
        (TargetCriteria(), "departments"),
        (TargetCriteria(departments=("voksensocial",), min_departments=2), "min_departments"),
        (TargetCriteria(departments=("voksensocial", "jobcenter"), min_departments=0),
         "min_departments"),
        (TargetCriteria(departments=("nope",)), "departments"),
        (TargetCriteria(departments=("jobcenter",), min_departments=1, age_min=30,
                        age_max=20), "age_max"),
        (TargetCriteria(departments=("jobcenter",), min_departments=1, age_min=-1),
         "age_min"),
    ]
    for criteria, field in cases:
        with pytest.raises(InvalidInput) as refused:
            targets.search_targets(kirsten, criteria)
        assert refused.value.field == field, criteria
    with pytest.raises(InvalidInput) as bad_number:
        targets.criteria_from(["jobcenter"], "to")
    assert bad_number.value.field == "min_departments"
    assert not AccessLogEntry.objects.exists()


def test_the_result_is_capped_and_says_there_are_more(kirsten, spread, monkeypatch):
    open_case(spread.mother, "jobcenter")
    monkeypatch.setattr(targets, "PAGE_ROWS", 2)
    result = targets.search_targets(kirsten, TWO_OF_THREE)
    assert len(result.rows) == 2 and result.total == 3 and result.more
    assert result.counts["voksensocial"] == 2 and result.counts["jobcenter"] == 3
    # Only the citizens shown are logged (and the search itself).
    shown = AccessLogEntry.objects.filter(actor=kirsten, action="search",
                                          subject__isnull=False)
    assert sorted(shown.values_list("subject", flat=True)) == sorted(r.uuid for r in result.rows)


def test_the_export_gives_more_than_the_page(kirsten, spread, monkeypatch):
    open_case(spread.mother, "jobcenter")
    monkeypatch.setattr(targets, "PAGE_ROWS", 1)
    monkeypatch.setattr(targets, "MAX_ROWS", 2)
    assert len(targets.search_targets(kirsten, TWO_OF_THREE).rows) == 1
    _, content = targets.export_targets_csv(kirsten, TWO_OF_THREE)
    assert len(content.decode("utf-8-sig").splitlines()) == 1 + 2  # header and two rows


def test_the_search_takes_a_handful_of_queries_however_many_match(kirsten, family):
    def queries() -> int:
        user = type(kirsten).objects.get(pk=kirsten.pk)
        with CaptureQueriesContext(connection) as captured:
            targets.search_targets(user, TWO_OF_THREE)
        return len(captured)

    open_case(family.father, "voksensocial")
    open_case(family.father, "jobcenter")
    queries()  # the door's categories and rules, kept a minute
    few = queries()
    for person in (family.mother, family.partner, family.liva, family.noah):
        open_case(person, "boernesocial")
        open_case(person, "jobcenter")
    # On PostgreSQL two of them set the search's planner settings in its transaction.
    assert queries() == few <= 11


def test_csv_is_semicolon_separated_utf8_with_bom_and_danish_headers(kirsten, spread):
    name, content = targets.export_targets_csv(kirsten, TWO_OF_THREE)
    assert name == "maalgruppe-2027-03-15.csv"
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[:4] == ["Navn", "CPR-nummer", "Alder", "Distrikt"]
    assert "Åben sag: Jobcenter" in header
    assert any(line.startswith("Søren Ærø;750683-4001;43;Nord;") for line in lines)
    assert len(lines) == 3
    assert set(AccessLogEntry.objects.values_list("action", flat=True)) == {"export"}


def test_csv_cells_cannot_start_a_formula(kirsten, family):
    family.partner.first_name = "=HYPERLINK(1)"
    family.partner.save(update_fields=["first_name"])
    open_case(family.partner, "voksensocial")
    open_case(family.partner, "jobcenter")
    _, content = targets.export_targets_csv(kirsten, TWO_OF_THREE)
    assert "\n'=HYPERLINK(1) Poulsen;" in content.decode("utf-8-sig")
