"""Correcting a citizen's contact details (phone, e-mail, preferred channel, …).

The page reads through ``people.services`` and writes with ``do_set_contact_details``: the
service decides who may write, checks every value and keeps the old details as history.
Its ``InvalidInput`` is shown next to the field it names; nothing is saved then.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from helhed.core import clock
from helhed.core.errors import InvalidInput
from helhed.people import services
from helhed.people.models import Citizen
from helhed.web.forms import (
    CHANNEL_CHOICES,
    CONTACT_FIELDS,
    EXEMPT_CHECKED,
    ContactInput,
    field_errors,
)


def _form(request: HttpRequest, citizen: Citizen, values: ContactInput,
          error: InvalidInput | None = None) -> HttpResponse:
    errors, form_error = field_errors(error, CONTACT_FIELDS)
    return render(request, "web/contact_edit.html", {
        "citizen": citizen,
        "values": values,
        "channels": CHANNEL_CHOICES,
        "exempt_checked": EXEMPT_CHECKED,
        "errors": errors,
        "form_error": form_error,
    }, status=400 if error is not None else 200)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    citizen = services.access_citizen(request.user, citizen_id)
    if request.method != "POST":
        history = services.contact_details_of(request.user, citizen)
        current = next((c for c in history if c.valid_to is None), None)
        return _form(request, citizen, ContactInput.of(current))
    values = ContactInput.from_post(request.POST)
    started = clock.now()
    try:
        details = services.do_set_contact_details(request.user, citizen, **asdict(values))
    except InvalidInput as exc:
        return _form(request, citizen, values, exc)
    # Details equal to the current ones come back unchanged, registered before this call.
    # The confirmation is shown in the contact section, where the user returns to.
    if details.registered_at >= started:
        messages.success(request, _("Kontaktoplysningerne er gemt. De tidligere står under "
                                    "Tidligere kontaktoplysninger."), extra_tags="kontakt")
    else:
        messages.info(request, _("Intet er ændret: kontaktoplysningerne var de samme."),
                      extra_tags="kontakt")
    return redirect(reverse("citizen-detail", args=[citizen.uuid]) + "#kontakt")
