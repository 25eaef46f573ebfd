"""The doors to citizens' data and the operations that change it.

Views and API routes call only these functions. Reads (here) go through the policy door
and are logged; writes (``changes``, re-exported here so callers have one module to call)
run in one transaction with their history and outbox event.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_noop

from helhed.core import clock, cpr
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.people import names
from helhed.people.changes import (
    AddressUnknown,
    GuardianshipNotFound,
    ReferenceUnknown,
    do_appoint_guardian,
    do_create_address,
    do_end_guardianship,
    do_move,
    do_register_citizen,
    do_set_contact_arrangement,
    do_set_contact_details,
    do_set_custody,
)
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
from helhed.people.rules import parse_cpr
from helhed.sharing import policy
from helhed.sharing.policy import Actor, Category, Purpose

__all__ = [
    "AddressProtected", "AddressUnknown", "CitizenNotFound", "Family", "GuardianshipNotFound",
    "ReferenceUnknown", "Relative", "SearchResult", "access_citizen", "contact_arrangements_of",
    "contact_details_of", "current_addresses", "do_appoint_guardian", "do_create_address",
    "do_end_guardianship", "do_move", "do_register_citizen", "do_set_contact_arrangement",
    "do_set_contact_details", "do_set_custody", "family_of", "guardianships_of", "parse_cpr",
    "residences_of", "search_citizens",
]

MAX_RESULTS = 25
# Dated rows in the order people read them: the current ones, then the latest ended first.
# (Explicit about NULLs: SQLite puts them first, PostgreSQL last.)
CURRENT_FIRST = (F("valid_to").desc(nulls_first=True), "-valid_from", "-pk")


class CitizenNotFound(NotFound):
    """No such citizen, or none the actor may see (the two are not told apart)."""

    code = "citizen.not_found"
    message = gettext_noop("Borgeren findes ikke, eller du har ikke adgang til borgeren.")


class AddressProtected(AccessDenied):
    """The citizen has name and address protection and the actor has no basis for the
    address (``Category.PROTECTED_ADDRESS``)."""

    code = "address.protected"
    message = policy.ADDRESS_IS_PROTECTED


def _address_withheld(actor: Actor, citizen: Citizen, purpose: Purpose) -> bool:
    """Whether the citizen's address, address history and household must be left out: the
    citizen is protected and the door (asked and logged only then) gives no basis."""
    if not citizen.name_protected:
        return False
    return not policy.decide(actor, purpose, citizen.uuid, Category.PROTECTED_ADDRESS,
                             detail="adresse")


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
                           gettext_noop("Skriv mindst to tegn: et navn eller et CPR-nummer."),
                           field="q")
    if len(text) > 100:
        raise InvalidInput("search.too_long", gettext_noop("Søgeteksten må højst være 100 tegn."),
                           field="q")
    if cpr.looks_like_cpr(text):
        digits = cpr.normalise(text)
        if len(digits) == 6:
            return Citizen.objects.filter(cpr__startswith=digits), "birth_date"
        if len(digits) != 10:
            raise InvalidInput(
                "search.cpr_length",
                gettext_noop("Skriv et helt CPR-nummer (10 cifre) "
                             "eller en fødselsdato (DDMMÅÅ, 6 cifre)."),
                field="q",
            )
        number = parse_cpr(digits, field="q")
        return Citizen.objects.filter(cpr=number.digits), "cpr"
    words = names.tokens(text)
    if not words:
        raise InvalidInput("search.no_words",
                           gettext_noop("Søgningen skal indeholde bogstaver eller cifre."),
                           field="q")
    if len(words) > 6:
        raise InvalidInput("search.too_many_words",
                           gettext_noop("Brug højst seks ord i en navnesøgning."),
                           field="q")
    condition = Q()
    for word in words:
        condition &= Q(name_folded__startswith=word) | Q(name_folded__contains=f" {word}")
    return Citizen.objects.filter(condition), "name"


@dataclass
class Relative:
    """A relative as the family view shows one. ``relation`` is a Danish word marked for
    translation ("Mor", "Helsøskende", "Samboende"): the API gives it as it is, pages
    translate it (``{% translate relative.relation %}``)."""

    citizen: Citizen
    relation: str
    same_household: bool | None  # None: not told (a protected address is involved)
    address: Address | None = None
    note: str = ""
    address_withheld: bool = False


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
    # The citizen has name and address protection and the actor no basis: the address, the
    # residences and the household are left out.
    address_withheld: bool = False

    def everyone(self) -> list[Citizen]:
        seen: dict[int, Citizen] = {}
        for group in (self.household, self.parents, self.children, self.siblings):
            for relative in group:
                seen.setdefault(relative.citizen.pk, relative.citizen)
        return list(seen.values())


def current_addresses(citizen_ids: list[int]) -> dict[int, Address]:
    rows = Residence.objects.filter(citizen_id__in=citizen_ids, valid_to__isnull=True)
    return {r.citizen_id: r.address for r in rows.select_related("address")}


def _parent_word(link: ParentChild) -> str:
    """The Danish label of the parent's kind (the model's choice, marked there), whatever
    language is active: like the other relation words, it is translated on the page."""
    with translation.override(None):
        return str(link.get_kind_display())


def _sibling_kind(mine: set[int], theirs: set[int]) -> str:
    return gettext_noop("Helsøskende") if mine and mine == theirs else gettext_noop("Halvsøskende")


def family_of(actor: Actor, citizen: Citizen, purpose: Purpose = Purpose.CASEWORK, *,
              details: bool = True) -> Family:
    """The citizen's household, parents, children, siblings across households, custody,
    contact arrangements and guardians. Logs a family look at the citizen and a master-data
    look at every relative shown.

    ``details=False`` gives the relations only: who, and whether they live with the citizen,
    but no addresses, address history, custody, contact arrangements, guardians or
    enrolments (the family overview shows none of them; seven queries fewer). The relations
    themselves are one statement (``_relations``).

    Name and address protection: a protected citizen's address, residences and household
    are shown only with a ``Category.PROTECTED_ADDRESS`` basis (asked and logged here); a
    protected relative's address is never shown here and whether they live with the citizen
    is not told. Without the citizen's own address, no relative's co-residence is told, and
    the address of a relative living there is left out too (it is the same address)."""
    if not policy.decide(actor, purpose, citizen.uuid, Category.FAMILY, detail="familievisning"):
        raise CitizenNotFound
    today = clock.today()
    withheld = _address_withheld(actor, citizen, purpose)
    residences = (list(citizen.residences.select_related("address").order_by("-valid_from"))
                  if details else [])
    home = next((r.address for r in residences if r.valid_to is None), None)
    if withheld:
        family = Family(citizen=citizen, address=None, address_withheld=True)
    else:
        family = Family(citizen=citizen, address=home, residences=residences)

    relations = _relations(citizen)
    parent_links = [ParentChild(parent=person, child=citizen, kind=kind)
                    for rel, kind, _, person in relations if rel == "parent"]
    child_links = [ParentChild(parent=citizen, child=person, kind=kind)
                   for rel, kind, _, person in relations if rel == "child"]
    sibling_links = [ParentChild(parent_id=parent, child=person, kind=kind)
                     for rel, kind, parent, person in relations
                     if rel == "sibling" and parent is not None]
    parent_ids = {link.parent_id for link in parent_links}
    sibling_parents: dict[int, set[int]] = {}
    for link in sibling_links:
        sibling_parents.setdefault(link.child_id, set()).add(link.parent_id)
    housemates = [] if withheld else [
        Residence(citizen=person) for rel, _, _, person in relations if rel == "housemate"]
    ids = [link.parent_id for link in parent_links] + [link.child_id for link in child_links]
    ids += list(sibling_parents) + [r.citizen_id for r in housemates]
    addresses = current_addresses(ids) if details else {}
    housemate_ids = {r.citizen_id for r in housemates}

    def relative(person: Citizen, relation: str) -> Relative:
        address = addresses.get(person.pk)
        if person.name_protected or (withheld and address is not None and address == home):
            return Relative(person, relation, None, None, address_withheld=True)
        together = None if withheld else person.pk in housemate_ids
        return Relative(person, relation, together, address)

    family.parents = [relative(link.parent, _parent_word(link)) for link in parent_links]
    family.children = [
        relative(link.child, _child_word(link.child, today)) for link in child_links
    ]
    siblings = {link.child_id: link.child for link in sibling_links}
    family.siblings = sorted(
        (relative(s, _sibling_kind(parent_ids, sibling_parents[s.pk])) for s in siblings.values()),
        key=lambda r: r.citizen.birth_date,
    )
    known = {r.citizen.pk for r in family.parents + family.children + family.siblings}
    # A protected housemate is left out: being listed would tell where they live.
    family.household = [relative(r.citizen, gettext_noop("Samboende")) for r in housemates
                        if r.citizen_id not in known and not r.citizen.name_protected]
    if details:
        _add_custody_and_more(family)
    policy.decide_many(actor, purpose, [c.uuid for c in family.everyone()],
                       Category.MASTER_DATA, detail="vist i familievisning")
    return family


_RELATION_ORDER = {"parent": 0, "child": 1, "sibling": 2, "housemate": 3}


def _relations(citizen: Citizen) -> list[tuple[str, str, int | None, Citizen]]:
    """(relation, link kind, the link's parent id, the relative) of the citizen's parents,
    children, siblings (one row per shared parent) and housemates at the current address,
    in one statement; in the order the links were registered within each relation."""
    pc, res, cit = (ParentChild._meta.db_table, Residence._meta.db_table,
                    Citizen._meta.db_table)
    columns = ", ".join(f"c.{f.column}" for f in Citizen._meta.concrete_fields)
    # Only table and column names are formatted in; the citizen's id is a parameter.
    sql = (
        f"SELECT {columns}, 'parent' AS rel, pc.kind AS link_kind, "  # noqa: S608
        f"pc.parent_id AS link_parent, pc.id AS link_order FROM {pc} pc "
        f"JOIN {cit} c ON c.id = pc.parent_id WHERE pc.child_id = %s "
        f"UNION ALL SELECT {columns}, 'child', pc.kind, pc.parent_id, pc.id FROM {pc} pc "
        f"JOIN {cit} c ON c.id = pc.child_id WHERE pc.parent_id = %s "
        f"UNION ALL SELECT {columns}, 'sibling', pc.kind, pc.parent_id, pc.id FROM {pc} pc "
        f"JOIN {cit} c ON c.id = pc.child_id WHERE pc.child_id <> %s AND pc.parent_id IN "
        f"(SELECT parent_id FROM {pc} WHERE child_id = %s) "
        f"UNION ALL SELECT {columns}, 'housemate', '', NULL, r.id FROM {res} r "
        f"JOIN {cit} c ON c.id = r.citizen_id WHERE r.valid_to IS NULL "
        f"AND r.citizen_id <> %s AND r.address_id IN "
        f"(SELECT address_id FROM {res} WHERE citizen_id = %s AND valid_to IS NULL)")
    found = [(str(getattr(c, "rel")), int(getattr(c, "link_order")),  # noqa: B009
              str(getattr(c, "link_kind")), getattr(c, "link_parent"), c)  # noqa: B009
             for c in Citizen.objects.raw(sql, [citizen.pk] * 6)]
    found.sort(key=lambda row: (_RELATION_ORDER[row[0]], row[1]))
    return [(rel, kind, parent, person) for rel, _, kind, parent, person in found]


def _child_word(child: Citizen, today: dt.date) -> str:
    return gettext_noop("Barn") if child.age_on(today) < 18 else gettext_noop("Voksent barn")


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
        .select_related("child", "parent").order_by(*CURRENT_FIRST)
    )
    family.guardians = list(Guardianship.objects.filter(ward=citizen).select_related("guardian")
                            .order_by(*CURRENT_FIRST))
    family.enrollments = list(Enrollment.objects.filter(citizen=citizen)
                              .select_related("unit").order_by(*CURRENT_FIRST))


def contact_details_of(
    actor: Actor, citizen: Citizen, purpose: Purpose = Purpose.CASEWORK,
) -> list[ContactDetails]:
    """Current and earlier contact details, newest first."""
    if not policy.decide(actor, purpose, citizen.uuid, Category.CONTACT, detail="kontaktdata"):
        raise CitizenNotFound
    return list(citizen.contact_details.order_by(*CURRENT_FIRST))


def residences_of(
    actor: Actor, citizen: Citizen, purpose: Purpose = Purpose.CASEWORK,
) -> list[Residence]:
    """Every address the citizen has lived at, newest first. For a citizen with name and
    address protection only with a ``Category.PROTECTED_ADDRESS`` basis (``AddressProtected``
    otherwise)."""
    if not policy.decide(actor, purpose, citizen.uuid, Category.MASTER_DATA,
                         detail="bopælshistorik"):
        raise CitizenNotFound
    if _address_withheld(actor, citizen, purpose):
        raise AddressProtected
    return list(citizen.residences.select_related("address").order_by("-valid_from", "-pk"))


def contact_arrangements_of(
    actor: Actor, citizen: Citizen, purpose: Purpose = Purpose.CASEWORK,
) -> list[ContactArrangement]:
    """Contact arrangements where the citizen is the child or the parent, current first."""
    if not policy.decide(actor, purpose, citizen.uuid, Category.FAMILY, detail="samvær"):
        raise CitizenNotFound
    rows = list(ContactArrangement.objects.filter(Q(child=citizen) | Q(parent=citizen))
                .select_related("child", "parent").order_by(*CURRENT_FIRST))
    others = {r.parent.uuid if r.child_id == citizen.pk else r.child.uuid for r in rows}
    policy.decide_many(actor, purpose, sorted(others), Category.MASTER_DATA,
                       detail="vist i samværsordninger")
    return rows


def guardianships_of(
    actor: Actor, citizen: Citizen, purpose: Purpose = Purpose.CASEWORK,
) -> list[Guardianship]:
    """The citizen's guardianships (værgemål), current first."""
    if not policy.decide(actor, purpose, citizen.uuid, Category.FAMILY, detail="værgemål"):
        raise CitizenNotFound
    rows = list(Guardianship.objects.filter(ward=citizen).select_related("guardian")
                .order_by(*CURRENT_FIRST))
    guardians = {r.guardian.uuid for r in rows if r.guardian is not None}
    policy.decide_many(actor, purpose, sorted(guardians), Category.MASTER_DATA,
                       detail="vist som værge")
    return rows
