"""The provider workspace: only the provider's own orders and the plan sections shared with
it; delivery and attendance; status reports on the schedule, and late ones on both the
provider's and the caseworker's work lists. Pages and API, allowed and denied."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helhed.cases import worklist
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.core.models import AccessLogEntry as AccessLog
from helhed.orders import services
from helhed.orders.models import Delivery, Order, StatusReport
from helhed.orders.tests.helpers import KIND, consented, order_world, provider_consent, send
from helhed.organisation.models import Provider, StaffMember
from helhed.plans.tests.helpers import COMMON, FATHERS, JOBCENTER, MOTHERS, PROVIDERS
from helhed.sharing.models import Consent
from helhed.testing import personas

__all__ = ["consented", "order_world"]
pytestmark = pytest.mark.django_db
NOT_SHARED = (COMMON, MOTHERS, FATHERS, JOBCENTER)


@pytest.fixture
def other_provider_staff(gustav):
    """Staff of another provider (Familiehuset)."""
    user = personas.make_staff("bo")
    staff = StaffMember.objects.get(user=user)
    own = StaffMember.objects.get(user=gustav)
    staff.provider = Provider.objects.create(name="Familiehuset", kind=Provider.Kind.PRIVATE,
                                             municipality=own.municipality)
    staff.save(update_fields=["provider"])
    staff.roles.set(own.roles.all())
    return user


@pytest.fixture
def accepted(anna, gustav, consented) -> Order:
    return services.accept(gustav, send(anna, consented).uuid)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- services -----------------------------------------------------------------------------

def test_provider_lists_only_its_own_orders(gustav, other_provider_staff, accepted):
    assert [o.uuid for o in services.provider_orders(gustav)] == [accepted.uuid]
    assert services.provider_orders(other_provider_staff) == []


def test_another_provider_cannot_open_the_order_and_the_refusal_is_logged(
        other_provider_staff, accepted):
    with pytest.raises(NotFound):
        services.access_order(other_provider_staff, accepted.uuid)
    assert AccessLog.objects.filter(actor__username="bo", allowed=False).exists()


def test_status_report_on_another_providers_order_is_refused_and_nothing_saved(
        other_provider_staff, accepted):
    with pytest.raises(NotFound):
        services.write_report(other_provider_staff, accepted.uuid, "Det går godt.")
    with pytest.raises(NotFound):
        services.register_delivery(other_provider_staff, accepted.uuid, day=clock.today(),
                                   extent=2, attended=True)
    assert not StatusReport.objects.exists() and not Delivery.objects.exists()


def test_caseworker_cannot_write_the_providers_report(anna, accepted):
    with pytest.raises(AccessDenied):
        services.write_report(anna, accepted.uuid, "Det går godt.")
    assert not StatusReport.objects.exists()


def test_delivery_and_attendance_are_registered(gustav, accepted):
    row = services.register_delivery(gustav, accepted.uuid, day=clock.today(), extent="2,5",
                                      attended=False, note="Meldte afbud.")
    assert row.extent == 2.5 and row.attended is False
    with pytest.raises(InvalidInput):
        services.register_delivery(gustav, accepted.uuid, day=clock.today(), extent="-1",
                                   attended=True)
    with pytest.raises(InvalidInput):
        services.register_delivery(gustav, accepted.uuid,
                                   day=clock.today() + dt.timedelta(days=3), extent=1,
                                   attended=True)
    assert Delivery.objects.count() == 1


def test_late_report_shows_on_both_work_lists_until_written(anna, gustav, accepted):
    clock.freeze(clock.now() + dt.timedelta(days=32))
    assert [o.uuid for o in services.late_reports(gustav)] == [accepted.uuid]
    items = worklist.work_list(anna).items
    late = [i for i in items if i.deadline == accepted.report_deadline]
    assert late and late[0].overdue

    report = services.write_report(gustav, accepted.uuid, "Liva kommer i skole 4 af 5 dage.")
    assert report.late
    assert services.late_reports(gustav) == []
    order = Order.objects.get(pk=accepted.pk)
    assert order.next_report_due == accepted.start + dt.timedelta(days=60)
    assert not any(i.overdue for i in worklist.work_list(anna).items
                   if i.deadline.title.startswith("Statusrapport"))


def test_report_on_time_is_not_late(gustav, accepted):
    report = services.write_report(gustav, accepted.uuid, "Godt i gang.")
    assert not report.late


# --- pages --------------------------------------------------------------------------------

def test_workspace_page_shows_own_order_and_only_shared_sections(gustav, accepted):
    client = _client(gustav)
    page = client.get("/udfoerer/bestillinger/").content.decode()
    assert "Socialpædagogisk støtte" in page or accepted.intervention_type.name in page
    detail = client.get(f"/udfoerer/bestillinger/{accepted.uuid}/").content.decode()
    assert PROVIDERS in detail
    for title in NOT_SHARED:
        assert title not in detail


def test_workspace_page_denied_to_another_provider_caseworker_and_anonymous(
        other_provider_staff, carl, accepted):
    url = f"/udfoerer/bestillinger/{accepted.uuid}/"
    assert _client(other_provider_staff).get(url).status_code == 404
    # The consent (categories, no source departments) also opens the children's case to
    # other departments' caseworkers (sharing's reading of it); withdrawn, it does not.
    Consent.objects.update(withdrawn_at=clock.now())
    assert _client(carl).get(url).status_code == 404
    assert _client().get(url).status_code in (302, 403, 404)
    assert _client(carl).get("/udfoerer/bestillinger/").status_code == 403


def test_caseworker_sees_the_order_page_without_the_providers_forms(anna, accepted):
    response = _client(anna).get(f"/udfoerer/bestillinger/{accepted.uuid}/")
    assert response.status_code == 200
    assert 'id="report"' not in response.content.decode()
    refused = _client(anna).post(f"/udfoerer/bestillinger/{accepted.uuid}/",
                                 {"action": "report", "text": "Skrevet af sagsbehandleren"})
    assert refused.status_code == 400 and not StatusReport.objects.exists()


def test_workspace_list_does_not_query_per_order(anna, gustav, consented, accepted):
    client = _client(gustav)
    with CaptureQueriesContext(connection) as one:
        client.get("/udfoerer/bestillinger/")
    services.accept(gustav, send(anna, consented).uuid)
    send(anna, consented)
    with CaptureQueriesContext(connection) as three:
        assert client.get("/udfoerer/bestillinger/").content.decode().count(
            "/udfoerer/bestillinger/") >= 3
    assert len(three) == len(one)


def test_provider_writes_a_report_on_the_page_and_an_empty_one_is_refused(gustav, accepted):
    client = _client(gustav)
    url = f"/udfoerer/bestillinger/{accepted.uuid}/"
    refused = client.post(url, {"action": "report", "text": " "})
    assert refused.status_code == 400 and not StatusReport.objects.exists()
    assert client.post(url, {"action": "report", "text": "Det går fremad."}).status_code == 302
    assert StatusReport.objects.count() == 1


# --- API ----------------------------------------------------------------------------------

def test_api_order_refused_without_consent_then_provider_sees_only_its_section(
        anna, gustav, family, order_world):

    body = {"grant": str(order_world.grant.uuid), "intervention_type": KIND, "extent": 5,
            "start": clock.today().isoformat(), "purpose": "Skolegang",
            "sections": [str(order_world.plan.sections[PROVIDERS].uuid)],
            "report_every_days": 30}
    client = _client(anna)
    refused = client.post("/api/v1/orders/", json.dumps(body), content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "orders.consent_missing"
    provider_consent(family, anna, order_world)
    sent = client.post("/api/v1/orders/", json.dumps(body), content_type="application/json")
    assert sent.status_code == 201
    mine = _client(gustav).get("/api/v1/orders/mine").json()
    assert [s["title"] for s in mine[0]["sections"]] == [PROVIDERS]


def test_api_negative_extent_and_foreign_report_refused(anna, gustav, other_provider_staff,
                                                       consented, accepted):
    body = {"grant": str(consented.grant.uuid), "intervention_type": KIND, "extent": -2,
            "start": clock.today().isoformat(), "purpose": "Skolegang"}
    bad = _client(anna).post("/api/v1/orders/", json.dumps(body),
                             content_type="application/json")
    assert bad.status_code == 422 and Order.objects.count() == 1
    foreign = _client(other_provider_staff).post(
        f"/api/v1/orders/{accepted.uuid}/reports", json.dumps({"text": "Hej"}),
        content_type="application/json")
    assert foreign.status_code == 404 and not StatusReport.objects.exists()
    assert _client().get(f"/api/v1/orders/{accepted.uuid}").status_code in (401, 403, 404)


def test_api_orders_of_a_case_for_its_caseworker_not_for_the_provider(anna, gustav,
                                                                      accepted):
    case = accepted.case.uuid
    assert [o["id"] for o in _client(anna).get(f"/api/v1/orders/case/{case}").json()] == [
        str(accepted.uuid)]
    assert _client(gustav).get(f"/api/v1/orders/case/{case}").status_code == 403
