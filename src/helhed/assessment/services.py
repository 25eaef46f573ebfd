"""Information requests (indhentning): asking, answering, reminding, and the lists.

Asking (:func:`request_information`) is a change to the case: the door must let the actor
write on it (``cases.access.write_case``). The basis is then checked — an active consent for
the subject covering the data need's category (and the recipient, when the consent names
departments), or a legal-basis rule of one of the actor's roles covering it — and the result,
allowed or refused, goes to the access log before anything is written. A refusal names what
is missing and saves nothing.

Answering (:func:`answer`) is for the supplier: staff of the recipient unit (a school, a
day-care) or, for a department without a unit, of the recipient department. The supplier sees
the request — purpose, the child's name and CPR number, what is asked, the period — never the
case; every look is logged with the request as its basis. For external recipients (a doctor,
a hospital, another municipality) a caseworker with write access registers the answer that
came by post or phone (``digital`` false). The answer is filed on the case as a journal entry,
with a document when a file came (``assessment.filing``), in the same transaction as the
answer, its history row and its event.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop

from helhed.assessment import filing, structured
from helhed.assessment.basis import check_basis
from helhed.assessment.models import InformationAnswer, InformationRequest, RecipientKind
from helhed.cases import access, deadlines, history
from helhed.cases.models import Case, CaseDeadline
from helhed.cases.services import CaseClosed, CaseNotFound
from helhed.catalogue.models import DataNeed
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.organisation.models import Department, StaffMember, Unit
from helhed.organisation.services import staff_of
from helhed.sharing import policy
from helhed.sharing.models import DataCategory
from helhed.sharing.policy import Actor, Category, Purpose

MAX_PURPOSE = 2000
MAX_NAME = 200
MAX_TEXT = 20000
MAX_REASON = 1000
EXTERNAL_KINDS = frozenset({RecipientKind.DOCTOR, RecipientKind.HOSPITAL,
                            RecipientKind.OTHER_MUNICIPALITY})
UNIT_KINDS = {RecipientKind.SCHOOL: Unit.Kind.SCHOOL, RecipientKind.DAYCARE: Unit.Kind.DAYCARE}
REQUEST_FIELDS = ("data_need", "category", "recipient_kind", "recipient_department",
                  "recipient_unit", "recipient_name", "purpose", "basis_text", "period_from",
                  "period_to", "deadline", "state")
# Choices the pages offer (views may not name the models themselves).
RECIPIENT_KIND_CHOICES = RecipientKind.choices
STATE_CHOICES = InformationRequest.State.choices


class RequestNotFound(NotFound):
    code = "assessment.request_not_found"
    message = gettext_noop("Indhentningen findes ikke.")


class RequestClosed(InvalidInput):
    code = "assessment.request_closed"
    message = gettext_noop("Indhentningen er %(state)s og kan ikke ændres.")


# --- loading ------------------------------------------------------------------------------

def _load_case(case_uuid: uuid.UUID | str) -> Case:
    try:
        key = uuid.UUID(str(case_uuid))
    except ValueError:
        raise CaseNotFound() from None
    case = (Case.objects.select_related("citizen", "department", "responsible__user")
            .filter(uuid=key).first())
    if case is None:
        raise CaseNotFound()
    return case


def _requests() -> QuerySet[InformationRequest]:
    return InformationRequest.objects.select_related(
        "case__citizen", "case__department", "case__responsible__user", "citizen",
        "data_need", "category", "recipient_department", "recipient_unit",
        "created_by__user", "created_by__unit", "consent", "access_rule")


def _load(request_uuid: uuid.UUID | str) -> InformationRequest:
    try:
        key = uuid.UUID(str(request_uuid))
    except ValueError:
        raise RequestNotFound() from None
    found = _requests().filter(uuid=key).first()
    if found is None:
        raise RequestNotFound()
    return found


def request_target(actor: Actor, case_uuid: uuid.UUID | str) -> Case:
    """The case a caseworker is about to request information for (the form page)."""
    case = _load_case(case_uuid)
    access.write_case(actor, case, "indhentning")
    return case


# --- validating a request -----------------------------------------------------------------

def _need(data_need_id: int | None) -> tuple[DataNeed, DataCategory]:
    need = DataNeed.objects.filter(pk=data_need_id).first() if data_need_id else None
    if need is None:
        raise InvalidInput("assessment.need_required",
                           gettext_noop("Vælg hvilke oplysninger, du vil indhente."),
                           field="data_need")
    category = need.categories.order_by("sort_order").first()  # type: ignore[attr-defined]
    if category is None:
        raise InvalidInput("assessment.need_without_category",
                           gettext_noop("Databehovet hører ikke til nogen datakategori; bed "
                                        "en administrator om at tilknytte det."),
                           field="data_need")
    return need, category


@dataclass(frozen=True)
class Recipient:
    kind: str
    department: Department | None
    unit: Unit | None
    name: str


def _recipient(staff: StaffMember, kind: str, unit_id: int | None,
               department_code: str | None, name: str) -> Recipient:
    if kind not in RecipientKind.values:
        raise InvalidInput("assessment.recipient_kind_invalid",
                           gettext_noop("Vælg hvem du vil spørge."), field="recipient_kind")
    if kind in EXTERNAL_KINDS:
        name = " ".join((name or "").split())
        if not name:
            raise InvalidInput("assessment.recipient_name_required",
                               gettext_noop("Skriv modtagerens navn, fx lægens eller "
                                            "hospitalsafdelingens."), field="recipient_name")
        if len(name) > MAX_NAME:
            raise InvalidInput("assessment.recipient_name_too_long",
                               gettext_noop("Højst 200 tegn."), field="recipient_name")
        return Recipient(kind, None, None, name)
    if kind in UNIT_KINDS:
        unit = (Unit.objects.select_related("department")
                .filter(pk=unit_id, kind=UNIT_KINDS[RecipientKind(kind)],
                        department__municipality_id=staff.municipality_id).first()
                if unit_id else None)
        if unit is None:
            raise InvalidInput("assessment.recipient_unit_required",
                               gettext_noop("Vælg skolen eller dagtilbuddet."),
                               field="recipient_unit")
        return Recipient(kind, unit.department, unit, "")
    department = (Department.objects.filter(code=department_code,
                                            municipality_id=staff.municipality_id).first()
                  if department_code else None)
    if department is None:
        raise InvalidInput("assessment.recipient_department_required",
                           gettext_noop("Vælg afdelingen."), field="recipient_department")
    return Recipient(kind, department, None, "")


def _period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    if start is None:
        raise InvalidInput("assessment.period_required",
                           gettext_noop("Angiv periodens start."), field="period_from")
    if end is None:
        raise InvalidInput("assessment.period_required",
                           gettext_noop("Angiv periodens slutning."), field="period_to")
    if end < start:
        raise InvalidInput("assessment.period_order",
                           gettext_noop("Perioden slutter før den begynder."),
                           field="period_to")
    return start, end


def _deadline(deadline: dt.date | None) -> dt.date:
    if deadline is None:
        raise InvalidInput("assessment.deadline_required", gettext_noop("Angiv en svarfrist."),
                           field="deadline")
    if deadline <= clock.today():
        raise InvalidInput("assessment.deadline_past",
                           gettext_noop("Svarfristen skal ligge efter i dag."), field="deadline")
    return deadline


def _purpose(text: str, need: DataNeed) -> str:
    text = (text or "").strip() or need.purpose
    if len(text) > MAX_PURPOSE:
        raise InvalidInput("assessment.purpose_too_long", gettext_noop("Højst 2000 tegn."),
                           field="purpose")
    return text


# --- asking -------------------------------------------------------------------------------

def request_information(
    actor: Actor,
    case_uuid: uuid.UUID | str,
    *,
    data_need_id: int | None,
    recipient_kind: str,
    recipient_unit_id: int | None = None,
    recipient_department_code: str | None = None,
    recipient_name: str = "",
    purpose: str = "",
    consent_uuid: uuid.UUID | str | None = None,
    rule_code: str | None = None,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    deadline: dt.date | None = None,
) -> InformationRequest:
    """Send a request for one data need about the case's citizen. ``purpose`` defaults to
    the catalogue's purpose of the need. Emits ``assessment.information_request.sent``, and
    puts the answer deadline on the requester's work list (``cases.deadline.created``, kind
    ``indhentning``) in the same transaction: the answer meets it, cancelling waives it."""
    case = _load_case(case_uuid)
    staff = access.write_case(actor, case, "indhentning")
    if case.is_closed:
        raise CaseClosed()
    need, category = _need(data_need_id)
    recipient = _recipient(staff, recipient_kind, recipient_unit_id,
                           recipient_department_code, recipient_name)
    text = _purpose(purpose, need)
    start, end = _period(period_from, period_to)
    due = _deadline(deadline)
    basis = check_basis(actor, case, category, recipient.department,
                        consent_uuid=consent_uuid, rule_code=rule_code, detail=need.title)
    with transaction.atomic():
        request = InformationRequest.objects.create(
            case=case, citizen=case.citizen, data_need=need, category=category,
            recipient_kind=recipient.kind, recipient_department=recipient.department,
            recipient_unit=recipient.unit, recipient_name=recipient.name, purpose=text,
            consent=basis.consent, access_rule=basis.rule, basis_text=basis.text[:300],
            period_from=start, period_to=end, deadline=due, created_by=staff,
            created_at=clock.now())
        history.changed(
            actor, event="assessment.information_request.sent",
            object_type="informationrequest", object_uuid=request.uuid, citizen=case.citizen,
            case=case, summary=f"{need.title} – {request.recipient_label}",
            after=history.snapshot(request, REQUEST_FIELDS),
            payload={"data_need": need.pk, "category": category.code,
                     "recipient_kind": recipient.kind,
                     "recipient_unit": recipient.unit.pk if recipient.unit else None,
                     "recipient_department": recipient.department.code
                     if recipient.department else None,
                     "basis": "samtykke" if basis.consent else "hjemmel",
                     "deadline": due.isoformat()})
        request.case_deadline = deadlines.add_for_case(
            actor, case, kind=CaseDeadline.Kind.INFORMATION_REQUEST,
            title=f"Svar på indhentning: {request.recipient_label}", due_on=due,
            responsible=staff)
        request.save(update_fields=["case_deadline"])
    return request


def cancel(actor: Actor, request_uuid: uuid.UUID | str, reason: str) -> InformationRequest:
    """Withdraw an open request (the caseworker no longer needs it), with a reason."""
    request = _load(request_uuid)
    access.write_case(actor, request.case, "annuller indhentning")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("assessment.reason_required",
                           gettext_noop("Skriv hvorfor indhentningen annulleres."),
                           field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput("assessment.reason_too_long", gettext_noop("Højst 1000 tegn."),
                           field="reason")
    with transaction.atomic():
        _lock_open(request)
        old = request.state
        request.state = InformationRequest.State.CANCELLED
        request.closed_at = clock.now()
        request.cancel_reason = reason
        request.save(update_fields=["state", "closed_at", "cancel_reason"])
        history.changed(
            actor, event="assessment.information_request.cancelled",
            object_type="informationrequest", object_uuid=request.uuid,
            citizen=request.citizen, case=request.case, summary=request.data_need.title,
            before={"state": old}, after={"state": request.state, "cancel_reason": reason},
            payload={"state": request.state})
        _close_deadline(actor, request, waived=f"Indhentningen er annulleret: {reason}")
    return request


def _close_deadline(actor: Actor, request: InformationRequest, *, waived: str = "") -> None:
    """Meet the request's deadline on the work list (the answer came) or, with ``waived``
    as the reason, waive it (the request was cancelled). A deadline already met or waived
    (the case was closed meanwhile) is left as it is. In the caller's transaction."""
    if request.case_deadline_id is None:
        return  # a request older than its deadline on the work list
    row = (CaseDeadline.objects.select_for_update(of=("self",))
           .select_related("citizen", "case").filter(pk=request.case_deadline_id).first())
    if row is None or not row.open:
        return
    if waived:
        deadlines.waive_internal(actor, row, waived)
    else:
        deadlines.meet_internal(actor, row)


def _lock_open(request: InformationRequest) -> None:
    state = (InformationRequest.objects.select_for_update().filter(pk=request.pk)
             .values_list("state", flat=True).first())
    if state not in InformationRequest.OPEN_STATES:
        label = InformationRequest.State(state).label if state else ""
        raise RequestClosed(params={"state": str(label).lower()})


# --- the supplier -------------------------------------------------------------------------

def _supplies(staff: StaffMember | None, request: InformationRequest) -> bool:
    """Is the staff member the request's supplier (its unit, or its department when the
    request names no unit)?"""
    if staff is None or staff.unit_id is None or staff.unit is None:
        return False
    if request.recipient_unit_id is not None:
        return staff.unit_id == request.recipient_unit_id
    return (request.recipient_department_id is not None
            and staff.unit.department_id == request.recipient_department_id)


def is_supplier(actor: Actor, request_uuid: uuid.UUID | str) -> bool:
    """Whether the actor answers this request (the pages send suppliers to the answer page)."""
    try:
        request = _load(request_uuid)
    except RequestNotFound:
        return False
    return _supplies(staff_of(actor), request)


def _supplier_look(actor: Actor, request: InformationRequest, allowed: bool,
                   action: str = "read") -> None:
    requester = request.created_by
    decision = policy.Decision(
        allowed, f"Indhentning fra {requester} ({request.case.department})" if allowed else "",
        "" if allowed else gettext_noop("Kun modtageren af indhentningen kan se den."))
    policy.record(actor, [policy.look(decision, request.citizen.uuid, Category.MASTER_DATA,
                                      purpose=Purpose.CASEWORK, action=action,
                                      detail=f"indhentning: {request.data_need.title}")])


def _as_supplier(actor: Actor, request: InformationRequest, action: str = "read") -> None:
    allowed = _supplies(staff_of(actor), request)
    _supplier_look(actor, request, allowed, action)
    if not allowed:
        raise RequestNotFound()


@dataclass(frozen=True)
class SupplierView:
    """What the supplier sees of a request: never the case, its number or its content."""

    uuid: uuid.UUID
    data_need: str
    data_need_purpose: str
    structure: str  # structured.ABSENCE, structured.ADMISSIONS or ""
    purpose: str
    child_name: str
    child_cpr: str
    period_from: dt.date
    period_to: dt.date
    deadline: dt.date
    state: str
    state_label: str
    is_open: bool
    overdue: bool
    reminders_sent: int
    recipient: str
    requested_by: str
    requested_from: str
    requested_phone: str
    created_at: dt.datetime
    answer: AnswerView | None


@dataclass(frozen=True)
class AnswerView:
    answered_at: dt.datetime
    answered_by: str
    text: str
    rows: list[dict[str, Any]]
    filename: str


def _answer_view(request: InformationRequest) -> AnswerView | None:
    reply = answer_of(request) if request.state == InformationRequest.State.ANSWERED else None
    if reply is None:
        return None
    return AnswerView(reply.answered_at, str(reply.answered_by), reply.text,
                      list(reply.structured or []),
                      reply.document.filename if reply.document is not None else "")


def _supplier_view(request: InformationRequest) -> SupplierView:
    requester = request.created_by
    answer = _answer_view(request)
    return SupplierView(
        uuid=request.uuid, data_need=request.data_need.title,
        data_need_purpose=request.data_need.purpose,
        structure=structured.kind_of(request.data_need), purpose=request.purpose,
        child_name=request.citizen.full_name, child_cpr=request.citizen.cpr,
        period_from=request.period_from, period_to=request.period_to,
        deadline=request.deadline, state=request.state,
        state_label=str(request.get_state_display()), is_open=request.is_open,
        overdue=request.is_open and request.deadline < clock.today(),
        reminders_sent=request.reminders_sent, recipient=request.recipient_label,
        requested_by=str(requester), requested_from=str(requester.unit or ""),
        requested_phone=requester.phone or (requester.unit.phone if requester.unit else ""),
        created_at=request.created_at, answer=answer)


def supplier_request(actor: Actor, request_uuid: uuid.UUID | str) -> SupplierView:
    """The request as its supplier sees it (logged); others get "not found" (logged)."""
    request = _load(request_uuid)
    _as_supplier(actor, request)
    return _supplier_view(request)


def requests_for(actor: Actor) -> list[SupplierView]:
    """The supplier's inbox: requests to the actor's unit (or department, for requests to a
    department without a unit), open ones first by deadline, then the latest answered.
    Each child shown is logged."""
    staff = staff_of(actor)
    if staff is None or staff.unit is None:
        raise AccessDenied(message=gettext_noop("Kun medarbejdere har en indbakke."))
    mine = Q(recipient_unit_id=staff.unit_id) | Q(
        recipient_unit__isnull=True, recipient_department_id=staff.unit.department_id)
    rows = list(_requests().select_related("answer__answered_by__user", "answer__document")
                .filter(mine)
                .order_by("deadline", "created_at")[:500])
    rows.sort(key=lambda r: (not r.is_open, r.deadline if r.is_open else dt.date.min))
    views = [_supplier_view(r) for r in rows]
    looks = [policy.look(policy.Decision(True, f"Indhentning fra {r.created_by}"),
                         r.citizen.uuid, Category.MASTER_DATA, purpose=Purpose.CASEWORK,
                         detail="indbakke for indhentninger") for r in rows]
    policy.record(actor, looks)
    return views


# --- answering ----------------------------------------------------------------------------

def _answerer(actor: Actor, request: InformationRequest) -> tuple[StaffMember, bool]:
    """(staff, digital): the supplier answering in helhed, or — for an external recipient
    only — a caseworker with write access registering an answer that came from outside."""
    staff = staff_of(actor)
    if _supplies(staff, request):
        _supplier_look(actor, request, True, action="write")
        assert staff is not None
        return staff, True
    if request.recipient_kind in EXTERNAL_KINDS:
        return access.write_case(actor, request.case, "registrér svar på indhentning"), False
    _supplier_look(actor, request, False, action="write")
    raise RequestNotFound()


def answer(
    actor: Actor,
    request_uuid: uuid.UUID | str,
    *,
    text: str = "",
    structured_rows: Any = None,
    file: tuple[str, bytes] | None = None,
) -> InformationAnswer:
    """Answer a request: free text, the structured rows where the need has a form, and an
    optional file. Filed on the case; emits ``assessment.information_request.answered``."""
    request = _load(request_uuid)
    staff, digital = _answerer(actor, request)
    if not request.is_open:
        raise RequestClosed(params={"state": str(request.get_state_display()).lower()})
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput("assessment.answer_too_long", gettext_noop("Højst 20000 tegn."),
                           field="text")
    kind = structured.kind_of(request.data_need)
    rows = structured.validate(kind, structured_rows, request.period_from, request.period_to,
                               clock.today())
    checked = filing.CheckedFile(*file) if file is not None and (file[0] or file[1]) else None
    if not text and not rows and checked is None:
        raise InvalidInput("assessment.answer_empty",
                           gettext_noop("Skriv et svar, udfyld skemaet eller vedhæft et "
                                        "dokument."), field="text")
    return _file_answer(actor, staff, request, digital, text, kind, rows, checked)


def _file_answer(actor: Actor, staff: StaffMember, request: InformationRequest, digital: bool,
                 text: str, kind: str, rows: list[dict[str, Any]],
                 checked: filing.CheckedFile | None) -> InformationAnswer:
    case = request.case
    need = request.data_need
    title = f"Svar på indhentning: {need.title}"
    source = f"Fra {request.recipient_label}, besvaret af {staff}."
    body = "\n\n".join(p for p in (source, structured.as_text(kind, rows), text) if p)
    with transaction.atomic():
        _lock_open(request)
        entry = filing.journal_entry(actor, staff, case, title, body)
        document = filing.document(actor, staff, case, title, checked) if checked else None
        now = clock.now()
        reply = InformationAnswer.objects.create(
            request=request, answered_by=staff, answered_at=now, digital=digital, text=text,
            structured=rows, journal_entry=entry, document=document)
        request.state = InformationRequest.State.ANSWERED
        request.closed_at = now
        request.save(update_fields=["state", "closed_at"])
        history.changed(
            actor, event="assessment.information_request.answered",
            object_type="informationrequest", object_uuid=request.uuid,
            citizen=request.citizen, case=case, summary=need.title,
            before={"state": "sendt"}, after={"state": request.state},
            payload={"answer": str(reply.uuid), "digital": digital,
                     "structured_rows": len(rows), "document": document is not None})
        _close_deadline(actor, request)
    return reply


# --- reminders ----------------------------------------------------------------------------

def remind_overdue(now: dt.datetime | None = None) -> int:
    """Remind the suppliers of open requests past their deadline: at most one reminder per
    request per day (safe to run as often as you like). Marks them overdue; emits
    ``assessment.information_request.reminded``. Returns the number of reminders sent."""
    from django.utils import timezone

    now = now or clock.now()
    today = timezone.localdate(now)
    start_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    due = (InformationRequest.objects.filter(state__in=InformationRequest.OPEN_STATES,
                                             deadline__lt=today)
           .filter(Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lt=start_of_day))
           .values_list("pk", flat=True))
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            request = (_requests().select_for_update(of=("self",))
                       .filter(pk=pk, state__in=InformationRequest.OPEN_STATES)
                       .filter(Q(last_reminder_at__isnull=True)
                               | Q(last_reminder_at__lt=start_of_day)).first())
            if request is None:
                continue
            old = request.state
            request.state = InformationRequest.State.OVERDUE
            request.reminders_sent += 1
            request.last_reminder_at = now
            request.save(update_fields=["state", "reminders_sent", "last_reminder_at"])
            history.changed(
                None, event="assessment.information_request.reminded",
                object_type="informationrequest", object_uuid=request.uuid,
                citizen=request.citizen, case=request.case, summary=request.data_need.title,
                before={"state": old}, after={"state": request.state,
                                              "reminders_sent": request.reminders_sent},
                payload={"reminders_sent": request.reminders_sent,
                         "deadline": request.deadline.isoformat()})
            sent += 1
    return sent


# --- the caseworker's side ----------------------------------------------------------------

def requests_of_case(actor: Actor, case: Case) -> list[InformationRequest]:
    """The case's requests, newest first, with their answers (for the case page)."""
    access.read_case(actor, case, detail="indhentninger")
    return list(_requests().select_related("answer__answered_by__user", "answer__document",
                                           "answer__journal_entry")
                .filter(case=case).order_by("-created_at", "-id"))


def get_request(actor: Actor, request_uuid: uuid.UUID | str) -> InformationRequest:
    """A request with its answer, for a caseworker with access to its case."""
    request = _load(request_uuid)
    access.read_case(actor, request.case, detail="indhentning")
    return request


def answer_of(request: InformationRequest) -> InformationAnswer | None:
    try:
        return request.answer
    except InformationAnswer.DoesNotExist:
        return None


def may_register_answer(request: InformationRequest) -> bool:
    return request.is_open and request.recipient_kind in EXTERNAL_KINDS


def structure_of(request: InformationRequest) -> str:
    return structured.kind_of(request.data_need)



# --- choices for the form -----------------------------------------------------------------

@dataclass(frozen=True)
class NeedChoice:
    id: int
    number: int
    title: str
    purpose: str
    provided_by: str
    structure: str


def need_groups() -> list[tuple[str, list[NeedChoice]]]:
    """The catalogue's data needs grouped by paragraph (SEL § 50 children, § 85 adults)."""
    groups: dict[str, list[NeedChoice]] = {}
    for need in DataNeed.objects.order_by("paragraph", "number"):
        groups.setdefault(need.paragraph, []).append(NeedChoice(
            need.pk, need.number, need.title, need.purpose, need.provided_by,
            structured.kind_of(need)))
    return list(groups.items())


def recipient_choices(actor: Actor) -> dict[str, list[tuple[str, str]]]:
    """Schools, day-care units and departments of the actor's municipality, for the form."""
    staff = access.caseworker(actor)
    units = (Unit.objects.filter(department__municipality_id=staff.municipality_id,
                                 kind__in=[Unit.Kind.SCHOOL, Unit.Kind.DAYCARE])
             .order_by("name").values_list("pk", "name", "kind"))
    departments = (Department.objects.filter(municipality_id=staff.municipality_id)
                   .order_by("name").values_list("code", "name"))
    return {
        "schools": [(str(pk), name) for pk, name, kind in units if kind == Unit.Kind.SCHOOL],
        "daycare": [(str(pk), name) for pk, name, kind in units if kind == Unit.Kind.DAYCARE],
        "departments": [(code, name) for code, name in departments],
    }
