"""Pages: the citizen's consents, recording one (with the rule shown before saving), and
withdrawing one.

Recording is two steps: the form, then a preview that shows the rule in plain Danish
("Samtykket giver … adgang til …") with the values kept; only "Bekræft og gem" saves. Every
rule lives in ``sharing.consents``; an error is shown next to the field it names and
nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helhed.core import clock
from helhed.core.errors import InvalidInput
from helhed.people import services as people
from helhed.sharing import consents
from helhed.web.forms import field_errors, parse_date

FIELDS = {"given_by", "purpose", "categories", "from_departments", "from_providers",
          "to_providers", "form", "valid_from", "valid_to", "note"}


def _fields(post: QueryDict) -> dict[str, Any]:
    return {
        "given_by": post.getlist("given_by"),
        "purpose": post.get("purpose", ""),
        "categories": post.getlist("categories"),
        "from_departments": post.getlist("from_departments"),
        "from_providers": post.getlist("from_providers"),
        "to_providers": post.getlist("to_providers"),
        "form": post.get("form", ""),
        "valid_from": parse_date(post.get("valid_from")),
        "valid_to": parse_date(post.get("valid_to")),
        "note": post.get("note", ""),
    }


def _form(request: HttpRequest, citizen: Any, values: dict[str, Any],
          error: InvalidInput | None = None, rule: str = "") -> HttpResponse:
    errors, form_error = field_errors(error, FIELDS)
    user = request.user
    givers, _preselected = consents.giver_choices(user, citizen)
    return render(request, "sharing/consent_form.html", {
        "citizen": citizen,
        "values": values,
        "errors": errors,
        "form_error": form_error,
        "rule": rule,
        "givers": [(str(g.uuid), g.full_name) for g in givers],
        "categories": [(c.code, c.name) for c in consents.category_choices(user)],
        "departments": [(d.code, d.name) for d in consents.department_choices(user)],
        "providers": [(str(p.uuid), p.name) for p in consents.provider_choices(user)],
        "purposes": consents.PURPOSE_CHOICES,
        "forms": consents.FORM_CHOICES,
        "child": citizen.age_on(clock.today()) < consents.ADULT_AGE,
        "max_days": consents.MAX_VALIDITY_DAYS,
    }, status=400 if error is not None else 200)


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    citizen = people.access_citizen(request.user, citizen_id)
    if request.method != "POST":
        consents.require_write_basis(request.user, citizen, "samtykke: formular")
        _givers, chosen = consents.giver_choices(request.user, citizen)
        today = clock.today()
        return _form(request, citizen, {
            "given_by": [str(g.uuid) for g in chosen],
            "purpose": consents.PURPOSE_CHOICES[0][0],
            "form": consents.FORM_CHOICES[0][0],
            "valid_from": today.isoformat(),
            "valid_to": (today + dt.timedelta(days=365)).isoformat(),
            "categories": [], "from_departments": [], "from_providers": [],
            "to_providers": [],
        })
    post = request.POST
    fields = _fields(post)
    shown = {**fields, "valid_from": post.get("valid_from", ""),
             "valid_to": post.get("valid_to", "")}
    try:
        if post.get("step") != "confirm":
            rule = consents.preview_consent(request.user, citizen.uuid, **fields)
            return _form(request, citizen, shown, rule=rule)
        consents.record_consent(request.user, citizen.uuid, **fields)
    except InvalidInput as exc:
        return _form(request, citizen, shown, exc)
    messages.success(request, _("Samtykket er registreret."))
    return redirect("consent-list", citizen_id=citizen.uuid)


@require_GET
def listing(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    citizen = people.access_citizen(request.user, citizen_id)
    return render(request, "sharing/consent_list.html", {
        "citizen": citizen,
        "rows": consents.consents_of(request.user, citizen.uuid),
        "may_record": consents.may_record(request.user, citizen),
    })


@require_POST
def withdraw(request: HttpRequest, consent_id: uuid.UUID) -> HttpResponse:
    citizen_id = request.POST.get("borger", "")
    try:
        consent = consents.withdraw(request.user, consent_id, request.POST.get("note", ""))
    except InvalidInput as exc:
        messages.error(request, exc.localized())
        try:
            return redirect("consent-list", citizen_id=uuid.UUID(citizen_id))
        except ValueError:
            return redirect("citizen-search")
    messages.success(request, _("Samtykket er trukket tilbage. Det gælder fra nu af; det, der "
                                "allerede er indhentet, bliver på sagen."))
    return redirect(reverse("consent-list", args=[consent.citizen.uuid]))


urlpatterns: list[URLPattern] = [
    path("borgere/<uuid:citizen_id>/samtykke/", listing, name="consent-list"),
    path("borgere/<uuid:citizen_id>/samtykke/ny/", new, name="consent-new"),
    path("samtykker/<uuid:consent_id>/tilbagekald/", withdraw, name="consent-withdraw"),
]
