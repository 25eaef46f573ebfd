"""Files and cases for the document and search tests: real PDFs (reportlab), Word and
OpenDocument files (zip + XML), and the counts that prove a refusal saved nothing."""

from __future__ import annotations

import io
import zipfile
from typing import Any
from xml.sax.saxutils import escape

from django.apps import apps
from django.db import connection

from helhed.cases import services
from helhed.cases.models import Case
from helhed.core.models import OutboxEvent

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def open_case(actor: Any, citizen: Any, title: str = "Bekymring for barnet") -> Case:
    return services.open_case(actor, citizen.uuid, title=title, kle_numbers=["27"])


def pdf(*lines: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    y = 800
    for line in lines:
        page.drawString(72, y, line)
        y -= 20
    page.showPage()
    page.save()
    return buffer.getvalue()


def docx(*paragraphs: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    return _zip({
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.'
                               'openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w='
                             '"http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                             f"<w:body>{body}</w:body></w:document>",
    })


def odt(*paragraphs: str) -> bytes:
    body = "".join(f"<text:p>{escape(p)}</text:p>" for p in paragraphs)
    return _zip({
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                       'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
                       f"<office:body><office:text>{body}</office:text></office:body>"
                       "</office:document-content>",
    })


def plain_zip() -> bytes:
    return _zip({"notes.txt": "hej"})


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def cases_rows() -> dict[str, int]:
    """Rows in every ``cases_*`` table in the database (with the full-text index's own
    tables on SQLite), and the outbox's events."""
    tables = [t for t in connection.introspection.table_names() if t.startswith("cases_")]
    assert {m._meta.db_table for m in apps.get_app_config("cases").get_models()} <= set(tables)
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    counts["core_outboxevent"] = OutboxEvent.objects.count()
    return counts
