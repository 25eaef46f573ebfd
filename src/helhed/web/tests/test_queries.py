"""Query counts of the pages, as tight caps: a page that starts reading per row (N+1) or
re-reads the user's roles per decision fails here.

Every logged-in page reads the session and the user (2), the staff member with unit,
department, municipality and provider (1) and the roles (1) — once per request, shared by
the policy door, the access log and the header (``organisation.services.staff_of`` and
``roles_of`` remember them on the request's user object).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helhed.organisation import services as organisation
from helhed.organisation.models import Role
from helhed.sharing import policy
from helhed.sharing.policy import Category, Purpose

pytestmark = pytest.mark.django_db

LOGGED_IN = 4  # session, user, staff member, roles


def _queries(client, url, **params):
    client.get(url, params)  # warm up: the first request after login writes the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def _reads_of(table: str, queries: list[str]) -> int:
    return sum(1 for sql in queries if sql.startswith("SELECT") and f'FROM "{table}"' in sql)


@pytest.mark.parametrize(("url", "params", "cap"), [
    ("/", {}, LOGGED_IN + 2),  # the caseworker's newest advis and their unread count
    ("/borgere/", {}, LOGGED_IN),
    ("/borgere/", {"q": "soren aero"}, LOGGED_IN + 2),  # the search, one access-log insert
])
def test_start_and_search_pages_stay_within_their_query_cap(login, anna, family, url, params,
                                                            cap):
    assert len(_queries(login(anna), url, **params)) <= cap


def test_citizen_page_reads_staff_and_roles_once_for_all_its_decisions(login, anna, family):
    queries = _queries(login(anna), f"/borgere/{family.father.uuid}/")
    assert len(queries) <= 22  # 20 for the person and family, 2 for the cases section
    # Five policy decisions (master data, family, relatives, contact) and the header:
    assert _reads_of("organisation_role", queries) == 1
    assert _reads_of("organisation_staffmember", queries) == 1
    assert _reads_of("organisation_unit", queries) == 0  # the access log reuses it


def test_a_role_taken_away_counts_from_the_next_request(login, anna):
    client = login(anna)
    assert client.get("/borgere/").status_code == 200
    anna.staff.roles.clear()
    assert client.get("/borgere/").status_code == 403


def test_forget_drops_what_a_long_lived_user_object_remembers(anna):
    assert policy.evaluate(anna, Purpose.CASEWORK, Category.MASTER_DATA).allowed
    anna.staff.roles.set([Role.objects.get(code="udfoerer")])
    organisation.forget(anna)
    assert not policy.evaluate(anna, Purpose.CASEWORK, Category.MASTER_DATA).allowed
    assert [r.code for r in organisation.roles_of(anna)] == ["udfoerer"]
