"""Deadlines (frister): the calendar arithmetic the law's clocks need, and the deadlines on
the work list (``CaseDeadline``).

Calendar (pure functions, local time is the municipality's, ``settings.TIME_ZONE``,
Europe/Copenhagen):

- ``add_hours``: hours are hours. 24 hours from Friday 15:00 is Saturday 15:00; weekends,
  holidays and midnight do not stop the clock (the 24-hour assessment of a notification).
- ``add_working_days``: Danish *hverdage* — Monday to Friday except the public holidays
  (:func:`public_holidays`) and the municipality's closing days (:func:`closing_days`). The
  deadline is the end of the day (23:59:59 local time) of the n-th working day *after* the
  day of receipt; the day of receipt never counts.
- ``add_months``: the same date n months later, clamped to the month's end (31 January + 1
  month is 28 or 29 February).
- ``is_office_hours``: ``settings.HELHED_OFFICE_HOURS`` on working days only.
- ``next_statutory_weekday``: a time limit in law (the complaint deadline of a decision)
  that ends on a Saturday, Sunday, public holiday, grundlovsdag, juleaftensdag or
  nytårsaftensdag runs to the next *hverdag*; the municipality's own closing days do not
  lengthen it.

Settings (read with ``getattr``, defaults below; documented in docs/api.md):

- ``HELHED_OFFICE_HOURS``: ``{weekday: ("HH:MM", "HH:MM")}``, Monday = 0; default Monday to
  Thursday 08:00–15:30, Friday 08:00–14:00. The end is not included.
- ``HELHED_CLOSING_DAYS``: days the municipality is closed although they are not public
  holidays, as ``"MM-DD"`` (every year) or ``"YYYY-MM-DD"`` (one year); default
  grundlovsdag (5 June), juleaftensdag (24 December) and nytårsaftensdag (31 December).

Deadlines on the work list come from the law (``add_from_law``: the catalogue's
``Deadline`` rows, which an administrator edits) or by hand (``add_manual``: a follow-up).
They are met or waived, never deleted. Every change writes history and one event
(``cases.deadline.created`` / ``.met`` / ``.waived``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from helhed.cases import access, history
from helhed.cases.models import Case, CaseDeadline, Notification
from helhed.catalogue.models import Deadline
from helhed.core import clock
from helhed.core.errors import DomainError, InvalidInput, NotFound
from helhed.organisation.models import StaffMember, Unit
from helhed.people import rules
from helhed.people.models import Citizen
from helhed.sharing.policy import Actor

DEFAULT_OFFICE_HOURS: Mapping[int, tuple[str, str]] = {
    0: ("08:00", "15:30"), 1: ("08:00", "15:30"), 2: ("08:00", "15:30"),
    3: ("08:00", "15:30"), 4: ("08:00", "14:00"),
}
DEFAULT_CLOSING_DAYS: tuple[str, ...] = ("06-05", "12-24", "12-31")
# Days that are no hverdag for a time limit in law, though not public holidays: grundlovsdag,
# juleaftensdag and nytårsaftensdag.
STATUTORY_CLOSED_DAYS: frozenset[str] = frozenset({"06-05", "12-24", "12-31"})
# Store bededag (the fourth Friday after Easter) was abolished as a public holiday from 2024.
LAST_YEAR_WITH_STORE_BEDEDAG = 2023
END_OF_DAY = dt.time(23, 59, 59)
TITLE_MAX = 200
# The kinds a caseworker sets by hand.
MANUAL_KINDS = (CaseDeadline.Kind.FOLLOW_UP.value, CaseDeadline.Kind.OTHER.value)
# Deadlines that their own action meets (assessing, sending the receipt, ...), not a click.
MET_BY_ACTION = frozenset({
    CaseDeadline.Kind.ASSESSMENT_24H, CaseDeadline.Kind.RECEIPT, CaseDeadline.Kind.REPLY,
    CaseDeadline.Kind.SECOND_OPINION})
# Deadlines that another part of helhed keeps (an information request's answer), not a click.
# Deadlines met by another part's action, never by hand: what meets them.
MET_ELSEWHERE: dict[str, str] = {
    CaseDeadline.Kind.INFORMATION_REQUEST: gettext_noop(
        "Denne frist overholdes, når svaret på indhentningen er modtaget. Annullér "
        "indhentningen, hvis du ikke længere har brug for svaret."),
    CaseDeadline.Kind.INVESTIGATION: gettext_noop(
        "Denne frist overholdes, når den børnefaglige undersøgelse afsluttes med en "
        "konklusion."),
}


# --- the calendar -------------------------------------------------------------------------

def local_tz() -> dt.tzinfo:
    return timezone.get_default_timezone()


def local_date(at: dt.datetime | dt.date) -> dt.date:
    """The day ``at`` falls on in local time (a date is its own day)."""
    if isinstance(at, dt.datetime):
        return timezone.localtime(at, local_tz()).date() if timezone.is_aware(at) else at.date()
    return at


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 local time on ``day``, timezone-aware."""
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=local_tz())


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the Anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> Mapping[dt.date, str]:
    """Denmark's public holidays (helligdage) in ``year``, with their Danish names."""
    easter = easter_sunday(year)

    def after_easter(days: int) -> dt.date:
        return easter + dt.timedelta(days=days)

    days = {
        dt.date(year, 1, 1): "Nytårsdag",
        after_easter(-3): "Skærtorsdag",
        after_easter(-2): "Langfredag",
        easter: "Påskedag",
        after_easter(1): "2. påskedag",
        after_easter(39): "Kristi himmelfartsdag",
        after_easter(49): "Pinsedag",
        after_easter(50): "2. pinsedag",
        dt.date(year, 12, 25): "Juledag",
        dt.date(year, 12, 26): "2. juledag",
    }
    if year <= LAST_YEAR_WITH_STORE_BEDEDAG:
        days[after_easter(26)] = "Store bededag"
    return days


def closing_days(year: int) -> set[dt.date]:
    """The municipality's own closing days in ``year`` (``settings.HELHED_CLOSING_DAYS``)."""
    days: set[dt.date] = set()
    for text in getattr(settings, "HELHED_CLOSING_DAYS", DEFAULT_CLOSING_DAYS):
        parts = [int(p) for p in str(text).split("-")]
        if len(parts) == 2:
            days.add(dt.date(year, parts[0], parts[1]))
        elif len(parts) == 3 and parts[0] == year:
            days.add(dt.date(parts[0], parts[1], parts[2]))
    return days


def is_working_day(day: dt.date) -> bool:
    """A hverdag: Monday to Friday, not a public holiday, not a closing day."""
    return (day.weekday() < 5 and day not in public_holidays(day.year)
            and day not in closing_days(day.year))


def is_statutory_weekday(day: dt.date) -> bool:
    """A *hverdag* in the sense of the law's time limits: not a Saturday or Sunday, not a
    public holiday, and not grundlovsdag, juleaftensdag or nytårsaftensdag. Unlike
    :func:`is_working_day` it ignores the municipality's own closing days, which cannot
    lengthen a citizen's time limit."""
    return (day.weekday() < 5 and day not in public_holidays(day.year)
            and f"{day:%m-%d}" not in STATUTORY_CLOSED_DAYS)


def next_statutory_weekday(day: dt.date) -> dt.date:
    """``day`` itself when it is a *hverdag*, else the next one: a time limit that ends on a
    weekend or holiday runs to the next hverdag."""
    while not is_statutory_weekday(day):
        day += dt.timedelta(days=1)
    return day


def add_hours(start: dt.datetime, hours: int) -> dt.datetime:
    """``hours`` real hours after ``start``, through nights, weekends and holidays (and
    across a change to or from summer time: counted in UTC, not on the wall clock)."""
    return start.astimezone(dt.UTC) + dt.timedelta(hours=hours)


def add_working_days(start: dt.datetime | dt.date, n: int) -> dt.datetime:
    """The end of the n-th working day after the day of ``start`` (23:59:59 local time).

    The day of receipt does not count, whatever the hour; ``n == 0`` is the end of that day.
    """
    if n < 0:
        raise ValueError("add_working_days counts forward only")
    day = local_date(start)
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return end_of_day(day)


def _add_months_to_date(day: dt.date, n: int) -> dt.date:
    index = day.month - 1 + n
    year, month = day.year + index // 12, index % 12 + 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def add_months(start: dt.datetime | dt.date, n: int) -> dt.datetime | dt.date:
    """The same day ``n`` months later, clamped to the month's end; a datetime keeps its
    local time of day."""
    if isinstance(start, dt.datetime):
        if timezone.is_naive(start):
            return dt.datetime.combine(_add_months_to_date(start.date(), n), start.time())
        local = timezone.localtime(start, local_tz())
        day = _add_months_to_date(local.date(), n)
        return dt.datetime.combine(day, local.time(), tzinfo=local_tz())
    return _add_months_to_date(start, n)


def _clock_time(text: str) -> dt.time:
    hours, minutes = (int(p) for p in text.split(":"))
    return dt.time(hours, minutes)


def office_hours() -> dict[int, tuple[dt.time, dt.time]]:
    """The opening hours per weekday (Monday = 0), from ``settings.HELHED_OFFICE_HOURS``."""
    configured = getattr(settings, "HELHED_OFFICE_HOURS", DEFAULT_OFFICE_HOURS)
    return {int(day): (_clock_time(start), _clock_time(end))
            for day, (start, end) in configured.items()}


def is_office_hours(at: dt.datetime) -> bool:
    """Whether ``at`` lies in office hours: a working day, from opening up to (not at)
    closing, local time."""
    local = timezone.localtime(at, local_tz())
    if not is_working_day(local.date()):
        return False
    hours = office_hours().get(local.weekday())
    if hours is None:
        return False
    opens, closes = hours
    return opens <= local.time() < closes


def due(deadline: Deadline, start: dt.datetime) -> dt.datetime:
    """When a deadline from the catalogue falls due, counted from ``start``.

    Hours are exact; days, working days and months end at 23:59:59 local time on the last
    day."""
    unit, amount = deadline.unit, deadline.amount
    if unit == Deadline.Unit.HOURS:
        return add_hours(start, amount)
    if unit == Deadline.Unit.WORKING_DAYS:
        return add_working_days(start, amount)
    if unit == Deadline.Unit.DAYS:
        return end_of_day(local_date(start) + dt.timedelta(days=amount))
    if unit == Deadline.Unit.MONTHS:
        return end_of_day(_add_months_to_date(local_date(start), amount))
    raise ValueError(f"unknown deadline unit {unit!r}")


# --- errors -------------------------------------------------------------------------------

class DeadlineNotInCatalogue(DomainError):
    """The catalogue of legal bases has no deadline of the kind a rule needs."""

    status = 500
    code = "deadline.not_in_catalogue"
    message = gettext_noop("Fristen »%(kind)s« findes ikke i kataloget over hjemler. Bed en "
                           "administrator om at oprette den under Hjemler.")


class DeadlineNotFound(NotFound):
    code = "deadline.not_found"
    message = gettext_noop("Fristen findes ikke, eller du har ikke adgang til den.")


class CaseNotFound(NotFound):
    code = "case.not_found"
    message = gettext_noop("Sagen findes ikke, eller du har ikke adgang til den.")


# --- deadlines on the work list -----------------------------------------------------------

def catalogue_deadline(kind: str, on: dt.date | None = None) -> Deadline:
    """The catalogue's deadline of ``kind`` whose legal basis is in force on ``on``."""
    day = on or clock.today()
    rows = list(Deadline.objects.filter(kind=kind).select_related("legal_basis")
                .order_by("legal_basis__code"))
    for row in rows:
        if row.legal_basis.is_valid_on(day):
            return row
    raise DeadlineNotInCatalogue(params={"kind": kind})


def _title_for(kind: str, deadline: Deadline) -> str:
    if kind in CaseDeadline.Kind.values:
        # The Danish label, whatever language is active (titles are data).
        from django.utils import translation

        with translation.override(None):
            return str(CaseDeadline.Kind(kind).label)
    basis = deadline.legal_basis
    return f"{basis.law_short} {basis.paragraph}: {basis.title}"[:TITLE_MAX]


def _record(actor: Actor, row: CaseDeadline, event: str,
            before: Mapping[str, object] | None = None) -> None:
    after = history.snapshot(row, ["kind", "title", "due_at", "met_at", "waived_reason"])
    if before is not None:  # a change: only the fields it touched, as before -> after
        before, after = history.diff(before, {k: after[k] for k in before if k in after})
    notification = row.notification
    history.changed(
        actor, event=event, object_type="deadline", object_uuid=row.uuid,
        citizen=row.citizen, case=row.case, summary=row.title, before=before, after=after,
        payload={"kind": row.kind, "due_at": row.due_at.isoformat(),
                 "notification": str(notification.uuid) if notification else None},
        sensitivity=notification.sensitivity if notification and not row.case else None)


def add_from_law(
    kind: str, *, start: dt.datetime, citizen: Citizen, case: Case | None = None,
    notification: Notification | None = None, responsible: StaffMember | None = None,
    unit: Unit | None = None, title: str | None = None, actor: Actor = None,
    catalogue_kind: str | None = None,
) -> CaseDeadline:
    """A deadline the law (the catalogue) sets, counted from ``start``; ``catalogue_kind``
    names the catalogue's row when it differs from ``kind`` (a second opinion falls due with
    the assessment it is part of).

    For services that have already asked the door: no access check here. Runs in the
    caller's transaction and records ``cases.deadline.created`` as ``actor``."""
    deadline = catalogue_deadline(catalogue_kind or kind, local_date(start))
    row = CaseDeadline.objects.create(
        kind=kind, title=(title or _title_for(kind, deadline))[:TITLE_MAX],
        due_at=due(deadline, start).astimezone(dt.UTC), citizen=citizen, case=case,
        notification=notification,
        legal_basis=deadline.legal_basis, responsible=responsible, unit=unit,
        created_at=clock.now())
    _record(actor, row, "cases.deadline.created")
    return row


def add_for_case(
    actor: Actor, case: Case, *, kind: str, title: str, due_on: dt.date,
    responsible: StaffMember | None,
) -> CaseDeadline:
    """A deadline another service keeps on ``case`` (an information request's answer), due
    at the end of ``due_on``, on ``responsible``'s work list.

    For services that have already asked the door: no access check here. Runs in the
    caller's transaction and records ``cases.deadline.created`` as ``actor``."""
    row = CaseDeadline.objects.create(
        kind=kind, title=" ".join(title.split())[:TITLE_MAX],
        due_at=end_of_day(due_on).astimezone(dt.UTC), citizen=case.citizen, case=case,
        responsible=responsible,
        unit=case.unit if case.unit_id is not None else getattr(responsible, "unit", None),
        created_at=clock.now())
    _record(actor, row, "cases.deadline.created")
    return row


def manual_kind_choices() -> list[tuple[str, str]]:
    return [(k, str(CaseDeadline.Kind(k).label)) for k in MANUAL_KINDS]


def parse_due_on(text: str) -> dt.date:
    """A page's date (ÅÅÅÅ-MM-DD or DD.MM.ÅÅÅÅ) for a deadline."""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime((text or "").strip(), pattern).date()
        except ValueError:
            continue
    raise InvalidInput("deadline.date", gettext_noop("Skriv en dato, fx 01.04.2027."),
                       field="due_on")


def _case(case_uuid: uuid.UUID | str | Case) -> Case:
    if isinstance(case_uuid, Case):
        return case_uuid
    try:
        key = uuid.UUID(str(case_uuid))
    except ValueError as exc:
        raise CaseNotFound from exc
    case = Case.objects.select_related("citizen", "department", "unit").filter(uuid=key).first()
    if case is None:
        raise CaseNotFound
    return case


def add_manual(
    actor: Actor, case_uuid: uuid.UUID | str | Case, *, title: str, due_on: dt.date,
    kind: str = CaseDeadline.Kind.FOLLOW_UP,
) -> CaseDeadline:
    """A deadline set by hand on a case (a follow-up): due at the end of ``due_on``."""
    case = _case(case_uuid)
    staff = access.write_case(actor, case, "frist")
    clean_title = rules.text(title, "title", max_length=TITLE_MAX, required=True)
    if kind not in MANUAL_KINDS:
        raise InvalidInput("deadline.kind",
                           gettext_noop("En frist sat i hånden er en opfølgning eller en "
                                        "anden frist."), field="kind")
    if due_on < clock.today():
        raise InvalidInput("deadline.past", gettext_noop("Fristen kan ikke ligge i fortiden."),
                           field="due_on")
    if case.is_closed:
        raise InvalidInput("deadline.case_closed",
                           gettext_noop("Sagen er afsluttet. Der kan ikke sættes frister på "
                                        "en afsluttet sag."))
    with transaction.atomic():
        row = CaseDeadline.objects.create(
            kind=kind, title=clean_title, due_at=end_of_day(due_on).astimezone(dt.UTC),
            citizen=case.citizen,
            case=case, responsible=case.responsible or staff, unit=case.unit,
            created_at=clock.now())
        _record(actor, row, "cases.deadline.created")
    return row


def _scope(row: CaseDeadline) -> access.CaseScope:
    if row.case is not None:
        return access.scope_of(row.case)
    if row.notification is not None:
        return access.scope_of_notification(row.notification)
    return access.scope_of_unit(row.unit, row.responsible_id)


def _deadline(deadline_uuid: uuid.UUID | str) -> CaseDeadline:
    try:
        key = uuid.UUID(str(deadline_uuid))
    except ValueError as exc:
        raise DeadlineNotFound from exc
    row = (CaseDeadline.objects
           .select_related("citizen", "case__department", "case__citizen",
                           "notification__unit__department", "notification__case__department",
                           "unit__department")
           .filter(uuid=key).first())
    if row is None:
        raise DeadlineNotFound
    return row


def meet(actor: Actor, deadline_uuid: uuid.UUID | str) -> CaseDeadline:
    """Mark a deadline met by hand (a follow-up done). Deadlines that their own action
    meets (the notification's assessment, receipt, reply, second opinion) are refused."""
    row = _deadline(deadline_uuid)
    access.caseworker(actor)
    access.require(actor, _scope(row), row.citizen.uuid, action="write", detail="frist")
    if row.kind in MET_BY_ACTION:
        raise InvalidInput("deadline.met_by_action",
                           gettext_noop("Denne frist overholdes, når handlingen er udført på "
                                        "underretningen (vurdering, kvittering, tilbagemelding "
                                        "eller second opinion)."))
    if row.kind in MET_ELSEWHERE:
        raise InvalidInput("deadline.met_by_action", MET_ELSEWHERE[row.kind])
    with transaction.atomic():
        meet_internal(actor, row)
    return row


def meet_internal(actor: Actor, row: CaseDeadline, at: dt.datetime | None = None) -> None:
    """Meet ``row`` in the caller's transaction (the caller has asked the door)."""
    if not row.open:
        raise InvalidInput("deadline.closed",
                           gettext_noop("Fristen er allerede overholdt eller bortfaldet."))
    before = history.snapshot(row, ["met_at"])
    row.met_at = at or clock.now()
    row.save(update_fields=["met_at"])
    _record(actor, row, "cases.deadline.met", before)


def waive_internal(actor: Actor, row: CaseDeadline, reason: str) -> None:
    """Waive ``row`` with ``reason`` in the caller's transaction (the caller has asked the
    door)."""
    if not row.open:
        raise InvalidInput("deadline.closed",
                           gettext_noop("Fristen er allerede overholdt eller bortfaldet."))
    before = history.snapshot(row, ["waived_reason"])
    row.waived_reason = reason
    row.save(update_fields=["waived_reason"])
    _record(actor, row, "cases.deadline.waived", before)


def open_for_case(case: Case) -> list[CaseDeadline]:
    """The case's open deadlines, soonest first (no door: for services, e.g. closing)."""
    return list(CaseDeadline.objects.filter(case=case, met_at__isnull=True, waived_reason="")
                .select_related("citizen", "case", "notification").order_by("due_at", "pk"))


def waive_open_for_case(case: Case, reason: str, *, actor: Actor = None) -> list[CaseDeadline]:
    """Waive every open deadline of ``case`` with ``reason`` (the case is being closed).
    Runs in the caller's transaction; one ``cases.deadline.waived`` per deadline."""
    text = " ".join((reason or "").split()) or "Sagen er afsluttet."
    rows = open_for_case(case)
    for row in rows:
        waive_internal(actor, row, text)
    return rows


def deadlines_of_case(actor: Actor, case: Case) -> list[CaseDeadline]:
    """Every deadline of the case, open and closed, by due time (the case page). Each row
    carries ``is_overdue``."""
    access.read_case(actor, case, "frister")
    return mark_overdue(list(CaseDeadline.objects.filter(case=case)
                             .select_related("responsible__user", "legal_basis", "notification",
                                             "citizen", "case")
                             .order_by("due_at", "pk")))


def overdue(row: CaseDeadline, now: dt.datetime | None = None) -> bool:
    """Open and past its due time."""
    return row.open and row.due_at < (now or clock.now())


def mark_overdue(rows: list[CaseDeadline]) -> list[CaseDeadline]:
    """Set ``is_overdue`` on each row (templates cannot ask the clock)."""
    now = clock.now()
    for row in rows:
        row.is_overdue = overdue(row, now)  # type: ignore[attr-defined]
    return rows
