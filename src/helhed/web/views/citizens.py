"""Finding a citizen and the citizen page. Every read goes through the people doors."""

from __future__ import annotations

import uuid
from itertools import chain

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from helhed.cases import services as cases
from helhed.core.errors import AccessDenied, InvalidInput
from helhed.people import services
from helhed.people.services import Family, Relative
from helhed.sharing import emergency, policy
from helhed.sharing.policy import Category, Purpose

MAX_QUERY_LENGTH = 100


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    context: dict[str, object] = {"query": query[: MAX_QUERY_LENGTH + 1]}
    status = 200
    if "q" in request.GET:
        try:
            context["result"] = services.search_citizens(request.user, query)
        except InvalidInput as exc:
            context["error"] = exc.localized()
            status = 400
        except AccessDenied as exc:
            context["denied"] = exc.localized()
            status = 403
    else:
        # No search yet: tell a role without a basis at once instead of offering a form
        # that can only fail. ``evaluate`` decides without logging: nothing is read.
        decision = policy.evaluate(request.user, Purpose.CASEWORK, Category.MASTER_DATA)
        if not decision.allowed:
            context["denied"] = gettext(decision.reason)
            status = 403
    return render(request, "web/citizen_search.html", context, status=status)


def household_of(family: Family) -> list[Relative]:
    """Everyone living at the citizen's address now: relatives first, then others."""
    seen: set[int] = set()
    members: list[Relative] = []
    for relative in chain(family.parents, family.children, family.siblings, family.household):
        if relative.same_household and relative.citizen.pk not in seen:
            seen.add(relative.citizen.pk)
            members.append(relative)
    return members


def detail(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    citizen = services.access_citizen(request.user, citizen_id)
    family = services.family_of(request.user, citizen)
    contact = services.contact_details_of(request.user, citizen)
    current_contact = next((c for c in contact if c.valid_to is None), None)
    try:
        citizen_cases: list[cases.CaseRow] | None = cases.cases_of_citizen(request.user,
                                                                           citizen.uuid)
    except AccessDenied:
        citizen_cases = None  # not a caseworker: the section is left out
    return render(request, "web/citizen_detail.html", {
        "cases": citizen_cases,
        "may_start_emergency": emergency.may_start(request.user),
        "citizen": citizen,
        "family": family,
        "household": household_of(family),
        "contact": current_contact,
        "contact_history": [c for c in contact if c is not current_contact],
        # Whether to offer the edit link; the service decides again when saving.
        "may_edit_contact": policy.evaluate(request.user, Purpose.CASEWORK,
                                            Category.CONTACT).allowed,
    })
