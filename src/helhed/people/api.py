"""API routes for citizens. Each calls a door in ``services``; none reads the ORM itself."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Router, Schema

from helhed.people import services
from helhed.people.models import Address, Citizen

router = Router(tags=["Borgere"])


class AddressOut(Schema):
    id: uuid.UUID
    text: str
    postcode: str
    city: str
    municipality_code: str

    @staticmethod
    def of(address: Address | None) -> AddressOut | None:
        if address is None:
            return None
        return AddressOut(id=address.uuid, text=str(address), postcode=address.postcode,
                          city=address.city, municipality_code=address.municipality_code)


class CitizenOut(Schema):
    id: uuid.UUID
    cpr: str
    name: str
    first_name: str
    last_name: str
    birth_date: dt.date
    sex: str
    name_protected: bool

    @staticmethod
    def of(c: Citizen) -> CitizenOut:
        return CitizenOut(id=c.uuid, cpr=c.cpr, name=c.full_name, first_name=c.first_name,
                          last_name=c.last_name, birth_date=c.birth_date, sex=c.sex,
                          name_protected=c.name_protected)


class SearchOut(Schema):
    query: str
    kind: str
    basis: str
    more: bool
    results: list[CitizenOut]


class RelativeOut(Schema):
    citizen: CitizenOut
    relation: str
    same_household: bool
    address: AddressOut | None


class CustodyOut(Schema):
    holder: CitizenOut
    valid_from: dt.date
    valid_to: dt.date | None
    basis: str


class FamilyOut(Schema):
    citizen: CitizenOut
    address: AddressOut | None
    household: list[RelativeOut]
    parents: list[RelativeOut]
    children: list[RelativeOut]
    siblings: list[RelativeOut]
    custody: list[CustodyOut]
    custody_history: list[CustodyOut]


def _relatives(items: list[services.Relative]) -> list[RelativeOut]:
    return [RelativeOut(citizen=CitizenOut.of(r.citizen), relation=r.relation,
                        same_household=r.same_household, address=AddressOut.of(r.address))
            for r in items]


def _custody(rows: list) -> list[CustodyOut]:  # type: ignore[type-arg]
    return [CustodyOut(holder=CitizenOut.of(c.holder), valid_from=c.valid_from,
                       valid_to=c.valid_to, basis=c.basis) for c in rows]


@router.get("/citizens", response=SearchOut, summary="Søg borgere efter CPR-nummer eller navn")
def search(request: HttpRequest, q: str) -> SearchOut:
    result = services.search_citizens(request.user, q)
    return SearchOut(query=result.query, kind=result.kind, basis=result.basis, more=result.more,
                     results=[CitizenOut.of(c) for c in result.citizens])


@router.get("/citizens/{citizen_id}", response=CitizenOut, summary="En borgers stamdata")
def citizen(request: HttpRequest, citizen_id: str) -> CitizenOut:
    return CitizenOut.of(services.access_citizen(request.user, citizen_id))


@router.get("/citizens/{citizen_id}/family", response=FamilyOut,
            summary="Husstand, forældre, børn, søskende og forældremyndighed")
def family(request: HttpRequest, citizen_id: str) -> FamilyOut:
    person = services.access_citizen(request.user, citizen_id)
    fam = services.family_of(request.user, person)
    return FamilyOut(
        citizen=CitizenOut.of(person), address=AddressOut.of(fam.address),
        household=_relatives(fam.household), parents=_relatives(fam.parents),
        children=_relatives(fam.children), siblings=_relatives(fam.siblings),
        custody=_custody(fam.custody), custody_history=_custody(fam.custody_history),
    )
