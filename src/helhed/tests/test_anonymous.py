"""Every URL and API route refuses an anonymous visitor (ARCHITECTURE.md rule 1).

The URLs come from the resolver, not from a list: a new view is tested the moment it is
routed, and a new public view fails here until it is added to ``PUBLIC``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from helhed.testing.personas import Family

pytestmark = pytest.mark.django_db

# Routes (as the resolver spells them) that anyone may open.
PUBLIC = {"login/", "admin/login/"}
# django-ninja's API root only exists to anchor the API's URLs; it is 404 for everyone.
NOT_FOUND_FOR_EVERYONE = {"api/v1/"}
LOGIN_PAGES = ("/login/", "/admin/login/")
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as the resolver spells it
    path: str  # a concrete URL for it


def _value(converter: str | None, name: str, citizen: uuid.UUID) -> str:
    if converter == "uuid" or "citizen" in name:
        return str(citizen)
    if converter == "int" or name.endswith("_id") or name == "id":
        return "1"
    return "x"


def _fill_route(pattern: str, citizen: uuid.UUID) -> str:
    return _CONVERTER.sub(lambda m: _value(m["converter"], m["name"], citizen), pattern)


def _group_end(regex: str, start: int) -> int:
    depth = 0
    for index in range(start, len(regex)):
        if regex[index] == "\\":
            continue
        depth += {"(": 1, ")": -1}.get(regex[index], 0)
        if depth == 0:
            return index
    raise ValueError(f"unbalanced group in {regex!r}")


def _fill_regex(regex: str, citizen: uuid.UUID) -> str:
    """A string the regex matches: each named group gets a plausible value."""
    regex = regex.removeprefix("^").removesuffix("$")
    while match := _GROUP.search(regex):
        end = _group_end(regex, match.start())
        inner = regex[match.end():end]
        candidates = [*inner.split("|"), _value(None, match["name"], citizen), "1", "x"]
        value = next(c for c in candidates if re.fullmatch(inner, c))
        regex = regex[:match.start()] + value + regex[end + 1:]
    return regex.replace("\\", "")


def _walk(patterns: list[URLPattern | URLResolver], prefix: tuple[str, str],
          citizen: uuid.UUID) -> Iterator[Route]:
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            piece = (str(pattern), _fill_route(str(pattern), citizen))
        elif isinstance(pattern, RegexPattern):
            piece = (str(pattern), _fill_regex(str(pattern), citizen))
        else:  # pragma: no cover - LocalePrefixPattern and others: extend this test
            raise AssertionError(f"Unknown URL pattern type {type(pattern)}; teach this test")
        here = (prefix[0] + piece[0], prefix[1] + piece[1])
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, here, citizen)
        else:
            yield Route(here[0], "/" + here[1])


def all_routes(citizen: uuid.UUID) -> list[Route]:
    return list(_walk(get_resolver().url_patterns, ("", ""), citizen))


@pytest.fixture
def routes(family: Family) -> list[Route]:
    return all_routes(family.liva.uuid)


def secrets_of(family: Family) -> list[str]:
    people = [family.mother, family.father, family.liva, family.noah, family.partner,
              family.half_brother]
    words = [p.cpr for p in people] + [f"{p.cpr[:6]}-{p.cpr[6:]}" for p in people]
    words += [p.full_name for p in people] + [p.last_name for p in people]
    return words + [family.mothers_home.street, family.fathers_home.street]


def test_the_walk_covers_pages_and_api_routes(routes: list[Route]) -> None:
    found = {r.route for r in routes}
    assert {"login/", "borgere/", "borgere/<uuid:citizen_id>/", "api/v1/openapi.json",
            "api/v1/people/citizens/<citizen_id>/family", "api/v1/core/outbox"} <= found


def test_every_generated_url_resolves_to_its_own_route(routes: list[Route]) -> None:
    def plain(route: str) -> str:
        return route.replace("^", "").replace("$", "")

    wrong = [(r.route, r.path, resolve(r.path).route) for r in routes
             if plain(resolve(r.path).route) != plain(r.route)]
    assert wrong == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_get_nothing(method: str, routes: list[Route],
                                        family: Family) -> None:
    client = Client()
    problems = []
    secrets = secrets_of(family)
    for route in routes:
        response = getattr(client, method)(route.path)
        body = response.content.decode("utf-8", errors="replace")
        leaked = [s for s in secrets if s in body]
        if leaked:
            problems.append(f"{method.upper()} {route.path}: shows {leaked}")
        if route.route in PUBLIC:
            continue
        problem = _refusal_problem(route, response)
        if problem:
            problems.append(f"{method.upper()} {route.path} ({route.route}): {problem}")
    assert problems == []


def _refusal_problem(route: Route, response: object) -> str:
    status = response.status_code  # type: ignore[attr-defined]
    if status == 405 or (status == 404 and route.route in NOT_FOUND_FOR_EVERYONE):
        return ""
    if route.route.startswith("api/"):
        if status != 401:
            return f"API answered {status}, not 401"
        error = response.json().get("error", {})  # type: ignore[attr-defined]
        return "" if error.get("code") == "auth.required" else f"wrong error {error}"
    if status != 302:
        return f"page answered {status}, not a redirect to the login page"
    target = urlsplit(response["Location"])  # type: ignore[index]
    if target.path not in LOGIN_PAGES or not target.query.startswith("next="):
        return f"redirects to {response['Location']}, not to a login page"  # type: ignore[index]
    return ""


def test_the_login_page_is_public_and_empty_of_personal_data(family: Family) -> None:
    response = Client().get("/login/")
    assert response.status_code == 200
    assert not [s for s in secrets_of(family) if s in response.content.decode()]


def test_the_allow_lists_name_real_routes(routes: list[Route]) -> None:
    assert {r.route for r in routes} >= PUBLIC | NOT_FOUND_FOR_EVERYONE


def test_the_api_root_is_not_found_for_staff_either(anna: object) -> None:
    client = Client()
    client.force_login(anna)  # type: ignore[arg-type]
    assert client.get("/api/v1/").status_code == 404
