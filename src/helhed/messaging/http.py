"""Serving a letter's PDF so that it opens in the browser."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

# The browser's own PDF viewer (Chromium's) draws its page with inline styles and shows the
# document as an embedded object: the strict page policy would leave it blank. This policy
# allows exactly that, for the PDF answer only; nothing else may load, and no other site may
# frame it.
PDF_CONTENT_SECURITY_POLICY = ("default-src 'none'; object-src 'self'; "
                               "style-src 'unsafe-inline'; img-src 'self' data:; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'self'")


def inline_pdf(data: bytes, filename: str) -> HttpResponse:
    """The PDF, shown inline (``Content-Disposition: inline``), never cached."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (content_disposition_header(False, filename)
                                       or "inline")
    response["Content-Length"] = str(len(data))
    response["Content-Security-Policy"] = PDF_CONTENT_SECURITY_POLICY
    response["Cache-Control"] = "no-store"
    return response
