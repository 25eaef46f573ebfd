"""Documents on a case: what a caseworker can upload (judged by content, not by name), that
a refused upload leaves nothing anywhere, who may fetch a file, and that a wrongly filed
document stays on the case, marked, and leaves the search."""

from __future__ import annotations

import hashlib

import pytest

from helhed.cases import documents, search, services
from helhed.cases.models import Change, Document, DocumentContent, SearchEntry
from helhed.cases.tests.documents_helpers import (
    EXE,
    HTML,
    JPEG,
    PNG,
    SVG,
    cases_rows,
    docx,
    odt,
    open_case,
    pdf,
    plain_zip,
)
from helhed.core.errors import AccessDenied, DomainError, NotFound
from helhed.core.models import AccessLogEntry, OutboxEvent

pytestmark = pytest.mark.django_db

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100


@pytest.fixture
def case(anna, family):
    return open_case(anna, family.liva, "Bekymring for Liva")


def refused(code: str, call) -> DomainError:
    """The call fails with ``code`` and no cases_* table (nor the outbox) gains a row."""
    before = cases_rows()
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, caught.value
    assert caught.value.message
    assert cases_rows() == before
    return caught.value


# --- upload -------------------------------------------------------------------------------

def test_an_uploaded_pdf_is_stored_with_its_text_history_and_event(anna, case, family) -> None:
    data = pdf("Skoleudtalelse om Liva", "Liva trives i klassen.")
    document = documents.upload(anna, case.uuid, title="  Skoleudtalelse ",
                                filename="udtalelse.pdf", data=data, citizen_display="fuld")

    document.refresh_from_db()
    assert (document.title, document.filename, document.content_type) == (
        "Skoleudtalelse", "udtalelse.pdf", "application/pdf")
    assert document.size == len(data)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.citizen_display == "fuld"
    assert document.uploaded_by.user == anna
    assert "trives i klassen" in document.text
    assert bytes(DocumentContent.objects.get(document=document).data) == data
    entry = SearchEntry.objects.get(object_uuid=document.uuid)
    assert (entry.kind, entry.case_id, entry.title) == ("dokument", case.pk, "Skoleudtalelse")
    assert "trives i klassen" in entry.body

    change = Change.objects.get(object_uuid=document.uuid)
    assert (change.action, change.case_id, change.summary) == (
        "cases.document.added", case.pk, "Skoleudtalelse")
    event = OutboxEvent.objects.get(type="cases.document.added")
    envelope = event.envelope()
    assert envelope["object"] == {"type": "document", "id": str(document.uuid)}
    assert envelope["citizen"] == str(family.liva.uuid)
    assert "Skoleudtalelse" not in str(envelope["payload"])  # no content in events


@pytest.mark.parametrize(("filename", "data", "content_type", "text"), [
    ("Udtalelse.PDF", pdf("Trivsel i skolen"), "application/pdf", "Trivsel i skolen"),
    ("notat.docx", docx("Møde med skolen", "Æbler og øl"),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "Møde med skolen\nÆbler og øl"),
    ("notat.odt", odt("Samtale med Søren"), "application/vnd.oasis.opendocument.text",
     "Samtale med Søren"),
    ("noter.txt", "Ærlig snak om weekenden.\n".encode(), "text/plain; charset=utf-8",
     "Ærlig snak om weekenden.\n"),
    ("foto.png", PNG, "image/png", ""),
    ("foto.jpeg", JPEG, "image/jpeg", ""),
    ("gammel.doc", OLE2, "application/msword", ""),
    ("regneark.xls", OLE2, "application/vnd.ms-excel", ""),
])
def test_allowed_types_are_stored_with_the_type_their_content_shows(
        anna, case, filename, data, content_type, text) -> None:
    document = documents.upload(anna, case.uuid, title="Bilag", filename=filename, data=data)
    document.refresh_from_db()
    assert document.content_type == content_type
    assert document.text.strip() == text.strip()


@pytest.mark.parametrize(("filename", "data", "code"), [
    ("program.exe", EXE, "document.type_not_allowed"),
    ("rapport.pdf", EXE, "document.type_not_allowed"),  # a program renamed to .pdf
    ("side.html", HTML, "document.type_not_allowed"),
    ("side.txt", HTML, "document.type_not_allowed"),  # a web page renamed to .txt
    ("logo.svg", SVG, "document.type_not_allowed"),
    ("script.js", b"\x00\x01binary", "document.type_not_allowed"),
    ("arkiv.zip", plain_zip(), "document.type_not_allowed"),
    ("arkiv.docx", plain_zip(), "document.type_not_allowed"),
    ("script.js", b"alert('hej');", "document.type_mismatch"),  # text, but not .txt
    ("udtalelse.docx", pdf("Trivsel"), "document.type_mismatch"),
    ("udtalelse", pdf("Trivsel"), "document.type_mismatch"),
    ("foto.jpg", PNG, "document.type_mismatch"),
    ("tom.pdf", b"", "document.empty"),
])
def test_files_of_other_types_or_misnamed_are_refused_and_nothing_is_saved(
        anna, case, filename, data, code) -> None:
    error = refused(code, lambda: documents.upload(anna, case.uuid, title="Bilag",
                                                   filename=filename, data=data))
    assert error.field == "file"


def test_the_refusal_names_the_allowed_types(anna, case) -> None:
    error = refused("document.type_not_allowed", lambda: documents.upload(
        anna, case.uuid, title="Bilag", filename="rapport.pdf", data=EXE))
    for allowed in ("PDF", "Word", "Excel", "OpenDocument", "png", "txt"):
        assert allowed in error.message


def test_a_file_above_the_limit_is_refused_with_the_limit_in_mb(anna, case, settings) -> None:
    settings.HELHED_MAX_UPLOAD_BYTES = 1024 * 1024
    data = b"a" * (1024 * 1024 + 1)
    error = refused("document.too_large", lambda: documents.upload(
        anna, case.uuid, title="Stor", filename="stor.txt", data=data))
    assert "1 MB" in error.message
    assert documents.upload(anna, case.uuid, title="Netop", filename="netop.txt",
                            data=data[:-1]).size == 1024 * 1024


def test_the_default_limit_is_20_mb(anna, case) -> None:
    assert documents.max_upload_bytes() == 20 * 1024 * 1024
    error = refused("document.too_large", lambda: documents.upload(
        anna, case.uuid, title="Stor", filename="stor.pdf",
        data=b"%PDF-" + b"0" * (20 * 1024 * 1024)))
    assert "20 MB" in error.message


def test_a_pdf_whose_text_cannot_be_read_is_still_stored(anna, case) -> None:
    document = documents.upload(anna, case.uuid, title="Skannet brev", filename="brev.pdf",
                                data=b"%PDF-1.4\n% not really a pdf")
    assert document.text == ""
    assert SearchEntry.objects.get(object_uuid=document.uuid).title == "Skannet brev"


@pytest.mark.parametrize(("title", "display", "code", "field"), [
    ("", None, "document.title_required", "title"),
    ("   ", None, "document.title_required", "title"),
    ("x" * 201, None, "document.title_too_long", "title"),
    ("Bilag", "alt", "document.citizen_display_invalid", "citizen_display"),
])
def test_bad_form_values_are_refused(anna, case, title, display, code, field) -> None:
    error = refused(code, lambda: documents.upload(anna, case.uuid, title=title,
                                                   filename="bilag.pdf", data=pdf("x"),
                                                   citizen_display=display))
    assert error.field == field


def test_an_adults_caseworker_cannot_add_to_a_childrens_case_and_is_logged(
        carl, case, family) -> None:
    refused("access.denied", lambda: documents.upload(carl, case.uuid, title="Bilag",
                                                      filename="bilag.pdf", data=pdf("x")))
    entry = AccessLogEntry.objects.get(actor=carl, subject=family.liva.uuid)
    assert not entry.allowed and entry.action == "write" and entry.detail == "dokument"


@pytest.mark.parametrize("persona", ["gustav", "outsider"])
def test_staff_who_are_not_caseworkers_cannot_upload(persona, request, case) -> None:
    actor = request.getfixturevalue(persona)
    refused("access.denied", lambda: documents.upload(actor, case.uuid, title="Bilag",
                                                      filename="bilag.pdf", data=pdf("x")))


def test_anonymous_cannot_upload(case) -> None:
    refused("access.denied", lambda: documents.upload(None, case.uuid, title="Bilag",
                                                      filename="bilag.pdf", data=pdf("x")))


@pytest.mark.parametrize("key", ["00000000-0000-0000-0000-000000000000", "not-a-uuid"])
def test_an_unknown_case_is_not_found(anna, key) -> None:
    refused("case.not_found", lambda: documents.upload(anna, key, title="Bilag",
                                                       filename="bilag.pdf", data=pdf("x")))


def test_a_closed_case_takes_no_new_documents(anna, case) -> None:
    services.close_case(anna, case.uuid, reason="Ingen grund til bekymring.")
    refused("case.closed", lambda: documents.upload(anna, case.uuid, title="Bilag",
                                                    filename="bilag.pdf", data=pdf("x")))


def test_an_upload_that_fails_while_writing_leaves_nothing(anna, case, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("the outbox is gone")

    monkeypatch.setattr(documents.history, "changed", broken)
    before = cases_rows()
    with pytest.raises(RuntimeError):
        documents.upload(anna, case.uuid, title="Bilag", filename="bilag.pdf",
                         data=pdf("Trivsel"))
    assert cases_rows() == before


def test_the_stored_file_name_has_no_folders_or_control_characters(anna, case) -> None:
    document = documents.upload(anna, case.uuid, title="Bilag",
                                filename='..\\..\\C:/tmp/"ond"\r\nfil.txt', data=b"tekst")
    assert document.filename == "ondfil.txt"
    long = documents.safe_filename("a" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")


# --- reading ------------------------------------------------------------------------------

def test_caseworkers_of_the_department_fetch_the_file(anna, bo, case) -> None:
    data = pdf("Trivsel")
    uploaded = documents.upload(anna, case.uuid, title="Bilag", filename="bilag.pdf", data=data)
    for actor in (anna, bo):
        document, content = documents.download(actor, uploaded.uuid)
        assert document == uploaded and content == data


def test_another_department_cannot_fetch_the_file_and_is_logged(anna, carl, case,
                                                                family) -> None:
    uploaded = documents.upload(anna, case.uuid, title="Bilag", filename="bilag.pdf",
                                data=pdf("x"))
    with pytest.raises(AccessDenied):
        documents.download(carl, uploaded.uuid)
    with pytest.raises(AccessDenied):
        documents.get_document(carl, uploaded.uuid)
    looks = AccessLogEntry.objects.filter(actor=carl, subject=family.liva.uuid)
    assert [(e.allowed, e.detail) for e in looks] == [(False, "dokument")] * 2


def test_an_unknown_document_is_not_found(anna) -> None:
    for key in ("00000000-0000-0000-0000-000000000000", "x"):
        with pytest.raises(NotFound) as caught:
            documents.download(anna, key)
        assert caught.value.code == "document.not_found"


def test_the_case_lists_its_documents_newest_first(anna, carl, case) -> None:
    first = documents.upload(anna, case.uuid, title="Første", filename="a.txt", data=b"a")
    second = documents.upload(anna, case.uuid, title="Anden", filename="b.txt", data=b"b")
    assert documents.documents_of(anna, case) == [second, first]
    with pytest.raises(AccessDenied):
        documents.documents_of(carl, case)


# --- wrongly filed ------------------------------------------------------------------------

def test_a_wrongly_filed_document_stays_marked_and_leaves_the_search(anna, case) -> None:
    data = "Erklæring om en anden borger".encode()
    uploaded = documents.upload(anna, case.uuid, title="Erklæring", filename="e.txt",
                                data=data)
    documents.mark_wrongly_filed(anna, uploaded.uuid, "  Handler om en anden borger. ")

    document = Document.objects.get(pk=uploaded.pk)
    assert document.wrongly_filed
    assert document.wrongly_filed_reason == "Handler om en anden borger."
    assert documents.download(anna, uploaded.uuid)[1] == data  # the file is kept
    assert documents.documents_of(anna, case) == [document]
    assert not SearchEntry.objects.filter(object_uuid=uploaded.uuid).exists()
    assert search.search(anna, "erklæring") == []
    change = Change.objects.get(action="cases.document.marked_wrongly_filed")
    assert change.before == {"wrongly_filed": False}
    assert change.after["wrongly_filed_reason"] == "Handler om en anden borger."
    assert OutboxEvent.objects.filter(type="cases.document.marked_wrongly_filed").count() == 1


def test_marking_needs_a_reason_and_a_right_and_happens_once(anna, carl, case) -> None:
    uploaded = documents.upload(anna, case.uuid, title="Bilag", filename="b.txt", data=b"b")
    error = refused("document.reason_required",
                    lambda: documents.mark_wrongly_filed(anna, uploaded.uuid, "  "))
    assert error.field == "reason"
    refused("document.reason_too_long",
            lambda: documents.mark_wrongly_filed(anna, uploaded.uuid, "x" * 1001))
    refused("access.denied",
            lambda: documents.mark_wrongly_filed(carl, uploaded.uuid, "Forkert sag."))
    documents.mark_wrongly_filed(anna, uploaded.uuid, "Forkert sag.")
    refused("document.already_wrongly_filed",
            lambda: documents.mark_wrongly_filed(anna, uploaded.uuid, "Igen."))
