"""API routes: documents and the full-text search across journal and documents (mounted
under /api/v1/cases/ by cases/api/__init__.py).

Each route calls ``cases.documents`` or ``cases.search``; every rule (door, size, type,
closed case, query length) lives there, with its stable code.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict, Field

from helhed.cases import documents, search
from helhed.cases.models import Document
from helhed.cases.views.documents import file_response, read_upload

router = Router(tags=["Dokumenter og søgning"])


class DocumentOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    title: str
    filename: str
    content_type: str = Field(description="Filtypen, som indholdet viser (ikke browserens bud)")
    size: int = Field(description="Størrelse i bytes")
    sha256: str
    uploaded_at: dt.datetime
    uploaded_by: str
    citizen_display: str
    wrongly_filed: bool
    wrongly_filed_reason: str

    @staticmethod
    def of(d: Document) -> DocumentOut:
        return DocumentOut(
            id=d.uuid, case_id=d.case.uuid, title=d.title, filename=d.filename,
            content_type=d.content_type, size=d.size, sha256=d.sha256,
            uploaded_at=d.uploaded_at, uploaded_by=str(d.uploaded_by),
            citizen_display=d.citizen_display, wrongly_filed=d.wrongly_filed,
            wrongly_filed_reason=d.wrongly_filed_reason)


class WronglyFiledIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(description="Hvorfor dokumentet er fejlarkiveret (påkrævet)")


class HitOut(Schema):
    kind: str = Field(description="journal eller dokument")
    id: uuid.UUID = Field(description="Journalnotatets eller dokumentets id")
    case_id: uuid.UUID
    case_number: str
    case_title: str
    citizen_name: str
    title: str
    snippet: str = Field(description="HTML-escaped uddrag med <mark> om de fundne ord")
    rank: float


@router.post("/cases/{case_id}/documents", response={201: DocumentOut},
             summary="Tilføj et dokument til en sag (multipart)")
def upload_document(request: HttpRequest, case_id: uuid.UUID, file: File[UploadedFile],
                    title: Form[str] = "", citizen_display: Form[str] = "",
                    ) -> Status[DocumentOut]:
    filename, data = read_upload(file)
    document = documents.upload(request.user, case_id, title=title, filename=filename,
                                data=data, citizen_display=citizen_display or None)
    return Status(201, DocumentOut.of(document))


@router.get("/documents/{document_id}", response=DocumentOut, summary="Et dokuments metadata")
def get_document(request: HttpRequest, document_id: uuid.UUID) -> DocumentOut:
    return DocumentOut.of(documents.get_document(request.user, document_id))


@router.get("/documents/{document_id}/content", summary="Selve filen (som vedhæftning)",
            response={200: None})
def get_document_content(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    document, data = documents.download(request.user, document_id)
    return file_response(document, data)


@router.post("/documents/{document_id}/wrongly-filed", response=DocumentOut,
             summary="Markér et dokument som fejlarkiveret")
def mark_wrongly_filed(request: HttpRequest, document_id: uuid.UUID,
                       payload: WronglyFiledIn) -> DocumentOut:
    return DocumentOut.of(documents.mark_wrongly_filed(request.user, document_id,
                                                       payload.reason))


@router.get("/search", response=list[HitOut],
            summary="Fritekstsøgning i journal og dokumenter på sager, du har adgang til")
def search_cases(request: HttpRequest, q: str,
                 case: uuid.UUID | None = None) -> list[HitOut]:
    hits = search.search(request.user, q, case_uuid=case)
    return [HitOut(kind=h.kind, id=h.object_uuid, case_id=h.case_uuid,
                   case_number=h.case_number, case_title=h.case_title,
                   citizen_name=h.citizen_name, title=h.title, snippet=str(h.snippet),
                   rank=h.rank) for h in hits]
