"""API routes for citizens. Each calls a door or an operation in ``services``; none reads
or writes the ORM itself, and every rule lives in the service (the schemas here apply the
same rules from ``people.rules`` at the edge, with the same codes)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import AfterValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from helhed.core.errors import InvalidInput
from helhed.people import rules, services
from helhed.people.models import (
    Address,
    Citizen,
    ContactArrangement,
    ContactDetails,
    Custody,
    Guardianship,
    Residence,
)

router = Router(tags=["Borgere"])


# --- output -------------------------------------------------------------------------------

class AddressOut(Schema):
    id: uuid.UUID
    text: str
    street: str
    house_number: str
    floor: str
    door: str
    postcode: str
    city: str
    municipality_code: str

    @staticmethod
    def of(address: Address | None) -> AddressOut | None:
        if address is None:
            return None
        return AddressOut(id=address.uuid, text=str(address), street=address.street,
                          house_number=address.house_number, floor=address.floor,
                          door=address.door, postcode=address.postcode, city=address.city,
                          municipality_code=address.municipality_code)


class CitizenOut(Schema):
    id: uuid.UUID
    cpr: str
    name: str
    first_name: str
    middle_name: str
    last_name: str
    birth_date: dt.date
    sex: str
    name_protected: bool

    @staticmethod
    def of(c: Citizen) -> CitizenOut:
        return CitizenOut(id=c.uuid, cpr=c.cpr, name=c.full_name, first_name=c.first_name,
                          middle_name=c.middle_name, last_name=c.last_name,
                          birth_date=c.birth_date, sex=c.sex, name_protected=c.name_protected)


class SearchOut(Schema):
    query: str
    kind: str
    basis: str
    more: bool
    results: list[CitizenOut]


class RelativeOut(Schema):
    citizen: CitizenOut
    relation: str
    same_household: bool | None = Field(
        description="null: not told (name and address protection)")
    address: AddressOut | None
    address_withheld: bool = Field(
        description="true: the address is left out (name and address protection)")


class CustodyOut(Schema):
    holder: CitizenOut
    valid_from: dt.date
    valid_to: dt.date | None
    basis: str

    @staticmethod
    def of(c: Custody) -> CustodyOut:
        return CustodyOut(holder=CitizenOut.of(c.holder), valid_from=c.valid_from,
                          valid_to=c.valid_to, basis=c.basis)


class FamilyOut(Schema):
    citizen: CitizenOut
    address: AddressOut | None
    address_withheld: bool = Field(
        description="true: the citizen has name and address protection and the caller no "
                    "basis; address is null and household empty")
    household: list[RelativeOut]
    parents: list[RelativeOut]
    children: list[RelativeOut]
    siblings: list[RelativeOut]
    custody: list[CustodyOut]
    custody_history: list[CustodyOut]


class ResidenceOut(Schema):
    address: AddressOut
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def of(r: Residence) -> ResidenceOut:
        address = AddressOut.of(r.address)
        assert address is not None
        return ResidenceOut(address=address, valid_from=r.valid_from, valid_to=r.valid_to)


class ContactDetailsOut(Schema):
    phone: str
    email: str
    preferred_channel: str
    exempt_from_digital_post: bool
    note: str
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def of(d: ContactDetails) -> ContactDetailsOut:
        return ContactDetailsOut(phone=d.phone, email=d.email,
                                 preferred_channel=d.preferred_channel,
                                 exempt_from_digital_post=d.exempt_from_digital_post,
                                 note=d.note, valid_from=d.valid_from, valid_to=d.valid_to)


class ContactDetailsHistoryOut(Schema):
    current: ContactDetailsOut | None
    history: list[ContactDetailsOut]


class ContactArrangementOut(Schema):
    child: CitizenOut
    parent: CitizenOut
    schedule: str
    decided_by: str
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def of(a: ContactArrangement) -> ContactArrangementOut:
        return ContactArrangementOut(child=CitizenOut.of(a.child), parent=CitizenOut.of(a.parent),
                                     schedule=a.schedule, decided_by=a.decided_by,
                                     valid_from=a.valid_from, valid_to=a.valid_to)


class GuardianshipOut(Schema):
    id: int
    guardian: CitizenOut | None
    guardian_name: str
    scope: str
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def of(g: Guardianship) -> GuardianshipOut:
        return GuardianshipOut(
            id=g.pk, guardian=CitizenOut.of(g.guardian) if g.guardian else None,
            guardian_name=g.guardian_name, scope=g.scope, valid_from=g.valid_from,
            valid_to=g.valid_to)


# --- input: the services' rules, applied at the edge as well ------------------------------

def _edge(rule: Callable[..., Any], **options: Any) -> AfterValidator:
    """A Pydantic check from a rule in ``people.rules`` that keeps the rule's stable code
    as the error type, so a caller gets the same code whether the edge or the service
    notices. The error's location names the field."""

    def check(value: Any) -> Any:
        try:
            return rule(value, "", **options)
        except InvalidInput as exc:
            raise PydanticCustomError(exc.code, exc.message) from exc

    return AfterValidator(check)


def _max(n: int) -> Any:
    """The length limit, for the OpenAPI document; the rule enforces it with its own code."""
    return Field(json_schema_extra={"maxLength": n})


def _text(n: int) -> AfterValidator:
    return _edge(rules.text, max_length=n)


def _required(n: int) -> AfterValidator:
    return _edge(rules.text, max_length=n, required=True)


Name = Annotated[str, _max(rules.NAME_MAX), _edge(rules.name)]
Day = Annotated[dt.date, _edge(rules.date)]


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class RegisterIn(In):
    cpr: Annotated[str, Field(description="10 cifre, evt. som DDMMÅÅ-SSSS")]
    first_name: Name
    middle_name: Annotated[str, _max(rules.NAME_MAX),
                           _edge(rules.name, required=False)] = ""
    last_name: Name
    address_id: uuid.UUID | None = Field(None, description="En adresse fra POST /addresses")
    moved_in: Day | None = Field(None, description="Indflytningsdato; standard i dag")


class MoveIn(In):
    address_id: uuid.UUID
    moved_on: Day


class CustodyIn(In):
    holder_ids: Annotated[list[uuid.UUID], Field(json_schema_extra={"minItems": 1,
                                                                    "maxItems": 2})]
    valid_from: Day
    basis: Annotated[str, _max(200), _text(200)] = ""


class ContactDetailsIn(In):
    phone: Annotated[str, _max(20), _edge(rules.phone)] = ""
    email: Annotated[str, _max(254), _edge(rules.email)] = ""
    preferred_channel: Annotated[str, Field(json_schema_extra={"enum": list(rules.CHANNELS)}),
                                 _edge(rules.channel)]
    exempt_from_digital_post: bool = False
    note: Annotated[str, _max(300), _text(300)] = ""


class AddressIn(In):
    street: Annotated[str, _max(100), _required(100)]
    house_number: Annotated[str, _max(10), _edge(rules.house_number)]
    floor: Annotated[str, _max(5), _text(5)] = ""
    door: Annotated[str, _max(10), _text(10)] = ""
    postcode: Annotated[str, _max(4), _edge(rules.postcode)]
    city: Annotated[str, _max(60), _required(60)]
    municipality_code: Annotated[str, _max(4), _edge(rules.municipality_code)]
    district: Annotated[str, _max(80), _text(80)] = ""


class ContactArrangementIn(In):
    schedule: Annotated[str, _max(200), _required(200)]
    decided_by: Annotated[str, _max(120), _text(120)] = ""
    valid_from: Day


class GuardianIn(In):
    guardian_id: uuid.UUID | None = None
    guardian_name: Annotated[str, _max(200), _text(200)] = ""
    scope: Annotated[str, Field(json_schema_extra={"enum": list(rules.SCOPES)}),
                     _edge(rules.scope)]
    valid_from: Day


class EndGuardianshipIn(In):
    valid_to: Day


# --- reading ------------------------------------------------------------------------------

def _relatives(items: list[services.Relative]) -> list[RelativeOut]:
    return [RelativeOut(citizen=CitizenOut.of(r.citizen), relation=r.relation,
                        same_household=r.same_household, address=AddressOut.of(r.address),
                        address_withheld=r.address_withheld)
            for r in items]


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
        address_withheld=fam.address_withheld,
        household=_relatives(fam.household), parents=_relatives(fam.parents),
        children=_relatives(fam.children), siblings=_relatives(fam.siblings),
        custody=[CustodyOut.of(c) for c in fam.custody],
        custody_history=[CustodyOut.of(c) for c in fam.custody_history],
    )


@router.get("/citizens/{citizen_id}/residences", response=list[ResidenceOut],
            summary="Bopælshistorik, nyeste først (403 address.protected ved "
                    "navne- og adressebeskyttelse)")
def residences(request: HttpRequest, citizen_id: str) -> list[ResidenceOut]:
    person = services.access_citizen(request.user, citizen_id)
    return [ResidenceOut.of(r) for r in services.residences_of(request.user, person)]


@router.get("/citizens/{citizen_id}/contact-details", response=ContactDetailsHistoryOut,
            summary="Kontaktoplysninger med historik")
def contact_details(request: HttpRequest, citizen_id: str) -> ContactDetailsHistoryOut:
    person = services.access_citizen(request.user, citizen_id)
    rows = services.contact_details_of(request.user, person)
    current = next((d for d in rows if d.valid_to is None), None)
    return ContactDetailsHistoryOut(
        current=ContactDetailsOut.of(current) if current else None,
        history=[ContactDetailsOut.of(d) for d in rows if d is not current])


@router.get("/citizens/{citizen_id}/contact-arrangements", response=list[ContactArrangementOut],
            summary="Samværsordninger (som barn eller forælder) med historik")
def contact_arrangements(request: HttpRequest, citizen_id: str) -> list[ContactArrangementOut]:
    person = services.access_citizen(request.user, citizen_id)
    return [ContactArrangementOut.of(a)
            for a in services.contact_arrangements_of(request.user, person)]


@router.get("/citizens/{citizen_id}/guardianships", response=list[GuardianshipOut],
            summary="Værgemål med historik")
def guardianships(request: HttpRequest, citizen_id: str) -> list[GuardianshipOut]:
    person = services.access_citizen(request.user, citizen_id)
    return [GuardianshipOut.of(g) for g in services.guardianships_of(request.user, person)]


# --- changing -----------------------------------------------------------------------------

@router.post("/citizens", response={201: CitizenOut}, summary="Registrér en borger")
def register(request: HttpRequest, payload: RegisterIn) -> Status[CitizenOut]:
    person = services.do_register_citizen(
        request.user, cpr_number=payload.cpr, first_name=payload.first_name,
        middle_name=payload.middle_name, last_name=payload.last_name,
        address=payload.address_id, moved_in=payload.moved_in)
    return Status(201, CitizenOut.of(person))


@router.post("/citizens/{citizen_id}/moves", response={201: ResidenceOut},
             summary="Registrér en flytning (den gamle bopæl afsluttes)")
def move(request: HttpRequest, citizen_id: str, payload: MoveIn) -> Status[ResidenceOut]:
    person = services.access_citizen(request.user, citizen_id)
    residence = services.do_move(request.user, person, payload.address_id, payload.moved_on)
    return Status(201, ResidenceOut.of(residence))


@router.put("/citizens/{citizen_id}/custody", response=list[CustodyOut],
            summary="Hvem har forældremyndigheden fra en dato")
def set_custody(request: HttpRequest, citizen_id: str, payload: CustodyIn) -> list[CustodyOut]:
    child = services.access_citizen(request.user, citizen_id)
    rows = services.do_set_custody(request.user, child, payload.holder_ids, payload.valid_from,
                                   payload.basis)
    return [CustodyOut.of(c) for c in rows]


@router.put("/citizens/{citizen_id}/contact-details", response=ContactDetailsOut,
            summary="Nye kontaktoplysninger fra i dag (de gamle gemmes som historik)")
def set_contact_details(request: HttpRequest, citizen_id: str,
                        payload: ContactDetailsIn) -> ContactDetailsOut:
    person = services.access_citizen(request.user, citizen_id)
    details = services.do_set_contact_details(
        request.user, person, phone=payload.phone, email=payload.email,
        preferred_channel=payload.preferred_channel,
        exempt_from_digital_post=payload.exempt_from_digital_post, note=payload.note)
    return ContactDetailsOut.of(details)


@router.put("/citizens/{citizen_id}/contact-arrangements/{parent_id}",
            response=ContactArrangementOut,
            summary="Barnets samværsordning med en forælder fra en dato")
def set_contact_arrangement(request: HttpRequest, citizen_id: str, parent_id: str,
                            payload: ContactArrangementIn) -> ContactArrangementOut:
    child = services.access_citizen(request.user, citizen_id)
    arrangement = services.do_set_contact_arrangement(
        request.user, child, parent_id, schedule=payload.schedule,
        decided_by=payload.decided_by, valid_from=payload.valid_from)
    return ContactArrangementOut.of(arrangement)


@router.post("/citizens/{citizen_id}/guardianships", response={201: GuardianshipOut},
             summary="Udpeg en værge")
def appoint_guardian(request: HttpRequest, citizen_id: str,
                     payload: GuardianIn) -> Status[GuardianshipOut]:
    ward = services.access_citizen(request.user, citizen_id)
    row = services.do_appoint_guardian(
        request.user, ward, guardian=payload.guardian_id, guardian_name=payload.guardian_name,
        scope=payload.scope, valid_from=payload.valid_from)
    return Status(201, GuardianshipOut.of(row))


@router.post("/citizens/{citizen_id}/guardianships/{guardianship_id}/end",
             response=GuardianshipOut, summary="Afslut et værgemål")
def end_guardianship(request: HttpRequest, citizen_id: str, guardianship_id: int,
                     payload: EndGuardianshipIn) -> GuardianshipOut:
    ward = services.access_citizen(request.user, citizen_id)
    row = services.do_end_guardianship(request.user, ward, guardianship_id,
                                       valid_to=payload.valid_to)
    return GuardianshipOut.of(row)


@router.post("/addresses", response={200: AddressOut, 201: AddressOut},
             summary="Opret en adresse (findes den allerede, returneres den med 200)")
def create_address(request: HttpRequest, payload: AddressIn) -> Status[AddressOut | None]:
    address, created = services.do_create_address(request.user, **payload.model_dump())
    return Status(201 if created else 200, AddressOut.of(address))
