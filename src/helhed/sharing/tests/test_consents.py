# mypy: disable-error-code="no-untyped-def,no-untyped-call"
"""Consent (samtykke): who must give it (custody holders, the young person from 15, the
adult citizen), its limits, the rule shown, and withdrawal that closes the door on the very
next read. Runs on SQLite and PostgreSQL like the whole suite."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from helhed.cases import access as case_access
from helhed.cases import services as cases
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput
from helhed.core.models import AccessLogEntry, OutboxEvent
from helhed.people.models import Custody
from helhed.sharing import consents, policy
from helhed.sharing.models import Consent
from helhed.sharing.policy import Category, Purpose

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


@pytest.fixture
def liva_case(anna, family):
    return cases.open_case(anna, family.liva.uuid, title="Børnefaglig undersøgelse",
                           kle_numbers=["34.10.10"])


def consent_for(actor, citizen, givers, **overrides):
    fields: dict[str, Any] = {"given_by": [g.uuid for g in givers], "purpose": "sagsbehandling",
              "categories": ["skolefravaer", "sundhed"], "form": "skriftlig",
              "valid_from": TODAY, "valid_to": TODAY + dt.timedelta(days=365),
              "note": "Underskrevet erklæring ligger på sagen."}
    fields.update(overrides)
    return consents.record_consent(actor, citizen.uuid, **fields)


def nothing_saved() -> None:
    assert Consent.objects.count() == 0
    assert not OutboxEvent.objects.filter(type__startswith="sharing.consent").exists()


# --- who gives it -------------------------------------------------------------------------

def test_a_child_needs_every_custody_holder_and_the_message_names_who_is_missing(
        anna, family, liva_case):
    with pytest.raises(InvalidInput) as caught:
        consent_for(anna, family.liva, [family.mother])

    assert caught.value.code == "consent.custody_missing"
    assert caught.value.field == "given_by"
    assert "Søren Ærø" in caught.value.message and "Mette" not in caught.value.message
    nothing_saved()


def test_both_custody_holders_give_it_and_an_event_without_the_note_is_emitted(
        anna, family, liva_case):
    consent = consent_for(anna, family.liva, [family.mother, family.father])

    assert set(consent.given_by.all()) == {family.mother, family.father}
    assert consent.recorded_by == anna.staff and consent.withdrawn_at is None
    event = OutboxEvent.objects.get(type="sharing.consent.given")
    assert event.citizen == family.liva.uuid and event.actor == "anna"
    assert event.payload["categories"] == ["skolefravaer", "sundhed"]
    assert event.payload["purpose"] == "sagsbehandling"
    assert event.payload["valid_to"] == (TODAY + dt.timedelta(days=365)).isoformat()
    assert "erklæring" not in str(event.payload)  # never the note
    assert event.sensitivity == "foelsom"  # health is a sensitive category


def test_someone_without_custody_cannot_give_it_for_a_child(anna, family, liva_case):
    with pytest.raises(InvalidInput) as caught:
        consent_for(anna, family.liva, [family.mother, family.father, family.partner])
    assert caught.value.code == "consent.giver_not_entitled"
    assert "Pia Poulsen" in caught.value.message
    nothing_saved()


def test_a_fifteen_year_old_must_co_sign(anna, family):
    clock.freeze(dt.datetime(2027, 8, 1, 10, 0, tzinfo=dt.UTC))  # Oskar turned 15 in July
    for holder in (family.father, family.partner):
        Custody.objects.create(child=family.half_brother, holder=holder,
                               valid_from=family.half_brother.birth_date,
                               registered_at=clock.now())
    # Anna's case on his half-sister Liva is a case on the family.
    cases.open_case(anna, family.liva.uuid, title="Undersøgelse", kle_numbers=["34.10.10"])
    day = clock.today()
    with pytest.raises(InvalidInput) as caught:
        consent_for(anna, family.half_brother, [family.father, family.partner],
                    valid_from=day, valid_to=day + dt.timedelta(days=90))
    assert caught.value.code == "consent.young_person_missing"
    assert "Oskar Ærø" in caught.value.message and "15" in caught.value.message
    nothing_saved()

    consent = consent_for(anna, family.half_brother,
                          [family.father, family.partner, family.half_brother],
                          valid_from=day, valid_to=day + dt.timedelta(days=90))
    assert family.half_brother in consent.given_by.all()


def test_an_adult_gives_her_own_consent_and_nobody_else_can(carl, family):
    cases.open_case(carl, family.mother.uuid, title="Støtte", kle_numbers=["27"])
    with pytest.raises(InvalidInput) as caught:
        consent_for(carl, family.mother, [family.father])
    assert caught.value.code == "consent.giver_not_entitled"
    nothing_saved()
    consent = consent_for(carl, family.mother, [family.mother])
    assert list(consent.given_by.all()) == [family.mother]


# --- the limits -----------------------------------------------------------------------------

@pytest.mark.parametrize(("overrides", "code", "field"), [
    ({"categories": []}, "consent.categories_required", "categories"),
    ({"categories": ["findes-ikke"]}, "consent.category_unknown", "categories"),
    ({"valid_to": TODAY}, "consent.period_order", "valid_to"),
    ({"valid_to": TODAY + dt.timedelta(days=731)}, "consent.period_too_long", "valid_to"),
    ({"valid_from": None}, "consent.valid_from_required", "valid_from"),
    ({"purpose": "reklame"}, "consent.purpose_invalid", "purpose"),
    ({"form": "telepati"}, "consent.form_invalid", "form"),
    ({"from_departments": ["findes-ikke"]}, "consent.department_unknown", "from_departments"),
    ({"given_by": []}, "consent.giver_required", "given_by"),
])
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(
        anna, family, liva_case, overrides, code, field):
    with pytest.raises(InvalidInput) as caught:
        consent_for(anna, family.liva, [family.mother, family.father], **overrides)
    assert (caught.value.code, caught.value.field) == (code, field)
    nothing_saved()


def test_two_years_is_the_longest_allowed(anna, family, liva_case):
    consent = consent_for(anna, family.liva, [family.mother, family.father],
                          valid_to=TODAY + dt.timedelta(days=consents.MAX_VALIDITY_DAYS))
    assert (consent.valid_to - consent.valid_from).days == 730


def test_without_an_open_case_on_the_family_it_is_refused_and_logged(carl, family):
    with pytest.raises(AccessDenied) as caught:
        consent_for(carl, family.liva, [family.mother, family.father])
    assert caught.value.code == "consent.no_basis"
    entry = AccessLogEntry.objects.filter(actor=carl).latest("id")
    assert entry.subject == family.liva.uuid and not entry.allowed and entry.action == "write"
    nothing_saved()


@pytest.mark.parametrize("persona", ["gustav", "outsider", "ivan", "hanne"])
def test_others_cannot_record_consent(request, persona, family, liva_case):
    actor = request.getfixturevalue(persona)
    with pytest.raises(AccessDenied):
        consent_for(actor, family.liva, [family.mother, family.father])
    assert AccessLogEntry.objects.filter(actor=actor, allowed=False,
                                         subject=family.liva.uuid).exists()
    nothing_saved()


# --- the rule -----------------------------------------------------------------------------

def test_the_rule_says_who_gets_what_from_where_and_that_it_can_be_withdrawn(anna):
    text = consents.rule_text("sagsbehandling", ["skolefravaer", "sundhed"],
                              ["skole"], [], TODAY, TODAY + dt.timedelta(days=30))
    assert text.startswith("Samtykket giver kommunens sagsbehandlere adgang til oplysninger "
                           "om »Fravær fra skole og uddannelse« og »Sundhed og tandsundhed«")
    assert "fra Skole" in text and "23.11.2026" in text and "23.12.2026" in text
    assert "kan trækkes tilbage når som helst" in text
    assert "det, der allerede er indhentet, bliver på sagen" in text
    assert "alle kommunens afdelinger" in consents.rule_text("sagsbehandling", ["sundhed"])


# --- withdrawal -----------------------------------------------------------------------------

@pytest.fixture
def jobcenter_case(dorte, family):
    """Mette's jobcenter case: content Carl (adults' services) has no basis for."""
    return cases.open_case(dorte, family.mother.uuid, title="Ledighed",
                           kle_numbers=["15"])


def carl_reads(carl, family, case):
    return policy.decide(carl, Purpose.CASEWORK, family.mother.uuid, Category.CASE_CONTENT,
                         scope=case_access.scope_of(case))


def test_withdrawal_stops_access_on_the_next_read(carl, family, jobcenter_case):
    cases.open_case(carl, family.mother.uuid, title="Støtte", kle_numbers=["27"])
    assert not carl_reads(carl, family, jobcenter_case)

    consent = consent_for(carl, family.mother, [family.mother], categories=["beskaeftigelse"],
                          from_departments=["jobcenter"])
    allowed = carl_reads(carl, family, jobcenter_case)
    assert allowed and allowed.basis.startswith("Samtykke")

    consents.withdraw(carl, consent.uuid, "Mette ringede og trak det tilbage.")
    after = carl_reads(carl, family, jobcenter_case)
    assert not after.allowed
    entries = list(AccessLogEntry.objects.filter(actor=carl, category="sagsindhold",
                                                 action="read").order_by("id"))
    assert [e.allowed for e in entries] == [False, True, False]

    consent.refresh_from_db()
    assert consent.withdrawn_at == NOW and consent.withdrawn_by == carl.staff
    event = OutboxEvent.objects.get(type="sharing.consent.withdrawn")
    assert event.payload["categories"] == ["beskaeftigelse"]
    assert "ringede" not in str(event.payload)
    with pytest.raises(InvalidInput) as caught:
        consents.withdraw(carl, consent.uuid, "igen")
    assert caught.value.code == "consent.already_withdrawn"
    assert Consent.objects.filter(pk=consent.pk).exists()  # never deleted


def test_a_consent_from_another_department_or_out_of_date_opens_nothing(
        carl, family, jobcenter_case):
    cases.open_case(carl, family.mother.uuid, title="Støtte", kle_numbers=["27"])
    consent_for(carl, family.mother, [family.mother], categories=["beskaeftigelse"],
                from_departments=["ydelse"])
    assert not carl_reads(carl, family, jobcenter_case)
    consent_for(carl, family.mother, [family.mother], categories=["beskaeftigelse"],
                valid_from=TODAY + dt.timedelta(days=1),
                valid_to=TODAY + dt.timedelta(days=10))
    assert not carl_reads(carl, family, jobcenter_case)  # not yet valid
    clock.advance(dt.timedelta(days=5))
    assert carl_reads(carl, family, jobcenter_case)
    clock.advance(dt.timedelta(days=10))
    assert not carl_reads(carl, family, jobcenter_case)  # expired


def test_consents_of_lists_withdrawn_ones_too_and_logs_the_look(carl, family):
    cases.open_case(carl, family.mother.uuid, title="Støtte", kle_numbers=["27"])
    first = consent_for(carl, family.mother, [family.mother])
    consents.withdraw(carl, first.uuid)
    consent_for(carl, family.mother, [family.mother], categories=["bolig"])
    rows = consents.consents_of(carl, family.mother.uuid)
    assert [r.active for r in rows] == [True, False]
    assert rows[0].category_names == ["Bolig og boligforhold"]
    assert "»Bolig og boligforhold«" in rows[0].rule
    assert AccessLogEntry.objects.filter(actor=carl, detail="samtykker").exists()


# --- consent to providers (to_providers) ----------------------------------------------------

def test_a_consent_to_a_provider_is_recorded_with_the_provider_in_the_event(
        anna, gustav, family, liva_case):
    provider = gustav.staff.provider
    consent = consent_for(anna, family.liva, [family.mother, family.father],
                          to_providers=[str(provider.uuid)])

    assert list(consent.to_providers.all()) == [provider]
    assert not consent.from_providers.exists()
    event = OutboxEvent.objects.get(type="sharing.consent.given")
    assert event.payload["to_providers"] == [str(provider.uuid)]
    row = consents.consent_row(consent)
    assert row.receivers == [provider]
    assert row.rule.startswith("Samtykket giver kun Bostøtten adgang til det, der deles med "
                               "den; det åbner ikke for andre afdelinger.")
    assert "sagsbehandlere" not in row.rule  # it promises staff nothing


@pytest.mark.parametrize("bad", ["00000000-0000-4000-8000-000000000000", "ikke-et-id"])
def test_an_unknown_receiving_provider_is_refused_and_nothing_is_saved(
        bad, anna, gustav, family, liva_case):
    with pytest.raises(InvalidInput) as caught:
        consent_for(anna, family.liva, [family.mother, family.father],
                    to_providers=[str(gustav.staff.provider.uuid), bad])

    assert caught.value.code == "consent.provider_unknown"
    assert caught.value.field == "to_providers"
    nothing_saved()


def test_the_preview_rule_names_the_receiving_provider(anna, gustav, family, liva_case):
    text = consents.preview_consent(
        anna, family.liva.uuid, given_by=[family.mother.uuid, family.father.uuid],
        purpose="sagsbehandling", categories=["skolefravaer"], form="skriftlig",
        valid_from=TODAY, valid_to=TODAY + dt.timedelta(days=30),
        to_providers=[gustav.staff.provider.uuid])

    assert "Samtykket giver kun Bostøtten adgang til det, der deles med den" in text
    assert "»Fravær fra skole og uddannelse«" in text and "23.12.2026" in text
    assert not Consent.objects.exists()  # a preview saves nothing
