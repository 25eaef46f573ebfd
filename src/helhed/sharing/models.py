"""Sharing (issue 4): data categories, consent, legal-basis rules, emergency access,
subscriptions and notifications (advis), case metadata pushed in by other systems, and the
consumers' record of events already handled.

The policy door (``sharing.policy``) reads these to decide; nothing else does.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from helhed.catalogue.models import DataNeed, LegalBasis
from helhed.organisation.models import Department, Provider, Role, StaffMember
from helhed.people.models import Citizen


class DataCategory(models.Model):
    """A category of personal data the door decides on, mapped from the 43 data needs
    (absence from school, hospital admissions, substance abuse, custody and contact …).

    ``departments`` are the department codes whose cases, grants and plans fall in this
    category; ``hides_existence`` says that even *that* an item exists may not be shown
    without a basis (e.g. treatment for substance abuse)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=120)
    description = models.TextField(_("beskrivelse"), blank=True)
    hides_existence = models.BooleanField(_("skjuler at oplysningen findes"), default=False)
    sensitive = models.BooleanField(_("følsomme oplysninger (art. 9)"), default=False)
    departments = models.JSONField(_("afdelinger"), default=list, blank=True,
                                   help_text=_("Afdelingskoder, hvis sager hører til "
                                               "kategorien, fx [\"misbrugscenter\"]."))
    data_needs = models.ManyToManyField(DataNeed, blank=True, related_name="categories",
                                        verbose_name=_("databehov"))
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("datakategori")
        verbose_name_plural = _("datakategorier")
        ordering: ClassVar[list[str]] = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Consent(models.Model):
    """Samtykke: given by the citizen, or for a child by the custody holders (and the child
    itself from 15), with a scope, a validity period and withdrawal that counts at once."""

    class Purpose(models.TextChoices):
        CASEWORK = "sagsbehandling", _("Sagsbehandling")
        HOLISTIC = "helhedsorienteret", _("Den helhedsorienterede indsats")
        INVESTIGATION = "undersoegelse", _("Børnefaglig undersøgelse")

    class Form(models.TextChoices):
        WRITTEN = "skriftlig", _("Skriftligt")
        DIGITAL = "digital", _("Digitalt (MitID)")
        ORAL = "mundtlig", _("Mundtligt (noteret)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="consents")
    given_by = models.ManyToManyField(Citizen, related_name="consents_given",
                                      verbose_name=_("givet af"))
    purpose = models.CharField(_("formål"), max_length=20, choices=Purpose.choices)
    categories = models.ManyToManyField(DataCategory, related_name="consents",
                                        verbose_name=_("kategorier"))
    from_departments = models.ManyToManyField(Department, blank=True, related_name="+",
                                              verbose_name=_("fra afdelinger"))
    from_providers = models.ManyToManyField(Provider, blank=True, related_name="+",
                                            verbose_name=_("fra udførere"))
    # A consent to share with providers (an order's plan parts): it lets those providers
    # see what was shared with them and opens nothing to staff of any department.
    to_providers = models.ManyToManyField(Provider, blank=True, related_name="+",
                                          verbose_name=_("til udførere"))
    form = models.CharField(_("form"), max_length=10, choices=Form.choices)
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"))
    recorded_at = models.DateTimeField(_("registreret"))
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("bemærkning"), blank=True)
    withdrawn_at = models.DateTimeField(_("trukket tilbage"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    withdrawal_note = models.TextField(_("om tilbagetrækningen"), blank=True)

    class Meta:
        verbose_name = _("samtykke")
        verbose_name_plural = _("samtykker")
        ordering: ClassVar[list[str]] = ["-recorded_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["citizen", "valid_to"], name="consent_citizen"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.valid_from:%d.%m.%Y}–{self.valid_to:%d.%m.%Y}"


class AccessRule(models.Model):
    """A legal basis (hjemmel) as a rule: which categories it opens, for which purposes,
    to which roles, and on what condition (e.g. an open child investigation of the subject
    or of a child in the subject's family). Data an administrator edits."""

    class Condition(models.TextChoices):
        NONE = "ingen", _("Ingen betingelse")
        OPEN_CASE_ON_FAMILY = "aaben_sag_familie", _(
            "Aktøren har en åben sag i de nævnte afdelinger på borgeren eller et barn i "
            "familien")
        OPEN_CASE_ON_SUBJECT = "aaben_sag_borger", _(
            "Aktøren har en åben sag i de nævnte afdelinger på borgeren")

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="access_rules",
                                    verbose_name=_("hjemmel"))
    paragraph = models.CharField(_("lov og paragraf"), max_length=120,
                                 help_text=_("Vises som grundlag, fx Barnets lov § 23."))
    categories = models.ManyToManyField(DataCategory, blank=True, related_name="rules",
                                        verbose_name=_("kategorier"))
    purposes = models.JSONField(_("formål"), default=list)
    roles = models.ManyToManyField(Role, blank=True, related_name="access_rules",
                                   verbose_name=_("roller"))
    condition = models.CharField(_("betingelse"), max_length=20, choices=Condition.choices,
                                 default=Condition.NONE)
    condition_departments = models.JSONField(_("afdelinger i betingelsen"), default=list,
                                             blank=True)
    condition_states = models.JSONField(
        _("sagstilstande i betingelsen"), default=list, blank=True,
        help_text=_("Tom: enhver åben sag. Fx [\"undersoegelse\"]: kun under undersøgelse."))
    allows_target_search = models.BooleanField(_("giver adgang til målgruppesøgning"),
                                               default=False)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("hjemmelsregel")
        verbose_name_plural = _("hjemmelsregler")
        ordering: ClassVar[list[str]] = ["code"]

    def __str__(self) -> str:
        return f"{self.paragraph}: {self.name}"


class EmergencyAccess(models.Model):
    """Akut adgang: on-call staff open a family's cases and plans with a stated reason,
    time-boxed, marked in the log and placed in a leader's review queue."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+",
                                help_text=_("Barnet eller borgeren; familien følger med."))
    family = models.JSONField(default=list, help_text=_("UUID'er på familien ved start."))
    reason = models.TextField(_("begrundelse"))
    started_at = models.DateTimeField(_("start"))
    expires_at = models.DateTimeField(_("udløber"))
    ended_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("gennemgået"), null=True, blank=True)
    reviewed_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    review_note = models.TextField(_("ledelsens bemærkning"), blank=True)
    review_approved = models.BooleanField(_("godkendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("akut adgang")
        verbose_name_plural = _("akutte adgange")
        ordering: ClassVar[list[str]] = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.staff} {self.started_at:%d.%m.%Y %H:%M}"


class ExternalCase(models.Model):
    """Case metadata pushed in by another department's system (e.g. the jobcenter's) through
    the API. helhed is not its master: it keeps the reference and the metadata only."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source_system = models.CharField(_("kildesystem"), max_length=60)
    external_id = models.CharField(_("id i kildesystemet"), max_length=120)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT,
                                related_name="external_cases")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(DataCategory, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("titel"), max_length=200)
    state = models.CharField(_("tilstand"), max_length=60)
    responsible_name = models.CharField(_("ansvarlig"), max_length=200, blank=True)
    responsible_contact = models.CharField(_("kontakt"), max_length=200, blank=True)
    kle = models.CharField(_("KLE-nummer"), max_length=8, blank=True)
    opened_on = models.DateField(_("oprettet"))
    closed_on = models.DateField(_("afsluttet"), null=True, blank=True)
    received_at = models.DateTimeField(_("modtaget"))
    updated_at = models.DateTimeField(_("opdateret"))

    class Meta:
        verbose_name = _("ekstern sag")
        verbose_name_plural = _("eksterne sager")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["source_system", "external_id"],
                                    name="external_case_uniq"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["citizen"], name="external_case_citizen"),
        ]

    def __str__(self) -> str:
        return f"{self.source_system}: {self.title}"


class Subscription(models.Model):
    """What a caseworker follows: a citizen (and, with ``family``, the family), within her
    bases. Automatic for the citizens of her cases; more may be added by hand."""

    class Origin(models.TextChoices):
        OWN_CASE = "egen_sag", _("Egen sag")
        MANUAL = "manuel", _("Valgt")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE,
                              related_name="subscriptions")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+")
    family = models.BooleanField(_("hele familien"), default=True)
    origin = models.CharField(_("oprindelse"), max_length=10, choices=Origin.choices)
    created_at = models.DateTimeField(_("oprettet"))
    ended_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnementer")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["citizen", "ended_at"], name="subscription_citizen"),
            models.Index(fields=["staff", "ended_at"], name="subscription_staff"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} → {self.citizen_id}"


class Advis(models.Model):
    """A notification in a caseworker's work list that something relevant appeared (K2) or
    changed (K3). It carries only what the recipient may see at the time it is made."""

    class Kind(models.TextChoices):
        NEW = "ny", _("Nyt")
        CHANGED = "aendret", _("Ændret")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="advis")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("art"), max_length=10, choices=Kind.choices)
    event_id = models.UUIDField(_("hændelse"))
    event_type = models.CharField(max_length=100)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    text = models.CharField(_("tekst"), max_length=300)
    may_open = models.BooleanField(_("kan åbnes"), default=False)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("oprettet"), db_index=True)
    occurred_at = models.DateTimeField(_("sket"))
    read_at = models.DateTimeField(_("læst"), null=True, blank=True)

    class Meta:
        verbose_name = _("advis")
        verbose_name_plural = _("adviser")
        ordering: ClassVar[list[str]] = ["-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["staff", "event_id"], name="advis_once"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["staff", "read_at", "created_at"], name="advis_inbox"),
        ]

    def __str__(self) -> str:
        return self.text


class ConsumedEvent(models.Model):
    """An event a named consumer has handled: consumers are idempotent (an event delivered
    twice is handled once)."""

    consumer = models.CharField(max_length=60)
    event_id = models.UUIDField()
    consumed_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["consumer", "event_id"], name="consumed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.consumer}: {self.event_id}"
