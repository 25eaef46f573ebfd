"""API: the family overview (``GET /sharing/overview/{citizen_id}``) and case metadata pushed
in by other systems (``POST /sharing/external-cases``).

Both call the sharing services, which ask the door and log; a caller without a basis gets
``404 citizen.not_found`` from the overview and ``403 access.denied`` from a push.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from helhed.sharing.external import ExternalCaseData, receive_external_case
from helhed.sharing.models import ExternalCase
from helhed.sharing.overview import Item, PersonOverview, family_overview

router = Router()


class ItemOut(Schema):
    kind: str
    id: uuid.UUID
    title: str
    department: str
    department_name: str
    responsible: str
    contact: str
    status: str
    status_label: str
    active: bool
    since: dt.date
    until: dt.date | None
    category: str
    category_name: str
    source: str = Field(description="'helhed' or the source system of an external case")
    may_open: bool
    url: str = Field(description="The page that opens the item (only when may_open)")
    basis: str = Field(description="The basis for the content (only when may_open)")
    basis_kind: str = Field(description="Egen sag, Samtykke, Hjemmel or Akut")
    ask: str = Field(description="Who to ask (only when not may_open)")
    emergency: bool

    @staticmethod
    def of(item: Item) -> ItemOut:
        return ItemOut(**{name: getattr(item, name) for name in ItemOut.model_fields})


class PersonOut(Schema):
    id: uuid.UUID
    name: str
    relation: str
    birth_date: dt.date
    items: list[ItemOut]

    @staticmethod
    def of(person: PersonOverview) -> PersonOut:
        return PersonOut(id=person.citizen.uuid, name=person.citizen.full_name,
                         relation=person.relation, birth_date=person.citizen.birth_date,
                         items=[ItemOut.of(i) for i in person.items])


class OverviewOut(Schema):
    citizen: uuid.UUID
    people: list[PersonOut]


@router.get("/overview/{citizen_id}", response=OverviewOut,
            summary="Overblik over borgeren og familien (cpr-knap)")
def overview(request: HttpRequest, citizen_id: str) -> OverviewOut:
    result = family_overview(request.user, citizen_id)
    return OverviewOut(citizen=result.citizen.uuid,
                       people=[PersonOut.of(p) for p in result.people])


class ExternalCaseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    source_system: str = Field(max_length=60, description="The pushing system, e.g. 'KMD Momentum'")
    external_id: str = Field(max_length=120, description="The case's id in that system")
    citizen: str = Field(description="The citizen's UUID or CPR number")
    department: str = Field(description="Department code, e.g. 'jobcenter'")
    category: str | None = Field(None, description="Data category code; default: the department's")
    title: str = Field(max_length=200)
    state: str = Field(max_length=60)
    responsible_name: str = Field("", max_length=200)
    responsible_contact: str = Field("", max_length=200)
    kle: str = ""
    opened_on: dt.date
    closed_on: dt.date | None = None


class ExternalCaseOut(Schema):
    id: uuid.UUID
    source_system: str
    external_id: str
    citizen: uuid.UUID
    department: str
    category: str
    title: str
    state: str
    responsible_name: str
    responsible_contact: str
    kle: str
    opened_on: dt.date
    closed_on: dt.date | None
    received_at: dt.datetime
    updated_at: dt.datetime
    created: bool

    @staticmethod
    def of(case: ExternalCase, created: bool) -> ExternalCaseOut:
        return ExternalCaseOut(
            id=case.uuid, source_system=case.source_system, external_id=case.external_id,
            citizen=case.citizen.uuid, department=case.department.code,
            category=case.category.code, title=case.title, state=case.state,
            responsible_name=case.responsible_name,
            responsible_contact=case.responsible_contact, kle=case.kle,
            opened_on=case.opened_on, closed_on=case.closed_on, received_at=case.received_at,
            updated_at=case.updated_at, created=created)


@router.post("/external-cases", response={200: ExternalCaseOut, 201: ExternalCaseOut},
             summary="Indberet eller opdater en sag fra et andet fagsystem")
def push_external_case(request: HttpRequest, payload: ExternalCaseIn) -> Status[ExternalCaseOut]:
    case, created = receive_external_case(request.user, ExternalCaseData(**payload.dict()))
    return Status(201 if created else 200, ExternalCaseOut.of(case, created))
