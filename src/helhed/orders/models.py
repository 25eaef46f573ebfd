"""Orders (bestillinger) to providers from a grant, the provider's delivery and attendance,
and its status reports on the agreed schedule (data need no. 12, SEL § 85).

An order names only the plan sections shared with its provider; the provider reads no
other part of the plan. The caseworker's side of a late report is a ``cases.CaseDeadline``
(``report_deadline``); the provider's side is ``next_report_due``.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from helhed.cases.models import Case, CaseDeadline, Grant
from helhed.catalogue.models import InterventionType
from helhed.organisation.models import Provider, StaffMember
from helhed.people.models import Citizen
from helhed.plans.models import Section


class Order(models.Model):
    class State(models.TextChoices):
        SENT = "sendt", _("Sendt")
        ACCEPTED = "accepteret", _("Accepteret")
        DECLINED = "afvist", _("Afvist")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="orders")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="orders")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="orders")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="orders",
                                 verbose_name=_("udfører"))
    intervention_type = models.ForeignKey(InterventionType, on_delete=models.PROTECT,
                                          related_name="orders", verbose_name=_("indsats"))
    extent = models.DecimalField(_("omfang"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("enhed"), max_length=12)
    start = models.DateField(_("start"))
    purpose = models.TextField(_("formål"))
    sections = models.ManyToManyField(Section, blank=True, related_name="+",
                                      verbose_name=_("afsnit af planen"))
    report_every_days = models.PositiveSmallIntegerField(_("statusrapport hver (dage)"))
    next_report_due = models.DateField(_("næste statusrapport"), null=True, blank=True)
    report_deadline = models.ForeignKey(CaseDeadline, on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="+")
    state = models.CharField(_("tilstand"), max_length=10, choices=State.choices,
                             default=State.SENT)
    decline_reason = models.TextField(_("begrundelse for afvisning"), blank=True)
    sent_at = models.DateTimeField(_("sendt"))
    sent_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("besvaret"), null=True, blank=True)
    answered_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")

    class Meta:
        verbose_name = _("bestilling")
        verbose_name_plural = _("bestillinger")
        ordering: ClassVar[list[str]] = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.intervention_type} ({self.provider})"


class Delivery(models.Model):
    """One registered delivery (a session, hours on a day) and whether the citizen came."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="deliveries")
    day = models.DateField(_("dato"))
    extent = models.DecimalField(_("omfang"), max_digits=8, decimal_places=2)
    attended = models.BooleanField(_("fremmødt"))
    note = models.TextField(_("bemærkning"), blank=True)
    registered_at = models.DateTimeField(_("registreret"))
    registered_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering: ClassVar[list[str]] = ["day", "pk"]

    def __str__(self) -> str:
        return f"{self.order} {self.day}"


class StatusReport(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="reports")
    text = models.TextField(_("status"))
    due_on = models.DateField(_("frist"))
    written_at = models.DateTimeField(_("skrevet"))
    written_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering: ClassVar[list[str]] = ["written_at"]

    def __str__(self) -> str:
        return f"{self.order} {self.due_on}"

    @property
    def late(self) -> bool:
        return self.written_at.date() > self.due_on
