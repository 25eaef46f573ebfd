"""API routes for orders to providers, under /api/v1/orders/.

Each route calls ``orders.services``: the doors and every rule live there. A provider's
staff see only their own provider's orders and the plan sections shared with it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from helhed.orders import services
from helhed.orders.models import Order, StatusReport

router = Router(tags=["Bestillinger"])


class OrderIn(Schema):
    model_config = ConfigDict(extra="forbid")

    grant: uuid.UUID = Field(description="Bevillingen, bestillingen sendes fra")
    intervention_type: str = Field(description="Indsatstypens kode, fx sel-85-stoette")
    extent: decimal.Decimal = Field(description="Omfang i indsatstypens enhed, større end 0")
    start: dt.date
    purpose: str
    sections: list[uuid.UUID] = Field(default_factory=list,
                                      description="Planens afsnit, der er delt med udføreren")
    report_every_days: int = Field(90, description="Statusrapport hver N. dag")


class DeclineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str


class DeliveryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    day: dt.date
    extent: decimal.Decimal
    attended: bool
    note: str = ""


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str


class SectionOut(Schema):
    id: uuid.UUID
    title: str
    text: str


class OrderOut(Schema):
    id: uuid.UUID
    state: str
    provider: str
    intervention_type: str
    extent: decimal.Decimal
    unit: str
    start: dt.date
    purpose: str
    next_report_due: dt.date | None
    decline_reason: str
    sections: list[SectionOut] = Field(description="Kun de afsnit, der er delt med udføreren")

    @staticmethod
    def of(order: Order) -> OrderOut:
        return OrderOut(
            id=order.uuid, state=order.state, provider=order.provider.name,
            intervention_type=order.intervention_type.code, extent=order.extent,
            unit=order.unit, start=order.start, purpose=order.purpose,
            next_report_due=order.next_report_due, decline_reason=order.decline_reason,
            sections=[SectionOut(id=s.uuid, title=s.title, text=s.text)
                      for s in services.shared_sections(order)])


class ReportOut(Schema):
    id: uuid.UUID
    due_on: dt.date
    late: bool

    @staticmethod
    def of(report: StatusReport) -> ReportOut:
        return ReportOut(id=report.uuid, due_on=report.due_on, late=report.late)


@router.post("/", response={201: OrderOut})
def send_order(request: HttpRequest, payload: OrderIn) -> Status[OrderOut]:
    order = services.send_order(
        request.user, payload.grant, intervention_code=payload.intervention_type,
        extent=payload.extent, start=payload.start, purpose=payload.purpose,
        sections=payload.sections, report_every_days=payload.report_every_days)
    return Status(201, OrderOut.of(services.access_order(request.user, order.uuid)[0]))


@router.get("/mine", response=list[OrderOut])
def my_orders(request: HttpRequest) -> list[OrderOut]:
    """The calling provider's own orders."""
    return [OrderOut.of(o) for o in services.provider_orders(request.user)]


@router.get("/case/{case_id}", response=list[OrderOut])
def orders_of_case(request: HttpRequest, case_id: uuid.UUID) -> list[OrderOut]:
    """The orders sent from a case's grants (a caseworker with a basis for the case)."""
    return [OrderOut.of(o) for o in services.orders_of_case(request.user, case_id)]


@router.get("/{order_id}", response=OrderOut)
def get_order(request: HttpRequest, order_id: uuid.UUID) -> OrderOut:
    return OrderOut.of(services.access_order(request.user, order_id)[0])


@router.post("/{order_id}/accept", response=OrderOut)
def accept(request: HttpRequest, order_id: uuid.UUID) -> OrderOut:
    return OrderOut.of(services.accept(request.user, order_id))


@router.post("/{order_id}/decline", response=OrderOut)
def decline(request: HttpRequest, order_id: uuid.UUID, payload: DeclineIn) -> OrderOut:
    return OrderOut.of(services.decline(request.user, order_id, payload.reason))


@router.post("/{order_id}/deliveries", response={201: None})
def register_delivery(request: HttpRequest, order_id: uuid.UUID, payload: DeliveryIn
                      ) -> Status[None]:
    services.register_delivery(request.user, order_id, day=payload.day,
                               extent=payload.extent, attended=payload.attended,
                               note=payload.note)
    return Status(201, None)


@router.post("/{order_id}/reports", response={201: ReportOut})
def write_report(request: HttpRequest, order_id: uuid.UUID, payload: ReportIn
                 ) -> Status[ReportOut]:
    return Status(201, ReportOut.of(services.write_report(request.user, order_id,
                                                          payload.text)))
