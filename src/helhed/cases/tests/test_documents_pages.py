"""The document pages and the search page, through Django's test client: what a caseworker
sees and can do, and what others get."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from helhed.cases import documents, services
from helhed.cases.models import Document
from helhed.cases.tests.documents_helpers import EXE, cases_rows, open_case, pdf
from helhed.core import clock
from helhed.web.tests.helpers import assert_danish_and_labelled

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def case(anna, family):
    return open_case(anna, family.liva, "Bekymring for Liva")


@pytest.fixture
def document(anna, case):
    return documents.upload(anna, case.uuid, title="Skoleudtalelse", filename="Udtalelse æøå.pdf",
                            data=pdf("Liva trives i klassen."))


def error_next_to(html: str, field: str) -> str:
    match = re.search(rf'<span class="form-error-message" id="{field}-error"[^>]*>(.*?)</span>\s*'
                      rf'(?:<input|<textarea|<div|</fieldset|<span)', html, re.S)
    assert match, f"no error next to {field}"
    return re.sub(r"<[^>]+>", "", match.group(1))


# --- upload -------------------------------------------------------------------------------

def test_the_upload_form_is_danish_and_labelled(anna, case) -> None:
    response = client_for(anna).get(reverse("document-upload", args=[case.uuid]))
    assert response.status_code == 200
    assert_danish_and_labelled(response)
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html and "20 MB" in html
    assert case.number in html


def test_uploading_adds_the_document_and_returns_to_the_case(anna, case) -> None:
    upload = SimpleUploadedFile("udtalelse.pdf", pdf("Trivsel"), content_type="text/html")
    response = client_for(anna).post(reverse("document-upload", args=[case.uuid]), {
        "title": "Skoleudtalelse", "citizen_display": "skjult", "file": upload})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/sager/{case.uuid}/#dokumenter")
    document = Document.objects.get(case=case)
    # The browser's content type is ignored: the content decides.
    assert (document.title, document.content_type, document.citizen_display) == (
        "Skoleudtalelse", "application/pdf", "skjult")


def test_a_program_renamed_to_pdf_is_refused_next_to_the_file_field(anna, case) -> None:
    before = cases_rows()
    upload = SimpleUploadedFile("rapport.pdf", EXE, content_type="application/pdf")
    response = client_for(anna).post(reverse("document-upload", args=[case.uuid]), {
        "title": "Rapport", "citizen_display": "metadata", "file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Filtypen er ikke tilladt" in error_next_to(html, "file")
    assert 'value="Rapport"' in html  # what was typed is kept
    assert cases_rows() == before


def test_a_missing_title_and_a_missing_file_are_shown_next_to_their_fields(anna, case) -> None:
    url = reverse("document-upload", args=[case.uuid])
    response = client_for(anna).post(url, {"title": "", "file": SimpleUploadedFile(
        "a.pdf", pdf("x"))})
    assert response.status_code == 400
    assert "Skriv en titel" in error_next_to(response.content.decode(), "title")
    response = client_for(anna).post(url, {"title": "Bilag"})
    assert response.status_code == 400
    assert "Filen er tom" in error_next_to(response.content.decode(), "file")


def test_a_too_large_file_is_refused_with_the_limit(anna, case, settings) -> None:
    settings.HELHED_MAX_UPLOAD_BYTES = 1024
    before = cases_rows()
    response = client_for(anna).post(reverse("document-upload", args=[case.uuid]), {
        "title": "Stor", "file": SimpleUploadedFile("stor.txt", b"a" * 5000)})
    assert response.status_code == 400
    assert "højst fylde 0 MB" not in response.content.decode()
    assert "Filen er for stor" in error_next_to(response.content.decode(), "file")
    assert cases_rows() == before


@pytest.mark.parametrize("persona", ["carl", "gustav", "outsider"])
def test_others_cannot_open_or_post_the_upload_form(persona, request, case) -> None:
    client = client_for(request.getfixturevalue(persona))
    url = reverse("document-upload", args=[case.uuid])
    before = cases_rows()
    assert client.get(url).status_code == 403
    response = client.post(url, {"title": "Bilag", "file": SimpleUploadedFile("a.pdf",
                                                                               pdf("x"))})
    assert response.status_code == 403
    assert cases_rows() == before


def test_anonymous_is_sent_to_login(case, document) -> None:
    client = client_for(None)
    for url in (reverse("document-upload", args=[case.uuid]),
                reverse("document-download", args=[document.uuid]),
                reverse("document-wrongly-filed", args=[document.uuid]),
                reverse("case-search") + "?q=trivsel"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_an_unknown_case_is_a_404(anna) -> None:
    response = client_for(anna).get(reverse(
        "document-upload", args=["00000000-0000-0000-0000-000000000000"]))
    assert response.status_code == 404


# --- download -----------------------------------------------------------------------------

def test_the_file_is_downloaded_as_an_attachment_of_its_stored_type(anna, document) -> None:
    response = client_for(anna).get(reverse("document-download", args=[document.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Udtalelse%20%C3%A6%C3%B8%C3%A5.pdf" in disposition
    assert response.content.startswith(b"%PDF-")


def test_another_department_cannot_download(carl, document) -> None:
    response = client_for(carl).get(reverse("document-download", args=[document.uuid]))
    assert response.status_code == 403
    assert b"%PDF" not in response.content


# --- wrongly filed and the case page ------------------------------------------------------

def test_marking_as_wrongly_filed_needs_a_reason_shown_next_to_the_field(anna,
                                                                        document) -> None:
    url = reverse("document-wrongly-filed", args=[document.uuid])
    response = client_for(anna).get(url)
    assert response.status_code == 200
    assert_danish_and_labelled(response)
    response = client_for(anna).post(url, {"reason": " "})
    assert response.status_code == 400
    assert "Skriv hvorfor" in error_next_to(response.content.decode(), "reason")
    document.refresh_from_db()
    assert not document.wrongly_filed


def test_the_case_page_shows_a_wrongly_filed_document_struck_through(anna, case,
                                                                     document) -> None:
    client = client_for(anna)
    response = client.post(reverse("document-wrongly-filed", args=[document.uuid]),
                           {"reason": "Handler om en anden borger."})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "<del>Skoleudtalelse</del>" in page
    assert "Fejlarkiveret" in page and "Handler om en anden borger." in page
    assert reverse("document-download", args=[document.uuid]) in page  # still there


def test_the_case_page_lists_documents_with_links(anna, case, document) -> None:
    page = client_for(anna).get(reverse("case-detail", args=[case.uuid])).content.decode()
    assert 'id="dokumenter"' in page and "Skoleudtalelse" in page
    assert reverse("document-download", args=[document.uuid]) in page
    assert reverse("document-upload", args=[case.uuid]) in page
    assert reverse("document-wrongly-filed", args=[document.uuid]) in page


def test_others_cannot_mark_a_document(carl, document) -> None:
    response = client_for(carl).post(reverse("document-wrongly-filed", args=[document.uuid]),
                                     {"reason": "Forkert."})
    assert response.status_code == 403
    document.refresh_from_db()
    assert not document.wrongly_filed


# --- search -------------------------------------------------------------------------------

def test_the_search_page_lists_hits_with_snippets_and_links(anna, case, document) -> None:
    services.add_journal_entry(anna, case.uuid, kind="notat", occurred_on=clock.today(),
                               title="Samtale", text="Liva fortalte, at hun trives <godt>.")
    response = client_for(anna).get(reverse("case-search"), {"q": "trives"})
    assert response.status_code == 200
    assert_danish_and_labelled(response)
    html = response.content.decode()
    assert "2 resultater" in html
    assert "<mark>trives</mark>" in html and "<godt>" not in html
    assert reverse("document-download", args=[document.uuid]) in html
    assert reverse("case-detail", args=[case.uuid]) in html


def test_the_search_page_within_a_case(anna, case, document, family) -> None:
    other = open_case(anna, family.noah, "Bekymring for Noah")
    documents.upload(anna, other.uuid, title="Noahs udtalelse", filename="n.pdf",
                     data=pdf("Noah trives."))
    response = client_for(anna).get(reverse("case-search"), {"q": "trives", "sag": case.uuid})
    html = response.content.decode()
    assert "Skoleudtalelse" in html and "Noahs udtalelse" not in html
    assert "1 resultat" in html and case.number in html


def test_a_too_short_query_is_shown_next_to_the_field(anna) -> None:
    response = client_for(anna).get(reverse("case-search"), {"q": "a"})
    assert response.status_code == 400
    assert "mindst 2 tegn" in error_next_to(response.content.decode(), "q")


def test_another_department_finds_nothing_in_the_case(carl, document) -> None:
    response = client_for(carl).get(reverse("case-search"), {"q": "trives"})
    assert response.status_code == 200
    assert "Skoleudtalelse" not in response.content.decode()
    assert "0 resultater" in response.content.decode()


def test_the_documents_part_reads_the_same_number_of_queries_for_many_documents(
        anna, case) -> None:
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            listed = documents.documents_of(anna, case)
            render_to_string("cases/case_detail--documents.html",
                             {"case": case, "documents": listed})
        return len(captured)

    documents.upload(anna, case.uuid, title="Første", filename="a.txt", data=b"a")
    one = queries()
    for number in range(5):
        documents.upload(anna, case.uuid, title=f"Bilag {number}", filename="b.txt",
                         data=b"b")
    assert queries() == one
