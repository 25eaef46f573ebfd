"""Assessment (ARCHITECTURE.md): information requests (indhentning) from the catalogue of the
43 data needs, and their answers.

A caseworker asks a supplier — a department, a school or day-care (a ``Unit`` of kind
``skole``/``dagtilbud``), a doctor, a hospital or another municipality — for one data need
about the citizen of her case, on a basis (a consent or a legal-basis rule), for a period and
by a deadline. The supplier answers in helhed (free text, a structured form where the need is
structured, a document); the answer is filed on the case. Personal data: read only through
``assessment.services``.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from helhed.cases.models import Case, CaseDeadline, Document, JournalEntry
from helhed.catalogue.models import DataNeed
from helhed.organisation.models import Department, StaffMember, Unit
from helhed.people.models import Citizen
from helhed.sharing.models import AccessRule, Consent, DataCategory


class RecipientKind(models.TextChoices):
    DEPARTMENT = "afdeling", _("Afdeling i kommunen")
    SCHOOL = "skole", _("Skole")
    DAYCARE = "dagtilbud", _("Dagtilbud")
    DOCTOR = "laege", _("Læge")
    HOSPITAL = "hospital", _("Hospital")
    OTHER_MUNICIPALITY = "anden_kommune", _("Anden kommune")


class InformationRequest(models.Model):
    class State(models.TextChoices):
        SENT = "sendt", _("Sendt")
        ANSWERED = "besvaret", _("Besvaret")
        CANCELLED = "annulleret", _("Annulleret")
        OVERDUE = "overskredet", _("Frist overskredet")

    OPEN_STATES: ClassVar[tuple[str, ...]] = ("sendt", "overskredet")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT,
                             related_name="information_requests")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+",
                                help_text=_("Den, oplysningerne handler om."))
    data_need = models.ForeignKey(DataNeed, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("databehov"))
    category = models.ForeignKey(DataCategory, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("datakategori"))
    recipient_kind = models.CharField(_("modtager"), max_length=20,
                                      choices=RecipientKind.choices)
    recipient_department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True,
                                             blank=True, related_name="+")
    recipient_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="information_requests")
    recipient_name = models.CharField(_("ekstern modtager"), max_length=200, blank=True)
    purpose = models.TextField(_("formål"))
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    access_rule = models.ForeignKey(AccessRule, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    basis_text = models.CharField(_("grundlag"), max_length=300)
    period_from = models.DateField(_("periode fra"))
    period_to = models.DateField(_("periode til"))
    deadline = models.DateField(_("svarfrist"), db_index=True)
    reminders_sent = models.PositiveSmallIntegerField(_("rykkere sendt"), default=0)
    last_reminder_at = models.DateTimeField(_("sidste rykker"), null=True, blank=True)
    state = models.CharField(_("tilstand"), max_length=12, choices=State.choices,
                             default=State.SENT, db_index=True)
    created_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("oprettet"))
    closed_at = models.DateTimeField(_("besvaret eller annulleret"), null=True, blank=True)
    cancel_reason = models.TextField(_("begrundelse for annullering"), blank=True)
    # The answer deadline on the requester's work list (cases.CaseDeadline, kind
    # "indhentning"): met by the answer, waived when the request is cancelled.
    case_deadline = models.OneToOneField(CaseDeadline, on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="information_request",
                                         verbose_name=_("frist på arbejdslisten"))

    class Meta:
        verbose_name = _("indhentning")
        verbose_name_plural = _("indhentninger")
        ordering: ClassVar[list[str]] = ["-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=(models.Q(consent__isnull=False, access_rule__isnull=True)
                           | models.Q(consent__isnull=True, access_rule__isnull=False)),
                name="information_request_one_basis"),
            models.CheckConstraint(condition=models.Q(period_from__lte=models.F("period_to")),
                                   name="information_request_period"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["recipient_unit", "state"], name="inforeq_unit_state"),
            models.Index(fields=["recipient_department", "state"], name="inforeq_dept_state"),
            models.Index(fields=["state", "deadline"], name="inforeq_state_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.data_need.title} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def recipient_label(self) -> str:
        if self.recipient_unit_id is not None and self.recipient_unit is not None:
            return str(self.recipient_unit)
        if self.recipient_department_id is not None and self.recipient_department is not None:
            return str(self.recipient_department)
        return f"{self.get_recipient_kind_display()}: {self.recipient_name}"


class InformationAnswer(models.Model):
    """The supplier's answer, filed on the case as a journal entry (and a document when a
    file came with it). ``digital`` is true when the supplier answered in helhed; an answer
    that came by letter or phone and was registered by a caseworker is not."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.OneToOneField(InformationRequest, on_delete=models.PROTECT,
                                   related_name="answer")
    answered_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("besvaret"))
    digital = models.BooleanField(_("besvaret i helhed"), default=True)
    text = models.TextField(_("svar"), blank=True)
    structured = models.JSONField(_("strukturerede oplysninger"), default=list, blank=True)
    journal_entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")

    class Meta:
        verbose_name = _("svar på indhentning")
        verbose_name_plural = _("svar på indhentninger")
        ordering: ClassVar[list[str]] = ["-answered_at"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.answered_at:%d.%m.%Y}"
from helhed.assessment.assessments_models import *  # noqa: E402, F403
