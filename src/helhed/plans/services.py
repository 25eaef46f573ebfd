"""Plan operations: each takes the acting user, asks the door (``plans.access``), runs in
one transaction and emits its event (``plans.plan.*``, ``plans.goal.*``).

Versioning: the plan's newest version is its draft until it is published; publishing
freezes it (kept and viewable); the next change makes a new draft, a copy of the sections
with the same goal references.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from helhed.cases import access as case_access
from helhed.cases.models import Case
from helhed.core import clock, events
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.organisation.models import Department, Provider, StaffMember
from helhed.people import services as people
from helhed.people.models import Citizen
from helhed.plans import access
from helhed.plans.access import Viewer
from helhed.plans.models import Action, Goal, Plan, PlanGoal, PlanMember, PlanVersion, Section
from helhed.sharing.policy import Actor

KINDS = Plan.Kind.choices
DEFAULT_KIND = str(Plan.Kind.ACTION)
READ_ONLY = gettext_noop(
    "Kun medarbejdere i planens afdelinger kan skrive i planen. Du kan læse den.")
NEEDS_CASE = gettext_noop("En plan skal høre til mindst én sag.")
UNKNOWN_CASE = gettext_noop("Sagen %(case)s findes ikke.")
UNKNOWN_DEPARTMENT = gettext_noop("Afdelingen %(code)s findes ikke.")
UNKNOWN_MEMBER = gettext_noop("Borgeren findes ikke.")
UNKNOWN_PROVIDER = gettext_noop("Udføreren findes ikke.")
BAD_KIND = gettext_noop("Vælg handleplan, indsatsplan eller helhedsplan.")
BAD_ROLE = gettext_noop("Vælg borger, barn, mor eller far.")
NEEDS_TITLE = gettext_noop("Skriv en overskrift.")
BAD_PROGRESS = gettext_noop("Fremdriften skal være mellem 0 og 100 procent.")
GOAL_NOT_VISIBLE = gettext_noop(
    "Målet hører til en plan, du ikke har adgang til. Det kan ikke henvises til.")
NOT_DRAFT = gettext_noop("Versionen er offentliggjort og kan ikke ændres.")
SECTION_NOT_FOUND = gettext_noop("Afsnittet findes ikke i planens kladde.")
GOAL_NOT_FOUND = gettext_noop("Målet findes ikke.")
VERSION_NOT_FOUND = gettext_noop("Versionen findes ikke.")
NOTHING_TO_PUBLISH = gettext_noop("Kladden er allerede offentliggjort.")
TOO_LATE = gettext_noop("Opfølgningsdatoen kan ikke ligge efter fristen.")


@dataclass(frozen=True)
class Audience:
    all_staff: bool = False
    departments: Sequence[str] = ()
    citizen: bool = False
    mother: bool = False
    father: bool = False
    provider: uuid.UUID | str | None = None


@dataclass
class PlanView:
    plan: Plan
    version: PlanVersion
    versions: list[PlanVersion]
    sections: list[Section]
    viewer: Viewer
    members: list[PlanMember] = field(default_factory=list)  # for staff only


def _emit(event_type: str, plan: Plan, staff: StaffMember, obj: Any = None,
          **payload: Any) -> None:
    first = plan.cases.order_by("pk").values_list("uuid", flat=True).first()
    events.emit(event_type, object_type="plans.goal" if isinstance(obj, Goal) else "plans.plan",
                object_id=(obj or plan).uuid, actor=staff.user.get_username(),
                citizen=plan.citizen.uuid,
                payload={"case": str(first) if first else None, "plan": str(plan.uuid),
                         "version": plan.version, **payload})


def _writer(actor: Actor, plan: Plan, detail: str) -> StaffMember:
    """A caseworker of one of the plan's own departments whom the door lets write; a
    consent or rule that lets other departments read the plan does not let them write."""
    staff = case_access.caseworker(actor, plan.citizen.uuid)
    access.content_basis(actor, plan, action="write", detail=detail)
    if staff.unit is None or staff.unit.department_id not in access.departments_of(plan):
        raise AccessDenied(code="plans.read_only", message=READ_ONLY)
    return staff


def _departments(codes: Sequence[str]) -> list[Department]:
    found = list(Department.objects.filter(code__in=codes))
    missing = set(codes) - {d.code for d in found}
    if missing:
        raise InvalidInput(code="plans.unknown_department", message=UNKNOWN_DEPARTMENT,
                           field="departments", params={"code": sorted(missing)[0]})
    return found


def _provider(key: uuid.UUID | str | None) -> Provider | None:
    if key is None or key == "":
        return None
    try:
        return Provider.objects.get(uuid=key)
    except (Provider.DoesNotExist, ValueError, ValidationError):
        raise InvalidInput(code="plans.unknown_provider", message=UNKNOWN_PROVIDER,
                           field="provider") from None


def _cases(keys: Sequence[uuid.UUID | str]) -> list[Case]:
    if not keys:
        raise InvalidInput(code="plans.needs_case", message=NEEDS_CASE, field="cases")
    found = []
    for key in keys:
        try:
            found.append(Case.objects.select_related("citizen", "department").get(uuid=key))
        except (Case.DoesNotExist, ValueError, ValidationError):
            raise InvalidInput(code="plans.unknown_case", message=UNKNOWN_CASE,
                               field="cases", params={"case": str(key)}) from None
    return found


def create_plan(actor: Actor, *, kind: str, title: str, cases: Sequence[uuid.UUID | str],
                members: Sequence[tuple[uuid.UUID | str, str]] = ()) -> Plan:
    """A new plan (version 1, a draft) for the first case's citizen, with ``members``
    (citizen uuid, role) as the people it is about. The actor must be able to write to
    every case the plan belongs to."""
    if kind not in Plan.Kind.values:
        raise InvalidInput(code="plans.bad_kind", message=BAD_KIND, field="kind")
    if not title.strip():
        raise InvalidInput(code="plans.needs_title", message=NEEDS_TITLE, field="title")
    found = _cases(cases)
    staff = case_access.caseworker(actor, found[0].citizen.uuid)
    for case in found:
        case_access.write_case(actor, case, "opret plan")
    people = []
    for key, role in members:
        if role not in PlanMember.Role.values:
            raise InvalidInput(code="plans.bad_role", message=BAD_ROLE, field="members")
        try:
            people.append((Citizen.objects.get(uuid=key), role))
        except (Citizen.DoesNotExist, ValueError, ValidationError):
            raise InvalidInput(code="plans.unknown_member", message=UNKNOWN_MEMBER,
                               field="members") from None
    if found[0].citizen.uuid not in {c.uuid for c, _ in people}:
        child = kind == Plan.Kind.ACTION or found[0].citizen.age_on(clock.today()) < 18
        own = PlanMember.Role.CHILD if child else PlanMember.Role.CITIZEN
        people.insert(0, (found[0].citizen, own))
    with transaction.atomic():
        now = clock.now()
        plan = Plan.objects.create(kind=kind, title=title.strip(), citizen=found[0].citizen,
                                   department=found[0].department, responsible=staff,
                                   created_at=now, updated_at=now)
        plan.cases.set(found)
        PlanMember.objects.bulk_create(PlanMember(plan=plan, citizen=c, role=r)
                                       for c, r in people)
        PlanVersion.objects.create(plan=plan, number=1)
        _emit("plans.plan.created", plan, staff, plan_kind=kind)
    return plan


PARENT_ROLES = {"Mor": PlanMember.Role.MOTHER, "Far": PlanMember.Role.FATHER}


def check_can_plan(actor: Actor, case_uuid: uuid.UUID | str) -> Case:
    """The case a new plan would belong to, if the actor may write to it (logged)."""
    case = _cases([case_uuid])[0]
    case_access.caseworker(actor, case.citizen.uuid)
    case_access.write_case(actor, case, "ny plan")
    return case


def create_plan_for_case(actor: Actor, case_uuid: uuid.UUID | str, *, kind: str,
                         title: str, with_parents: bool = False) -> Plan:
    """A plan for one case (the page's way); ``with_parents``: the citizen's mother and
    father (read through the door's family look) are on the plan as ``mor`` and ``far``."""
    found = _cases([case_uuid])
    members: list[tuple[uuid.UUID | str, str]] = []
    if with_parents:
        case_access.write_case(actor, found[0], "opret plan")
        family = people.family_of(actor, found[0].citizen, details=False)
        members = [(r.citizen.uuid, PARENT_ROLES[r.relation]) for r in family.parents
                   if r.relation in PARENT_ROLES]
    return create_plan(actor, kind=kind, title=title, cases=[found[0].uuid], members=members)


def _current(plan: Plan) -> PlanVersion:
    return plan.versions.get(number=plan.version)


def _draft(plan: Plan) -> PlanVersion:
    """The plan's draft: the newest version, or a new copy of it when it is published."""
    current = _current(plan)
    if not current.frozen:
        return current
    draft = PlanVersion.objects.create(plan=plan, number=current.number + 1,
                                       citizen_comment="")
    for section in current.sections.prefetch_related("departments", "goal_links"):
        departments = list(section.departments.all())
        goals = [link.goal_id for link in section.goal_links.all()]
        old_uuid = section.uuid
        section.pk = None
        section.version = draft
        section.uuid = old_uuid  # the same section across versions
        section.save()
        section.departments.set(departments)
        PlanGoal.objects.bulk_create(PlanGoal(section=section, goal_id=g) for g in goals)
    plan.version = draft.number
    plan.state = Plan.State.DRAFT
    plan.updated_at = clock.now()
    plan.save(update_fields=["version", "state", "updated_at"])
    return draft


def add_section(actor: Actor, plan_uuid: uuid.UUID | str, *, title: str, text: str = "",
                audience: Audience) -> Section:
    plan = access.get_plan(plan_uuid)
    staff = _writer(actor, plan, "tilføj afsnit")
    if not title.strip():
        raise InvalidInput(code="plans.needs_title", message=NEEDS_TITLE, field="title")
    departments = _departments(audience.departments)
    provider = _provider(audience.provider)
    with transaction.atomic():
        draft = _draft(plan)
        section = Section.objects.create(
            version=draft, position=draft.sections.count(), title=title.strip(), text=text,
            all_staff=audience.all_staff, for_citizen=audience.citizen,
            for_mother=audience.mother, for_father=audience.father, provider=provider)
        section.departments.set(departments)
        _touch(plan)
        _emit("plans.plan.changed", plan, staff, change="section_added")
    return section


def _touch(plan: Plan) -> None:
    plan.updated_at = clock.now()
    plan.save(update_fields=["updated_at"])


def publish(actor: Actor, plan_uuid: uuid.UUID | str) -> PlanVersion:
    """Freeze the draft as a published version."""
    plan = access.get_plan(plan_uuid)
    staff = _writer(actor, plan, "offentliggør plan")
    with transaction.atomic():
        version = _current(plan)
        if version.frozen:
            raise InvalidInput(code="plans.already_published", message=NOTHING_TO_PUBLISH)
        version.published_at = clock.now()
        version.published_by = staff
        version.save(update_fields=["published_at", "published_by"])
        plan.state = Plan.State.PUBLISHED
        plan.updated_at = version.published_at
        plan.save(update_fields=["state", "updated_at"])
        _emit("plans.plan.published", plan, staff)
    return version


def record_comment(actor: Actor, plan_uuid: uuid.UUID | str, number: int, text: str
                   ) -> PlanVersion:
    """What the citizen said about a version (noted by the caseworker; the portal later)."""
    plan = access.get_plan(plan_uuid)
    staff = _writer(actor, plan, "borgerens bemærkninger")
    version = _version(plan, number)
    with transaction.atomic():
        version.citizen_comment = text
        version.save(update_fields=["citizen_comment"])
        _emit("plans.plan.changed", plan, staff, change="citizen_comment",
              commented_version=number)
    return version


def _version(plan: Plan, number: int | None) -> PlanVersion:
    try:
        return plan.versions.get(number=number or plan.version)
    except PlanVersion.DoesNotExist:
        raise NotFound(code="plans.version_not_found", message=VERSION_NOT_FOUND) from None


def _draft_section(plan: Plan, section_uuid: uuid.UUID | str) -> Section:
    try:
        return Section.objects.get(version__plan=plan, version__number=plan.version,
                                   uuid=section_uuid)
    except (Section.DoesNotExist, ValueError, ValidationError):
        raise NotFound(code="plans.section_not_found", message=SECTION_NOT_FOUND,
                       field="section") from None


def add_goal(actor: Actor, plan_uuid: uuid.UUID | str, section_uuid: uuid.UUID | str, *,
             title: str, parent: uuid.UUID | str | None = None) -> Goal:
    """A goal (or a sub-goal of ``parent``) written in the plan and placed in a section."""
    plan = access.get_plan(plan_uuid)
    staff = _writer(actor, plan, "tilføj mål")
    if not title.strip():
        raise InvalidInput(code="plans.needs_title", message=NEEDS_TITLE, field="title")
    parent_goal = _goal(parent) if parent else None
    with transaction.atomic():
        _draft(plan)
        section = _draft_section(plan, section_uuid)
        now = clock.now()
        goal = Goal.objects.create(plan=plan, parent=parent_goal, title=title.strip(),
                                   created_at=now, updated_at=now)
        PlanGoal.objects.create(section=section, goal=goal)
        _emit("plans.goal.created", plan, staff, goal, goal=str(goal.uuid))
    return goal


def _goal(goal_uuid: uuid.UUID | str) -> Goal:
    try:
        return Goal.objects.select_related("plan__citizen").get(uuid=goal_uuid)
    except (Goal.DoesNotExist, ValueError, ValidationError):
        raise NotFound(code="plans.goal_not_found", message=GOAL_NOT_FOUND,
                       field="goal") from None


def _may_see_goal(actor: Actor, goal: Goal) -> bool:
    """The actor reads the goal's home plan and a section it sits in there (door logs)."""
    home = goal.plan
    try:
        viewer = access.viewer_of(actor, home)
    except (NotFound, AccessDenied):  # the refusal is in the access log
        return False
    sections = Section.objects.filter(version__plan=home, goal_links__goal=goal)
    return any(access.sees(s, viewer) for s in sections.prefetch_related("departments"))


def reference_goal(actor: Actor, plan_uuid: uuid.UUID | str, section_uuid: uuid.UUID | str,
                   goal_uuid: uuid.UUID | str) -> PlanGoal:
    """Place an existing goal (written in another plan) in a section of this plan: a
    reference, so its progress shows here too. Refused, nothing saved, when the actor may
    not see the goal in its home plan."""
    plan = access.get_plan(plan_uuid)
    staff = _writer(actor, plan, "henvis til mål")
    goal = _goal(goal_uuid)
    if not _may_see_goal(actor, goal):
        raise InvalidInput(code="plans.goal_not_visible", message=GOAL_NOT_VISIBLE,
                           field="goal")
    with transaction.atomic():
        _draft(plan)
        section = _draft_section(plan, section_uuid)
        link, _ = PlanGoal.objects.get_or_create(section=section, goal=goal)
        _emit("plans.goal.referenced", plan, staff, goal, goal=str(goal.uuid))
    return link


def record_progress(actor: Actor, goal_uuid: uuid.UUID | str, *, progress: int,
                    note: str = "") -> Goal:
    """Progress on the goal itself: it shows in every plan that references it."""
    goal = _goal(goal_uuid)
    staff = _writer(actor, goal.plan, "fremdrift på mål")
    if not 0 <= progress <= 100:
        raise InvalidInput(code="plans.bad_progress", message=BAD_PROGRESS, field="progress")
    with transaction.atomic():
        goal.progress = progress
        goal.progress_note = note
        goal.updated_at = clock.now()
        goal.save(update_fields=["progress", "progress_note", "updated_at"])
        _emit("plans.goal.progress", goal.plan, staff, goal, goal=str(goal.uuid),
              progress=progress)
    return goal


def add_action(actor: Actor, goal_uuid: uuid.UUID | str, *, title: str,
               department_code: str, responsible_id: int | None = None,
               deadline: dt.date | None = None, follow_up: dt.date | None = None) -> Action:
    goal = _goal(goal_uuid)
    staff = _writer(actor, goal.plan, "tilføj indsats")
    if not title.strip():
        raise InvalidInput(code="plans.needs_title", message=NEEDS_TITLE, field="title")
    if deadline and follow_up and follow_up > deadline:
        raise InvalidInput(code="plans.follow_up_after_deadline", message=TOO_LATE,
                           field="follow_up")
    department = _departments([department_code])[0]
    with transaction.atomic():
        action = Action.objects.create(goal=goal, title=title.strip(), department=department,
                                       responsible_id=responsible_id, deadline=deadline,
                                       follow_up=follow_up)
        from helhed.plans import followup  # followup imports this module

        followup.add_deadline_for_action(actor, action)
        _emit("plans.goal.action_added", goal.plan, staff, goal, goal=str(goal.uuid))
    return action


def read_plan(actor: Actor, plan_uuid: uuid.UUID | str, number: int | None = None
              ) -> PlanView:
    """The plan as the actor may see it: one version (default the newest) with only the
    sections whose audience includes the actor. Every read is logged by the door."""
    plan = access.get_plan(plan_uuid)
    viewer = access.viewer_of(actor, plan)
    version = _version(plan, number)
    sections = access.read_version(actor, plan, version, viewer)
    members = (list(plan.members.select_related("citizen")) if viewer.kind == access.STAFF
               else [])
    return PlanView(plan, version, list(plan.versions.all()), sections, viewer, members)


def read_plan_for(actor: Actor, plan_uuid: uuid.UUID | str, recipient: uuid.UUID | str,
                  number: int | None = None) -> PlanView:
    """The version as a citizen of the plan (mother, father, child …) may see it, for a
    letter: the actor needs a basis for the plan; the recipient's role picks the sections."""
    plan = access.get_plan(plan_uuid)
    case_access.caseworker(actor, plan.citizen.uuid)
    access.content_basis(actor, plan, detail="plan til borger")
    viewer = access.citizen_viewer(plan, recipient)
    version = _version(plan, number)
    return PlanView(plan, version, list(plan.versions.all()),
                    access.visible_sections(version, viewer), viewer)
