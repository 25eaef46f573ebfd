"""Case metadata pushed in by other departments' systems (issue 4 K5), e.g. the jobcenter's.

helhed is not the master of these cases: it keeps the reference (source system and the id
there) and the metadata the overview shows — what, where, who is responsible, status, since
when, the data category. A push is an upsert by (source system, external id): the first
creates the row (``sharing.external_case.received``), later ones change it
(``sharing.external_case.updated``); a push that changes nothing emits nothing, so
repeating one is safe.

Only callers whose role may look up citizens (a caseworker or a system's token with such a
role) may push; a provider's staff may not. The door is asked (and logs) before anything is
written; everything is validated before the transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from helhed.core import clock, cpr, events
from helhed.core.errors import AccessDenied, InvalidInput
from helhed.core.models import Sensitivity
from helhed.organisation.models import Department
from helhed.organisation.services import roles_of, staff_of
from helhed.people import rules
from helhed.people.models import Citizen
from helhed.sharing import policy
from helhed.sharing.models import DataCategory, ExternalCase
from helhed.sharing.policy import Actor, CaseScope, Category, Purpose

RECEIVED = "sharing.external_case.received"
UPDATED = "sharing.external_case.updated"
OBJECT_TYPE = "external_case"
_KLE = re.compile(r"^\d{2}(?:\.\d{2}){0,2}$")

NOT_ALLOWED = gettext_noop(
    "Kun sagsbehandlere og systemer med adgang til at slå borgere op kan indberette sager.")


class CitizenUnknown(InvalidInput):
    code = "external_case.citizen_unknown"
    message = gettext_noop("Borgeren findes ikke. Angiv borgerens id (UUID) eller CPR-nummer.")


@dataclass(frozen=True)
class ExternalCaseData:
    """A push as the caller sent it (the API's body, the same for any other caller)."""

    source_system: str
    external_id: str
    citizen: str  # the citizen's UUID or CPR number
    department: str  # a department code, e.g. "jobcenter"
    title: str
    state: str
    opened_on: dt.date
    category: str | None = None  # a data category code; default: the department's
    closed_on: dt.date | None = None
    responsible_name: str = ""
    responsible_contact: str = ""
    kle: str = ""


@dataclass(frozen=True)
class _Clean:
    source_system: str
    external_id: str
    citizen: Citizen
    department: Department
    category: DataCategory
    fields: dict[str, Any]


def _may_push(actor: Actor) -> bool:
    staff = staff_of(actor)
    if staff is None or staff.provider_id is not None:
        return False
    roles = roles_of(actor)
    return any(r.may_look_up_citizens and not r.is_provider for r in roles)


def _citizen(value: str) -> Citizen:
    text = (value or "").strip()
    try:
        key = uuid.UUID(text)
    except ValueError:
        key = None
    if key is not None:
        found = Citizen.objects.filter(uuid=key).first()
    elif cpr.looks_like_cpr(text):
        number = rules.parse_cpr(text, field="citizen")
        found = Citizen.objects.filter(cpr=number.digits).first()
    else:
        raise CitizenUnknown(field="citizen")
    if found is None:
        raise CitizenUnknown(field="citizen")
    return found


def _department(actor: Actor, code: str) -> Department:
    staff = staff_of(actor)
    found = None
    if staff is not None:
        found = Department.objects.filter(municipality_id=staff.municipality_id,
                                          code=(code or "").strip()).first()
    if found is None:
        raise InvalidInput("external_case.department_unknown",
                           gettext_noop("Afdelingen findes ikke. Angiv en afdelingskode, "
                                        "fx jobcenter."), field="department")
    return found


def _category(code: str | None, department: Department) -> DataCategory:
    wanted = (code or "").strip() or policy.category_of_department(department.code)
    if not wanted:
        raise InvalidInput("external_case.category_required",
                           gettext_noop("Afdelingens sager har ingen fast datakategori. "
                                        "Angiv kategorien."), field="category")
    found = DataCategory.objects.filter(code=wanted).first()
    if found is None:
        raise InvalidInput("external_case.category_unknown",
                           gettext_noop("Datakategorien findes ikke."), field="category")
    return found


def _dates(data: ExternalCaseData, citizen: Citizen) -> None:
    rules.date(data.opened_on, "opened_on")
    if data.opened_on > clock.today():
        raise InvalidInput("external_case.opened_future",
                           gettext_noop("Sagen kan ikke være oprettet i fremtiden."),
                           field="opened_on")
    rules.not_before_birth(data.opened_on, citizen.birth_date, "opened_on")
    if data.closed_on is not None:
        rules.date(data.closed_on, "closed_on")
        if data.closed_on < data.opened_on:
            raise InvalidInput("external_case.closed_before_opened",
                               gettext_noop("Sagen kan ikke være afsluttet før den blev "
                                            "oprettet."), field="closed_on")


def _clean(actor: Actor, data: ExternalCaseData) -> _Clean:
    source = rules.text(data.source_system, "source_system", max_length=60, required=True)
    external_id = rules.text(data.external_id, "external_id", max_length=120, required=True)
    kle = (data.kle or "").strip()
    if kle and not _KLE.match(kle):
        raise InvalidInput("external_case.kle",
                           gettext_noop("Et KLE-nummer skrives NN, NN.NN eller NN.NN.NN."),
                           field="kle")
    fields = {
        "title": rules.text(data.title, "title", max_length=200, required=True),
        "state": rules.text(data.state, "state", max_length=60, required=True),
        "responsible_name": rules.text(data.responsible_name, "responsible_name",
                                       max_length=200),
        "responsible_contact": rules.text(data.responsible_contact, "responsible_contact",
                                          max_length=200),
        "kle": kle, "opened_on": data.opened_on, "closed_on": data.closed_on,
    }
    citizen = _citizen(data.citizen)
    _dates(data, citizen)
    department = _department(actor, data.department)
    category = _category(data.category, department)
    return _Clean(source, external_id, citizen, department, category, fields)


def _payload(case: ExternalCase, changed: list[str]) -> dict[str, Any]:
    return {
        "source_system": case.source_system, "external_id": case.external_id,
        "department": case.department.code, "category": case.category.code,
        "title": case.title, "state": case.state, "kle": case.kle,
        "opened_on": case.opened_on.isoformat(),
        "closed_on": case.closed_on.isoformat() if case.closed_on else None,
        "changed": changed,
    }


def receive_external_case(actor: Actor, data: ExternalCaseData) -> tuple[ExternalCase, bool]:
    """Create or update the metadata of a case held in another system. Returns the row and
    whether it was created. ``AccessDenied`` (logged) for callers who may not push;
    ``InvalidInput`` before anything is written."""
    if not _may_push(actor):
        policy.decide(actor, Purpose.CASEWORK, None, Category.CASE, action="write",
                      detail="ekstern sag afvist")
        raise AccessDenied(message=NOT_ALLOWED)
    clean = _clean(actor, data)
    scope = CaseScope(department_id=clean.department.pk, department_name=clean.department.name,
                      department_code=clean.department.code, category=clean.category.code)
    decision = policy.decide(actor, Purpose.CASEWORK, clean.citizen.uuid, Category.CASE,
                             action="write", scope=scope,
                             detail=f"ekstern sag fra {clean.source_system}"[:300])
    if not decision.allowed:
        raise AccessDenied(message=decision.reason or NOT_ALLOWED)
    return _store(actor, clean)


def _store(actor: Actor, clean: _Clean) -> tuple[ExternalCase, bool]:
    now = clock.now()
    sensitivity = Sensitivity.SENSITIVE if clean.category.sensitive else Sensitivity.CONFIDENTIAL
    username = actor.get_username() if actor is not None and actor.is_authenticated else ""
    with transaction.atomic():
        case = (ExternalCase.objects.select_for_update()
                .filter(source_system=clean.source_system, external_id=clean.external_id)
                .select_related("department", "category").first())
        if case is None:
            case = ExternalCase.objects.create(
                source_system=clean.source_system, external_id=clean.external_id,
                citizen=clean.citizen, department=clean.department, category=clean.category,
                received_at=now, updated_at=now, **clean.fields)
            events.emit(RECEIVED, object_type=OBJECT_TYPE, object_id=case.uuid,
                        actor=username, citizen=clean.citizen.uuid, sensitivity=sensitivity,
                        kle=case.kle, payload=_payload(case, []))
            return case, True
        if case.citizen_id != clean.citizen.pk:
            raise InvalidInput("external_case.citizen_changed",
                               gettext_noop("Sagen er indberettet på en anden borger. "
                                            "Indberet den med et nyt id."), field="citizen")
        wanted = {**clean.fields, "department": clean.department, "category": clean.category}
        changed = [name for name, value in wanted.items() if getattr(case, name) != value]
        if not changed:
            return case, False
        for name in changed:
            setattr(case, name, wanted[name])
        case.updated_at = now
        case.save(update_fields=[*changed, "updated_at"])
        events.emit(UPDATED, object_type=OBJECT_TYPE, object_id=case.uuid, actor=username,
                    citizen=clean.citizen.uuid, sensitivity=sensitivity, kle=case.kle,
                    payload=_payload(case, changed))
        return case, False
