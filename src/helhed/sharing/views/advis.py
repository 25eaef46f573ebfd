"""Pages: the caseworker's advis (``adviser/``), the feed the work list polls
(``adviser/nye/?efter=<iso>``), marking advis read, and following citizens (abonnementer).

The page works without JavaScript (a list with "Markér som læst" buttons); ``advis.js``
polls the feed every few seconds and puts new advis at the top of the list, without
reload. Reads and writes go through ``sharing.advis`` and ``sharing.subscriptions``.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helhed.core.errors import InvalidInput, NotFound
from helhed.sharing import advis, subscriptions

POLL_SECONDS = advis.FEED_POLL_SECONDS


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return fallback


@require_GET
def advis_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("visning") == "ulaeste"
    found = advis.inbox(request.user, unread_only=unread_only)
    return render(request, "sharing/advis.html", {
        "advis": found, "unread_only": unread_only, "poll_seconds": POLL_SECONDS,
    })


@require_GET
def advis_feed(request: HttpRequest) -> HttpResponse:
    """New advis after ``efter`` (ISO 8601): JSON with the rows as HTML for the list
    (``html``), the unread count and the time to ask from next (``now``)."""
    try:
        since = advis.parse_since(request.GET.get("efter"))
    except InvalidInput as exc:
        return JsonResponse({"error": {"code": exc.code, "message": exc.localized(),
                                       "field": exc.field}}, status=422)
    found = advis.feed(request.user, since)
    html = render_to_string("sharing/advis_rows.html", {
        "rows": found.rows, "next_url": reverse("advis-list")}, request=request)
    if request.GET.get("format") == "html":
        return HttpResponse(html)
    return JsonResponse({
        "now": found.now.isoformat(), "unread": found.unread, "html": html,
        "items": [{"id": str(a.uuid), "kind": a.kind, "text": a.text, "may_open": a.may_open,
                   "url": a.url, "citizen": str(a.citizen.uuid),
                   "created_at": a.created_at.isoformat()} for a in found.rows],
    })


@require_POST
def advis_read(request: HttpRequest, advis_id: uuid.UUID) -> HttpResponse:
    try:
        advis.mark_read(request.user, advis_id)
    except NotFound as exc:
        if _wants_json(request):
            return JsonResponse({"error": exc.as_dict()}, status=404)
        raise
    if _wants_json(request):
        return JsonResponse({"read": str(advis_id)})
    messages.success(request, _("Adviset er markeret som læst."))
    return redirect(_next(request, reverse("advis-list")))


@require_POST
def advis_read_all(request: HttpRequest) -> HttpResponse:
    count = advis.mark_all_read(request.user)
    messages.success(request, _("%(count)s adviser er markeret som læst.") % {"count": count})
    return redirect(_next(request, reverse("advis-list")))


@require_GET
def subscription_list(request: HttpRequest) -> HttpResponse:
    rows = subscriptions.subscriptions_of(request.user)
    return render(request, "sharing/advis_subscriptions.html", {"rows": rows})


@require_POST
def subscribe(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    target = _next(request, reverse("subscription-list"))
    try:
        family = subscriptions.validate_family_flag(request.POST.get("familie", ""))
    except InvalidInput as exc:
        messages.error(request, exc.localized())
        return redirect(target)
    subscriptions.subscribe(request.user, citizen_id, family=family)
    messages.success(request, _("Du følger nu borgeren og får adviser i din arbejdsliste."))
    return redirect(target)


@require_POST
def unsubscribe(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    target = _next(request, reverse("subscription-list"))
    try:
        subscriptions.unsubscribe(request.user, citizen_id)
    except NotFound as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("Du følger ikke længere borgeren."))
    return redirect(target)


urlpatterns: list[URLPattern] = [
    path("adviser/", advis_list, name="advis-list"),
    path("adviser/nye/", advis_feed, name="advis-feed"),
    path("adviser/laest/", advis_read_all, name="advis-read-all"),
    path("adviser/<uuid:advis_id>/laest/", advis_read, name="advis-read"),
    path("abonnementer/", subscription_list, name="subscription-list"),
    path("borgere/<uuid:citizen_id>/abonner/", subscribe, name="subscribe"),
    path("borgere/<uuid:citizen_id>/afmeld/", unsubscribe, name="unsubscribe"),
]
