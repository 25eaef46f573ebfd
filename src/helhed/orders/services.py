"""Order operations: send an order from a grant, the provider's answer, delivery and
status reports. Each takes the acting user, asks the door, runs in one transaction and
records history and its event (``orders.order.*``) through ``cases.history``.

Doors: a caseworker reaches an order through its case (``cases.access``); provider staff
reach only their own provider's orders (``access_order``), and every look is logged.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from helhed.cases import access as case_access
from helhed.cases import deadlines, history
from helhed.cases.models import Case, CaseDeadline, Grant
from helhed.catalogue import interventions
from helhed.catalogue.models import InterventionType
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.orders.models import Delivery, Order, StatusReport
from helhed.organisation.models import Provider, StaffMember
from helhed.organisation.services import staff_of
from helhed.people.models import Citizen
from helhed.plans.models import Section
from helhed.sharing import consents as consent_rules
from helhed.sharing import policy
from helhed.sharing.models import Consent
from helhed.sharing.policy import Actor, Category, Decision, Purpose

ORDER_FIELDS = ("state", "extent", "unit", "start", "next_report_due", "decline_reason")
MAX_EXTENT = decimal.Decimal("99999.99")
SHARED_BY_ORDER = gettext_noop("Bestilling til udfører")
NOT_OWN_ORDER = gettext_noop("Bestillingen er sendt til en anden udfører.")
CONSENT_MISSING = gettext_noop(
    "Bestillingen kan ikke sendes: der mangler et gyldigt samtykke fra %(givers)s til at "
    "dele oplysninger om %(category)s med %(provider)s. Registrér samtykket under "
    "\"Samtykker\" på borgeren, og send bestillingen igen.")


class OrderNotFound(NotFound):
    code = "orders.not_found"
    message = gettext_noop("Bestillingen findes ikke.")


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# --- doors --------------------------------------------------------------------------------

def provider_staff(actor: Actor) -> StaffMember:
    staff = staff_of(actor) if actor is not None and actor.is_authenticated else None
    if staff is None or staff.provider_id is None:
        raise AccessDenied(code="orders.not_provider",
                           message=gettext_noop("Kun en udførers medarbejdere har adgang."))
    return staff


def _orders() -> QuerySet[Order]:
    return Order.objects.select_related(
        "grant", "case__citizen", "case__department", "case__unit", "case__responsible__user",
        "citizen", "provider", "intervention_type", "report_deadline")


def _load(order_uuid: Any) -> Order:
    key = _uuid(order_uuid)
    order = _orders().filter(uuid=key).first() if key else None
    if order is None:
        raise OrderNotFound()
    return order


def _log_provider_look(actor: Actor, order: Order, allowed: bool) -> None:
    decision = Decision(allowed, SHARED_BY_ORDER if allowed else "",
                        "" if allowed else NOT_OWN_ORDER)
    policy.record(actor, [policy.look(decision, order.citizen.uuid, Category.CASE_CONTENT,
                                      purpose=Purpose.CASEWORK,
                                      detail=f"bestilling {order.uuid}")])


def access_order(actor: Actor, order_uuid: Any) -> tuple[Order, StaffMember | None]:
    """The order for its provider's staff (the provider returned) or a caseworker with a
    basis for its case (None returned). Anyone else: "not found" (logged)."""
    order = _load(order_uuid)
    staff = staff_of(actor) if actor is not None and actor.is_authenticated else None
    if staff is not None and staff.provider_id is not None:
        own = staff.provider_id == order.provider_id
        _log_provider_look(actor, order, own)
        if not own:
            raise OrderNotFound()
        return order, staff
    try:
        case_access.read_case(actor, order.case, f"bestilling {order.uuid}")
    except AccessDenied:
        raise OrderNotFound() from None
    return order, None


def shared_sections(order: Order) -> list[Section]:
    """The plan sections the order shares: only those whose audience is its provider, and
    only while the consent to share with the provider is in force (a withdrawal counts
    from the next read; the order itself stays, so the provider can finish or stop)."""
    if not _consent_in_force(order.case.citizen, order.provider, order.case.department.code):
        return []
    return [s for s in order.sections.all() if s.provider_id == order.provider_id]


def _consent_in_force(citizen: Any, provider: Provider, department_code: str) -> bool:
    category = policy.category_of_department(department_code)
    today = clock.today()
    return Consent.objects.filter(
        citizen=citizen, withdrawn_at__isnull=True, valid_from__lte=today,
        valid_to__gte=today, to_providers=provider, categories__code=category).exists()


# --- sending ------------------------------------------------------------------------------

def _grant(grant_uuid: Any) -> Grant:
    key = _uuid(grant_uuid)
    grant = (Grant.objects.select_related("case__citizen", "case__department", "case__unit",
                                          "provider", "citizen")
             .filter(uuid=key).first() if key else None)
    if grant is None:
        raise NotFound("orders.grant_not_found", gettext_noop("Bevillingen findes ikke."),
                       field="grant")
    return grant


def parse_extent(value: Any) -> decimal.Decimal:
    try:
        extent = decimal.Decimal(str(value).strip().replace(",", "."))
    except decimal.InvalidOperation:
        extent = decimal.Decimal("NaN")
    if not extent.is_finite() or extent <= 0 or extent > MAX_EXTENT:
        raise InvalidInput("orders.extent_invalid", gettext_noop(
            "Omfanget skal være et tal større end 0, fx 5 eller 2,5."), field="extent")
    return extent.quantize(decimal.Decimal("0.01"))


def _intervention(code: str) -> InterventionType:
    try:
        kind = interventions.get(code)
    except NotFound:
        raise InvalidInput("orders.intervention_unknown", gettext_noop(
            "Indsatstypen %(code)s findes ikke i indsatskataloget."),
            field="intervention_type", params={"code": code}) from None
    if not kind.active:
        raise InvalidInput("orders.intervention_inactive", gettext_noop(
            "Indsatstypen %(code)s kan ikke længere bestilles."),
            field="intervention_type", params={"code": code})
    return kind


def _sections(keys: Sequence[Any], grant: Grant, provider: Provider) -> list[Section]:
    wanted = {_uuid(k) for k in keys}
    found = list(Section.objects.filter(uuid__in={k for k in wanted if k},
                                        version__plan__cases=grant.case).distinct())
    if None in wanted or len({s.uuid for s in found}) != len(wanted):
        raise InvalidInput("orders.section_unknown", gettext_noop(
            "Et af de valgte afsnit hører ikke til en plan på sagen."), field="sections")
    for section in found:
        if section.provider_id != provider.pk:
            raise InvalidInput("orders.section_not_shared", gettext_noop(
                "Afsnittet \"%(title)s\" er ikke delt med %(provider)s. Del afsnittet med "
                "udføreren i planen først."), field="sections",
                params={"title": section.title, "provider": provider.name})
    return found


def _givers(citizen: Citizen, today: dt.date) -> str:
    if citizen.age_on(today) >= consent_rules.ADULT_AGE:
        return citizen.full_name
    holders = consent_rules.current_custody_holders(citizen, today)
    names = [h.full_name for h in holders] or [citizen.full_name]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def check_can_order(grant: Grant, provider: Provider) -> None:
    """Consent to share the case's data category with the provider must be on file and in
    force; otherwise what is missing, and from whom (``orders.consent_missing``)."""
    assert grant.case is not None
    today = clock.today()
    category = policy.category_of_department(grant.case.department.code)
    if not _consent_in_force(grant.case.citizen, provider, grant.case.department.code):
        info = policy.categories().by_code.get(category)
        raise InvalidInput("orders.consent_missing", CONSENT_MISSING, field="consent", params={
            "givers": _givers(grant.case.citizen, today),
            "category": info.name if info is not None else category,
            "provider": provider.name})


def _check_input(grant: Grant, start: dt.date, purpose: str, every: int) -> Provider:
    if grant.case is None:
        raise InvalidInput("orders.grant_without_case", gettext_noop(
            "Bevillingen hører ikke til en sag. En bestilling sendes fra en bevilling på en "
            "sag."), field="grant")
    if grant.provider is None:
        raise InvalidInput("orders.provider_missing", gettext_noop(
            "Bevillingen har ingen udfører. Vælg udføreren på bevillingen først."),
            field="grant")
    if not purpose.strip():
        raise InvalidInput("orders.purpose_required", gettext_noop(
            "Skriv formålet med indsatsen."), field="purpose")
    if not 1 <= every <= 366:
        raise InvalidInput("orders.schedule_invalid", gettext_noop(
            "Statusrapporter skal aftales med mellem 1 og 366 dages mellemrum."),
            field="report_every_days")
    if start < grant.valid_from:
        raise InvalidInput("orders.start_before_grant", gettext_noop(
            "Indsatsen kan ikke starte før bevillingen."), field="start")
    return grant.provider


def send_order(actor: Actor, grant_uuid: Any, *, intervention_code: str, extent: Any,
               start: dt.date, purpose: str, sections: Sequence[Any] = (),
               report_every_days: int = 90) -> Order:
    """Send an order from a grant to the grant's provider; refused, with nothing saved,
    without consent to share with that provider."""
    grant = _grant(grant_uuid)
    if grant.case is not None:
        staff = case_access.write_case(actor, grant.case, "bestilling")
    else:
        staff = case_access.caseworker(actor)
    provider = _check_input(grant, start, purpose, report_every_days)
    kind = _intervention(intervention_code)
    amount = parse_extent(extent)
    chosen = _sections(sections, grant, provider)
    check_can_order(grant, provider)
    assert grant.case is not None
    with transaction.atomic():
        order = Order.objects.create(
            grant=grant, case=grant.case, citizen=grant.case.citizen, provider=provider,
            intervention_type=kind, extent=amount, unit=kind.unit, start=start,
            purpose=purpose.strip(), report_every_days=report_every_days,
            sent_at=clock.now(), sent_by=staff)
        order.sections.set(chosen)
        _record_change(actor, order, "orders.order.sent",
                       after=history.snapshot(order, ORDER_FIELDS))
    return order


def _record_change(actor: Actor, order: Order, event: str, *, before: dict[str, Any] | None = None,
             after: dict[str, Any] | None = None) -> None:
    history.changed(actor, event=event, object_type="order", object_uuid=order.uuid,
                    citizen=order.citizen, case=order.case,
                    summary=str(order.intervention_type.name), before=before, after=after,
                    payload={"provider": str(order.provider.uuid), "state": order.state})


# --- the provider's answer ----------------------------------------------------------------

def _own_open(actor: Actor, order_uuid: Any) -> tuple[Order, StaffMember]:
    staff = provider_staff(actor)
    order, _ = access_order(actor, order_uuid)
    if order.state != Order.State.SENT:
        raise InvalidInput("orders.already_answered", gettext_noop(
            "Bestillingen er allerede besvaret."))
    return order, staff


def _report_deadline(actor: Actor, order: Order, due_on: dt.date) -> CaseDeadline:
    return deadlines.add_for_case(
        actor, order.case, kind=CaseDeadline.Kind.FOLLOW_UP,
        title=f"Statusrapport fra {order.provider.name}: {order.intervention_type.name}",
        due_on=due_on, responsible=order.case.responsible)


def accept(actor: Actor, order_uuid: Any) -> Order:
    order, staff = _own_open(actor, order_uuid)
    before = history.snapshot(order, ORDER_FIELDS)
    with transaction.atomic():
        order.state = Order.State.ACCEPTED
        order.answered_at, order.answered_by = clock.now(), staff
        order.next_report_due = order.start + dt.timedelta(days=order.report_every_days)
        order.report_deadline = _report_deadline(actor, order, order.next_report_due)
        order.save(update_fields=["state", "answered_at", "answered_by", "next_report_due",
                                  "report_deadline"])
        b, a = history.diff(before, history.snapshot(order, ORDER_FIELDS))
        _record_change(actor, order, "orders.order.accepted", before=b, after=a)
    return order


def decline(actor: Actor, order_uuid: Any, reason: str) -> Order:
    if not (reason or "").strip():
        raise InvalidInput("orders.reason_required", gettext_noop(
            "Skriv, hvorfor bestillingen afvises."), field="reason")
    order, staff = _own_open(actor, order_uuid)
    before = history.snapshot(order, ORDER_FIELDS)
    with transaction.atomic():
        order.state, order.decline_reason = Order.State.DECLINED, reason.strip()
        order.answered_at, order.answered_by = clock.now(), staff
        order.save(update_fields=["state", "decline_reason", "answered_at", "answered_by"])
        b, a = history.diff(before, history.snapshot(order, ORDER_FIELDS))
        _record_change(actor, order, "orders.order.declined", before=b, after=a)
    return order


# --- delivery and status reports ----------------------------------------------------------

def _own_accepted(actor: Actor, order_uuid: Any) -> tuple[Order, StaffMember]:
    staff = provider_staff(actor)
    order, _ = access_order(actor, order_uuid)
    if order.state != Order.State.ACCEPTED:
        raise InvalidInput("orders.not_accepted", gettext_noop(
            "Bestillingen er ikke accepteret."))
    return order, staff


def register_delivery(actor: Actor, order_uuid: Any, *, day: dt.date, extent: Any,
                      attended: bool, note: str = "") -> Delivery:
    order, staff = _own_accepted(actor, order_uuid)
    amount = parse_extent(extent)
    if day < order.start or day > clock.today():
        raise InvalidInput("orders.delivery_day_invalid", gettext_noop(
            "Leveringsdatoen skal ligge mellem indsatsens start og i dag."), field="day")
    with transaction.atomic():
        row = Delivery.objects.create(order=order, day=day, extent=amount, attended=attended,
                                      note=note.strip(), registered_at=clock.now(),
                                      registered_by=staff)
        _record_change(actor, order, "orders.order.delivered",
                 after={"day": day.isoformat(), "extent": str(amount), "attended": attended})
    return row


def write_report(actor: Actor, order_uuid: Any, text: str) -> StatusReport:
    """A status report on the agreed schedule: meets the caseworker's deadline and sets the
    next one."""
    if not (text or "").strip():
        raise InvalidInput("orders.report_empty", gettext_noop("Skriv statusrapporten."),
                           field="text")
    order, staff = _own_accepted(actor, order_uuid)
    assert order.next_report_due is not None
    with transaction.atomic():
        report = StatusReport.objects.create(order=order, text=text.strip(),
                                             due_on=order.next_report_due,
                                             written_at=clock.now(), written_by=staff)
        if order.report_deadline is not None and order.report_deadline.open:
            deadlines.meet_internal(actor, order.report_deadline)
        order.next_report_due = order.next_report_due + dt.timedelta(
            days=order.report_every_days)
        order.report_deadline = _report_deadline(actor, order, order.next_report_due)
        order.save(update_fields=["next_report_due", "report_deadline"])
        _record_change(actor, order, "orders.report.written",
                 after={"due_on": report.due_on.isoformat(), "late": report.late})
    return report


# --- lists --------------------------------------------------------------------------------

def provider_orders(actor: Actor) -> list[Order]:
    """The provider's own orders, newest first (each look logged)."""
    staff = provider_staff(actor)
    rows = list(_orders().filter(provider=staff.provider))
    if rows:
        policy.record(actor, [policy.look(Decision(True, SHARED_BY_ORDER), o.citizen.uuid,
                                          Category.CASE_CONTENT, purpose=Purpose.CASEWORK,
                                          detail=f"bestilling {o.uuid}") for o in rows])
    return rows


def late_reports(actor: Actor) -> list[Order]:
    """The provider's work list: accepted orders whose status report is overdue."""
    today = clock.today()
    return [o for o in provider_orders(actor) if o.state == Order.State.ACCEPTED
            and o.next_report_due is not None and o.next_report_due < today]


def orders_of_case(actor: Actor, case_uuid: Any) -> list[Order]:
    key = _uuid(case_uuid)
    case = Case.objects.select_related("citizen", "department", "unit").filter(
        uuid=key).first() if key else None
    if case is None:
        raise OrderNotFound()
    case_access.read_case(actor, case, "bestillinger")
    return list(_orders().filter(case=case))
