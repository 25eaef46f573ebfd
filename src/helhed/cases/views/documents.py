"""Pages: adding a document to a case, fetching it, marking it as wrongly filed, and the
full-text search across journal and documents (see cases/urls.py).

The pages call ``cases.documents`` and ``cases.search`` only; every rule (door, size, type,
closed case) lives there, and its ``InvalidInput`` is shown next to the field it names.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helhed.cases import documents, filetypes, search
from helhed.cases.models import Case, Document
from helhed.core.errors import InvalidInput
from helhed.web.forms import field_errors

UPLOAD_FIELDS = {"title", "file", "citizen_display"}


def case_url(case: Case, anchor: str = "") -> str:
    """The case's page (the lead's ``case-detail``), or the search page until it exists."""
    try:
        url = reverse("case-detail", args=[case.uuid])
    except NoReverseMatch:
        return reverse("case-search") + f"?sag={case.uuid}"
    return url + (f"#{anchor}" if anchor else "")


def read_upload(upload: UploadedFile | None) -> tuple[str, bytes]:
    """The uploaded file's name and bytes, read at most one byte past the limit (enough for
    the service to refuse a file that is too large without holding all of it)."""
    if upload is None:
        return "", b""
    limit = documents.max_upload_bytes()
    data = upload.read(limit + 1)
    return upload.name or "", data


# --- upload -------------------------------------------------------------------------------

def _upload_form(request: HttpRequest, case: Case, values: dict[str, str],
                 error: InvalidInput | None = None) -> HttpResponse:
    errors, form_error = field_errors(error, UPLOAD_FIELDS)
    return render(request, "cases/documents/upload.html", {
        "case": case,
        "case_url": case_url(case, "dokumenter"),
        "values": values,
        "displays": documents.display_choices(),
        "errors": errors,
        "form_error": form_error,
        "max_mb": documents.max_upload_mb(),
        "allowed_types": _(filetypes.ALLOWED_TYPES),
    }, status=400 if error is not None else 200)


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = documents.upload_target(request.user, case_id)
    if request.method != "POST":
        return _upload_form(request, case, {"citizen_display": documents.DEFAULT_DISPLAY})
    values = {"title": request.POST.get("title", ""),
              "citizen_display": request.POST.get("citizen_display", "")}
    filename, data = read_upload(request.FILES.get("file"))
    try:
        document = documents.upload(request.user, case.uuid, title=values["title"],
                                    filename=filename, data=data,
                                    citizen_display=values["citizen_display"] or None)
    except InvalidInput as exc:
        return _upload_form(request, case, values, exc)
    messages.success(request, _("Dokumentet “%(title)s” er tilføjet sagen.")
                     % {"title": document.title}, extra_tags="dokumenter")
    return redirect(case_url(case, "dokumenter"))


# --- download -----------------------------------------------------------------------------

@require_GET
def download(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    document, data = documents.download(request.user, document_id)
    return file_response(document, data)


def file_response(document: Document, data: bytes) -> HttpResponse:
    """The file as an attachment with its stored (sniffed) type; never rendered inline and
    never re-sniffed by the browser."""
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, documents.safe_filename(document.filename) or "dokument") or "attachment"
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- wrongly filed ------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def wrongly_filed(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    document = documents.get_document(request.user, document_id)
    reason = request.POST.get("reason", "") if request.method == "POST" else ""
    error: InvalidInput | None = None
    if request.method == "POST":
        try:
            documents.mark_wrongly_filed(request.user, document.uuid, reason)
        except InvalidInput as exc:
            error = exc
        else:
            messages.success(request, _("Dokumentet “%(title)s” er markeret som "
                                        "fejlarkiveret.") % {"title": document.title},
                             extra_tags="dokumenter")
            return redirect(case_url(document.case, "dokumenter"))
    errors, form_error = field_errors(error, {"reason"})
    return render(request, "cases/documents/wrongly_filed.html", {
        "document": document,
        "case": document.case,
        "case_url": case_url(document.case, "dokumenter"),
        "reason": reason,
        "errors": errors,
        "form_error": form_error,
    }, status=400 if error is not None else 200)


# --- search -------------------------------------------------------------------------------

@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    case_key = request.GET.get("sag", "").strip()
    hits: list[search.Hit] | None = None
    error = ""
    case: Case | None = None
    if case_key:
        case = search.case_scope(request.user, case_key)
    if query:
        try:
            hits = search.search(request.user, query, case_uuid=case.uuid if case else None)
        except InvalidInput as exc:
            error = exc.localized()
    return render(request, "cases/documents/search.html", {
        "query": query,
        "case": case,
        "case_url": case_url(case) if case is not None else "",
        "hits": hits,
        "error": error,
    }, status=400 if error else 200)


urlpatterns: list[URLPattern] = [
    path("sager/<uuid:case_id>/dokumenter/ny/", upload, name="document-upload"),
    path("dokumenter/<uuid:document_id>/hent/", download, name="document-download"),
    path("dokumenter/<uuid:document_id>/fejlarkiveret/", wrongly_filed,
         name="document-wrongly-filed"),
    path("soeg/", search_page, name="case-search"),
]
