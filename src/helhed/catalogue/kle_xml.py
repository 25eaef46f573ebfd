"""Reading KL's published KLE files: the emneplan (``KLE-Emneplan``, schema
KLE-REST-Emneplan-fuld-version-1-3) and the action facets (``KLE-Handlingsfacetter``).

Pure parsing: bytes in, plain frozen dataclasses out, no database. The data migration that
loads the shipped subset calls :func:`parse_plan` too, so it must stay free of model imports.

The files come from outside, so the parser refuses any DOCTYPE or entity declaration
(no entity expansion, no external entities) and reports malformed XML in Danish.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from django.utils.translation import gettext_noop

from helhed.core.errors import InvalidInput
from helhed.people.names import fold

PLAN_ROOT = "KLE-Emneplan"
FACETS_ROOT = "KLE-Handlingsfacetter"
_NUMBER = {1: re.compile(r"^\d{2}$"), 2: re.compile(r"^\d{2}\.\d{2}$"),
           3: re.compile(r"^\d{2}\.\d{2}\.\d{2}$")}
_FACET = re.compile(r"^[A-ZÆØÅ]\d{2}$")
_DURATION = re.compile(r"^P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$")
_BLOCKS = {"p", "ul", "ol", "div", "br", "table", "tr"}


@dataclass(frozen=True)
class LegalRef:
    law: str
    paragraph: str
    accession: str
    url: str


@dataclass(frozen=True)
class Entry:
    """A main group, group or subject as the file describes it."""

    number: str
    title: str
    guidance: str
    uuid: uuid.UUID | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    changed_on: dt.date | None
    references: tuple[LegalRef, ...] = ()
    retention: str = ""
    deletion_period: str = ""
    keywords: tuple[str, ...] = ()
    facets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    published: dt.date
    main_groups: tuple[Entry, ...]
    groups: tuple[Entry, ...]
    subjects: tuple[Entry, ...]


@dataclass(frozen=True)
class Facet:
    number: str
    title: str
    category: str
    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass(frozen=True)
class FacetList:
    published: dt.date
    facets: tuple[Facet, ...]


class _Forbidden(Exception):
    pass


def _invalid(problem: str, **params: object) -> InvalidInput:
    return InvalidInput("kle.invalid", gettext_noop("KLE-filen er ugyldig: %(problem)s"),
                        params={"problem": problem % params if params else problem})


def read_tree(data: bytes) -> ET.Element:
    """The document's root element; DOCTYPE and entity declarations are refused."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()

    def forbid(*_args: Any) -> None:
        raise _Forbidden

    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid  # type: ignore[assignment]
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except _Forbidden:
        raise InvalidInput("kle.doctype", gettext_noop(
            "Filen indeholder en DOCTYPE- eller entitetserklæring. Den afvises af "
            "sikkerhedshensyn; KL's KLE-filer har ingen.")) from None
    except expat.ExpatError as exc:
        raise InvalidInput("kle.malformed", gettext_noop(
            "Filen kan ikke læses som XML (linje %(line)s, kolonne %(column)s)."),
            params={"line": exc.lineno, "column": exc.offset + 1}) from None
    return builder.close()


def root_of(data: bytes) -> tuple[str, ET.Element]:
    root = read_tree(data)
    if root.tag not in {PLAN_ROOT, FACETS_ROOT}:
        raise InvalidInput("kle.wrong_format", gettext_noop(
            "Filen er ikke en KLE-emneplan: rodelementet er %(root)s, ikke KLE-Emneplan "
            "eller KLE-Handlingsfacetter."), params={"root": root.tag[:60]})
    return root.tag, root


def parse_plan(data: bytes) -> Plan:
    kind, root = root_of(data)
    if kind != PLAN_ROOT:
        raise InvalidInput("kle.wrong_format", gettext_noop(
            "Filen er ikke en KLE-emneplan: rodelementet er %(root)s, ikke KLE-Emneplan."),
            params={"root": kind})
    return plan_from(root)


def parse(data: bytes) -> Plan | FacetList:
    """An emneplan or a facet file, whichever ``data`` is."""
    kind, root = root_of(data)
    return plan_from(root) if kind == PLAN_ROOT else facets_from(root)


# --- the emneplan -------------------------------------------------------------------------

def plan_from(root: ET.Element) -> Plan:
    published = _date(root, "UdgivelsesDato", required=True)
    assert published is not None
    mains: list[Entry] = []
    groups: list[Entry] = []
    subjects: list[Entry] = []
    for main_el in root.findall("Hovedgruppe"):
        main = _entry(main_el, "Hovedgruppe", 1, parent="")
        mains.append(main)
        for group_el in main_el.findall("Gruppe"):
            group = _entry(group_el, "Gruppe", 2, parent=main.number)
            groups.append(group)
            subjects += [_entry(e, "Emne", 3, parent=group.number)
                         for e in group_el.findall("Emne")]
    if not mains:
        raise _invalid(gettext_noop("den har ingen hovedgrupper."))
    for level, entries in (("hovedgruppe", mains), ("gruppe", groups), ("emne", subjects)):
        numbers = [e.number for e in entries]
        if len(set(numbers)) != len(numbers):
            duplicate = next(n for n in numbers if numbers.count(n) > 1)
            raise _invalid(gettext_noop("%(level)s %(number)s står der to gange."),
                           level=level, number=duplicate)
    return Plan(published, tuple(mains), tuple(groups), tuple(subjects))


def _entry(el: ET.Element, prefix: str, depth: int, parent: str) -> Entry:
    number = _text(el, f"{prefix}Nr")
    if not _NUMBER[depth].match(number) or not number.startswith(parent):
        raise _invalid(gettext_noop("%(number)r er ikke et gyldigt nummer under %(parent)s."),
                       number=number[:20], parent=parent or "emneplanen")
    title = _text(el, f"{prefix}Titel")
    if not title:
        raise _invalid(gettext_noop("%(number)s har ingen titel."), number=number)
    admin = el.find(f"{prefix}AdministrativInfo")
    extra: dict[str, Any] = {}
    if depth == 3:
        extra = _subject_details(el, number)
    return Entry(
        number=number, title=title,
        guidance=_guidance(el.find(f"{prefix}Vejledning/VejledningTekst")),
        uuid=_uuid(el, number),
        valid_from=_date(admin, "OprettetDato"),
        valid_to=_date(admin, "Historisk/UdgaaetDato"),
        changed_on=_date(admin, "RettetDato"),
        references=tuple(_reference(r) for r in el.findall(f"{prefix}RetskildeReference")),
        **extra,
    )


def _subject_details(el: ET.Element, number: str) -> dict[str, Any]:
    retention = _text(el, "BevaringJaevnfoerArkivloven")
    deletion = _text(el, "SletningJaevnfoerPersondataloven")
    if len(retention) > 4:
        raise _invalid(gettext_noop("%(number)s har en ukendt bevaringskode."), number=number)
    if deletion and not _DURATION.match(deletion):
        raise _invalid(gettext_noop("%(number)s har en sletningsfrist, der ikke er en "
                                    "ISO 8601-varighed (fx P1825D)."), number=number)
    facets = set()
    for keyword in el.findall("EmneOgHandlingsfacetStikord"):
        facet = _text(keyword, "HandlingsfacetNr")
        if not _FACET.match(facet):
            raise _invalid(gettext_noop("%(number)s nævner en ugyldig handlingsfacet."),
                           number=number)
        facets.add(facet)
    keywords = [_text(k, "Tekst") for k in el.findall("EmneStikord")]
    keywords += [_text(k, "Tekst") for k in el.findall("EmneOgHandlingsfacetStikord")]
    return {"retention": retention, "deletion_period": deletion,
            "keywords": tuple(k for k in keywords if k), "facets": tuple(sorted(facets))}


def _reference(el: ET.Element) -> LegalRef:
    return LegalRef(law=_text(el, "RetskildeTitel"), paragraph=_text(el, "ParagrafEllerKapitel"),
                    accession=_text(el, "RetsinfoAccessionsNr"), url=_text(el, "RetsinfoURL"))


# --- the action facets --------------------------------------------------------------------

def facets_from(root: ET.Element) -> FacetList:
    published = _date(root, "UdgivelsesDato", required=True)
    assert published is not None
    facets: list[Facet] = []
    for category in root.findall("HandlingsfacetKategori"):
        category_title = " ".join(
            p for p in (_text(category, "HandlingsfacetKategoriNr"),
                        _text(category, "HandlingsfacetKategoriTitel")) if p)
        for el in category.findall("Handlingsfacet"):
            number = _text(el, "HandlingsfacetNr")
            if not _FACET.match(number):
                raise _invalid(gettext_noop("%(number)r er ikke en gyldig handlingsfacet."),
                               number=number[:20])
            admin = el.find("HandlingsfacetAdministrativInfo")
            facets.append(Facet(number, _text(el, "HandlingsfacetTitel"), category_title,
                                _date(admin, "OprettetDato"),
                                _date(admin, "Historisk/UdgaaetDato")))
    if not facets:
        raise _invalid(gettext_noop("den har ingen handlingsfacetter."))
    return FacetList(published, tuple(facets))


def search_text(entry: Entry) -> str:
    """What a text search matches: the number, the title and the keywords, folded."""
    return " ".join([entry.number, fold(entry.title), *(fold(k) for k in entry.keywords)])


# --- small readers ------------------------------------------------------------------------

def _text(el: ET.Element | None, path: str) -> str:
    found = el.find(path) if el is not None else None
    return " ".join((found.text or "").split()) if found is not None else ""


def _date(el: ET.Element | None, path: str, required: bool = False) -> dt.date | None:
    text = _text(el, path)
    if not text:
        if required:
            raise _invalid(gettext_noop("%(field)s mangler."), field=path)
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise _invalid(gettext_noop("%(field)s er ikke en dato: %(value)r."),
                       field=path, value=text[:20]) from None


def _uuid(el: ET.Element, number: str) -> uuid.UUID | None:
    text = _text(el, "UUID")
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise _invalid(gettext_noop("%(number)s har et ugyldigt UUID."), number=number) from None


def _guidance(el: ET.Element | None) -> str:
    """KL's guidance is a little HTML (p, ul, li); kept as plain text, a line per block and
    a bullet per list item, so that no page ever renders markup from a file."""
    if el is None:
        return ""
    parts: list[str] = []

    def walk(node: ET.Element) -> None:
        parts.append("\n• " if node.tag == "li" else "\n" if node.tag in _BLOCKS else "")
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        parts.append("\n" if node.tag in _BLOCKS or node.tag == "li" else "")

    walk(el)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line and line != "•")
