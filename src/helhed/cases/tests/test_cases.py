"""Opening and working cases: numbering, the two case concepts, the two closing rules,
KLE on several levels, the journal with corrections, history and events, and who is
refused. Runs on SQLite and PostgreSQL like the whole suite."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest
from django.apps import apps

from helhed.cases import services
from helhed.cases.models import (
    Case,
    CaseConcept,
    CaseDeadline,
    CaseSettings,
    Change,
    ClosingRule,
    Decision,
    Grant,
    JournalEntry,
)
from helhed.catalogue.models import LegalBasis
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput
from helhed.core.models import AccessLogEntry, OutboxEvent
from helhed.organisation.models import Department

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


def table_counts() -> dict[str, int]:
    models: list[Any] = [*apps.get_app_config("cases").get_models(), OutboxEvent]
    return {m._meta.db_table: m._default_manager.count() for m in models}


def configure(department_code: str, concept: str, closing_rule: str) -> None:
    department = Department.objects.get(code=department_code)
    CaseSettings.objects.update_or_create(
        department=department, defaults={"concept": concept, "closing_rule": closing_rule})


def open_child_case(actor, child, title="Børnefaglig undersøgelse", **kwargs):
    kwargs.setdefault("kle_numbers", ["34.10.10"])
    return services.open_case(actor, child.uuid, title=title, **kwargs)


# --- opening ------------------------------------------------------------------------------

def test_opening_a_case_numbers_it_classifies_it_and_records_history_and_event(anna, family):
    case = open_child_case(anna, family.liva, kle_numbers=["34.10.10", "34.10"],
                           legal_basis_code="bl-20")

    assert case.number == "BF-2026-000001"
    assert case.department.code == "boernesocial"
    assert case.responsible == anna.staff and case.unit == anna.staff.unit
    assert case.state == Case.State.OPENED
    assert case.concept == CaseConcept.LONG  # children's services: one long case (default)
    kle = services.kle_of(case)
    assert [(k.number, k.level, k.primary) for k in kle] == [
        ("34.10.10", "emne", True), ("34.10", "gruppe", False)]
    change = Change.objects.get(case=case)
    assert change.action == "cases.case.opened" and change.actor == anna
    assert change.after["kle"] == ["34.10.10", "34.10"]
    event = OutboxEvent.objects.get(type="cases.case.opened")
    assert event.citizen == family.liva.uuid and event.kle == "34.10.10"
    assert event.payload["case"] == str(case.uuid)
    assert "Børnefaglig" not in str(event.payload)  # metadata, not content

    second = services.open_case(anna, family.noah.uuid, title="Noah",
                                kle_numbers=["34"])
    assert second.number == "BF-2026-000002"
    assert services.kle_of(second)[0].level == "hovedgruppe"


@pytest.mark.parametrize(("kle", "code"), [
    (["99.99.99"], "kle.unknown"),
    (["34.10.30", "12.34.56"], "kle.unknown"),
    (["not a number"], "kle.number"),
    ([], "case.kle_required"),
    (["34.10.30 Z99"], "kle.facet_unknown"),
])
def test_a_bad_kle_number_is_refused_and_nothing_is_saved(anna, family, kle, code):
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        open_child_case(anna, family.liva, kle_numbers=kle)
    assert error.value.code == code and error.value.field == "kle"
    assert table_counts() == before


@pytest.mark.parametrize(("kwargs", "code", "field"), [
    ({"title": ""}, "case.title_required", "title"),
    ({"legal_basis_code": "sel-999"}, "legal_basis.unknown", "legal_basis"),
    ({"department_code": "nope"}, "department.unknown", "department"),
    ({"sensitivity": "hemmelig"}, "request.invalid_choice", "sensitivity"),
])
def test_bad_input_when_opening_gets_a_clear_error_and_saves_nothing(anna, family, kwargs,
                                                                      code, field):
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        open_child_case(anna, family.liva, **kwargs)
    assert (error.value.code, error.value.field) == (code, field)
    assert error.value.localized()  # a Danish message for the person
    assert table_counts() == before


def test_an_expired_legal_basis_cannot_be_used(anna, family):
    LegalBasis.objects.filter(code="bl-20").update(valid_to=dt.date(2026, 1, 1))
    with pytest.raises(InvalidInput) as error:
        open_child_case(anna, family.liva, legal_basis_code="bl-20")
    assert error.value.code == "legal_basis.expired"


# --- the two case concepts ----------------------------------------------------------------

def test_long_case_concept_refuses_a_second_open_case_and_names_the_first(anna, family):
    configure("boernesocial", CaseConcept.LONG, ClosingRule.AT_DELIVERY_END)
    first = open_child_case(anna, family.liva)
    with pytest.raises(InvalidInput) as error:
        open_child_case(anna, family.liva, title="Ny bekymring")
    assert error.value.code == "case.long_case_exists"
    assert first.number in error.value.message
    # Once the long case is closed, a new one may be opened.
    services.close_case(anna, first.uuid, reason="Flyttet")
    assert open_child_case(anna, family.liva).number != first.number


def test_single_case_concept_opens_one_case_per_matter(anna, family):
    configure("boernesocial", CaseConcept.SINGLE, ClosingRule.AT_DECISION)
    a = open_child_case(anna, family.liva, title="Aflastning")
    b = open_child_case(anna, family.liva, title="Familiebehandling")
    assert a.concept == b.concept == CaseConcept.SINGLE
    assert Case.objects.filter(citizen=family.liva).count() == 2


# --- the two closing rules (EOJ A) ----------------------------------------------------------

def _decide(case: Case, staff, outcome=Decision.Outcome.GRANTED) -> Decision:
    return Decision.objects.create(
        case=case, title="Aflastning", outcome=outcome,
        legal_basis=LegalBasis.objects.get(code="bl-32"), reasons="Behov dokumenteret",
        complaint_guidance="Du kan klage.", complaint_deadline=dt.date(2026, 12, 21),
        decided_at=clock.now(), decided_by=staff)


def _grant(case: Case, valid_to=None) -> Grant:
    return Grant.objects.create(
        citizen=case.citizen, department=case.department, case=case, title="Aflastning",
        amount=decimal.Decimal("8"), unit=Grant.Unit.HOURS_WEEK, valid_from=clock.today(),
        valid_to=valid_to, granted_at=clock.now())


@pytest.mark.parametrize("concept", [CaseConcept.LONG, CaseConcept.SINGLE])
def test_closing_rule_at_decision_closes_the_case_when_decided(anna, family, concept):
    configure("boernesocial", concept, ClosingRule.AT_DECISION)
    case = open_child_case(anna, family.liva)
    with services.transaction.atomic():
        services.after_decision(anna, case, _decide(case, anna.staff))
        grant = _grant(case)
        services.after_grant_change(anna, case)
    case.refresh_from_db()
    # Closed at decision although delivery has just begun: the municipality's choice.
    assert case.state == Case.State.CLOSED and case.closed_at == NOW
    assert grant.state == Grant.State.ACTIVE
    assert Change.objects.filter(case=case, action="cases.case.closed").exists()


@pytest.mark.parametrize("concept", [CaseConcept.LONG, CaseConcept.SINGLE])
def test_closing_rule_at_delivery_end_closes_when_the_last_grant_ends(anna, family, concept):
    configure("boernesocial", concept, ClosingRule.AT_DELIVERY_END)
    case = open_child_case(anna, family.liva)
    with services.transaction.atomic():
        services.after_decision(anna, case, _decide(case, anna.staff))
        grant = _grant(case)
        services.after_grant_change(anna, case)
    case.refresh_from_db()
    assert case.state == Case.State.DELIVERY

    clock.freeze(NOW + dt.timedelta(days=90))
    with services.transaction.atomic():
        Grant.objects.filter(pk=grant.pk).update(state=Grant.State.ENDED,
                                                 valid_to=clock.today())
        services.after_grant_change(anna, case)
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED
    assert "Levering afsluttet" in case.closing_reason


def test_a_refusal_leaves_the_case_decided_not_delivered(anna, family):
    configure("boernesocial", CaseConcept.LONG, ClosingRule.AT_DELIVERY_END)
    case = open_child_case(anna, family.liva)
    with services.transaction.atomic():
        services.after_decision(anna, case, _decide(case, anna.staff, Decision.Outcome.REFUSED))
    case.refresh_from_db()
    assert case.state == Case.State.DECISION


# --- state and closing --------------------------------------------------------------------

def test_state_moves_follow_the_case_flow(anna, family):
    case = open_child_case(anna, family.liva)
    services.set_state(anna, case.uuid, Case.State.INVESTIGATION)
    with pytest.raises(InvalidInput) as error:
        services.set_state(anna, case.uuid, Case.State.DELIVERY)
    assert error.value.code == "case.state_move_invalid"
    with pytest.raises(InvalidInput):
        services.set_state(anna, case.uuid, Case.State.CLOSED)  # closing is its own act
    changes = Change.objects.filter(case=case, action="cases.case.state_changed")
    assert [(c.before["state"], c.after["state"]) for c in changes] == [
        ("aabnet", "undersoegelse")]


def test_closing_with_open_deadlines_warns_then_needs_a_reason(anna, family):
    case = open_child_case(anna, family.liva)
    deadline = CaseDeadline.objects.create(
        kind=CaseDeadline.Kind.FOLLOW_UP, title="Opfølgning", due_at=NOW + dt.timedelta(days=3),
        citizen=family.liva, case=case, responsible=anna.staff, created_at=NOW)
    with pytest.raises(InvalidInput) as error:
        services.close_case(anna, case.uuid)
    assert error.value.code == "case.open_deadlines" and "1" in error.value.message
    case.refresh_from_db()
    assert case.state == Case.State.OPENED

    services.close_case(anna, case.uuid, reason="Familien er fraflyttet kommunen")
    case.refresh_from_db()
    deadline.refresh_from_db()
    assert case.state == Case.State.CLOSED
    assert deadline.waived_reason == "Familien er fraflyttet kommunen"
    with pytest.raises(InvalidInput) as error:
        services.add_journal_entry(anna, case.uuid, kind="notat", occurred_on=NOW.date(),
                                   title="Efter lukning", text="x")
    assert error.value.code == "case.closed"


def test_closing_without_open_deadlines_needs_no_reason(anna, family):
    case = open_child_case(anna, family.liva)
    services.close_case(anna, case.uuid)
    case.refresh_from_db()
    assert case.is_closed


# --- the journal --------------------------------------------------------------------------

def test_a_correction_is_a_new_entry_and_the_original_stays_as_written(anna, bo, family):
    case = open_child_case(anna, family.liva)
    original = services.add_journal_entry(
        anna, case.uuid, kind="samtale", occurred_on=NOW.date(),
        title="Samtale med Liva", text="Liva fortæller om skolen.")
    correction = services.correct_journal_entry(
        bo, original.uuid, occurred_on=NOW.date(), title="Samtale med Liva",
        text="Liva fortæller om skolen og fritidshjemmet.")

    original.refresh_from_db()
    assert original.text == "Liva fortæller om skolen."
    assert correction.corrects == original and correction.kind == JournalEntry.Kind.CORRECTION
    assert correction.author == bo.staff
    assert [e.uuid for e in services.journal_of(anna, case)] == [
        correction.uuid, original.uuid]
    actions = list(Change.objects.filter(case=case).values_list("action", flat=True))
    assert actions[-2:] == ["cases.journal.entry_added", "cases.journal.corrected"]


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"kind": "sladder"}, "journal.kind_invalid"),
    ({"kind": "rettelse"}, "journal.kind_invalid"),
    ({"occurred_on": None}, "journal.date_required"),
    ({"occurred_on": dt.date(2026, 11, 24)}, "journal.date_in_future"),
    ({"title": "  "}, "journal.title_required"),
    ({"text": ""}, "journal.text_required"),
])
def test_bad_journal_entries_are_refused_and_nothing_is_saved(anna, family, kwargs, code):
    case = open_child_case(anna, family.liva)
    values = {"kind": "notat", "occurred_on": NOW.date(), "title": "Notat", "text": "Tekst",
              **kwargs}
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        services.add_journal_entry(anna, case.uuid, **values)
    assert error.value.code == code
    assert table_counts() == before


# --- who may ------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["carl", "dorte"])
def test_a_caseworker_of_another_department_sees_that_the_case_exists_not_its_content(
        request, anna, family, who):
    other = request.getfixturevalue(who)
    case = open_child_case(anna, family.liva)
    with pytest.raises(AccessDenied) as error:
        services.get_case(other, case.uuid)
    assert "anden afdeling" in error.value.message
    denial = AccessLogEntry.objects.filter(actor=other, allowed=False).last()
    assert denial is not None and denial.subject == family.liva.uuid
    assert denial.category == "sagsindhold"
    # The case exists for her (metadata), and says it cannot be opened.
    rows = services.cases_of_citizen(other, family.liva.uuid)
    assert [(r.case.number, r.may_open) for r in rows] == [(case.number, False)]
    with pytest.raises(AccessDenied):
        services.add_journal_entry(other, case.uuid, kind="notat", occurred_on=NOW.date(),
                                   title="x", text="y")


@pytest.mark.parametrize("who", ["gustav", "ivan", "hanne", "outsider"])
def test_providers_analysts_administrators_and_outsiders_get_no_cases(request, anna, family,
                                                                       who):
    other = request.getfixturevalue(who)
    user = other
    case = open_child_case(anna, family.liva)
    with pytest.raises(AccessDenied):
        services.get_case(user, case.uuid)
    with pytest.raises(AccessDenied):
        services.cases_of_citizen(user, family.liva.uuid)
    with pytest.raises(AccessDenied):
        open_child_case(user, family.noah)


def test_a_colleague_in_the_department_may_work_the_case(anna, bo, family):
    case = open_child_case(anna, family.liva)
    assert services.get_case(bo, case.uuid) == case
    look = AccessLogEntry.objects.filter(actor=bo, allowed=True,
                                         category="sagsindhold").last()
    assert look is not None and look.basis.startswith("Egen afdeling")
    services.get_case(anna, case.uuid)
    own = AccessLogEntry.objects.filter(actor=anna, category="sagsindhold").last()
    assert own is not None and own.basis == "Egen sag"
