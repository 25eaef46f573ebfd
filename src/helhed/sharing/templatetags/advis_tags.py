"""``{% load advis_tags %}{% advis_panel %}``: the advis panel for the work list and the start
page. Reads the logged-in caseworker's advis through ``sharing.advis.inbox`` (which logs
what it shows); shows nothing for someone who is not a caseworker."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from helhed.core.errors import AccessDenied
from helhed.sharing import advis

register = template.Library()


@register.inclusion_tag("sharing/advis_list.html", takes_context=True)
def advis_panel(context: template.Context, limit: int = 10) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    try:
        found = advis.inbox(user, limit=limit) if user is not None else None
    except AccessDenied:
        found = None
    return {"advis": found, "poll_seconds": advis.FEED_POLL_SECONDS,
            "next_url": request.get_full_path()
            if request is not None else reverse("advis-list"), "request": request,
            "csrf_token": context.get("csrf_token"), "shown": found is not None}
