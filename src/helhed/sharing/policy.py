"""The one door to personal data (ARCHITECTURE.md rule 1).

``decide(actor, purpose, subject, category)`` answers allow or deny with the basis and
writes the access log, for grants and denials alike. Pages, API, exports, search and
notifications call it (through the per-object doors such as
``helhed.people.services.access_citizen``), never the ORM directly.

Bases today: the actor's role may look up citizens' master data for case work; a case's
metadata (that it exists, where, who is responsible) is open to the same roles; a case's
content (journal, documents, decisions, grants, notifications) needs the actor's own case
or the case's own department (``CaseScope``). Consent, legal basis and emergency access come
with the sharing issue and slot in here.

The address of a citizen with name and address protection (``Category.PROTECTED_ADDRESS``)
is denied to everyone for now: the foundation has no basis that opens it. The sharing issue
adds the bases that do (the actor's own case with the citizen, a legal basis), decided per
citizen here like the others.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext_noop

from helhed.core import access
from helhed.core.access import Look
from helhed.organisation.services import roles_of, staff_of

Actor = AbstractBaseUser | AnonymousUser | None


class Purpose(StrEnum):
    CASEWORK = "sagsbehandling"
    EMERGENCY = "akut"
    ADMINISTRATION = "administration"


class Category(StrEnum):
    """Categories of personal data. Master data is all the foundation knows."""

    MASTER_DATA = "stamdata"  # name, CPR, address, household
    FAMILY = "familie"  # parents, children, custody, contact arrangements, guardians
    CONTACT = "kontakt"  # phone, e-mail, preferred channel
    # The address, address history and household of a citizen with name and address
    # protection (navne- og adressebeskyttelse, ``Citizen.name_protected``).
    PROTECTED_ADDRESS = "beskyttet_adresse"
    # That a case, notification or grant exists, where, its state and who is responsible.
    CASE = "sag"
    # What is in it: journal, documents, decisions, letters, grants' details, notifications.
    CASE_CONTENT = "sagsindhold"


@dataclass(frozen=True)
class CaseScope:
    """Where a case (or a notification, a grant) belongs, for deciding its content.

    Plain ids so that the policy does not import the cases app."""

    department_id: int | None
    unit_id: int | None = None
    responsible_id: int | None = None  # a StaffMember id
    department_name: str = ""


LOOKUP_CATEGORIES = frozenset(
    {Category.MASTER_DATA, Category.FAMILY, Category.CONTACT, Category.CASE})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    basis: str
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


# Reasons are Danish in the access log; they are marked (not translated) here so that a page
# showing one can translate it into the reader's language with ``gettext(reason)``.
DENY_ANONYMOUS = Decision(False, "", gettext_noop("Ikke logget ind."))
ROLE_GIVES_NO_ACCESS = gettext_noop("Din rolle giver ikke adgang til disse oplysninger.")
OTHER_DEPARTMENT = gettext_noop(
    "Sagen hører til en anden afdeling. Kontakt den ansvarlige for at få oplysningerne.")
NO_CASE_SCOPE = gettext_noop("Sagsindhold kan kun vises for en bestemt sag.")
ADDRESS_IS_PROTECTED = gettext_noop(
    "Borgeren har navne- og adressebeskyttelse. Adressen vises kun med et særligt grundlag.")


def _lookup_role(actor: Actor) -> str | None:
    """The name of a role of the actor's that may look up citizens, if any.

    The roles are read once per user object (``organisation.services.roles_of``), i.e. once
    per request; ``is_active`` is checked on every call.
    """
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return None
    names = [r.name for r in roles_of(actor) if r.may_look_up_citizens]
    return min(names) if names else None


def _case_content(actor: Actor, purpose: Purpose, scope: CaseScope | None) -> Decision:
    """Own case (the actor is responsible) or own department (a caseworker of the case's
    department). The sharing issue adds consent, legal basis and emergency access."""
    if scope is None:
        return Decision(False, "", NO_CASE_SCOPE)
    if purpose not in (Purpose.CASEWORK, Purpose.ADMINISTRATION) or not _lookup_role(actor):
        return Decision(False, "", ROLE_GIVES_NO_ACCESS)
    staff = staff_of(actor)
    if staff is None:
        return Decision(False, "", ROLE_GIVES_NO_ACCESS)
    if scope.responsible_id is not None and staff.pk == scope.responsible_id:
        return Decision(True, "Egen sag")
    department = staff.unit.department_id if staff.unit is not None else None
    if department is not None and department == scope.department_id:
        return Decision(True, f"Egen afdeling: {scope.department_name}".strip())
    return Decision(False, "", OTHER_DEPARTMENT)


def evaluate(actor: Actor, purpose: Purpose, category: Category,
             scope: CaseScope | None = None) -> Decision:
    """The decision without logging; used by ``decide`` and by list filters."""
    if actor is None or not actor.is_authenticated:
        return DENY_ANONYMOUS
    if category is Category.CASE_CONTENT:
        return _case_content(actor, purpose, scope)
    if category is Category.PROTECTED_ADDRESS:
        # No basis opens a protected address yet (own case and legal basis: sharing issue).
        return Decision(False, "", ADDRESS_IS_PROTECTED)
    if category in LOOKUP_CATEGORIES and purpose in (Purpose.CASEWORK, Purpose.ADMINISTRATION):
        role = _lookup_role(actor)
        if role:
            return Decision(True, f"Rolle: {role}")
    return Decision(False, "", ROLE_GIVES_NO_ACCESS)


def decide(
    actor: Actor,
    purpose: Purpose,
    subject: uuid.UUID | None,
    category: Category,
    *,
    action: str = "read",
    detail: str = "",
    scope: CaseScope | None = None,
) -> Decision:
    """Decide one access and log it. ``scope`` says which case the data belongs to (needed
    for ``Category.CASE_CONTENT``)."""
    decision = evaluate(actor, purpose, category, scope)
    access.record(actor, [_look(decision, subject, category, action, purpose, detail)])
    return decision


def decide_many(
    actor: Actor,
    purpose: Purpose,
    subjects: Sequence[uuid.UUID],
    category: Category,
    *,
    action: str = "read",
    detail: str = "",
    scope: CaseScope | None = None,
) -> Decision:
    """Decide one category for several citizens at once (e.g. a family), logging each."""
    decision = evaluate(actor, purpose, category, scope)
    access.record(actor, _looks(decision, subjects, category, action, purpose, detail))
    return decision


def _looks(
    decision: Decision, subjects: Iterable[uuid.UUID], category: Category, action: str,
    purpose: Purpose, detail: str,
) -> list[Look]:
    return [_look(decision, s, category, action, purpose, detail) for s in subjects]


def _look(
    decision: Decision, subject: uuid.UUID | None, category: Category, action: str,
    purpose: Purpose, detail: str,
) -> Look:
    return Look(
        subject=subject, category=str(category), action=action, purpose=str(purpose),
        basis=decision.basis, allowed=decision.allowed, detail=detail or decision.reason,
    )
