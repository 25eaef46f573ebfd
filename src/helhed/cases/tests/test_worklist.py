"""The work list: a caseworker's (or her unit's) open deadlines with the overdue ones on top,
the unit's new notifications and documents others added to her cases; logged per citizen,
in a handful of queries however long it is. Also the follow-up deadline pages and API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helhed.cases import deadlines, notifications, services, worklist
from helhed.cases.models import CaseDeadline, Document
from helhed.cases.tests.notification_helpers import ensure_catalogue, local, receive
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput
from helhed.core.models import AccessLogEntry, OutboxEvent
from helhed.organisation.models import StaffMember
from helhed.testing import personas
from helhed.web.tests.helpers import assert_danish_and_labelled

pytestmark = pytest.mark.django_db

MONDAY_MORNING = local(2027, 3, 15, 10, 0)


@pytest.fixture(autouse=True)
def _setup(db):
    ensure_catalogue()
    clock.freeze(MONDAY_MORNING)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_case(actor, child, title="Børnefaglig undersøgelse"):
    return services.open_case(actor, child.uuid, title=title, kle_numbers=["34.10.10"])


def add_document(case, by, title="Skoleudtalelse", at=None):
    return Document.objects.create(
        case=case, title=title, filename="udtalelse.pdf", content_type="application/pdf",
        size=100, sha256="0" * 64, uploaded_at=at or clock.now(),
        uploaded_by=StaffMember.objects.get(user=by))


def test_overdue_deadlines_come_first_then_by_due_time(anna, family):
    case = open_case(anna, family.liva)
    later = deadlines.add_manual(anna, case.uuid, title="Senere", due_on=dt.date(2027, 3, 30))
    soon = deadlines.add_manual(anna, case.uuid, title="Snart", due_on=dt.date(2027, 3, 16))
    clock.freeze(local(2027, 3, 12, 10, 0))
    old = receive(anna, family.noah)  # the 24-hour assessment is long overdue by Monday
    clock.freeze(MONDAY_MORNING)
    found = worklist.work_list(anna)
    titles = [i.deadline.title for i in found.items]
    assert titles[0] == "Vurdering af underretning (24 timer)" and found.items[0].overdue
    assert titles.index("Snart") < titles.index("Senere")
    assert found.overdue_count == 1
    assert {i.deadline.pk for i in found.items} >= {later.pk, soon.pk}
    assert [n.pk for n in found.notifications] == [old.pk]


def test_met_and_other_peoples_deadlines_are_not_on_my_list(anna, bo, family):
    mine = open_case(anna, family.liva)
    theirs = open_case(bo, family.noah)
    done = deadlines.add_manual(anna, mine.uuid, title="Klaret", due_on=dt.date(2027, 3, 20))
    deadlines.meet(anna, done.uuid)
    deadlines.add_manual(bo, theirs.uuid, title="Bos frist", due_on=dt.date(2027, 3, 20))
    assert worklist.work_list(anna).items == []
    unit = worklist.work_list(anna, scope="unit")
    assert [i.deadline.title for i in unit.items] == ["Bos frist"]


def test_the_on_call_unit_sees_what_came_outside_office_hours(anna, erik, family):
    clock.freeze(local(2027, 3, 19, 18, 0))
    n = receive(anna, family.liva)
    assert [x.pk for x in worklist.work_list(erik).notifications] == [n.pk]
    assert [i.deadline.kind for i in worklist.work_list(erik, scope="unit").items] == [
        "underretning_vurdering", "kvittering", "tilbagemelding"]
    assert worklist.work_list(anna).notifications == []


def test_new_documents_by_others_on_my_cases(anna, bo, family):
    case = open_case(anna, family.liva)
    by_bo = add_document(case, bo)
    add_document(case, anna, title="Mit eget")
    add_document(case, bo, title="Gammelt", at=clock.now() - dt.timedelta(days=15))
    assert [d.pk for d in worklist.work_list(anna).documents] == [by_bo.pk]
    assert worklist.work_list(bo).documents == []


def test_the_list_is_logged_once_per_citizen_shown(anna, family):
    case = open_case(anna, family.liva)
    deadlines.add_manual(anna, case.uuid, title="A", due_on=dt.date(2027, 3, 20))
    deadlines.add_manual(anna, case.uuid, title="B", due_on=dt.date(2027, 3, 21))
    receive(anna, family.noah)
    before = AccessLogEntry.objects.count()
    worklist.work_list(anna)
    looks = AccessLogEntry.objects.order_by("pk")[before:]
    assert {(e.subject, e.category, e.detail) for e in looks} == {
        (family.liva.uuid, "sag", "arbejdsliste"), (family.noah.uuid, "sag", "arbejdsliste")}


def test_the_list_takes_a_handful_of_queries_however_long(anna, bo, family):
    case = open_case(anna, family.liva)
    for i in range(3):
        deadlines.add_manual(anna, case.uuid, title=f"F{i}", due_on=dt.date(2027, 4, i + 1))
        add_document(case, bo, title=f"D{i}")
    receive(anna, family.noah)

    def queries() -> int:
        user = type(anna).objects.get(pk=anna.pk)
        with CaptureQueriesContext(connection) as captured:
            worklist.work_list(user)
        return len(captured)

    few = queries()
    for i in range(10):
        deadlines.add_manual(anna, case.uuid, title=f"G{i}", due_on=dt.date(2027, 5, i + 1))
        add_document(case, bo, title=f"E{i}")
        receive(anna, family.half_brother)
    assert queries() == few <= 8


@pytest.mark.parametrize("persona", ["gustav", "outsider"])
def test_non_caseworkers_have_no_work_list(persona, request):
    with pytest.raises(AccessDenied):
        worklist.work_list(request.getfixturevalue(persona))


def test_carl_sees_only_his_own_list(anna, carl, family):
    case = open_case(anna, family.liva)
    deadlines.add_manual(anna, case.uuid, title="Annas", due_on=dt.date(2027, 3, 20))
    receive(anna, family.noah)
    found = worklist.work_list(carl, scope="unit")
    assert (found.items, found.notifications, found.documents) == ([], [], [])


def test_an_unknown_scope_is_refused(anna):
    with pytest.raises(InvalidInput) as raised:
        worklist.work_list(anna, scope="alle")
    assert raised.value.code == "worklist.scope"


# --- the page -----------------------------------------------------------------------------

def test_the_work_list_page_shows_overdue_items_on_top(anna, family):
    clock.freeze(local(2027, 3, 12, 10, 0))
    n = receive(anna, family.liva)
    clock.freeze(MONDAY_MORNING)
    case = open_case(anna, family.noah)
    deadlines.add_manual(anna, case.uuid, title="Hjemmebesøg", due_on=dt.date(2027, 3, 18))
    response = logged_in(anna).get("/arbejdsliste/")
    assert response.status_code == 200
    assert_danish_and_labelled(response)
    text = response.content.decode()
    assert "Min arbejdsliste" in text and 'id="overdue-warning"' in text
    assert text.index("Overskredet") < text.index("Hjemmebesøg")
    assert f"/underretninger/{n.uuid}/" in text and f"/sager/{case.uuid}/#frister" in text
    unit = logged_in(anna).get("/arbejdsliste/", {"visning": "enhed"}).content.decode()
    assert "Arbejdsliste for Familieteam Nord" in unit and "Ansvarlig" in unit


def test_the_work_list_page_counts_its_queries(anna, bo, family, django_assert_max_num_queries):
    case = open_case(anna, family.liva)
    for i in range(5):
        deadlines.add_manual(anna, case.uuid, title=f"F{i}", due_on=dt.date(2027, 4, i + 1))
        add_document(case, bo, title=f"D{i}")
        receive(anna, family.noah)
    client = logged_in(anna)
    with django_assert_max_num_queries(14):
        assert client.get("/arbejdsliste/").status_code == 200


@pytest.mark.parametrize("persona", ["gustav", "outsider"])
def test_the_work_list_page_refuses_non_caseworkers(persona, request):
    assert logged_in(request.getfixturevalue(persona)).get("/arbejdsliste/").status_code == 403


def test_the_work_list_needs_a_login():
    response = Client().get("/arbejdsliste/")
    assert response.status_code == 302 and response.url.startswith("/login/")


# --- follow-ups on the case page ----------------------------------------------------------

def test_setting_a_follow_up_on_the_page(anna, family):
    case = open_case(anna, family.liva)
    client = logged_in(anna)
    form = client.get(f"/sager/{case.uuid}/frister/ny/")
    assert form.status_code == 200
    assert {"title", "due_on"} <= assert_danish_and_labelled(form).label_for
    bad = client.post(f"/sager/{case.uuid}/frister/ny/",
                      {"title": "Opfølgning", "due_on": "2027-03-01", "kind": "opfoelgning"})
    assert bad.status_code == 400 and 'id="due_on-error"' in bad.content.decode()
    assert "fortiden" in bad.content.decode()
    assert not CaseDeadline.objects.exists()
    done = client.post(f"/sager/{case.uuid}/frister/ny/",
                       {"title": "Opfølgning", "due_on": "01.04.2027", "kind": "opfoelgning"})
    assert done.status_code == 302 and done.url == f"/sager/{case.uuid}/#frister"
    row = CaseDeadline.objects.get()
    page = client.get(f"/sager/{case.uuid}/").content.decode()
    assert "Fristen er sat." in page and "Markér som overholdt" in page
    met = client.post(f"/frister/{row.uuid}/overholdt/",
                      {"next": f"/sager/{case.uuid}/#frister"})
    assert met.status_code == 302 and met.url == f"/sager/{case.uuid}/#frister"
    row.refresh_from_db()
    assert row.met_at is not None
    outside = client.post(f"/frister/{row.uuid}/overholdt/", {"next": "https://example.org/"})
    assert outside.url == "/arbejdsliste/"


def test_others_cannot_set_follow_ups_on_the_page(anna, carl, family):
    case = open_case(anna, family.liva)
    client = logged_in(carl)
    assert client.get(f"/sager/{case.uuid}/frister/ny/").status_code == 403
    assert client.post(f"/sager/{case.uuid}/frister/ny/",
                       {"title": "x", "due_on": "2027-04-01"}).status_code == 403
    assert not CaseDeadline.objects.exists()


def test_the_legal_clock_cannot_be_clicked_away(anna, family):
    n = receive(anna, family.liva)
    row = n.deadlines.get(kind="underretning_vurdering")
    with pytest.raises(InvalidInput) as raised:
        deadlines.meet(anna, row.uuid)
    assert raised.value.code == "deadline.met_by_action"
    notifications.assess(anna, n.uuid, child_in_danger=False, assessment="Ikke akut")
    row.refresh_from_db()
    assert row.met_at is not None


# --- the API ------------------------------------------------------------------------------

API = "/api/v1/cases"


def test_api_work_list_and_follow_ups(anna, bo, family):
    case = open_case(anna, family.liva)
    client = logged_in(anna)
    created = client.post(f"{API}/cases/{case.uuid}/deadlines",
                          {"title": "Hjemmebesøg", "due_on": "2027-03-20"},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["due_at"] == "2027-03-20T22:59:59Z"
    add_document(case, bo)
    found = client.get(f"{API}/work-list").json()
    assert found["scope"] == "mine" and [d["title"] for d in found["deadlines"]] == [
        "Hjemmebesøg"]
    assert found["documents"][0]["uploaded_by"] == "Bo Bech"
    unit = client.get(f"{API}/work-list", {"scope": "unit"}).json()
    assert unit["unit"] == "Familieteam Nord"
    bad = client.get(f"{API}/work-list", {"scope": "alle"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "worklist.scope"
    met = client.post(f"{API}/deadlines/{created.json()['id']}/met")
    assert met.status_code == 200 and met.json()["met_at"]


@pytest.mark.parametrize("body, code, field", [
    ({"title": "x", "due_on": "2027-03-01"}, "deadline.past", "due_on"),
    ({"title": "", "due_on": "2027-04-01"}, "text.empty", "title"),
    ({"title": "x", "due_on": "i morgen"}, "request.invalid", "due_on"),
    ({"title": "x", "due_on": "2027-04-01", "kind": "kvittering"}, "deadline.kind", "kind"),
])
def test_api_bad_follow_ups_save_nothing(anna, family, body, code, field):
    case = open_case(anna, family.liva)
    events = OutboxEvent.objects.count()
    response = logged_in(anna).post(f"{API}/cases/{case.uuid}/deadlines", body,
                                    content_type="application/json")
    assert response.status_code == 422
    assert (response.json()["error"]["code"], response.json()["error"]["field"]) == (code, field)
    assert not CaseDeadline.objects.exists() and OutboxEvent.objects.count() == events


@pytest.mark.parametrize("persona", ["carl", "gustav"])
def test_api_others_cannot_set_follow_ups_or_see_the_list(persona, anna, family, request):
    case = open_case(anna, family.liva)
    client = logged_in(request.getfixturevalue(persona))
    response = client.post(f"{API}/cases/{case.uuid}/deadlines",
                           {"title": "x", "due_on": "2027-04-01"},
                           content_type="application/json")
    assert response.status_code == 403
    assert not CaseDeadline.objects.exists()
    if persona == "gustav":
        assert client.get(f"{API}/work-list").status_code == 403


def test_api_unknown_case_is_404(anna):
    response = logged_in(anna).post(f"{API}/cases/{personas.PASSWORD}/deadlines",
                                    {"title": "x", "due_on": "2027-04-01"},
                                    content_type="application/json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "case.not_found"
