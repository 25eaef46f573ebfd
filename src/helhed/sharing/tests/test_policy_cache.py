"""The door keeps the data categories and the legal-basis rules for a minute per process.
An administrator's change must count at once all the same: a rule switched off, or a role
taken off a rule, closes on the very next read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test.utils import CaptureQueriesContext

from helhed.cases import access, services
from helhed.cases.models import Case
from helhed.core import clock
from helhed.organisation.models import Role
from helhed.sharing import policy
from helhed.sharing.models import AccessRule
from helhed.sharing.policy import Category, Purpose

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def investigation(anna, carl, family):
    """Liva's case under investigation (Anna) and Mette's adult case (Carl): the
    child-investigation rule opens Mette's case to Anna."""
    clock.freeze(NOW)
    liva = services.open_case(anna, family.liva.uuid, title="Bekymring",
                              kle_numbers=["34.10.10"])
    Case.objects.filter(pk=liva.pk).update(state=Case.State.INVESTIGATION)
    return services.open_case(carl, family.mother.uuid, title="Bostøtte",
                              department_code="voksensocial", kle_numbers=["27"])


def _opens(actor, case: Case) -> policy.Decision:
    return policy.decide(actor, Purpose.CASEWORK, case.citizen.uuid, Category.CASE_CONTENT,
                         scope=access.scope_of(case))


def _rule_for(decision: policy.Decision) -> AccessRule:
    paragraph = decision.basis.removeprefix("Hjemmel: ")
    return AccessRule.objects.get(active=True, paragraph=paragraph,
                                  categories__code="voksensag")


def test_a_rule_switched_off_closes_on_the_next_read(anna, investigation):
    granted = _opens(anna, investigation)
    assert granted.allowed and granted.basis.startswith("Hjemmel")
    rule = _rule_for(granted)
    rule.active = False
    rule.save()
    assert not _opens(anna, investigation).allowed


def test_a_role_taken_off_a_rule_closes_on_the_next_read(anna, investigation):
    granted = _opens(anna, investigation)
    rule = _rule_for(granted)
    rule.roles.remove(*Role.objects.filter(staff__user=anna))
    assert not _opens(anna, investigation).allowed


def test_the_rules_are_read_once_not_per_question(anna, investigation):
    from django.db import connection

    _opens(anna, investigation)
    with CaptureQueriesContext(connection) as captured:
        assert _opens(anna, investigation).allowed
    assert not [q for q in captured.captured_queries if "sharing_accessrule" in q["sql"]]


def test_a_legal_basis_opens_reading_but_not_changing(anna, investigation):
    """Consent and legal-basis rules are for exchanging information: Anna may read
    Mette's adult case during the child investigation, not write in it."""
    from helhed.core.errors import AccessDenied
    from helhed.core.models import AccessLogEntry

    assert _opens(anna, investigation).allowed
    with pytest.raises(AccessDenied) as refused:
        services.add_journal_entry(anna, investigation.uuid, kind="notat", occurred_on=None,
                                   title="Fra børnesagen", text="Må ikke skrives her")
    assert "læse, ikke til at ændre" in str(refused.value.message)
    assert not investigation.journal.exists()
    assert AccessLogEntry.objects.filter(actor=anna, action="write", allowed=False,
                                         subject=investigation.citizen.uuid).exists()
