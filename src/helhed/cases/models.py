"""Cases from the first notification to closing (issue 3; seed 000 UC.Y26.II.1/4, seed 003 EOJ).

The master of cases, notifications (underretninger), journal entries, documents, decisions
(afgørelser), the letters they produce, grants (bevillinger), deadlines (frister) and the
history of every change. Personal data: read only through the doors in ``services`` and its
modules, which ask ``sharing.policy`` and log every look.

Nothing here is deleted by a caseworker: a case is closed, a journal entry corrected by a new
entry, a document marked as wrongly filed (``models.PROTECT`` everywhere).
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from helhed.catalogue.models import ActionFacet, LegalBasis
from helhed.core.models import AppendOnlyError, Sensitivity
from helhed.organisation.models import Department, Provider, StaffMember, Unit
from helhed.people.models import Citizen


class CitizenDisplay(models.TextChoices):
    """What the citizen may see of an item in the portal (EOJ B, "niveau 2")."""

    FULL = "fuld", _("Borgeren kan se indholdet")
    METADATA = "metadata", _("Borgeren kan se, at den findes (niveau 2)")
    HIDDEN = "skjult", _("Vises ikke for borgeren")


# --- configuration per department (EOJ A and the case concept) ----------------------------

class CaseConcept(models.TextChoices):
    LONG = "lang", _("Én lang sag pr. borger og område")
    SINGLE = "enkelt", _("Enkeltsager pr. forhold")


class ClosingRule(models.TextChoices):
    AT_DECISION = "afgoerelse", _("Afsluttet, når der er truffet afgørelse")
    AT_DELIVERY_END = "levering", _("Afsluttet, når leveringen er slut")


class CaseSettings(models.Model):
    """How one department works its cases. Municipalities differ, and a solution must not
    force them to change practice (seed 003), so this is data an administrator edits."""

    department = models.OneToOneField(Department, on_delete=models.CASCADE,
                                      related_name="case_settings")
    concept = models.CharField(_("sagsbegreb"), max_length=10, choices=CaseConcept.choices,
                               default=CaseConcept.SINGLE)
    closing_rule = models.CharField(_("afslutning"), max_length=12, choices=ClosingRule.choices,
                                    default=ClosingRule.AT_DECISION)
    number_prefix = models.CharField(_("præfiks for sagsnumre"), max_length=6, blank=True)
    default_sensitivity = models.CharField(
        _("standardfølsomhed"), max_length=20, choices=Sensitivity.choices,
        default=Sensitivity.SENSITIVE)

    class Meta:
        verbose_name = _("sagsopsætning")
        verbose_name_plural = _("sagsopsætninger")

    def __str__(self) -> str:
        return f"{self.department}: {self.get_concept_display()}"


# --- cases --------------------------------------------------------------------------------

class CaseNumberCounter(models.Model):
    """The last case number used in a year; numbers read ``[prefix-]YYYY-NNNNNN``."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"

class Case(models.Model):
    class State(models.TextChoices):
        OPENED = "aabnet", _("Åbnet")
        INVESTIGATION = "undersoegelse", _("Under undersøgelse")
        DECISION = "afgoerelse", _("Afgjort")
        DELIVERY = "levering", _("Under levering")
        CLOSED = "afsluttet", _("Afsluttet")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("sagsnummer"), max_length=30, unique=True)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="cases")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="cases")
    responsible = models.ForeignKey(StaffMember, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="cases")
    title = models.CharField(_("titel"), max_length=200)
    state = models.CharField(_("tilstand"), max_length=15, choices=State.choices,
                             default=State.OPENED, db_index=True)
    concept = models.CharField(_("sagsbegreb"), max_length=10, choices=CaseConcept.choices)
    closing_rule = models.CharField(_("afslutning"), max_length=12,
                                    choices=ClosingRule.choices)
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="cases")
    sensitivity = models.CharField(_("følsomhed"), max_length=20, choices=Sensitivity.choices,
                                   default=Sensitivity.SENSITIVE)
    citizen_display = models.CharField(_("borgervisning"), max_length=10,
                                       choices=CitizenDisplay.choices,
                                       default=CitizenDisplay.METADATA)
    opened_at = models.DateTimeField(_("oprettet"))
    closed_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)
    closing_reason = models.TextField(_("begrundelse for afslutning"), blank=True)
    updated_at = models.DateTimeField(_("ændret"))

    class Meta:
        verbose_name = _("sag")
        verbose_name_plural = _("sager")
        ordering: ClassVar[list[str]] = ["-opened_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["citizen", "department"], name="case_citizen_dept"),
            # Target-group search: the open cases per citizen and department, read from
            # the index alone (a fifth of the cases at most are open).
            models.Index(fields=["citizen", "department"],
                         condition=~models.Q(state="afsluttet"), name="case_open_citizen_dept"),
            models.Index(fields=["responsible", "state"], name="case_responsible_state"),
            models.Index(fields=["unit", "state"], name="case_unit_state"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    @property
    def primary_kle(self) -> str:
        """The KLE number events and indexes carry: the primary classification's."""
        for entry in self.kle.all():
            if entry.primary:
                return entry.number
        return ""


class CaseKle(models.Model):
    """One KLE classification of a case: a main group, group or subject number, with an
    optional action facet (EOJ D: several, on several levels)."""

    class Level(models.TextChoices):
        MAIN_GROUP = "hovedgruppe", _("Hovedgruppe")
        GROUP = "gruppe", _("Gruppe")
        SUBJECT = "emne", _("Emne")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="kle")
    number = models.CharField(_("KLE-nummer"), max_length=8)
    level = models.CharField(_("niveau"), max_length=12, choices=Level.choices)
    title = models.CharField(_("titel"), max_length=300)
    facet = models.ForeignKey(ActionFacet, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("handlingsfacet"))
    primary = models.BooleanField(_("primær"), default=False)

    class Meta:
        verbose_name = _("KLE-opmærkning")
        verbose_name_plural = _("KLE-opmærkninger")
        ordering: ClassVar[list[str]] = ["-primary", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["case", "number"], name="case_kle_uniq"),
        ]

    def __str__(self) -> str:
        facet = f" {self.facet.number}" if self.facet_id and self.facet else ""
        return f"{self.number}{facet} {self.title}"


# --- notifications (underretninger) -------------------------------------------------------

class Notification(models.Model):
    """An underretning about a child: who sent it, when it arrived, and its legal clock."""

    class NotifierKind(models.TextChoices):
        SCHOOL = "skole", _("Skole")
        DAYCARE = "dagtilbud", _("Dagtilbud")
        PPR = "ppr", _("PPR")
        HEALTH_VISITOR = "sundhedspleje", _("Sundhedspleje")
        POLICE = "politi", _("Politi")
        DOCTOR = "laege", _("Læge")
        HOSPITAL = "hospital", _("Hospital")
        OTHER_MUNICIPALITY = "anden_kommune", _("Anden kommune")
        OTHER_PROFESSIONAL = "anden_fagperson", _("Anden fagperson")
        CITIZEN = "borger", _("Borger (fx familie eller nabo)")
        ANONYMOUS = "anonym", _("Anonym")

    PROFESSIONAL_KINDS: ClassVar[frozenset[str]] = frozenset({
        "skole", "dagtilbud", "ppr", "sundhedspleje", "politi", "laege", "hospital",
        "anden_kommune", "anden_fagperson"})

    class State(models.TextChoices):
        RECEIVED = "modtaget", _("Modtaget")
        ASSESSED = "vurderet", _("Vurderet")
        CLOSED = "afsluttet", _("Afsluttet")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="notifications")
    received_at = models.DateTimeField(_("modtaget"), db_index=True)
    registered_at = models.DateTimeField(_("registreret"))
    registered_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+")
    notifier_kind = models.CharField(_("underretter"), max_length=20,
                                     choices=NotifierKind.choices)
    notifier_name = models.CharField(_("underretterens navn"), max_length=200, blank=True)
    notifier_organisation = models.CharField(_("underretterens arbejdssted"), max_length=200,
                                             blank=True)
    notifier_contact = models.CharField(_("underretterens kontakt"), max_length=200,
                                        blank=True)
    description = models.TextField(_("bekymringen"))
    # Who must act: the children's unit in office hours, the on-call unit outside them.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="notifications")
    outside_office_hours = models.BooleanField(_("modtaget uden for kontortid"), default=False)
    state = models.CharField(_("tilstand"), max_length=10, choices=State.choices,
                             default=State.RECEIVED, db_index=True)
    # The 24-hour assessment.
    assessed_at = models.DateTimeField(_("vurderet"), null=True, blank=True)
    assessed_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    child_in_danger = models.BooleanField(_("barnet er i fare"), null=True, blank=True)
    assessment = models.TextField(_("vurdering"), blank=True)
    # Receipt to a professional notifier; reply on whether an investigation was started.
    receipt_sent_at = models.DateTimeField(_("kvittering sendt"), null=True, blank=True)
    reply_sent_at = models.DateTimeField(_("tilbagemelding sendt"), null=True, blank=True)
    investigation_started = models.BooleanField(_("undersøgelse iværksat"), null=True,
                                                blank=True)
    # A second opinion by a colleague who has not handled the case (active measure).
    second_opinion_required = models.BooleanField(_("kræver second opinion"), default=False)
    second_opinion_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="+")
    second_opinion_at = models.DateTimeField(_("second opinion givet"), null=True, blank=True)
    second_opinion = models.TextField(_("second opinion"), blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="notifications")
    sensitivity = models.CharField(_("følsomhed"), max_length=20, choices=Sensitivity.choices,
                                   default=Sensitivity.SENSITIVE)
    citizen_display = models.CharField(_("borgervisning"), max_length=10,
                                       choices=CitizenDisplay.choices,
                                       default=CitizenDisplay.HIDDEN)

    class Meta:
        verbose_name = _("underretning")
        verbose_name_plural = _("underretninger")
        ordering: ClassVar[list[str]] = ["-received_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["child", "received_at"], name="notification_child"),
            models.Index(fields=["unit", "state"], name="notification_unit_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_notifier_kind_display()} {self.received_at:%d.%m.%Y}"

    @property
    def professional(self) -> bool:
        return self.notifier_kind in self.PROFESSIONAL_KINDS


# --- deadlines (frister) ------------------------------------------------------------------

class CaseDeadline(models.Model):
    """A deadline on the work list: from the law (a ``catalogue.Deadline``) or set by hand
    (a follow-up). Met, not deleted, when done; waived with a reason when a case closes."""

    class Kind(models.TextChoices):
        ASSESSMENT_24H = "underretning_vurdering", _("Vurdering af underretning (24 timer)")
        RECEIPT = "kvittering", _("Kvittering til underretter")
        REPLY = "tilbagemelding", _("Tilbagemelding til underretter")
        SECOND_OPINION = "second_opinion", _("Second opinion")
        INVESTIGATION = "boerneundersoegelse", _("Børnefaglig undersøgelse afsluttet")
        INFORMATION_REQUEST = "indhentning", _("Svar på indhentning")
        FOLLOW_UP = "opfoelgning", _("Opfølgning")
        OTHER = "andet", _("Anden frist")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("art"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200)
    due_at = models.DateTimeField(_("frist"), db_index=True)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="deadlines")
    notification = models.ForeignKey(Notification, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="deadlines")
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    responsible = models.ForeignKey(StaffMember, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="deadlines")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="deadlines")
    created_at = models.DateTimeField(_("oprettet"))
    met_at = models.DateTimeField(_("overholdt"), null=True, blank=True)
    waived_reason = models.TextField(_("begrundelse for bortfald"), blank=True)

    class Meta:
        verbose_name = _("frist")
        verbose_name_plural = _("frister")
        ordering: ClassVar[list[str]] = ["due_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["responsible", "met_at", "due_at"], name="deadline_person"),
            models.Index(fields=["unit", "met_at", "due_at"], name="deadline_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.due_at:%d.%m.%Y %H:%M}"

    @property
    def open(self) -> bool:
        return self.met_at is None and not self.waived_reason


# --- journal (notatpligt) -----------------------------------------------------------------

class JournalEntry(models.Model):
    class Kind(models.TextChoices):
        CONVERSATION = "samtale", _("Samtale")
        PHONE = "telefon", _("Telefonsamtale")
        MEETING = "moede", _("Møde")
        NOTE = "notat", _("Notat")
        CORRECTION = "rettelse", _("Rettelse")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="journal")
    kind = models.CharField(_("art"), max_length=10, choices=Kind.choices)
    occurred_on = models.DateField(_("dato"))
    title = models.CharField(_("overskrift"), max_length=200)
    text = models.TextField(_("tekst"))
    author = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("skrevet"))
    # A correction is a new entry pointing at the one it corrects; that one stays as written.
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="corrections")
    citizen_display = models.CharField(_("borgervisning"), max_length=10,
                                       choices=CitizenDisplay.choices,
                                       default=CitizenDisplay.METADATA)

    class Meta:
        verbose_name = _("journalnotat")
        verbose_name_plural = _("journalnotater")
        ordering: ClassVar[list[str]] = ["-occurred_on", "-written_at"]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d.%m.%Y} {self.title}"


# --- documents ----------------------------------------------------------------------------

class Document(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("titel"), max_length=200)
    filename = models.CharField(_("filnavn"), max_length=200)
    content_type = models.CharField(_("filtype"), max_length=100)
    size = models.PositiveIntegerField(_("størrelse"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("tilføjet"))
    uploaded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    # The text found in the file, for full-text search (empty for images).
    text = models.TextField(blank=True, editable=False)
    wrongly_filed = models.BooleanField(_("fejlarkiveret"), default=False)
    wrongly_filed_reason = models.TextField(_("begrundelse"), blank=True)
    citizen_display = models.CharField(_("borgervisning"), max_length=10,
                                       choices=CitizenDisplay.choices,
                                       default=CitizenDisplay.METADATA)

    class Meta:
        verbose_name = _("dokument")
        verbose_name_plural = _("dokumenter")
        ordering: ClassVar[list[str]] = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title


class DocumentContent(models.Model):
    """The file itself, in the database: stored in the same transaction as its metadata, so a
    rejected or rolled-back upload leaves nothing behind on a disk."""

    document = models.OneToOneField(Document, on_delete=models.PROTECT, primary_key=True,
                                    related_name="content")
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"{self.document_id}"


class SearchEntry(models.Model):
    """The text of one journal entry or document for Danish full-text search.

    PostgreSQL searches it with a GIN index on ``to_tsvector('danish', …)``; SQLite mirrors
    it into an FTS5 table by triggers (both made by this app's migrations)."""

    class Kind(models.TextChoices):
        JOURNAL = "journal", _("Journalnotat")
        DOCUMENT = "dokument", _("Dokument")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_uuid = models.UUIDField(unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        verbose_name = _("søgeindgang")
        verbose_name_plural = _("søgeindgange")

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


# --- decisions and letters ----------------------------------------------------------------

class ComplaintGuidance(models.Model):
    """Klagevejledning as a template an administrator edits, per law (or the default).

    Placeholders: ``$kommune``, ``$afgoerelsesdato``, ``$klagefrist`` (date), ``$lov``,
    ``$paragraf``, ``$klageinstans``."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    law_short = models.CharField(_("lovens korte navn"), max_length=20, blank=True,
                                 help_text=_("Tom: bruges, når ingen anden passer."))
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst"))
    complaint_days = models.PositiveSmallIntegerField(_("klagefrist i dage"), default=28)
    appeals_body = models.CharField(_("klageinstans"), max_length=200,
                                    default="Ankestyrelsen")

    class Meta:
        verbose_name = _("klagevejledning")
        verbose_name_plural = _("klagevejledninger")
        ordering: ClassVar[list[str]] = ["code"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    class Outcome(models.TextChoices):
        GRANTED = "bevilget", _("Bevilget")
        PARTLY = "delvist", _("Delvist bevilget")
        REFUSED = "afslag", _("Afslag")
        OTHER = "andet", _("Anden afgørelse")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    title = models.CharField(_("overskrift"), max_length=200)
    outcome = models.CharField(_("resultat"), max_length=10, choices=Outcome.choices)
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT,
                                    related_name="decisions")
    reasons = models.TextField(_("begrundelse"))
    complaint_guidance = models.TextField(_("klagevejledning"))
    complaint_deadline = models.DateField(_("klagefrist"))
    decided_at = models.DateTimeField(_("truffet"))
    decided_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    citizen_display = models.CharField(_("borgervisning"), max_length=10,
                                       choices=CitizenDisplay.choices,
                                       default=CitizenDisplay.FULL)

    class Meta:
        verbose_name = _("afgørelse")
        verbose_name_plural = _("afgørelser")
        ordering: ClassVar[list[str]] = ["-decided_at"]

    def __str__(self) -> str:
        return self.title


class Letter(models.Model):
    """A letter produced as PDF and sent through the Digital Post adapter."""

    class RecipientRole(models.TextChoices):
        PARTY = "part", _("Part")
        CHILD_PARTY = "barn", _("Barnet som part (fra 10 år)")
        CUSTODY_HOLDER = "forældremyndighed", _("Forældremyndighedsindehaver")
        GUARDIAN = "vaerge", _("Værge")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="letters")
    recipient = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="letters")
    recipient_role = models.CharField(_("modtager som"), max_length=20,
                                      choices=RecipientRole.choices)
    title = models.CharField(_("titel"), max_length=200)
    pdf = models.BinaryField()
    created_at = models.DateTimeField(_("dannet"))
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    channel = models.CharField(_("kanal"), max_length=30, blank=True)
    delivery_id = models.CharField(_("forsendelses-id"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("brev")
        verbose_name_plural = _("breve")
        ordering: ClassVar[list[str]] = ["created_at"]

    def __str__(self) -> str:
        return self.title


# --- grants (bevillinger) -----------------------------------------------------------------

class Grant(models.Model):
    class Unit(models.TextChoices):
        HOURS_WEEK = "timer_uge", _("timer om ugen")
        HOURS_MONTH = "timer_maaned", _("timer om måneden")
        DKK_MONTH = "kr_maaned", _("kr. om måneden")
        DKK_ONCE = "kr_engang", _("kr. (engangsbeløb)")
        DAYS_WEEK = "dage_uge", _("dage om ugen")
        PLACE = "plads", _("plads")
        SESSIONS = "forloeb", _("forløb")

    class State(models.TextChoices):
        ACTIVE = "aktiv", _("Aktiv")
        ENDED = "ophoert", _("Ophørt")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="grants")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="grants")
    # EOJ C: the relation to a case (and decision) is optional.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="grants")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="grants")
    title = models.CharField(_("ydelse"), max_length=200)
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="grants")
    amount = models.DecimalField(_("omfang"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("enhed"), max_length=15, choices=Unit.choices)
    valid_from = models.DateField(_("fra"))
    valid_to = models.DateField(_("til"), null=True, blank=True)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="grants")
    state = models.CharField(_("tilstand"), max_length=10, choices=State.choices,
                             default=State.ACTIVE, db_index=True)
    granted_at = models.DateTimeField(_("bevilget"))
    granted_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    ended_reason = models.TextField(_("begrundelse for ophør"), blank=True)
    sensitivity = models.CharField(_("følsomhed"), max_length=20, choices=Sensitivity.choices,
                                   default=Sensitivity.SENSITIVE)
    citizen_display = models.CharField(_("borgervisning"), max_length=10,
                                       choices=CitizenDisplay.choices,
                                       default=CitizenDisplay.FULL)

    class Meta:
        verbose_name = _("bevilling")
        verbose_name_plural = _("bevillinger")
        ordering: ClassVar[list[str]] = ["-valid_from"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["citizen", "valid_from"], name="grant_citizen"),
            models.Index(fields=["citizen", "department"], condition=models.Q(state="aktiv"),
                         name="grant_active_citizen_dept"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="grant_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


# --- history ------------------------------------------------------------------------------

class Change(models.Model):
    """One change of a case, notification, decision, grant, journal entry or document: who,
    when, what before and after. Append-only, like the access log."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    actor_name = models.CharField(max_length=200)
    object_type = models.CharField(max_length=30)
    object_uuid = models.UUIDField(db_index=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="changes")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=100)  # an event type (OutboxEvent.type: 100)
    summary = models.CharField(max_length=300)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("ændring")
        verbose_name_plural = _("ændringer")
        ordering: ClassVar[list[str]] = ["at", "id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["case", "at"], name="change_case_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Historikken kan ikke ændres.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Historikken kan ikke slettes.")
