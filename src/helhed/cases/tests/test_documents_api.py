"""Documents and search through the API: upload (multipart), metadata, the file, marking
as wrongly filed, search; refusals are stable JSON errors that save nothing."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from helhed.cases import documents
from helhed.cases.models import Document
from helhed.cases.tests.documents_helpers import EXE, cases_rows, open_case, pdf
from helhed.core.models import AccessLogEntry

pytestmark = pytest.mark.django_db

API = "/api/v1/cases"


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
    return documents.upload(anna, case.uuid, title="Skoleudtalelse", filename="udtalelse.pdf",
                            data=pdf("Liva trives i klassen."))


def post_file(client: Client, case_id, name: str, data: bytes, **fields):
    body = {"title": "Skoleudtalelse", **fields,
            "file": SimpleUploadedFile(name, data, content_type="application/pdf")}
    return client.post(f"{API}/cases/{case_id}/documents", body)


def refused(response, status: int, code: str, field: str | None = "") -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"], error
    if field != "":
        assert error["field"] == field, error
    return error


def test_upload_returns_the_document(anna, case) -> None:
    data = pdf("Trivsel")
    response = post_file(client_for(anna), case.uuid, "udtalelse.pdf", data,
                         citizen_display="fuld")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case_id"] == str(case.uuid)
    assert (body["title"], body["filename"], body["content_type"], body["size"]) == (
        "Skoleudtalelse", "udtalelse.pdf", "application/pdf", len(data))
    assert body["citizen_display"] == "fuld" and body["wrongly_filed"] is False
    assert body["uploaded_by"] == "Anna Andersen"
    assert Document.objects.filter(uuid=body["id"]).exists()


@pytest.mark.parametrize(("name", "data", "status", "code"), [
    ("rapport.pdf", EXE, 422, "document.type_not_allowed"),
    ("tom.pdf", b"", 422, "document.empty"),
    ("udtalelse.docx", pdf("x"), 422, "document.type_mismatch"),
])
def test_bad_files_are_refused_and_nothing_is_saved(anna, case, name, data, status,
                                                    code) -> None:
    before = cases_rows()
    refused(post_file(client_for(anna), case.uuid, name, data), status, code, "file")
    assert cases_rows() == before


def test_a_too_large_file_is_refused(anna, case, settings) -> None:
    settings.HELHED_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    before = cases_rows()
    error = refused(post_file(client_for(anna), case.uuid, "stor.pdf",
                              b"%PDF-" + b"0" * (3 * 1024 * 1024)), 422,
                    "document.too_large", "file")
    assert "2 MB" in error["message"]
    assert cases_rows() == before


def test_a_missing_file_or_title_is_refused(anna, case) -> None:
    before = cases_rows()
    client = client_for(anna)
    refused(client.post(f"{API}/cases/{case.uuid}/documents", {"title": "Bilag"}), 422,
            "request.invalid", "file")
    refused(post_file(client, case.uuid, "a.pdf", pdf("x"), title=""), 422,
            "document.title_required", "title")
    assert cases_rows() == before


def test_an_unknown_case_is_a_404(anna) -> None:
    before = cases_rows()
    refused(post_file(client_for(anna), uuid.uuid4(), "a.pdf", pdf("x")), 404,
            "case.not_found")
    assert cases_rows() == before


@pytest.mark.parametrize(("persona", "status", "code"), [
    ("carl", 403, "access.denied"),
    ("gustav", 403, "access.denied"),
    (None, 401, "auth.required"),
])
def test_others_are_refused_everything(persona, status, code, request, case,
                                       document) -> None:
    client = client_for(request.getfixturevalue(persona) if persona else None)
    before = cases_rows()
    refused(post_file(client, case.uuid, "a.pdf", pdf("x")), status, code)
    refused(client.get(f"{API}/documents/{document.uuid}"), status, code)
    response = client.get(f"{API}/documents/{document.uuid}/content")
    refused(response, status, code)
    assert b"%PDF" not in response.content
    refused(client.post(f"{API}/documents/{document.uuid}/wrongly-filed",
                        {"reason": "Forkert."}, content_type="application/json"),
            status, code)
    assert cases_rows() == before
    if persona == "carl":
        looks = AccessLogEntry.objects.filter(actor__username="carl", allowed=False)
        assert looks.count() == 4


def test_metadata_and_content(anna, bo, document) -> None:
    for user in (anna, bo):
        client = client_for(user)
        body = client.get(f"{API}/documents/{document.uuid}").json()
        assert (body["id"], body["title"]) == (str(document.uuid), "Skoleudtalelse")
        response = client.get(f"{API}/documents/{document.uuid}/content")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response.content.startswith(b"%PDF-")


def test_an_unknown_document_is_a_404(anna) -> None:
    refused(client_for(anna).get(f"{API}/documents/{uuid.uuid4()}"), 404,
            "document.not_found")


def test_marking_as_wrongly_filed(anna, document) -> None:
    client = client_for(anna)
    url = f"{API}/documents/{document.uuid}/wrongly-filed"
    before = cases_rows()
    refused(client.post(url, {"reason": ""}, content_type="application/json"), 422,
            "document.reason_required", "reason")
    refused(client.post(url, {}, content_type="application/json"), 422, "request.invalid",
            "reason")
    assert cases_rows() == before
    response = client.post(url, {"reason": "Forkert sag."}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["wrongly_filed"] is True
    assert response.json()["wrongly_filed_reason"] == "Forkert sag."
    refused(client.post(url, {"reason": "Igen."}, content_type="application/json"), 422,
            "document.already_wrongly_filed")


def test_search(anna, carl, case, document) -> None:
    response = client_for(anna).get(f"{API}/search", {"q": "trives"})
    assert response.status_code == 200
    [hit] = response.json()
    assert (hit["kind"], hit["id"], hit["case_id"], hit["case_number"]) == (
        "dokument", str(document.uuid), str(case.uuid), case.number)
    assert "<mark>trives</mark>" in hit["snippet"]
    assert client_for(carl).get(f"{API}/search", {"q": "trives"}).json() == []
    response = client_for(anna).get(f"{API}/search", {"q": "trives", "case": str(case.uuid)})
    assert len(response.json()) == 1


def test_search_refusals(anna, carl, gustav, case) -> None:
    refused(client_for(anna).get(f"{API}/search", {"q": "a"}), 422, "search.too_short", "q")
    refused(client_for(anna).get(f"{API}/search", {"q": "x" * 101}), 422, "search.too_long",
            "q")
    assert client_for(anna).get(f"{API}/search", {"q": '"AND OR ('}).status_code == 200
    refused(client_for(anna).get(f"{API}/search"), 422, "request.invalid", "q")
    refused(client_for(anna).get(f"{API}/search", {"q": "trives", "case": str(uuid.uuid4())}),
            404, "case.not_found")
    refused(client_for(carl).get(f"{API}/search", {"q": "trives", "case": str(case.uuid)}),
            403, "access.denied")
    refused(client_for(gustav).get(f"{API}/search", {"q": "trives"}), 403, "access.denied")
    refused(client_for(None).get(f"{API}/search", {"q": "trives"}), 401, "auth.required")
