"""Reading the catalogue. Catalogue data is not personal data, so no policy-door call; but
only staff (not anonymous users, not citizens, not logins without a staff record) read it,
and the API and pages read it only through these functions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from helhed.catalogue import kle
from helhed.catalogue.models import (
    DataNeed,
    Deadline,
    FormerParagraph,
    KleLegalReference,
    KleSubject,
    LegalBasis,
)
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.organisation.services import staff_of
from helhed.people.names import tokens

if TYPE_CHECKING:
    from helhed.sharing.policy import Actor

SEARCH_LIMIT = 50
MINUTE_PARTS = ("identification", "request", "delivery", "documentation", "total")


def _require_staff(actor: Actor) -> None:
    if staff_of(actor) is None:
        raise AccessDenied(message=gettext_noop("Kun medarbejdere kan se kataloget."))


# --- KLE ----------------------------------------------------------------------------------

def kle_entry(actor: Actor, number: str) -> kle.KleNode:
    _require_staff(actor)
    return kle.resolve(number)


def kle_children(node: kle.KleNode) -> list[kle.KleNode]:
    if hasattr(node, "groups"):
        return list(node.groups.all())
    if hasattr(node, "subjects"):
        return list(node.subjects.all())
    return []


def kle_subject_details(node: kle.KleNode) -> tuple[list[str], list[KleLegalReference]]:
    """The subject's (or group's) facet numbers and legal references."""
    facets = [f.number for f in node.facets.all()] if isinstance(node, KleSubject) else []
    references = list(node.references.all()) if hasattr(node, "references") else []
    return facets, references


def search_kle(actor: Actor, query: str, include_expired: bool = False) -> list[KleSubject]:
    """Subjects whose number starts with ``query``, or whose title or keywords hold every
    word of it, folded ("boernefaglig" finds "Børnefaglig")."""
    _require_staff(actor)
    text = (query or "").strip()
    if len(text) < 2:
        raise InvalidInput("search.too_short", gettext_noop("Skriv mindst to tegn."), field="q")
    if len(text) > 100:
        raise InvalidInput("search.too_long", gettext_noop("Skriv højst 100 tegn."), field="q")
    subjects = KleSubject.objects.all()
    if all(c.isdigit() or c == "." for c in text):
        subjects = subjects.filter(number__startswith=text)
    else:
        words = tokens(text)
        if not words:
            raise InvalidInput("search.no_words", gettext_noop("Skriv et ord at søge efter."),
                               field="q")
        for word in words:
            subjects = subjects.filter(search_text__contains=word)
    if not include_expired:
        subjects = subjects.filter(valid_to__isnull=True)
    return list(subjects.order_by("number")[:SEARCH_LIMIT])


# --- legal bases --------------------------------------------------------------------------

def legal_bases(actor: Actor) -> QuerySet[LegalBasis]:
    _require_staff(actor)
    return LegalBasis.objects.prefetch_related("deadlines")


def legal_basis(actor: Actor, code: str) -> LegalBasis:
    found = legal_bases(actor).filter(code=code).first()
    if found is None:
        raise NotFound("legal_basis.not_found", gettext_noop("Hjemlen findes ikke."))
    return found


def deadlines_of(basis: LegalBasis) -> list[Deadline]:
    """The deadlines the law attaches to a basis (prefetched by ``legal_bases``)."""
    return list(basis.deadlines.all())


def former_paragraphs(actor: Actor) -> QuerySet[FormerParagraph]:
    _require_staff(actor)
    return FormerParagraph.objects.select_related("legal_basis")


def current_for(former: str) -> FormerParagraph | None:
    """Where a pre-2024 citation such as "SEL § 50" stands today (None: not mapped)."""
    law, _, paragraph = (former or "").strip().partition(" ")
    return (FormerParagraph.objects.select_related("legal_basis")
            .filter(former_law=law, former_paragraph=paragraph.strip()).first())


# --- data needs ---------------------------------------------------------------------------

def data_needs(actor: Actor, paragraph: str | None = None) -> QuerySet[DataNeed]:
    _require_staff(actor)
    needs = DataNeed.objects.all()
    return needs.filter(paragraph=paragraph) if paragraph else needs


@dataclass(frozen=True)
class MinuteSum:
    paragraph: str
    phase: str
    needs: int
    identification: int
    request: int
    delivery: int
    documentation: int
    total: int


def minutes_per_phase(paragraph: str | None = None) -> list[MinuteSum]:
    """Minutes spent collecting data today, summed per paragraph and case phase.

    A need used in several phases counts in each of them (its minutes are spent in whichever
    phase collects it first), so the phases of one paragraph do not add up to the
    paragraph's total; :func:`minutes_per_paragraph` counts each need once.
    """
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * 6)
    needs = DataNeed.objects.filter(paragraph=paragraph) if paragraph else DataNeed.objects.all()
    order = {p.value: i for i, p in enumerate(DataNeed.Phase)}
    for need in needs:
        for phase in need.phases:
            row = sums[(need.paragraph, phase)]
            row[0] += 1
            for i, part in enumerate(MINUTE_PARTS, start=1):
                row[i] += getattr(need, f"minutes_{part}")
    keys = sorted(sums, key=lambda k: (k[0], order.get(k[1], 99), k[1]))
    return [MinuteSum(k[0], k[1], *sums[k]) for k in keys]


def data_need_minutes(actor: Actor, paragraph: str | None = None) -> list[MinuteSum]:
    _require_staff(actor)
    return minutes_per_phase(paragraph)


def minutes_per_paragraph() -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for paragraph, minutes in DataNeed.objects.values_list("paragraph", "minutes_total"):
        totals[paragraph] += minutes
    return dict(totals)
