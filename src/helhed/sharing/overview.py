"""The citizen and family overview (cpr-knap, issue 4 K1).

For a citizen and the family (household, parents, children, siblings across households)
every item any department holds on them — cases, grants, notifications (only where the
reader may read the children's department's content), case metadata pushed in by other
systems, and (issue 5) plans — as metadata: what, where, who is responsible, status, since
when, and the data category. Each item either opens (``may_open``: the door gives a basis
for its content, shown as Egen sag / Samtykke / Hjemmel / Akut) or says who to ask; an item
whose category hides existence is left out entirely when the reader has no basis.

Speed: a constant number of queries whatever the number of items — the family (one door
call, ``people.services.family_of``), the door's preload for the whole family, one query
per kind of item (``values()`` with the joins it needs, on the indexes ``case_citizen_dept``,
``grant_citizen``, ``notification_child`` and ``external_case_citizen``) and one insert
into the access log: one look per citizen × data category shown, not one per item.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from helhed.cases.models import Case, Grant, Notification
from helhed.core import access, sql
from helhed.core.access import Look
from helhed.organisation.models import Department, StaffMember, Unit
from helhed.people import services as people
from helhed.people.models import Citizen
from helhed.people.services import Family
from helhed.sharing import policy
from helhed.sharing.models import DataCategory, ExternalCase
from helhed.sharing.policy import Actor, CaseScope, Category, Decision, Evaluator, Purpose

SELF = gettext_noop("Borgeren")
HELHED = "helhed"
CHILDREN_DEPARTMENT = "boernesocial"
CHILDREN_CATEGORY = "boernesag"


class Kind:
    CASE = "sag"
    GRANT = "bevilling"
    NOTIFICATION = "underretning"
    EXTERNAL = "ekstern_sag"
    PLAN = "plan"  # issue 5


KIND_LABELS = {
    Kind.CASE: gettext_noop("Sag"),
    Kind.GRANT: gettext_noop("Bevilling"),
    Kind.NOTIFICATION: gettext_noop("Underretning"),
    Kind.EXTERNAL: gettext_noop("Sag i andet system"),
    Kind.PLAN: gettext_noop("Plan"),
}

# The four bases a page names (the door's basis text says more, e.g. which consent).
BASIS_OWN = gettext_noop("Egen sag")
BASIS_CONSENT = gettext_noop("Samtykke")
BASIS_LEGAL = gettext_noop("Hjemmel")
BASIS_EMERGENCY = gettext_noop("Akut")


def basis_kind(decision: Decision) -> str:
    """Egen sag / Samtykke / Hjemmel / Akut for an allowed content decision."""
    if decision.emergency or decision.basis.startswith("Akut"):
        return BASIS_EMERGENCY
    if decision.basis.startswith("Samtykke"):
        return BASIS_CONSENT
    if decision.basis.startswith("Hjemmel"):
        return BASIS_LEGAL
    return BASIS_OWN


@dataclass(frozen=True)
class Source:
    """One item as read from its table, before the door has had its say."""

    kind: str
    uuid: uuid.UUID
    citizen_id: int
    title: str
    state: str
    state_label: str  # Danish source text (translated on pages)
    active: bool
    since: dt.date
    until: dt.date | None
    scope: CaseScope
    url_name: str = ""  # the page that opens it, given its uuid
    system: str = HELHED
    contact: str = ""  # a free-text contact (external cases)
    content_only: bool = False  # shown only where its content may be read (notifications)


@dataclass(frozen=True)
class Item:
    """An item as the overview shows it."""

    kind: str
    kind_label: str
    id: uuid.UUID
    title: str
    department: str
    department_name: str
    responsible: str
    contact: str
    status: str
    status_label: str
    active: bool
    since: dt.date
    until: dt.date | None
    category: str
    category_name: str
    source: str
    may_open: bool
    url: str
    basis: str
    basis_kind: str
    ask: str
    emergency: bool

    @property
    def ask_inline(self) -> str:
        """``ask`` to follow "Findes – " ("Findes – kontakt Dorte Dahl, Jobcenter.")."""
        return self.ask[:1].lower() + self.ask[1:]


@dataclass
class PersonOverview:
    citizen: Citizen
    relation: str  # Danish source text ("Borgeren", "Mor", "Halvsøskende" …)
    items: list[Item] = field(default_factory=list)


@dataclass
class Overview:
    citizen: Citizen
    family: Family
    people: list[PersonOverview]

    @property
    def items(self) -> list[Item]:
        return [item for person in self.people for item in person.items]


# --- where items come from ----------------------------------------------------------------

SourceReader = Callable[[list[int]], Iterable[Source]]


def _name(first: str | None, last: str | None) -> str:
    return " ".join(p for p in (first, last) if p)


@functools.cache
def _label(choices: Any, value: str) -> str:
    """The Danish source text of a choice's label (pages translate it); labels are code,
    so they are looked up once per process."""
    with translation.override(None):
        try:
            return str(choices(value).label)
        except ValueError:
            return value


def _uuid(value: Any) -> uuid.UUID:
    """PostgreSQL gives UUIDs, SQLite their 32 hex digits."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


# The responsible caseworker and the unit of the case ``alias``: name and phone to ask.
_WHO = ("{a}.responsible_id, u.first_name, u.last_name, s.phone, {a}.unit_id, un.phone")


def _joins_who(alias: str) -> str:
    return (f"LEFT JOIN {sql.table(StaffMember)} s ON s.id = {alias}.responsible_id "
            f"LEFT JOIN {sql.table(get_user_model())} u ON u.id = s.user_id "
            f"LEFT JOIN {sql.table(Unit)} un ON un.id = {alias}.unit_id")


def _scope_of(department: tuple[Any, Any, Any], who: tuple[Any, ...], category: str
              ) -> CaseScope:
    """The scope from (department id, code, name) and the ``_WHO`` columns."""
    responsible_id, first, last, phone, unit_id, unit_phone = who
    return CaseScope(department_id=department[0], unit_id=unit_id,
                     responsible_id=responsible_id, department_name=department[2] or "",
                     department_code=department[1] or "", category=category,
                     responsible_name=_name(first, last), responsible_phone=phone or unit_phone
                     or "")


def _cases(citizen_ids: list[int]) -> Iterable[Source]:
    known = policy.categories()
    rows = sql.select(
        f"SELECT c.uuid, c.citizen_id, c.number, c.title, c.state, c.opened_at, "  # noqa: S608
        f"c.closed_at, c.department_id, d.code, d.name, {_WHO.format(a='c')} "
        f"FROM {sql.table(Case)} c JOIN {sql.table(Department)} d ON d.id = c.department_id "
        f"{_joins_who('c')} WHERE c.citizen_id IN ({sql.marks(citizen_ids)})", citizen_ids)
    for key, citizen, number, title, state, opened, closed, *department_who in rows:
        department, who = department_who[:3], department_who[3:]
        category = policy.category_of_department(department[1], known)
        yield Source(
            Kind.CASE, _uuid(key), citizen, f"{number} {title}", state,
            _label(Case.State, state), state != Case.State.CLOSED, sql.as_date(opened),
            sql.as_date(closed) if closed else None, _scope_of(tuple(department), tuple(who),
                                                        category),
            url_name="case-detail")


def _grants(citizen_ids: list[int]) -> Iterable[Source]:
    known = policy.categories()
    rows = sql.select(
        f"SELECT g.uuid, g.citizen_id, g.title, g.state, g.valid_from, g.valid_to, "  # noqa: S608
        f"g.department_id, d.code, d.name, {_WHO.format(a='c')} "
        f"FROM {sql.table(Grant)} g JOIN {sql.table(Department)} d ON d.id = g.department_id "
        f"LEFT JOIN {sql.table(Case)} c ON c.id = g.case_id "
        f"{_joins_who('c')} WHERE g.citizen_id IN ({sql.marks(citizen_ids)})", citizen_ids)
    for key, citizen, title, state, valid_from, valid_to, *department_who in rows:
        department, who = department_who[:3], department_who[3:]
        category = policy.category_of_department(department[1], known)
        yield Source(
            Kind.GRANT, _uuid(key), citizen, title, state, _label(Grant.State, state),
            state == Grant.State.ACTIVE, sql.as_date(valid_from),
            sql.as_date(valid_to) if valid_to else None,
            _scope_of(tuple(department), tuple(who), category), url_name="grant-detail")


def _notifications(citizen_ids: list[int]) -> Iterable[Source]:
    rows = sql.select(
        f"SELECT n.uuid, n.child_id, n.notifier_kind, n.state, n.received_at, "  # noqa: S608
        f"n.unit_id, nu.phone, nu.department_id, d.code, d.name, n.case_id, "
        f"{_WHO.format(a='c')} FROM {sql.table(Notification)} n "
        f"LEFT JOIN {sql.table(Unit)} nu ON nu.id = n.unit_id "
        f"LEFT JOIN {sql.table(Department)} d ON d.id = nu.department_id "
        f"LEFT JOIN {sql.table(Case)} c ON c.id = n.case_id "
        f"{_joins_who('c')} WHERE n.child_id IN ({sql.marks(citizen_ids)})", citizen_ids)
    for (key, child, notifier, state, received, unit_id, unit_phone, *rest) in rows:
        department, case_id, who = rest[:3], rest[3], rest[4:]
        if case_id is None:
            scope = CaseScope(department_id=department[0], unit_id=unit_id,
                              department_name=department[2] or "",
                              department_code=department[1] or "",
                              category=CHILDREN_CATEGORY, responsible_phone=unit_phone or "")
        else:
            scope = _scope_of(tuple(department), tuple(who), CHILDREN_CATEGORY)
        title = _label(Notification.NotifierKind, notifier)
        yield Source(
            Kind.NOTIFICATION, _uuid(key), child, f"{KIND_LABELS[Kind.NOTIFICATION]}: {title}",
            state, _label(Notification.State, state), state != Notification.State.CLOSED,
            sql.as_date(received), None, scope, url_name="notification-detail", content_only=True)


def _external(citizen_ids: list[int]) -> Iterable[Source]:
    rows = sql.select(
        f"SELECT e.uuid, e.citizen_id, e.source_system, e.title, e.state, e.opened_on, "  # noqa: S608
        f"e.closed_on, e.responsible_name, e.responsible_contact, e.department_id, d.code, "
        f"d.name, k.code FROM {sql.table(ExternalCase)} e "
        f"JOIN {sql.table(Department)} d ON d.id = e.department_id "
        f"JOIN {sql.table(DataCategory)} k ON k.id = e.category_id "
        f"WHERE e.citizen_id IN ({sql.marks(citizen_ids)})", citizen_ids)
    for (key, citizen, system, title, state, opened, closed, responsible, contact,
         department_id, code, name, category) in rows:
        scope = CaseScope(department_id=department_id, department_name=name or "",
                          department_code=code or "", category=category,
                          responsible_name=responsible or "")
        yield Source(
            Kind.EXTERNAL, _uuid(key), citizen, title, state, state, closed is None,
            sql.as_date(opened), sql.as_date(closed) if closed else None, scope, system=system,
            contact=contact or "")


# Issue 5 (plans) adds its reader here: ``overview.SOURCES.append(plans_for_overview)``; a
# reader takes the citizens' primary keys and yields ``Source`` rows in one query.
SOURCES: list[SourceReader] = [_cases, _grants, _notifications, _external]


# --- the overview -------------------------------------------------------------------------

def _ask(source: Source) -> str:
    scope = source.scope
    if source.contact and scope.responsible_name:
        return f"Kontakt {scope.responsible_name}, {scope.department_name} ({source.contact})."
    if source.contact:
        return f"Kontakt {scope.department_name} ({source.contact})."
    return policy.who_to_ask(scope)


_PLACEHOLDER = uuid.UUID(int=0)


@functools.cache
def _url_pattern(url_name: str, kind: str) -> str:
    key = {Kind.NOTIFICATION: "notification_id", Kind.GRANT: "grant_id",
           Kind.PLAN: "plan_id"}.get(kind, "case_id")
    return reverse(url_name, kwargs={key: _PLACEHOLDER})


def _url(source: Source) -> str:
    """The page that opens the item (reversed once per kind of page, not per item)."""
    if not source.url_name:
        return ""
    return _url_pattern(source.url_name, source.kind).replace(str(_PLACEHOLDER),
                                                              str(source.uuid))


def _item(source: Source, content: Decision, category_name: str) -> Item:
    scope = source.scope
    opens = content.allowed
    return Item(
        kind=source.kind, kind_label=KIND_LABELS.get(source.kind, source.kind), id=source.uuid,
        title=source.title, department=scope.department_code,
        department_name=scope.department_name, responsible=scope.responsible_name,
        contact=source.contact or scope.responsible_phone, status=source.state,
        status_label=source.state_label, active=source.active, since=source.since,
        until=source.until, category=scope.category, category_name=category_name,
        source=source.system, may_open=opens, url=_url(source) if opens else "",
        basis=content.basis if opens else "", basis_kind=basis_kind(content) if opens else "",
        ask="" if opens else _ask(source), emergency=content.emergency and opens)


@dataclass
class _Shown:
    """What was shown of one citizen × data category, for the one look logged for it."""

    decision: Decision
    count: int = 0
    opened: int = 0


def _judge(ev: Evaluator, subject: uuid.UUID, source: Source,
           names: dict[str, str]) -> tuple[Item, Decision] | None:
    exists = ev.decide(subject, Category.CASE, source.scope)
    if not exists.allowed:  # hidden, or no role to know of items at all
        return None
    content = ev.decide(subject, Category.CASE_CONTENT, source.scope)
    if source.content_only and not content.allowed:
        return None
    return _item(source, content, names.get(source.scope.category, "")), exists


def _looks(shown: dict[tuple[uuid.UUID, str], _Shown], purpose: Purpose) -> list[Look]:
    looks = []
    for (subject, category), seen in shown.items():
        detail = (f"familieoverblik: {seen.count} element(er), "
                  f"{seen.opened} med adgang til indhold")
        looks.append(policy.look(seen.decision, subject, category or str(Category.CASE),
                                 purpose=purpose, detail=detail))
    return looks


def _members(family: Family) -> list[tuple[Citizen, str]]:
    members: list[tuple[Citizen, str]] = [(family.citizen, SELF)]
    seen = {family.citizen.pk}
    for group in (family.parents, family.children, family.siblings, family.household):
        for relative in group:
            if relative.citizen.pk not in seen:
                seen.add(relative.citizen.pk)
                members.append((relative.citizen, relative.relation))
    return members


def _order(item: Item) -> tuple[bool, int, str]:
    return (not item.active, -item.since.toordinal(), item.title)


def family_overview(actor: Actor, citizen_uuid: uuid.UUID | str,
                    purpose: Purpose = Purpose.CASEWORK) -> Overview:
    """The overview of the citizen and the family. ``CitizenNotFound`` (logged) when the
    actor may not look the citizen or the family up."""
    # Every look — the citizen, the family, the relatives, the items — is written in one
    # statement at the end (refusals too): one insert and one commit per overview.
    with access.batch():
        citizen = people.access_citizen(actor, citizen_uuid, purpose)
        return _overview(actor, citizen, purpose)


def _overview(actor: Actor, citizen: Citizen, purpose: Purpose) -> Overview:
    family = people.family_of(actor, citizen, purpose, details=False)
    members = _members(family)
    by_pk = {person.pk: person for person, _ in members}
    ev = Evaluator(actor, purpose)
    ev.preload([person.uuid for person, _ in members],
               known={person.uuid: person.pk for person, _ in members})
    names = {code: info.name for code, info in ev.categories.by_code.items()}
    people_out = {person.pk: PersonOverview(person, relation) for person, relation in members}
    shown: dict[tuple[uuid.UUID, str], _Shown] = {}
    for read in SOURCES:
        for source in read(list(by_pk)):
            subject = by_pk[source.citizen_id].uuid
            judged = _judge(ev, subject, source, names)
            if judged is None:
                continue
            item, exists = judged
            people_out[source.citizen_id].items.append(item)
            seen = shown.setdefault((subject, item.category), _Shown(exists))
            seen.count += 1
            seen.opened += int(item.may_open)
            if exists.emergency and not seen.decision.emergency:
                seen.decision = exists
    for person in people_out.values():
        person.items.sort(key=_order)
    policy.record(actor, _looks(shown, purpose))
    return Overview(citizen, family, list(people_out.values()))
