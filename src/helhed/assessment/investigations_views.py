"""Pages for child investigations (Barnets lov § 20, ICS): starting one on a case and the
investigation page with the triangle's themes, the attached information requests, the
conversation with the child and the conclusion (see assessment/urls.py).

The pages call ``assessment.investigations`` only; an ``InvalidInput`` is shown next to the
field it names on the investigation page (status 400), and nothing is saved then.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helhed.assessment import ics, investigations
from helhed.core import clock
from helhed.core.errors import InvalidInput
from helhed.web.forms import field_errors, parse_date

FIELDS = {"started_on", "theme", "text", "held", "held_on", "summary", "reason_not_held",
          "request", "conclusion"}


@require_http_methods(["GET", "POST"])
def investigation_new(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = investigations.investigation_target(request.user, case_id)
    values: QueryDict | dict[str, Any] = {"started_on": clock.today().isoformat()}
    error: InvalidInput | None = None
    if request.method == "POST":
        values = request.POST
        try:
            made = investigations.start_investigation(
                request.user, case.uuid, started_on=parse_date(values.get("started_on")))
        except InvalidInput as exc:
            error = exc
        else:
            messages.success(request, _("Den børnefaglige undersøgelse er startet."))
            return redirect("investigation-detail", investigation_id=made.uuid)
    errors, form_error = field_errors(error, FIELDS)
    return render(request, "assessment/investigation_new.html", {
        "case": case, "values": values, "errors": errors, "form_error": form_error,
    }, status=400 if error is not None else 200)


def _page(request: HttpRequest, investigation_id: uuid.UUID,
          values: QueryDict | dict[str, Any] | None = None,
          error: InvalidInput | None = None) -> HttpResponse:
    found = investigations.get_investigation(request.user, investigation_id)
    notes = investigations.notes_of(found)
    links = investigations.requests_of(found)
    errors, form_error = field_errors(error, FIELDS)
    sides = [{"side": side,
              "note": notes.get(side.code),
              "requests": [x.request for x in links if x.theme == side.code],
              "themes": [{"theme": t, "note": notes.get(t.code),
                          "requests": [x.request for x in links if x.theme == t.code]}
                         for t in side.themes]}
             for side in ics.sides()]
    return render(request, "assessment/investigation_detail.html", {
        "inv": found, "case": found.case, "sides": sides,
        "themes": list(ics.themes().values()),
        "conversation": investigations.conversation_of(found),
        "linkable": investigations.linkable_requests(found) if found.state == "igang" else [],
        "values": values or {}, "errors": errors, "form_error": form_error,
    }, status=400 if error is not None else 200)


@require_GET
def investigation_detail(request: HttpRequest, investigation_id: uuid.UUID) -> HttpResponse:
    return _page(request, investigation_id)


def _act(request: HttpRequest, investigation_id: uuid.UUID,
         call: Callable[[], object], done: str) -> HttpResponse:
    try:
        call()
    except InvalidInput as exc:
        return _page(request, investigation_id, request.POST, exc)
    messages.success(request, done)
    return redirect("investigation-detail", investigation_id=investigation_id)


@require_POST
def investigation_theme(request: HttpRequest, investigation_id: uuid.UUID) -> HttpResponse:
    post = request.POST
    return _act(request, investigation_id, lambda: investigations.describe_theme(
        request.user, investigation_id, theme=post.get("theme", ""),
        text=post.get("text", "")), _("Temaet er gemt."))


@require_POST
def investigation_conversation(request: HttpRequest,
                               investigation_id: uuid.UUID) -> HttpResponse:
    post = request.POST
    return _act(request, investigation_id, lambda: investigations.record_conversation(
        request.user, investigation_id, held=post.get("held") == "ja",
        held_on=parse_date(post.get("held_on")), summary=post.get("summary", ""),
        reason_not_held=post.get("reason_not_held", "")),
        _("Samtalen med barnet er registreret."))


@require_POST
def investigation_link(request: HttpRequest, investigation_id: uuid.UUID) -> HttpResponse:
    post = request.POST
    return _act(request, investigation_id, lambda: investigations.link_request(
        request.user, investigation_id, request_uuid=post.get("request", ""),
        theme=post.get("theme", "")), _("Indhentningen er knyttet til temaet."))


@require_POST
def investigation_conclude(request: HttpRequest, investigation_id: uuid.UUID) -> HttpResponse:
    return _act(request, investigation_id, lambda: investigations.conclude(
        request.user, investigation_id, conclusion=request.POST.get("conclusion", "")),
        _("Undersøgelsen er afsluttet."))
