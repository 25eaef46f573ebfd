"""API routes for the kernel: the state of the event outbox (administrators only)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from helhed.core import outbox
from helhed.core.errors import AccessDenied
from helhed.organisation.services import roles_of

router = Router(tags=["Kerne"])


class OutboxStatus(Schema):
    pending: int
    exchange: str


@router.get("/outbox", response=OutboxStatus, summary="Hændelser der venter på at blive sendt")
def outbox_status(request: HttpRequest) -> OutboxStatus:
    if not any(r.is_administrator for r in roles_of(request.user)):
        raise AccessDenied(message="Kun administratorer kan se udbakken.")
    return OutboxStatus(pending=outbox.pending_count(), exchange=outbox.exchange_name())
