"""Writing the append-only access log. Called by the policy door, not by views."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from helhed.core import clock
from helhed.core.models import AccessLogEntry


@dataclass(frozen=True)
class Look:
    """What one access was: at whose data, which category, why and on what basis."""

    subject: uuid.UUID | None
    category: str
    action: str
    purpose: str
    basis: str
    allowed: bool
    emergency: bool = False
    detail: str = ""


def _actor_fields(actor: AbstractBaseUser | AnonymousUser | None) -> dict[str, object]:
    if actor is None or not actor.is_authenticated:
        return {"actor": None, "actor_name": "anonym", "actor_unit": ""}
    staff = getattr(actor, "staff", None)
    full_name = getattr(actor, "get_full_name", None)
    name = (full_name() if callable(full_name) else "") or actor.get_username()
    unit = str(staff.unit) if staff is not None and staff.unit_id else ""
    return {"actor": actor, "actor_name": name, "actor_unit": unit}


def record(actor: AbstractBaseUser | AnonymousUser | None, looks: Iterable[Look]) -> int:
    """Append one entry per look, in one statement. Returns the number written."""
    who = _actor_fields(actor)
    at = clock.now()
    entries = [
        AccessLogEntry(
            at=at, subject=look.subject, category=look.category, action=look.action,
            purpose=look.purpose, basis=look.basis, allowed=look.allowed,
            emergency=look.emergency, detail=look.detail[:300], **who,
        )
        for look in looks
    ]
    AccessLogEntry.objects.bulk_create(entries)
    return len(entries)
