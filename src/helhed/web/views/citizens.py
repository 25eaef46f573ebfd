from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from helhed.core.errors import AccessDenied, InvalidInput
from helhed.people import services


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    context: dict[str, object] = {"query": query}
    status = 200
    if query:
        try:
            context["result"] = services.search_citizens(request.user, query)
        except InvalidInput as exc:
            context["error"] = exc
            status = 400
        except AccessDenied as exc:
            context["error"] = exc
            status = 403
    return render(request, "web/citizen_search.html", context, status=status)


def detail(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    citizen = services.access_citizen(request.user, citizen_id)
    family = services.family_of(request.user, citizen)
    contact = services.contact_details_of(request.user, citizen)
    return render(request, "web/citizen_detail.html",
                  {"citizen": citizen, "family": family, "contact": contact})
