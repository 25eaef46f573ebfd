"""The Digital Post adapter and the page "Forsendelser": what the local adapter stored,
who may see it, and the PDF that opens in the browser."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from helhed.cases import decisions
from helhed.cases.tests.decision_helpers import NOW, REASONS, open_child_case, pdf_text
from helhed.core import clock
from helhed.core.errors import AccessDenied, NotFound
from helhed.core.models import AccessLogEntry, OutboxEvent
from helhed.messaging import adapters, services
from helhed.messaging.models import OutboundMessage
from helhed.people.models import ContactDetails
from helhed.web.tests.helpers import assert_danish_and_labelled

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 test"


@pytest.fixture(autouse=True)
def _frozen():
    clock.freeze(NOW)


@pytest.fixture
def sent(anna, family):
    """A decision on Liva's case: letters to Liva and both parents."""
    case = open_child_case(anna, family.liva)
    return decisions.make_decision(anna, case.uuid, title="Aflastning i weekender",
                                   outcome="bevilget", legal_basis_code="bl-32",
                                   reasons=REASONS)


def send(citizen, **kwargs):
    values = {"title": "Afgørelse om aflastning", "body": "Du har fået et brev.", "pdf": PDF,
              "filename": "afgoerelse.pdf", "sender": "Helhed Kommune, Børn og Familie",
              "source_type": "letter", "source_uuid": uuid.uuid4()} | kwargs
    with transaction.atomic():
        return adapters.digital_post().send(citizen, **values)


# --- the adapter --------------------------------------------------------------------------

def test_the_local_adapter_stores_what_it_would_have_sent(family):
    receipt = send(family.mother)

    message = OutboundMessage.objects.get()
    assert receipt.adapter == "local" and receipt.channel == "digital_post"
    assert receipt.delivery_id == str(message.uuid) and not receipt.physical
    assert (message.recipient, message.title, message.channel) == (
        family.mother, "Afgørelse om aflastning", "digital_post")
    assert bytes(message.attachment) == PDF and message.attachment_type == "application/pdf"
    assert message.sent_at == NOW
    event = OutboxEvent.objects.get(type="messaging.message.sent")
    assert event.citizen == family.mother.uuid and event.payload["channel"] == "digital_post"
    assert "aflastning" not in str(event.payload)


def test_a_citizen_exempt_from_digital_post_gets_physical_post(family):
    ContactDetails.objects.create(citizen=family.father, exempt_from_digital_post=True,
                                  valid_from=dt.date(2020, 1, 1), registered_at=NOW)
    receipt = send(family.father)

    assert receipt.channel == "fysisk_post" and receipt.physical
    assert any("fritaget for Digital Post" in note for note in receipt.notes)
    assert OutboundMessage.objects.get().channel == "fysisk_post"  # still stored here


def test_the_adapter_is_chosen_by_setting(settings):
    assert isinstance(adapters.digital_post(), adapters.LocalDigitalPost)
    settings.HELHED_DIGITAL_POST_ADAPTER = "ngdp-uden-opsaetning"
    with pytest.raises(ImproperlyConfigured, match="ngdp-uden-opsaetning"):
        adapters.digital_post()


# --- reading the outbox -------------------------------------------------------------------

def test_a_caseworker_sees_her_departments_letters_and_each_look_is_logged(anna, bo, family,
                                                                           sent):
    rows = services.outbox(bo)

    assert {r.message.recipient for r in rows} == {family.liva, family.mother, family.father}
    assert {r.case_number for r in rows} == {sent.case.number}
    assert {r.channel_label for r in rows} == {"Digital Post"}
    looks = AccessLogEntry.objects.filter(actor=bo, detail="forsendelser", allowed=True)
    assert {entry.subject for entry in looks} == {family.liva.uuid, family.mother.uuid,
                                                  family.father.uuid}


def test_another_department_sees_none_of_them(carl, sent):
    assert services.outbox(carl) == []
    message = OutboundMessage.objects.first()
    with pytest.raises(AccessDenied):
        services.outbox_message(carl, message.uuid)
    with pytest.raises(AccessDenied):
        services.outbox_attachment(carl, message.uuid)


@pytest.mark.parametrize("persona", ["gustav", "outsider", "hanne"])
def test_providers_administrators_and_outsiders_are_refused(request, persona, sent):
    user = request.getfixturevalue(persona)
    with pytest.raises(AccessDenied):
        services.outbox(user)
    with pytest.raises(AccessDenied):
        services.outbox_message(user, OutboundMessage.objects.first().uuid)


def test_an_unknown_message_is_not_found(anna):
    with pytest.raises(NotFound):
        services.outbox_message(anna, uuid.uuid4())
    with pytest.raises(NotFound):
        services.outbox_message(anna, "nope")


# --- pages --------------------------------------------------------------------------------

def test_the_page_lists_the_letters_and_opens_the_pdf(client, anna, family, sent):
    client.force_login(anna)
    response = client.get("/forsendelser/")

    assert response.status_code == 200
    assert_danish_and_labelled(response)
    text = response.content.decode()
    assert "Forsendelser" in text and "ikke forbundet til Digital Post" in text
    for name in ("Liva Ærø Hansen", "Mette Hansen", "Søren Ærø"):
        assert name in text
    message = OutboundMessage.objects.get(recipient=family.liva)
    assert f"/forsendelser/{message.uuid}/bilag/" in text

    detail = client.get(f"/forsendelser/{message.uuid}/")
    assert detail.status_code == 200 and "Liva Ærø Hansen" in detail.content.decode()
    pdf = client.get(f"/forsendelser/{message.uuid}/bilag/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")
    assert "Kære Liva" in pdf_text(pdf.content)


def test_the_list_costs_the_same_queries_for_more_letters(client, anna, family, sent):
    client.force_login(anna)
    client.get("/forsendelser/")
    with CaptureQueriesContext(connection) as few:
        client.get("/forsendelser/")
    decisions.make_decision(anna, sent.case.uuid, title="Aflastning i ferier",
                            outcome="bevilget", legal_basis_code="bl-32", reasons=REASONS)
    with CaptureQueriesContext(connection) as more:
        client.get("/forsendelser/")
    assert OutboundMessage.objects.count() == 6
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_page_shows_another_department_nothing(client, carl, sent):
    client.force_login(carl)
    response = client.get("/forsendelser/")
    assert response.status_code == 200 and "Ingen forsendelser" in response.content.decode()
    message = OutboundMessage.objects.first()
    assert client.get(f"/forsendelser/{message.uuid}/").status_code == 403
    assert client.get(f"/forsendelser/{message.uuid}/bilag/").status_code == 403


def test_the_page_refuses_providers_and_anonymous(client, gustav, sent):
    assert client.get("/forsendelser/").status_code == 302
    client.force_login(gustav)
    assert client.get("/forsendelser/").status_code == 403
