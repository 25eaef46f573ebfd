"""The policy matrix through every route: no route shows what the door denies, and none
refuses what it grants (issue 4: "the same matrix through pages, API, search, export and
notifications").

The world is the door's matrix (``routes_helpers``): four cases in four departments, each
with a journal entry and a document carrying a word found nowhere else. For each basis —
none, a consent, the child-investigation rule, emergency access, a consent withdrawn — the
table :data:`EXPECTED` says per actor and case (exists, hidden, content). The table is the
oracle: each test first asserts that the door agrees with it, then walks the routes as the
actor (``django.test.Client``) and collects every disagreement as
``actor × case × route × basis: what``, so that one run names all of them.

Routes: the case page and its sub-pages, the case API, the family overview (page and API),
the citizen's page and case list, the full-text search (page and API), the target-group
export and the citizen's access log, and the advis (made by the consumer, shown on the
advis page, the work list and the JSON feed).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from helhed.cases import services
from helhed.cases.models import Case, Document
from helhed.core import clock
from helhed.core.errors import AccessDenied
from helhed.core.models import AccessLogEntry
from helhed.sharing import consents, emergency, policy, subscriptions
from helhed.sharing.models import Advis
from helhed.sharing.tests.advis_helpers import advis_handler, deliver  # noqa: F401 - fixture
from helhed.sharing.tests.routes_helpers import (
    CASES,
    COMMON,
    MATRIX,
    NOW,
    OWNERS,
    WORDS,
    Cell,
    add_content,
    cell,
    open_world,
    user,
)
from helhed.sharing.tests.targets_helpers import make_koordinator
from helhed.testing import personas

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("advis_handler")]

OPEN: Cell = (True, False, True)
SHOWN: Cell = (True, False, False)
HIDDEN: Cell = (False, True, False)
LOOKUP = ("anna", "bo", "carl", "dorte", "erik", "frida", "kirsten")
# Frida (leder, Børn og Familie) and Kirsten (koordinator, Social og Handicap) have a basis
# for target-group search; Kirsten's rule (the holistic effort, Rsl. § 12 a) also opens the
# children's and adults' cases of a family where her department has an open case — Mette's.
TARGET_SEARCHERS = ("frida", "kirsten")
ROWS: dict[str, dict[str, Cell]] = {
    **MATRIX,
    "frida": {"liva": OPEN, "mette": SHOWN, "soren_job": SHOWN, "soren_abuse": HIDDEN},
    "kirsten": {"liva": OPEN, "mette": OPEN, "soren_job": SHOWN, "soren_abuse": HIDDEN},
}
ACTORS = sorted(ROWS)


def _with(changes: dict[str, dict[str, Cell]]) -> dict[str, dict[str, Cell]]:
    return {actor: {**ROWS[actor], **changes.get(actor, {})} for actor in ROWS}


# The oracle: (exists, hidden, content) per basis, actor and case.
EXPECTED: dict[str, dict[str, dict[str, Cell]]] = {
    "none": ROWS,
    # Liva's custody holders consent to her children's case being shared (from Børn og
    # Familie): every caseworker may read it; nothing else opens.
    "consent": _with({actor: {"liva": OPEN} for actor in LOOKUP}),
    # Liva's case is under investigation: the rule opens the family's cases to the
    # children's caseworkers (sagsbehandler-boern) — abuse included, existence and all.
    "investigation": _with({actor: {"mette": OPEN, "soren_job": OPEN, "soren_abuse": OPEN}
                            for actor in ("anna", "bo")}),
    # Erik (on call) starts emergency access for Liva's family.
    "emergency": _with({"erik": {"mette": OPEN, "soren_job": OPEN, "soren_abuse": OPEN}}),
    # The consent, given and then withdrawn: closed again from the next request on.
    "consent_withdrawn": ROWS,
}
BASES = tuple(EXPECTED)

ABUSE_DEPARTMENT = "Rusmiddelcenter"
REFUSED = (403, 404)
NOT_CASEWORKERS = ("gustav", "hanne", "ivan", "outsider")



@pytest.fixture(autouse=True)
def _frozen() -> None:
    clock.freeze(NOW)
    policy.forget()


@dataclass
class Scene:
    family: personas.Family
    cases: dict[str, Case]
    documents: dict[str, Document]
    consent: Any = None


@pytest.fixture
def scene(anna: Any, bo: Any, carl: Any, dorte: Any, erik: Any, frida: Any, gustav: Any,
          hanne: Any, ivan: Any, outsider: Any, family: personas.Family) -> Scene:
    make_koordinator()
    cases = open_world(anna, carl, dorte, family)
    content = add_content(cases)
    deliver()  # the world's own events (automatic subscriptions), before anyone follows
    return Scene(family, cases, {name: doc for name, (_, doc) in content.items()})


def _give_consent(scene: Scene) -> Any:
    family = scene.family
    return consents.record_consent(
        user("anna"), family.liva.uuid, given_by=[family.mother.uuid, family.father.uuid],
        purpose="sagsbehandling", categories=["boernesag"], from_departments=["boernesocial"],
        form="skriftlig", valid_from=clock.today(),
        valid_to=clock.today() + dt.timedelta(days=365))


def apply_basis(basis: str, scene: Scene) -> None:
    if basis in ("consent", "consent_withdrawn"):
        scene.consent = _give_consent(scene)
    elif basis == "investigation":
        services.set_state(user("anna"), scene.cases["liva"].uuid, Case.State.INVESTIGATION)
    elif basis == "emergency":
        emergency.start(user("erik"), scene.family.liva.uuid,
                        reason="Politiet har ringet om natten", hours=12)
    deliver()


def withdraw_consent(scene: Scene) -> None:
    consents.withdraw(user("anna"), scene.consent.uuid, note="Forældrene trak samtykket")
    deliver()


# --- collecting what each route shows ---------------------------------------------------------

@dataclass
class Walk:
    """One actor's walk through the routes under one basis; disagreements are collected."""

    who: str
    basis: str
    scene: Scene
    client: Client
    actor: Any
    problems: list[str] = field(default_factory=list)

    def expect(self, case: str) -> Cell:
        return EXPECTED[self.basis][self.who][case]

    def fail(self, case: str, route: str, what: str) -> None:
        """Record a disagreement (all are reported together at the end)."""
        self.problems.append(f"{self.who} × {case} × {route} × {self.basis}: {what}")

    def unlogged(self, case: str, route: str) -> None:
        self.fail(case, route, "refusal not in the access log")

    def refusals(self) -> int:
        return AccessLogEntry.objects.filter(actor=self.actor, allowed=False).count()

    def get(self, url: str, **extra: Any) -> tuple[int, str]:
        response: Any = self.client.get(url, **extra)
        body = (b"".join(response.streaming_content) if response.streaming
                else response.content)
        return response.status_code, body.decode("utf-8", errors="replace")


def _client(actor: Any) -> Client:
    client = Client()
    client.force_login(actor)
    return client


def _secrets(scene: Scene, name: str) -> list[str]:
    """What must not be in the answer of a refused request about the case."""
    case = scene.cases[name]
    return [WORDS[name], case.number, f"{case.number} {case.title}"]


def _hidden_marks(scene: Scene, name: str) -> list[str]:
    """What names a hidden item anywhere (title, number, department)."""
    case = scene.cases[name]
    return [WORDS[name], case.number, case.title, str(case.uuid), ABUSE_DEPARTMENT]


# Route 1: the case page and its sub-pages. (name, url, shows the case's word when allowed)
def _page_routes(scene: Scene, name: str) -> list[tuple[str, str, bool]]:
    case, document = scene.cases[name], scene.documents[name]
    return [
        ("sagsside", reverse("case-detail", args=[case.uuid]), True),
        ("journal-ny", reverse("journal-new", args=[case.uuid]), False),
        ("dokument-hent", reverse("document-download", args=[document.uuid]), True),
        ("søg-i-sagen", reverse("case-search") + f"?sag={case.uuid}&q={COMMON}", True),
    ]


def walk_case_pages(walk: Walk) -> None:
    for name in CASES:
        _exists, _hidden, content = walk.expect(name)
        for route, url, shows_word in _page_routes(walk.scene, name):
            before = walk.refusals()
            status, body = walk.get(url)
            if content:
                if status != 200:
                    walk.fail(name, route, f"refused ({status}) though the door allows")
                elif shows_word and WORDS[name] not in body:
                    walk.fail(name, route, "200 without the case's content")
                continue
            if status not in REFUSED:
                walk.fail(name, route, f"answered {status}, expected 403/404")
            leaked = [s for s in _secrets(walk.scene, name) if s in body]
            if leaked:
                walk.fail(name, route, f"refusal shows {leaked}")
            if walk.refusals() <= before:
                walk.unlogged(name, route)


# Route 2: the case API. (name, url, shows the case's word when allowed)
def _api_routes(scene: Scene, name: str) -> list[tuple[str, str, bool]]:
    case, document = scene.cases[name], scene.documents[name]
    base = "/api/v1/cases"
    return [
        ("api-sag", f"{base}/cases/{case.uuid}", False),
        ("api-journal", f"{base}/cases/{case.uuid}/journal", True),
        ("api-historik", f"{base}/cases/{case.uuid}/history", False),
        ("api-dokument", f"{base}/documents/{document.uuid}", True),
        ("api-dokument-indhold", f"{base}/documents/{document.uuid}/content", True),
        ("api-søg-i-sagen", f"{base}/search?q={COMMON}&case={case.uuid}", True),
    ]


def walk_case_api(walk: Walk) -> None:
    for name in CASES:
        content = walk.expect(name)[2]
        for route, url, shows_word in _api_routes(walk.scene, name):
            before = walk.refusals()
            status, body = walk.get(url)
            if content:
                if status != 200:
                    walk.fail(name, route, f"refused ({status}) though the door allows")
                elif shows_word and WORDS[name] not in body:
                    walk.fail(name, route, "200 without the case's content")
                continue
            if status not in REFUSED:
                walk.fail(name, route, f"answered {status}, expected 403/404")
            try:
                code = json.loads(body)["error"]["code"]
            except (ValueError, KeyError, TypeError):
                code = ""
            if not code:
                walk.fail(name, route, "refusal is not a JSON error with a code")
            leaked = [s for s in _secrets(walk.scene, name) if s in body]
            if leaked:
                walk.fail(name, route, f"refusal shows {leaked}")
            if walk.refusals() <= before:
                walk.unlogged(name, route)


# Route 3: lists of a citizen's and the family's items.
_ROW = re.compile(r"<tr\b.*?</tr>", re.S)


def _row_of(body: str, marker: str) -> str | None:
    return next((row for row in _ROW.findall(body) if marker in row), None)


def _check_listed_row(walk: Walk, name: str, route: str, body: str) -> None:
    """A page listing items: listed iff exists and not hidden; a link iff content; a hidden
    item named nowhere; never the content itself."""
    exists, hidden, content = walk.expect(name)
    case = walk.scene.cases[name]
    row = _row_of(body, case.number)
    if WORDS[name] in body:
        walk.fail(name, route, "a list shows the case's content")
    if not exists:
        leaked = [s for s in (_hidden_marks(walk.scene, name) if hidden
                              else [case.number]) if s in body]
        if leaked:
            walk.fail(name, route, f"shows {leaked} of an item it may not know of")
        return
    if row is None:
        walk.fail(name, route, "an item the door lets the actor know of is not listed")
        return
    link = f'href="{reverse("case-detail", args=[case.uuid])}'
    if content and link not in row:
        walk.fail(name, route, "no link to an item the actor may open")
    if not content and link in row:
        walk.fail(name, route, "a link to an item the actor may not open")


def walk_overview_page(walk: Walk) -> None:
    url = reverse("family-overview", args=[walk.scene.family.liva.uuid])
    status, body = walk.get(url)
    anything = any(walk.expect(n)[0] for n in CASES)
    if anything and status != 200:
        walk.fail("*", "overblik", f"refused ({status})")
        return
    if not anything and status not in REFUSED:
        walk.fail("*", "overblik", f"answered {status} to an actor with no lookup role")
    for name in CASES:
        _check_listed_row(walk, name, "overblik", body)
        exists, _hidden, content = walk.expect(name)
        row = _row_of(body, walk.scene.cases[name].number)
        if exists and not content and row is not None and "overview-ask" not in row:
            walk.fail(name, "overblik", "a closed item does not say who to ask")


def _api_items(body: str) -> dict[str, dict[str, Any]]:
    try:
        people = json.loads(body).get("people", [])
    except (ValueError, AttributeError):
        return {}
    return {item["id"]: item for person in people for item in person.get("items", [])}


def walk_overview_api(walk: Walk) -> None:
    route = "api-overblik"
    status, body = walk.get(f"/api/v1/sharing/overview/{walk.scene.family.liva.uuid}")
    anything = any(walk.expect(n)[0] for n in CASES)
    if anything and status != 200:
        walk.fail("*", route, f"refused ({status})")
        return
    if not anything and status not in REFUSED:
        walk.fail("*", route, f"answered {status} to an actor with no lookup role")
    items = _api_items(body)
    for name in CASES:
        exists, hidden, content = walk.expect(name)
        case = walk.scene.cases[name]
        item = items.get(str(case.uuid))
        if WORDS[name] in body:
            walk.fail(name, route, "the overview shows the case's content")
        if not exists:
            marks = _hidden_marks(walk.scene, name) if hidden else [case.number]
            leaked = [s for s in marks if s in body]
            if item is not None or leaked:
                walk.fail(name, route, f"shows an item it may not know of ({leaked})")
            continue
        if item is None:
            walk.fail(name, route, "an item the door lets the actor know of is not listed")
            continue
        if item["may_open"] != content or bool(item["url"]) != content:
            walk.fail(name, route, f"may_open={item['may_open']} url={item['url']!r}")
        if not content and not item["ask"]:
            walk.fail(name, route, "a closed item does not say who to ask")
        if content and item["ask"]:
            walk.fail(name, route, "an open item says who to ask")


def walk_citizen_pages(walk: Walk) -> None:
    family = walk.scene.family
    of = {"liva": family.liva, "mette": family.mother, "soren_job": family.father,
          "soren_abuse": family.father}
    seen: dict[uuid.UUID, tuple[int, str, int, str]] = {}
    for name in CASES:
        citizen = of[name]
        if citizen.uuid not in seen:
            page = walk.get(reverse("citizen-detail", args=[citizen.uuid]))
            api = walk.get(f"/api/v1/cases/citizens/{citizen.uuid}/cases")
            seen[citizen.uuid] = (*page, *api)
        page_status, page_body, api_status, api_body = seen[citizen.uuid]
        exists, hidden, content = walk.expect(name)
        if page_status == 200:
            _check_listed_row(walk, name, "borgerside", page_body)
        elif exists:
            walk.fail(name, "borgerside", f"refused ({page_status})")
        _check_case_list_api(walk, name, api_status, api_body)


def _check_case_list_api(walk: Walk, name: str, status: int, body: str) -> None:
    route = "api-borgerens-sager"
    exists, hidden, content = walk.expect(name)
    case = walk.scene.cases[name]
    if status != 200:
        if exists:
            walk.fail(name, route, f"refused ({status})")
        return
    rows = {row["id"]: row for row in json.loads(body)}
    row = rows.get(str(case.uuid))
    if not exists:
        marks = _hidden_marks(walk.scene, name) if hidden else [case.number]
        leaked = [s for s in marks if s in body]
        if row is not None or leaked:
            walk.fail(name, route, f"lists an item it may not know of ({leaked})")
    elif row is None:
        walk.fail(name, route, "an item the door lets the actor know of is not listed")
    elif row["may_open"] != content:
        walk.fail(name, route, f"may_open={row['may_open']}")


# Route 4: full-text search ("Søg i sager"), page and API.
def walk_search(walk: Walk) -> None:
    status, page = walk.get(reverse("case-search") + f"?q={COMMON}")
    api_status, api = walk.get(f"/api/v1/cases/search?q={COMMON}")
    try:
        hits = {h["case_id"] for h in json.loads(api)} if api_status == 200 else set()
    except (ValueError, TypeError, KeyError):
        hits = set()
    for name in CASES:
        content = walk.expect(name)[2]
        case = walk.scene.cases[name]
        for route, code, body, found in (
                ("søg", status, page, case.number in page),
                ("api-søg", api_status, api, str(case.uuid) in hits)):
            if content and code != 200:
                walk.fail(name, route, f"refused ({code})")
            elif content and not (found and WORDS[name] in body):
                walk.fail(name, route, "the case's word does not find it")
            elif not content and (found or WORDS[name] in body or case.number in body):
                walk.fail(name, route, "finds a case the actor may not read")


# Route 5: the target-group export and the citizen's access log.
TARGETS_QUERY = ("departments=boernesocial&departments=voksensocial&departments=jobcenter"
                 "&min_departments=1")


def walk_target_export(walk: Walk) -> None:
    for route, url in (("målgruppe-csv", reverse("target-search-csv") + "?" + TARGETS_QUERY),
                       ("api-målgruppe-csv", "/api/v1/sharing/targets.csv?" + TARGETS_QUERY)):
        before = walk.refusals()
        status, body = walk.get(url)
        if walk.who not in TARGET_SEARCHERS:
            if status != 403:
                walk.fail("*", route, f"answered {status} to an actor without a basis")
            if walk.refusals() <= before:
                walk.unlogged("*", route)
            if "Hansen" in body or "Ærø" in body:
                walk.fail("*", route, "a refusal names the family")
            continue
        if status != 200:
            walk.fail("*", route, f"refused ({status}) the coordinator's basis")
            continue
        if "Søren" not in body or "Mette" not in body or "Liva" not in body:
            walk.fail("*", route, "the family is not in the export")
        for name in CASES:
            case = walk.scene.cases[name]
            leaked = [s for s in (WORDS[name], case.number, case.title) if s in body]
            if leaked:
                walk.fail(name, route, f"the export shows {leaked}")
        if ABUSE_DEPARTMENT in body or "isbrug" in body:
            walk.fail("soren_abuse", route, "the export names the hidden department")


def walk_access_log(walk: Walk) -> None:
    """The father's access log: readable by his own caseworker (Dorte) and the
    administrator; whoever reads it must not learn of an item hidden from them."""
    father = walk.scene.family.father.uuid
    may_read = walk.who in ("dorte", "hanne")
    for route, url in (("adgangslog", reverse("citizen-access-log", args=[father])),
                       ("api-adgangslog", f"/api/v1/sharing/citizens/{father}/access-log")):
        before = walk.refusals()
        status, body = walk.get(url)
        if not may_read:
            if status not in REFUSED:
                walk.fail("*", route, f"answered {status}")
            if walk.refusals() <= before:
                walk.unlogged("*", route)
            continue
        if status != 200:
            walk.fail("*", route, f"refused ({status}) the citizen's own caseworker")
            continue
        if walk.who == "hanne":
            continue  # the administrator answers the citizen's request for insight
        exists, hidden, content = walk.expect("soren_abuse")
        leaked = [s for s in (ABUSE_DEPARTMENT, "misbrugscenter", "isbrug")
                  if s in body]
        if hidden and leaked:
            walk.fail("soren_abuse", route, f"the log names the hidden item: {leaked}")


# Route 6: advis — a change on each case, delivered to everyone who follows the family.
def follow(walk: Walk) -> None:
    """Follow Liva and her family (covers all four cases) through the service; refused
    (and logged) for an actor with no lookup role."""
    before = walk.refusals()
    try:
        subscriptions.subscribe(walk.actor, walk.scene.family.liva.uuid, family=True)
    except AccessDenied:
        if walk.who in LOOKUP:
            walk.fail("*", "abonnement", "a caseworker may not follow the family")
        elif walk.refusals() <= before:
            walk.fail("*", "abonnement", "refusal not in the access log")
        return
    if walk.who not in LOOKUP:
        walk.fail("*", "abonnement", "an actor with no lookup role follows the family")


def change_every_case(scene: Scene) -> int:
    """A journal entry by each case's owner; returns the advis mark to look after."""
    mark = Advis.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for name, case in scene.cases.items():
        services.add_journal_entry(user(OWNERS[name]), case.uuid, kind="samtale",
                                   occurred_on=clock.today(), title=f"Opfølgning {WORDS[name]}",
                                   text="Ny viden.")
    deliver()
    return mark


def _advis_expected(walk: Walk, name: str) -> tuple[bool, bool]:
    exists, hidden, content = walk.expect(name)
    made = exists and not hidden and walk.who in LOOKUP and OWNERS[name] != walk.who
    return made, made and content


def walk_advis(walk: Walk, mark: int) -> None:
    made = list(Advis.objects.filter(pk__gt=mark, staff__user=walk.actor)
                .select_related("citizen"))
    for name in CASES:
        case = walk.scene.cases[name]
        want, opens = _advis_expected(walk, name)
        mine = [a for a in made if case.number in a.text and a.event_type.endswith("added")]
        if not want:
            if mine:
                walk.fail(name, "advis", f"an advis the actor may not get: {mine[0].text!r}")
            continue
        if len(mine) != 1:
            walk.fail(name, "advis", f"{len(mine)} advis, expected 1")
            continue
        advis = mine[0]
        if advis.may_open != opens or bool(advis.url) != opens:
            walk.fail(name, "advis", f"may_open={advis.may_open} url={advis.url!r}")
        if (WORDS[name] in advis.text) != opens:
            walk.fail(name, "advis", f"text {advis.text!r}")
    _walk_advis_pages(walk)


def _walk_advis_pages(walk: Walk) -> None:
    json_only = {"HTTP_ACCEPT": "application/json"}
    pages: list[tuple[str, str, dict[str, str]]] = [
        ("adviser", reverse("advis-list"), {}),
        ("arbejdsliste", reverse("work-list"), {}),
        ("advis-feed", reverse("advis-feed"), json_only),
        ("api-adviser", "/api/v1/sharing/advis", {})]
    for route, url, headers in pages:
        status, body = walk.get(url, **headers)
        if walk.who not in LOOKUP:
            if status == 200 and any(c.number in body for c in walk.scene.cases.values()):
                walk.fail("*", route, "shows advis to an actor with no lookup role")
            continue
        if status != 200:
            walk.fail("*", route, f"refused ({status})")
            continue
        for name in CASES:
            exists, hidden, _content = walk.expect(name)
            opens = _advis_expected(walk, name)[1]
            if (WORDS[name] in body) != opens:
                walk.fail(name, route, "content " + ("missing" if opens else "shown"))
            if hidden and any(s in body for s in _hidden_marks(walk.scene, name)):
                walk.fail(name, route, "names a hidden item")


WALKS: tuple[Callable[[Walk], None], ...] = (
    walk_case_pages, walk_case_api, walk_overview_page, walk_overview_api,
    walk_citizen_pages, walk_search, walk_target_export, walk_access_log)


# --- the tests --------------------------------------------------------------------------------

def walk_as(scene: Scene, basis: str, who: str) -> Walk:
    actor = user(who)
    return Walk(who, basis, scene, _client(actor), actor)


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("basis", BASES)
def test_every_route_shows_exactly_what_the_door_allows(scene: Scene, basis: str,
                                                        who: str) -> None:
    apply_basis(basis, scene)
    walk = walk_as(scene, basis, who)
    follow(walk)
    if basis == "consent_withdrawn":
        # The consent opened Liva's case to every caseworker; the next request after the
        # withdrawal is refused again.
        status, _ = walk.get(reverse("case-detail", args=[scene.cases["liva"].uuid]))
        if who in LOOKUP and status != 200:
            walk.fail("liva", "sagsside (med samtykke)", f"refused ({status})")
        withdraw_consent(scene)
    door = {name: cell(walk.actor, case) for name, case in scene.cases.items()}
    assert door == EXPECTED[basis][who], "the door disagrees with the table"
    for route in WALKS:
        route(walk)
    walk_advis(walk, change_every_case(scene))
    assert not walk.problems, "\n".join(["", *walk.problems])


@pytest.mark.parametrize("who", TARGET_SEARCHERS)
def test_the_target_group_export_shows_the_family_and_no_hidden_item(scene: Scene,
                                                                     who: str) -> None:
    walk = walk_as(scene, "none", who)
    walk_target_export(walk)
    assert not walk.problems, "\n".join(["", *walk.problems])


def test_the_administrator_reads_the_access_log_page_for_the_citizen(scene: Scene) -> None:
    father = scene.family.father.uuid
    status, body = walk_as(scene, "none", "hanne").get(
        reverse("citizen-access-log", args=[father]))
    assert status == 200
    assert 'id="access-log"' in body and "Dorte Dahl" in body  # who looked, with the basis
    entry = AccessLogEntry.objects.filter(actor=user("hanne"), subject=father).last()
    assert entry is not None and entry.allowed and entry.category == "adgangslog"
    assert not AccessLogEntry.objects.filter(actor=user("hanne"), allowed=False).exists()


def test_a_refused_case_page_says_nothing_of_the_case(scene: Scene) -> None:
    """The refusal the matrix expects, seen once in full: the page and the API refuse
    Carl the jobcenter's case, log it, and name neither its title nor its number."""
    walk = walk_as(scene, "none", "carl")
    case = scene.cases["soren_job"]
    status, body = walk.get(reverse("case-detail", args=[case.uuid]))
    api_status, api_body = walk.get(f"/api/v1/cases/cases/{case.uuid}")
    assert (status, api_status) == (403, 403)
    assert json.loads(api_body)["error"]["code"] == "access.denied"
    for text in (body, api_body):
        assert case.title not in text and case.number not in text and WORDS["soren_job"] not in text
    assert AccessLogEntry.objects.filter(actor=walk.actor, subject=case.citizen.uuid,
                                         allowed=False).count() >= 2


def test_a_hidden_case_answers_exactly_as_a_case_that_does_not_exist(scene: Scene) -> None:
    """Carl may not know that Søren is in treatment: the abuse centre's case answers him as
    an unknown id does — same status, same error code, same message — and is logged."""
    walk = walk_as(scene, "none", "carl")
    hidden = scene.cases["soren_abuse"]
    answers = []
    for key in (hidden.uuid, uuid.uuid4()):
        page, _ = walk.get(reverse("case-detail", args=[key]))
        api, body = walk.get(f"/api/v1/cases/cases/{key}")
        error = json.loads(body)["error"]
        answers.append((page, api, error["code"], error["message"]))
    assert answers[0] == answers[1]
    assert answers[0][:3] == (404, 404, "case.not_found")
    assert AccessLogEntry.objects.filter(actor=walk.actor, subject=hidden.citizen.uuid,
                                         allowed=False).exists()


# --- the leaks this module found (fixed with it) -------------------------------------------

def test_refusing_a_case_to_a_provider_is_logged(scene: Scene) -> None:
    walk = walk_as(scene, "none", "gustav")
    status, _ = walk.get(reverse("case-detail", args=[scene.cases["liva"].uuid]))
    assert status == 403
    assert AccessLogEntry.objects.filter(actor=walk.actor, allowed=False).exists()


def test_the_citizens_case_list_leaves_out_the_abuse_case(scene: Scene) -> None:
    walk = walk_as(scene, "none", "dorte")
    father = scene.family.father.uuid
    _, api = walk.get(f"/api/v1/cases/citizens/{father}/cases")
    _, page = walk.get(reverse("citizen-detail", args=[father]))
    abuse = scene.cases["soren_abuse"]
    assert str(scene.cases["soren_job"].uuid) in api
    for text in (api, page):
        assert abuse.number not in text and ABUSE_DEPARTMENT not in text


def test_the_citizens_case_list_opens_what_a_consent_opens(scene: Scene) -> None:
    apply_basis("consent", scene)
    walk = walk_as(scene, "consent", "carl")
    _, api = walk.get(f"/api/v1/cases/citizens/{scene.family.liva.uuid}/cases")
    rows = {row["id"]: row for row in json.loads(api)}
    assert rows[str(scene.cases["liva"].uuid)]["may_open"] is True


def test_the_access_log_names_no_item_hidden_from_its_reader(scene: Scene) -> None:
    walk = walk_as(scene, "none", "dorte")
    father = scene.family.father.uuid
    _, api = walk.get(f"/api/v1/sharing/citizens/{father}/access-log")
    assert "misbrugscenter" not in api and ABUSE_DEPARTMENT not in api


def test_the_target_search_rule_opens_no_case_content(scene: Scene) -> None:
    assert cell(user("frida"), scene.cases["mette"]) == SHOWN
    assert cell(user("kirsten"), scene.cases["soren_job"]) == SHOWN
