"""API routes for the catalogue: KLE, legal bases with deadlines, the data needs, the
intervention catalogue.

Read-only; any member of staff may read. Every read goes through ``services``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from helhed.catalogue import ffb, interventions, kle, services
from helhed.catalogue.models import (
    DataNeed,
    FormerParagraph,
    InterventionType,
    KleLegalReference,
    LegalBasis,
)
from helhed.core import clock

router = Router(tags=["Kataloger"])


class KleRef(Schema):
    level: str
    number: str
    title: str
    expired: bool

    @staticmethod
    def of(node: kle.KleNode) -> KleRef:
        return KleRef(level=node.level, number=node.number, title=node.title,
                      expired=node.expired)


class LegalReferenceOut(Schema):
    law: str
    paragraph: str
    url: str

    @staticmethod
    def of(ref: KleLegalReference) -> LegalReferenceOut:
        return LegalReferenceOut(law=ref.law, paragraph=ref.paragraph, url=ref.url)


class KleOut(KleRef):
    guidance: str
    uuid: uuid.UUID | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    retention: str
    deletion_period: str
    facets: list[str]
    references: list[LegalReferenceOut]
    parents: list[KleRef]
    children: list[KleRef]


class DeadlineOut(Schema):
    kind: str
    amount: int
    unit: str
    description: str


class LegalBasisOut(Schema):
    code: str
    law: str
    law_short: str
    paragraph: str
    title: str
    description: str
    url: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    kle_numbers: list[str]
    deadlines: list[DeadlineOut]

    @staticmethod
    def of(basis: LegalBasis) -> LegalBasisOut:
        return LegalBasisOut(
            code=basis.code, law=basis.law, law_short=basis.law_short,
            paragraph=basis.paragraph, title=basis.title, description=basis.description,
            url=basis.url, valid_from=basis.valid_from, valid_to=basis.valid_to,
            kle_numbers=basis.kle_list,
            deadlines=[DeadlineOut(kind=d.kind, amount=d.amount, unit=d.unit,
                                   description=d.description)
                       for d in services.deadlines_of(basis)])


class FormerParagraphOut(Schema):
    former: str
    former_title: str
    current: str
    legal_basis: str | None
    certain: bool
    note: str

    @staticmethod
    def of(row: FormerParagraph) -> FormerParagraphOut:
        return FormerParagraphOut(
            former=f"{row.former_law} {row.former_paragraph}", former_title=row.former_title,
            current=row.current, legal_basis=row.legal_basis.code if row.legal_basis else None,
            certain=row.certain, note=row.note)


class MinutesOut(Schema):
    identification: int
    request: int
    delivery: int
    documentation: int
    total: int


class DataNeedOut(Schema):
    paragraph: str
    number: int
    title: str
    purpose: str
    phases: list[str]
    needed_by: str
    provided_by: str
    source: str
    collection_form: str
    structure: str
    access_need: str
    history: str
    volume: str
    importance: str
    availability: str
    minutes: MinutesOut

    @staticmethod
    def of(need: DataNeed) -> DataNeedOut:
        return DataNeedOut(
            paragraph=need.paragraph, number=need.number, title=need.title,
            purpose=need.purpose, phases=need.phases, needed_by=need.needed_by,
            provided_by=need.provided_by, source=need.source,
            collection_form=need.collection_form, structure=need.structure,
            access_need=need.access_need, history=need.history, volume=need.volume,
            importance=need.importance, availability=need.availability,
            minutes=MinutesOut(identification=need.minutes_identification,
                               request=need.minutes_request, delivery=need.minutes_delivery,
                               documentation=need.minutes_documentation,
                               total=need.minutes_total))


class MinuteSumOut(MinutesOut):
    paragraph: str
    phase: str
    needs: int


def _parents(node: kle.KleNode) -> list[KleRef]:
    chain: list[KleRef] = []
    group = getattr(node, "group", None)
    if group is not None:
        chain.append(KleRef.of(group))
    main = getattr(group or node, "main_group", None)
    if main is not None:
        chain.insert(0, KleRef.of(main))
    return chain


@router.get("/kle", response=list[KleRef], summary="Søg i KLE-emner")
def search_kle(request: HttpRequest, q: str, include_expired: bool = False) -> list[KleRef]:
    return [KleRef.of(s) for s in services.search_kle(request.user, q, include_expired)]


@router.get("/kle/{number}", response=KleOut, summary="Et KLE-nummer (hovedgruppe, gruppe, emne)")
def kle_entry(request: HttpRequest, number: str) -> KleOut:
    node = services.kle_entry(request.user, number)
    facets, references = services.kle_subject_details(node)
    return KleOut(
        **KleRef.of(node).model_dump(), guidance=node.guidance, uuid=node.uuid,
        valid_from=node.valid_from, valid_to=node.valid_to,
        retention=getattr(node, "retention", ""),
        deletion_period=getattr(node, "deletion_period", ""), facets=facets,
        references=[LegalReferenceOut.of(r) for r in references],
        parents=_parents(node),
        children=[KleRef.of(c) for c in services.kle_children(node)])


@router.get("/legal-bases", response=list[LegalBasisOut], summary="Hjemler med frister")
def legal_bases(request: HttpRequest) -> list[LegalBasisOut]:
    return [LegalBasisOut.of(b) for b in services.legal_bases(request.user)]


@router.get("/legal-bases/{code}", response=LegalBasisOut, summary="En hjemmel med frister")
def legal_basis(request: HttpRequest, code: str) -> LegalBasisOut:
    return LegalBasisOut.of(services.legal_basis(request.user, code))


@router.get("/former-paragraphs", response=list[FormerParagraphOut],
            summary="Paragraffer før 2024 og hvor de står i dag")
def former_paragraphs(request: HttpRequest) -> list[FormerParagraphOut]:
    return [FormerParagraphOut.of(r) for r in services.former_paragraphs(request.user)]


@router.get("/data-needs", response=list[DataNeedOut], summary="De 43 databehov")
def data_needs(request: HttpRequest, paragraph: str | None = None) -> list[DataNeedOut]:
    return [DataNeedOut.of(n) for n in services.data_needs(request.user, paragraph)]


@router.get("/data-needs/minutes", response=list[MinuteSumOut],
            summary="Minutter til indhentning pr. paragraf og fase")
def data_need_minutes(request: HttpRequest, paragraph: str | None = None) -> list[MinuteSumOut]:
    return [MinuteSumOut(**vars(s)) for s in services.data_need_minutes(request.user, paragraph)]


class FfbConceptOut(Schema):
    code: str
    name: str
    path: list[str]


class PriceOut(Schema):
    amount: Decimal
    valid_from: dt.date


class InterventionTypeOut(Schema):
    code: str
    name: str
    description: str
    ffb_concept: FfbConceptOut | None
    legal_bases: list[str]
    unit: str
    unit_label: str
    provider_types: list[str]
    departments: list[str]
    active: bool
    price: Decimal | None
    prices: list[PriceOut]

    @staticmethod
    def of(kind: InterventionType, today: dt.date) -> InterventionTypeOut:
        concept = None
        if kind.ffb_concept:
            chain = ffb.path(kind.ffb_concept)
            concept = FfbConceptOut(code=kind.ffb_concept, name=chain[-1].name,
                                    path=[c.name for c in chain])
        return InterventionTypeOut(
            code=kind.code, name=kind.name, description=kind.description,
            ffb_concept=concept, legal_bases=[b.code for b in kind.legal_bases.all()],
            unit=kind.unit, unit_label=str(kind.get_unit_display()),
            provider_types=[p.code for p in kind.provider_types.all()],
            departments=kind.department_list, active=kind.active,
            price=interventions.price_on(kind, today),
            prices=[PriceOut(amount=p.amount, valid_from=p.valid_from)
                    for p in kind.prices.all()])


@router.get("/interventions", response=list[InterventionTypeOut],
            summary="Indsatskataloget, efter hjemmel og afdeling")
def intervention_types(request: HttpRequest, legal_basis: str | None = None,
                       department: str | None = None, include_inactive: bool = False
                       ) -> list[InterventionTypeOut]:
    today = clock.today()
    return [InterventionTypeOut.of(k, today) for k in interventions.list_types(
        request.user, legal_basis, department, include_inactive)]


@router.get("/interventions/{code}", response=InterventionTypeOut, summary="En indsatstype")
def intervention_type(request: HttpRequest, code: str) -> InterventionTypeOut:
    return InterventionTypeOut.of(interventions.get_for(request.user, code), clock.today())
