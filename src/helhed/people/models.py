"""Citizens and their relations, with history: nothing here is overwritten.

A change of address, custody, contact arrangement, guardian or contact data closes the
current row (``valid_to``) and opens a new one. A household is not stored: it is the
citizens living at the same address at the same time (one master: the residence).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Citizen(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "K", _("Kvinde")
        MALE = "M", _("Mand")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cpr = models.CharField(_("CPR-nummer"), max_length=10, unique=True)
    birth_date = models.DateField(_("fødselsdato"), db_index=True)
    sex = models.CharField(_("køn"), max_length=1, choices=Sex.choices)
    first_name = models.CharField(_("fornavn"), max_length=100)
    middle_name = models.CharField(_("mellemnavn"), max_length=100, blank=True)
    last_name = models.CharField(_("efternavn"), max_length=100)
    name_folded = models.CharField(max_length=320, db_index=True, editable=False)
    name_protected = models.BooleanField(_("navne- og adressebeskyttelse"), default=False)
    died_on = models.DateField(_("dødsdato"), null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("borger")
        verbose_name_plural = _("borgere")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)

    @property
    def cpr_formatted(self) -> str:
        return f"{self.cpr[:6]}-{self.cpr[6:]}"

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class Address(models.Model):
    """A dwelling address, in the spirit of DAR (Danmarks Adresseregister)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    street = models.CharField(_("vejnavn"), max_length=100)
    house_number = models.CharField(_("husnummer"), max_length=10)
    floor = models.CharField(_("etage"), max_length=5, blank=True)
    door = models.CharField(_("dør"), max_length=10, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=4)
    city = models.CharField(_("by"), max_length=60)
    municipality_code = models.CharField(_("kommunekode"), max_length=4)
    district = models.CharField(_("distrikt"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("adresse")
        verbose_name_plural = _("adresser")

    def __str__(self) -> str:
        unit = ", ".join(p for p in (f"{self.floor}." if self.floor else "", self.door) if p)
        line = f"{self.street} {self.house_number}" + (f", {unit}" if unit else "")
        return f"{line}, {self.postcode} {self.city}"


class Dated(models.Model):
    """A row valid from a date until another (open-ended when ``valid_to`` is empty)."""

    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registreret"))

    class Meta:
        abstract = True

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class Residence(Dated):
    """Where a citizen lives (lived) from a date until another."""

    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="residences")
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="residences")

    class Meta:
        verbose_name = _("bopæl")
        verbose_name_plural = _("bopæle")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["address", "valid_to"], name="residence_address_idx"),
            models.Index(fields=["citizen", "valid_to"], name="residence_citizen_idx"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["citizen"], condition=Q(valid_to__isnull=True),
                                    name="one_current_residence"),
        ]

    def __str__(self) -> str:
        return f"{self.address} ({self.valid_from}–{self.valid_to or ''})"


class ParentChild(models.Model):
    """A legal parent of a child (mor, far, medmor, adoptivforælder)."""

    class Kind(models.TextChoices):
        MOTHER = "mor", _("Mor")
        FATHER = "far", _("Far")
        CO_MOTHER = "medmor", _("Medmor")
        ADOPTIVE = "adoptiv", _("Adoptivforælder")

    parent = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="child_links")
    child = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="parent_links")
    kind = models.CharField(_("relation"), max_length=10, choices=Kind.choices)
    valid_from = models.DateField(_("gyldig fra"))
    registered_at = models.DateTimeField(_("registreret"))

    class Meta:
        verbose_name = _("forælder")
        verbose_name_plural = _("forældre")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["parent", "child"], name="parent_child_uniq"),
            models.CheckConstraint(condition=~Q(parent=models.F("child")),
                                   name="parent_is_not_child"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.parent_id} → {self.child_id}"


class Custody(Dated):
    """Forældremyndighed: one row per holder and period. Joint custody is two rows."""

    child = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="custody")
    holder = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="custody_of")
    basis = models.CharField(_("grundlag"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("forældremyndighed")
        verbose_name_plural = _("forældremyndigheder")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["child", "valid_to"], name="custody_child_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.holder_id} har forældremyndighed over {self.child_id}"


class ContactArrangement(Dated):
    """Samværsordning: when a child is with the parent it does not live with."""

    child = models.ForeignKey(Citizen, on_delete=models.PROTECT,
                              related_name="contact_arrangements")
    parent = models.ForeignKey(Citizen, on_delete=models.PROTECT,
                               related_name="contact_arrangements_as_parent")
    schedule = models.CharField(_("ordning"), max_length=200)
    decided_by = models.CharField(_("fastsat af"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("samværsordning")
        verbose_name_plural = _("samværsordninger")

    def __str__(self) -> str:
        return self.schedule


class Guardianship(Dated):
    """Værgemål: a guardian for a citizen, for personal and/or financial matters."""

    class Scope(models.TextChoices):
        PERSONAL = "personlige", _("Personlige forhold")
        FINANCIAL = "oekonomiske", _("Økonomiske forhold")
        BOTH = "begge", _("Personlige og økonomiske forhold")

    ward = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="guardianships")
    guardian = models.ForeignKey(Citizen, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="guardian_of")
    guardian_name = models.CharField(_("værge (hvis ikke borger i systemet)"), max_length=200,
                                     blank=True)
    scope = models.CharField(_("omfang"), max_length=12, choices=Scope.choices)

    class Meta:
        verbose_name = _("værgemål")
        verbose_name_plural = _("værgemål")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(guardian__isnull=False) | ~Q(guardian_name=""),
                name="guardian_named",
            ),
        ]

    def __str__(self) -> str:
        return f"Værge for {self.ward_id}"


class ContactDetails(Dated):
    """How to reach a citizen, and how they prefer to be reached."""

    class Channel(models.TextChoices):
        DIGITAL_POST = "digital_post", _("Digital Post")
        LETTER = "brev", _("Fysisk brev")
        PHONE = "telefon", _("Telefon")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="contact_details")
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_channel = models.CharField(_("foretrukken kontaktform"), max_length=20,
                                         choices=Channel.choices, default=Channel.DIGITAL_POST)
    exempt_from_digital_post = models.BooleanField(_("fritaget for Digital Post"), default=False)
    note = models.CharField(_("bemærkning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kontaktoplysninger")
        verbose_name_plural = _("kontaktoplysninger")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["citizen"], condition=Q(valid_to__isnull=True),
                                    name="one_current_contact_details"),
        ]

    def __str__(self) -> str:
        return self.get_preferred_channel_display()


class Enrollment(Dated):
    """A child's place at a school or day-care unit."""

    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="enrollments")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT,
                             related_name="enrollments")
    grade = models.CharField(_("klasse"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("indskrivning")
        verbose_name_plural = _("indskrivninger")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["citizen", "valid_to"], name="enrollment_citizen_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.citizen_id} @ {self.unit_id}"
