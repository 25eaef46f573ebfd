"""Pages: the work list (arbejdsliste), a follow-up deadline on a case, and marking a
follow-up met. Reads and writes go through ``cases.worklist`` and ``cases.deadlines``."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from helhed.cases import deadlines, services, worklist
from helhed.core import clock
from helhed.core.errors import InvalidInput
from helhed.web.forms import field_errors

UNIT_VIEW = "enhed"  # ?visning=enhed
FOLLOW_UP_FIELDS = {"title", "due_on", "kind"}


def work_list(request: HttpRequest) -> HttpResponse:
    scope = worklist.UNIT if request.GET.get("visning") == UNIT_VIEW else worklist.MINE
    found = worklist.work_list(request.user, scope=scope)
    return render(request, "cases/worklist/work_list.html", {
        "work": found, "unit_view": scope == worklist.UNIT,
        "new_document_days": worklist.NEW_DOCUMENT_DAYS,
    })


@require_http_methods(["GET", "POST"])
def deadline_new(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = services.get_case(request.user, case_id)
    values = {"title": "", "due_on": "", "kind": "opfoelgning"}
    error: InvalidInput | None = None
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in FOLLOW_UP_FIELDS}
        try:
            deadlines.add_manual(request.user, case.uuid, title=values["title"],
                                 due_on=deadlines.parse_due_on(values["due_on"]),
                                 kind=values["kind"] or "opfoelgning")
        except InvalidInput as exc:
            error = exc
        else:
            messages.success(request, _("Fristen er sat."), extra_tags="frister")
            return redirect(reverse("case-detail", args=[case.uuid]) + "#frister")
    errors, form_error = field_errors(error, FOLLOW_UP_FIELDS)
    return render(request, "cases/worklist/deadline_new.html", {
        "case": case, "values": values, "errors": errors, "form_error": form_error,
        "kinds": deadlines.manual_kind_choices(), "today": clock.today().isoformat(),
    }, status=400 if error is not None else 200)


@require_POST
def deadline_meet(request: HttpRequest, deadline_id: uuid.UUID) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("work-list")
    try:
        deadlines.meet(request.user, deadline_id)
    except InvalidInput as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("Fristen er markeret som overholdt."))
    return redirect(target)


urlpatterns: list[URLPattern] = [
    path("arbejdsliste/", work_list, name="work-list"),
    path("sager/<uuid:case_id>/frister/ny/", deadline_new, name="deadline-new"),
    path("frister/<uuid:deadline_id>/overholdt/", deadline_meet, name="deadline-meet"),
]
