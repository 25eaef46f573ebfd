"""The policy door's matrix: actors × data categories × bases, denials included.

One family with cases in four departments: Liva's child case (Børn og Familie, Anna),
Mette's adult case (Social og Handicap, Carl), Søren's jobcenter case (Dorte) and Søren's
treatment for substance abuse (Rusmiddelcenter), whose category hides existence. Each cell
says whether the actor may know the item exists (``Category.CASE``), whether it is hidden
altogether, and whether its content opens (``Category.CASE_CONTENT``) — and on which basis.
The world and the matrix live in ``routes_helpers``: ``test_policy_routes`` runs the same
matrix through every route.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser

from helhed.cases import access, services
from helhed.cases.models import Case
from helhed.core import clock
from helhed.core.models import AccessLogEntry
from helhed.organisation.models import Department
from helhed.sharing import policy
from helhed.sharing.models import Consent, DataCategory, EmergencyAccess
from helhed.sharing.policy import Category, Purpose
from helhed.sharing.tests.routes_helpers import MATRIX, NOW, cell, open_world

pytestmark = pytest.mark.django_db

@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)
    policy.forget()


@pytest.fixture
def world(anna, carl, dorte, family):
    return open_world(anna, carl, dorte, family)


def test_the_abuse_case_hides_existence_and_the_child_case_does_not(world):
    categories = {c.code: c for c in DataCategory.objects.all()}
    assert categories["misbrug"].hides_existence and not categories["boernesag"].hides_existence
    assert access.scope_of(world["soren_abuse"]).category == "misbrug"
    assert access.scope_of(world["soren_job"]).category == "beskaeftigelse"


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_matrix_without_consent_rule_or_emergency(request, world, who):
    actor = request.getfixturevalue(who)
    got = {name: cell(actor, case) for name, case in world.items()}
    assert got == MATRIX[who]


def test_anonymous_gets_nothing_and_every_decision_is_logged(world):
    before = AccessLogEntry.objects.count()
    for case in world.values():
        assert cell(AnonymousUser(), case) == (False, False, False)
    assert AccessLogEntry.objects.count() == before + 2 * len(world)
    assert not AccessLogEntry.objects.filter(allowed=True, actor__isnull=True).exists()


def _consent(citizen, givers, categories, departments, staff, *, days=365):
    consent = Consent.objects.create(
        citizen=citizen, purpose="sagsbehandling", form="skriftlig",
        valid_from=clock.today(), valid_to=clock.today() + dt.timedelta(days=days),
        recorded_at=clock.now(), recorded_by=staff)
    consent.given_by.set(givers)
    consent.categories.set(DataCategory.objects.filter(code__in=categories))
    consent.from_departments.set(Department.objects.filter(code__in=departments))
    return consent


def test_consent_opens_its_category_from_its_department_and_withdrawal_closes_it(
        anna, carl, family, world):
    mette = world["mette"]
    consent = _consent(family.mother, [family.mother], ["voksensag"], ["voksensocial"],
                       carl.staff)
    decision = policy.decide(anna, Purpose.CASEWORK, family.mother.uuid,
                             Category.CASE_CONTENT, scope=access.scope_of(mette))
    assert decision.allowed and decision.basis.startswith("Samtykke")
    # Not the jobcenter's case: the consent names another category and department.
    assert cell(anna, world["soren_job"])[2] is False

    consent.withdrawn_at = clock.now()
    consent.save()
    assert cell(anna, mette)[2] is False  # the next read
    last = AccessLogEntry.objects.filter(actor=anna, subject=family.mother.uuid).last()
    assert last is not None and not last.allowed


def test_an_expired_consent_and_one_from_another_department_open_nothing(
        anna, carl, family, world):
    _consent(family.mother, [family.mother], ["voksensag"], ["jobcenter"], carl.staff)
    assert cell(anna, world["mette"])[2] is False
    Consent.objects.update(withdrawn_at=clock.now())
    _consent(family.mother, [family.mother], ["voksensag"], [], carl.staff, days=10)
    assert cell(anna, world["mette"])[2] is True  # from every department
    clock.freeze(NOW + dt.timedelta(days=11))
    assert cell(anna, world["mette"])[2] is False


def test_the_child_investigation_rule_opens_the_familys_cases_only_during_investigation(
        anna, family, world):
    liva = world["liva"]
    assert cell(anna, world["soren_job"])[2] is False
    services.set_state(anna, liva.uuid, Case.State.INVESTIGATION)
    decision = policy.decide(anna, Purpose.CASEWORK, family.father.uuid,
                             Category.CASE_CONTENT, scope=access.scope_of(world["soren_job"]))
    assert decision.allowed and decision.basis.startswith("Hjemmel:")
    # The rule covers abuse, so its existence is shown to her too — with the basis.
    assert cell(anna, world["soren_abuse"]) == (True, False, True)
    # Carl (adults) has no such rule.
    assert cell(personas_user("carl"), world["soren_job"])[2] is False


def personas_user(name: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def test_emergency_access_opens_the_family_is_flagged_and_expires(erik, family, world):
    assert cell(erik, world["mette"])[2] is False
    members = [str(c.uuid) for c in (family.liva, family.noah, family.mother, family.father)]
    EmergencyAccess.objects.create(
        actor=erik, staff=erik.staff, citizen=family.liva, family=members,
        reason="Politiet har ringet om natten", started_at=clock.now(),
        expires_at=clock.now() + dt.timedelta(hours=12))
    decision = policy.decide(erik, Purpose.CASEWORK, family.mother.uuid,
                             Category.CASE_CONTENT, scope=access.scope_of(world["mette"]))
    assert decision.allowed and decision.emergency
    entry = AccessLogEntry.objects.filter(actor=erik, subject=family.mother.uuid).last()
    assert entry is not None and entry.emergency and entry.basis.startswith("Akut adgang")
    # Oskar (half-brother) was not in the family recorded at the start.
    assert not policy.decide(erik, Purpose.CASEWORK, family.half_brother.uuid,
                             Category.CASE_CONTENT,
                             scope=access.scope_of(world["soren_job"])).emergency
    clock.freeze(NOW + dt.timedelta(hours=13))
    assert cell(erik, world["mette"])[2] is False


def test_a_protected_address_opens_only_with_an_own_case_with_the_citizen(
        anna, family, world):
    assert not policy.decide(anna, Purpose.CASEWORK, family.mother.uuid,
                             Category.PROTECTED_ADDRESS)
    decision = policy.decide(anna, Purpose.CASEWORK, family.liva.uuid,
                             Category.PROTECTED_ADDRESS)
    assert decision.allowed and decision.basis == "Egen sag med borgeren"


def test_the_evaluator_decides_a_family_in_a_few_queries(anna, family, world,
                                                        django_assert_max_num_queries):
    subjects = [family.liva.uuid, family.noah.uuid, family.mother.uuid, family.father.uuid,
                family.half_brother.uuid, family.partner.uuid, uuid.uuid4()]
    scopes = [access.scope_of(c) for c in world.values()]
    evaluator = policy.Evaluator(anna, Purpose.CASEWORK)
    with django_assert_max_num_queries(10):
        evaluator.preload(subjects)
        for subject in subjects:
            for scope in scopes:
                evaluator.decide(subject, Category.CASE, scope)
                evaluator.decide(subject, Category.CASE_CONTENT, scope)
