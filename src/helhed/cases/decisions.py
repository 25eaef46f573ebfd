"""Decisions (afgørelser) and the letters they send.

:func:`make_decision` asks the door first (``access.write_case``, outside the transaction so
a refusal stays logged), checks everything, and then writes in one transaction: the
decision, one letter (PDF) per party, the messages through the Digital Post adapter, the
history with one event for the decision and one per letter, and the lead's lifecycle
reaction (``services.after_decision``). A failed decision leaves nothing behind.

Parties (who gets a letter): an adult gets the letter, and so does a guardian for personal
matters; for a child under 18 every current custody holder gets one, and the child itself
gets its own when it is 10 or older (Barnets lov: children from 10 are parties).
"""

from __future__ import annotations

import datetime as dt
import string
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from helhed.cases import access, deadlines, history, letters, services
from helhed.cases.models import Case, CitizenDisplay, ComplaintGuidance, Decision, Letter
from helhed.catalogue.models import LegalBasis
from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.messaging import adapters
from helhed.messaging.adapters import DigitalPost
from helhed.organisation.models import StaffMember
from helhed.people.models import Citizen, Custody, Guardianship
from helhed.sharing import policy
from helhed.sharing.policy import Actor, Category, Purpose

CHILD_PARTY_AGE = 10
ADULT_AGE = 18
DECISION_FIELDS = ("title", "outcome", "legal_basis", "complaint_deadline", "citizen_display")
OUTCOME_CHOICES = Decision.Outcome.choices
CITIZEN_DISPLAY_CHOICES = CitizenDisplay.choices
Role = Letter.RecipientRole


class DecisionNotFound(NotFound):
    code = "decision.not_found"
    message = gettext_noop("Afgørelsen findes ikke.")


class LetterNotFound(NotFound):
    code = "letter.not_found"
    message = gettext_noop("Brevet findes ikke.")


# --- parties ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Party:
    """Someone who gets a letter about a decision, and how it will go."""

    citizen: Citizen
    role: str
    physical_post: bool = False

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


@dataclass
class Parties:
    parties: list[Party] = field(default_factory=list)
    # Danish notes for the caseworker, e.g. a guardian who is not registered as a citizen.
    notes: list[str] = field(default_factory=list)


def _custody_holders(child: Citizen, today: dt.date) -> list[Citizen]:
    rows = (Custody.objects.select_related("holder")
            .filter(child=child, valid_to__isnull=True, valid_from__lte=today)
            .order_by("valid_from", "pk"))
    holders: dict[int, Citizen] = {}
    for row in rows:
        if row.holder.died_on is None:
            holders.setdefault(row.holder_id, row.holder)
    return list(holders.values())


def _guardians(ward: Citizen, today: dt.date) -> tuple[list[Citizen], list[str]]:
    rows = (Guardianship.objects.select_related("guardian")
            .filter(ward=ward, valid_to__isnull=True, valid_from__lte=today)
            .filter(scope__in=[Guardianship.Scope.PERSONAL, Guardianship.Scope.BOTH]))
    found: list[Citizen] = []
    notes: list[str] = []
    for row in rows:
        if row.guardian is not None:
            found.append(row.guardian)
        else:
            notes.append(f"Værgen {row.guardian_name} er ikke registreret som borger i "
                         f"helhed; send afgørelsen til værgen på anden måde.")
    return found, notes


def parties_of(actor: Actor, case: Case) -> Parties:
    """Who gets a letter about a decision on ``case``. Reading custody and guardians is a
    family look at the case's citizen, and each other recipient a master-data look (both
    logged); the caller has already been let through the case's door."""
    citizen = case.citizen
    if not policy.decide(actor, Purpose.CASEWORK, citizen.uuid, Category.FAMILY,
                         detail="parter i afgørelse"):
        raise AccessDenied(message=policy.ROLE_GIVES_NO_ACCESS)
    today = clock.today()
    age = citizen.age_on(today)
    found: list[tuple[Citizen, str]] = []
    if age < ADULT_AGE:
        if age >= CHILD_PARTY_AGE:
            found.append((citizen, Role.CHILD_PARTY))
        found += [(holder, Role.CUSTODY_HOLDER) for holder in _custody_holders(citizen, today)]
    else:
        found.append((citizen, Role.PARTY))
    guardians, notes = _guardians(citizen, today)
    found += [(g, Role.GUARDIAN) for g in guardians]
    seen: set[int] = set()
    result = Parties(notes=notes)
    for person, role in found:
        if person.pk in seen or person.died_on is not None:
            continue
        seen.add(person.pk)
        result.parties.append(Party(person, role, adapters.exempt_from_digital_post(person)))
    others = [p.citizen.uuid for p in result.parties if p.citizen.pk != citizen.pk]
    if others:
        policy.decide_many(actor, Purpose.CASEWORK, others, Category.MASTER_DATA,
                           detail="modtager af afgørelse")
    return result


# --- complaint guidance -------------------------------------------------------------------

def complaint_guidance_for(basis: LegalBasis) -> ComplaintGuidance:
    """The guidance for the legal basis's law, else the default (empty ``law_short``)."""
    found = (ComplaintGuidance.objects.filter(law_short=basis.law_short).first()
             or ComplaintGuidance.objects.filter(law_short="").first())
    if found is None:
        raise InvalidInput("decision.complaint_guidance_missing", gettext_noop(
            "Der er ingen klagevejledning for %(law)s og ingen standardklagevejledning. "
            "Bed en administrator oprette en."), field="legal_basis",
            params={"law": basis.law})
    return found


def complaint_deadline(decided_on: dt.date, days: int) -> dt.date:
    """The decision date plus the days; a deadline on a Saturday, Sunday, public holiday,
    grundlovsdag, juleaftensdag or nytårsaftensdag moves to the next hverdag
    (``deadlines.next_statutory_weekday``)."""
    return deadlines.next_statutory_weekday(decided_on + dt.timedelta(days=days))


def render_guidance(guidance: ComplaintGuidance, case: Case, basis: LegalBasis,
                    decided_on: dt.date, deadline: dt.date) -> str:
    return string.Template(guidance.body).safe_substitute(
        kommune=case.department.municipality.name,
        afgoerelsesdato=letters.danish_date(decided_on),
        klagefrist=letters.danish_date(deadline),
        lov=basis.law, paragraf=basis.paragraph, klageinstans=guidance.appeals_body)


# --- validation ---------------------------------------------------------------------------

def _case(case_uuid: uuid.UUID | str) -> Case:
    try:
        key = uuid.UUID(str(case_uuid))
    except ValueError:
        raise services.CaseNotFound() from None
    found = (Case.objects.select_related("citizen", "department__municipality", "unit",
                                         "responsible__user")
             .filter(uuid=key).first())
    if found is None:
        raise services.CaseNotFound()
    return found


def valid_legal_basis(code: str | None, *, required: bool = True,
                      field: str = "legal_basis") -> LegalBasis | None:
    """The legal basis with ``code``, which must exist and be valid today."""
    code = (code or "").strip()
    if not code:
        if required:
            raise InvalidInput("decision.legal_basis_required", gettext_noop(
                "Vælg lovgrundlaget (hjemlen) for afgørelsen."), field=field)
        return None
    basis = LegalBasis.objects.filter(code=code).first()
    if basis is None:
        raise InvalidInput("legal_basis.unknown", gettext_noop("Hjemlen findes ikke."),
                           field=field)
    if not basis.is_valid_on(clock.today()):
        raise InvalidInput("legal_basis.expired", gettext_noop(
            "Hjemlen er udgået og kan ikke bruges. Vælg den gældende paragraf."), field=field)
    return basis


@dataclass(frozen=True)
class DecisionInput:
    title: str
    outcome: str
    basis: LegalBasis
    reasons: str
    citizen_display: str


def _validate(case: Case, title: str, outcome: str, legal_basis_code: str | None,
              reasons: str, citizen_display: str | None) -> DecisionInput:
    if case.is_closed:
        raise services.CaseClosed()
    title = (title or "").strip()
    if not title:
        raise InvalidInput("decision.title_required",
                           gettext_noop("Skriv, hvad afgørelsen handler om."), field="title")
    if len(title) > 200:
        raise InvalidInput("decision.title_too_long", gettext_noop("Højst 200 tegn."),
                           field="title")
    if outcome not in Decision.Outcome.values:
        raise InvalidInput("decision.outcome_invalid", gettext_noop(
            "Vælg resultatet: bevilget, delvist bevilget, afslag eller anden afgørelse."),
            field="outcome")
    basis = valid_legal_basis(legal_basis_code)
    assert basis is not None
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput("decision.reasons_required", gettext_noop(
            "Skriv begrundelsen. En afgørelse skal begrundes (forvaltningsloven § 22)."),
            field="reasons")
    display = citizen_display or CitizenDisplay.FULL
    if display not in CitizenDisplay.values:
        raise InvalidInput("decision.citizen_display_invalid", gettext_noop(
            "Vælg, hvad borgeren kan se af afgørelsen."), field="citizen_display")
    return DecisionInput(title, outcome, basis, reasons, display)


# --- making a decision --------------------------------------------------------------------

def make_decision(
    actor: Actor,
    case_uuid: uuid.UUID | str,
    *,
    title: str,
    outcome: str,
    legal_basis_code: str | None,
    reasons: str,
    citizen_display: str | None = None,
    send: bool = True,
) -> Decision:
    """Make a decision on the case and send a letter to each party (unless ``send`` is
    false: then the letters are made but not sent)."""
    case = _case(case_uuid)
    staff = access.write_case(actor, case, "afgørelse")
    values = _validate(case, title, outcome, legal_basis_code, reasons, citizen_display)
    guidance = complaint_guidance_for(values.basis)
    parties = parties_of(actor, case)
    if not parties.parties:
        raise InvalidInput("decision.no_parties", gettext_noop(
            "Der er ingen at sende afgørelsen til: registrér forældremyndighed eller værge "
            "for borgeren først."), field="title")
    adapter = adapters.digital_post() if send else None
    now = clock.now()
    decided_on = timezone.localdate(now)
    deadline = complaint_deadline(decided_on, guidance.complaint_days)
    with transaction.atomic():
        decision = Decision.objects.create(
            case=case, title=values.title, outcome=values.outcome, legal_basis=values.basis,
            reasons=values.reasons,
            complaint_guidance=render_guidance(guidance, case, values.basis, decided_on,
                                               deadline),
            complaint_deadline=deadline, decided_at=now, decided_by=staff,
            citizen_display=values.citizen_display)
        history.changed(
            actor, event="cases.decision.made", object_type="decision",
            object_uuid=decision.uuid, citizen=case.citizen, case=case,
            summary=letters.letter_title(decision),
            after={**history.snapshot(decision, DECISION_FIELDS),
                   "complaint_guidance": guidance.code},
            payload={"outcome": decision.outcome, "legal_basis": values.basis.code,
                     "letters": len(parties.parties)})
        for party in parties.parties:
            _write_letter(actor, decision, party, adapter)
        services.after_decision(actor, case, decision)
    return decision


def _write_letter(actor: Actor, decision: Decision, party: Party,
                  adapter: DigitalPost | None) -> Letter:
    case = decision.case
    title = letters.letter_title(decision)
    pdf = letters.render_decision_letter(decision, party.citizen, party.role)
    letter = Letter.objects.create(decision=decision, recipient=party.citizen,
                                   recipient_role=party.role, title=title, pdf=pdf,
                                   created_at=clock.now())
    after: dict[str, object] = {"recipient": party.citizen.full_name,
                                "recipient_role": party.role}
    if adapter is not None:
        municipality = case.department.municipality.name
        receipt = adapter.send(
            party.citizen, title=title,
            body=f"Du har fået et brev fra {municipality}: {title}. Brevet er vedhæftet "
                 f"som PDF.",
            pdf=pdf, filename=letters.filename_for(decision, party.role),
            sender=f"{municipality}, {case.department.name}", source_type="letter",
            source_uuid=letter.uuid)
        letter.sent_at = receipt.sent_at or clock.now()
        letter.channel = receipt.channel
        letter.delivery_id = receipt.delivery_id[:100]
        letter.save(update_fields=["sent_at", "channel", "delivery_id"])
        after |= {"channel": receipt.channel, "adapter": receipt.adapter,
                  "delivery_id": receipt.delivery_id, "notes": list(receipt.notes)}
    history.changed(
        actor, event="cases.letter.sent" if adapter is not None else "cases.letter.created",
        object_type="letter", object_uuid=letter.uuid, citizen=case.citizen, case=case,
        summary=f"Brev til {party.role_label.lower()}: {party.citizen.full_name}",
        after=after,
        payload={"decision": str(decision.uuid), "recipient_role": party.role,
                 "channel": letter.channel})
    return letter


# --- reading ------------------------------------------------------------------------------

def _letters() -> QuerySet[Letter]:
    return Letter.objects.select_related("recipient").defer("pdf").order_by("created_at", "pk")


def _decisions() -> QuerySet[Decision]:
    return (Decision.objects.select_related("legal_basis", "decided_by__user",
                                            "decided_by__unit")
            .prefetch_related(Prefetch("letters", queryset=_letters())))


def decisions_of(actor: Actor, case: Case) -> list[Decision]:
    """The case's decisions, newest first, each with its letters (``decision.letters``)."""
    access.read_case(actor, case, detail="afgørelser")
    return list(_decisions().filter(case=case).order_by("-decided_at", "-pk"))


def letters_of(decision: Decision) -> list[Letter]:
    """The letters of a decision read through :func:`get_decision` or
    :func:`decisions_of` (prefetched there, without their PDFs)."""
    return list(decision.letters.all())


def get_decision(actor: Actor, decision_uuid: uuid.UUID | str) -> Decision:
    try:
        key = uuid.UUID(str(decision_uuid))
    except ValueError:
        raise DecisionNotFound() from None
    decision = (_decisions().select_related("case__citizen", "case__department__municipality",
                                            "case__unit")
                .filter(uuid=key).first())
    if decision is None:
        raise DecisionNotFound()
    access.read_case(actor, decision.case, detail="afgørelse")
    return decision


def letter_pdf(actor: Actor, letter_uuid: uuid.UUID | str) -> tuple[Letter, bytes]:
    """A letter and its PDF, through the case's door (detail "brev")."""
    try:
        key = uuid.UUID(str(letter_uuid))
    except ValueError:
        raise LetterNotFound() from None
    letter = (Letter.objects.select_related("recipient", "decision__case__citizen",
                                            "decision__case__department")
              .filter(uuid=key).first())
    if letter is None:
        raise LetterNotFound()
    access.read_case(actor, letter.decision.case, detail="brev")
    return letter, bytes(letter.pdf)


def letter_scopes(letter_uuids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[Case, Citizen]]:
    """For the outbox: the case (for its door) and recipient of each letter named."""
    rows = (Letter.objects.select_related("recipient", "decision__case__department")
            .defer("pdf").filter(uuid__in=letter_uuids))
    return {row.uuid: (row.decision.case, row.recipient) for row in rows}


# --- the form -----------------------------------------------------------------------------

@dataclass
class DecisionForm:
    """What the page "Ny afgørelse" needs: the case, the legal bases valid today, and who
    will get a letter."""

    case: Case
    legal_bases: list[LegalBasis]
    parties: Parties
    decided_by: StaffMember


def decision_form(actor: Actor, case_uuid: uuid.UUID | str) -> DecisionForm:
    case = _case(case_uuid)
    staff = access.caseworker(actor)
    access.read_case(actor, case, detail="ny afgørelse")
    today = clock.today()
    bases = [b for b in LegalBasis.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=today)).order_by("law", "code")
        if b.is_valid_on(today)]
    return DecisionForm(case, bases, parties_of(actor, case), staff)
