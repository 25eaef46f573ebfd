"""Page: the citizen's access log, ``borgere/<uuid>/adgangslog/`` — who looked at what,
when and on which basis, denials included. ``sharing.accesslog`` decides who may read it and
logs the reading itself."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET

from helhed.people import services as people
from helhed.sharing import accesslog
from helhed.sharing.policy import Purpose


def _since(value: str) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@require_GET
def access_log(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    since_text = request.GET.get("fra", "")
    rows = accesslog.access_log_of(request.user, citizen_id, since=_since(since_text))
    # The log was allowed: the citizen's name for the heading (a master-data look, logged).
    # An administrator reads the log for administration (a request for insight) and has no
    # role that looks citizens up: the heading then goes without the name.
    purpose = accesslog.default_purpose(request.user)
    citizen = (people.access_citizen(request.user, citizen_id, purpose)
               if purpose is not Purpose.ADMINISTRATION else None)
    return render(request, "sharing/accesslog.html", {
        "citizen": citizen,
        "rows": rows,
        "since": since_text,
        "limit": accesslog.MAX_ROWS,
    })


urlpatterns: list[URLPattern] = [
    path("borgere/<uuid:citizen_id>/adgangslog/", access_log, name="citizen-access-log"),
]
