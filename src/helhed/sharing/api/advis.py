"""API routes: the caller's advis and subscriptions, under /api/v1/sharing/.

Each route calls ``sharing.advis`` or ``sharing.subscriptions``: the door, the rules and
the access log live there. A failed call changes nothing (docs/api.md)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict

from helhed.sharing import advis, subscriptions
from helhed.sharing.models import Advis, Subscription

router = Router()


class AdvisOut(Schema):
    id: uuid.UUID
    kind: str  # "ny" (K2) or "aendret" (K3)
    event_type: str
    citizen: uuid.UUID
    citizen_name: str
    department: str | None
    text: str  # only what the recipient may see: no title without a content basis
    may_open: bool
    url: str  # empty without a content basis
    occurred_at: dt.datetime
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def of(a: Advis) -> AdvisOut:
        return AdvisOut(
            id=a.uuid, kind=a.kind, event_type=a.event_type, citizen=a.citizen.uuid,
            citizen_name=a.citizen.full_name,
            department=a.department.code if a.department else None, text=a.text,
            may_open=a.may_open, url=a.url, occurred_at=a.occurred_at,
            created_at=a.created_at, read_at=a.read_at)


class AdvisListOut(Schema):
    now: dt.datetime  # ask with efter=now next time
    unread: int
    items: list[AdvisOut]


class FeedQuery(Schema):
    efter: str | None = None


@router.get("/advis", response=AdvisListOut, summary="Dine adviser (nyeste først)")
def list_advis(request: HttpRequest, query: Query[FeedQuery]) -> AdvisListOut:
    since = advis.parse_since(query.efter)
    found = advis.feed(request.user, since) if since else advis.inbox(request.user)
    return AdvisListOut(now=found.now, unread=found.unread,
                        items=[AdvisOut.of(a) for a in found.rows])


@router.post("/advis/{advis_id}/read", response=AdvisOut, summary="Markér et advis som læst")
def read_advis(request: HttpRequest, advis_id: uuid.UUID) -> AdvisOut:
    found = advis.mark_read(request.user, advis_id)
    return AdvisOut.of(found)


class SubscriptionOut(Schema):
    id: uuid.UUID
    citizen: uuid.UUID
    citizen_name: str
    family: bool
    origin: str  # "egen_sag" (automatic) or "manuel"
    created_at: dt.datetime

    @staticmethod
    def of(s: Subscription) -> SubscriptionOut:
        return SubscriptionOut(id=s.uuid, citizen=s.citizen.uuid,
                               citizen_name=s.citizen.full_name, family=s.family,
                               origin=s.origin, created_at=s.created_at)


class SubscribeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    citizen: uuid.UUID
    family: bool = True


@router.get("/subscriptions", response=list[SubscriptionOut],
            summary="Borgere du følger")
def list_subscriptions(request: HttpRequest) -> list[SubscriptionOut]:
    return [SubscriptionOut.of(s) for s in subscriptions.subscriptions_of(request.user)]


@router.post("/subscriptions", response={201: SubscriptionOut},
             summary="Følg en borger (og familien)")
def subscribe(request: HttpRequest, payload: SubscribeIn) -> Status[SubscriptionOut]:
    found = subscriptions.subscribe(request.user, payload.citizen, family=payload.family)
    return Status(201, SubscriptionOut.of(found))


@router.delete("/subscriptions/{citizen_id}", response={204: None},
               summary="Følg ikke længere en borger")
def unsubscribe(request: HttpRequest, citizen_id: uuid.UUID) -> Status[None]:
    subscriptions.unsubscribe(request.user, citizen_id)
    return Status(204, None)
