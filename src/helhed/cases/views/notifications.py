"""Pages: registering a notification (underretning) and working it — the legal clock, the
assessment, receipt, reply, second opinion and the family's other notifications.

Every read and write goes through ``cases.notifications``, which asks the door and logs. A
domain error is shown next to the field it names; nothing is saved then.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from helhed.cases import deadlines, notifications
from helhed.core import clock
from helhed.core.errors import InvalidInput
from helhed.people import services as people
from helhed.people.models import Citizen
from helhed.web.forms import field_errors

NEW_FIELDS = {"cpr", "received_date", "notifier_kind", "notifier_name",
              "notifier_organisation", "notifier_contact", "description"}
# The service's field names, as the form names them.
FORM_FIELD = {"received_at": "received_date", "child_id": "cpr"}
YES, NO = "ja", "nej"


def _yes_no(value: str | None) -> bool | None:
    return {YES: True, NO: False}.get(value or "")


def yes_no_choices() -> list[tuple[str, str]]:
    return [(YES, _("Ja")), (NO, _("Nej"))]


# --- a new notification -------------------------------------------------------------------

def _preselected(request: HttpRequest, value: str) -> Citizen | None:
    if not value:
        return None
    try:
        key = uuid.UUID(value)
    except ValueError:
        return None
    return people.access_citizen(request.user, key)


def _new_form(request: HttpRequest, child: Citizen | None, values: dict[str, Any],
              error: InvalidInput | None = None) -> HttpResponse:
    errors, form_error = field_errors(
        error, NEW_FIELDS if child is None else NEW_FIELDS - {"cpr"}, FORM_FIELD)
    return render(request, "cases/notifications/notification_new.html", {
        "child": child, "values": values, "errors": errors, "form_error": form_error,
        "notifier_kinds": notifications.NOTIFIER_CHOICES,
    }, status=400 if error is not None else 200)


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    notifications.check_may_receive(request.user)
    source = request.POST if request.method == "POST" else request.GET
    preselected = _preselected(request, source.get("barn", ""))
    if request.method != "POST":
        now = timezone.localtime(clock.now(), deadlines.local_tz())
        return _new_form(request, preselected, {"received_date": now.date().isoformat(),
                                                "received_time": now.strftime("%H:%M")})
    post = request.POST
    values = {k: post.get(k, "") for k in (*NEW_FIELDS, "received_time")}
    try:
        child = preselected or notifications.child_by_cpr(request.user, post.get("cpr", ""))
        received = notifications.parse_received(post.get("received_date", ""),
                                                post.get("received_time", ""))
        notification = notifications.receive(
            request.user, child.uuid, received_at=received,
            notifier_kind=post.get("notifier_kind", ""),
            notifier_name=post.get("notifier_name", ""),
            notifier_organisation=post.get("notifier_organisation", ""),
            notifier_contact=post.get("notifier_contact", ""),
            description=post.get("description", ""))
    except InvalidInput as exc:
        return _new_form(request, preselected, values, exc)
    messages.success(request, _("Underretningen er registreret. Fristerne løber fra "
                                "modtagelsen."), extra_tags="underretning")
    return redirect("notification-detail", notification_id=notification.uuid)


# --- the notification page ----------------------------------------------------------------

def _page(request: HttpRequest, notification_id: uuid.UUID, form: str = "",
          error: InvalidInput | None = None, values: dict[str, Any] | None = None,
          ) -> HttpResponse:
    page = notifications.notification_page(request.user, notification_id)
    n = page.notification
    errors, form_error = field_errors(
        error, {"child_in_danger", "assessment", "investigation_started", "second_opinion"},
        FORM_FIELD)
    case_link = ""
    if n.case_id is None:
        case_link = reverse("case-new") + "?" + urlencode(
            {"borger": str(n.child.uuid), "underretning": str(n.uuid)})
    return render(request, "cases/notifications/notification_detail.html", {
        "page": page, "notification": n, "related": page.related,
        "deadlines": page.deadlines, "case_link": case_link, "form": form,
        "errors": errors, "form_error": form_error, "values": values or {},
        "yes_no": yes_no_choices(),
    }, status=400 if error is not None else 200)


def detail(request: HttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    return _page(request, notification_id)


def _done(notification_id: uuid.UUID, message: str, request: HttpRequest,
          anchor: str) -> HttpResponse:
    messages.success(request, message, extra_tags="underretning")
    return redirect(reverse("notification-detail", args=[notification_id]) + anchor)


@require_POST
def assess(request: HttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    post = request.POST
    try:
        notifications.assess(request.user, notification_id,
                             child_in_danger=_yes_no(post.get("child_in_danger")),
                             assessment=post.get("assessment", ""))
    except InvalidInput as exc:
        return _page(request, notification_id, "vurdering", exc, dict(post.items()))
    return _done(notification_id, _("Vurderingen er gemt, og 24-timersfristen er overholdt."),
                 request, "#frister")


@require_POST
def receipt(request: HttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    try:
        notifications.send_receipt(request.user, notification_id)
    except InvalidInput as exc:
        return _page(request, notification_id, "kvittering", exc)
    return _done(notification_id, _("Kvitteringen til underretteren er registreret som "
                                    "sendt."), request, "#frister")


@require_POST
def reply(request: HttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    post = request.POST
    try:
        notifications.send_reply(request.user, notification_id,
                                 _yes_no(post.get("investigation_started")))
    except InvalidInput as exc:
        return _page(request, notification_id, "tilbagemelding", exc, dict(post.items()))
    return _done(notification_id, _("Tilbagemeldingen til underretteren er registreret som "
                                    "sendt."), request, "#frister")


@require_POST
def second_opinion(request: HttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    post = request.POST
    try:
        notifications.give_second_opinion(request.user, notification_id,
                                          post.get("second_opinion", ""))
    except InvalidInput as exc:
        return _page(request, notification_id, "second-opinion", exc, dict(post.items()))
    return _done(notification_id, _("Din second opinion er gemt."), request, "#frister")


urlpatterns: list[URLPattern] = [
    path("underretninger/ny/", new, name="notification-new"),
    path("underretninger/<uuid:notification_id>/", detail, name="notification-detail"),
    path("underretninger/<uuid:notification_id>/vurdering/", assess,
         name="notification-assess"),
    path("underretninger/<uuid:notification_id>/kvittering/", receipt,
         name="notification-receipt"),
    path("underretninger/<uuid:notification_id>/tilbagemelding/", reply,
         name="notification-reply"),
    path("underretninger/<uuid:notification_id>/second-opinion/", second_opinion,
         name="notification-second-opinion"),
]
