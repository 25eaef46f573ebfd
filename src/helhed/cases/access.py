"""The cases app's doors: every read of a case's content and every change asks the policy
(``sharing.policy.decide`` with the case's ``CaseScope``), which logs the look.

Services call these before they touch the ORM; a refusal raises ``AccessDenied`` with the
policy's Danish reason, and is already in the access log.
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext_noop

from helhed.cases.models import Case, Notification
from helhed.core.errors import AccessDenied, NotFound
from helhed.organisation.models import StaffMember, Unit
from helhed.organisation.services import roles_of, staff_of
from helhed.sharing import policy
from helhed.sharing.policy import Actor, CaseScope, Category, Purpose

NOT_CASEWORKER = gettext_noop("Kun sagsbehandlere kan arbejde med sager.")


_RESPONSIBLE = Case._meta.get_field("responsible")
_USER = StaffMember._meta.get_field("user")


def scope_of(case: Case) -> CaseScope:
    """The case's scope. The responsible's name and phone (for "who to ask") are filled in
    only when the caller loaded them (``select_related("responsible__user")``): a scope
    never costs a query per case."""
    responsible = None
    if case.responsible_id is not None and _RESPONSIBLE.is_cached(case):
        loaded = case.responsible
        if loaded is not None and _USER.is_cached(loaded):
            responsible = loaded
    return CaseScope(department_id=case.department_id, unit_id=case.unit_id,
                     responsible_id=case.responsible_id,
                     department_name=case.department.name,
                     department_code=case.department.code,
                     category=policy.category_of_department(case.department.code,
                                                            policy.categories()),
                     responsible_name=str(responsible) if responsible is not None else "",
                     responsible_phone=responsible.phone if responsible is not None else "")


def scope_of_unit(unit: Unit | None, responsible_id: int | None = None) -> CaseScope:
    if unit is None:
        return CaseScope(department_id=None, responsible_id=responsible_id)
    code = unit.department.code
    return CaseScope(department_id=unit.department_id, unit_id=unit.pk,
                     responsible_id=responsible_id, department_name=unit.department.name,
                     department_code=code,
                     category=policy.category_of_department(code, policy.categories()))


def scope_of_notification(notification: Notification) -> CaseScope:
    if notification.case_id is not None and notification.case is not None:
        return scope_of(notification.case)
    return scope_of_unit(notification.unit)


def caseworker(actor: Actor, subject: uuid.UUID | None = None) -> StaffMember:
    """The actor's staff record, if the actor is a caseworker (a role that may look up
    citizens, not a provider's); else ``AccessDenied``, logged (on ``subject`` if given)."""
    staff = staff_of(actor)
    roles = roles_of(actor) if staff is not None else []
    if (staff is None or staff.provider_id is not None
            or not any(r.may_look_up_citizens and not r.is_provider for r in roles)):
        refused = policy.Decision(False, "", NOT_CASEWORKER)
        policy.record(actor, [policy.look(refused, subject, Category.CASE_CONTENT,
                                          purpose=Purpose.CASEWORK, detail="sagsbehandling")])
        raise AccessDenied(message=NOT_CASEWORKER)
    return staff


def require(actor: Actor, scope: CaseScope, citizen_uuid: object, *, action: str = "read",
            detail: str = "", category: Category = Category.CASE_CONTENT,
            purpose: Purpose = Purpose.CASEWORK) -> str:
    """Ask the door; raise ``AccessDenied`` on a refusal. Returns the basis."""
    decision = policy.decide(actor, purpose, citizen_uuid,  # type: ignore[arg-type]
                             category, action=action, detail=detail, scope=scope)
    if not decision.allowed:
        raise AccessDenied(message=decision.reason or policy.ROLE_GIVES_NO_ACCESS)
    return decision.basis


class HiddenCase(NotFound):
    """A refused case whose category hides existence answers exactly as a case that does
    not exist (``cases.services.CaseNotFound``): the refusal must not confirm it."""

    code = "case.not_found"
    message = gettext_noop("Sagen findes ikke.")


def read_case(actor: Actor, case: Case, detail: str = "sag") -> str:
    scope = scope_of(case)
    try:
        return require(actor, scope, case.citizen.uuid, detail=detail)
    except AccessDenied:
        if policy.hides_existence(scope):
            raise HiddenCase() from None
        raise


def write_case(actor: Actor, case: Case, detail: str) -> StaffMember:
    """A change to a case's content: a caseworker whom the door allows to write."""
    staff = caseworker(actor)
    require(actor, scope_of(case), case.citizen.uuid, action="write", detail=detail)
    return staff
