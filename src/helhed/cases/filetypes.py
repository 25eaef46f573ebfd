"""What an uploaded file really is, and the text in it for search.

The type is decided by the file's *content* (magic bytes, and for zip containers the parts
inside), never by its name or the browser's content type; the name's extension must then
agree with what the content is. Anything not on the list (programs, scripts, web pages,
SVG, plain zip files, macro-enabled Office files …) is refused.

Text extraction never fails: a file whose text cannot be read yields ``""`` and is still
stored (it is then found by its title only).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree import ElementTree

from django.utils.translation import gettext_noop

logger = logging.getLogger(__name__)

# How much text a document contributes to the search index. PostgreSQL refuses a
# tsvector above 1 MB; 300,000 characters stay well below that even for unusual text.
MAX_TEXT = 300_000
MAX_PDF_PAGES = 1000
MAX_XML_PART = 50 * 1024 * 1024  # uncompressed bytes of one XML part we read
# Characters that must not reach the database or the index: NUL (PostgreSQL text cannot
# hold it) and the two private-use characters search.py uses to mark hits in snippets.
_UNWANTED = dict.fromkeys(map(ord, "\x00\ue000\ue001"), None)

ALLOWED_TYPES = gettext_noop(
    "Tilladte filtyper er PDF, Word, Excel og PowerPoint (docx, xlsx, pptx, doc, xls, ppt), "
    "OpenDocument (odt, ods, odp), billeder (png, jpg, gif, tif, heic) og tekst (txt).")


@dataclass(frozen=True)
class FileType:
    """One kind of content and the names (extension → stored content type) it may have."""

    code: str
    label: str  # Danish, for messages ("PDF", "Word-dokument")
    names: dict[str, str]
    extract: Callable[[bytes], str] | None = None

    @property
    def extensions(self) -> str:
        return ", ".join(sorted(self.names))


def clean_text(text: str) -> str:
    """Text fit for the database and the index: no NUL or marker characters, capped."""
    return text.translate(_UNWANTED)[:MAX_TEXT]


# --- text extraction ----------------------------------------------------------------------

def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    parts: list[str] = []
    size = 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES or size > MAX_TEXT:
            break
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
    return "\n".join(parts)


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    """A part of an Office file, parsed; ``None`` if absent, too large or with a DOCTYPE
    (Office files never have one; entity tricks need one)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_XML_PART:
        return None
    raw = archive.read(info)
    if re.search(rb"<!(DOCTYPE|ENTITY)", raw, re.IGNORECASE):
        return None
    return ElementTree.fromstring(raw)  # noqa: S314 - no DOCTYPE, size-capped (above)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _paragraphs(root: ElementTree.Element, paragraph: set[str], text: set[str]) -> list[str]:
    """The text of every paragraph element: the text of its ``text`` elements (Office Open
    XML's ``w:t``/``a:t``) or, with an empty ``text`` set, all text below it (ODF)."""
    out: list[str] = []
    for element in root.iter():
        if _local(element.tag) not in paragraph:
            continue
        if text:
            pieces = [e.text or "" for e in element.iter() if _local(e.tag) in text]
        else:
            pieces = list(element.itertext())
        line = "".join(pieces).strip()
        if line:
            out.append(line)
    return out


def _ooxml_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        parts = ["word/document.xml", "xl/sharedStrings.xml",
                 *sorted(n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n))]
        lines: list[str] = []
        for name in parts:
            root = _xml(archive, name)
            if root is not None:
                lines += _paragraphs(root, {"p", "si"}, {"t"})
    return "\n".join(lines)


def _odf_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = _xml(archive, "content.xml")
    return "\n".join(_paragraphs(root, {"p", "h"}, set())) if root is not None else ""


def _plain_text(data: bytes) -> str:
    return data.decode("utf-8-sig")


def extract_text(kind: FileType, data: bytes) -> str:
    """The searchable text of a file of this type; ``""`` for images and on any failure."""
    if kind.extract is None:
        return ""
    try:
        return clean_text(kind.extract(data))
    except Exception:  # noqa: BLE001 - a broken file is still stored, just not searchable
        logger.info("no text extracted from a %s file", kind.code, exc_info=True)
        return ""


# --- the types ----------------------------------------------------------------------------

OOXML = "application/vnd.openxmlformats-officedocument."
ODF = "application/vnd.oasis.opendocument."

PDF = FileType("pdf", gettext_noop("PDF-fil"), {".pdf": "application/pdf"}, _pdf_text)
PNG = FileType("png", gettext_noop("PNG-billede"), {".png": "image/png"})
JPEG = FileType("jpeg", gettext_noop("JPEG-billede"),
                {".jpg": "image/jpeg", ".jpeg": "image/jpeg"})
GIF = FileType("gif", gettext_noop("GIF-billede"), {".gif": "image/gif"})
TIFF = FileType("tiff", gettext_noop("TIFF-billede"), {".tif": "image/tiff", ".tiff": "image/tiff"})
HEIC = FileType("heic", gettext_noop("HEIC-billede"),
                {".heic": "image/heic", ".heif": "image/heif"})
DOCX = FileType("docx", gettext_noop("Word-dokument"),
                {".docx": OOXML + "wordprocessingml.document"}, _ooxml_text)
XLSX = FileType("xlsx", gettext_noop("Excel-regneark"),
                {".xlsx": OOXML + "spreadsheetml.sheet"}, _ooxml_text)
PPTX = FileType("pptx", gettext_noop("PowerPoint-præsentation"),
                {".pptx": OOXML + "presentationml.presentation"}, _ooxml_text)
ODT = FileType("odt", gettext_noop("OpenDocument-tekst"), {".odt": ODF + "text"}, _odf_text)
ODS = FileType("ods", gettext_noop("OpenDocument-regneark"), {".ods": ODF + "spreadsheet"},
               _odf_text)
ODP = FileType("odp", gettext_noop("OpenDocument-præsentation"),
               {".odp": ODF + "presentation"}, _odf_text)
LEGACY_OFFICE = FileType("ole2", gettext_noop("ældre Office-dokument"), {
    ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint"})
TEXT = FileType("txt", gettext_noop("tekstfil"), {".txt": "text/plain; charset=utf-8"},
                _plain_text)

_ODF_TYPES = {ODF + "text": ODT, ODF + "spreadsheet": ODS, ODF + "presentation": ODP}
_OOXML_FOLDERS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# Text that is really a web page, an SVG image or a script is not "plain text".
_MARKUP = re.compile(r"\s*<(!doctype|html|svg|\?xml|script|head|body|iframe)\b", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _zip_type(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return None  # macros
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size > 200:
                    return None
                return _ODF_TYPES.get(archive.read(info).decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                for folder, kind in _OOXML_FOLDERS.items():
                    if any(n.startswith(folder) for n in names):
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return None
    return None


def _text_type(data: bytes) -> FileType | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text) or _MARKUP.match(text):
        return None
    return TEXT


def sniff(data: bytes) -> FileType | None:
    """The type the content shows, or ``None`` when it is not an allowed type."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return HEIC
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return LEGACY_OFFICE
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    return _text_type(data)


def extension_of(filename: str) -> str:
    """The lower-case extension with its dot (``".pdf"``), or ``""``."""
    match = re.search(r"(\.[A-Za-z0-9]{1,8})$", filename)
    return match.group(1).lower() if match else ""
