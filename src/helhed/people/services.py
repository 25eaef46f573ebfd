"""The doors to citizens' data and the operations that change it.

Views and API routes call only these functions. Reads go through the policy door and are
logged; writes run in one transaction with their history and outbox event.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet

from helhed.core import clock, cpr
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.core.events import emit
from helhed.core.models import Sensitivity
from helhed.people import names
from helhed.people.models import (
    Address,
    Citizen,
    ContactArrangement,
    ContactDetails,
    Custody,
    Enrollment,
    Guardianship,
    ParentChild,
    Residence,
)
from helhed.sharing import policy
from helhed.sharing.policy import Actor, Category, Purpose

MAX_RESULTS = 25


class CitizenNotFound(NotFound):
    """No such citizen, or none the actor may see (the two are not told apart)."""

    code = "citizen.not_found"
    message = "Borgeren findes ikke, eller du har ikke adgang til borgeren."


def _settings_allow_synthetic() -> bool:
    from django.conf import settings

    return bool(settings.HELHED_ALLOW_SYNTHETIC_CPR)


def parse_cpr(value: str, field: str = "cpr") -> cpr.Cpr:
    """Parse a CPR number, turning a bad one into an :class:`InvalidInput` for ``field``."""
    try:
        return cpr.parse(value, allow_synthetic=_settings_allow_synthetic())
    except cpr.CprError as exc:
        raise InvalidInput(exc.code, exc.message, field=field) from exc


# --- reading ---------------------------------------------------------------------------

def access_citizen(
    actor: Actor, citizen_uuid: uuid.UUID | str, purpose: Purpose = Purpose.CASEWORK,
    category: Category = Category.MASTER_DATA,
) -> Citizen:
    """The citizen, if the actor has a basis for ``category``; logs the look either way."""
    try:
        key = uuid.UUID(str(citizen_uuid))
    except ValueError as exc:
        raise CitizenNotFound from exc
    citizen = Citizen.objects.filter(uuid=key).first()
    decision = policy.decide(actor, purpose, key if citizen else None, category)
    if citizen is None or not decision.allowed:
        raise CitizenNotFound
    return citizen


@dataclass
class SearchResult:
    query: str
    kind: str  # "cpr", "birth_date" or "name"
    citizens: list[Citizen]
    more: bool
    basis: str


def search_citizens(
    actor: Actor, query: str, purpose: Purpose = Purpose.CASEWORK, limit: int = MAX_RESULTS,
) -> SearchResult:
    """Find citizens by CPR number, birth date (DDMMÅÅ) or name. Every hit is logged."""
    text = (query or "").strip()
    base, kind = _search_query(text)
    decision = policy.evaluate(actor, purpose, Category.MASTER_DATA)
    if not decision.allowed:
        policy.decide(actor, purpose, None, Category.MASTER_DATA, action="search",
                      detail="søgning afvist")
        raise AccessDenied(message=decision.reason)
    found = list(base.order_by("last_name", "first_name", "birth_date")[: limit + 1])
    hits = found[:limit]
    policy.decide_many(actor, purpose, [c.uuid for c in hits], Category.MASTER_DATA,
                       action="search", detail=f"søgning ({kind})")
    return SearchResult(text, kind, hits, len(found) > limit, decision.basis)


def _search_query(text: str) -> tuple[QuerySet[Citizen], str]:
    if len(text) < 2:
        raise InvalidInput("search.too_short",
                           "Skriv mindst to tegn: et navn eller et CPR-nummer.", field="q")
    if len(text) > 100:
        raise InvalidInput("search.too_long", "Søgeteksten må højst være 100 tegn.",
                           field="q")
    if cpr.looks_like_cpr(text):
        digits = cpr.normalise(text)
        if len(digits) == 6:
            return Citizen.objects.filter(cpr__startswith=digits), "birth_date"
        if len(digits) != 10:
            raise InvalidInput(
                "search.cpr_length",
                "Skriv et helt CPR-nummer (10 cifre) eller en fødselsdato (DDMMÅÅ, 6 cifre).",
                field="q",
            )
        number = parse_cpr(digits, field="q")
        return Citizen.objects.filter(cpr=number.digits), "cpr"
    words = names.tokens(text)
    if not words:
        raise InvalidInput("search.no_words", "Søgningen skal indeholde bogstaver eller cifre.",
                           field="q")
    if len(words) > 6:
        raise InvalidInput("search.too_many_words", "Brug højst seks ord i en navnesøgning.",
                           field="q")
    condition = Q()
    for word in words:
        condition &= Q(name_folded__startswith=word) | Q(name_folded__contains=f" {word}")
    return Citizen.objects.filter(condition), "name"


@dataclass
class Relative:
    citizen: Citizen
    relation: str
    same_household: bool
    address: Address | None = None
    note: str = ""


@dataclass
class Family:
    citizen: Citizen
    address: Address | None
    household: list[Relative] = field(default_factory=list)
    parents: list[Relative] = field(default_factory=list)
    children: list[Relative] = field(default_factory=list)
    siblings: list[Relative] = field(default_factory=list)
    custody: list[Custody] = field(default_factory=list)
    custody_history: list[Custody] = field(default_factory=list)
    custody_of: list[Custody] = field(default_factory=list)
    contact_arrangements: list[ContactArrangement] = field(default_factory=list)
    guardians: list[Guardianship] = field(default_factory=list)
    enrollments: list[Enrollment] = field(default_factory=list)
    residences: list[Residence] = field(default_factory=list)

    def everyone(self) -> list[Citizen]:
        seen: dict[int, Citizen] = {}
        for group in (self.household, self.parents, self.children, self.siblings):
            for relative in group:
                seen.setdefault(relative.citizen.pk, relative.citizen)
        return list(seen.values())


def current_addresses(citizen_ids: list[int]) -> dict[int, Address]:
    rows = Residence.objects.filter(citizen_id__in=citizen_ids, valid_to__isnull=True)
    return {r.citizen_id: r.address for r in rows.select_related("address")}


def _sibling_kind(mine: set[int], theirs: set[int]) -> str:
    return "Helsøskende" if mine and mine == theirs else "Halvsøskende"


def family_of(actor: Actor, citizen: Citizen, purpose: Purpose = Purpose.CASEWORK) -> Family:
    """The citizen's household, parents, children, siblings across households, custody,
    contact arrangements and guardians. Logs a family look at the citizen and a master-data
    look at every relative shown."""
    if not policy.decide(actor, purpose, citizen.uuid, Category.FAMILY, detail="familievisning"):
        raise CitizenNotFound
    today = clock.today()
    residences = list(citizen.residences.select_related("address").order_by("-valid_from"))
    home = next((r.address for r in residences if r.valid_to is None), None)
    family = Family(citizen=citizen, address=home, residences=residences)

    parent_links = list(ParentChild.objects.filter(child=citizen).select_related("parent"))
    child_links = list(ParentChild.objects.filter(parent=citizen).select_related("child"))
    parent_ids = {link.parent_id for link in parent_links}
    sibling_links = list(
        ParentChild.objects.filter(parent_id__in=parent_ids).exclude(child=citizen)
        .select_related("child")
    )
    sibling_parents: dict[int, set[int]] = {}
    for link in sibling_links:
        sibling_parents.setdefault(link.child_id, set()).add(link.parent_id)
    housemates = []
    if home is not None:
        housemates = list(
            Residence.objects.filter(address=home, valid_to__isnull=True)
            .exclude(citizen=citizen).select_related("citizen")
        )
    ids = [link.parent_id for link in parent_links] + [link.child_id for link in child_links]
    ids += list(sibling_parents) + [r.citizen_id for r in housemates]
    addresses = current_addresses(ids)
    housemate_ids = {r.citizen_id for r in housemates}

    def relative(person: Citizen, relation: str) -> Relative:
        return Relative(person, relation, person.pk in housemate_ids, addresses.get(person.pk))

    family.parents = [relative(link.parent, link.get_kind_display()) for link in parent_links]
    family.children = [
        relative(link.child, _child_word(link.child, today)) for link in child_links
    ]
    siblings = {link.child_id: link.child for link in sibling_links}
    family.siblings = sorted(
        (relative(s, _sibling_kind(parent_ids, sibling_parents[s.pk])) for s in siblings.values()),
        key=lambda r: r.citizen.birth_date,
    )
    known = {r.citizen.pk for r in family.parents + family.children + family.siblings}
    family.household = [
        relative(r.citizen, "Samboende") for r in housemates if r.citizen_id not in known
    ]
    _add_custody_and_more(family)
    policy.decide_many(actor, purpose, [c.uuid for c in family.everyone()],
                       Category.MASTER_DATA, detail="vist i familievisning")
    return family


def _child_word(child: Citizen, today: dt.date) -> str:
    return "Barn" if child.age_on(today) < 18 else "Voksent barn"


def _add_custody_and_more(family: Family) -> None:
    citizen = family.citizen
    custody = list(Custody.objects.filter(child=citizen).select_related("holder")
                   .order_by("-valid_from"))
    family.custody = [c for c in custody if c.valid_to is None]
    family.custody_history = [c for c in custody if c.valid_to is not None]
    family.custody_of = list(Custody.objects.filter(holder=citizen, valid_to__isnull=True)
                             .select_related("child"))
    family.contact_arrangements = list(
        ContactArrangement.objects.filter(Q(child=citizen) | Q(parent=citizen))
        .select_related("child", "parent").order_by("valid_to", "-valid_from")
    )
    family.guardians = list(Guardianship.objects.filter(ward=citizen).select_related("guardian")
                            .order_by("valid_to", "-valid_from"))
    family.enrollments = list(Enrollment.objects.filter(citizen=citizen)
                              .select_related("unit").order_by("valid_to", "-valid_from"))


def contact_details_of(
    actor: Actor, citizen: Citizen, purpose: Purpose = Purpose.CASEWORK,
) -> list[ContactDetails]:
    """Current and earlier contact details, newest first."""
    if not policy.decide(actor, purpose, citizen.uuid, Category.CONTACT, detail="kontaktdata"):
        raise CitizenNotFound
    return list(citizen.contact_details.order_by("valid_to", "-valid_from"))


# --- changing ---------------------------------------------------------------------------

def _require_write(actor: Actor, citizen: Citizen | None, category: Category, what: str) -> str:
    decision = policy.decide(actor, Purpose.CASEWORK, citizen.uuid if citizen else None,
                             category, action="write", detail=what)
    if not decision.allowed:
        raise AccessDenied(
            message=decision.reason or "Du har ikke adgang til at ændre borgerens data.")
    return _actor_label(actor)


def _actor_label(actor: Actor) -> str:
    if actor is None or not actor.is_authenticated:
        return "system"
    return actor.get_username()


def _emit_citizen(type_: str, citizen: Citizen, actor: str, payload: dict[str, object]) -> None:
    emit(type_, object_type="citizen", object_id=citizen.uuid, citizen=citizen.uuid,
         actor=actor, sensitivity=Sensitivity.CONFIDENTIAL, payload=payload)


@transaction.atomic
def do_register_citizen(
    actor: Actor, *, cpr_number: str, first_name: str, last_name: str, middle_name: str = "",
    address: Address | None = None, moved_in: dt.date | None = None,
) -> Citizen:
    number = parse_cpr(cpr_number)
    label = _require_write(actor, None, Category.MASTER_DATA, "opret borger")
    if Citizen.objects.filter(cpr=number.digits).exists():
        raise InvalidInput("citizen.exists", "Der findes allerede en borger med det CPR-nummer.")
    now = clock.now()
    citizen = Citizen.objects.create(
        cpr=number.digits, birth_date=number.birth_date,
        sex=Citizen.Sex.FEMALE if number.is_female else Citizen.Sex.MALE,
        first_name=first_name.strip(), middle_name=middle_name.strip(),
        last_name=last_name.strip(),
        name_folded=names.fold(f"{first_name} {middle_name} {last_name}"),
        created_at=now, updated_at=now,
    )
    _emit_citizen("people.citizen.registered", citizen, label, {})
    if address is not None:
        _open_residence(citizen, address, moved_in or clock.today(), label)
    return citizen


@transaction.atomic
def do_move(actor: Actor, citizen: Citizen, address: Address, moved_on: dt.date) -> Residence:
    """Register a move. The old residence is closed, never overwritten."""
    label = _require_write(actor, citizen, Category.MASTER_DATA, "flytning")
    current = Residence.objects.select_for_update().filter(
        citizen=citizen, valid_to__isnull=True).first()
    if current is not None:
        if moved_on <= current.valid_from:
            raise InvalidInput("residence.date",
                                "Flyttedatoen skal ligge efter indflytningen på nuværende adresse.")
        current.valid_to = moved_on
        current.save(update_fields=["valid_to"])
    return _open_residence(citizen, address, moved_on, label)


def _open_residence(citizen: Citizen, address: Address, on: dt.date, label: str) -> Residence:
    residence = Residence.objects.create(citizen=citizen, address=address, valid_from=on,
                                         registered_at=clock.now())
    _emit_citizen("people.residence.changed", citizen, label,
                  {"address": str(address.uuid), "valid_from": on.isoformat()})
    return residence


@transaction.atomic
def do_set_custody(
    actor: Actor, child: Citizen, holders: list[Citizen], from_date: dt.date, basis: str = "",
) -> list[Custody]:
    """Replace who holds custody of ``child`` from ``from_date``; earlier rows are closed."""
    if not 1 <= len(holders) <= 2:
        raise InvalidInput("custody.holders", "Forældremyndighed har én eller to indehavere.")
    if any(h.pk == child.pk for h in holders):
        raise InvalidInput("custody.self",
                           "Et barn kan ikke have forældremyndighed over sig selv.")
    if child.age_on(from_date) >= 18:
        raise InvalidInput("custody.adult", "Forældremyndighed gælder kun børn under 18 år.")
    label = _require_write(actor, child, Category.FAMILY, "forældremyndighed")
    Custody.objects.filter(child=child, valid_to__isnull=True).update(valid_to=from_date)
    now = clock.now()
    rows = [Custody.objects.create(child=child, holder=h, valid_from=from_date, basis=basis,
                                   registered_at=now) for h in holders]
    _emit_citizen("people.custody.changed", child, label,
                  {"holders": [str(h.uuid) for h in holders], "valid_from": from_date.isoformat()})
    return rows


@transaction.atomic
def do_set_contact_details(
    actor: Actor, citizen: Citizen, *, phone: str, email: str, preferred_channel: str,
    exempt_from_digital_post: bool = False, note: str = "",
) -> ContactDetails:
    """New contact details from today; the previous version is kept as history."""
    label = _require_write(actor, citizen, Category.CONTACT, "kontaktdata")
    today = clock.today()
    ContactDetails.objects.filter(citizen=citizen, valid_to__isnull=True).update(valid_to=today)
    details = ContactDetails.objects.create(
        citizen=citizen, phone=phone, email=email, preferred_channel=preferred_channel,
        exempt_from_digital_post=exempt_from_digital_post, note=note, valid_from=today,
        registered_at=clock.now(),
    )
    _emit_citizen("people.contact_details.changed", citizen, label,
                  {"preferred_channel": preferred_channel})
    return details
