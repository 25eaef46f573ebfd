"""Orders to providers: sent only with consent on file (else exactly what is missing, and
nothing saved); the provider accepts or declines; bad input refused."""

from __future__ import annotations

import datetime as dt

import pytest

from helhed.cases.models import Change
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.core.models import OutboxEvent
from helhed.orders import services
from helhed.orders.models import Order
from helhed.orders.tests.helpers import consented, order_world, provider_consent, send
from helhed.plans.tests.helpers import COMMON, MOTHERS, PROVIDERS
from helhed.sharing.models import Consent

__all__ = ["consented", "order_world"]
pytestmark = pytest.mark.django_db


def test_order_without_consent_says_which_consent_from_whom_and_saves_nothing(
        anna, order_world):
    with pytest.raises(InvalidInput) as caught:
        send(anna, order_world)
    error = caught.value
    assert error.code == "orders.consent_missing"
    assert "Mette" in error.message and "Søren" in error.message
    assert "Bostøtten" in error.message
    assert not Order.objects.exists()
    assert not OutboxEvent.objects.filter(type__startswith="orders.").exists()


def test_withdrawn_or_expired_consent_does_not_count(anna, family, order_world):
    provider_consent(family, anna, order_world, withdrawn_at=clock.now())
    provider_consent(family, anna, order_world,
                     valid_from=clock.today() - dt.timedelta(days=100),
                     valid_to=clock.today() - dt.timedelta(days=1))
    with pytest.raises(InvalidInput, match="samtykke"):
        send(anna, order_world)
    assert not Order.objects.exists()


def test_order_with_consent_is_sent_with_event_and_history(anna, consented):
    order = send(anna, consented)
    assert order.state == Order.State.SENT and order.extent == 5
    assert OutboxEvent.objects.filter(type="orders.order.sent",
                                      object_id=str(order.uuid)).exists()
    assert Change.objects.filter(object_uuid=order.uuid, action="orders.order.sent",
                                 case=consented.plan.case).exists()


@pytest.mark.parametrize(("changes", "code"), [
    ({"extent": "-3"}, "orders.extent_invalid"),
    ({"extent": "0"}, "orders.extent_invalid"),
    ({"extent": "mange"}, "orders.extent_invalid"),
    ({"intervention_code": "findes-ikke"}, "orders.intervention_unknown"),
    ({"purpose": "  "}, "orders.purpose_required"),
    ({"report_every_days": 0}, "orders.schedule_invalid"),
])
def test_bad_input_is_refused_and_nothing_saved(anna, consented, changes, code):
    with pytest.raises(InvalidInput) as caught:
        send(anna, consented, **changes)
    assert caught.value.code == code
    assert not Order.objects.exists()


def test_a_section_not_shared_with_the_provider_cannot_be_ordered(anna, consented):
    with pytest.raises(InvalidInput) as caught:
        send(anna, consented, sections=[consented.plan.sections[MOTHERS].uuid])
    assert caught.value.code == "orders.section_not_shared"
    assert not Order.objects.exists()


def test_caseworker_of_another_department_cannot_send(carl, consented):
    with pytest.raises(AccessDenied):
        send(carl, consented)
    assert not Order.objects.exists()


def test_anonymous_cannot_send(consented):
    with pytest.raises((AccessDenied, NotFound)):
        send(None, consented)
    assert not Order.objects.exists()


def test_provider_accepts_and_the_report_deadline_lands_on_the_caseworkers_list(
        anna, gustav, consented):
    order = services.accept(gustav, send(anna, consented).uuid)
    assert order.state == Order.State.ACCEPTED
    assert order.next_report_due == clock.today() + dt.timedelta(days=30)
    deadline = order.report_deadline
    assert deadline is not None and deadline.case == consented.plan.case
    assert deadline.responsible is not None and deadline.responsible.user == anna
    assert OutboxEvent.objects.filter(type="orders.order.accepted").exists()


def test_provider_declines_with_a_reason(anna, gustav, consented):
    order = send(anna, consented)
    with pytest.raises(InvalidInput):
        services.decline(gustav, order.uuid, " ")
    order = services.decline(gustav, order.uuid, "Ingen ledige pladser før marts.")
    assert order.state == Order.State.DECLINED
    with pytest.raises(InvalidInput):
        services.accept(gustav, order.uuid)


def test_a_caseworker_cannot_answer_for_the_provider(anna, consented):
    order = send(anna, consented)
    with pytest.raises(AccessDenied):
        services.accept(anna, order.uuid)
    assert Order.objects.get(pk=order.pk).state == Order.State.SENT


def test_provider_sees_only_sections_shared_with_it(anna, gustav, consented):
    order = send(anna, consented)
    seen, _ = services.access_order(gustav, order.uuid)
    assert {s.title for s in services.shared_sections(seen)} == {PROVIDERS}
    assert COMMON not in {s.title for s in services.shared_sections(seen)}


def test_a_consent_to_share_with_the_provider_opens_nothing_to_other_departments(
        anna, carl, consented):
    """The consent names who may receive (the provider): Carl (voksensocial) gets no
    basis for Liva's case from it."""
    from helhed.cases import access
    from helhed.sharing import policy
    from helhed.sharing.policy import Category, Purpose

    case = consented.plan.case
    decision = policy.decide(carl, Purpose.CASEWORK, case.citizen.uuid,
                             Category.CASE_CONTENT, scope=access.scope_of(case))
    assert not decision.allowed


def test_withdrawing_the_consent_stops_the_sharing_at_the_next_read(anna, gustav, family,
                                                                    consented):
    order = send(anna, consented)
    seen, _ = services.access_order(gustav, order.uuid)
    assert services.shared_sections(seen)
    Consent.objects.filter(citizen=family.liva).update(withdrawn_at=clock.now())
    seen, _ = services.access_order(gustav, order.uuid)
    assert services.shared_sections(seen) == []
