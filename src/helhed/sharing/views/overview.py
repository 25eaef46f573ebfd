"""Page: the citizen and family overview (cpr-knap), ``borgere/<uuid>/overblik/``.

Everything comes from ``sharing.overview.family_overview``, which asks the door and logs;
an actor without a basis gets the not-found page (``CitizenNotFound``) and nothing else.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from helhed.sharing.overview import family_overview


@require_GET
def overview(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    result = family_overview(request.user, citizen_id)
    return render(request, "sharing/overview.html", {
        "citizen": result.citizen,
        "overview": result,
        "people": result.people,
    })


urlpatterns: list[URLPattern] = [
    path("borgere/<uuid:citizen_id>/overblik/", overview, name="family-overview"),
]
