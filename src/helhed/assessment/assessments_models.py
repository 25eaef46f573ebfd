"""Adult assessments (voksenudredning, VUM 2.0): per theme the caseworker's and the
citizen's own functional level on the Fælles Sprog III scale.

An assessment is recorded once and never changed: a new assessment is a new row, so the
levels over time stay for effect measurement (``assessment.assessments.levels_over_time``).
Personal data: read only through ``assessment.assessments``.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from helhed.cases.models import Case, CaseDeadline
from helhed.organisation.models import StaffMember
from helhed.people.models import Citizen

__all__ = ["AdultAssessment", "ChildConversation", "ChildInvestigation", "FunctionalLevel",
           "InvestigationNote", "InvestigationRequest"]

LEVEL_OK = models.Q(level__isnull=True) | models.Q(level__in=(0, 1, 2, 3, 4, 9))
CITIZEN_LEVEL_OK = (models.Q(citizen_level__isnull=True)
                    | models.Q(citizen_level__in=(0, 1, 2, 3, 4, 9)))


class AdultAssessment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="adult_assessments")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("udredningsdato"), db_index=True)
    summary = models.TextField(_("samlet vurdering"), blank=True)
    created_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registreret"))

    class Meta:
        verbose_name = _("voksenudredning")
        verbose_name_plural = _("voksenudredninger")
        ordering: ClassVar[list[str]] = ["-assessed_on", "-created_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["citizen", "assessed_on"], name="adultassess_citizen_date"),
        ]

    def __str__(self) -> str:
        return f"{self.assessed_on:%d.%m.%Y}"


class FunctionalLevel(models.Model):
    """One VUM theme of one assessment: the caseworker's level, the citizen's own level
    (0–4, 9 not relevant; empty when not given) and the caseworker's text."""

    assessment = models.ForeignKey(AdultAssessment, on_delete=models.PROTECT,
                                   related_name="levels")
    theme = models.CharField(_("tema"), max_length=40)
    level = models.PositiveSmallIntegerField(_("sagsbehandlerens vurdering"), null=True,
                                             blank=True)
    citizen_level = models.PositiveSmallIntegerField(_("borgerens egen vurdering"),
                                                     null=True, blank=True)
    text = models.TextField(_("beskrivelse"), blank=True)

    class Meta:
        verbose_name = _("funktionsniveau")
        verbose_name_plural = _("funktionsniveauer")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["assessment", "theme"],
                                    name="functional_level_one_per_theme"),
            models.CheckConstraint(condition=LEVEL_OK, name="functional_level_scale"),
            models.CheckConstraint(condition=CITIZEN_LEVEL_OK,
                                   name="functional_level_citizen_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.theme}: {self.level}"


class ChildInvestigation(models.Model):
    """A child investigation (børnefaglig undersøgelse, Barnets lov § 20) on a child's case,
    structured by the ICS triangle; its 4-month time limit is a deadline on the work list
    (``cases.CaseDeadline``, kind ``boerneundersoegelse``), met by the conclusion."""

    class State(models.TextChoices):
        OPEN = "igang", _("I gang")
        CONCLUDED = "afsluttet", _("Afsluttet")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT,
                             related_name="child_investigations")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("påbegyndt"))
    state = models.CharField(_("tilstand"), max_length=10, choices=State.choices,
                             default=State.OPEN)
    deadline = models.OneToOneField(CaseDeadline, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="child_investigation",
                                    verbose_name=_("frist på arbejdslisten"))
    conclusion = models.TextField(_("konklusion"), blank=True)
    concluded_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)
    created_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("oprettet"))

    class Meta:
        verbose_name = _("børnefaglig undersøgelse")
        verbose_name_plural = _("børnefaglige undersøgelser")
        ordering: ClassVar[list[str]] = ["-started_on", "-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(state="igang"),
                                    name="child_investigation_one_open_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.started_on:%d.%m.%Y} ({self.get_state_display()})"


class InvestigationNote(models.Model):
    """What the investigation found about one theme of the ICS triangle."""

    investigation = models.ForeignKey(ChildInvestigation, on_delete=models.PROTECT,
                                      related_name="notes")
    theme = models.CharField(_("tema"), max_length=60)
    text = models.TextField(_("beskrivelse"))
    written_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("skrevet"))

    class Meta:
        verbose_name = _("tema i undersøgelsen")
        verbose_name_plural = _("temaer i undersøgelsen")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["investigation", "theme"],
                                    name="investigation_note_one_per_theme"),
        ]

    def __str__(self) -> str:
        return self.theme


class ChildConversation(models.Model):
    """The conversation with the child: held (a date and a summary) or not held (why)."""

    investigation = models.OneToOneField(ChildInvestigation, on_delete=models.PROTECT,
                                         related_name="conversation")
    held = models.BooleanField(_("afholdt"))
    held_on = models.DateField(_("dato"), null=True, blank=True)
    summary = models.TextField(_("resumé"), blank=True)
    reason_not_held = models.TextField(_("begrundelse for ikke at holde samtalen"),
                                       blank=True)
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("registreret"))

    class Meta:
        verbose_name = _("samtale med barnet")
        verbose_name_plural = _("samtaler med barnet")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=(models.Q(held=True, held_on__isnull=False)
                           & ~models.Q(summary=""))
                | (models.Q(held=False, held_on__isnull=True) & ~models.Q(reason_not_held="")),
                name="child_conversation_held_or_why_not"),
        ]

    def __str__(self) -> str:
        return str(self.held_on or "-")


class InvestigationRequest(models.Model):
    """An information request of the case attached to the ICS theme it informs."""

    investigation = models.ForeignKey(ChildInvestigation, on_delete=models.PROTECT,
                                      related_name="requests")
    request = models.OneToOneField("assessment.InformationRequest", on_delete=models.PROTECT,
                                   related_name="investigation_link")
    theme = models.CharField(_("tema"), max_length=60)

    class Meta:
        verbose_name = _("indhentning til undersøgelsen")
        verbose_name_plural = _("indhentninger til undersøgelsen")

    def __str__(self) -> str:
        return self.theme
