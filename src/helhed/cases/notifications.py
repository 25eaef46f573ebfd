"""Notifications (underretninger) about children and their legal clock.

``receive`` registers a notification and starts its deadlines: the 24-hour assessment (from
the moment it was received, through nights and weekends), and for a professional notifier
the receipt (6 working days) and the reply on whether an investigation was started (the
municipality's own deadline, from the catalogue). Outside office hours it lands with the
on-call unit (a ``Unit`` of kind ``doegnvagt`` in the children's department). When the child
or a sibling already has an active measure, a colleague who has not handled the case must
give a second opinion; that falls due with the assessment, which it is part of.

Repeated notifications on a child or its siblings are shown together
(``related_notifications``) and flagged from ``REPEAT_THRESHOLD`` in ``REPEAT_WINDOW_MONTHS``.

Every operation asks the door (``cases.access``) before its transaction, validates before it
writes, and records one history row and one event per change.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from helhed.cases import access, deadlines, history
from helhed.cases.models import Case, CaseDeadline, Grant, Notification
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.organisation.models import Department, StaffMember, Unit
from helhed.people import rules
from helhed.people import services as people
from helhed.people.changes import ReferenceUnknown
from helhed.people.models import Citizen, ParentChild
from helhed.sharing import policy
from helhed.sharing.policy import Actor, CaseScope, Category, Purpose

CHILDREN_DEPARTMENT = "boernesocial"
NOTIFICATION_KLE = "34.10.30"  # KLE: Underretninger
# "Repeated notifications": this many on the child and its siblings within the window.
REPEAT_THRESHOLD = 3
REPEAT_WINDOW_MONTHS = 12
ADULT_AGE = 18
DESCRIPTION_MAX = 10000
ASSESSMENT_MAX = 10000
NOTIFIER_FIELD_MAX = 200
NOTIFIER_KINDS = tuple(Notification.NotifierKind.values)
NOTIFIER_CHOICES = Notification.NotifierKind.choices
FIELDS = ("state", "unit", "assessed_at", "child_in_danger", "receipt_sent_at",
          "reply_sent_at", "investigation_started", "second_opinion_required",
          "second_opinion_at", "case")


class NotificationNotFound(NotFound):
    code = "notification.not_found"
    message = gettext_noop("Underretningen findes ikke, eller du har ikke adgang til den.")


def _invalid(code: str, message: str, field: str | None = None) -> InvalidInput:
    return InvalidInput(code, message, field=field)


# --- reading ------------------------------------------------------------------------------

def _queryset() -> QuerySet[Notification]:
    return Notification.objects.select_related(
        "child", "unit__department", "case__department", "case__citizen",
        "registered_by__user", "assessed_by__user", "second_opinion_by__user")


def _load(notification_uuid: uuid.UUID | str) -> Notification:
    try:
        key = uuid.UUID(str(notification_uuid))
    except ValueError as exc:
        raise NotificationNotFound from exc
    found: Notification | None = _queryset().filter(uuid=key).first()
    if found is None:
        raise NotificationNotFound
    return found


def get_notification(actor: Actor, notification_uuid: uuid.UUID | str) -> Notification:
    """A notification with its content, through the door (its case's or unit's department)."""
    access.caseworker(actor)
    notification = _load(notification_uuid)
    access.require(actor, access.scope_of_notification(notification), notification.child.uuid,
                   detail="underretning")
    return notification


def _for_write(actor: Actor, notification_uuid: uuid.UUID | str,
               detail: str) -> tuple[Notification, StaffMember]:
    staff = access.caseworker(actor)
    notification = _load(notification_uuid)
    access.require(actor, access.scope_of_notification(notification), notification.child.uuid,
                   action="write", detail=detail)
    return notification, staff


def deadlines_of_notification(notification: Notification) -> list[CaseDeadline]:
    """The notification's legal clock, by due time (call after a door has been asked).
    Each row carries ``is_overdue`` for the page."""
    return deadlines.mark_overdue(list(
        notification.deadlines.select_related("legal_basis", "responsible__user")
        .order_by("due_at", "pk")))


def notifications_of_case(actor: Actor, case: Case) -> list[Notification]:
    """The notifications attached to a case, newest first (the case page)."""
    access.read_case(actor, case, "underretninger")
    return list(_queryset().filter(case=case).order_by("-received_at", "-pk"))


# --- receiving ----------------------------------------------------------------------------

def _child(actor: Actor, child_uuid: uuid.UUID | str | Citizen) -> Citizen:
    if isinstance(child_uuid, Citizen):
        return child_uuid
    try:
        key = uuid.UUID(str(child_uuid))
    except ValueError as exc:
        raise ReferenceUnknown(field="child_id") from exc
    child = Citizen.objects.filter(uuid=key).first()
    if child is None or not policy.decide(actor, Purpose.CASEWORK, key, Category.MASTER_DATA,
                                          detail="underretning"):
        raise ReferenceUnknown(field="child_id")
    return child


def child_by_cpr(actor: Actor, text: str) -> Citizen:
    """The child named by a CPR number in the notification form (errors name ``cpr``)."""
    number = rules.parse_cpr(text, field="cpr")
    child = Citizen.objects.filter(cpr=number.digits).first()
    if child is None or not policy.decide(actor, Purpose.CASEWORK, child.uuid,
                                          Category.MASTER_DATA, detail="underretning"):
        raise InvalidInput("citizen.reference_unknown",
                           gettext_noop("Der findes ikke et barn med dette CPR-nummer, eller "
                                        "du har ikke adgang til det."), field="cpr")
    return child


def parse_received(date_text: str, time_text: str) -> dt.datetime:
    """A page's date (ÅÅÅÅ-MM-DD or DD.MM.ÅÅÅÅ) and time (TT:MM) as local time."""
    message = gettext_noop("Skriv dato og klokkeslæt for modtagelsen, fx 14.03.2027 og 09:30.")
    date_text, time_text = (date_text or "").strip(), (time_text or "").strip()
    day = None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            day = dt.datetime.strptime(date_text, pattern).date()
            break
        except ValueError:
            continue
    try:
        at = dt.datetime.strptime(time_text.replace(".", ":"), "%H:%M").time()
    except ValueError:
        at = None
    if day is None or at is None:
        raise _invalid("notification.received_at", message, "received_at")
    return timezone.make_aware(dt.datetime.combine(day, at), deadlines.local_tz())


def _children_department(staff: StaffMember) -> Department | None:
    return Department.objects.filter(municipality_id=staff.municipality_id,
                                     code=CHILDREN_DEPARTMENT).first()


def _route(staff: StaffMember, received_at: dt.datetime) -> tuple[Unit | None, bool, CaseScope]:
    """Who must act: the actor's unit in office hours, the on-call unit outside them.
    Returns the unit, whether it came outside office hours and the scope the door judges."""
    outside = not deadlines.is_office_hours(received_at)
    department = _children_department(staff)
    unit = staff.unit
    if outside and department is not None:
        oncall = (Unit.objects.select_related("department")
                  .filter(department=department, kind=Unit.Kind.ONCALL).order_by("pk").first())
        unit = oncall or unit
    if unit is not None and department is not None and unit.department_id == department.pk:
        return unit, outside, access.scope_of_unit(unit)
    # Notifications belong to the children's department: anyone else is refused by the door.
    scope = CaseScope(department_id=department.pk if department else None,
                      department_name=department.name if department else "")
    return None, outside, scope


def check_may_receive(actor: Actor) -> StaffMember:
    """Refuse at once (``AccessDenied``, not logged: nothing is read) an actor who could
    not register a notification, so a page need not offer a form that can only fail."""
    staff = access.caseworker(actor)
    department = _children_department(staff)
    scope = CaseScope(department_id=department.pk if department else None,
                      department_name=department.name if department else "")
    decision = policy.evaluate(actor, Purpose.CASEWORK, Category.CASE_CONTENT, scope)
    if not decision.allowed:
        raise AccessDenied(message=decision.reason or policy.ROLE_GIVES_NO_ACCESS)
    return staff


def _clean_notifier(kind: str, name: str, organisation: str,
                    contact: str) -> tuple[str, str, str]:
    if kind not in Notification.NotifierKind.values:
        raise _invalid("notification.notifier_kind",
                       gettext_noop("Vælg, hvem underretningen kommer fra."), "notifier_kind")
    name = rules.text(name, "notifier_name", max_length=NOTIFIER_FIELD_MAX)
    organisation = rules.text(organisation, "notifier_organisation",
                              max_length=NOTIFIER_FIELD_MAX)
    contact = rules.text(contact, "notifier_contact", max_length=NOTIFIER_FIELD_MAX)
    if kind == Notification.NotifierKind.ANONYMOUS and (name or contact):
        raise _invalid("notification.anonymous_named",
                       gettext_noop("En anonym underretter har hverken navn eller "
                                    "kontaktoplysninger. Vælg en anden underretter, eller "
                                    "fjern navnet."), "notifier_name")
    if kind in Notification.PROFESSIONAL_KINDS and not name:
        raise _invalid("notification.notifier_name_required",
                       gettext_noop("En fagperson kan ikke underrette anonymt: skriv "
                                    "underretterens navn."), "notifier_name")
    return name, organisation, contact


def _long_text(value: str, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise _invalid("text.empty", gettext_noop("Feltet skal udfyldes."), field)
    if len(value) > max_length:
        raise InvalidInput("text.too_long", gettext_noop("Højst %(max)s tegn."), field=field,
                           params={"max": max_length})
    return value


def _check_received(child: Citizen, received_at: dt.datetime) -> dt.datetime:
    if received_at > clock.now():
        raise _invalid("notification.received_in_future",
                       gettext_noop("Tidspunktet for modtagelsen ligger i fremtiden."),
                       "received_at")
    day = deadlines.local_date(received_at)
    rules.not_before_birth(day, child.birth_date, "received_at")
    if child.age_on(day) >= ADULT_AGE:
        raise _invalid("notification.child_adult",
                       gettext_noop("Borgeren var fyldt 18 år, da underretningen kom. "
                                    "Underretninger efter barnets lov gælder børn og unge "
                                    "under 18 år."), "child_id")
    return received_at.astimezone(dt.UTC)


def _family_ids(child: Citizen) -> list[int]:
    """The child and its siblings and half-siblings (children of either parent)."""
    parents = ParentChild.objects.filter(child=child).values("parent_id")
    siblings = ParentChild.objects.filter(parent_id__in=parents).values_list("child_id",
                                                                             flat=True)
    return sorted({child.pk, *siblings})


def has_active_measure(actor: Actor, child: Citizen) -> bool:
    """Whether the child or a sibling has an active measure: a grant in force today or an
    open case under delivery. Logged as a look at case metadata for each of them."""
    ids = _family_ids(child)
    today = clock.today()
    grants = (Grant.objects.filter(citizen_id__in=ids, state=Grant.State.ACTIVE,
                                   valid_from__lte=today)
              .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)))
    cases = Case.objects.filter(citizen_id__in=ids, state=Case.State.DELIVERY)
    family = list(Citizen.objects.filter(pk__in=ids).values_list("uuid", flat=True))
    policy.decide_many(actor, Purpose.CASEWORK, family, Category.CASE,
                       detail="aktiv foranstaltning (second opinion)")
    return grants.exists() or cases.exists()


def receive(
    actor: Actor, child_uuid: uuid.UUID | str | Citizen, *, received_at: dt.datetime,
    notifier_kind: str, notifier_name: str = "", notifier_organisation: str = "",
    notifier_contact: str = "", description: str,
) -> Notification:
    """Register a notification about a child and start its legal clock."""
    staff = access.caseworker(actor)
    child = _child(actor, child_uuid)
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at, deadlines.local_tz())
    unit, outside, scope = _route(staff, received_at)
    access.require(actor, scope, child.uuid, action="write", detail="underretning modtaget")
    received_at = _check_received(child, received_at)
    name, organisation, contact = _clean_notifier(notifier_kind, notifier_name,
                                                  notifier_organisation, notifier_contact)
    text = _long_text(description, "description", DESCRIPTION_MAX)
    second_opinion = has_active_measure(actor, child)
    with transaction.atomic():
        notification = Notification.objects.create(
            child=child, received_at=received_at, registered_at=clock.now(),
            registered_by=staff, notifier_kind=notifier_kind, notifier_name=name,
            notifier_organisation=organisation, notifier_contact=contact, description=text,
            unit=unit, outside_office_hours=outside, second_opinion_required=second_opinion)
        _record(actor, notification, "cases.notification.received",
                payload={"notifier_kind": notifier_kind, "outside_office_hours": outside,
                         "second_opinion_required": second_opinion,
                         "unit": unit.pk if unit else None})
        _start_clock(actor, notification, staff)
    return notification


def _start_clock(actor: Actor, notification: Notification, staff: StaffMember) -> None:
    own = notification.unit_id is not None and staff.unit_id == notification.unit_id
    responsible = staff if own else None

    def add(kind: str, responsible: StaffMember | None, catalogue_kind: str | None = None) -> None:
        deadlines.add_from_law(kind, start=notification.received_at,
                               citizen=notification.child, notification=notification,
                               unit=notification.unit, responsible=responsible, actor=actor,
                               catalogue_kind=catalogue_kind)

    add(CaseDeadline.Kind.ASSESSMENT_24H, responsible)
    if notification.professional:
        add(CaseDeadline.Kind.RECEIPT, responsible)
        add(CaseDeadline.Kind.REPLY, responsible)
    if notification.second_opinion_required:
        # Part of the assessment (medvurdering): due with it, by someone else.
        add(CaseDeadline.Kind.SECOND_OPINION, None, CaseDeadline.Kind.ASSESSMENT_24H)


def _record(actor: Actor, notification: Notification, event: str,
            before: dict[str, object] | None = None,
            payload: dict[str, object] | None = None) -> None:
    after = history.snapshot(notification, FIELDS)
    if before is not None:
        before, after = history.diff(before, after)
    history.changed(
        actor, event=event, object_type="notification", object_uuid=notification.uuid,
        citizen=notification.child, case=notification.case, summary=summary_of(notification),
        before=before, after=after, payload=payload,
        sensitivity=notification.sensitivity,
        kle=notification.case.primary_kle if notification.case else NOTIFICATION_KLE)


def summary_of(notification: Notification) -> str:
    """"Underretning fra Skole 14.03.2027" in Danish (history is data, not a page)."""
    with translation.override(None):
        label = str(notification.get_notifier_kind_display())
    day = deadlines.local_date(notification.received_at)
    return f"Underretning fra {label.lower()} {day:%d.%m.%Y}"


def _meet(actor: Actor, notification: Notification, kind: str) -> None:
    for row in notification.deadlines.filter(kind=kind, met_at__isnull=True,
                                             waived_reason=""):
        row.notification = notification
        deadlines.meet_internal(actor, row)


# --- working it ---------------------------------------------------------------------------

def assess(actor: Actor, notification_uuid: uuid.UUID | str, *,
           child_in_danger: bool | None, assessment: str) -> Notification:
    """The 24-hour assessment: is the child in danger, and why. Meets its deadline."""
    notification, staff = _for_write(actor, notification_uuid, "vurdering af underretning")
    if notification.assessed_at is not None:
        raise _invalid("notification.already_assessed",
                       gettext_noop("Underretningen er allerede vurderet."))
    if child_in_danger is None:
        raise _invalid("notification.child_in_danger_required",
                       gettext_noop("Vælg, om barnet er i fare."), "child_in_danger")
    text = _long_text(assessment, "assessment", ASSESSMENT_MAX)
    with transaction.atomic():
        before = history.snapshot(notification, FIELDS)
        notification.assessed_at = clock.now()
        notification.assessed_by = staff
        notification.child_in_danger = child_in_danger
        notification.assessment = text
        notification.state = Notification.State.ASSESSED
        notification.save(update_fields=["assessed_at", "assessed_by", "child_in_danger",
                                         "assessment", "state"])
        _record(actor, notification, "cases.notification.assessed", before,
                payload={"child_in_danger": child_in_danger})
        _meet(actor, notification, CaseDeadline.Kind.ASSESSMENT_24H)
    return notification


def _only_professional(notification: Notification) -> None:
    if not notification.professional:
        raise _invalid("notification.not_professional",
                       gettext_noop("Kvittering og tilbagemelding gives kun til en fagperson, "
                                    "der har underrettet."))


def send_receipt(actor: Actor, notification_uuid: uuid.UUID | str) -> Notification:
    """Record that the receipt went to the professional notifier. Meets its deadline."""
    notification, _ = _for_write(actor, notification_uuid, "kvittering til underretter")
    _only_professional(notification)
    if notification.receipt_sent_at is not None:
        raise _invalid("notification.receipt_already_sent",
                       gettext_noop("Kvitteringen er allerede sendt."))
    with transaction.atomic():
        before = history.snapshot(notification, FIELDS)
        notification.receipt_sent_at = clock.now()
        notification.save(update_fields=["receipt_sent_at"])
        _record(actor, notification, "cases.notification.receipt_sent", before)
        _meet(actor, notification, CaseDeadline.Kind.RECEIPT)
    return notification


def send_reply(actor: Actor, notification_uuid: uuid.UUID | str,
               investigation_started: bool | None) -> Notification:
    """Record the reply to the professional notifier: was an investigation started?"""
    notification, _ = _for_write(actor, notification_uuid, "tilbagemelding til underretter")
    _only_professional(notification)
    if notification.reply_sent_at is not None:
        raise _invalid("notification.reply_already_sent",
                       gettext_noop("Tilbagemeldingen er allerede sendt."))
    if notification.assessed_at is None:
        raise _invalid("notification.not_assessed",
                       gettext_noop("Vurdér underretningen, før der gives tilbagemelding."))
    if investigation_started is None:
        raise _invalid("notification.investigation_required",
                       gettext_noop("Vælg, om der er iværksat en undersøgelse."),
                       "investigation_started")
    with transaction.atomic():
        before = history.snapshot(notification, FIELDS)
        notification.reply_sent_at = clock.now()
        notification.investigation_started = investigation_started
        notification.save(update_fields=["reply_sent_at", "investigation_started"])
        _record(actor, notification, "cases.notification.reply_sent", before,
                payload={"investigation_started": investigation_started})
        _meet(actor, notification, CaseDeadline.Kind.REPLY)
    return notification


def handled_by(staff: StaffMember, notification: Notification) -> bool:
    """Whether ``staff`` has handled the child's matter: registered or assessed this
    notification, or is responsible for an open case of the child."""
    if staff.pk in (notification.registered_by_id, notification.assessed_by_id):
        return True
    return Case.objects.filter(citizen_id=notification.child_id, responsible=staff) \
        .exclude(state=Case.State.CLOSED).exists()


def give_second_opinion(actor: Actor, notification_uuid: uuid.UUID | str,
                        text: str) -> Notification:
    """A colleague who has not handled the case gives a second opinion."""
    notification, staff = _for_write(actor, notification_uuid, "second opinion")
    if not notification.second_opinion_required:
        raise _invalid("notification.second_opinion_not_required",
                       gettext_noop("Underretningen kræver ikke second opinion."))
    if notification.second_opinion_at is not None:
        raise _invalid("notification.second_opinion_given",
                       gettext_noop("Der er allerede givet second opinion."))
    if handled_by(staff, notification):
        raise AccessDenied(
            "notification.second_opinion_by_handler",
            gettext_noop("Second opinion skal gives af en kollega, der ikke har behandlet "
                         "sagen. Du har registreret eller vurderet underretningen eller er "
                         "ansvarlig for en åben sag om barnet."))
    clean = _long_text(text, "second_opinion", ASSESSMENT_MAX)
    with transaction.atomic():
        before = history.snapshot(notification, FIELDS)
        notification.second_opinion_by = staff
        notification.second_opinion_at = clock.now()
        notification.second_opinion = clean
        notification.save(update_fields=["second_opinion_by", "second_opinion_at",
                                         "second_opinion"])
        _record(actor, notification, "cases.notification.second_opinion_given", before)
        _meet(actor, notification, CaseDeadline.Kind.SECOND_OPINION)
    return notification


def attach_to_case(actor: Actor, notification_uuid: uuid.UUID | str,
                   case: Case) -> Notification:
    """Attach the notification (and its deadlines) to a case being opened from it.

    Called by ``services.open_case`` inside its transaction, after it asked the door for
    the case; opens no transaction of its own."""
    notification = _load(notification_uuid)
    access.require(actor, access.scope_of_notification(notification), notification.child.uuid,
                   action="write", detail="underretning knyttet til sag")
    if notification.case_id is not None:
        raise _invalid("notification.already_attached",
                       gettext_noop("Underretningen er allerede knyttet til en sag."),
                       "notification")
    if notification.child_id != case.citizen_id:
        raise _invalid("notification.other_child",
                       gettext_noop("Underretningen handler om et andet barn."),
                       "notification")
    before = history.snapshot(notification, FIELDS)
    notification.case = case
    notification.save(update_fields=["case"])
    notification.deadlines.filter(case__isnull=True).update(case=case)
    _record(actor, notification, "cases.notification.attached", before,
            payload={"number": case.number})
    return notification


# --- the family's notifications -----------------------------------------------------------

@dataclass
class RelatedNotification:
    notification: Notification
    sibling: bool  # about a sibling or half-sibling, not the child itself
    ordinal: int  # 1 for the family's first notification


@dataclass
class RelatedNotifications:
    child: Citizen
    rows: list[RelatedNotification] = field(default_factory=list)  # newest first
    recent: int = 0  # within REPEAT_WINDOW_MONTHS
    repeated: bool = False  # recent >= REPEAT_THRESHOLD
    threshold: int = REPEAT_THRESHOLD
    window_months: int = REPEAT_WINDOW_MONTHS

    @property
    def total(self) -> int:
        return len(self.rows)

    def ordinal_of(self, notification: Notification) -> int | None:
        return next((r.ordinal for r in self.rows
                     if r.notification.pk == notification.pk), None)


def related_notifications(actor: Actor,
                          child_uuid: uuid.UUID | str | Citizen) -> RelatedNotifications:
    """The child's and its siblings' notifications together, with the repeat flag."""
    staff = access.caseworker(actor)
    child = child_uuid if isinstance(child_uuid, Citizen) else people.access_citizen(
        actor, child_uuid)
    family = people.family_of(actor, child)
    siblings = [r.citizen for r in family.siblings]
    department = _children_department(staff)
    scope = CaseScope(department_id=department.pk if department else None,
                      department_name=department.name if department else "")
    access.require(actor, scope, child.uuid, detail="underretninger på familien")
    rows = list(_queryset().filter(child__in=[child, *siblings]).order_by("received_at", "pk"))
    visible = [n for n in rows if policy.evaluate(
        actor, Purpose.CASEWORK, Category.CASE_CONTENT, access.scope_of_notification(n))]
    others = sorted({n.child.uuid for n in visible if n.child_id != child.pk})
    if others:
        policy.decide_many(actor, Purpose.CASEWORK, others, Category.CASE_CONTENT, scope=scope,
                           detail="underretninger på familien (søskende)")
    since = _months_ago(REPEAT_WINDOW_MONTHS)
    result = RelatedNotifications(child=child)
    result.rows = [RelatedNotification(n, n.child_id != child.pk, i + 1)
                   for i, n in enumerate(visible)][::-1]
    result.recent = sum(1 for n in visible if n.received_at >= since)
    result.repeated = result.recent >= REPEAT_THRESHOLD
    return result


def _months_ago(months: int) -> dt.datetime:
    value = deadlines.add_months(clock.now(), -months)
    assert isinstance(value, dt.datetime)
    return value


# --- the notification page ----------------------------------------------------------------

@dataclass
class NotificationPage:
    notification: Notification
    deadlines: list[CaseDeadline]
    related: RelatedNotifications
    ordinal: int | None
    may_give_second_opinion: bool
    now: dt.datetime


def notification_page(actor: Actor, notification_uuid: uuid.UUID | str) -> NotificationPage:
    """Everything the notification page shows, read through the doors."""
    notification = get_notification(actor, notification_uuid)
    staff = access.caseworker(actor)
    related = related_notifications(actor, notification.child)
    return NotificationPage(
        notification=notification, deadlines=deadlines_of_notification(notification),
        related=related, ordinal=related.ordinal_of(notification),
        may_give_second_opinion=(notification.second_opinion_required
                                 and notification.second_opinion_at is None
                                 and not handled_by(staff, notification)),
        now=clock.now())
