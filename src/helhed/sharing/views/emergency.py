"""Pages: starting emergency access (akut adgang) for on-call staff, ending it, and the
leader's review queue with one access's review page.

Every rule lives in ``sharing.emergency``; a refusal is logged there and shown as the
error page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helhed.core.errors import InvalidInput
from helhed.sharing import emergency
from helhed.web.forms import field_errors

HOURS = [(str(h), str(h)) for h in (1, 2, 4, 8, 12, 16, 24)]


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    citizen = emergency.require_on_call(request.user, citizen_id)
    values = {"hours": str(emergency.DEFAULT_HOURS), "reason": ""}
    errors: dict[str, str] = {}
    form_error = ""
    if request.method == "POST":
        values = {"hours": request.POST.get("hours", ""),
                  "reason": request.POST.get("reason", "")}
        try:
            access = emergency.start(request.user, citizen.uuid, values["reason"],
                                     values["hours"])
        except InvalidInput as exc:
            errors, form_error = field_errors(exc, {"reason", "hours"})
        else:
            messages.success(request, _(
                "Du har akut adgang til familien indtil %(until)s. Alt, du ser, logges som "
                "akut og gennemgås af en leder.") % {
                "until": timezone.localtime(access.expires_at).strftime("%d.%m.%Y %H:%M")})
            return redirect("citizen-detail", citizen_id=citizen.uuid)
    return render(request, "sharing/emergency_start.html", {
        "citizen": citizen,
        "values": values,
        "errors": errors,
        "form_error": form_error,
        "hours": HOURS,
        "active": emergency.active_of(request.user),
        "min_reason": emergency.MIN_REASON,
    }, status=400 if errors or form_error else 200)


@require_POST
def end(request: HttpRequest, access_id: uuid.UUID) -> HttpResponse:
    try:
        access = emergency.end(request.user, access_id)
    except InvalidInput as exc:
        messages.error(request, exc.localized())
        return redirect("start")
    messages.success(request, _("Den akutte adgang er afsluttet."))
    return redirect("citizen-detail", citizen_id=access.citizen.uuid)


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "sharing/emergency_queue.html", {
        "items": emergency.review_queue(request.user),
    })


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, access_id: uuid.UUID) -> HttpResponse:
    errors: dict[str, str] = {}
    form_error = ""
    values = {"verdict": "", "note": ""}
    if request.method == "POST":
        values = {"verdict": request.POST.get("verdict", ""),
                  "note": request.POST.get("note", "")}
        if values["verdict"] not in {"godkendt", "kritik"}:
            errors["verdict"] = _("Vælg, om adgangen var i orden.")
        else:
            try:
                emergency.review(request.user, access_id, values["verdict"] == "godkendt",
                                 values["note"])
            except InvalidInput as exc:
                if exc.field == "note":
                    errors["note"] = exc.localized()
                else:
                    form_error = exc.localized()
            else:
                messages.success(request, _("Gennemgangen er gemt."))
                return redirect("emergency-review")
    item = emergency.review_item(request.user, access_id)
    return render(request, "sharing/emergency_review.html", {
        "item": item,
        "values": values,
        "errors": errors,
        "form_error": form_error,
        "verdicts": [("godkendt", _("Adgangen var i orden")),
                     ("kritik", _("Adgangen var ikke i orden"))],
    }, status=400 if errors or form_error else 200)


urlpatterns: list[URLPattern] = [
    path("borgere/<uuid:citizen_id>/akut/", start, name="emergency-start"),
    path("akut/gennemgang/", queue, name="emergency-review"),
    path("akut/<uuid:access_id>/", review, name="emergency-review-detail"),
    path("akut/<uuid:access_id>/afslut/", end, name="emergency-end"),
]
