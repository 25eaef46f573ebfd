"""Consent (samtykke): recording it, showing the rule it gives, withdrawing it.

A consent opens case content for caseworkers outside the item's department (the policy
door reads ``Consent`` rows: categories, from which departments, validity, withdrawal).

Who gives it:
- an adult: the citizen, or a guardian (værge) whose guardianship covers personal matters;
- a child under 18: *all* current custody holders (``people.Custody``), and from the age of
  15 (``CO_SIGN_AGE``) the young person too.

It lasts at most ``MAX_VALIDITY_DAYS`` (two years): a consent to exchange information in
social case work should be renewed when the case is reconsidered, and a fixed ceiling keeps
forgotten consents from living forever. The constant is deliberately not a setting — a
municipality that wants longer must argue it in a decision record, not flip a switch.

Withdrawal counts at once for every later read (the policy checks ``withdrawn_at``); what
was already collected stays on the case. Consent rows are never deleted.

Recording and withdrawing need a write basis: the actor is a caseworker, and she or her
department has an open case on the citizen or on the citizen's family (parents, children,
siblings); the door is asked with that case's scope (``cases.access.require``), before
anything is written, so a refusal stays in the access log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext, gettext_noop, ngettext

from helhed.cases import access as case_access
from helhed.cases.models import Case
from helhed.core import clock, events
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.core.models import Sensitivity
from helhed.organisation.models import Department, Provider, StaffMember
from helhed.people.models import Citizen, Custody, Guardianship
from helhed.people.services import CitizenNotFound
from helhed.sharing import policy
from helhed.sharing.emergency import family_uuids
from helhed.sharing.models import Consent, DataCategory
from helhed.sharing.policy import Actor, Category, Purpose

MAX_VALIDITY_DAYS = 730  # two years; see the module's docstring
CO_SIGN_AGE = 15
ADULT_AGE = 18
MAX_NOTE = 2000
GUARDIAN_SCOPES = (Guardianship.Scope.PERSONAL, Guardianship.Scope.BOTH)
PURPOSE_CHOICES = Consent.Purpose.choices
FORM_CHOICES = Consent.Form.choices
NO_WRITE_BASIS = gettext_noop(
    "Du kan kun registrere og tilbagekalde samtykke, når du eller din afdeling har en åben "
    "sag på borgeren eller familien.")


class ConsentNotFound(NotFound):
    code = "consent.not_found"
    message = gettext_noop("Samtykket findes ikke, eller du har ikke adgang til det.")


def _fail(code: str, message: str, field: str, **params: object) -> InvalidInput:
    return InvalidInput(f"consent.{code}", message, field=field, params=params)


# --- who may act ----------------------------------------------------------------------------

def _citizen(citizen_uuid: uuid.UUID | str) -> Citizen:
    try:
        key = uuid.UUID(str(citizen_uuid))
    except ValueError:
        raise CitizenNotFound() from None
    citizen = Citizen.objects.filter(uuid=key).first()
    if citizen is None:
        raise CitizenNotFound()
    return citizen


def _write_case(staff: StaffMember, citizen: Citizen) -> Case | None:
    """An open case of the actor's (or her department's) on the citizen or the family; one
    on the citizen first."""
    mine = Q(responsible_id=staff.pk)
    if staff.unit is not None:
        mine |= Q(department_id=staff.unit.department_id)
    cases = list(Case.objects.filter(mine, citizen__uuid__in=family_uuids(citizen))
                 .exclude(state=Case.State.CLOSED)
                 .select_related("department", "responsible__user").order_by("opened_at"))
    cases.sort(key=lambda c: c.citizen_id != citizen.pk)
    return cases[0] if cases else None


def require_write_basis(actor: Actor, citizen: Citizen, detail: str) -> StaffMember:
    """The door for changing a citizen's consents (logged either way)."""
    try:
        staff = case_access.caseworker(actor)
    except AccessDenied:
        policy.record(actor, [policy.look(
            policy.Decision(False, "", case_access.NOT_CASEWORKER), citizen.uuid,
            Category.CASE_CONTENT, purpose=Purpose.CASEWORK, action="write", detail=detail)])
        raise
    case = _write_case(staff, citizen)
    if case is None:
        policy.record(actor, [policy.look(
            policy.Decision(False, "", NO_WRITE_BASIS), citizen.uuid, Category.CASE_CONTENT,
            purpose=Purpose.CASEWORK, action="write", detail=detail)])
        raise AccessDenied("consent.no_basis", NO_WRITE_BASIS)
    case_access.require(actor, case_access.scope_of(case), citizen.uuid, action="write",
                        detail=detail)
    return staff


def may_record(actor: Actor, citizen: Citizen) -> bool:
    """Whether to offer recording and withdrawal (not logged; the service decides again)."""
    try:
        staff = case_access.caseworker(actor)
    except AccessDenied:
        return False
    return _write_case(staff, citizen) is not None


# --- validation ---------------------------------------------------------------------------

def _names(people: Sequence[Citizen]) -> str:
    names = [p.full_name for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def _check_givers(citizen: Citizen, given_by: Sequence[uuid.UUID | str],
                  today: dt.date) -> list[Citizen]:
    try:
        keys = {uuid.UUID(str(g)) for g in given_by}
    except ValueError:
        raise _fail("giver_unknown", gettext_noop("Vælg, hvem der giver samtykket."),
                    "given_by") from None
    if not keys:
        raise _fail("giver_required", gettext_noop("Vælg, hvem der giver samtykket."),
                    "given_by")
    givers = list(Citizen.objects.filter(uuid__in=keys))
    if len(givers) != len(keys):
        raise _fail("giver_unknown", gettext_noop("En af dem, der giver samtykket, findes "
                                                  "ikke."), "given_by")
    age = citizen.age_on(today)
    if age < ADULT_AGE:
        _check_child(citizen, givers, age, today)
    else:
        _check_adult(citizen, givers, today)
    return givers


def current_custody_holders(citizen: Citizen, today: dt.date | None = None) -> list[Citizen]:
    day = today or clock.today()
    rows = (Custody.objects.filter(child=citizen, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).select_related("holder")
            .order_by("holder__first_name"))
    return [r.holder for r in rows]


def _check_child(child: Citizen, givers: list[Citizen], age: int, today: dt.date) -> None:
    holders = current_custody_holders(child, today)
    if not holders:
        raise _fail("no_custody", gettext_noop(
            "Der er ikke registreret forældremyndighed for %(child)s, så samtykket kan ikke "
            "registreres. Ret oplysningerne om forældremyndighed først."), "given_by",
            child=child.full_name)
    entitled = {h.pk for h in holders} | ({child.pk} if age >= CO_SIGN_AGE else set())
    others = [g for g in givers if g.pk not in entitled]
    if others:
        raise _fail("giver_not_entitled", gettext_noop(
            "%(names)s kan ikke give samtykke for %(child)s. Samtykket gives af dem, der har "
            "forældremyndigheden, og af den unge selv fra 15 år."), "given_by",
            names=_names(others), child=child.full_name)
    chosen = {g.pk for g in givers}
    missing = [h for h in holders if h.pk not in chosen]
    if missing:
        raise _fail("custody_missing", gettext_noop(
            "Alle med forældremyndighed skal give samtykket. %(names)s mangler."),
            "given_by", names=_names(missing))
    if age >= CO_SIGN_AGE and child.pk not in chosen:
        raise _fail("young_person_missing", gettext_noop(
            "%(child)s er fyldt 15 år og skal selv give samtykket sammen med forældremyndig"
            "hedsindehaverne."), "given_by", child=child.full_name)


def _check_adult(citizen: Citizen, givers: list[Citizen], today: dt.date) -> None:
    guardians = set(
        Guardianship.objects.filter(ward=citizen, scope__in=GUARDIAN_SCOPES,
                                    guardian__isnull=False, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values_list("guardian_id", flat=True))
    others = [g for g in givers if g.pk != citizen.pk and g.pk not in guardians]
    if others:
        raise _fail("giver_not_entitled", gettext_noop(
            "%(names)s kan ikke give samtykke for %(citizen)s. Samtykket gives af borgeren selv "
            "eller af en værge for personlige forhold."), "given_by",
            names=_names(others), citizen=citizen.full_name)


def _check_period(valid_from: dt.date | None, valid_to: dt.date | None,
                  today: dt.date) -> tuple[dt.date, dt.date]:
    if valid_from is None:
        raise _fail("valid_from_required", gettext_noop("Skriv en gyldig dato."), "valid_from")
    if valid_to is None:
        raise _fail("valid_to_required", gettext_noop("Skriv en gyldig dato."), "valid_to")
    if valid_to <= valid_from:
        raise _fail("period_order", gettext_noop(
            "Slutdatoen skal ligge efter startdatoen."), "valid_to")
    if (valid_to - valid_from).days > MAX_VALIDITY_DAYS:
        raise _fail("period_too_long", gettext_noop(
            "Et samtykke kan højst gælde i to år. Vælg en slutdato senest %(last)s."),
            "valid_to", last=f"{valid_from + dt.timedelta(days=MAX_VALIDITY_DAYS):%d.%m.%Y}")
    if valid_to < today:
        raise _fail("period_past", gettext_noop(
            "Slutdatoen er overskredet; samtykket ville aldrig gælde."), "valid_to")
    return valid_from, valid_to


def _check_categories(codes: Sequence[str]) -> list[DataCategory]:
    wanted = {c.strip() for c in codes if c and c.strip()}
    if not wanted:
        raise _fail("categories_required", gettext_noop(
            "Vælg mindst én slags oplysninger, samtykket gælder."), "categories")
    found = list(DataCategory.objects.filter(code__in=wanted))
    if len(found) != len(wanted):
        unknown = sorted(wanted - {c.code for c in found})
        raise _fail("category_unknown", gettext_noop("Kategorien kendes ikke: %(codes)s."),
                    "categories", codes=", ".join(unknown))
    return sorted(found, key=lambda c: (c.sort_order, c.name))


def _check_sources(staff: StaffMember, departments: Sequence[str],
                   providers: Sequence[uuid.UUID | str]) -> tuple[list[Department],
                                                                   list[Provider]]:
    codes = {d.strip() for d in departments if d and d.strip()}
    found = list(Department.objects.filter(municipality_id=staff.municipality_id,
                                           code__in=codes))
    if len(found) != len(codes):
        unknown = sorted(codes - {d.code for d in found})
        raise _fail("department_unknown", gettext_noop("Afdelingen kendes ikke: %(codes)s."),
                    "from_departments", codes=", ".join(unknown))
    return found, _check_providers(providers, "from_providers")


def _check_providers(providers: Sequence[uuid.UUID | str], field: str) -> list[Provider]:
    """Providers named by UUID, every one known (for ``from_providers`` and
    ``to_providers``)."""
    try:
        keys = {uuid.UUID(str(p)) for p in providers if str(p).strip()}
    except ValueError:
        raise _fail("provider_unknown", gettext_noop("Udføreren kendes ikke."),
                    field) from None
    found = list(Provider.objects.filter(uuid__in=keys))
    if len(found) != len(keys):
        raise _fail("provider_unknown", gettext_noop("Udføreren kendes ikke."), field)
    return sorted(found, key=lambda p: p.name)


def _check_choice(value: str, choices: Sequence[tuple[str, object]], field: str) -> str:
    if value not in {c[0] for c in choices}:
        raise _fail(f"{field}_invalid", gettext_noop("Vælg en af mulighederne."), field)
    return value


# --- the rule shown -------------------------------------------------------------------------

def _join(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " " + gettext("og") + " " + items[-1]


def _provider_names(providers: Sequence[uuid.UUID | str]) -> list[str]:
    keys = []
    for p in providers:
        try:
            keys.append(uuid.UUID(str(p)))
        except ValueError:
            continue
    return [p.name for p in Provider.objects.filter(uuid__in=keys).order_by("name")]


def rule_text(purpose: str, categories: Sequence[str], from_departments: Sequence[str] = (),
              from_providers: Sequence[uuid.UUID | str] = (),
              valid_from: dt.date | None = None, valid_to: dt.date | None = None,
              to_providers: Sequence[uuid.UUID | str] = ()) -> str:
    """The rule in plain Danish (in the active language), shown to whoever records it."""
    names = dict(DataCategory.objects.filter(code__in=list(categories))
                 .values_list("code", "name"))
    sources = [str(d.name) for d in Department.objects.filter(code__in=list(from_departments))
               .order_by("name").distinct()]
    sources += _provider_names(from_providers)
    return _rule(purpose, [names.get(c, c) for c in categories], sources, valid_from,
                 valid_to, _provider_names(to_providers))


def _rule(purpose: str, category_names: Sequence[str], sources: Sequence[str],
          valid_from: dt.date | None, valid_to: dt.date | None,
          receivers: Sequence[str] = ()) -> str:
    what = _join([f"»{n}«" for n in category_names]) or gettext("(ingen valgt)")
    where = _join(sources) or gettext("alle kommunens afdelinger")
    why = dict(PURPOSE_CHOICES).get(purpose, purpose)
    period = ""
    if valid_from and valid_to:
        period = gettext(" fra %(start)s til %(end)s") % {
            "start": f"{valid_from:%d.%m.%Y}", "end": f"{valid_to:%d.%m.%Y}"}
    if receivers:
        # A consent to providers opens nothing to staff (the door leaves it out), so the
        # rule must not promise caseworkers anything: it names the receiving providers.
        return ngettext(
            "Samtykket giver kun %(providers)s adgang til det, der deles med den; det åbner "
            "ikke for andre afdelinger. Det gælder oplysninger om %(what)s til brug for "
            "%(why)s%(period)s. Det kan trækkes tilbage når som helst; det, der allerede er "
            "delt, bliver hos udføreren.",
            "Samtykket giver kun %(providers)s adgang til det, der deles med dem; det åbner "
            "ikke for andre afdelinger. Det gælder oplysninger om %(what)s til brug for "
            "%(why)s%(period)s. Det kan trækkes tilbage når som helst; det, der allerede er "
            "delt, bliver hos udførerne.", len(receivers)) % {
            "providers": _join(receivers), "what": what, "why": str(why).lower(),
            "period": period}
    return gettext(
        "Samtykket giver kommunens sagsbehandlere adgang til oplysninger om %(what)s fra "
        "%(where)s til brug for %(why)s%(period)s. Det kan trækkes tilbage når som helst; "
        "det, der allerede er indhentet, bliver på sagen.") % {
        "what": what, "where": where, "why": str(why).lower(), "period": period}


# --- changes ------------------------------------------------------------------------------

def _sensitivity(categories: Sequence[DataCategory]) -> str:
    return Sensitivity.SENSITIVE if any(c.sensitive for c in categories) \
        else Sensitivity.CONFIDENTIAL


def _payload(consent: Consent, categories: Sequence[str]) -> dict[str, object]:
    return {"consent": str(consent.uuid), "categories": list(categories),
            "purpose": consent.purpose, "valid_from": consent.valid_from.isoformat(),
            "valid_to": consent.valid_to.isoformat()}


@dataclass(frozen=True)
class _Checked:
    citizen: Citizen
    staff: StaffMember
    purpose: str
    form: str
    categories: list[DataCategory]
    valid_from: dt.date
    valid_to: dt.date
    givers: list[Citizen]
    departments: list[Department]
    providers: list[Provider]
    note: str
    receivers: list[Provider]


def _checked(
    actor: Actor,
    citizen_uuid: uuid.UUID | str,
    detail: str,
    *,
    given_by: Sequence[uuid.UUID | str],
    purpose: str,
    categories: Sequence[str],
    from_departments: Sequence[str] = (),
    from_providers: Sequence[uuid.UUID | str] = (),
    to_providers: Sequence[uuid.UUID | str] = (),
    form: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    note: str = "",
) -> _Checked:
    """The door (logged), then every rule; raises on the first broken one."""
    citizen = _citizen(citizen_uuid)
    staff = require_write_basis(actor, citizen, detail)
    today = clock.today()
    _check_choice(purpose, PURPOSE_CHOICES, "purpose")
    chosen = _check_categories(categories)
    start, end = _check_period(valid_from, valid_to, today)
    givers = _check_givers(citizen, given_by, today)
    departments, providers = _check_sources(staff, from_departments, from_providers)
    receivers = _check_providers(to_providers, "to_providers")
    _check_choice(form, FORM_CHOICES, "form")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise _fail("note_too_long", gettext_noop("Højst %(max)s tegn."), "note", max=MAX_NOTE)
    return _Checked(citizen, staff, purpose, form, chosen, start, end, givers, departments,
                    providers, note, receivers)


def preview_consent(actor: Actor, citizen_uuid: uuid.UUID | str, **fields: Any) -> str:
    """Check a consent as :func:`record_consent` would, without saving it, and return the
    rule it would give (for the preview step of the page)."""
    checked = _checked(actor, citizen_uuid, "samtykke: forhåndsvisning", **fields)
    return rule_text(checked.purpose, [c.code for c in checked.categories],
                     [d.code for d in checked.departments],
                     [p.uuid for p in checked.providers], checked.valid_from, checked.valid_to,
                     [p.uuid for p in checked.receivers])


def record_consent(
    actor: Actor,
    citizen_uuid: uuid.UUID | str,
    *,
    given_by: Sequence[uuid.UUID | str],
    purpose: str,
    categories: Sequence[str],
    from_departments: Sequence[str] = (),
    from_providers: Sequence[uuid.UUID | str] = (),
    to_providers: Sequence[uuid.UUID | str] = (),
    form: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    note: str = "",
) -> Consent:
    """Record a consent for the citizen. Refused (and logged) without a write basis; nothing
    is written when a rule is broken. With ``to_providers`` it is a consent to share with
    those providers (an order's plan parts): it opens nothing to staff."""
    c = _checked(actor, citizen_uuid, "registrer samtykke", given_by=given_by,
                 purpose=purpose, categories=categories, from_departments=from_departments,
                 from_providers=from_providers, to_providers=to_providers, form=form,
                 valid_from=valid_from,
                 valid_to=valid_to, note=note)
    with transaction.atomic():
        consent = Consent.objects.create(
            citizen=c.citizen, purpose=c.purpose, form=c.form, valid_from=c.valid_from,
            valid_to=c.valid_to, recorded_at=clock.now(), recorded_by=c.staff, note=c.note)
        consent.given_by.set(c.givers)
        consent.categories.set(c.categories)
        consent.from_departments.set(c.departments)
        consent.from_providers.set(c.providers)
        consent.to_providers.set(c.receivers)
        payload = _payload(consent, [x.code for x in c.categories])
        payload["from_departments"] = sorted(d.code for d in c.departments)
        payload["from_providers"] = sorted(str(p.uuid) for p in c.providers)
        payload["to_providers"] = sorted(str(p.uuid) for p in c.receivers)
        payload["form"] = c.form
        events.emit("sharing.consent.given", object_type="consent", object_id=consent.uuid,
                    actor=c.staff.user.get_username(), citizen=c.citizen.uuid,
                    sensitivity=_sensitivity(c.categories), payload=payload)
    return consent


def _consents() -> QuerySet[Consent]:
    return (Consent.objects.select_related("citizen", "recorded_by__user",
                                           "withdrawn_by__user")
            .prefetch_related("categories", "given_by", "from_departments", "from_providers",
                              "to_providers"))


def withdraw(actor: Actor, consent_uuid: uuid.UUID | str, note: str = "") -> Consent:
    """Withdraw a consent: no read after this may rest on it. The row stays."""
    try:
        key = uuid.UUID(str(consent_uuid))
    except ValueError:
        raise ConsentNotFound() from None
    consent = Consent.objects.select_related("citizen").filter(uuid=key).first()
    if consent is None:
        raise ConsentNotFound()
    staff = require_write_basis(actor, consent.citizen, "tilbagekald samtykke")
    if consent.withdrawn_at is not None:
        raise _fail("already_withdrawn", gettext_noop(
            "Samtykket er allerede trukket tilbage."), "note")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise _fail("note_too_long", gettext_noop("Højst %(max)s tegn."), "note", max=MAX_NOTE)
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            raise _fail("already_withdrawn", gettext_noop(
                "Samtykket er allerede trukket tilbage."), "note")
        locked.withdrawn_at = clock.now()
        locked.withdrawn_by = staff
        locked.withdrawal_note = note
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        chosen = list(locked.categories.all())
        payload = _payload(locked, sorted(c.code for c in chosen))
        payload["withdrawn_at"] = locked.withdrawn_at.isoformat()
        events.emit("sharing.consent.withdrawn", object_type="consent", object_id=locked.uuid,
                    actor=staff.user.get_username(), citizen=consent.citizen.uuid,
                    sensitivity=_sensitivity(chosen), payload=payload)
    return locked


# --- reading ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConsentRow:
    """A consent as pages and the API show it (from prefetched rows: no query per row)."""

    consent: Consent
    active: bool
    category_codes: list[str]
    category_names: list[str]
    given_by: list[Citizen]
    departments: list[Department]
    providers: list[Provider]
    rule: str
    receivers: list[Provider]

    @property
    def sources(self) -> list[str]:
        return [d.name for d in self.departments] + [p.name for p in self.providers]


def row_of(consent: Consent, today: dt.date | None = None) -> ConsentRow:
    chosen = sorted(consent.categories.all(), key=lambda c: (c.sort_order, c.name))
    departments = sorted(consent.from_departments.all(), key=lambda d: d.name)
    providers = sorted(consent.from_providers.all(), key=lambda p: p.name)
    receivers = sorted(consent.to_providers.all(), key=lambda p: p.name)
    row = ConsentRow(
        consent, is_active(consent, today), [c.code for c in chosen], [c.name for c in chosen],
        sorted(consent.given_by.all(), key=lambda g: g.full_name), departments, providers, "",
        receivers)
    rule = _rule(consent.purpose, row.category_names, row.sources, consent.valid_from,
                 consent.valid_to, [p.name for p in receivers])
    return ConsentRow(**{**row.__dict__, "rule": rule})


def consents_of(actor: Actor, citizen_uuid: uuid.UUID | str) -> list[ConsentRow]:
    """The citizen's consents, newest first, withdrawn and expired ones included. For
    caseworkers; the look is logged."""
    case_access.caseworker(actor)
    citizen = _citizen(citizen_uuid)
    decision = policy.decide(actor, Purpose.CASEWORK, citizen.uuid, Category.CASE,
                             detail="samtykker")
    if not decision.allowed:
        raise CitizenNotFound()
    today = clock.today()
    return [row_of(c, today) for c in
            _consents().filter(citizen=citizen).order_by("-recorded_at", "-pk")]


def consent_row(consent: Consent) -> ConsentRow:
    """A consent just recorded or withdrawn, as a row (reloaded with what it names)."""
    return row_of(_consents().get(pk=consent.pk))


def is_active(consent: Consent, today: dt.date | None = None) -> bool:
    day = today or clock.today()
    return consent.withdrawn_at is None and consent.valid_from <= day <= consent.valid_to


def category_choices(actor: Actor) -> list[DataCategory]:
    case_access.caseworker(actor)
    return list(DataCategory.objects.order_by("sort_order", "name"))


def department_choices(actor: Actor) -> list[Department]:
    staff = case_access.caseworker(actor)
    return list(Department.objects.filter(municipality_id=staff.municipality_id)
                .order_by("name"))


def provider_choices(actor: Actor) -> list[Provider]:
    staff = case_access.caseworker(actor)
    return list(Provider.objects.filter(municipality_id=staff.municipality_id)
                .order_by("name"))


def giver_choices(actor: Actor, citizen: Citizen) -> tuple[list[Citizen], list[Citizen]]:
    """(who may give the consent, who is preselected): for a child the custody holders
    (and the young person from 15), for an adult the citizen and any personal guardian."""
    case_access.caseworker(actor)
    today = clock.today()
    age = citizen.age_on(today)
    if age < ADULT_AGE:
        holders = current_custody_holders(citizen, today)
        chosen = holders + ([citizen] if age >= CO_SIGN_AGE else [])
        return chosen, chosen
    guardians = [g.guardian for g in Guardianship.objects.filter(
        ward=citizen, scope__in=GUARDIAN_SCOPES, guardian__isnull=False, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)).select_related("guardian")
        if g.guardian is not None]
    return [citizen, *guardians], [citizen]
