"""Classifications as data: KLE, legal bases with their deadlines, and the data needs.

None of this is personal data. It is loaded from published files (KLE's emneplan XML, the
seed JSON files in ``catalogue/data/``) and, for legal bases, edited by an administrator:
a change of law is a change of rows, not of code (docs/decisions/0005).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

_DAYS = re.compile(r"^P(\d+)D$")
_SLUG = re.compile(r"^[a-z0-9-]+$")


class Validity(models.Model):
    """From when an entry applies and, once it has gone (udgået), until when."""

    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(_("udgået"), null=True, blank=True,
                                help_text=_("Tom, så længe den gælder."))

    class Meta:
        abstract = True

    def is_valid_on(self, day: dt.date) -> bool:
        started = self.valid_from is None or self.valid_from <= day
        return started and (self.valid_to is None or day < self.valid_to)

    @property
    def expired(self) -> bool:
        return self.valid_to is not None


# --- KLE ----------------------------------------------------------------------------------

class KleEntry(Validity):
    """What main groups, groups and subjects share: a number, a title, KL's guidance."""

    number: models.CharField[str, str]
    title = models.CharField(_("titel"), max_length=300)
    guidance = models.TextField(_("vejledning"), blank=True)
    uuid = models.UUIDField(_("UUID"), null=True, blank=True, unique=True)
    changed_on = models.DateField(_("rettet"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering: ClassVar[list[str]] = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class KleMainGroup(KleEntry):
    """Hovedgruppe, e.g. 34 Hjælp og støtte efter barnets lov."""

    level = "hovedgruppe"
    number = models.CharField(_("nummer"), max_length=2, unique=True)

    class Meta(KleEntry.Meta):
        verbose_name = _("KLE-hovedgruppe")
        verbose_name_plural = _("KLE-hovedgrupper")


class KleGroup(KleEntry):
    """Gruppe, e.g. 34.10 Undersøgelse, afdækning mv."""

    level = "gruppe"
    main_group = models.ForeignKey(KleMainGroup, on_delete=models.PROTECT, related_name="groups")
    number = models.CharField(_("nummer"), max_length=5, unique=True)

    class Meta(KleEntry.Meta):
        verbose_name = _("KLE-gruppe")
        verbose_name_plural = _("KLE-grupper")


class ActionFacet(Validity):
    """Handlingsfacet, e.g. G01 Generelle sager. The emneplan names only the number; the
    title comes from KL's separate facet file (``helhed load_kle`` reads both)."""

    number = models.CharField(_("nummer"), max_length=3, unique=True)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    category = models.CharField(_("kategori"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("handlingsfacet")
        verbose_name_plural = _("handlingsfacetter")
        ordering: ClassVar[list[str]] = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class KleSubject(KleEntry):
    """Emne, e.g. 34.10.30 Underretninger: what a case is classified by."""

    class Retention(models.TextChoices):
        KEEP = "B", _("Bevares")
        DISCARD = "K", _("Kasseres")

    level = "emne"
    group = models.ForeignKey(KleGroup, on_delete=models.PROTECT, related_name="subjects")
    number = models.CharField(_("nummer"), max_length=8, unique=True)
    retention = models.CharField(
        _("bevaring efter arkivloven"), max_length=4, blank=True, choices=Retention.choices)
    deletion_period = models.CharField(
        _("sletning efter databeskyttelsesreglerne"), max_length=20, blank=True,
        help_text=_("ISO 8601-varighed, fx P1825D (5 år)."))
    keywords = models.TextField(_("stikord"), blank=True)
    search_text = models.TextField(editable=False, blank=True)  # folded number, title, keywords
    facets = models.ManyToManyField(ActionFacet, blank=True, related_name="subjects",
                                    verbose_name=_("handlingsfacetter"))

    class Meta(KleEntry.Meta):
        verbose_name = _("KLE-emne")
        verbose_name_plural = _("KLE-emner")

    @property
    def deletion_days(self) -> int | None:
        match = _DAYS.match(self.deletion_period)
        return int(match[1]) if match else None


class KleLegalReference(models.Model):
    """A legal source KLE names for a group or a subject (retskildereference)."""

    group = models.ForeignKey(KleGroup, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="references")
    subject = models.ForeignKey(KleSubject, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="references")
    position = models.PositiveSmallIntegerField(default=0)
    law = models.CharField(_("retskilde"), max_length=400)
    paragraph = models.CharField(_("paragraf eller kapitel"), max_length=80, blank=True)
    accession = models.CharField(_("accessionsnummer"), max_length=60, blank=True)
    url = models.URLField(_("Retsinformation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("KLE-retskilde")
        verbose_name_plural = _("KLE-retskilder")
        ordering: ClassVar[list[str]] = ["position"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=(models.Q(group__isnull=True, subject__isnull=False)
                           | models.Q(group__isnull=False, subject__isnull=True)),
                name="kle_reference_one_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.law} {self.paragraph}".strip()


# --- Legal bases (hjemler) ----------------------------------------------------------------

class LegalBasis(Validity):
    """A paragraph of law that work is done under, e.g. Barnets lov § 20."""

    code = models.SlugField(_("kode"), max_length=40, unique=True,
                            help_text=_("Fast nøgle, fx bl-20 eller sel-85."))
    law = models.CharField(_("lov"), max_length=120)
    law_short = models.CharField(_("lovens korte navn"), max_length=20)
    paragraph = models.CharField(_("paragraf"), max_length=40,
                                 help_text=_("Fx § 20 eller §§ 20–23."))
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    url = models.URLField(_("Retsinformation"), max_length=300, blank=True)
    kle_numbers = models.CharField(
        _("KLE-numre"), max_length=200, blank=True,
        help_text=_("Hovedgrupper, grupper eller emner adskilt af mellemrum, fx 34.10.30."))

    class Meta:
        verbose_name = _("hjemmel")
        verbose_name_plural = _("hjemler")
        ordering: ClassVar[list[str]] = ["law", "code"]

    def __str__(self) -> str:
        return f"{self.law} {self.paragraph} {self.title}"

    @property
    def kle_list(self) -> list[str]:
        return self.kle_numbers.replace(",", " ").split()


class Deadline(models.Model):
    """A deadline the law attaches to a legal basis, e.g. 24 hours to assess a notification."""

    class Unit(models.TextChoices):
        HOURS = "timer", _("timer")
        DAYS = "dage", _("dage")
        WORKING_DAYS = "hverdage", _("hverdage")
        MONTHS = "maaneder", _("måneder")

    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.CASCADE,
                                    related_name="deadlines")
    kind = models.SlugField(_("art"), max_length=60,
                            help_text=_("Fast nøgle, fx underretning_vurdering."))
    amount = models.PositiveSmallIntegerField(_("antal"))
    unit = models.CharField(_("enhed"), max_length=10, choices=Unit.choices)
    description = models.TextField(_("beskrivelse"))

    class Meta:
        verbose_name = _("frist")
        verbose_name_plural = _("frister")
        ordering: ClassVar[list[str]] = ["legal_basis", "kind"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["legal_basis", "kind"], name="deadline_kind_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.amount} {self.get_unit_display()}"


class FormerParagraph(models.Model):
    """A paragraph as the seeds cite it before 1 January 2024 (e.g. SEL § 50) and where the
    rule stands today (Barnets lov §§ 20–23)."""

    former_law = models.CharField(_("tidligere lov"), max_length=20)
    former_paragraph = models.CharField(_("tidligere paragraf"), max_length=40)
    former_title = models.CharField(_("tidligere betegnelse"), max_length=200, blank=True)
    former_kle = models.CharField(_("tidligere KLE-numre"), max_length=100, blank=True)
    current = models.CharField(_("i dag"), max_length=200)
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="former_paragraphs")
    certain = models.BooleanField(_("efterprøvet"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("tidligere paragraf")
        verbose_name_plural = _("tidligere paragraffer")
        ordering: ClassVar[list[str]] = ["former_law", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["former_law", "former_paragraph"],
                                    name="former_paragraph_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.former_law} {self.former_paragraph} → {self.current}"


# --- Data needs ---------------------------------------------------------------------------

class DataNeed(models.Model):
    """One of the 43 data needs of the Deloitte report (2014): what a caseworker collects
    in a child investigation (SEL § 50) or for adult support (SEL § 85), and the minutes."""

    class Phase(models.TextChoices):
        OPENING = "Sagsåbning", _("Sagsåbning")
        INVESTIGATION = "Sagsoplysning", _("Sagsoplysning")
        DECISION = "Afgørelse", _("Afgørelse")
        INTERVENTION = "Indsats", _("Indsats")
        FOLLOW_UP = "Opfølgning", _("Opfølgning")

    paragraph = models.CharField(_("paragraf"), max_length=20, help_text=_("Som i rapporten."))
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=120)
    purpose = models.TextField(_("formål"))
    phases = models.JSONField(_("faser"), default=list)
    needed_by = models.CharField(_("behov hos"), max_length=200)
    provided_by = models.CharField(_("leveres af"), max_length=200)
    source = models.CharField(_("kilde"), max_length=200)
    collection_form = models.CharField(_("indhentningsform"), max_length=120)
    structure = models.CharField(_("struktur"), max_length=40)
    access_need = models.CharField(_("adgangsbehov"), max_length=40)
    history = models.CharField(_("historik"), max_length=20)
    volume = models.CharField(_("volumen"), max_length=120)
    importance = models.CharField(_("vigtighed"), max_length=120)
    availability = models.CharField(_("tilgængelighed"), max_length=40)
    minutes_identification = models.PositiveSmallIntegerField(_("minutter: identifikation"))
    minutes_request = models.PositiveSmallIntegerField(_("minutter: forespørgsel"))
    minutes_delivery = models.PositiveSmallIntegerField(_("minutter: levering"))
    minutes_documentation = models.PositiveSmallIntegerField(_("minutter: dokumentation"))
    minutes_total = models.PositiveSmallIntegerField(_("minutter i alt"))

    class Meta:
        verbose_name = _("databehov")
        verbose_name_plural = _("databehov")
        ordering: ClassVar[list[str]] = ["paragraph", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["paragraph", "number"], name="data_need_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.paragraph} nr. {self.number}: {self.title}"


# --- Intervention catalogue (indsatskatalog) ------------------------------------------------

class ProviderType(models.Model):
    """A kind of provider that delivers interventions, e.g. botilbud or familiebehandling."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=120)

    class Meta:
        verbose_name = _("leverandørtype")
        verbose_name_plural = _("leverandørtyper")
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name


class InterventionType(models.Model):
    """An intervention a municipality grants and orders from a provider (indsatstype), e.g.
    socialpædagogisk støtte after SEL § 85, counted in hours a week."""

    class Unit(models.TextChoices):
        HOURS_PER_WEEK = "timer_uge", _("timer pr. uge")
        PLACE_PER_DAY = "plads_doegn", _("plads pr. døgn")
        SESSION = "session", _("session")
        COURSE = "forloeb", _("forløb")

    code = models.SlugField(_("kode"), max_length=60, unique=True,
                            help_text=_("Fast nøgle, fx sel-85-stoette."))
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    ffb_concept = models.CharField(
        _("FFB-begreb"), max_length=36, blank=True,
        help_text=_("Koden for ydelsen i Fælles Faglige Begreber (VUM 2.0), hvis der er en."))
    legal_bases = models.ManyToManyField(LegalBasis, blank=True, related_name="intervention_types",
                                         verbose_name=_("hjemler"))
    unit = models.CharField(_("enhed"), max_length=12, choices=Unit.choices)
    provider_types = models.ManyToManyField(ProviderType, blank=True,
                                            related_name="intervention_types",
                                            verbose_name=_("leverandørtyper"))
    departments = models.CharField(
        _("afdelinger"), max_length=200, blank=True,
        help_text=_("Koderne for de afdelinger, der bevilger indsatsen, adskilt af mellemrum, "
                    "fx voksensocial."))
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("indsatstype")
        verbose_name_plural = _("indsatstyper")
        ordering: ClassVar[list[str]] = ["name"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=~models.Q(unit=""), name="intervention_unit_required"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from helhed.catalogue import ffb
        from helhed.core.errors import InvalidInput

        self.ffb_concept = self.ffb_concept.strip()
        self.departments = " ".join(self.department_list)
        for code in self.department_list:
            if not _SLUG.match(code):
                raise ValidationError({"departments": ValidationError(_(
                    "%(code)s er ikke en afdelingskode (små bogstaver, tal og bindestreger, "
                    "fx voksensocial)."), params={"code": code})})
        if self.ffb_concept:
            try:
                ffb.concept(self.ffb_concept)
            except InvalidInput as exc:
                raise ValidationError({"ffb_concept": exc.localized()}) from None

    @property
    def department_list(self) -> list[str]:
        return self.departments.replace(",", " ").split()


class InterventionPrice(models.Model):
    """The price of one unit of an intervention type, in kroner, from a date until the next
    price of the same type takes over."""

    intervention_type = models.ForeignKey(InterventionType, on_delete=models.CASCADE,
                                          related_name="prices")
    amount = models.DecimalField(_("pris i kr. pr. enhed"), max_digits=10, decimal_places=2,
                                 validators=[MinValueValidator(Decimal(0))])
    valid_from = models.DateField(_("gyldig fra"))

    class Meta:
        verbose_name = _("pris")
        verbose_name_plural = _("priser")
        ordering: ClassVar[list[str]] = ["intervention_type", "valid_from"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["intervention_type", "valid_from"],
                                    name="intervention_price_uniq"),
            models.CheckConstraint(condition=models.Q(amount__gte=0),
                                   name="intervention_price_not_negative"),
        ]

    def __str__(self) -> str:
        return str(_("%(amount)s kr. fra %(date)s") % {
            "amount": self.amount, "date": self.valid_from.isoformat()})
