"""Advis (K2 new, K3 changed): made for the subscribers of the event's citizen or family,
never for the actor herself, never carrying what the recipient may not see, and once per
event however often it is delivered."""

from __future__ import annotations

import datetime as dt

import pytest

from helhed.cases import services
from helhed.core import clock
from helhed.core.models import AccessLogEntry, OutboxEvent
from helhed.sharing import advis, subscriptions
from helhed.sharing.models import Advis, ConsumedEvent
from helhed.sharing.tests.advis_helpers import (  # noqa: F401 - fixture
    advis_handler,
    deliver,
    make_staff_in,
    note,
    open_case,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("advis_handler")]

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


def advis_of(user) -> list[Advis]:
    return list(Advis.objects.filter(staff__user=user).order_by("created_at", "pk"))


@pytest.fixture
def rita(db):
    """A caseworker at the substance-abuse centre (its category hides existence)."""
    return make_staff_in("rita", "misbrugscenter", "Rusmiddelvisitationen",
                         full_name="Rita Rask", phone="33334444")


def test_a_colleagues_journal_entry_reaches_the_responsible_caseworker(anna, bo, family):
    case = open_case(anna, family.liva)
    deliver()
    entry = note(bo, case, title="Samtale med Liva")
    deliver()
    [new] = advis_of(anna)
    assert new.kind == Advis.Kind.NEW and new.event_type == "cases.journal.entry_added"
    assert new.citizen == family.liva and new.may_open
    assert "Samtale med Liva" in new.text and case.number in new.text
    assert new.url == f"/sager/{case.uuid}/#journal"
    assert new.object_id == str(entry.uuid) and new.read_at is None
    assert advis_of(bo) == []  # not subscribed, and it was his own change anyway


def test_nobody_is_notified_of_her_own_change(anna, family):
    case = open_case(anna, family.liva)
    note(anna, case)
    services.set_state(anna, case.uuid, "undersoegelse")
    deliver()
    assert advis_of(anna) == []


def test_a_change_is_k3_and_a_new_item_k2(anna, bo, family):
    case = open_case(anna, family.liva)
    deliver()
    services.set_state(bo, case.uuid, "undersoegelse")
    note(bo, case)
    deliver()
    kinds = {a.event_type: a.kind for a in advis_of(anna)}
    assert kinds == {"cases.case.state_changed": Advis.Kind.CHANGED,
                     "cases.journal.entry_added": Advis.Kind.NEW}


def test_the_family_subscription_covers_a_sibling_across_households(anna, bo, dorte,
                                                                   family):
    open_case(anna, family.liva)  # anna follows Liva and her family
    deliver()
    open_case(bo, family.half_brother, title="Oskars sag")  # Liva's half-brother
    deliver()
    [about_oskar] = advis_of(anna)
    assert about_oskar.citizen == family.half_brother
    assert "Oskars sag" in about_oskar.text  # same department: she may open it
    subscriptions.subscribe(dorte, family.mother.uuid, family=False)
    open_case(anna, family.noah, title="Noahs sag")
    deliver()
    assert advis_of(dorte) == []  # Mette only, not her children
    # bo follows Oskar (his case) and the family: Noah is Oskar's half-brother.
    assert [a.citizen for a in advis_of(bo)] == [family.noah]


def test_without_a_content_basis_the_advis_says_what_and_where_and_who_to_ask(
        carl, dorte, family):
    subscriptions.subscribe(dorte, family.mother.uuid, family=False)
    case = open_case(carl, family.mother, title="Hjemmehjælp efter fald", kle="27")
    deliver()
    [seen] = advis_of(dorte)
    assert not seen.may_open and seen.url == ""
    assert "Hjemmehjælp" not in seen.text and "fald" not in seen.text
    assert "Social og Handicap" in seen.text and "Kontakt Carl Christensen" in seen.text
    assert seen.kind == Advis.Kind.NEW and case.number in seen.text
    # Content added later does not leak either.
    note(carl, case, title="Oplysninger om misbrug")
    deliver()
    assert all("misbrug" not in a.text for a in advis_of(dorte))


def test_a_hidden_category_makes_no_advis_for_a_recipient_without_a_basis(
        anna, carl, dorte, rita, family):
    """Substance abuse hides existence: no advis at all (not even 'something happened')
    for dorte and carl, who follow Mette; anna, who has a child investigation on Mette's
    daughter (legal basis: Barnets lov § 20), gets it with its content."""
    child_case = open_case(anna, family.liva)
    services.set_state(anna, child_case.uuid, "undersoegelse")
    deliver()
    subscriptions.subscribe(dorte, family.mother.uuid)
    subscriptions.subscribe(carl, family.mother.uuid, family=False)
    case = open_case(rita, family.mother, title="Alkoholbehandling", kle="29")
    note(rita, case, title="Tilbagefald")
    deliver()
    assert advis_of(dorte) == [] and advis_of(carl) == []
    got = advis_of(anna)
    assert [a.event_type for a in got] == ["cases.case.opened", "cases.journal.entry_added"]
    assert all(a.may_open for a in got) and "Alkoholbehandling" in got[0].text
    assert not Advis.objects.filter(text__icontains="alkohol").exclude(
        staff__user=anna).exists()


def test_a_withdrawn_basis_counts_for_the_next_advis(anna, bo, dorte, family):
    """Decided per advis at the time it is made: a recipient who loses her basis gets
    only what and where from then on."""
    from helhed.organisation.models import StaffMember, Unit

    case = open_case(anna, family.liva)
    deliver()
    subscriptions.subscribe(dorte, family.liva.uuid, family=False)
    note(bo, case, title="Første")
    deliver()
    # dorte (jobcenter) never had a content basis on a children's case:
    assert [a.may_open for a in advis_of(dorte)] == [False]
    # bo follows Liva and moves to the jobcenter: from then on no content basis.
    subscriptions.subscribe(bo, family.liva.uuid)
    staff = StaffMember.objects.get(user=bo)
    staff.unit = Unit.objects.get(name="Jobcenter Team 1")
    staff.save()
    note(anna, case, title="Anden")
    deliver()
    [after] = advis_of(bo)
    assert not after.may_open and "Anden" not in after.text


def test_an_event_is_handled_once_however_often_it_is_delivered(anna, bo, family):
    case = open_case(anna, family.liva)
    deliver()
    note(bo, case)
    envelope = OutboxEvent.objects.get(type="cases.journal.entry_added").envelope()
    assert advis.handle(envelope) == 1
    assert advis.handle(envelope) is None  # a duplicate
    deliver()  # and the in-process publisher delivers it again
    assert len(advis_of(anna)) == 1
    assert ConsumedEvent.objects.filter(consumer="advis",
                                        event_id=envelope["id"]).count() == 1
    # Another consumer keeps its own record.
    assert advis.handle(envelope, consumer="advis-2") == 1  # its own record …
    assert advis.handle(envelope, consumer="advis-2") is None
    assert len(advis_of(anna)) == 1  # … but the advis exists once


def test_events_without_a_citizen_or_of_other_kinds_make_no_advis(anna, family):
    open_case(anna, family.liva)
    deliver()
    assert advis.handle({"id": "8d7f1c39-2d2b-4b1e-9f4b-3e1f0c7f2a10",
                         "type": "people.residence.changed",
                         "citizen": str(family.liva.uuid), "actor": "bo",
                         "object": {"type": "citizen", "id": str(family.liva.uuid)}}) == 0
    assert advis.handle({"id": "9d7f1c39-2d2b-4b1e-9f4b-3e1f0c7f2a10",
                         "type": "cases.journal.entry_added", "citizen": None,
                         "actor": "bo", "object": {"type": "journalentry", "id": "x"}}) == 0
    assert not Advis.objects.exists()


def test_an_inactive_recipient_gets_nothing(anna, bo, family):
    case = open_case(anna, family.liva)
    deliver()
    anna.is_active = False
    anna.save()
    note(bo, case)
    deliver()
    assert advis_of(anna) == []


def test_reading_the_inbox_logs_one_look_per_citizen_and_marks_read(anna, bo, family):
    case = open_case(anna, family.liva)
    deliver()
    note(bo, case, title="En")
    note(bo, case, title="To")
    deliver()
    before = AccessLogEntry.objects.filter(actor=anna, detail="adviser").count()
    box = advis.inbox(anna)
    assert box.unread == 2 and [a.text.split(":")[1].split("(")[0].strip()
                                for a in box.rows] == ["To", "En"]
    looks = AccessLogEntry.objects.filter(actor=anna, detail="adviser")
    assert looks.count() == before + 1 and looks.last().subject == family.liva.uuid
    first = box.rows[0]
    advis.mark_read(anna, first.uuid)
    assert advis.inbox(anna).unread == 1
    advis.mark_read(anna, first.uuid)  # again: no change, no second event
    assert OutboxEvent.objects.filter(type="sharing.advis.read").count() == 1
    assert advis.mark_all_read(anna) == 1 and advis.inbox(anna).unread == 0


def test_one_cannot_read_or_mark_someone_elses_advis(anna, bo, dorte, family):
    from helhed.core.errors import NotFound

    case = open_case(anna, family.liva)
    deliver()
    note(bo, case)
    deliver()
    [mine] = advis_of(anna)
    with pytest.raises(NotFound):
        advis.mark_read(dorte, mine.uuid)
    assert advis.inbox(dorte).rows == []
    assert Advis.objects.get(pk=mine.pk).read_at is None
