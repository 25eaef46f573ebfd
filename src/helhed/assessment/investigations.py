"""Child investigations (børnefaglig undersøgelse, Barnets lov § 20), structured by the ICS
triangle: starting one on a child's case (with its 4-month time limit on the work list),
describing the themes, recording the conversation with the child (or why it was not held),
attaching the case's information requests to the theme they inform, and concluding.

Every change asks the door to write on the case (``cases.access.write_case``); reading asks
``cases.access.read_case``. Each change writes its history row and event in one
transaction. A concluded investigation is not changed; the conclusion meets the deadline.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils.translation import gettext_noop

from helhed.assessment import ics
from helhed.assessment.assessments import _load_case
from helhed.assessment.assessments_models import (
    ChildConversation,
    ChildInvestigation,
    InvestigationNote,
    InvestigationRequest,
)
from helhed.assessment.models import InformationRequest
from helhed.cases import access, deadlines, history
from helhed.cases import services as case_services
from helhed.cases.models import Case, CaseDeadline
from helhed.cases.services import CaseClosed
from helhed.core import clock
from helhed.core.errors import InvalidInput, NotFound
from helhed.organisation.models import StaffMember
from helhed.sharing.policy import Actor

MONTHS = 4  # Barnets lov § 20, stk. 4: concluded within four months
ADULT_AGE = 18
MAX_TEXT = 20000
OBJECT = "childinvestigation"


class InvestigationNotFound(NotFound):
    code = "assessment.investigation_not_found"
    message = gettext_noop("Undersøgelsen findes ikke.")


class InvestigationConcluded(InvalidInput):
    code = "assessment.investigation_concluded"
    message = gettext_noop("Undersøgelsen er afsluttet og kan ikke ændres.")


def _text(value: str, field: str, code: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(code, message, field=field)
    if len(text) > MAX_TEXT:
        raise InvalidInput("assessment.text_too_long", gettext_noop("Højst 20000 tegn."),
                           field=field)
    return text


def _past_date(value: dt.date | None, field: str) -> dt.date:
    if value is None:
        raise InvalidInput("assessment.date_required", gettext_noop("Angiv en dato."),
                           field=field)
    if value > clock.today():
        raise InvalidInput("assessment.date_in_future",
                           gettext_noop("Datoen kan ikke ligge i fremtiden."), field=field)
    return value


def _theme(code: str) -> ics.IcsTheme:
    found = ics.themes().get((code or "").strip())
    if found is None:
        raise InvalidInput("assessment.ics_theme_unknown",
                           gettext_noop("Vælg et tema fra ICS-trekanten."), field="theme")
    return found


def _load(investigation_uuid: uuid.UUID | str) -> ChildInvestigation:
    try:
        key = uuid.UUID(str(investigation_uuid))
    except ValueError:
        raise InvestigationNotFound() from None
    found = (ChildInvestigation.objects
             .select_related("case__citizen", "case__department", "case__responsible__user",
                             "citizen", "deadline", "created_by__user")
             .filter(uuid=key).first())
    if found is None:
        raise InvestigationNotFound()
    return found


def _for_change(actor: Actor, investigation_uuid: uuid.UUID | str,
                detail: str) -> tuple[ChildInvestigation, StaffMember]:
    """The open investigation, the door asked to write on its case (lock in the caller)."""
    found = _load(investigation_uuid)
    staff = access.write_case(actor, found.case, detail)
    if found.case.is_closed:
        raise CaseClosed()
    return found, staff


def _lock_open(found: ChildInvestigation) -> None:
    state = (ChildInvestigation.objects.select_for_update().filter(pk=found.pk)
             .values_list("state", flat=True).first())
    if state != ChildInvestigation.State.OPEN:
        raise InvestigationConcluded()


def _changed(actor: Actor, found: ChildInvestigation, event: str, summary: str,
             payload: dict[str, object], before: dict[str, object] | None = None) -> None:
    history.changed(actor, event=event, object_type=OBJECT, object_uuid=found.uuid,
                    citizen=found.citizen, case=found.case, summary=summary,
                    before=before, after=payload, payload=payload)


def investigation_target(actor: Actor, case_uuid: uuid.UUID | str) -> Case:
    """The case a caseworker is about to start an investigation on (the form page)."""
    case: Case = _load_case(case_uuid)
    access.write_case(actor, case, "børnefaglig undersøgelse")
    return case


# --- starting -----------------------------------------------------------------------------

def start_investigation(actor: Actor, case_uuid: uuid.UUID | str, *,
                        started_on: dt.date | None) -> ChildInvestigation:
    """Start an investigation on a child's open case; its conclusion is due four months
    after the start (``cases.deadline.created``, kind ``boerneundersoegelse``)."""
    case: Case = _load_case(case_uuid)
    staff = access.write_case(actor, case, "børnefaglig undersøgelse")
    if case.is_closed:
        raise CaseClosed()
    day = _past_date(started_on, "started_on")
    if case.citizen.age_on(day) >= ADULT_AGE:
        raise InvalidInput("assessment.investigation_not_a_child",
                           gettext_noop("En børnefaglig undersøgelse gælder et barn eller en "
                                        "ung under 18 år."), field="started_on")
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
        if ChildInvestigation.objects.filter(case=case,
                                             state=ChildInvestigation.State.OPEN).exists():
            raise InvalidInput("assessment.investigation_open",
                               gettext_noop("Sagen har allerede en igangværende "
                                            "undersøgelse."), field="started_on")
        due = deadlines.add_months(day, MONTHS)
        assert isinstance(due, dt.date)
        found = ChildInvestigation.objects.create(
            case=case, citizen=case.citizen, started_on=day, created_by=staff,
            created_at=clock.now())
        _changed(actor, found, "assessment.investigation.started",
                 f"Børnefaglig undersøgelse påbegyndt {day:%d.%m.%Y}",
                 {"started_on": day.isoformat(), "due_on": due.isoformat()})
        found.deadline = deadlines.add_for_case(
            actor, case, kind=CaseDeadline.Kind.INVESTIGATION,
            title=f"Børnefaglig undersøgelse: {case.citizen.first_name}", due_on=due,
            responsible=staff)
        found.save(update_fields=["deadline"])
        case_services.after_investigation_started(actor, case)
    return found


# --- reading ------------------------------------------------------------------------------

def get_investigation(actor: Actor, investigation_uuid: uuid.UUID | str) -> ChildInvestigation:
    found = _load(investigation_uuid)
    access.read_case(actor, found.case, "børnefaglig undersøgelse")
    return found


def investigations_on_case(actor: Actor, case_uuid: uuid.UUID | str) -> list[ChildInvestigation]:
    case = _load_case(case_uuid)
    access.read_case(actor, case, "børnefaglige undersøgelser")
    return list(ChildInvestigation.objects.filter(case=case)
                .select_related("case", "citizen", "deadline", "created_by__user"))


def notes_of(found: ChildInvestigation) -> dict[str, InvestigationNote]:
    return {n.theme: n for n in found.notes.all()}


def conversation_of(found: ChildInvestigation) -> ChildConversation | None:
    return ChildConversation.objects.filter(investigation=found).first()


def requests_of(found: ChildInvestigation) -> list[InvestigationRequest]:
    return list(found.requests.select_related("request__data_need").order_by("theme"))


def linkable_requests(found: ChildInvestigation) -> list[InformationRequest]:
    """The case's information requests not yet attached to a theme (the caller has read
    the investigation through the door)."""
    return list(InformationRequest.objects.filter(case=found.case,
                                                  investigation_link__isnull=True)
                .select_related("data_need").order_by("-created_at"))


# --- changing -----------------------------------------------------------------------------

def describe_theme(actor: Actor, investigation_uuid: uuid.UUID | str, *, theme: str,
                   text: str) -> InvestigationNote:
    """Write (or rewrite) what the investigation found about one ICS theme; the history
    keeps the earlier text."""
    found, staff = _for_change(actor, investigation_uuid, "børnefaglig undersøgelse")
    chosen = _theme(theme)
    body = _text(text, "text", "assessment.text_required",
                 gettext_noop("Skriv, hvad undersøgelsen viser om temaet."))
    with transaction.atomic():
        _lock_open(found)
        note = InvestigationNote.objects.filter(investigation=found, theme=chosen.code).first()
        before: dict[str, object] | None = {"text": note.text} if note else None
        if note is None:
            note = InvestigationNote(investigation=found, theme=chosen.code)
        note.text, note.written_by, note.written_at = body, staff, clock.now()
        note.save()
        _changed(actor, found, "assessment.investigation.theme_described",
                 chosen.title, {"theme": chosen.code}, before=before)
    return note


def record_conversation(actor: Actor, investigation_uuid: uuid.UUID | str, *, held: bool,
                        held_on: dt.date | None = None, summary: str = "",
                        reason_not_held: str = "") -> ChildConversation:
    """Record the conversation with the child: held (date, summary) or not (why not).
    Recorded once; a correction is a journal note on the case."""
    found, staff = _for_change(actor, investigation_uuid, "samtale med barnet")
    if held:
        day: dt.date | None = _past_date(held_on, "held_on")
        text = _text(summary, "summary", "assessment.summary_required",
                     gettext_noop("Skriv et resumé af samtalen."))
        reason = ""
    else:
        day, text = None, ""
        reason = _text(reason_not_held, "reason_not_held",
                       "assessment.conversation_reason_required",
                       gettext_noop("Skriv, hvorfor samtalen ikke er holdt."))
    with transaction.atomic():
        _lock_open(found)
        if ChildConversation.objects.filter(investigation=found).exists():
            raise InvalidInput("assessment.conversation_recorded",
                               gettext_noop("Samtalen med barnet er allerede registreret."),
                               field="held")
        made = ChildConversation.objects.create(
            investigation=found, held=held, held_on=day, summary=text,
            reason_not_held=reason, recorded_by=staff, recorded_at=clock.now())
        _changed(actor, found, "assessment.investigation.conversation",
                 "Samtale med barnet", {"held": held,
                                        "held_on": day.isoformat() if day else None})
    return made


def link_request(actor: Actor, investigation_uuid: uuid.UUID | str, *,
                 request_uuid: uuid.UUID | str, theme: str) -> InvestigationRequest:
    """Attach one of the case's information requests to the ICS theme it informs."""
    found, _staff = _for_change(actor, investigation_uuid, "børnefaglig undersøgelse")
    chosen = _theme(theme)
    try:
        key = uuid.UUID(str(request_uuid))
    except ValueError:
        key = None
    request = (InformationRequest.objects.filter(uuid=key, case=found.case).first()
               if key else None)
    if request is None:
        raise InvalidInput("assessment.request_not_on_case",
                           gettext_noop("Vælg en indhentning på denne sag."), field="request")
    with transaction.atomic():
        _lock_open(found)
        if InvestigationRequest.objects.filter(request=request).exists():
            raise InvalidInput("assessment.request_linked",
                               gettext_noop("Indhentningen er allerede knyttet til et tema."),
                               field="request")
        link = InvestigationRequest.objects.create(investigation=found, request=request,
                                                   theme=chosen.code)
        _changed(actor, found, "assessment.investigation.request_linked",
                 chosen.title, {"theme": chosen.code, "request": str(request.uuid)})
    return link


def conclude(actor: Actor, investigation_uuid: uuid.UUID | str, *,
             conclusion: str) -> ChildInvestigation:
    """Conclude: the conclusion (which feeds a decision) and the deadline met. The
    conversation with the child must be recorded first (held or why not)."""
    found, _staff = _for_change(actor, investigation_uuid, "afslut undersøgelse")
    text = _text(conclusion, "conclusion", "assessment.conclusion_required",
                 gettext_noop("Skriv undersøgelsens konklusion."))
    if not ChildConversation.objects.filter(investigation=found).exists():
        raise InvalidInput("assessment.conversation_missing",
                           gettext_noop("Registrér samtalen med barnet, eller hvorfor den "
                                        "ikke er holdt, før undersøgelsen afsluttes."),
                           field="conclusion")
    with transaction.atomic():
        _lock_open(found)
        found.state = ChildInvestigation.State.CONCLUDED
        found.conclusion, found.concluded_at = text, clock.now()
        found.save(update_fields=["state", "conclusion", "concluded_at"])
        _changed(actor, found, "assessment.investigation.concluded",
                 "Børnefaglig undersøgelse afsluttet", {"state": found.state},
                 before={"state": ChildInvestigation.State.OPEN})
        row = (CaseDeadline.objects.select_for_update(of=("self",))
               .select_related("citizen", "case").filter(pk=found.deadline_id).first()
               if found.deadline_id is not None else None)
        if row is not None and row.open:
            deadlines.meet_internal(actor, row)
    return found
