"""Cases: opening, classifying, working and closing them, and the journal (notatpligt).

Every operation asks the door first (``cases.access``, outside the transaction, so that a
refusal stays in the access log), then validates, then writes inside one transaction with
its history row and event (``cases.history.changed``). Nothing is ever deleted: a case is
closed, a journal entry corrected by a new entry.

The department's ``CaseSettings`` decide the case concept (one long case per citizen and
area, or single cases per matter) and the closing rule (EOJ A: "Afsluttet" at decision, or
when delivery ends). Their defaults come from ``cases/data/case_settings.json``.

Notifications, deadlines, documents, search, decisions and grants have their own modules;
the lifecycle reactions to decisions and grants are :func:`after_decision` and
:func:`after_grant_change` here.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop

from helhed.cases import access, history
from helhed.cases.models import (
    Case,
    CaseConcept,
    CaseKle,
    CaseNumberCounter,
    CaseSettings,
    Change,
    CitizenDisplay,
    ClosingRule,
    Decision,
    Grant,
    JournalEntry,
)
from helhed.catalogue import kle as kle_catalogue
from helhed.catalogue.models import ActionFacet, LegalBasis
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.core.models import Sensitivity
from helhed.organisation.models import Department, StaffMember, Unit
from helhed.people.models import Citizen
from helhed.sharing import policy
from helhed.sharing.policy import Actor, Category, Purpose

SETTINGS_FILE = Path(__file__).parent / "data" / "case_settings.json"
CASE_FIELDS = ("title", "state", "unit", "responsible", "legal_basis", "sensitivity",
               "citizen_display", "closing_reason")
JOURNAL_FIELDS = ("kind", "occurred_on", "title", "text", "citizen_display")
MAX_KLE = 6
# Choices the pages offer (views may not name the models themselves).
SENSITIVITY_CHOICES = Sensitivity.choices
DISPLAY_CHOICES = CitizenDisplay.choices
JOURNAL_KIND_CHOICES = [k for k in JournalEntry.Kind.choices
                        if k[0] != JournalEntry.Kind.CORRECTION]
JOURNAL_DEFAULT_KIND = JournalEntry.Kind.NOTE.value


class CaseNotFound(NotFound):
    code = "case.not_found"
    message = gettext_noop("Sagen findes ikke.")


class CaseClosed(InvalidInput):
    code = "case.closed"
    message = gettext_noop("Sagen er afsluttet og kan ikke ændres. Genåbn den først.")


class OpenDeadlines(InvalidInput):
    code = "case.open_deadlines"
    message = gettext_noop(
        "Sagen har %(count)s åbne frister. Skriv en begrundelse for at afslutte den alligevel; "
        "fristerne bortfalder med den begrundelse.")


# --- configuration ------------------------------------------------------------------------

@cache
def _default_settings() -> dict[str, dict[str, str]]:
    data: dict[str, Any] = json.loads(SETTINGS_FILE.read_text(encoding="utf-8"))
    return dict(data["departments"])


def settings_for(department: Department) -> CaseSettings:
    """The department's case settings, or (unsaved) the defaults for its kind of department
    until an administrator saves settings of its own in /admin/."""
    found = CaseSettings.objects.filter(department=department).first()
    if found is not None:
        return found
    return CaseSettings(department=department, **_default_settings().get(department.code, {}))


# --- reading ------------------------------------------------------------------------------

def _case_queryset() -> QuerySet[Case]:
    return Case.objects.select_related(
        "citizen", "department", "unit", "responsible__user", "legal_basis")


def _load(case_uuid: uuid.UUID | str) -> Case:
    try:
        key = uuid.UUID(str(case_uuid))
    except ValueError:
        raise CaseNotFound() from None
    case = _case_queryset().filter(uuid=key).first()
    if case is None:
        raise CaseNotFound()
    return case


def get_case(actor: Actor, case_uuid: uuid.UUID | str) -> Case:
    """A case with its content, through the door (own case or own department)."""
    access.caseworker(actor)
    case = _load(case_uuid)
    access.read_case(actor, case)
    return case


def case_metadata(actor: Actor, case_uuid: uuid.UUID | str) -> Case:
    """A case as metadata (that it exists, where, state, who is responsible): open to
    caseworkers with a lookup role; its content may still be refused."""
    access.caseworker(actor)
    case = _load(case_uuid)
    if not policy.decide(actor, Purpose.CASEWORK, case.citizen.uuid, Category.CASE,
                         detail=f"sag {case.number}"):
        raise AccessDenied(message=policy.ROLE_GIVES_NO_ACCESS)
    return case


@dataclass(frozen=True)
class CaseRow:
    """One case in a list: metadata always, and whether the reader may open it."""

    case: Case
    may_open: bool


def cases_of_citizen(actor: Actor, citizen_uuid: uuid.UUID) -> list[CaseRow]:
    """All the citizen's cases across departments, as metadata (logged as one look at the
    citizen's cases); each row says whether the actor may open it."""
    access.caseworker(actor)
    if not policy.decide(actor, Purpose.CASEWORK, citizen_uuid, Category.CASE,
                         detail="sagsoversigt"):
        raise AccessDenied(message=policy.ROLE_GIVES_NO_ACCESS)
    evaluator = policy.Evaluator(actor, Purpose.CASEWORK)
    rows = []
    for case in _case_queryset().filter(citizen__uuid=citizen_uuid).order_by(
            "state", "-opened_at"):
        scope = access.scope_of(case)
        if not evaluator.decide(citizen_uuid, Category.CASE, scope).allowed:
            continue  # its category hides existence, and the actor has no basis for it
        content = evaluator.decide(citizen_uuid, Category.CASE_CONTENT, scope)
        rows.append(CaseRow(case, content.allowed))
    rows.sort(key=lambda r: (r.case.is_closed, -r.case.opened_at.timestamp()))
    return rows


def kle_of(case: Case) -> list[CaseKle]:
    return list(case.kle.select_related("facet").all())


def journal_of(actor: Actor, case: Case) -> list[JournalEntry]:
    """The case's journal, newest first; each entry knows its corrections."""
    access.read_case(actor, case, detail="journal")
    entries = list(case.journal.select_related("author__user", "corrects")
                   .prefetch_related("corrections")
                   .order_by("-occurred_on", "-written_at", "-id"))
    return entries


def corrections_of(entry: JournalEntry) -> list[JournalEntry]:
    """The later entries correcting this one (prefetched by ``journal_of``)."""
    return list(entry.corrections.all())


def history_of(actor: Actor, case: Case) -> list[Change]:
    """Every change of the case and what belongs to it, oldest first."""
    access.read_case(actor, case, detail="historik")
    return list(Change.objects.filter(case=case).select_related("actor").order_by("at", "id"))


def staff_choices(actor: Actor, department: Department) -> list[StaffMember]:
    access.caseworker(actor)
    return list(StaffMember.objects.select_related("user", "unit")
                .filter(unit__department=department, provider__isnull=True)
                .order_by("user__first_name", "user__last_name"))


def unit_choices(actor: Actor, department: Department) -> list[Unit]:
    access.caseworker(actor)
    return list(Unit.objects.filter(department=department).order_by("name"))


def legal_basis_choices(actor: Actor) -> list[LegalBasis]:
    access.caseworker(actor)
    today = clock.today()
    return [b for b in LegalBasis.objects.order_by("law", "code") if b.is_valid_on(today)]


def department_choices(actor: Actor) -> list[Department]:
    staff = access.caseworker(actor)
    return list(Department.objects.filter(municipality_id=staff.municipality_id)
                .order_by("name"))


# --- validation helpers -------------------------------------------------------------------

def _legal_basis(code: str | None) -> LegalBasis | None:
    if not code:
        return None
    basis = LegalBasis.objects.filter(code=code).first()
    if basis is None:
        raise InvalidInput("legal_basis.unknown", gettext_noop("Hjemlen findes ikke."),
                           field="legal_basis")
    if not basis.is_valid_on(clock.today()):
        raise InvalidInput("legal_basis.expired",
                           gettext_noop("Hjemlen er udgået og kan ikke bruges på nye sager."),
                           field="legal_basis")
    return basis


@dataclass(frozen=True)
class KleChoice:
    number: str
    level: str
    title: str
    facet: ActionFacet | None


def _kle(numbers: Sequence[str]) -> list[KleChoice]:
    """KLE numbers as typed ("34.10.30", "34.10", "34", optionally with a facet
    "34.10.30 G01"); every one must exist and not have gone (udgået)."""
    cleaned = [n.strip() for n in numbers if n and n.strip()]
    if not cleaned:
        raise InvalidInput("case.kle_required",
                           gettext_noop("Angiv mindst ét KLE-nummer."), field="kle")
    if len(cleaned) > MAX_KLE:
        raise InvalidInput("case.kle_too_many",
                           gettext_noop("Højst %(max)s KLE-numre pr. sag."), field="kle",
                           params={"max": MAX_KLE})
    out: list[KleChoice] = []
    seen: set[str] = set()
    for text in cleaned:
        number, _, facet_number = text.partition(" ")
        try:
            node = kle_catalogue.resolve(number, on=clock.today())
        except InvalidInput as exc:
            raise InvalidInput(exc.code, exc.template, field="kle", params=exc.params) from None
        facet = None
        if facet_number.strip():
            facet = ActionFacet.objects.filter(number=facet_number.strip().upper()).first()
            if facet is None:
                raise InvalidInput("kle.facet_unknown",
                                   gettext_noop("Handlingsfacetten %(facet)s findes ikke."),
                                   field="kle", params={"facet": facet_number.strip()})
        if node.number in seen:
            continue
        seen.add(node.number)
        out.append(KleChoice(node.number, str(node.level), node.title, facet))
    return out


def _citizen(citizen_uuid: uuid.UUID | str) -> Citizen:
    try:
        key = uuid.UUID(str(citizen_uuid))
    except ValueError:
        key = None
    citizen = Citizen.objects.filter(uuid=key).first() if key else None
    if citizen is None:
        raise InvalidInput("citizen.reference_unknown",
                           gettext_noop("Der findes ingen borger med dette id."),
                           field="citizen")
    return citizen


def _next_number(prefix: str, year: int) -> str:
    counter, _ = CaseNumberCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    lead = f"{prefix}-" if prefix else ""
    return f"{lead}{year}-{counter.last:06d}"


def _choice(value: str | None, choices: type[Any], field: str, default: str) -> str:
    if not value:
        return default
    if value not in choices.values:
        raise InvalidInput("request.invalid_choice",
                           gettext_noop("Vælg en af de mulige værdier."), field=field)
    return value


# --- opening and working a case -----------------------------------------------------------

def open_case(
    actor: Actor,
    citizen_uuid: uuid.UUID | str,
    *,
    title: str,
    department_code: str | None = None,
    unit_id: int | None = None,
    responsible_id: int | None = None,
    kle_numbers: Sequence[str] = (),
    legal_basis_code: str | None = None,
    sensitivity: str | None = None,
    citizen_display: str | None = None,
    notification_uuid: uuid.UUID | str | None = None,
) -> Case:
    """Open a case for a citizen in a department (the actor's own by default).

    With the concept "one long case per citizen and area", a second open case for the same
    citizen in the department is refused: the existing one is named in the error."""
    staff = access.caseworker(actor)
    citizen = _citizen(citizen_uuid)
    department = _department(staff, department_code)
    unit = _unit(department, unit_id, staff)
    responsible = _responsible(department, responsible_id, staff)
    scope = access.scope_of_unit(unit, responsible.pk if responsible else None)
    access.require(actor, scope, citizen.uuid, action="write", detail="opret sag")

    title = (title or "").strip()
    if not title:
        raise InvalidInput("case.title_required", gettext_noop("Skriv sagens titel."),
                           field="title")
    if len(title) > 200:
        raise InvalidInput("case.title_too_long", gettext_noop("Højst 200 tegn."),
                           field="title")
    kle = _kle(kle_numbers)
    basis = _legal_basis(legal_basis_code)
    settings = settings_for(department)
    sensitivity = _choice(sensitivity, Sensitivity, "sensitivity",
                          settings.default_sensitivity)
    display = _choice(citizen_display, CitizenDisplay, "citizen_display",
                      CitizenDisplay.METADATA)
    notification = _notification(notification_uuid, citizen)

    with transaction.atomic():
        if settings.concept == CaseConcept.LONG:
            existing = (Case.objects.select_for_update()
                        .filter(citizen=citizen, department=department)
                        .exclude(state=Case.State.CLOSED).first())
            if existing is not None:
                raise InvalidInput(
                    "case.long_case_exists",
                    gettext_noop("%(department)s har én samlet sag pr. borger. Borgeren har "
                                 "allerede sag %(number)s; brug den."),
                    field="citizen",
                    params={"department": department.name, "number": existing.number})
        now = clock.now()
        case = Case.objects.create(
            number=_next_number(settings.number_prefix, now.year), citizen=citizen,
            department=department, unit=unit, responsible=responsible, title=title,
            concept=settings.concept, closing_rule=settings.closing_rule,
            legal_basis=basis, sensitivity=sensitivity, citizen_display=display,
            opened_at=now, updated_at=now)
        CaseKle.objects.bulk_create(
            CaseKle(case=case, number=k.number, level=k.level, title=k.title, facet=k.facet,
                    primary=index == 0)
            for index, k in enumerate(kle))
        history.changed(
            actor, event="cases.case.opened", object_type="case", object_uuid=case.uuid,
            citizen=citizen, case=case, summary=f"{case.number} {case.title}",
            after={**history.snapshot(case, CASE_FIELDS),
                   "kle": [k.number for k in kle], "concept": case.concept,
                   "closing_rule": case.closing_rule},
            payload={"department": department.code, "state": case.state,
                     "number": case.number},
            kle=kle[0].number)
        if notification is not None:
            from helhed.cases import notifications

            notifications.attach_to_case(actor, notification.uuid, case)
    return case


def _department(staff: StaffMember, code: str | None) -> Department:
    if not code:
        if staff.unit is None:
            raise InvalidInput("case.department_required",
                               gettext_noop("Vælg den afdeling, sagen hører til."),
                               field="department")
        return staff.unit.department
    found = Department.objects.filter(municipality_id=staff.municipality_id, code=code).first()
    if found is None:
        raise InvalidInput("department.unknown", gettext_noop("Afdelingen findes ikke."),
                           field="department")
    return found


def _unit(department: Department, unit_id: int | None, staff: StaffMember) -> Unit | None:
    if unit_id is None:
        if staff.unit is not None and staff.unit.department_id == department.pk:
            return staff.unit
        return None
    found = Unit.objects.filter(pk=unit_id, department=department).first()
    if found is None:
        raise InvalidInput("unit.unknown",
                           gettext_noop("Enheden findes ikke i sagens afdeling."), field="unit")
    return found


def _responsible(department: Department, responsible_id: int | None,
                 staff: StaffMember) -> StaffMember | None:
    if responsible_id is None:
        return staff if staff.unit is not None and staff.unit.department_id == department.pk \
            else None
    found = (StaffMember.objects.select_related("unit", "user")
             .filter(pk=responsible_id, unit__department=department,
                     provider__isnull=True).first())
    if found is None:
        raise InvalidInput("case.responsible_unknown",
                           gettext_noop("Den ansvarlige skal være en medarbejder i sagens "
                                        "afdeling."), field="responsible")
    return found


def _notification(key: uuid.UUID | str | None, citizen: Citizen) -> Any:
    if key is None or key == "":
        return None
    from helhed.cases.models import Notification

    try:
        parsed = uuid.UUID(str(key))
    except ValueError:
        parsed = None
    found = Notification.objects.filter(uuid=parsed).first() if parsed else None
    if found is None:
        raise InvalidInput("notification.unknown", gettext_noop("Underretningen findes ikke."),
                           field="notification")
    if found.child_id != citizen.pk:
        raise InvalidInput("notification.other_child",
                           gettext_noop("Underretningen handler om et andet barn."),
                           field="notification")
    if found.case_id is not None:
        raise InvalidInput("notification.already_attached",
                           gettext_noop("Underretningen er allerede knyttet til en sag."),
                           field="notification")
    return found


def update_case(
    actor: Actor,
    case_uuid: uuid.UUID | str,
    *,
    title: str | None = None,
    unit_id: int | None = None,
    responsible_id: int | None = None,
    legal_basis_code: str | None = None,
    sensitivity: str | None = None,
    citizen_display: str | None = None,
) -> Case:
    """Change what describes a case; before and after go to the history."""
    case = _load(case_uuid)
    staff = access.write_case(actor, case, "ret sag")
    if case.is_closed:
        raise CaseClosed()
    before = history.snapshot(case, CASE_FIELDS)
    if title is not None:
        title = title.strip()
        if not title:
            raise InvalidInput("case.title_required", gettext_noop("Skriv sagens titel."),
                               field="title")
        case.title = title[:200]
    if unit_id is not None:
        case.unit = _unit(case.department, unit_id, staff)
    if responsible_id is not None:
        case.responsible = _responsible(case.department, responsible_id, staff)
    if legal_basis_code is not None:
        case.legal_basis = _legal_basis(legal_basis_code) if legal_basis_code else None
    if sensitivity is not None:
        case.sensitivity = _choice(sensitivity, Sensitivity, "sensitivity", case.sensitivity)
    if citizen_display is not None:
        case.citizen_display = _choice(citizen_display, CitizenDisplay, "citizen_display",
                                       case.citizen_display)
    old, new = history.diff(before, history.snapshot(case, CASE_FIELDS))
    if not new:
        return case
    with transaction.atomic():
        case.updated_at = clock.now()
        case.save()
        history.changed(actor, event="cases.case.changed", object_type="case",
                        object_uuid=case.uuid, citizen=case.citizen, case=case,
                        summary=case.number, before=old, after=new,
                        payload={"fields": sorted(new)})
    return case


def set_kle(actor: Actor, case_uuid: uuid.UUID | str, numbers: Sequence[str]) -> Case:
    """Replace the case's KLE classification (the first number is the primary)."""
    case = _load(case_uuid)
    access.write_case(actor, case, "KLE")
    if case.is_closed:
        raise CaseClosed()
    kle = _kle(numbers)
    before = [str(k) for k in kle_of(case)]
    with transaction.atomic():
        CaseKle.objects.filter(case=case).delete()  # a classification, not a record
        CaseKle.objects.bulk_create(
            CaseKle(case=case, number=k.number, level=k.level, title=k.title, facet=k.facet,
                    primary=index == 0)
            for index, k in enumerate(kle))
        case.updated_at = clock.now()
        case.save(update_fields=["updated_at"])
        history.changed(actor, event="cases.case.reclassified", object_type="case",
                        object_uuid=case.uuid, citizen=case.citizen, case=case,
                        summary=case.number, before={"kle": before},
                        after={"kle": [str(k) for k in kle_of(case)]},
                        kle=kle[0].number)
    return case


# The moves a caseworker makes by hand; closing has its own operation.
MANUAL_MOVES = {
    Case.State.OPENED: {Case.State.INVESTIGATION, Case.State.DECISION},
    Case.State.INVESTIGATION: {Case.State.OPENED, Case.State.DECISION},
    Case.State.DECISION: {Case.State.INVESTIGATION, Case.State.DELIVERY},
    Case.State.DELIVERY: {Case.State.INVESTIGATION, Case.State.DECISION},
    Case.State.CLOSED: set(),
}


def set_state(actor: Actor, case_uuid: uuid.UUID | str, state: str, reason: str = "") -> Case:
    case = _load(case_uuid)
    access.write_case(actor, case, "tilstand")
    if state not in Case.State.values or state == Case.State.CLOSED:
        raise InvalidInput("case.state_invalid",
                           gettext_noop("Vælg en tilstand; brug Afslut sag for at afslutte."),
                           field="state")
    if case.is_closed:
        raise CaseClosed()
    if state not in MANUAL_MOVES[Case.State(case.state)]:
        raise InvalidInput("case.state_move_invalid",
                           gettext_noop("Sagen kan ikke gå fra %(old)s til %(new)s."),
                           field="state", params={"old": case.get_state_display(),
                                                  "new": Case.State(state).label})
    with transaction.atomic():
        _move(actor, case, state, reason)
    return case


def _move(actor: Actor, case: Case, state: str, reason: str = "") -> None:
    """Change the state inside the caller's transaction, with history and event."""
    old = case.state
    if old == state:
        return
    now = clock.now()
    case.state = state
    case.updated_at = now
    fields = ["state", "updated_at"]
    if state == Case.State.CLOSED:
        case.closed_at = now
        case.closing_reason = reason
        fields += ["closed_at", "closing_reason"]
    case.save(update_fields=fields)
    closing = state == Case.State.CLOSED
    history.changed(
        actor, event="cases.case.closed" if closing else "cases.case.state_changed",
        object_type="case", object_uuid=case.uuid, citizen=case.citizen, case=case,
        summary=case.number, before={"state": old},
        after={"state": state, **({"closing_reason": reason} if reason else {})},
        payload={"state": state, "previous_state": old})


def state_moves(case: Case) -> list[tuple[str, str]]:
    """The states a caseworker may move the case to by hand, with their labels."""
    return [(s.value, str(s.label)) for s in Case.State
            if s in MANUAL_MOVES[Case.State(case.state)]]


def open_deadlines(case: Case) -> int:
    return case.deadlines.filter(met_at__isnull=True, waived_reason="").count()


def close_case(actor: Actor, case_uuid: uuid.UUID | str, reason: str = "") -> Case:
    """Close a case. Open deadlines do not stop it, but then a reason is required and the
    deadlines are waived with it (the warning is the ``case.open_deadlines`` error)."""
    case = _load(case_uuid)
    access.write_case(actor, case, "afslut sag")
    if case.is_closed:
        raise CaseClosed()
    reason = (reason or "").strip()
    pending = open_deadlines(case)
    if pending and not reason:
        raise OpenDeadlines(field="reason", params={"count": pending})
    with transaction.atomic():
        if pending:
            from helhed.cases import deadlines

            deadlines.waive_open_for_case(case, reason, actor=actor)
        _move(actor, case, Case.State.CLOSED, reason)
    return case


def reopen_case(actor: Actor, case_uuid: uuid.UUID | str, reason: str) -> Case:
    case = _load(case_uuid)
    access.write_case(actor, case, "genåbn sag")
    if not case.is_closed:
        raise InvalidInput("case.not_closed", gettext_noop("Sagen er ikke afsluttet."))
    if not (reason or "").strip():
        raise InvalidInput("case.reason_required",
                           gettext_noop("Skriv hvorfor sagen genåbnes."), field="reason")
    settings = settings_for(case.department)
    with transaction.atomic():
        if settings.concept == CaseConcept.LONG and Case.objects.filter(
                citizen=case.citizen, department=case.department).exclude(
                state=Case.State.CLOSED).exists():
            raise InvalidInput("case.long_case_exists",
                               gettext_noop("Borgeren har allerede en åben sag i afdelingen."))
        case.closed_at = None
        case.save(update_fields=["closed_at"])
        _move(actor, case, Case.State.INVESTIGATION, reason.strip())
    return case


# --- reactions to decisions and grants (EOJ A) --------------------------------------------

def _active_grants(case: Case, today: dt.date) -> bool:
    return Grant.objects.filter(case=case, state=Grant.State.ACTIVE).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)).exists()


def after_investigation_started(actor: Actor, case: Case) -> None:
    """A child investigation was started on the case (inside its transaction): an opened
    case is now under investigation — which is also what the legal-basis rules for
    exchanging information during an investigation look at."""
    if case.state == Case.State.OPENED:
        _move(actor, case, Case.State.INVESTIGATION)


def after_decision(actor: Actor, case: Case, decision: Decision) -> None:
    """A decision was made (inside its transaction). Closing rule "at decision": the case
    is closed now, whatever delivery follows. "When delivery ends": the case moves to
    delivery if something was granted, else it is decided and waits for closing."""
    if case.is_closed:
        return
    if case.closing_rule == ClosingRule.AT_DECISION:
        _move(actor, case, Case.State.CLOSED,
              f"Afgørelse truffet: {decision.title}"[:300])
        return
    granted = decision.outcome in (Decision.Outcome.GRANTED, Decision.Outcome.PARTLY)
    _move(actor, case, Case.State.DELIVERY if granted else Case.State.DECISION)


def after_grant_change(actor: Actor, case: Case | None) -> None:
    """A grant linked to the case was made, changed or ended (inside its transaction).
    Closing rule "when delivery ends": the case is in delivery while a grant is active, and
    closes when the last one ends and no deadline is open."""
    if case is None or case.closing_rule != ClosingRule.AT_DELIVERY_END:
        return
    case.refresh_from_db()
    if case.is_closed:
        return
    today = clock.today()
    if _active_grants(case, today):
        if case.state in (Case.State.DECISION, Case.State.OPENED, Case.State.INVESTIGATION):
            _move(actor, case, Case.State.DELIVERY)
        return
    if case.state == Case.State.DELIVERY and open_deadlines(case) == 0:
        _move(actor, case, Case.State.CLOSED, "Levering afsluttet: ingen aktive bevillinger.")


# --- the journal --------------------------------------------------------------------------

def _journal_values(kind: str, occurred_on: dt.date | None, title: str, text: str,
                    citizen_display: str | None, *, correction: bool = False
                    ) -> tuple[str, dt.date, str, str, str]:
    kinds = set(JournalEntry.Kind.values) - ({JournalEntry.Kind.CORRECTION}
                                             if not correction else set())
    if correction:
        kind = JournalEntry.Kind.CORRECTION
    elif kind not in kinds:
        raise InvalidInput("journal.kind_invalid",
                           gettext_noop("Vælg notatets art: samtale, telefon, møde eller "
                                        "notat."), field="kind")
    if occurred_on is None:
        raise InvalidInput("journal.date_required", gettext_noop("Angiv datoen."),
                           field="occurred_on")
    if occurred_on > clock.today():
        raise InvalidInput("journal.date_in_future",
                           gettext_noop("Datoen kan ikke ligge i fremtiden."),
                           field="occurred_on")
    title = (title or "").strip()
    text = (text or "").strip()
    if not title:
        raise InvalidInput("journal.title_required", gettext_noop("Skriv en overskrift."),
                           field="title")
    if len(title) > 200:
        raise InvalidInput("journal.title_too_long", gettext_noop("Højst 200 tegn."),
                           field="title")
    if not text:
        raise InvalidInput("journal.text_required", gettext_noop("Skriv notatet."),
                           field="text")
    display = _choice(citizen_display, CitizenDisplay, "citizen_display",
                      CitizenDisplay.METADATA)
    return kind, occurred_on, title, text, display


def add_journal_entry(
    actor: Actor,
    case_uuid: uuid.UUID | str,
    *,
    kind: str,
    occurred_on: dt.date | None,
    title: str,
    text: str,
    citizen_display: str | None = None,
) -> JournalEntry:
    case = _load(case_uuid)
    staff = access.write_case(actor, case, "journalnotat")
    if case.is_closed:
        raise CaseClosed()
    values = _journal_values(kind, occurred_on, title, text, citizen_display)
    return _write_entry(actor, staff, case, values, corrects=None)


def correct_journal_entry(
    actor: Actor,
    entry_uuid: uuid.UUID | str,
    *,
    occurred_on: dt.date | None,
    title: str,
    text: str,
) -> JournalEntry:
    """A correction is a new entry pointing at the old one; the old one stays as written.
    A closed case's journal can be corrected too (notatpligt)."""
    try:
        key = uuid.UUID(str(entry_uuid))
    except ValueError:
        key = None
    old = (JournalEntry.objects.select_related("case__citizen", "case__department")
           .filter(uuid=key).first() if key else None)
    if old is None:
        raise NotFound("journal.not_found", gettext_noop("Journalnotatet findes ikke."))
    staff = access.write_case(actor, old.case, "ret journalnotat")
    values = _journal_values(JournalEntry.Kind.CORRECTION, occurred_on, title, text,
                             old.citizen_display, correction=True)
    return _write_entry(actor, staff, old.case, values, corrects=old)


def _write_entry(actor: Actor, staff: StaffMember, case: Case,
                 values: tuple[str, dt.date, str, str, str],
                 corrects: JournalEntry | None) -> JournalEntry:
    from helhed.cases import search

    kind, occurred_on, title, text, display = values
    with transaction.atomic():
        entry = JournalEntry.objects.create(
            case=case, kind=kind, occurred_on=occurred_on, title=title, text=text,
            author=staff, written_at=clock.now(), corrects=corrects, citizen_display=display)
        search.index("journal", entry.uuid, case, title, text)
        history.changed(
            actor,
            event="cases.journal.corrected" if corrects else "cases.journal.entry_added",
            object_type="journalentry", object_uuid=entry.uuid, citizen=case.citizen,
            case=case, summary=title,
            before={"corrects": str(corrects.uuid), "title": corrects.title}
            if corrects else {},
            after=history.snapshot(entry, ("kind", "occurred_on", "title", "citizen_display")),
            payload={"kind": kind, **({"corrects": str(corrects.uuid)} if corrects else {})})
    return entry
