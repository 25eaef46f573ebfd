"""The citizen's access log: who looked at what, when, and on which basis.

``access_log_of`` is written for the citizen's portal: the citizen will call it for
herself (``_is_the_citizen`` is the hook; there is no citizen login yet). Until then staff
with a basis may read it for the citizen — the responsible caseworker of a case of the
citizen's ("Egen sag", decided by the policy door), or an administrator with the purpose
administration (e.g. to answer a request for insight). Reading the log is itself a look
(category ``adgangslog``), logged before the log is read, so it shows in the list it
returns; refusals are logged too.

The log lists denials as well as grants, and marks looks under emergency access.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from helhed.cases import access as case_access
from helhed.cases.models import Case
from helhed.core.models import AccessLogEntry
from helhed.organisation.models import Department
from helhed.organisation.services import roles_of, staff_of
from helhed.people.models import Citizen
from helhed.people.services import CitizenNotFound
from helhed.sharing import policy
from helhed.sharing.policy import Actor, Category, Decision, Purpose

ACCESS_LOG_CATEGORY = "adgangslog"
MAX_ROWS = 1000
NO_BASIS = gettext_noop(
    "Adgangsloggen kan kun ses af borgerens egen sagsbehandler eller af en administrator.")

# Danish labels, marked for translation (pages translate them; the API gives them as they are).
CATEGORY_LABELS: dict[str, str] = {
    Category.MASTER_DATA: gettext_noop("Stamdata"),
    Category.FAMILY: gettext_noop("Familieforhold"),
    Category.CONTACT: gettext_noop("Kontaktoplysninger"),
    Category.PROTECTED_ADDRESS: gettext_noop("Beskyttet adresse"),
    Category.CASE: gettext_noop("At en sag findes"),
    Category.CASE_CONTENT: gettext_noop("Sagens indhold"),
    ACCESS_LOG_CATEGORY: gettext_noop("Adgangsloggen"),
}
ACTION_LABELS: dict[str, str] = {
    "read": gettext_noop("Læst"),
    "search": gettext_noop("Søgning"),
    "write": gettext_noop("Ændret"),
    "export": gettext_noop("Eksporteret"),
}
PURPOSE_LABELS: dict[str, str] = {
    Purpose.CASEWORK: gettext_noop("Sagsbehandling"),
    Purpose.EMERGENCY: gettext_noop("Akut"),
    Purpose.ADMINISTRATION: gettext_noop("Administration"),
}


def category_label(code: str) -> str:
    if code in CATEGORY_LABELS:
        return CATEGORY_LABELS[code]
    info = policy.categories().by_code.get(code)
    return info.name if info is not None else code


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)


def purpose_label(code: str) -> str:
    return PURPOSE_LABELS.get(code, code)


@dataclass(frozen=True)
class Row:
    at: dt.datetime
    actor_name: str
    actor_unit: str
    category: str
    category_label: str
    action: str
    action_label: str
    purpose: str
    purpose_label: str
    basis: str
    emergency: bool
    allowed: bool
    detail: str

    @staticmethod
    def of(entry: AccessLogEntry) -> Row:
        return Row(entry.at, entry.actor_name, entry.actor_unit, entry.category,
                   category_label(entry.category), entry.action, action_label(entry.action),
                   entry.purpose, purpose_label(entry.purpose), entry.basis, entry.emergency,
                   entry.allowed, entry.detail)


def _is_the_citizen(actor: Actor, citizen: Citizen) -> bool:
    """The portal's hook: true when the actor is the citizen herself (a citizen login,
    e.g. MitID, linked to ``Citizen``). There are no citizen logins yet."""
    return False


def _is_administrator(actor: Actor) -> bool:
    staff = staff_of(actor)
    return bool(staff is not None and staff.provider_id is None
                and any(r.is_administrator for r in roles_of(actor)))


def _basis(actor: Actor, citizen: Citizen, purpose: Purpose) -> Decision:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return policy.DENY_ANONYMOUS
    if _is_the_citizen(actor, citizen):
        return Decision(True, "Borgeren selv")
    if purpose is Purpose.ADMINISTRATION:
        if _is_administrator(actor):
            return Decision(True, "Administration: rolle Administrator")
        return Decision(False, "", NO_BASIS)
    staff = staff_of(actor)
    if staff is None or staff.provider_id is not None:
        return Decision(False, "", NO_BASIS)
    own = (Case.objects.filter(citizen=citizen, responsible=staff)
           .select_related("department", "responsible__user").order_by("-opened_at").first())
    if own is None:
        return Decision(False, "", NO_BASIS)
    decision = policy.Evaluator(actor, purpose).decide(citizen.uuid, Category.CASE_CONTENT,
                                                       case_access.scope_of(own))
    return decision if decision.basis == "Egen sag" else Decision(False, "", NO_BASIS)


def default_purpose(actor: Actor) -> Purpose:
    """Administration for an administrator, case work for everyone else."""
    return Purpose.ADMINISTRATION if _is_administrator(actor) else Purpose.CASEWORK


def _without_hidden(actor: Actor, citizen: Citizen,
                    entries: QuerySet[AccessLogEntry]) -> QuerySet[AccessLogEntry]:
    """The log as a caseworker reading it for the citizen may see it: without the looks of
    staff in a department whose items' category hides existence (substance abuse, mental
    health, …) unless the reader has a basis for that department's items of the citizen,
    and without the overview's looks logged under such a category."""
    evaluator = policy.Evaluator(actor, Purpose.CASEWORK)
    known = policy.categories()
    hidden_departments: list[int] = []
    hidden_categories: set[str] = set()
    for department in Department.objects.all():
        code = policy.category_of_department(department.code, known)
        info = known.by_code.get(code)
        if info is None or not info.hides_existence:
            continue
        scope = policy.CaseScope(department_id=department.pk, department_code=department.code,
                                 department_name=department.name, category=code)
        if evaluator.decide(citizen.uuid, Category.CASE, scope).hidden:
            hidden_departments.append(department.pk)
            hidden_categories.add(code)
    return (entries.exclude(actor__staff__unit__department_id__in=hidden_departments)
            .exclude(category__in=hidden_categories))


def access_log_of(actor: Actor, citizen_uuid: uuid.UUID | str, *,
                  since: dt.datetime | None = None, purpose: Purpose | None = None,
                  limit: int = MAX_ROWS) -> list[Row]:
    """Every look at the citizen's data, newest first, grants and denials alike (at most
    ``limit`` rows). Raises ``CitizenNotFound`` without a basis (logged)."""
    why = purpose or default_purpose(actor)
    try:
        key: uuid.UUID | None = uuid.UUID(str(citizen_uuid))
    except ValueError:
        key = None
    citizen = Citizen.objects.filter(uuid=key).first() if key is not None else None
    decision = _basis(actor, citizen, why) if citizen is not None else Decision(
        False, "", NO_BASIS)
    policy.record(actor, [policy.look(decision, citizen.uuid if citizen else None,
                                      ACCESS_LOG_CATEGORY, purpose=why,
                                      detail="adgangslog")])
    if citizen is None or not decision.allowed:
        raise CitizenNotFound()
    entries: QuerySet[AccessLogEntry] = AccessLogEntry.objects.filter(subject=citizen.uuid)
    if why is Purpose.CASEWORK and not _is_the_citizen(actor, citizen):
        entries = _without_hidden(actor, citizen, entries)
    if since is not None:
        entries = entries.filter(at__gte=since)
    return [Row.of(e) for e in entries.order_by("-at", "-id")[: max(1, min(limit, MAX_ROWS))]]
