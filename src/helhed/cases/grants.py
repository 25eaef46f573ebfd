"""Grants (bevillinger): what, how much, for which period, by which provider; optionally
linked to a case and its decision (EOJ C).

The door comes first. A grant on a case is a change to that case (``access.write_case``);
a grant without a case needs a caseworker, and the door is asked with the department the
grant belongs to (the actor's own unless another is named). Then every value is checked;
then one transaction writes the grant, its history row and event, and the lead's lifecycle
reaction on the case (``services.after_grant_change``).

A citizen's grants are listed together across departments (in the spirit of the benefit
index): what, where, when and its state for any caseworker with a lookup role (logged as
one look at the citizen's cases); the amount, extent, provider and legal basis only where
the door gives case content for the grant's department or case.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from helhed.cases import access, decisions, history, services
from helhed.cases.models import Case, Change, CitizenDisplay, Decision, Grant
from helhed.catalogue.models import LegalBasis
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.core.models import Sensitivity
from helhed.organisation.models import Department, Provider, StaffMember
from helhed.people import services as people
from helhed.people.models import Citizen
from helhed.sharing import policy
from helhed.sharing.policy import Actor, CaseScope, Category, Purpose

GRANT_FIELDS = ("title", "amount", "unit", "valid_from", "valid_to", "provider",
                "legal_basis", "state", "citizen_display")
UNIT_CHOICES = Grant.Unit.choices
CITIZEN_DISPLAY_CHOICES = CitizenDisplay.choices
MAX_AMOUNT = decimal.Decimal("9999999999.99")
CONTENT_FIELDS = ("amount", "unit", "provider", "legal_basis")


class _Unset(enum.Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET


class GrantNotFound(NotFound):
    code = "grant.not_found"
    message = gettext_noop("Bevillingen findes ikke.")


PERIOD_INVALID = gettext_noop(
    "Slutdatoen ligger før startdatoen. En bevilling kan ikke slutte, før den begynder.")


# --- parsing helpers (for pages and API alike) --------------------------------------------

def parse_amount(value: Any, field: str = "amount") -> decimal.Decimal:
    """An amount or extent above 0 with at most two decimals; "1.234,50" and "1234.5"
    both read as 1234.50."""
    text = str(value if value is not None else "").strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = decimal.Decimal(text)
    except decimal.InvalidOperation:
        amount = decimal.Decimal("NaN")
    if (not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT
            or amount != amount.quantize(decimal.Decimal("0.01"))):
        raise InvalidInput("grant.amount_invalid", gettext_noop(
            "Skriv beløbet eller omfanget som et tal større end 0 med højst to decimaler, "
            "fx 12 eller 2.500,50."), field=field)
    return amount.quantize(decimal.Decimal("0.01"))


def parse_date(value: Any, field: str, *, required: bool = True) -> dt.date | None:
    """A date from a form (``ÅÅÅÅ-MM-DD`` or ``DD.MM.ÅÅÅÅ``) or a ``date``."""
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        if required:
            raise InvalidInput("grant.date_required", gettext_noop("Angiv datoen."),
                               field=field)
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InvalidInput("grant.date_invalid", gettext_noop(
        "Datoen kan ikke læses. Skriv den som ÅÅÅÅ-MM-DD, fx 2026-01-31."), field=field)


def _period(valid_from: dt.date | None, valid_to: dt.date | None) -> None:
    if valid_from is None:
        raise InvalidInput("grant.date_required", gettext_noop("Angiv, hvornår bevillingen "
                                                               "begynder."), field="valid_from")
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput("grant.period_invalid", PERIOD_INVALID, field="valid_to")


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# --- doors --------------------------------------------------------------------------------

def _department_scope(department: Department) -> CaseScope:
    return CaseScope(department_id=department.pk, department_name=department.name)


def scope_of_grant(grant: Grant) -> CaseScope:
    if grant.case is not None:
        return access.scope_of(grant.case)
    return _department_scope(grant.department)


def _write_door(actor: Actor, grant: Grant, detail: str) -> StaffMember:
    if grant.case is not None:
        return access.write_case(actor, grant.case, detail)
    staff = access.caseworker(actor)
    access.require(actor, scope_of_grant(grant), grant.citizen.uuid, action="write",
                   detail=detail)
    return staff


def _read_door(actor: Actor, grant: Grant, detail: str = "bevilling") -> None:
    if grant.case is not None:
        access.read_case(actor, grant.case, detail)
        return
    access.caseworker(actor)
    access.require(actor, scope_of_grant(grant), grant.citizen.uuid, detail=detail)


def _grants() -> QuerySet[Grant]:
    return Grant.objects.select_related(
        "citizen", "department", "case__department", "case__citizen", "case__responsible__user",
        "decision", "provider", "legal_basis", "granted_by__user")


def _load(grant_uuid: uuid.UUID | str) -> Grant:
    key = _uuid(grant_uuid)
    grant = _grants().filter(uuid=key).first() if key else None
    if grant is None:
        raise GrantNotFound()
    return grant


# --- where a new grant belongs ------------------------------------------------------------

@dataclass
class Target:
    staff: StaffMember
    citizen: Citizen
    department: Department
    case: Case | None = None
    decision: Decision | None = None


def _decision(decision_uuid: Any) -> Decision:
    key = _uuid(decision_uuid)
    found = (Decision.objects.select_related("case__citizen", "case__department")
             .filter(uuid=key).first() if key else None)
    if found is None:
        raise InvalidInput("grant.decision_unknown", gettext_noop("Afgørelsen findes ikke."),
                           field="decision")
    return found


def _case(case_uuid: Any) -> Case:
    key = _uuid(case_uuid)
    found = (Case.objects.select_related("citizen", "department", "unit")
             .filter(uuid=key).first() if key else None)
    if found is None:
        raise InvalidInput("grant.case_unknown", gettext_noop("Sagen findes ikke."),
                           field="case")
    return found


def _target_on_case(actor: Actor, citizen_uuid: Any, case: Case, decision: Decision | None,
                    department_code: str | None) -> Target:
    staff = access.write_case(actor, case, "bevilling")
    if str(case.citizen.uuid) != str(citizen_uuid):
        raise InvalidInput("grant.case_other_citizen", gettext_noop(
            "Sagen er oprettet på en anden borger end bevillingen."), field="case")
    if department_code and department_code != case.department.code:
        raise InvalidInput("grant.department_mismatch", gettext_noop(
            "En bevilling på en sag hører til sagens afdeling."), field="department")
    if decision is not None and decision.case_id != case.pk:
        raise InvalidInput("grant.decision_other_case", gettext_noop(
            "Afgørelsen hører til en anden sag."), field="decision")
    return Target(staff, case.citizen, case.department, case, decision)


def _target_without_case(actor: Actor, citizen_uuid: Any,
                         department_code: str | None) -> Target:
    staff = access.caseworker(actor)
    department = staff.department
    if department_code:
        department = Department.objects.filter(municipality_id=staff.municipality_id,
                                               code=department_code).first()
        if department is None:
            raise InvalidInput("grant.department_unknown",
                               gettext_noop("Afdelingen findes ikke."), field="department")
    if department is None:
        raise InvalidInput("grant.department_required", gettext_noop(
            "Vælg den afdeling, bevillingen hører til."), field="department")
    scope = (access.scope_of_unit(staff.unit)
             if staff.unit is not None and department.pk == staff.unit.department_id
             else _department_scope(department))
    key = _uuid(citizen_uuid)
    access.require(actor, scope, key, action="write", detail="bevilling")
    citizen = Citizen.objects.filter(uuid=key).first() if key else None
    if citizen is None:
        raise InvalidInput("citizen.reference_unknown", gettext_noop(
            "Der findes ingen borger med dette id."), field="citizen")
    return Target(staff, citizen, department)


def _target(actor: Actor, citizen_uuid: Any, case_uuid: Any, decision_uuid: Any,
            department_code: str | None) -> Target:
    """Where the grant belongs, with the door asked: the case (given, or the decision's)
    or, without a case, the department."""
    decision = _decision(decision_uuid) if decision_uuid else None
    case = _case(case_uuid) if case_uuid else (decision.case if decision else None)
    if case is not None:
        return _target_on_case(actor, citizen_uuid, case, decision, department_code)
    return _target_without_case(actor, citizen_uuid, department_code)


# --- values -------------------------------------------------------------------------------

def _provider(staff: StaffMember, provider_id: Any) -> Provider | None:
    if provider_id is None or provider_id == "":
        return None
    providers = Provider.objects.filter(municipality_id=staff.municipality_id)
    text = str(provider_id).strip()
    key = _uuid(text)
    found = (providers.filter(uuid=key).first() if key
             else providers.filter(pk=int(text)).first() if text.isdigit() else None)
    if found is None:
        raise InvalidInput("grant.provider_unknown", gettext_noop(
            "Udføreren findes ikke. Vælg en af kommunens udførere."), field="provider")
    return found


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise InvalidInput("grant.title_required",
                           gettext_noop("Skriv, hvad der bevilges (ydelsen)."), field="title")
    if len(title) > 200:
        raise InvalidInput("grant.title_too_long", gettext_noop("Højst 200 tegn."),
                           field="title")
    return title


def _unit(unit: str) -> str:
    if unit not in Grant.Unit.values:
        raise InvalidInput("grant.unit_invalid", gettext_noop(
            "Vælg enheden, fx timer om ugen eller kr. om måneden."), field="unit")
    return unit


def _display(value: str | None) -> str:
    display = value or CitizenDisplay.FULL
    if display not in CitizenDisplay.values:
        raise InvalidInput("grant.citizen_display_invalid", gettext_noop(
            "Vælg, hvad borgeren kan se af bevillingen."), field="citizen_display")
    return display


# --- creating, changing, ending -----------------------------------------------------------

def create_grant(
    actor: Actor,
    citizen_uuid: uuid.UUID | str,
    *,
    title: str,
    amount: decimal.Decimal | int | float | str,
    unit: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None = None,
    provider_id: uuid.UUID | int | str | None = None,
    legal_basis_code: str | None = None,
    case_uuid: uuid.UUID | str | None = None,
    decision_uuid: uuid.UUID | str | None = None,
    department_code: str | None = None,
    citizen_display: str | None = None,
) -> Grant:
    """Grant something to a citizen, on a case or not. Nothing is saved on an error."""
    target = _target(actor, citizen_uuid, case_uuid, decision_uuid, department_code)
    title = _title(title)
    value = parse_amount(amount)
    unit = _unit(unit)
    _period(valid_from, valid_to)
    assert valid_from is not None
    provider = _provider(target.staff, provider_id)
    basis = decisions.valid_legal_basis(legal_basis_code, required=False)
    display = _display(citizen_display)
    case = target.case
    with transaction.atomic():
        grant = Grant.objects.create(
            citizen=target.citizen, department=target.department, case=case,
            decision=target.decision, title=title, legal_basis=basis, amount=value,
            unit=unit, valid_from=valid_from, valid_to=valid_to, provider=provider,
            granted_at=clock.now(), granted_by=target.staff,
            sensitivity=case.sensitivity if case is not None else Sensitivity.SENSITIVE,
            citizen_display=display)
        history.changed(
            actor, event="cases.grant.created", object_type="grant", object_uuid=grant.uuid,
            citizen=target.citizen, case=case, summary=f"Bevilling: {title}",
            after=history.snapshot(grant, GRANT_FIELDS), sensitivity=grant.sensitivity,
            payload=_payload(grant))
        services.after_grant_change(actor, case)
    return grant


def _payload(grant: Grant) -> dict[str, object]:
    return {"department": grant.department.code, "state": grant.state,
            "valid_from": grant.valid_from.isoformat(),
            "valid_to": grant.valid_to.isoformat() if grant.valid_to else None,
            "decision": str(grant.decision.uuid) if grant.decision is not None else None}


def _active(grant: Grant) -> None:
    if grant.state == Grant.State.ENDED:
        raise InvalidInput("grant.ended", gettext_noop(
            "Bevillingen er ophørt og kan ikke ændres."))


def change_grant(
    actor: Actor,
    grant_uuid: uuid.UUID | str,
    *,
    amount: decimal.Decimal | int | float | str | _Unset = UNSET,
    valid_to: dt.date | None | _Unset = UNSET,
) -> Grant:
    """Change the amount or extent and the end date (``None`` removes the end date);
    before and after go to the history. Nothing changed: no history, no event."""
    grant = _load(grant_uuid)
    _write_door(actor, grant, "ret bevilling")
    _active(grant)
    before = history.snapshot(grant, GRANT_FIELDS)
    if not isinstance(amount, _Unset):
        grant.amount = parse_amount(amount)
    if not isinstance(valid_to, _Unset):
        _period(grant.valid_from, valid_to)
        grant.valid_to = valid_to
    old, new = history.diff(before, history.snapshot(grant, GRANT_FIELDS))
    if not new:
        return grant
    with transaction.atomic():
        grant.save(update_fields=["amount", "valid_to"])
        history.changed(
            actor, event="cases.grant.changed", object_type="grant", object_uuid=grant.uuid,
            citizen=grant.citizen, case=grant.case, summary=f"Bevilling ændret: {grant.title}",
            before=old, after=new, sensitivity=grant.sensitivity,
            payload={**_payload(grant), "fields": sorted(new)})
        services.after_grant_change(actor, grant.case)
    return grant


def end_grant(actor: Actor, grant_uuid: uuid.UUID | str, *, valid_to: dt.date | None,
              reason: str) -> Grant:
    """End a grant on a date with a reason (ophør). It is kept, marked ended."""
    grant = _load(grant_uuid)
    _write_door(actor, grant, "ophør af bevilling")
    if grant.state == Grant.State.ENDED:
        raise InvalidInput("grant.already_ended", gettext_noop("Bevillingen er allerede ophørt."))
    if valid_to is None:
        raise InvalidInput("grant.date_required",
                           gettext_noop("Angiv den sidste dag, bevillingen gælder."),
                           field="valid_to")
    _period(grant.valid_from, valid_to)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("grant.reason_required",
                           gettext_noop("Skriv, hvorfor bevillingen ophører."), field="reason")
    before = history.snapshot(grant, GRANT_FIELDS)
    with transaction.atomic():
        grant.valid_to = valid_to
        grant.state = Grant.State.ENDED
        grant.ended_reason = reason
        grant.save(update_fields=["valid_to", "state", "ended_reason"])
        old, new = history.diff(before, history.snapshot(grant, GRANT_FIELDS))
        history.changed(
            actor, event="cases.grant.ended", object_type="grant", object_uuid=grant.uuid,
            citizen=grant.citizen, case=grant.case, summary=f"Bevilling ophørt: {grant.title}",
            before=old, after={**new, "ended_reason": reason}, sensitivity=grant.sensitivity,
            payload=_payload(grant))
        services.after_grant_change(actor, grant.case)
    return grant


# --- reading ------------------------------------------------------------------------------

def get_grant(actor: Actor, grant_uuid: uuid.UUID | str) -> Grant:
    grant = _load(grant_uuid)
    _read_door(actor, grant)
    return grant


def grant_history(actor: Actor, grant: Grant) -> list[Change]:
    """The grant's own history rows, oldest first."""
    _read_door(actor, grant, "bevilling: historik")
    return list(Change.objects.filter(object_uuid=grant.uuid).order_by("at", "id"))


def grants_of_case(actor: Actor, case: Case) -> list[Grant]:
    access.read_case(actor, case, detail="bevillinger")
    return list(_grants().filter(case=case).order_by("state", "-valid_from", "-pk"))


@dataclass(frozen=True)
class GrantRow:
    """One of a citizen's grants in the overview. ``withheld`` names the fields left out
    (the actor has no basis for the grant's content); those are ``None``."""

    uuid: UUID
    title: str
    department: str
    department_code: str
    valid_from: dt.date
    valid_to: dt.date | None
    state: str
    state_label: str
    case_uuid: UUID | None
    case_number: str
    responsible: str
    content_visible: bool
    amount: decimal.Decimal | None = None
    unit: str | None = None
    unit_label: str | None = None
    provider: str | None = None
    legal_basis: str | None = None
    withheld: tuple[str, ...] = field(default_factory=tuple)


def _row(grant: Grant, visible: bool) -> GrantRow:
    case = grant.case
    responsible = ""
    if case is not None and case.responsible is not None:
        responsible = str(case.responsible)
    base: dict[str, Any] = {
        "uuid": grant.uuid, "title": grant.title, "department": grant.department.name,
        "department_code": grant.department.code, "valid_from": grant.valid_from,
        "valid_to": grant.valid_to, "state": grant.state,
        "state_label": str(Grant.State(grant.state).label),
        "case_uuid": case.uuid if case is not None else None,
        "case_number": case.number if case is not None else "", "responsible": responsible,
        "content_visible": visible}
    if not visible:
        return GrantRow(**base, withheld=CONTENT_FIELDS)
    return GrantRow(**base, amount=grant.amount, unit=grant.unit,
                    unit_label=str(Grant.Unit(grant.unit).label),
                    provider=grant.provider.name if grant.provider is not None else "",
                    legal_basis=str(grant.legal_basis) if grant.legal_basis else "")


def grants_of_citizen(actor: Actor, citizen_uuid: uuid.UUID | str) -> list[GrantRow]:
    """All the citizen's grants across departments, active first. Metadata for any
    caseworker with a lookup role (one logged look at the citizen's cases); the content
    only where the door allows it, logged once per department or case shown."""
    return citizen_grants(actor, citizen_uuid)[1]


def citizen_grants(actor: Actor, citizen_uuid: uuid.UUID | str
                   ) -> tuple[Citizen, list[GrantRow]]:
    """The citizen (a logged master-data look) and :func:`grants_of_citizen`'s rows."""
    access.caseworker(actor)
    citizen = people.access_citizen(actor, citizen_uuid)
    if not policy.decide(actor, Purpose.CASEWORK, citizen.uuid, Category.CASE,
                         detail="bevillinger på tværs af afdelinger"):
        raise AccessDenied(message=policy.ROLE_GIVES_NO_ACCESS)
    grants = list(_grants().filter(citizen=citizen).order_by("state", "-valid_from", "-pk"))
    verdicts: dict[CaseScope, bool] = {}
    for grant in grants:
        scope = scope_of_grant(grant)
        if scope not in verdicts:
            verdicts[scope] = policy.evaluate(actor, Purpose.CASEWORK, Category.CASE_CONTENT,
                                              scope).allowed
    for scope, allowed in verdicts.items():
        if allowed:
            policy.decide(actor, Purpose.CASEWORK, citizen.uuid, Category.CASE_CONTENT,
                          detail="bevillinger: omfang og udfører", scope=scope)
    return citizen, [_row(g, verdicts[scope_of_grant(g)]) for g in grants]


# --- the form -----------------------------------------------------------------------------

@dataclass
class GrantForm:
    citizen: Citizen
    case: Case | None
    department: Department | None
    providers: list[Provider]
    legal_bases: list[LegalBasis]
    decisions: list[Decision]


def grant_form(actor: Actor, *, case_uuid: Any = None, citizen_uuid: Any = None) -> GrantForm:
    """What the page "Ny bevilling" needs, for a case (``?sag=``) or a citizen
    (``?borger=``)."""
    staff = access.caseworker(actor)
    providers = list(Provider.objects.filter(municipality_id=staff.municipality_id)
                     .order_by("name"))
    today = clock.today()
    bases = [b for b in LegalBasis.objects.order_by("law", "code") if b.is_valid_on(today)]
    if case_uuid:
        case = services.get_case(actor, case_uuid)
        return GrantForm(case.citizen, case, case.department, providers, bases,
                         decisions.decisions_of(actor, case))
    citizen = people.access_citizen(actor, citizen_uuid)
    return GrantForm(citizen, None, staff.department, providers, bases, [])
