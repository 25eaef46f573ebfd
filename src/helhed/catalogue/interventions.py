"""Reading the intervention catalogue (indsatskatalog): what a municipality can grant and
order from a provider, under which legal basis, counted in which unit, at which price.

Catalogue data is not personal data: no policy-door call. The API reads through the
``actor`` functions here, which admit staff only (like ``catalogue.services``); other apps
(orders, grants) use :func:`for_basis`, :func:`get` and :func:`price_on`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_noop

from helhed.catalogue.models import InterventionPrice, InterventionType, LegalBasis
from helhed.catalogue.services import _require_staff
from helhed.core.errors import InvalidInput, NotFound
from helhed.organisation import services as organisation

if TYPE_CHECKING:
    from helhed.sharing.policy import Actor


def _types(include_inactive: bool = False) -> QuerySet[InterventionType]:
    kinds = InterventionType.objects.prefetch_related(
        Prefetch("legal_bases", queryset=LegalBasis.objects.order_by("code")),
        "provider_types", "prices")
    return kinds if include_inactive else kinds.filter(active=True)


def _basis(code: str) -> LegalBasis:
    found = LegalBasis.objects.filter(code=(code or "").strip()).first()
    if found is None:
        raise NotFound("legal_basis.not_found", gettext_noop("Hjemlen findes ikke."))
    return found


def for_basis(code: str, include_inactive: bool = False) -> list[InterventionType]:
    """The intervention types that can be granted under the legal basis ``code`` (e.g.
    ``sel-85``), by name; ``legal_basis.not_found`` if there is no such basis."""
    return list(_types(include_inactive).filter(legal_bases=_basis(code)))


def get(code: str) -> InterventionType:
    found = _types(include_inactive=True).filter(code=(code or "").strip()).first()
    if found is None:
        raise NotFound("intervention.not_found", gettext_noop("Indsatstypen findes ikke."))
    return found


def price_on(kind: InterventionType, day: dt.date) -> Decimal | None:
    """The price per unit on ``day``: the latest price valid from that day or before it
    (None: no price yet)."""
    current: InterventionPrice | None = None
    for price in kind.prices.all():  # prefetched, ordered by valid_from
        if price.valid_from <= day and (current is None or price.valid_from > current.valid_from):
            current = price
    return current.amount if current is not None else None


def list_types(actor: Actor, legal_basis: str | None = None, department: str | None = None,
               include_inactive: bool = False) -> list[InterventionType]:
    """The catalogue for a member of staff, filtered by legal basis code and by department
    code (a department of the actor's municipality)."""
    _require_staff(actor)
    kinds = _types(include_inactive)
    if legal_basis:
        kinds = kinds.filter(legal_bases=_basis(legal_basis))
    found = list(kinds)
    if department:
        code = department.strip()
        if not organisation.departments(actor).filter(code=code).exists():
            raise InvalidInput("intervention.unknown_department",
                               gettext_noop("Afdelingen %(department)s findes ikke."),
                               field="department", params={"department": code})
        found = [k for k in found if code in k.department_list]
    return found


def get_for(actor: Actor, code: str) -> InterventionType:
    _require_staff(actor)
    return get(code)
