"""Grants: on a case or not, changed and ended with history, a citizen's grants across
departments with content only where the door allows, bad input and who is refused; the
pages and the API."""

from __future__ import annotations

import datetime as dt
import decimal
import json

import pytest
from django.contrib.auth.models import AnonymousUser

from helhed.cases import decisions, grants
from helhed.cases.models import Case, Change, Grant
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.core.models import AccessLogEntry, OutboxEvent
from helhed.organisation.models import Municipality, Provider
from helhed.web.tests.helpers import assert_danish_and_labelled

from .decision_helpers import NOW, REASONS, open_adult_case, open_child_case, table_counts

pytestmark = pytest.mark.django_db
API = "/api/v1/cases"
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


@pytest.fixture
def provider(anna) -> Provider:
    return Provider.objects.create(name="Aflastningscentret Lyngly", kind="kommunal",
                                   municipality=Municipality.objects.get(code="0999"))


@pytest.fixture
def liva_case(anna, family):
    return open_child_case(anna, family.liva)


@pytest.fixture
def decision(anna, liva_case):
    return decisions.make_decision(anna, liva_case.uuid, title="Aflastning i weekender",
                                   outcome="bevilget", legal_basis_code="bl-32",
                                   reasons=REASONS)


def grant_on(actor, case, **kwargs):
    values = {"title": "Aflastning i weekender", "amount": "2", "unit": "dage_uge",
              "valid_from": TODAY, "case_uuid": case.uuid} | kwargs
    return grants.create_grant(actor, case.citizen.uuid, **values)


# --- creating -----------------------------------------------------------------------------

def test_a_grant_on_a_case_and_its_decision(anna, family, liva_case, decision, provider):
    grant = grant_on(anna, liva_case, provider_id=provider.uuid, legal_basis_code="bl-32",
                     decision_uuid=decision.uuid, amount="2,5", valid_to=dt.date(2027, 6, 30))

    assert grant.citizen == family.liva and grant.department.code == "boernesocial"
    assert grant.case == liva_case and grant.decision == decision
    assert grant.amount == decimal.Decimal("2.50") and grant.provider == provider
    assert grant.state == Grant.State.ACTIVE and grant.granted_by == anna.staff
    change = Change.objects.get(object_uuid=grant.uuid)
    assert change.action == "cases.grant.created" and change.case == liva_case
    assert change.after["amount"] == "2.50" and change.after["valid_to"] == "2027-06-30"
    event = OutboxEvent.objects.get(type="cases.grant.created")
    assert event.citizen == family.liva.uuid and event.payload["department"] == "boernesocial"
    assert "Aflastning" not in json.dumps(event.payload)


def test_a_decision_alone_links_the_grant_to_its_case(anna, family, liva_case, decision):
    grant = grants.create_grant(anna, family.liva.uuid, title="Aflastning", amount=2,
                                unit="dage_uge", valid_from=TODAY,
                                decision_uuid=decision.uuid)
    assert grant.case == liva_case


def test_a_grant_without_a_case_belongs_to_the_caseworkers_department(carl, family):
    grant = grants.create_grant(carl, family.mother.uuid, title="Ledsagelse", amount=15,
                                unit="timer_maaned", valid_from=TODAY)

    assert grant.case is None and grant.department.code == "voksensocial"
    assert Change.objects.get(object_uuid=grant.uuid).case is None


def test_a_grant_may_follow_a_decision_on_a_case_closed_at_decision(dorte, family):
    case = open_adult_case(dorte, family.father, kle_numbers=["15"])
    decision = decisions.make_decision(dorte, case.uuid, title="Virksomhedspraktik",
                                       outcome="bevilget", legal_basis_code="lab-57",
                                       reasons="Praktik i 13 uger.")
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED  # the jobcenter closes at decision

    grant = grant_on(dorte, case, title="Virksomhedspraktik", amount=13, unit="forloeb",
                     decision_uuid=decision.uuid)
    assert grant.case == case


# --- bad input ----------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"valid_to": TODAY - dt.timedelta(days=1)}, "grant.period_invalid", "valid_to"),
    ({"amount": "0"}, "grant.amount_invalid", "amount"),
    ({"amount": "-5"}, "grant.amount_invalid", "amount"),
    ({"amount": "mange"}, "grant.amount_invalid", "amount"),
    ({"amount": "1,234"}, "grant.amount_invalid", "amount"),
    ({"unit": "liter"}, "grant.unit_invalid", "unit"),
    ({"title": " "}, "grant.title_required", "title"),
    ({"valid_from": None}, "grant.date_required", "valid_from"),
    ({"provider_id": "00000000-0000-0000-0000-000000000000"}, "grant.provider_unknown",
     "provider"),
    ({"provider_id": "nope"}, "grant.provider_unknown", "provider"),
    ({"legal_basis_code": "bl-999"}, "legal_basis.unknown", "legal_basis"),
    ({"case_uuid": "00000000-0000-0000-0000-000000000000"}, "grant.case_unknown", "case"),
    ({"department_code": "jobcenter"}, "grant.department_mismatch", "department"),
    ({"citizen_display": "alt"}, "grant.citizen_display_invalid", "citizen_display"),
])
def test_bad_input_is_refused_and_nothing_is_saved(anna, liva_case, changes, code, field):
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        grant_on(anna, liva_case, **changes)

    assert (error.value.code, error.value.field) == (code, field)
    assert table_counts() == before


def test_an_end_before_the_start_is_explained_in_danish(anna, liva_case):
    with pytest.raises(InvalidInput) as error:
        grant_on(anna, liva_case, valid_from=dt.date(2027, 1, 1), valid_to=dt.date(2026, 12, 1))
    assert error.value.message.startswith("Slutdatoen ligger før startdatoen")


def test_a_case_in_another_citizens_name_is_refused(anna, family, liva_case):
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        grants.create_grant(anna, family.noah.uuid, title="Aflastning", amount=1,
                            unit="dage_uge", valid_from=TODAY, case_uuid=liva_case.uuid)
    assert error.value.code == "grant.case_other_citizen"
    assert table_counts() == before


def test_a_decision_from_another_case_is_refused(anna, family, liva_case, decision):
    noah_case = open_child_case(anna, family.noah)
    with pytest.raises(InvalidInput) as error:
        grant_on(anna, noah_case, decision_uuid=decision.uuid)
    assert (error.value.code, error.value.field) == ("grant.decision_other_case", "decision")


def test_unknown_citizen_and_department_without_a_case(carl, family):
    with pytest.raises(InvalidInput) as error:
        grants.create_grant(carl, "00000000-0000-0000-0000-000000000000", title="X",
                            amount=1, unit="forloeb", valid_from=TODAY)
    assert error.value.code == "citizen.reference_unknown"
    with pytest.raises(InvalidInput) as error:
        grants.create_grant(carl, family.mother.uuid, title="X", amount=1, unit="forloeb",
                            valid_from=TODAY, department_code="findes-ikke")
    assert error.value.code == "grant.department_unknown"


# --- who is refused -----------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["carl", "gustav", "outsider", "hanne"])
def test_others_cannot_grant_on_a_childs_case(request, persona, liva_case):
    before = table_counts()
    with pytest.raises(AccessDenied):
        grant_on(request.getfixturevalue(persona), liva_case)
    assert table_counts() == before


def test_a_caseworker_cannot_grant_in_another_department(anna, family):
    before = table_counts()
    with pytest.raises(AccessDenied):
        grants.create_grant(anna, family.mother.uuid, title="Ledsagelse", amount=1,
                            unit="forloeb", valid_from=TODAY, department_code="jobcenter")
    assert table_counts() == before
    assert AccessLogEntry.objects.filter(actor=anna, allowed=False, action="write").exists()


@pytest.mark.parametrize("persona", ["gustav", "outsider"])
def test_providers_and_outsiders_grant_nothing_without_a_case(request, persona, family):
    with pytest.raises(AccessDenied):
        grants.create_grant(request.getfixturevalue(persona), family.mother.uuid, title="X",
                            amount=1, unit="forloeb", valid_from=TODAY)
    with pytest.raises(AccessDenied):
        grants.create_grant(AnonymousUser(), family.mother.uuid, title="X", amount=1,
                            unit="forloeb", valid_from=TODAY)


# --- changing and ending ------------------------------------------------------------------

def test_changing_amount_and_end_keeps_before_and_after(anna, bo, liva_case):
    grant = grant_on(anna, liva_case)
    grants.change_grant(bo, grant.uuid, amount="3", valid_to=dt.date(2027, 3, 31))

    change = Change.objects.get(object_uuid=grant.uuid, action="cases.grant.changed")
    assert change.before == {"amount": "2.00", "valid_to": None}
    assert change.after == {"amount": "3.00", "valid_to": "2027-03-31"}
    assert change.actor == bo
    count = OutboxEvent.objects.filter(type="cases.grant.changed").count()
    grants.change_grant(bo, grant.uuid, amount="3")  # nothing changes: no event
    assert OutboxEvent.objects.filter(type="cases.grant.changed").count() == count == 1


def test_a_change_cannot_put_the_end_before_the_start(anna, liva_case):
    grant = grant_on(anna, liva_case)
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        grants.change_grant(anna, grant.uuid, valid_to=TODAY - dt.timedelta(days=1))
    assert error.value.code == "grant.period_invalid"
    assert table_counts() == before


def test_ending_the_last_grant_closes_a_case_closed_when_delivery_ends(anna, liva_case,
                                                                        decision):
    grant = grant_on(anna, liva_case, decision_uuid=decision.uuid)
    liva_case.refresh_from_db()
    assert liva_case.state == Case.State.DELIVERY

    ended = grants.end_grant(anna, grant.uuid, valid_to=TODAY, reason="Behovet er dækket")

    assert ended.state == Grant.State.ENDED and ended.ended_reason == "Behovet er dækket"
    change = Change.objects.get(object_uuid=grant.uuid, action="cases.grant.ended")
    assert change.before["state"] == "aktiv" and change.after["state"] == "ophoert"
    liva_case.refresh_from_db()
    assert liva_case.state == Case.State.CLOSED
    with pytest.raises(InvalidInput) as error:
        grants.end_grant(anna, grant.uuid, valid_to=TODAY, reason="igen")
    assert error.value.code == "grant.already_ended"
    with pytest.raises(InvalidInput) as error:
        grants.change_grant(anna, grant.uuid, amount=5)
    assert error.value.code == "grant.ended"


@pytest.mark.parametrize(("valid_to", "reason", "code"), [
    (None, "Slut", "grant.date_required"),
    (TODAY - dt.timedelta(days=1), "Slut", "grant.period_invalid"),
    (TODAY, "", "grant.reason_required"),
])
def test_ending_needs_a_date_not_before_the_start_and_a_reason(anna, liva_case, valid_to,
                                                               reason, code):
    grant = grant_on(anna, liva_case)
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        grants.end_grant(anna, grant.uuid, valid_to=valid_to, reason=reason)
    assert error.value.code == code
    assert table_counts() == before


def test_another_department_cannot_change_or_end_a_grant(anna, carl, liva_case):
    grant = grant_on(anna, liva_case)
    with pytest.raises(AccessDenied):
        grants.change_grant(carl, grant.uuid, amount=9)
    with pytest.raises(AccessDenied):
        grants.end_grant(carl, grant.uuid, valid_to=TODAY, reason="x")
    with pytest.raises(AccessDenied):
        grants.get_grant(carl, grant.uuid)
    with pytest.raises(NotFound):
        grants.get_grant(anna, "nope")


# --- a citizen's grants across departments -----------------------------------------------

@pytest.fixture
def mettes_grants(carl, dorte, family, provider):
    social = grants.create_grant(carl, family.mother.uuid, title="Socialpædagogisk støtte",
                                 amount=6, unit="timer_uge", valid_from=TODAY,
                                 provider_id=provider.uuid, legal_basis_code="sel-85")
    job = grants.create_grant(dorte, family.mother.uuid, title="Mentorstøtte", amount=4,
                              unit="timer_maaned", valid_from=TODAY)
    return social, job


def test_a_citizens_grants_show_metadata_everywhere_and_content_only_at_home(
        carl, anna, family, mettes_grants):
    social, job = mettes_grants
    rows = {r.uuid: r for r in grants.grants_of_citizen(carl, family.mother.uuid)}

    assert set(rows) == {social.uuid, job.uuid}
    own, other = rows[social.uuid], rows[job.uuid]
    assert own.content_visible and own.withheld == ()
    assert own.amount == decimal.Decimal("6.00") and own.provider == "Aflastningscentret Lyngly"
    assert (other.title, other.department, other.state) == ("Mentorstøtte", "Jobcenter", "aktiv")
    assert not other.content_visible and other.amount is None and other.provider is None
    assert set(other.withheld) == {"amount", "unit", "provider", "legal_basis"}

    for row in grants.grants_of_citizen(anna, family.mother.uuid):
        assert row.amount is None and row.withheld


def test_the_overview_logs_the_look_and_only_the_content_shown(carl, family, mettes_grants):
    grants.grants_of_citizen(carl, family.mother.uuid)

    looks = AccessLogEntry.objects.filter(actor=carl, subject=family.mother.uuid)
    assert looks.filter(category="sag", allowed=True).exists()
    content = looks.filter(category="sagsindhold", action="read")
    assert content.count() == 1 and content.get().allowed  # his own department only


@pytest.mark.parametrize("persona", ["gustav", "outsider", "hanne"])
def test_the_overview_refuses_roles_without_lookup(request, persona, family, mettes_grants):
    with pytest.raises(AccessDenied):
        grants.grants_of_citizen(request.getfixturevalue(persona), family.mother.uuid)


# --- pages --------------------------------------------------------------------------------

def test_the_new_grant_form_on_a_case(client, anna, liva_case, decision, provider):
    client.force_login(anna)
    response = client.get(f"/bevillinger/ny/?sag={liva_case.uuid}&afgoerelse={decision.uuid}")

    assert response.status_code == 200
    assert_danish_and_labelled(response)
    text = response.content.decode()
    assert "Aflastningscentret Lyngly" in text and 'name="valid_to"' in text
    assert f'value="{decision.uuid}" selected' in text


def test_an_end_before_the_start_is_shown_next_to_the_field_and_nothing_saved(
        client, anna, liva_case):
    client.force_login(anna)
    before = table_counts()
    response = client.post("/bevillinger/ny/", {
        "sag": liva_case.uuid, "title": "Aflastning", "amount": "2", "unit": "dage_uge",
        "valid_from": "2027-01-01", "valid_to": "2026-12-01", "citizen_display": "fuld"})

    assert response.status_code == 400
    text = response.content.decode()
    assert 'id="valid_to-error"' in text and "Slutdatoen ligger før startdatoen" in text
    assert 'value="Aflastning"' in text
    assert table_counts() == before


def test_creating_changing_and_ending_a_grant_in_the_browser(client, anna, liva_case, provider):
    client.force_login(anna)
    response = client.post("/bevillinger/ny/", {
        "sag": liva_case.uuid, "title": "Aflastning", "amount": "2,5", "unit": "dage_uge",
        "valid_from": "2026-12-01", "valid_to": "", "provider": provider.uuid,
        "legal_basis": "bl-32", "citizen_display": "fuld"}, follow=True)
    assert response.status_code == 200
    grant = Grant.objects.get(case=liva_case)
    assert response.redirect_chain[-1][0] == f"/bevillinger/{grant.uuid}/"
    text = response.content.decode()
    assert "Bevillingen er oprettet" in text and "Aflastningscentret Lyngly" in text
    assert_danish_and_labelled(response)

    client.post(f"/bevillinger/{grant.uuid}/ret/", {"amount": "3", "valid_to": ""})
    response = client.post(f"/bevillinger/{grant.uuid}/ophoer/", {"end_valid_to": "2026-12-01",
                                                                 "reason": ""})
    assert response.status_code == 400 and 'id="reason-error"' in response.content.decode()
    response = client.post(f"/bevillinger/{grant.uuid}/ophoer/", {
        "end_valid_to": "2026-12-31", "reason": "Behovet er dækket"}, follow=True)
    text = response.content.decode()
    assert "Bevillingen er ophørt" in text and "Behovet er dækket" in text
    grant.refresh_from_db()
    assert grant.amount == 3 and grant.state == Grant.State.ENDED
    assert "Bevilling ændret" in text and "Bevilling ophørt" in text  # the history


def test_the_citizens_grants_page_withholds_other_departments_content(client, carl, family,
                                                                      mettes_grants):
    client.force_login(carl)
    response = client.get(f"/borgere/{family.mother.uuid}/bevillinger/")

    assert response.status_code == 200
    assert_danish_and_labelled(response)
    text = response.content.decode()
    assert "Socialpædagogisk støtte" in text and "Mentorstøtte" in text
    assert "Aflastningscentret Lyngly" in text
    assert "Vises ikke" in text
    assert f"/bevillinger/{mettes_grants[0].uuid}/" in text
    assert f"/bevillinger/{mettes_grants[1].uuid}/" not in text


def test_grant_pages_refuse_others(client, anna, carl, gustav, liva_case, family):
    grant = grant_on(anna, liva_case)
    client.force_login(carl)
    assert client.get(f"/bevillinger/ny/?sag={liva_case.uuid}").status_code == 403
    assert client.get(f"/bevillinger/{grant.uuid}/").status_code == 403
    before = table_counts()
    assert client.post(f"/bevillinger/{grant.uuid}/ophoer/", {
        "end_valid_to": "2026-12-31", "reason": "x"}).status_code == 403
    assert table_counts() == before
    client.force_login(gustav)
    assert client.get(f"/borgere/{family.liva.uuid}/bevillinger/").status_code == 403
    client.logout()
    assert client.get(f"/borgere/{family.liva.uuid}/bevillinger/").status_code == 302


# --- API ----------------------------------------------------------------------------------

def call(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


def test_the_api_creates_changes_ends_and_lists_grants(client, anna, family, liva_case,
                                                       decision, provider):
    client.force_login(anna)
    response = call(client, "post", f"{API}/grants", {
        "citizen": str(family.liva.uuid), "case": str(liva_case.uuid),
        "decision": str(decision.uuid), "title": "Aflastning", "amount": "2", "unit": "dage_uge",
        "valid_from": "2026-12-01", "provider": str(provider.uuid), "legal_basis": "bl-32"})
    assert response.status_code == 201, response.content
    grant = response.json()
    assert grant["department"] == "boernesocial" and grant["provider_name"] == provider.name

    changed = call(client, "patch", f"{API}/grants/{grant['id']}", {"valid_to": "2027-05-31"})
    assert changed.status_code == 200 and changed.json()["valid_to"] == "2027-05-31"
    assert changed.json()["amount"] == "2.00"  # not named: not changed
    cleared = call(client, "patch", f"{API}/grants/{grant['id']}", {"valid_to": None})
    assert cleared.json()["valid_to"] is None
    assert client.get(f"{API}/grants/{grant['id']}").json()["title"] == "Aflastning"
    ended = call(client, "post", f"{API}/grants/{grant['id']}/end",
                 {"valid_to": "2027-01-31", "reason": "Behovet er dækket"})
    assert ended.status_code == 200 and ended.json()["state"] == "ophoert"
    listed = client.get(f"{API}/citizens/{family.liva.uuid}/grants").json()
    assert [(g["id"], g["withheld"], g["amount"]) for g in listed] == [
        (grant["id"], [], "2.00")]


@pytest.mark.parametrize(("changes", "code"), [
    ({"valid_from": "2027-01-01", "valid_to": "2026-12-01"}, "grant.period_invalid"),
    ({"provider": "00000000-0000-0000-0000-000000000000"}, "grant.provider_unknown"),
    ({"amount": "-1"}, "grant.amount_invalid"),
    ({"legal_basis": "nope"}, "legal_basis.unknown"),
])
def test_the_api_refuses_bad_grants_and_saves_nothing(client, anna, family, liva_case,
                                                      changes, code):
    client.force_login(anna)
    before = table_counts()
    body = {"citizen": str(family.liva.uuid), "case": str(liva_case.uuid), "title": "X",
            "amount": "2", "unit": "dage_uge", "valid_from": "2026-12-01"} | changes
    response = call(client, "post", f"{API}/grants", body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == code
    assert table_counts() == before


@pytest.mark.parametrize("persona", ["carl", "gustav", "outsider"])
def test_the_api_refuses_others_grants(request, client, anna, family, liva_case, persona):
    grant = grant_on(anna, liva_case)
    client.force_login(request.getfixturevalue(persona))
    before = table_counts()

    assert call(client, "post", f"{API}/grants", {
        "citizen": str(family.liva.uuid), "case": str(liva_case.uuid), "title": "X",
        "amount": "1", "unit": "forloeb", "valid_from": "2026-12-01"}).status_code == 403
    assert call(client, "patch", f"{API}/grants/{grant.uuid}", {"amount": "9"}
                ).status_code == 403
    assert call(client, "post", f"{API}/grants/{grant.uuid}/end",
                {"valid_to": "2026-12-31", "reason": "x"}).status_code == 403
    assert client.get(f"{API}/grants/{grant.uuid}").status_code == 403
    assert table_counts() == before


def test_the_api_overview_refuses_providers_and_anonymous(client, gustav, family,
                                                          mettes_grants):
    assert client.get(f"{API}/citizens/{family.mother.uuid}/grants").status_code == 401
    client.force_login(gustav)
    assert client.get(f"{API}/citizens/{family.mother.uuid}/grants").status_code == 403
