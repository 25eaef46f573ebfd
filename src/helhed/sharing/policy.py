"""The one door to personal data (ARCHITECTURE.md rule 1).

``decide(actor, purpose, subject, category)`` answers allow or deny with the basis and
writes the access log, for grants and denials alike. Pages, API, exports, search and
notifications call it (through the per-object doors such as
``helhed.people.services.access_citizen`` and ``helhed.cases.access``), never the ORM.

Categories. The person's own data (master data, family, contact) is open to roles that may
look up citizens. For items held by departments (cases, grants, notifications, external
cases, later plans) there are two questions:

- ``Category.CASE``: may the actor know that the item exists, where, who is responsible,
  its status? Yes for roles that may look up citizens — unless the item's data category
  (``CaseScope.category``, a ``sharing.DataCategory``) hides existence (substance abuse,
  mental health, crime): then only with a basis for its content, else the item is
  ``hidden`` and must not be shown at all.
- ``Category.CASE_CONTENT``: may the actor read what is in it? The bases, in order:
  1. own case: the actor is responsible, or works in the item's department ("Egen sag",
     "Egen afdeling");
  2. consent (samtykke): an active ``Consent`` for the subject covering the category,
     from the item's department (or from any, when it names none);
  3. legal basis (hjemmel): an active ``AccessRule`` for one of the actor's roles covering
     the category and purpose, whose condition holds (e.g. the actor's department has an
     open case on the subject or a child of the family);
  4. emergency (akut): an active ``EmergencyAccess`` of the actor covering the subject's
     family; the look is flagged in the log and the access sits in a leader's review queue.

Name and address protection (``Category.PROTECTED_ADDRESS``) opens only with a content
basis for a case of the citizen (own case, legal basis); consent does not open it.

For many items at once (overview, search, notifications) use :class:`Evaluator`: it loads
the actor's roles, rules and emergency accesses once, and consents and family for all
subjects in a few queries, then decides in memory; log what was shown with :func:`record`.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.utils.translation import gettext_noop

from helhed.core import access, clock, sql
from helhed.core.access import Look
from helhed.organisation.models import Role, StaffMember
from helhed.organisation.services import roles_of, staff_of

Actor = AbstractBaseUser | AnonymousUser | None


class Purpose(StrEnum):
    CASEWORK = "sagsbehandling"
    EMERGENCY = "akut"
    ADMINISTRATION = "administration"


class Category(StrEnum):
    """What is being read. Items held by departments carry a data category in their
    ``CaseScope`` as well (``sharing.DataCategory``)."""

    MASTER_DATA = "stamdata"  # name, CPR, address, household
    FAMILY = "familie"  # parents, children, custody, contact arrangements, guardians
    CONTACT = "kontakt"  # phone, e-mail, preferred channel
    # The address, address history and household of a citizen with name and address
    # protection (navne- og adressebeskyttelse, ``Citizen.name_protected``).
    PROTECTED_ADDRESS = "beskyttet_adresse"
    # That a case, notification or grant exists, where, its state and who is responsible.
    CASE = "sag"
    # What is in it: journal, documents, decisions, letters, grants' details, notifications.
    CASE_CONTENT = "sagsindhold"


@dataclass(frozen=True)
class CaseScope:
    """Where an item (a case, a notification, a grant) belongs, for deciding on it.

    Plain ids so that the policy does not import the cases app. ``category`` is the item's
    data category code (``sharing.DataCategory.code``); empty: derived from the department.
    """

    department_id: int | None
    unit_id: int | None = None
    responsible_id: int | None = None  # a StaffMember id
    department_name: str = ""
    category: str = ""
    department_code: str = ""
    responsible_name: str = ""
    responsible_phone: str = ""


LOOKUP_CATEGORIES = frozenset(
    {Category.MASTER_DATA, Category.FAMILY, Category.CONTACT, Category.CASE})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    basis: str
    reason: str = ""
    emergency: bool = False
    # The item's category hides existence and there is no basis: do not show it at all.
    hidden: bool = False

    def __bool__(self) -> bool:
        return self.allowed


# Reasons are Danish in the access log; they are marked (not translated) here so that a page
# showing one can translate it into the reader's language with ``gettext(reason)``.
DENY_ANONYMOUS = Decision(False, "", gettext_noop("Ikke logget ind."))
ROLE_GIVES_NO_ACCESS = gettext_noop("Din rolle giver ikke adgang til disse oplysninger.")
OTHER_DEPARTMENT = gettext_noop(
    "Sagen hører til en anden afdeling. Kontakt den ansvarlige for at få oplysningerne.")
NO_CASE_SCOPE = gettext_noop("Sagsindhold kan kun vises for en bestemt sag.")
HIDDEN = gettext_noop("Oplysningerne vises ikke uden et særligt grundlag.")
READ_ONLY_BASIS = gettext_noop(
    "Samtykke og hjemmel giver adgang til at læse, ikke til at ændre. Kun sagens egen "
    "afdeling kan ændre den.")
ADDRESS_IS_PROTECTED = gettext_noop(
    "Borgeren har navne- og adressebeskyttelse. Adressen vises kun med et særligt grundlag.")


# --- data categories ----------------------------------------------------------------------

@dataclass(frozen=True)
class CategoryInfo:
    code: str
    name: str
    hides_existence: bool


@dataclass
class _Categories:
    by_code: dict[str, CategoryInfo] = field(default_factory=dict)
    by_department: dict[str, str] = field(default_factory=dict)


def _load_categories() -> _Categories:
    from helhed.sharing.models import DataCategory

    found = _Categories()
    for row in DataCategory.objects.order_by("sort_order").values_list(
            "code", "name", "hides_existence", "departments"):
        code, name, hides, departments = row
        found.by_code[code] = CategoryInfo(code, name, hides)
        for department in departments or []:
            found.by_department.setdefault(str(department), code)
    return found


_CACHE: dict[str, tuple[float, _Categories]] = {}
CACHE_SECONDS = 60.0


def categories() -> _Categories:
    """The data categories, kept for a minute per process (and forgotten at once when an
    administrator saves or deletes one: ``sharing.apps`` connects :func:`forget`)."""
    now = time.monotonic()
    cached = _CACHE.get("categories")
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    loaded = _load_categories()
    _CACHE["categories"] = (now, loaded)
    return loaded


def _load_rules() -> list[tuple[_Rule, frozenset[int]]]:
    from helhed.sharing.models import AccessRule

    return [(_Rule(r.code, r.paragraph, frozenset(c.code for c in r.categories.all()),
                   frozenset(r.purposes or []), r.condition,
                   frozenset(r.condition_departments or []),
                   frozenset(r.condition_states or [])),
             frozenset(role.pk for role in r.roles.all()))
            # A target-search rule lets its roles find that items exist (sharing.targets);
            # it never opens their content.
            for r in AccessRule.objects.filter(active=True, allows_target_search=False)
            .order_by("code")
            .prefetch_related("categories", "roles")]


_RULES: dict[str, tuple[float, list[tuple[_Rule, frozenset[int]]]]] = {}


def rules() -> list[tuple[_Rule, frozenset[int]]]:
    """The active legal-basis rules with the roles they serve, kept for a minute per process
    like the categories (an administrator's edit counts at once in the process that saved
    it: ``sharing.apps`` connects :func:`forget`; in other processes within a minute)."""
    now = time.monotonic()
    cached = _RULES.get("rules")
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    loaded = _load_rules()
    _RULES["rules"] = (now, loaded)
    return loaded


def forget(**_: object) -> None:
    _CACHE.clear()
    _RULES.clear()


def category_of_department(code: str, known: _Categories | None = None) -> str:
    """The data category of a department's items (e.g. misbrugscenter → misbrug)."""
    table = known or categories()
    return table.by_department.get(code, "")


def hides_existence(scope: CaseScope) -> bool:
    """Whether the item's data category hides even that it exists (substance abuse,
    mental health …): a refusal must then look like "not found"."""
    table = categories()
    code = scope.category or category_of_department(scope.department_code, table)
    info = table.by_code.get(code)
    return info is not None and info.hides_existence


def who_to_ask(scope: CaseScope) -> str:
    """Who can tell more about an item the reader may not open (Danish, for the page)."""
    who = scope.responsible_name or ""
    where = scope.department_name or ""
    phone = f" (tlf. {scope.responsible_phone})" if scope.responsible_phone else ""
    if who and where:
        return f"Kontakt {who}, {where}{phone}."
    if where:
        return f"Kontakt {where}."
    return "Kontakt den ansvarlige afdeling."


# --- the evaluator ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Rule:
    code: str
    paragraph: str
    categories: frozenset[str]
    purposes: frozenset[str]
    condition: str
    condition_departments: frozenset[str]
    condition_states: frozenset[str]


@dataclass(frozen=True)
class _Consent:
    categories: frozenset[str]
    departments: frozenset[int]  # empty: from every department
    valid_from: dt.date
    valid_to: dt.date
    label: str


class Evaluator:
    """Decisions for one actor and purpose, loaded once and answered in memory."""

    def __init__(self, actor: Actor, purpose: Purpose) -> None:
        self.actor = actor
        self.purpose = purpose
        self.active = actor is not None and actor.is_authenticated and actor.is_active
        self.staff: StaffMember | None = staff_of(actor) if self.active else None
        self.roles: list[Role] = roles_of(actor) if self.active else []
        self.lookup_role = min((r.name for r in self.roles if r.may_look_up_citizens),
                               default=None)
        self.department_id = (self.staff.unit.department_id
                              if self.staff is not None and self.staff.unit is not None
                              else None)
        self._categories: _Categories | None = None
        self._rules: list[_Rule] | None = None
        self._consents: dict[uuid.UUID, list[_Consent]] = {}
        # subject → {(department code, state, "self" | "family")} of the actor's open cases
        self._open_cases: dict[uuid.UUID, frozenset[tuple[str, str, str]]] = {}
        self._emergency: list[tuple[frozenset[uuid.UUID], str]] | None = None
        self._loaded: set[uuid.UUID] = set()

    # -- loading --
    @property
    def categories(self) -> _Categories:
        if self._categories is None:
            self._categories = categories()
        return self._categories

    def _load_rules(self) -> list[_Rule]:
        if self._rules is None:
            role_ids = {r.pk for r in self.roles}
            self._rules = [rule for rule, roles in rules() if roles & role_ids]
        return self._rules

    def _load_emergency(self) -> list[tuple[frozenset[uuid.UUID], str]]:
        if self._emergency is None:
            from helhed.sharing.models import EmergencyAccess

            self._emergency = []
            if self.active:
                now = connection.ops.adapt_datetimefield_value(clock.now())
                rows = sql.select(
                    f"SELECT family, reason FROM {sql.table(EmergencyAccess)} "  # noqa: S608
                    "WHERE actor_id = %s AND ended_at IS NULL AND started_at <= %s "
                    "AND expires_at > %s", [getattr(self.actor, "pk", None), now, now])
                for family, reason in rows:
                    members = json.loads(family) if isinstance(family, str) else family
                    self._emergency.append(
                        (frozenset(uuid.UUID(str(u)) for u in members), reason))
        return self._emergency

    def preload(self, subjects: Iterable[uuid.UUID | None],
                known: Mapping[uuid.UUID, int] | None = None) -> None:
        """Load consents, family and the actor's open cases for these subjects at once, in
        three to five small statements (raw SQL: the door is asked on every page, and the
        ORM's compiling cost more than the queries). ``known`` maps subjects to their
        citizens' database ids where the caller has them (saves looking them up)."""
        wanted = {s for s in subjects if s is not None} - self._loaded
        if not wanted or not self.active:
            return
        from helhed.people.kinship import family_ids
        from helhed.people.models import Citizen

        self._loaded |= wanted
        for subject in wanted:
            self._consents.setdefault(subject, [])
        pk_of = {s: known[s] for s in wanted if known is not None and s in known}
        if len(pk_of) < len(wanted):
            pk_of.update(Citizen.objects.filter(uuid__in=wanted - pk_of.keys())
                         .values_list("uuid", "pk"))
        self._load_consents(pk_of)
        # The family as ``people.kinship`` defines it (the same for emergency access and
        # subscriptions), by database id: PostgreSQL then filters on the foreign-key
        # indexes (an OR on UUIDs through joins made it scan the whole relation table).
        kin = family_ids(pk_of.values())
        members = sorted(set(pk_of.values()).union(*kin.values()))
        open_on = self._open_cases_on(members)
        for subject in wanted:
            held: set[tuple[str, str, str]] = set()
            pk = pk_of.get(subject)
            if pk is not None:
                for member in {pk} | kin.get(pk, set()):
                    place = "self" if member == pk else "family"
                    held |= {(code, state, place) for code, state in open_on.get(member, ())}
            self._open_cases[subject] = frozenset(held)

    def _load_consents(self, pk_of: Mapping[uuid.UUID, int]) -> None:
        """The subjects' consents in force today, with their categories and departments."""
        from helhed.sharing.models import Consent, DataCategory

        if not pk_of:
            return
        subject_of = {pk: subject for subject, pk in pk_of.items()}
        ids = list(subject_of)
        today = connection.ops.adapt_datefield_value(clock.today())
        found = sql.select(
            f"SELECT id, citizen_id, valid_from, valid_to FROM {sql.table(Consent)} "  # noqa: S608
            f"WHERE citizen_id IN ({sql.marks(ids)}) AND withdrawn_at IS NULL "
            "AND valid_from <= %s AND valid_to >= %s "
            # A consent to share with providers opens nothing to staff.
            f"AND NOT EXISTS (SELECT 1 FROM {sql.table(Consent.to_providers.through)} t "
            f"WHERE t.consent_id = {sql.table(Consent)}.id) ORDER BY id", [*ids, today, today])
        if not found:
            return
        consent_ids = [row[0] for row in found]
        marks = sql.marks(consent_ids)
        kinds, places_of = Consent.categories.through, Consent.from_departments.through
        codes: dict[int, set[str]] = defaultdict(set)
        for consent, code in sql.select(
                f"SELECT t.consent_id, k.code FROM {sql.table(kinds)} t "  # noqa: S608
                f"JOIN {sql.table(DataCategory)} k ON k.id = t.datacategory_id "
                f"WHERE t.consent_id IN ({marks})", consent_ids):
            codes[consent].add(code)
        places: dict[int, set[int]] = defaultdict(set)
        for consent, department in sql.select(
                f"SELECT consent_id, department_id FROM {sql.table(places_of)} "  # noqa: S608
                f"WHERE consent_id IN ({marks})", consent_ids):
            places[consent].add(department)
        for consent, citizen, valid_from, valid_to in found:
            start, end = sql.as_date(valid_from), sql.as_date(valid_to)
            self._consents[subject_of[citizen]].append(_Consent(
                frozenset(codes[consent]), frozenset(places[consent]), start, end,
                f"Samtykke {start:%d.%m.%Y}–{end:%d.%m.%Y}"))

    def _open_cases_on(self, members: list[int]) -> dict[int, set[tuple[str, str]]]:
        """(department code, state) of the open cases of the actor or the actor's
        department on these citizens, by citizen id."""
        from helhed.cases.models import Case
        from helhed.organisation.models import Department

        open_on: dict[int, set[tuple[str, str]]] = defaultdict(set)
        if self.staff is None or not members:
            return open_on
        mine, params = "c.responsible_id = %s", [self.staff.pk]
        if self.department_id is not None:
            mine, params = f"({mine} OR c.department_id = %s)", [*params, self.department_id]
        for citizen, code, state in sql.select(
                f"SELECT c.citizen_id, d.code, c.state FROM {sql.table(Case)} c "  # noqa: S608
                f"JOIN {sql.table(Department)} d ON d.id = c.department_id WHERE {mine} "
                f"AND c.state <> %s AND c.citizen_id IN ({sql.marks(members)})",
                [*params, Case.State.CLOSED.value, *members]):
            open_on[citizen].add((code, state))
        return open_on

    # -- deciding --
    def decide(self, subject: uuid.UUID | None, category: Category,
               scope: CaseScope | None = None) -> Decision:
        if not self.active:
            return DENY_ANONYMOUS
        if category is Category.CASE_CONTENT:
            return self._content(subject, scope)
        if category is Category.CASE:
            return self._existence(subject, scope)
        if category is Category.PROTECTED_ADDRESS:
            return self._protected_address(subject)
        if (category in LOOKUP_CATEGORIES and self.lookup_role
                and self.purpose in (Purpose.CASEWORK, Purpose.ADMINISTRATION)):
            return Decision(True, f"Rolle: {self.lookup_role}")
        return Decision(False, "", ROLE_GIVES_NO_ACCESS)

    def _category_of(self, scope: CaseScope | None) -> str:
        if scope is None:
            return ""
        if scope.category:
            return scope.category
        if scope.department_code:
            return category_of_department(scope.department_code, self.categories)
        return ""

    def _existence(self, subject: uuid.UUID | None, scope: CaseScope | None) -> Decision:
        if not self.lookup_role or self.purpose not in (Purpose.CASEWORK,
                                                        Purpose.ADMINISTRATION):
            return Decision(False, "", ROLE_GIVES_NO_ACCESS)
        code = self._category_of(scope)
        info = self.categories.by_code.get(code)
        if info is not None and info.hides_existence:
            content = self._content(subject, scope)
            if content.allowed:
                return content
            return Decision(False, "", HIDDEN, hidden=True)
        return Decision(True, f"Rolle: {self.lookup_role}")

    def _protected_address(self, subject: uuid.UUID | None) -> Decision:
        if subject is None or self.staff is None:
            return Decision(False, "", ADDRESS_IS_PROTECTED)
        self.preload([subject])
        if any(place == "self" for _, _, place in self._open_cases.get(subject, ())):
            return Decision(True, "Egen sag med borgeren")
        return Decision(False, "", ADDRESS_IS_PROTECTED)

    def _content(self, subject: uuid.UUID | None, scope: CaseScope | None) -> Decision:
        if scope is None:
            return Decision(False, "", NO_CASE_SCOPE)
        if self.purpose not in (Purpose.CASEWORK, Purpose.ADMINISTRATION, Purpose.EMERGENCY):
            return Decision(False, "", ROLE_GIVES_NO_ACCESS)
        if not self.lookup_role or self.staff is None:
            return Decision(False, "", ROLE_GIVES_NO_ACCESS)
        # 1. own case or own department
        if scope.responsible_id is not None and self.staff.pk == scope.responsible_id:
            return Decision(True, "Egen sag")
        if self.department_id is not None and self.department_id == scope.department_id:
            return Decision(True, f"Egen afdeling: {scope.department_name}".strip())
        if subject is None:
            return Decision(False, "", OTHER_DEPARTMENT)
        code = self._category_of(scope)
        self.preload([subject])
        # 2. consent
        for consent in self._consents.get(subject, ()):
            if code and code in consent.categories and (
                    not consent.departments or scope.department_id in consent.departments):
                return Decision(True, consent.label)
        # 3. a legal-basis rule
        for rule in self._load_rules():
            if code not in rule.categories or str(self.purpose) not in rule.purposes:
                continue
            if self._condition_holds(rule, subject):
                return Decision(True, f"Hjemmel: {rule.paragraph}")
        # 4. emergency
        # The reason stays with the emergency access (the leader reviews it); the access
        # log, which the citizen will read, says only that it was an emergency access.
        for family, _reason in self._load_emergency():
            if subject in family:
                return Decision(True, "Akut adgang (døgnvagt)", emergency=True)
        return Decision(False, "", OTHER_DEPARTMENT)

    def _condition_holds(self, rule: _Rule, subject: uuid.UUID) -> bool:
        from helhed.sharing.models import AccessRule

        if rule.condition == AccessRule.Condition.NONE:
            return True
        places = {"self"} if rule.condition == AccessRule.Condition.OPEN_CASE_ON_SUBJECT \
            else {"self", "family"}
        return any(department in rule.condition_departments and place in places
                   and (not rule.condition_states or state in rule.condition_states)
                   for department, state, place in self._open_cases.get(subject, ()))

    def target_search_rule(self) -> tuple[str, str] | None:
        """(code, paragraph + name) of a rule that lets the actor search target groups."""
        from helhed.sharing.models import AccessRule

        if not self.active or not self.roles:
            return None
        rule = (AccessRule.objects.filter(active=True, allows_target_search=True,
                                          roles__in=[r.pk for r in self.roles])
                .order_by("code").first())
        return (rule.code, f"{rule.paragraph}: {rule.name}") if rule else None


# --- the module's door --------------------------------------------------------------------

def evaluate(actor: Actor, purpose: Purpose, category: Category,
             scope: CaseScope | None = None, subject: uuid.UUID | None = None) -> Decision:
    """The decision without logging; used by ``decide`` and by list filters."""
    return Evaluator(actor, purpose).decide(subject, category, scope)


def look(decision: Decision, subject: uuid.UUID | None, category: Category | str, *,
         purpose: Purpose, action: str = "read", detail: str = "",
         scope: CaseScope | None = None) -> Look:  # noqa: ARG001 - the scope is for callers' symmetry
    """One access-log entry for a decision (see :func:`record`)."""
    return Look(subject=subject, category=str(category), action=action, purpose=str(purpose),
                basis=decision.basis, allowed=decision.allowed, emergency=decision.emergency,
                detail=detail or decision.reason)


def record(actor: Actor, looks: Sequence[Look]) -> int:
    """Write the access log for decisions an :class:`Evaluator` made (one statement)."""
    return access.record(actor, looks) if looks else 0


def decide(
    actor: Actor,
    purpose: Purpose,
    subject: uuid.UUID | None,
    category: Category,
    *,
    action: str = "read",
    detail: str = "",
    scope: CaseScope | None = None,
) -> Decision:
    """Decide one access and log it. ``scope`` says which item the data belongs to (needed
    for ``Category.CASE_CONTENT``, and for ``Category.CASE`` of a hidden category).

    Writing case content (``action="write"``) needs a basis of one's own: own case, own
    department, or emergency access (flagged and reviewed). Consent and legal-basis rules
    are for exchanging information: they open reading, never changing."""
    decision = Evaluator(actor, purpose).decide(subject, category, scope)
    if (action == "write" and category is Category.CASE_CONTENT and decision.allowed
            and not decision.emergency and not decision.basis.startswith("Egen ")):
        decision = Decision(False, "", READ_ONLY_BASIS)
    access.record(actor, [look(decision, subject, category, purpose=purpose, action=action,
                               detail=detail, scope=scope)])
    return decision


def decide_many(
    actor: Actor,
    purpose: Purpose,
    subjects: Sequence[uuid.UUID],
    category: Category,
    *,
    action: str = "read",
    detail: str = "",
    scope: CaseScope | None = None,
) -> Decision:
    """Decide one category for several citizens at once (e.g. a family), logging each.
    Only for categories that do not depend on the subject (master data, family, contact,
    case metadata without a hidden category)."""
    evaluator = Evaluator(actor, purpose)
    decision = evaluator.decide(subjects[0] if subjects else None, category, scope)
    access.record(actor, [look(decision, s, category, purpose=purpose, action=action,
                               detail=detail, scope=scope) for s in subjects])
    return decision

