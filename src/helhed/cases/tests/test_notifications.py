"""Notifications (underretninger): the legal clock starts when one is received, outside
office hours it lands with the on-call unit, a child with an active measure needs a second
opinion from someone who has not handled the case, and repeated notifications on a family
are shown together and flagged. Bad input and refusals leave nothing behind."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from helhed.cases import deadlines, notifications, services
from helhed.cases.models import Case, CaseDeadline, Change, Grant, Notification
from helhed.cases.tests.notification_helpers import ensure_catalogue, local, receive
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput
from helhed.core.models import AccessLogEntry, OutboxEvent
from helhed.organisation.models import Department

pytestmark = pytest.mark.django_db

MONDAY_MORNING = local(2027, 3, 15, 10, 0)
FRIDAY_EVENING = local(2027, 3, 19, 16, 0)
Kind = CaseDeadline.Kind


@pytest.fixture(autouse=True)
def _setup(db):
    ensure_catalogue()
    clock.freeze(MONDAY_MORNING)


def counts() -> dict[str, int]:
    models: list[Any] = [*apps.get_app_config("cases").get_models(), OutboxEvent]
    return {m._meta.db_table: m._default_manager.count() for m in models}


def clock_of(notification: Notification) -> dict[str, dt.datetime]:
    return {d.kind: d.due_at for d in notification.deadlines.all()}


# --- receiving ----------------------------------------------------------------------------

def test_a_schools_notification_in_office_hours_starts_three_deadlines(anna, family):
    n = receive(anna, family.liva)
    assert (n.unit.name, n.outside_office_hours, n.state) == ("Familieteam Nord", False,
                                                              "modtaget")
    assert n.registered_by.user == anna and not n.second_opinion_required
    assert clock_of(n) == {
        Kind.ASSESSMENT_24H: local(2027, 3, 16, 10, 0),
        # 6 working days: Tue 16 ... Mon 22, and Easter (25, 26, 29 March) does not count
        Kind.RECEIPT: local(2027, 3, 23, 23, 59, 59),
        Kind.REPLY: local(2027, 4, 15, 23, 59, 59),  # 20 working days
    }
    assert {d.responsible.user for d in n.deadlines.all()} == {anna}
    types = list(OutboxEvent.objects.filter(type__startswith="cases.").order_by("seq")
                 .values_list("type", flat=True))
    assert types == ["cases.notification.received"] + ["cases.deadline.created"] * 3
    received = OutboxEvent.objects.get(type="cases.notification.received")
    assert received.payload["notifier_kind"] == "skole"
    assert received.citizen == family.liva.uuid and received.kle == "34.10.30"
    assert "Lise" not in str(received.payload) and "sultent" not in str(received.payload)
    assert Change.objects.get(object_uuid=n.uuid).summary == "Underretning fra skole 15.03.2027"


def test_outside_office_hours_it_lands_with_the_on_call_unit(anna, erik, family):
    clock.freeze(FRIDAY_EVENING)
    n = receive(anna, family.liva, received_at=FRIDAY_EVENING)
    assert (n.unit.name, n.outside_office_hours) == ("Døgnvagten", True)
    # The 24 hours run through the night into Saturday; nobody is named before erik takes it.
    assessment = n.deadlines.get(kind=Kind.ASSESSMENT_24H)
    assert assessment.due_at == local(2027, 3, 20, 16, 0)
    assert assessment.responsible is None and assessment.unit.name == "Døgnvagten"
    by_erik = receive(erik, family.noah, received_at=FRIDAY_EVENING)
    assert by_erik.deadlines.get(kind=Kind.ASSESSMENT_24H).responsible.user == erik


def test_received_in_office_hours_but_registered_later_stays_with_the_team(anna, erik, family):
    clock.freeze(FRIDAY_EVENING)
    n = receive(anna, family.liva, received_at=local(2027, 3, 19, 11, 0))
    assert (n.unit.name, n.outside_office_hours) == ("Familieteam Nord", False)


def test_without_an_on_call_unit_the_actors_unit_takes_it(anna, family):
    clock.freeze(FRIDAY_EVENING)
    n = receive(anna, family.liva)
    assert (n.unit.name, n.outside_office_hours) == ("Familieteam Nord", True)


def test_a_citizens_notification_has_only_the_24_hour_assessment(anna, family):
    n = receive(anna, family.liva, notifier_kind="borger", notifier_name="Nabo Nielsen",
                notifier_organisation="")
    assert list(clock_of(n)) == [Kind.ASSESSMENT_24H]
    anonymous = receive(anna, family.noah, notifier_kind="anonym", notifier_name="",
                        notifier_organisation="", notifier_contact="")
    assert anonymous.notifier_name == "" and list(clock_of(anonymous)) == [Kind.ASSESSMENT_24H]


@pytest.mark.parametrize("values, code, field", [
    ({"notifier_kind": "anonym", "notifier_organisation": ""}, "notification.anonymous_named",
     "notifier_name"),
    ({"notifier_name": " "}, "notification.notifier_name_required", "notifier_name"),
    ({"notifier_kind": "nabo"}, "notification.notifier_kind", "notifier_kind"),
    ({"received_at": local(2027, 3, 15, 10, 1)}, "notification.received_in_future",
     "received_at"),
    ({"received_at": local(2015, 1, 1, 10, 0)}, "date.before_birth", "received_at"),
    ({"description": "  "}, "text.empty", "description"),
    ({"description": "x" * 10001}, "text.too_long", "description"),
    ({"notifier_organisation": "x" * 201}, "text.too_long", "notifier_organisation"),
])
def test_bad_notifications_are_refused_and_nothing_is_saved(anna, family, values, code, field):
    before = counts()
    with pytest.raises(InvalidInput) as raised:
        receive(anna, family.liva, **values)
    assert (raised.value.code, raised.value.field) == (code, field)
    assert counts() == before


def test_an_adult_is_not_the_subject_of_a_notification(anna, family):
    with pytest.raises(InvalidInput) as raised:
        receive(anna, family.mother)
    assert raised.value.code == "notification.child_adult"
    assert "18 år" in raised.value.message
    assert not Notification.objects.exists()


def test_an_unknown_child_is_refused(anna):
    with pytest.raises(InvalidInput) as raised:
        notifications.receive(anna, uuid.uuid4(), received_at=clock.now(),
                              notifier_kind="borger", description="Bekymring")
    assert (raised.value.code, raised.value.field) == ("citizen.reference_unknown", "child_id")


@pytest.mark.parametrize("persona", ["carl", "dorte", "gustav", "outsider", "hanne"])
def test_only_the_childrens_department_registers_notifications(persona, family, request):
    actor = request.getfixturevalue(persona)
    before = counts()
    with pytest.raises(AccessDenied):
        receive(actor, family.liva)
    assert counts() == before


def test_carls_refusal_is_logged(carl, family):
    with pytest.raises(AccessDenied) as raised:
        receive(carl, family.liva)
    assert "anden afdeling" in raised.value.message
    assert AccessLogEntry.objects.filter(subject=family.liva.uuid, allowed=False).exists()


def test_an_anonymous_caller_is_refused(family):
    with pytest.raises(AccessDenied):
        receive(AnonymousUser(), family.liva)


# --- assessment, receipt, reply -----------------------------------------------------------

def test_the_assessment_meets_the_24_hour_deadline(anna, bo, family):
    n = receive(anna, family.liva)
    clock.advance(dt.timedelta(hours=3))
    notifications.assess(bo, n.uuid, child_in_danger=False,
                         assessment="Ikke akut. Indkald forældrene til møde.")
    n.refresh_from_db()
    assert (n.state, n.assessed_by.user, n.child_in_danger) == ("vurderet", bo, False)
    row = n.deadlines.get(kind=Kind.ASSESSMENT_24H)
    assert row.met_at == clock.now() and not deadlines.overdue(row)
    assert OutboxEvent.objects.filter(type="cases.notification.assessed").count() == 1
    assert OutboxEvent.objects.filter(type="cases.deadline.met").count() == 1
    with pytest.raises(InvalidInput) as raised:
        notifications.assess(anna, n.uuid, child_in_danger=True, assessment="Igen")
    assert raised.value.code == "notification.already_assessed"


def test_an_assessment_needs_an_answer_and_a_reason(anna, family):
    n = receive(anna, family.liva)
    before = counts()
    with pytest.raises(InvalidInput) as raised:
        notifications.assess(anna, n.uuid, child_in_danger=None, assessment="Begrundelse")
    assert raised.value.field == "child_in_danger"
    with pytest.raises(InvalidInput) as raised:
        notifications.assess(anna, n.uuid, child_in_danger=True, assessment="")
    assert (raised.value.code, raised.value.field) == ("text.empty", "assessment")
    assert counts() == before


def test_a_late_assessment_leaves_the_deadline_overdue_until_met(anna, family):
    n = receive(anna, family.liva)
    clock.advance(dt.timedelta(hours=25))
    row = n.deadlines.get(kind=Kind.ASSESSMENT_24H)
    assert deadlines.overdue(row)
    notifications.assess(anna, n.uuid, child_in_danger=True, assessment="Akut: politi kontaktet")
    row.refresh_from_db()
    assert row.met_at > row.due_at and not deadlines.overdue(row)


def test_receipt_and_reply_to_a_professional(anna, family):
    n = receive(anna, family.liva)
    notifications.send_receipt(anna, n.uuid)
    with pytest.raises(InvalidInput) as raised:
        notifications.send_receipt(anna, n.uuid)
    assert raised.value.code == "notification.receipt_already_sent"
    with pytest.raises(InvalidInput) as raised:
        notifications.send_reply(anna, n.uuid, True)
    assert raised.value.code == "notification.not_assessed"
    notifications.assess(anna, n.uuid, child_in_danger=False, assessment="Ikke akut")
    notifications.send_reply(anna, n.uuid, True)
    n.refresh_from_db()
    assert n.investigation_started is True and n.reply_sent_at == clock.now()
    assert all(not d.open for d in n.deadlines.all())
    types = set(OutboxEvent.objects.values_list("type", flat=True))
    assert {"cases.notification.receipt_sent", "cases.notification.reply_sent"} <= types


def test_a_citizen_gets_no_receipt_or_reply(anna, family):
    n = receive(anna, family.liva, notifier_kind="borger", notifier_organisation="")
    for action in (lambda: notifications.send_receipt(anna, n.uuid),
                   lambda: notifications.send_reply(anna, n.uuid, False)):
        with pytest.raises(InvalidInput) as raised:
            action()
        assert raised.value.code == "notification.not_professional"


@pytest.mark.parametrize("persona", ["carl", "gustav", "outsider"])
def test_others_cannot_read_or_work_a_notification(persona, anna, family, request):
    n = receive(anna, family.liva)
    actor = request.getfixturevalue(persona)
    before = counts()
    for action in (lambda: notifications.get_notification(actor, n.uuid),
                   lambda: notifications.assess(actor, n.uuid, child_in_danger=False,
                                                assessment="x"),
                   lambda: notifications.send_receipt(actor, n.uuid),
                   lambda: notifications.related_notifications(actor, family.liva.uuid)):
        with pytest.raises(AccessDenied):
            action()
    assert counts() == before


def test_an_unknown_notification_is_not_found(anna):
    from helhed.core.errors import NotFound

    for key in (uuid.uuid4(), "ikke-et-id"):
        with pytest.raises(NotFound) as raised:
            notifications.get_notification(anna, key)
        assert raised.value.code == "notification.not_found"


# --- second opinion -----------------------------------------------------------------------

def grant_for(citizen, **kwargs) -> Grant:
    values = {"citizen": citizen, "department": Department.objects.get(code="boernesocial"),
              "title": "Familiebehandling", "amount": Decimal(4), "unit": "timer_uge",
              "valid_from": dt.date(2026, 1, 1), "granted_at": clock.now()}
    values.update(kwargs)
    return Grant.objects.create(**values)


def test_a_siblings_active_grant_asks_for_a_second_opinion(anna, family):
    grant_for(family.noah)
    n = receive(anna, family.liva)
    assert n.second_opinion_required
    opinion = n.deadlines.get(kind=Kind.SECOND_OPINION)
    assert opinion.due_at == n.deadlines.get(kind=Kind.ASSESSMENT_24H).due_at
    assert opinion.responsible is None


def test_a_half_brothers_case_in_delivery_counts_as_an_active_measure(anna, family):
    case = services.open_case(anna, family.half_brother.uuid, title="Støtte",
                              kle_numbers=["34.10.10"])
    Case.objects.filter(pk=case.pk).update(state=Case.State.DELIVERY)
    assert receive(anna, family.liva).second_opinion_required


@pytest.mark.parametrize("grant", [
    {"valid_to": dt.date(2027, 1, 31)},  # ended
    {"valid_from": dt.date(2027, 4, 1)},  # not started
    {"state": "ophoert"},
])
def test_no_active_measure_no_second_opinion(anna, family, grant):
    grant_for(family.liva, **grant)
    n = receive(anna, family.liva)
    assert not n.second_opinion_required
    assert not n.deadlines.filter(kind=Kind.SECOND_OPINION).exists()


def test_the_second_opinion_comes_from_a_colleague_who_has_not_handled_it(anna, bo, frida,
                                                                          family):
    grant_for(family.liva)
    services.open_case(bo, family.liva.uuid, title="Børnefaglig undersøgelse",
                       kle_numbers=["34.10.10"])
    n = receive(anna, family.liva)
    for handler in (anna, bo):  # registered it; responsible for the child's open case
        with pytest.raises(AccessDenied) as raised:
            notifications.give_second_opinion(handler, n.uuid, "Enig")
        assert raised.value.code == "notification.second_opinion_by_handler"
        assert "ikke har behandlet" in raised.value.message
    assert notifications.notification_page(anna, n.uuid).may_give_second_opinion is False
    assert notifications.notification_page(frida, n.uuid).may_give_second_opinion is True
    notifications.give_second_opinion(frida, n.uuid, "Enig i vurderingen; ikke akut.")
    n.refresh_from_db()
    assert n.second_opinion_by.user == frida and n.second_opinion_at == clock.now()
    assert not n.deadlines.get(kind=Kind.SECOND_OPINION).open
    with pytest.raises(InvalidInput) as raised:
        notifications.give_second_opinion(frida, n.uuid, "Igen")
    assert raised.value.code == "notification.second_opinion_given"


def test_the_assessor_cannot_give_the_second_opinion(anna, bo, family):
    grant_for(family.liva)
    n = receive(anna, family.liva)
    notifications.assess(bo, n.uuid, child_in_danger=False, assessment="Ikke akut")
    with pytest.raises(AccessDenied):
        notifications.give_second_opinion(bo, n.uuid, "Enig")


def test_no_second_opinion_where_none_is_required(anna, bo, family):
    n = receive(anna, family.liva)
    with pytest.raises(InvalidInput) as raised:
        notifications.give_second_opinion(bo, n.uuid, "Enig")
    assert raised.value.code == "notification.second_opinion_not_required"


# --- repeated notifications on a family ---------------------------------------------------

def test_notifications_on_siblings_are_shown_together_and_flagged(anna, family):
    clock.freeze(local(2026, 2, 2, 10, 0))
    receive(anna, family.liva)  # more than 12 months before the last
    clock.freeze(local(2026, 10, 1, 10, 0))
    receive(anna, family.noah)
    clock.freeze(local(2027, 1, 5, 10, 0))
    receive(anna, family.half_brother, notifier_kind="politi", notifier_name="Betjent Berg")
    clock.freeze(MONDAY_MORNING)
    latest = receive(anna, family.liva)
    related = notifications.related_notifications(anna, family.liva.uuid)
    assert related.total == 4 and related.recent == 3 and related.repeated
    assert [r.notification.child for r in related.rows] == [
        family.liva, family.half_brother, family.noah, family.liva]
    assert [r.sibling for r in related.rows] == [False, True, True, False]
    assert related.ordinal_of(latest) == 4
    page = notifications.notification_page(anna, latest.uuid)
    assert page.ordinal == 4 and page.related.repeated


def test_two_notifications_are_not_yet_flagged(anna, family):
    receive(anna, family.liva)
    receive(anna, family.noah)
    related = notifications.related_notifications(anna, family.noah.uuid)
    assert (related.total, related.recent, related.repeated) == (2, 2, False)
    assert related.threshold == notifications.REPEAT_THRESHOLD == 3


def test_the_family_look_is_logged_for_each_sibling(anna, family):
    receive(anna, family.noah)
    notifications.related_notifications(anna, family.liva.uuid)
    logged = set(AccessLogEntry.objects.filter(
        detail__startswith="underretninger på familien").values_list("subject", flat=True))
    assert logged == {family.liva.uuid, family.noah.uuid}


# --- a case opened from a notification ----------------------------------------------------

def test_a_case_opened_from_a_notification_takes_it_and_its_deadlines(anna, family):
    n = receive(anna, family.liva)
    case = services.open_case(anna, family.liva.uuid, title="Børnefaglig undersøgelse",
                              kle_numbers=["34.10.10"], notification_uuid=n.uuid)
    n.refresh_from_db()
    assert n.case == case
    assert notifications.notifications_of_case(anna, case) == [n]
    assert {d.kind for d in deadlines.deadlines_of_case(anna, case)} == {
        Kind.ASSESSMENT_24H, Kind.RECEIPT, Kind.REPLY}
    change = Change.objects.get(object_uuid=n.uuid, action="cases.notification.attached")
    assert change.case == case
    with pytest.raises(AccessDenied):
        notifications.notifications_of_case(AnonymousUser(), case)


def test_closing_the_case_waives_the_notifications_open_deadlines(anna, family):
    n = receive(anna, family.liva)
    case = services.open_case(anna, family.liva.uuid, title="Undersøgelse",
                              kle_numbers=["34.10.10"], notification_uuid=n.uuid)
    services.close_case(anna, case.uuid, reason="Henlagt efter samtale med forældrene")
    assert all(d.waived_reason for d in n.deadlines.all())


# --- the pages ----------------------------------------------------------------------------

from django.test import Client  # noqa: E402

from helhed.web.tests.helpers import assert_danish_and_labelled  # noqa: E402


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


FORM = {"received_date": "2027-03-15", "received_time": "09:30", "notifier_kind": "skole",
        "notifier_name": "Lærer Lise Lund", "notifier_organisation": "Nordskolen",
        "notifier_contact": "lise@nordskolen.example",
        "description": "Barnet kommer ofte sultent i skole."}


def test_the_new_notification_page_preselects_the_child(anna, family):
    response = logged_in(anna).get("/underretninger/ny/", {"barn": str(family.liva.uuid)})
    assert response.status_code == 200
    page = assert_danish_and_labelled(response)
    text = response.content.decode()
    assert "Liva Ærø Hansen" in text and 'name="cpr"' not in text
    assert {"received_date", "received_time", "notifier_kind", "description"} <= page.label_for
    assert 'value="2027-03-15"' in text and 'value="10:00"' in text


def test_registering_on_the_page_starts_the_clock_and_shows_it(anna, family):
    client = logged_in(anna)
    response = client.post("/underretninger/ny/", {**FORM, "barn": str(family.liva.uuid)})
    n = Notification.objects.get()
    assert response.status_code == 302 and response.url == f"/underretninger/{n.uuid}/"
    page = client.get(response.url)
    assert page.status_code == 200
    assert_danish_and_labelled(page)
    text = page.content.decode()
    assert "Underretningen er registreret" in text
    assert "Vurdering af underretning (24 timer)" in text and "16.03.2027 09:30" in text
    assert "Kvittering til underretter" in text and "Overskredet" not in text
    assert f"/sager/ny/?borger={family.liva.uuid}&amp;underretning={n.uuid}" in text
    assert "1. underretning på familien" in text


def test_the_child_can_be_named_by_cpr_number(anna, family):
    response = logged_in(anna).post("/underretninger/ny/", {**FORM, "cpr": "640216-5004"})
    assert response.status_code == 302
    assert Notification.objects.get().child == family.liva


@pytest.mark.parametrize("change, field_id, text", [
    ({"cpr": "1234"}, "cpr", "10 cifre"),
    ({"cpr": "6402165004", "notifier_name": ""}, "notifier_name", "skriv underretterens navn"),
    ({"cpr": "6402165004", "received_date": "i går"}, "received_date", "Skriv dato"),
    ({"cpr": "6402165004", "received_time": "10:30"}, "received_date", "fremtiden"),
    ({"cpr": "6402165004", "description": ""}, "description", "Feltet skal udfyldes"),
])
def test_errors_sit_next_to_their_field_and_nothing_is_saved(anna, family, change, field_id,
                                                             text):
    before = counts()
    response = logged_in(anna).post("/underretninger/ny/", {**FORM, **change})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="{field_id}-error"' in body and text in body
    assert "Fejl:" in body
    assert counts() == before


def test_carl_gets_no_notification_form(carl, family):
    response = logged_in(carl).get("/underretninger/ny/")
    assert response.status_code == 403
    assert logged_in(carl).post("/underretninger/ny/", FORM).status_code == 403
    assert not Notification.objects.exists()


def test_anonymous_visitors_are_sent_to_login(anna, family):
    n = receive(anna, family.liva)
    for url in ("/underretninger/ny/", f"/underretninger/{n.uuid}/"):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")


@pytest.mark.parametrize("persona", ["carl", "gustav"])
def test_others_see_no_notification_page(persona, anna, family, request):
    n = receive(anna, family.liva)
    client = logged_in(request.getfixturevalue(persona))
    response = client.get(f"/underretninger/{n.uuid}/")
    assert response.status_code == 403
    assert "sultent" not in response.content.decode()
    assert client.post(f"/underretninger/{n.uuid}/kvittering/").status_code == 403
    n.refresh_from_db()
    assert n.receipt_sent_at is None


def test_assessing_on_the_page(anna, bo, family):
    n = receive(anna, family.liva)
    client = logged_in(bo)
    bad = client.post(f"/underretninger/{n.uuid}/vurdering/", {"assessment": "Ikke akut"})
    assert bad.status_code == 400 and 'id="child_in_danger-error"' in bad.content.decode()
    response = client.post(f"/underretninger/{n.uuid}/vurdering/",
                           {"child_in_danger": "nej", "assessment": "Ikke akut"})
    assert response.status_code == 302
    text = client.get(response.url).content.decode()
    assert "24-timersfristen er overholdt" in text and "Overholdt" in text
    assert "Barnet er ikke i akut fare" in text


def test_receipt_and_reply_buttons(anna, family):
    n = receive(anna, family.liva)
    client = logged_in(anna)
    early = client.post(f"/underretninger/{n.uuid}/tilbagemelding/",
                        {"investigation_started": "ja"})
    assert early.status_code == 400 and "Vurdér underretningen" in early.content.decode()
    assert client.post(f"/underretninger/{n.uuid}/kvittering/").status_code == 302
    notifications.assess(anna, n.uuid, child_in_danger=False, assessment="Ikke akut")
    assert client.post(f"/underretninger/{n.uuid}/tilbagemelding/",
                       {"investigation_started": "ja"}).status_code == 302
    text = client.get(f"/underretninger/{n.uuid}/").content.decode()
    assert 'id="receipt-sent"' in text and 'id="reply-sent"' in text


def test_the_page_warns_about_repeated_notifications(anna, family):
    receive(anna, family.noah)
    receive(anna, family.half_brother)
    n = receive(anna, family.liva)
    text = logged_in(anna).get(f"/underretninger/{n.uuid}/").content.decode()
    assert 'id="repeated-warning"' in text
    assert "dette er 3. underretning på familien" in text
    assert "Oskar Ærø" in text and "Søskende" in text


def test_second_opinion_on_the_page(anna, frida, family):
    grant_for(family.liva)
    n = receive(anna, family.liva)
    assert 'name="second_opinion"' not in logged_in(anna).get(
        f"/underretninger/{n.uuid}/").content.decode()
    client = logged_in(frida)
    assert 'name="second_opinion"' in client.get(f"/underretninger/{n.uuid}/").content.decode()
    response = client.post(f"/underretninger/{n.uuid}/second-opinion/",
                           {"second_opinion": "Enig i vurderingen."})
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.second_opinion_by.user == frida


def test_the_case_page_lists_its_notifications_and_deadlines(anna, family):
    n = receive(anna, family.liva)
    case = services.open_case(anna, family.liva.uuid, title="Undersøgelse",
                              kle_numbers=["34.10.10"], notification_uuid=n.uuid)
    text = logged_in(anna).get(f"/sager/{case.uuid}/").content.decode()
    assert 'id="case-notifications"' in text and f"/underretninger/{n.uuid}/" in text
    assert 'id="case-deadlines"' in text and "Vurdering af underretning (24 timer)" in text


# --- the API ------------------------------------------------------------------------------

API = "/api/v1/cases"


def api_body(child, **changes):
    body = {"child_id": str(child.uuid), "received_at": "2027-03-15T09:30:00+01:00",
            "notifier_kind": "skole", "notifier_name": "Lærer Lise Lund",
            "notifier_organisation": "Nordskolen", "notifier_contact": "",
            "description": "Barnet kommer ofte sultent i skole."}
    body.update(changes)
    return body


def test_api_registers_and_works_a_notification(anna, bo, family):
    client = logged_in(anna)
    response = client.post(f"{API}/notifications", api_body(family.liva),
                           content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["child"]["name"] == "Liva Ærø Hansen" and data["professional"]
    assert [d["kind"] for d in data["deadlines"]] == [
        "underretning_vurdering", "kvittering", "tilbagemelding"]
    assert data["deadlines"][0]["due_at"] == "2027-03-16T08:30:00Z"
    nid = data["id"]
    assessed = logged_in(bo).post(f"{API}/notifications/{nid}/assessment",
                                  {"child_in_danger": False, "assessment": "Ikke akut"},
                                  content_type="application/json")
    assert assessed.status_code == 200 and assessed.json()["state"] == "vurderet"
    assert client.post(f"{API}/notifications/{nid}/receipt").status_code == 200
    replied = client.post(f"{API}/notifications/{nid}/reply", {"investigation_started": True},
                          content_type="application/json")
    assert replied.json()["investigation_started"] is True
    assert all(d["met_at"] for d in replied.json()["deadlines"])
    assert client.get(f"{API}/notifications/{nid}").json()["assessment"] == "Ikke akut"
    again = client.post(f"{API}/notifications/{nid}/receipt")
    assert again.status_code == 422
    assert again.json()["error"]["code"] == "notification.receipt_already_sent"


def test_api_naive_time_is_danish_time(anna, family):
    response = logged_in(anna).post(
        f"{API}/notifications", api_body(family.liva, received_at="2027-03-15T09:30"),
        content_type="application/json")
    assert response.json()["received_at"] == "2027-03-15T08:30:00Z"


@pytest.mark.parametrize("changes, status, code, field", [
    ({"notifier_kind": "anonym"}, 422, "notification.anonymous_named", "notifier_name"),
    ({"received_at": "2027-03-16T09:30:00+01:00"}, 422, "notification.received_in_future",
     "received_at"),
    ({"child_id": "ikke-et-id"}, 422, "request.invalid", "child_id"),
    ({"child_id": str(uuid.UUID(int=1))}, 422, "citizen.reference_unknown", "child_id"),
    ({"description": ""}, 422, "text.empty", "description"),
    ({"extra": 1}, 422, "request.invalid", "extra"),
])
def test_api_bad_input_saves_nothing(anna, family, changes, status, code, field):
    before = counts()
    response = logged_in(anna).post(f"{API}/notifications", api_body(family.liva, **changes),
                                    content_type="application/json")
    assert response.status_code == status
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field)
    assert counts() == before


def test_api_adult_child_is_refused(anna, family):
    response = logged_in(anna).post(f"{API}/notifications", api_body(family.mother),
                                    content_type="application/json")
    assert response.json()["error"]["code"] == "notification.child_adult"


@pytest.mark.parametrize("persona, status", [("carl", 403), ("gustav", 403)])
def test_api_refuses_others(persona, status, anna, family, request):
    n = receive(anna, family.liva)
    client = logged_in(request.getfixturevalue(persona))
    before = counts()
    calls = [
        client.post(f"{API}/notifications", api_body(family.liva),
                    content_type="application/json"),
        client.get(f"{API}/notifications/{n.uuid}"),
        client.post(f"{API}/notifications/{n.uuid}/assessment",
                    {"child_in_danger": True, "assessment": "x"},
                    content_type="application/json"),
        client.post(f"{API}/notifications/{n.uuid}/receipt"),
        client.get(f"{API}/notifications/related/{family.liva.uuid}"),
    ]
    assert [c.status_code for c in calls] == [status] * len(calls)
    assert all("sultent" not in c.content.decode() for c in calls)
    assert counts() == before


def test_api_refuses_anonymous_callers(anna, family):
    n = receive(anna, family.liva)
    for response in (Client().get(f"{API}/notifications/{n.uuid}"),
                     Client().post(f"{API}/notifications", api_body(family.liva),
                                   content_type="application/json"),
                     Client().get(f"{API}/work-list")):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "auth.required"


def test_api_unknown_notification_is_404(anna):
    response = logged_in(anna).get(f"{API}/notifications/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "notification.not_found"


def test_api_related_and_second_opinion(anna, frida, family):
    grant_for(family.noah)
    receive(anna, family.noah)
    receive(anna, family.half_brother)
    n = receive(anna, family.liva)
    related = logged_in(anna).get(f"{API}/notifications/related/{family.liva.uuid}").json()
    assert (related["total"], related["recent"], related["repeated"]) == (3, 3, True)
    assert [r["ordinal"] for r in related["notifications"]] == [3, 2, 1]
    refused = logged_in(anna).post(f"{API}/notifications/{n.uuid}/second-opinion",
                                   {"text": "Enig"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "notification.second_opinion_by_handler"
    given = logged_in(frida).post(f"{API}/notifications/{n.uuid}/second-opinion",
                                  {"text": "Enig"}, content_type="application/json")
    assert given.status_code == 200 and given.json()["second_opinion_by"] == "Frida Frost"
