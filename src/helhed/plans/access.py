"""The plans app's door: who may read a plan, and which of its sections.

Two questions, both answered here and nowhere else (never in templates):

1. May the actor read the plan's content at all? Staff need a basis for one of the plan's
   cases (own case, consent, legal basis, emergency): ``sharing.policy.decide`` answers,
   with the case's ``CaseScope``, and logs the look. Provider staff have no case basis; they
   read a plan only when a section of it is shared with their provider (logged as such).
2. Which sections? :func:`visible_sections` filters by each section's audience: all staff on
   the plan, named departments, the citizen, mother, father, a provider. Staff of the plan's
   own department wrote it and see every section; a citizen sees only the sections meant for
   the part they play (mother never sees the father's, and the other way round).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from helhed.cases import access as case_access
from helhed.cases.models import Case
from helhed.core.errors import AccessDenied, NotFound
from helhed.organisation.services import staff_of
from helhed.plans.models import Plan, PlanMember, PlanVersion, Section
from helhed.sharing import policy
from helhed.sharing.policy import Actor, Category, Decision, Purpose

SHARED_WITH_PROVIDER = gettext_noop("Delt med udfører")
NOT_SHARED = gettext_noop("Planen er ikke delt med din udfører.")
NOT_A_MEMBER = gettext_noop("Personen er ikke med i planen.")


class PlanNotFound(NotFound):
    code = "plans.not_found"
    message = gettext_noop("Planen findes ikke.")


@dataclass(frozen=True)
class Viewer:
    """Who looks: staff (with their department), provider staff, or a citizen in a role."""

    kind: str  # "staff", "provider", "citizen"
    department_id: int | None = None
    provider_id: int | None = None
    role: str = ""
    author: bool = False  # staff of the plan's own departments: they write it
    name: str = ""  # a citizen viewer's name (the letter's recipient)


STAFF, PROVIDER, CITIZEN = "staff", "provider", "citizen"
_CITIZEN_FLAGS: dict[str, str] = {
    PlanMember.Role.CITIZEN: "for_citizen", PlanMember.Role.CHILD: "for_citizen",
    PlanMember.Role.MOTHER: "for_mother", PlanMember.Role.FATHER: "for_father"}


def get_plan(plan_uuid: uuid.UUID | str) -> Plan:
    try:
        return Plan.objects.select_related("citizen", "department", "responsible__user").get(
            uuid=plan_uuid)
    except (Plan.DoesNotExist, ValueError):
        raise PlanNotFound() from None


def _cases(plan: Plan) -> list[Case]:
    return list(plan.cases.select_related("citizen", "department", "unit",
                                          "responsible__user"))


def content_basis(actor: Actor, plan: Plan, *, action: str = "read", detail: str = "plan"
                  ) -> str:
    """The basis on which the (staff) actor reads or writes the plan: the first of its cases
    the door allows. ``AccessDenied`` with the door's reason otherwise (all logged)."""
    refusal: AccessDenied | None = None
    hidden = True
    for case in _cases(plan):
        scope = case_access.scope_of(case)
        try:
            return case_access.require(actor, scope, case.citizen.uuid,
                                       action=action, detail=f"{detail} {plan.uuid}")
        except AccessDenied as exc:
            refusal = exc
            hidden = hidden and policy.hides_existence(scope)
    if refusal is not None and hidden:  # its cases must not be confirmed: as if no plan
        raise PlanNotFound()
    if refusal is None:  # every plan belongs to a case (services.create_plan checks it)
        refusal = AccessDenied(message=policy.NO_CASE_SCOPE)
    raise refusal


def departments_of(plan: Plan) -> set[int]:
    """The plan's own departments: its responsible department and those of its cases."""
    return {plan.department_id, *plan.cases.values_list("department_id", flat=True)}


def viewer_of(actor: Actor, plan: Plan) -> Viewer:
    """The actor as a viewer of the plan, after the door let them in (logged)."""
    staff = staff_of(actor)
    if staff is not None and staff.provider_id is not None:
        return Viewer(PROVIDER, provider_id=staff.provider_id)
    content_basis(actor, plan)
    department_id = staff.unit.department_id if staff is not None and staff.unit else None
    return Viewer(STAFF, department_id=department_id,
                  author=department_id in departments_of(plan))


def citizen_viewer(plan: Plan, citizen_uuid: uuid.UUID | str) -> Viewer:
    member = plan.members.select_related("citizen").filter(citizen__uuid=citizen_uuid).first()
    if member is None:
        raise NotFound(code="plans.not_member", message=NOT_A_MEMBER, field="recipient")
    return Viewer(CITIZEN, role=member.role, name=member.citizen.full_name)


def sees(section: Section, viewer: Viewer) -> bool:
    """Whether the section's audience includes the viewer (departments prefetched)."""
    if viewer.kind == PROVIDER:
        return section.provider_id is not None and section.provider_id == viewer.provider_id
    if viewer.kind == CITIZEN:
        return bool(getattr(section, _CITIZEN_FLAGS.get(viewer.role, ""), False))
    if viewer.author or section.all_staff:
        return True
    return any(d.pk == viewer.department_id for d in section.departments.all())


def _sections(version: PlanVersion) -> Iterable[Section]:
    return version.sections.select_related("provider").prefetch_related(
        "departments", "goal_links__goal__plan", "goal_links__goal__parent",
        "goal_links__goal__actions__department")


def visible_sections(version: PlanVersion, viewer: Viewer) -> list[Section]:
    """The one place that decides which sections of a version a viewer sees."""
    shown = [s for s in _sections(version) if sees(s, viewer)]
    for section in shown:  # what pages and the API show, loaded here (no ORM there)
        section.goals = [link.goal for link in section.goal_links.all()]  # type: ignore[attr-defined]
        for goal in section.goals:  # type: ignore[attr-defined]
            goal.action_list = list(goal.actions.all())
    return shown


def read_version(actor: Actor, plan: Plan, version: PlanVersion,
                 viewer: Viewer | None = None) -> list[Section]:
    """The sections of the version the actor (or, for a letter, the given citizen viewer)
    may see. A provider without any shared section is refused, and the refusal logged."""
    viewer = viewer or viewer_of(actor, plan)
    shown = visible_sections(version, viewer)
    if viewer.kind == PROVIDER:
        allowed = bool(shown)
        decision = Decision(allowed, SHARED_WITH_PROVIDER if allowed else "",
                            "" if allowed else NOT_SHARED)
        policy.record(actor, [policy.look(decision, plan.citizen.uuid, Category.CASE_CONTENT,
                                          purpose=Purpose.CASEWORK,
                                          detail=f"plan {plan.uuid}")])
        if not allowed:
            raise AccessDenied(code="plans.not_shared", message=NOT_SHARED)
    return shown
