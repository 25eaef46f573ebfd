"""The municipality, its departments and units, staff, roles and providers.

Departments and roles are data (loaded by a data migration, edited by an administrator),
not code: a municipality with other departments adds rows, not classes.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    code = models.CharField(_("kommunekode"), max_length=4, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering: ClassVar[list[str]] = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A department (forvaltning/afdeling) such as børnesocial or jobcenter."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="departments")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("navn"), max_length=120)
    description = models.CharField(_("beskrivelse"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("afdeling")
        verbose_name_plural = _("afdelinger")
        ordering: ClassVar[list[str]] = ["name"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["municipality", "code"], name="department_code_uniq"),
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A team, school, day-care institution or other unit within a department."""

    class Kind(models.TextChoices):
        TEAM = "team", _("Team")
        SCHOOL = "skole", _("Skole")
        DAYCARE = "dagtilbud", _("Dagtilbud")
        INSTITUTION = "institution", _("Institution")
        CENTRE = "center", _("Center")
        ONCALL = "doegnvagt", _("Døgnvagt")

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children")
    name = models.CharField(_("navn"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.TEAM)
    district = models.CharField(_("distrikt"), max_length=80, blank=True)
    email = models.EmailField(_("fælles postkasse"), blank=True)
    phone = models.CharField(_("telefon"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("enhed")
        verbose_name_plural = _("enheder")
        ordering: ClassVar[list[str]] = ["department__name", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A role staff can hold. What it may do is data an administrator edits."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    description = models.CharField(_("beskrivelse"), max_length=300, blank=True)
    start_page = models.CharField(
        _("startside"), max_length=40, default="sagsbehandler",
        help_text=_("Hvilken startside rollen får."),
    )
    may_look_up_citizens = models.BooleanField(
        _("må slå borgere op"), default=False,
        help_text=_("Stamdata, familie og kontaktdata til sagsbehandling (opslag i CPR-data)."),
    )
    is_provider = models.BooleanField(_("udførerrolle"), default=False)
    is_administrator = models.BooleanField(_("administrator"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("rolle")
        verbose_name_plural = _("roller")
        ordering: ClassVar[list[str]] = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    """A provider (udfører) of interventions: municipal, regional or private."""

    class Kind(models.TextChoices):
        MUNICIPAL = "kommunal", _("Kommunal")
        REGIONAL = "regional", _("Regional")
        PRIVATE = "privat", _("Privat")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("navn"), max_length=150)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    cvr = models.CharField(_("CVR-nummer"), max_length=8, blank=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="providers")
    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, null=True, blank=True,
                                help_text=_("For kommunale udførere: enheden i kommunen."))
    offers = models.CharField(_("tilbud"), max_length=300, blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("udfører")
        verbose_name_plural = _("udførere")
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    """A person who works in or for the municipality, linked to a login."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="staff")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="staff")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="staff")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="staff")
    roles = models.ManyToManyField(Role, related_name="staff")
    title = models.CharField(_("stillingsbetegnelse"), max_length=100, blank=True)
    initials = models.CharField(_("initialer"), max_length=10, blank=True)
    phone = models.CharField(_("telefon"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("medarbejder")
        verbose_name_plural = _("medarbejdere")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def department(self) -> Department | None:
        return self.unit.department if self.unit is not None else None
