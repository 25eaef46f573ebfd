"""Plans: the action plan (handleplan), the intervention plan (indsatsplan) and the holistic
plan (helhedsplan) across departments for a citizen or a family.

A plan's text lives in versions: a ``PlanVersion`` holds ``Section`` rows, each with its
audience. Publishing freezes a version; the next edit starts a new draft (a copy of the
sections). Goals are written once (``Goal``, owned by the plan that wrote them) and placed
in sections of any plan by reference (``PlanGoal``): progress is recorded on the goal and so
shows wherever it is referenced.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from helhed.cases.models import Case
from helhed.organisation.models import Department, Provider, StaffMember
from helhed.people.models import Citizen


class Plan(models.Model):
    class Kind(models.TextChoices):
        ACTION = "handleplan", _("Handleplan")
        INTERVENTION = "indsatsplan", _("Indsatsplan")
        HOLISTIC = "helhedsplan", _("Helhedsplan")

    class State(models.TextChoices):
        DRAFT = "kladde", _("Kladde")
        PUBLISHED = "offentliggjort", _("Offentliggjort")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="plans")
    cases = models.ManyToManyField(Case, related_name="plans", verbose_name=_("sager"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="plans")
    responsible = models.ForeignKey(StaffMember, on_delete=models.PROTECT,
                                    related_name="plans")
    state = models.CharField(_("tilstand"), max_length=15, choices=State.choices,
                             default=State.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("oprettet"))
    updated_at = models.DateTimeField(_("ændret"))

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("planer")
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class PlanMember(models.Model):
    """A person the plan is about, with the part they play (which sections they see)."""

    class Role(models.TextChoices):
        CITIZEN = "borger", _("Borgeren")
        CHILD = "barn", _("Barnet")
        MOTHER = "mor", _("Mor")
        FATHER = "far", _("Far")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="members")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("rolle"), max_length=6, choices=Role.choices)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["plan", "citizen"], name="plan_member_once")]

    def __str__(self) -> str:
        return f"{self.citizen} ({self.role})"


class PlanVersion(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("nummer"))
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)
    published_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    citizen_comment = models.TextField(_("borgerens bemærkninger"), blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

    @property
    def frozen(self) -> bool:
        return self.published_at is not None


class Section(models.Model):
    """A part of one version of a plan, shown only to its audience."""

    uuid = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE,
                                related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("overskrift"), max_length=200)
    text = models.TextField(_("tekst"), blank=True)
    all_staff = models.BooleanField(_("alle medarbejdere på planen"), default=False)
    departments = models.ManyToManyField(Department, blank=True, related_name="+",
                                         verbose_name=_("afdelinger"))
    for_citizen = models.BooleanField(_("borgeren"), default=False)
    for_mother = models.BooleanField(_("mor"), default=False)
    for_father = models.BooleanField(_("far"), default=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("udfører"))

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    """A goal, written once in its home plan and referenced from others."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="own_goals")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="sub_goals")
    title = models.CharField(_("mål"), max_length=300)
    progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0)
    progress_note = models.TextField(_("status"), blank=True)
    created_at = models.DateTimeField(_("oprettet"))
    updated_at = models.DateTimeField(_("ændret"))

    def __str__(self) -> str:
        return self.title


class PlanGoal(models.Model):
    """A goal placed in a section (of its home plan or another): a reference, not a copy."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="goal_links")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="links")

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["section", "goal"], name="plan_goal_once")]

    def __str__(self) -> str:
        return f"{self.goal} i {self.section}"


class Action(models.Model):
    """An action towards a goal: who does it, by when, and when it is followed up."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("indsats"), max_length=300)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    responsible = models.ForeignKey(StaffMember, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    deadline = models.DateField(_("frist"), null=True, blank=True)
    follow_up = models.DateField(_("opfølgning"), null=True, blank=True)

    def __str__(self) -> str:
        return self.title
