"""Documents on a case: upload, download, mark as wrongly filed, list.

An upload asks the door first (``access.write_case``, outside the transaction, so a refusal
stays in the access log), then checks the file: not empty, not above the size limit
(setting ``HELHED_MAX_UPLOAD_BYTES``, 20 MB by default), and of an allowed type judged by
its content (``filetypes.sniff``) with a name that agrees. Then the document, its file
(``DocumentContent``), its search entry and its history row and event are written in one
transaction: a refused or failed upload leaves nothing behind.

Nothing is deleted: a document filed on the wrong case is *marked* as wrongly filed, with a
reason; the file stays (and can still be fetched), the case page shows it struck through,
and it leaves the search.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_noop

from helhed.cases import access, filetypes, history, search
from helhed.cases.models import Case, CitizenDisplay, Document, DocumentContent, SearchEntry
from helhed.cases.services import CaseClosed, CaseNotFound
from helhed.core import clock
from helhed.core.errors import InvalidInput, NotFound
from helhed.sharing.policy import Actor

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_TITLE = 200
MAX_FILENAME = 200
MAX_REASON = 1000
DOCUMENT_FIELDS = ("title", "filename", "content_type", "size", "citizen_display")
TYPE_NOT_ALLOWED = gettext_noop(
    "Filtypen er ikke tilladt. Tilladte filtyper er PDF, Word, Excel og PowerPoint (docx, "
    "xlsx, pptx, doc, xls, ppt), OpenDocument (odt, ods, odp), billeder (png, jpg, gif, tif, "
    "heic) og tekst (txt).")


class DocumentNotFound(NotFound):
    code = "document.not_found"
    message = gettext_noop("Dokumentet findes ikke.")


DEFAULT_DISPLAY = CitizenDisplay.METADATA.value


def display_choices() -> list[tuple[str, str]]:
    """What the citizen may see of a document: (value, label) for a form."""
    return [(str(value), str(label)) for value, label in CitizenDisplay.choices]


def max_upload_bytes() -> int:
    return int(getattr(settings, "HELHED_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def max_upload_mb() -> str:
    """The limit in MB as people write it ("20", "2,5")."""
    mb = max_upload_bytes() / (1024 * 1024)
    text = f"{mb:.1f}" if mb >= 1 else f"{mb:.3g}"
    return text.removesuffix(".0").replace(".", ",")


# --- reading ------------------------------------------------------------------------------

def _load_case(case_uuid: uuid.UUID | str) -> Case:
    try:
        key = uuid.UUID(str(case_uuid))
    except ValueError:
        raise CaseNotFound() from None
    case = Case.objects.select_related("citizen", "department").filter(uuid=key).first()
    if case is None:
        raise CaseNotFound()
    return case


def _load(document_uuid: uuid.UUID | str) -> Document:
    try:
        key = uuid.UUID(str(document_uuid))
    except ValueError:
        raise DocumentNotFound() from None
    document = (Document.objects.select_related("case__citizen", "case__department",
                                                "uploaded_by__user")
                .defer("text").filter(uuid=key).first())
    if document is None:
        raise DocumentNotFound()
    return document


def documents_of(actor: Actor, case: Case) -> list[Document]:
    """The case's documents, newest first, wrongly filed ones included (marked)."""
    access.read_case(actor, case, detail="dokumenter")
    return list(Document.objects.filter(case=case).select_related("uploaded_by__user")
                .defer("text").order_by("-uploaded_at", "-id"))


def get_document(actor: Actor, document_uuid: uuid.UUID | str) -> Document:
    """A document's metadata (title, name, type, size, who, when), through the door."""
    document = _load(document_uuid)
    access.read_case(actor, document.case, detail="dokument")
    return document


def download(actor: Actor, document_uuid: uuid.UUID | str) -> tuple[Document, bytes]:
    """A document and its file, through the door (also a wrongly filed one)."""
    document = _load(document_uuid)
    access.read_case(actor, document.case, detail="dokument")
    content = DocumentContent.objects.filter(document=document).first()
    return document, bytes(content.data) if content is not None else b""


def upload_target(actor: Actor, case_uuid: uuid.UUID | str) -> Case:
    """The case a caseworker is about to add a document to (for the upload page)."""
    access.caseworker(actor)
    case = _load_case(case_uuid)
    access.read_case(actor, case, detail="dokumenter")
    return case


# --- checking an upload -------------------------------------------------------------------

def safe_filename(name: str) -> str:
    """The file's own name without folders, control characters or quotes, at most 200
    characters (its extension kept)."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C" and c not in '"<>|*?:')
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if len(name) > MAX_FILENAME:
        extension = filetypes.extension_of(name)
        name = name[:MAX_FILENAME - len(extension)].rstrip() + extension
    return name


def _title(title: str) -> str:
    title = re.sub(r"\s+", " ", title or "").strip()
    if not title:
        raise InvalidInput("document.title_required",
                           gettext_noop("Skriv en titel på dokumentet."), field="title")
    if len(title) > MAX_TITLE:
        raise InvalidInput("document.title_too_long", gettext_noop("Højst 200 tegn."),
                           field="title")
    return title


def _display(value: str | None) -> str:
    if not value:
        return DEFAULT_DISPLAY
    if value not in CitizenDisplay.values:
        raise InvalidInput("document.citizen_display_invalid",
                           gettext_noop("Vælg hvad borgeren må se af dokumentet."),
                           field="citizen_display")
    return value


def check_file(filename: str, data: bytes) -> tuple[str, str, filetypes.FileType]:
    """The file's safe name, stored content type and type; ``InvalidInput`` (field
    ``file``) when it is empty, too large, not an allowed type, or misnamed."""
    if not data:
        raise InvalidInput("document.empty", gettext_noop("Filen er tom. Vælg en anden fil."),
                           field="file")
    if len(data) > max_upload_bytes():
        raise InvalidInput("document.too_large",
                           gettext_noop("Filen er for stor. Den må højst fylde %(limit)s MB."),
                           field="file", params={"limit": max_upload_mb()})
    kind = filetypes.sniff(data)
    if kind is None:
        raise InvalidInput("document.type_not_allowed", TYPE_NOT_ALLOWED, field="file")
    name = safe_filename(filename)
    extension = filetypes.extension_of(name)
    if extension not in kind.names:
        raise InvalidInput(
            "document.type_mismatch",
            gettext_noop("Filnavnet passer ikke til filens indhold (%(kind)s). Navnet skal "
                         "ende på %(extensions)s."),
            field="file", params={"kind": kind.label, "extensions": kind.extensions})
    return name, kind.names[extension], kind


# --- changing -----------------------------------------------------------------------------

def upload(actor: Actor, case_uuid: uuid.UUID | str, *, title: str, filename: str,
           data: bytes, citizen_display: str | None = None) -> Document:
    """Add a document to a case. See the module's docstring for the checks."""
    case = _load_case(case_uuid)
    staff = access.write_case(actor, case, "dokument")
    if case.is_closed:
        raise CaseClosed()
    title = _title(title)
    display = _display(citizen_display)
    name, content_type, kind = check_file(filename, data)
    text = filetypes.extract_text(kind, data)
    with transaction.atomic():
        if Case.objects.select_for_update().filter(
                pk=case.pk, state=Case.State.CLOSED).exists():
            raise CaseClosed()
        document = Document.objects.create(
            case=case, title=title, filename=name, content_type=content_type,
            size=len(data), sha256=hashlib.sha256(data).hexdigest(),
            uploaded_at=clock.now(), uploaded_by=staff, text=text, citizen_display=display)
        DocumentContent.objects.create(document=document, data=data)
        search.index(SearchEntry.Kind.DOCUMENT, document.uuid, case, title, text)
        history.changed(
            actor, event="cases.document.added", object_type="document",
            object_uuid=document.uuid, citizen=case.citizen, case=case, summary=title,
            after=history.snapshot(document, DOCUMENT_FIELDS),
            payload={"content_type": content_type, "size": len(data)})
    return document


def mark_wrongly_filed(actor: Actor, document_uuid: uuid.UUID | str, reason: str) -> Document:
    """Mark a document as filed on the wrong case, with the reason. The file stays; the
    document is shown struck through and leaves the search."""
    document = _load(document_uuid)
    case = document.case
    access.write_case(actor, case, "dokument fejlarkiveret")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("document.reason_required",
                           gettext_noop("Skriv hvorfor dokumentet er fejlarkiveret."),
                           field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput("document.reason_too_long", gettext_noop("Højst 1000 tegn."),
                           field="reason")
    if document.wrongly_filed:
        raise InvalidInput("document.already_wrongly_filed",
                           gettext_noop("Dokumentet er allerede markeret som fejlarkiveret."))
    with transaction.atomic():
        document.wrongly_filed = True
        document.wrongly_filed_reason = reason
        document.save(update_fields=["wrongly_filed", "wrongly_filed_reason"])
        search.unindex(document.uuid)
        history.changed(
            actor, event="cases.document.marked_wrongly_filed", object_type="document",
            object_uuid=document.uuid, citizen=case.citizen, case=case,
            summary=document.title, before={"wrongly_filed": False},
            after={"wrongly_filed": True, "wrongly_filed_reason": reason})
    return document
