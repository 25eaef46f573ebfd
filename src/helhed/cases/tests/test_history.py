"""The case history names the changed fields as a person reads them ("Titel", "Tilstand"),
not as the code does ("title", "state"); the API keeps the names in code as ``field`` and
adds the ``label`` beside them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils.text import capfirst

from helhed.cases import deadlines, decisions, grants, services
from helhed.cases.history import field_label, history_rows
from helhed.cases.models import Change
from helhed.core import clock

from .decision_helpers import NOW, REASONS, open_child_case

pytestmark = pytest.mark.django_db
API = "/api/v1/cases"


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


@pytest.fixture
def case(anna, family):
    case = open_child_case(anna, family.liva, legal_basis_code="bl-20")
    services.update_case(anna, case.uuid, title="Bekymring for Livas trivsel")
    services.set_state(anna, case.uuid, "undersoegelse")
    return case


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def history_section(text: str) -> str:
    return text[text.index('id="historik"'):]


def test_the_history_page_shows_danish_field_names(anna, case):
    response = logged_in(anna).get(f"/sager/{case.uuid}/")
    assert response.status_code == 200
    history = history_section(response.content.decode())
    assert "Titel: <del>Børnefaglig undersøgelse</del> → Bekymring for Livas trivsel" in history
    assert "Tilstand: <del>aabnet</del> → undersoegelse" in history
    assert "KLE-opmærkning:" in history and "Ansvarlig:" in history
    for name in ("title", "state", "kle", "responsible", "legal_basis", "citizen_display"):
        assert f"<code>{name}</code>" not in history and f"{name}:" not in history


def test_the_api_keeps_the_field_names_and_adds_labels(anna, case):
    response = logged_in(anna).get(f"{API}/cases/{case.uuid}/history")
    assert response.status_code == 200
    rows = response.json()
    changed = next(r for r in rows if r["action"] == "cases.case.changed")
    assert changed["changes"] == [{"field": "title", "label": "Titel",
                                   "before": "Børnefaglig undersøgelse",
                                   "after": "Bekymring for Livas trivsel"}]
    moved = next(r for r in rows if r["action"] == "cases.case.state_changed")
    assert moved["changes"][0] == {"field": "state", "label": "Tilstand", "before": "aabnet",
                                   "after": "undersoegelse"}
    opened = next(r for r in rows if r["action"] == "cases.case.opened")
    assert {c["field"]: c["label"] for c in opened["changes"]}.items() >= {
        "kle": "KLE-opmærkning", "legal_basis": "Hjemmel", "responsible": "Ansvarlig",
        "unit": "Enhed", "citizen_display": "Borgervisning"}.items()
    for row in rows:  # existing clients read these keys as before
        assert set(row) == {"at", "actor", "action", "label", "summary", "changes"}
        for c in row["changes"]:
            assert set(c) == {"field", "label", "before", "after"}


def test_the_api_refuses_the_history_to_another_department(carl, case):
    response = logged_in(carl).get(f"{API}/cases/{case.uuid}/history")
    assert response.status_code in (403, 404)
    assert "Titel" not in response.content.decode()


def test_every_field_a_case_records_has_a_label(anna, family, case):
    services.set_kle(anna, case.uuid, ["34.10.10", "34.10"])
    services.add_journal_entry(anna, case.uuid, kind="samtale", occurred_on=NOW.date(),
                               title="Samtale med mor", text="Mor fortæller om Liva.")
    follow_up = deadlines.add_manual(anna, case.uuid, title="Hjemmebesøg",
                                     due_on=NOW.date() + dt.timedelta(days=7))
    deadlines.meet(anna, follow_up.uuid)
    decisions.make_decision(anna, case.uuid, title="Aflastning i weekender",
                            outcome="bevilget", legal_basis_code="bl-32", reasons=REASONS)
    deadlines.add_manual(anna, case.uuid, title="Opfølgning", due_on=NOW.date())
    services.close_case(anna, case.uuid, "Familien er flyttet.")

    rows = history_rows(Change.objects.filter(case=case).order_by("at", "pk"))
    seen = {(c.field, c.label) for row in rows for c in row.changes}
    assert len(seen) > 15
    unlabelled = sorted(f for f, label in seen if label in (f, capfirst(f)))
    assert unlabelled == []


def test_labels_come_from_the_models_verbose_names():
    assert field_label("case", "title") == "Titel"
    assert field_label("deadline", "waived_reason") == "Begrundelse for bortfald"
    assert field_label("grant", "amount") == "Omfang"
    assert field_label("case", "unit") == "Enhed"  # a foreign key declared without a label
    assert field_label("nothing", "whatever") == "Whatever"  # unknown: the name itself


def test_the_grant_page_history_shows_danish_field_names(anna, family, case):
    grant = grants.create_grant(anna, family.liva.uuid, title="Aflastning i weekender",
                                amount="2", unit="dage_uge", valid_from=NOW.date(),
                                case_uuid=case.uuid)
    grants.change_grant(anna, grant.uuid, amount="3")
    response = logged_in(anna).get(f"/bevillinger/{grant.uuid}/")
    assert response.status_code == 200
    history = history_section(response.content.decode())
    assert "Omfang: <del>2.00</del> → 3.00" in history
    assert "Ydelse:" in history and "amount" not in history and "valid_from" not in history
