"""The family overview (cpr-knap, K1): what each reader sees of the Ærø Hansen family's
cases, grants, notifications and external cases, what opens, and what is logged.

The family's items are written straight to the tables (how they came about is issue 3's):
- Liva (10): a children's grant without a case, a closed children's investigation (Bo's),
  and a notification received by Familieteam Nord;
- Oskar (14, Liva's half-brother in Søren's home): a jobcenter case (Dorte's);
- Søren (father): a case at the Rusmiddelcenter (Mia's) — its category hides existence;
- Mette (mother): a case pushed in from the jobcenter's own system.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhed.cases.models import Case, Grant, Notification
from helhed.core import clock
from helhed.core.models import AccessLogEntry
from helhed.organisation.models import Department, Role, StaffMember, Unit
from helhed.organisation.setup import ensure_municipality
from helhed.people.models import Citizen
from helhed.sharing.models import Consent, DataCategory, EmergencyAccess, ExternalCase
from helhed.sharing.overview import Item, Overview, family_overview
from helhed.testing.personas import PASSWORD, Family

_numbers = itertools.count(1)
API = "/api/v1/sharing/overview"


# --- the family's items -------------------------------------------------------------------

def department(code: str) -> Department:
    return Department.objects.get(municipality__code="0999", code=code)


def staff_of_user(user: AbstractUser | User) -> StaffMember:
    return StaffMember.objects.get(user_id=user.pk)


def make_mia() -> AbstractUser:
    """Mia Mørk, caseworker at the Rusmiddelcenter (no persona has the department)."""
    municipality = ensure_municipality("0999", "Helhed Kommune", "Region Demo")
    unit, _ = Unit.objects.get_or_create(department=department("misbrugscenter"),
                                         name="Rådgivningen")
    user = get_user_model().objects.create_user("mia", password=PASSWORD, first_name="Mia",
                                                last_name="Mørk")
    staff = StaffMember.objects.create(user=user, municipality=municipality, unit=unit,
                                       phone="33445566")
    staff.roles.add(Role.objects.get(code="sagsbehandler-voksen"))
    return user


def case(citizen: Citizen, code: str, title: str, *, responsible: AbstractUser | None = None,
         state: str = Case.State.OPENED) -> Case:
    now = clock.now()
    staff = staff_of_user(responsible) if responsible is not None else None
    return Case.objects.create(
        number=f"OV-{next(_numbers):06d}", citizen=citizen, department=department(code),
        unit=staff.unit if staff else None, responsible=staff, title=title, state=state,
        concept="enkelt", closing_rule="afgoerelse", opened_at=now, updated_at=now,
        closed_at=now if state == Case.State.CLOSED else None)


def grant(citizen: Citizen, code: str, title: str) -> Grant:
    return Grant.objects.create(
        citizen=citizen, department=department(code), title=title, amount=2,
        unit="dage_uge", valid_from=dt.date(2026, 1, 1), granted_at=clock.now())


def external(citizen: Citizen, title: str = "Ledighedsforløb") -> ExternalCase:
    now = clock.now()
    return ExternalCase.objects.create(
        source_system="KMD Momentum", external_id=f"M-{next(_numbers)}", citizen=citizen,
        department=department("jobcenter"),
        category=DataCategory.objects.get(code="beskaeftigelse"), title=title,
        state="Aktiv", responsible_name="Jens Jensen", responsible_contact="jens@jobcenter.dk",
        opened_on=dt.date(2026, 2, 1), received_at=now, updated_at=now)


def notification(child: Citizen) -> Notification:
    now = clock.now()
    return Notification.objects.create(
        child=child, received_at=now, registered_at=now, notifier_kind="skole",
        description="Liva er ofte ked af det.",
        unit=Unit.objects.get(name="Familieteam Nord"))


@pytest.fixture
def world(family: Family, anna: AbstractUser, bo: AbstractUser, dorte: AbstractUser
          ) -> dict[str, Any]:
    mia = make_mia()
    return {
        "mia": mia,
        "liva_grant": grant(family.liva, "boernesocial", "Aflastning i weekender"),
        "liva_case": case(family.liva, "boernesocial", "Børnefaglig undersøgelse",
                          responsible=bo, state=Case.State.CLOSED),
        "liva_notification": notification(family.liva),
        "oskar_job": case(family.half_brother, "jobcenter", "Ungeindsats", responsible=dorte),
        "father_abuse": case(family.father, "misbrugscenter", "Ambulant alkoholbehandling",
                             responsible=mia),
        "mother_external": external(family.mother),
    }


def items_of(overview: Overview, citizen: Citizen) -> list[Item]:
    for person in overview.people:
        if person.citizen.pk == citizen.pk:
            return person.items
    raise AssertionError(f"{citizen} not in the overview")


def item(overview: Overview, citizen: Citizen, title_part: str) -> Item:
    found = [i for i in items_of(overview, citizen) if title_part in i.title]
    assert len(found) == 1, [i.title for i in items_of(overview, citizen)]
    return found[0]


def titles(overview: Overview) -> set[str]:
    return {i.title for i in overview.items}


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def consent_for(citizen: Citizen, category: str, by: AbstractUser,
                given_by: Citizen) -> Consent:
    today = clock.today()
    consent = Consent.objects.create(
        citizen=citizen, purpose=Consent.Purpose.CASEWORK, form=Consent.Form.WRITTEN,
        valid_from=today - dt.timedelta(days=1), valid_to=today + dt.timedelta(days=90),
        recorded_at=clock.now(), recorded_by=staff_of_user(by))
    consent.given_by.add(given_by)
    consent.categories.add(DataCategory.objects.get(code=category))
    return consent


# --- what anna sees -----------------------------------------------------------------------

def test_anna_sees_the_siblings_jobcenter_case_as_exists_ask(
        world: dict[str, Any], family: Family, anna: User) -> None:
    overview = family_overview(anna, family.liva.uuid)
    job = item(overview, family.half_brother, "Ungeindsats")
    assert not job.may_open and job.url == "" and job.basis == ""
    assert job.department_name == "Jobcenter" and job.responsible == "Dorte Dahl"
    assert job.ask.startswith("Kontakt Dorte Dahl, Jobcenter")
    assert job.category == "beskaeftigelse" and job.status == Case.State.OPENED


def test_anna_opens_her_own_departments_items_with_the_basis(
        world: dict[str, Any], family: Family, anna: User) -> None:
    overview = family_overview(anna, family.liva.uuid)
    aid = item(overview, family.liva, "Aflastning")
    assert aid.may_open and aid.basis_kind == "Egen sag" and aid.ask == ""
    assert aid.url == reverse("grant-detail", args=[world["liva_grant"].uuid])
    investigation = item(overview, family.liva, "Børnefaglig undersøgelse")
    assert investigation.may_open and not investigation.active
    assert investigation.url == reverse("case-detail", args=[world["liva_case"].uuid])
    note = item(overview, family.liva, "Underretning")
    assert note.may_open and note.category == "boernesag"


def test_the_mothers_external_case_shows_its_source_system(
        world: dict[str, Any], family: Family, anna: User) -> None:
    overview = family_overview(anna, family.liva.uuid)
    pushed = item(overview, family.mother, "Ledighedsforløb")
    assert pushed.source == "KMD Momentum" and pushed.kind == "ekstern_sag"
    assert not pushed.may_open
    assert pushed.ask == "Kontakt Jens Jensen, Jobcenter (jens@jobcenter.dk)."


def test_the_abuse_case_is_hidden_from_anna_entirely(
        world: dict[str, Any], family: Family, anna: User) -> None:
    overview = family_overview(anna, family.liva.uuid)
    assert "Ambulant alkoholbehandling" not in " ".join(titles(overview))
    assert items_of(overview, family.father) == []
    html = client_for(anna).get(reverse("family-overview", args=[family.liva.uuid]))
    assert b"alkohol" not in html.content and b"Rusmiddelcenter" not in html.content
    api = client_for(anna).get(f"{API}/{family.liva.uuid}").content.decode()
    assert "alkohol" not in api and "misbrug" not in api


def test_the_abuse_case_is_shown_to_its_own_caseworker(
        world: dict[str, Any], family: Family) -> None:
    overview = family_overview(world["mia"], family.liva.uuid)
    abuse = item(overview, family.father, "Ambulant alkoholbehandling")
    assert abuse.may_open and abuse.basis_kind == "Egen sag"
    assert abuse.contact == "33445566"
    # Mia's role gives no basis for the children's department's content: no notification.
    assert not any(i.kind == "underretning" for i in overview.items)
    assert not item(overview, family.liva, "Aflastning").may_open


def test_notifications_only_inside_the_childrens_department(
        world: dict[str, Any], family: Family, dorte: User) -> None:
    overview = family_overview(dorte, family.liva.uuid)
    assert not any(i.kind == "underretning" for i in overview.items)
    assert item(overview, family.half_brother, "Ungeindsats").may_open


# --- bases: consent, legal basis, emergency -----------------------------------------------

def test_consent_opens_at_once_and_withdrawal_closes_on_the_next_read(
        world: dict[str, Any], family: Family, anna: User) -> None:
    consent = consent_for(family.half_brother, "beskaeftigelse", anna, family.partner)
    job = item(family_overview(anna, family.liva.uuid), family.half_brother, "Ungeindsats")
    assert job.may_open and job.basis_kind == "Samtykke" and job.basis.startswith("Samtykke")
    consent.withdrawn_at = clock.now()
    consent.save(update_fields=["withdrawn_at"])
    job = item(family_overview(anna, family.liva.uuid), family.half_brother, "Ungeindsats")
    assert not job.may_open and job.ask.startswith("Kontakt Dorte Dahl")


def test_consent_for_another_category_opens_nothing(
        world: dict[str, Any], family: Family, anna: User) -> None:
    consent_for(family.half_brother, "sundhed", anna, family.partner)
    job = item(family_overview(anna, family.liva.uuid), family.half_brother, "Ungeindsats")
    assert not job.may_open


def test_an_open_childrens_case_gives_the_legal_basis(
        world: dict[str, Any], family: Family, anna: User, bo: User) -> None:
    case(family.noah, "boernesocial", "Børnefaglig undersøgelse af Noah", responsible=bo,
         state=Case.State.INVESTIGATION)
    overview = family_overview(anna, family.liva.uuid)
    job = item(overview, family.half_brother, "Ungeindsats")
    assert job.may_open and job.basis_kind == "Hjemmel" and "Barnets lov" in job.basis
    # The rule covers substance abuse too: now Anna may know of the father's treatment.
    abuse = item(overview, family.father, "Ambulant alkoholbehandling")
    assert abuse.may_open and abuse.basis_kind == "Hjemmel"


def test_emergency_access_opens_and_is_flagged_in_the_log(
        world: dict[str, Any], family: Family, erik: User) -> None:
    now = clock.now()
    EmergencyAccess.objects.create(
        actor=erik, staff=staff_of_user(erik), citizen=family.liva,
        family=[str(c.uuid) for c in (family.liva, family.noah, family.half_brother,
                                      family.mother, family.father)],
        reason="Politiet har bragt Liva på skadestuen", started_at=now,
        expires_at=now + dt.timedelta(hours=4))
    overview = family_overview(erik, family.liva.uuid)
    job = item(overview, family.half_brother, "Ungeindsats")
    assert job.may_open and job.basis_kind == "Akut" and job.emergency
    abuse = item(overview, family.father, "Ambulant alkoholbehandling")
    assert abuse.may_open and abuse.emergency
    flagged = AccessLogEntry.objects.filter(actor=erik, subject=family.father.uuid,
                                            category="misbrug")
    assert flagged.count() == 1 and flagged.get().emergency


# --- the access log -----------------------------------------------------------------------

def overview_looks(actor: AbstractUser) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(actor_id=actor.pk,
                                              detail__startswith="familieoverblik"))


def test_one_look_per_citizen_and_category_shown(
        world: dict[str, Any], family: Family, anna: User, dorte: User) -> None:
    family_overview(anna, family.liva.uuid)
    looks = {(e.subject, e.category) for e in overview_looks(anna)}
    assert looks == {
        (family.liva.uuid, "boernesag"),
        (family.half_brother.uuid, "beskaeftigelse"),
        (family.mother.uuid, "beskaeftigelse"),
    }
    assert len(overview_looks(anna)) == 3
    assert all(e.allowed and e.action == "read" for e in overview_looks(anna))
    # Nothing about the hidden abuse case is logged as shown.
    assert not AccessLogEntry.objects.filter(actor=anna, category="misbrug").exists()
    # More items in the same categories: still one look each.
    case(family.half_brother, "jobcenter", "Jobafklaring", responsible=dorte)
    grant(family.liva, "boernesocial", "Kontaktperson")
    family_overview(anna, family.liva.uuid)
    assert len(overview_looks(anna)) == 6
    # The family look and the master-data looks are there too.
    assert AccessLogEntry.objects.filter(actor=anna, subject=family.liva.uuid,
                                         category="familie", allowed=True).exists()


def _count_queries(actor: AbstractUser, citizen: Citizen) -> int:
    actor = get_user_model().objects.get(pk=actor.pk)  # fresh: no remembered roles
    with CaptureQueriesContext(connection) as ctx:
        family_overview(actor, citizen.uuid)
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_items(
        world: dict[str, Any], family: Family, anna: User, bo: User, dorte: User) -> None:
    _count_queries(anna, family.liva)  # the door's categories and rules, kept a minute
    before = _count_queries(anna, family.liva)
    for person in (family.liva, family.noah, family.half_brother, family.mother):
        case(person, "boernesocial", "Endnu en sag", responsible=bo, state=Case.State.CLOSED)
        case(person, "jobcenter", "Endnu en jobsag", responsible=dorte)
        grant(person, "jobcenter", "Endnu en ydelse")
        grant(person, "boernesocial", "Endnu en støtte")
        external(person, "Endnu et forløb")
        notification(family.noah)
    after = _count_queries(anna, family.liva)
    assert after == before
    assert before <= 24


def test_the_overview_writes_its_access_log_in_one_statement(
        world: dict[str, Any], family: Family, anna: User) -> None:
    actor = get_user_model().objects.get(pk=anna.pk)
    before = AccessLogEntry.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        family_overview(actor, family.liva.uuid)
    inserts = [q for q in ctx.captured_queries
               if q["sql"].startswith("INSERT") and "core_accesslogentry" in q["sql"]]
    assert len(inserts) == 1
    # The citizen, the family, every relative shown and every citizen × category shown.
    logged = AccessLogEntry.objects.filter(actor=anna).order_by("id")[before:]
    categories = {entry.category for entry in logged}
    assert {"stamdata", "familie"} <= categories and len(categories) > 2


# --- pages and API ------------------------------------------------------------------------

def test_the_page_shows_exists_ask_and_the_basis(
        world: dict[str, Any], family: Family, anna: User) -> None:
    response = client_for(anna).get(reverse("family-overview", args=[family.liva.uuid]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Findes – kontakt Dorte Dahl, Jobcenter" in html
    assert reverse("grant-detail", args=[world["liva_grant"].uuid]) in html
    assert reverse("case-detail", args=[world["oskar_job"].uuid]) not in html
    assert "Grundlag: Egen sag" in html
    assert "Fra KMD Momentum" in html
    assert "Oskar" in html and "Halvsøskende" in html


def test_the_api_gives_the_same_items(
        world: dict[str, Any], family: Family, anna: User) -> None:
    response = client_for(anna).get(f"{API}/{family.liva.uuid}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["citizen"] == str(family.liva.uuid)
    by_title = {i["title"]: i for p in body["people"] for i in p["items"]}
    job = next(v for k, v in by_title.items() if "Ungeindsats" in k)
    assert job["may_open"] is False and job["ask"].startswith("Kontakt Dorte Dahl")
    assert by_title["Aflastning i weekender"]["may_open"] is True
    assert by_title["Aflastning i weekender"]["basis_kind"] == "Egen sag"
    assert by_title["Ledighedsforløb"]["source"] == "KMD Momentum"


@pytest.mark.parametrize("who", ["gustav", "outsider"])
def test_actors_without_a_basis_get_nothing(
        world: dict[str, Any], family: Family, who: str, request: pytest.FixtureRequest) -> None:
    actor = request.getfixturevalue(who)
    page = client_for(actor).get(reverse("family-overview", args=[family.liva.uuid]))
    assert page.status_code == 404
    api = client_for(actor).get(f"{API}/{family.liva.uuid}")
    assert api.status_code == 404 and api.json()["error"]["code"] == "citizen.not_found"
    for response in (page, api):
        text = response.content.decode()
        assert "Ungeindsats" not in text and "Aflastning" not in text and "Liva" not in text
    refused = AccessLogEntry.objects.filter(actor=actor, subject=family.liva.uuid)
    assert refused.exists() and not refused.filter(allowed=True).exists()
    assert not overview_looks(actor)


def test_anonymous_gets_nothing(world: dict[str, Any], family: Family) -> None:
    page = Client().get(reverse("family-overview", args=[family.liva.uuid]))
    assert page.status_code == 302 and "/login/" in page["Location"]
    api = Client().get(f"{API}/{family.liva.uuid}")
    assert api.status_code == 401 and api.json()["error"]["code"] == "auth.required"
    assert not AccessLogEntry.objects.filter(detail__startswith="familieoverblik").exists()


def test_an_unknown_citizen_is_not_found(world: dict[str, Any], anna: User) -> None:
    import uuid

    assert client_for(anna).get(
        reverse("family-overview", args=[uuid.uuid4()])).status_code == 404
    assert client_for(anna).get(f"{API}/not-a-uuid").status_code == 404


def test_a_refusal_of_the_family_stays_in_the_log(world: dict[str, Any], family: Family,
                                                  anna: User,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from helhed.people import services as people

    def refuse(actor: Any, citizen: Any, purpose: Any, **kwargs: Any) -> None:
        # As family_of does on a refusal: the door logs it, then the page is refused.
        from helhed.sharing import policy

        denied = policy.Decision(False, "", "Ingen adgang")
        policy.record(actor, [policy.look(denied, citizen.uuid, policy.Category.FAMILY,
                                          purpose=purpose)])
        raise people.CitizenNotFound

    monkeypatch.setattr(people, "family_of", refuse)
    with pytest.raises(people.CitizenNotFound):
        family_overview(anna, family.liva.uuid)
    assert AccessLogEntry.objects.filter(actor_id=anna.pk, subject=family.liva.uuid,
                                         category="familie").exists()
    assert not overview_looks(anna)
