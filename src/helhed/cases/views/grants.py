"""Pages: a new grant (on a case or for a citizen), a grant with its history, changing and
ending it, and a citizen's grants across departments.

Every read and write goes through ``cases.grants``, which asks the door and logs. An
``InvalidInput`` is shown next to the field it names; nothing is saved then.
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

from helhed.cases import grants, services
from helhed.cases.grants import GrantForm
from helhed.cases.history import history_rows
from helhed.cases.models import Grant
from helhed.core import clock
from helhed.core.errors import InvalidInput
from helhed.web.forms import field_errors

FORM_FIELDS = {"title", "amount", "unit", "valid_from", "valid_to", "provider",
               "legal_basis", "decision", "department", "citizen_display"}
CHANGE_FIELDS = {"amount", "valid_to"}
END_FIELDS = {"end_valid_to", "reason"}


def _date(value: str | None, field: str) -> dt.date | None:
    return grants.parse_date(value, field, required=False)


# --- a new grant --------------------------------------------------------------------------

def _form(request: HttpRequest, form: GrantForm, values: QueryDict | dict[str, Any],
          error: InvalidInput | None = None) -> HttpResponse:
    errors, form_error = field_errors(error, FORM_FIELDS)
    return render(request, "cases/grants/grant_new.html", {
        "form": form,
        "citizen": form.citizen,
        "case": form.case,
        "values": values,
        "errors": errors,
        "form_error": form_error,
        "units": grants.UNIT_CHOICES,
        "displays": grants.CITIZEN_DISPLAY_CHOICES,
        "providers": [(p.uuid, p.name) for p in form.providers],
        "legal_bases": [(b.code, f"{b.law} {b.paragraph} – {b.title}")
                        for b in form.legal_bases],
        "decisions": [(d.uuid, f"{d.title} ({d.decided_at:%d.%m.%Y})")
                      for d in form.decisions],
        "departments": ([(d.code, d.name) for d in services.department_choices(request.user)]
                        if form.case is None else []),
    }, status=400 if error is not None else 200)


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    case_id, citizen_id = source.get("sag", ""), source.get("borger", "")
    if not case_id and not citizen_id:
        messages.error(request, _("Opret bevillingen fra en sag eller fra borgerens side."))
        return redirect("citizen-search")
    form = grants.grant_form(request.user, case_uuid=case_id or None,
                             citizen_uuid=citizen_id or None)
    if request.method != "POST":
        return _form(request, form, {
            "valid_from": clock.today().isoformat(), "citizen_display": "fuld",
            "decision": request.GET.get("afgoerelse", ""),
            "department": form.department.code if form.department else ""})
    post = request.POST
    try:
        grant = grants.create_grant(
            request.user, form.citizen.uuid, title=post.get("title", ""),
            amount=post.get("amount", ""), unit=post.get("unit", ""),
            valid_from=_date(post.get("valid_from"), "valid_from"),
            valid_to=_date(post.get("valid_to"), "valid_to"),
            provider_id=post.get("provider") or None,
            legal_basis_code=post.get("legal_basis") or None,
            case_uuid=form.case.uuid if form.case else None,
            decision_uuid=post.get("decision") or None,
            department_code=None if form.case else post.get("department") or None,
            citizen_display=post.get("citizen_display") or None)
    except InvalidInput as exc:
        return _form(request, form, post, exc)
    messages.success(request, _("Bevillingen er oprettet."), extra_tags="bevilling")
    return redirect("grant-detail", grant_id=grant.uuid)


# --- one grant ----------------------------------------------------------------------------

def _detail(request: HttpRequest, grant: Grant, values: QueryDict | dict[str, Any] | None = None,
            error: InvalidInput | None = None, *, ending: bool = False) -> HttpResponse:
    if ending:
        errors, form_error = field_errors(error, END_FIELDS, {"valid_to": "end_valid_to"})
    else:
        errors, form_error = field_errors(error, CHANGE_FIELDS)
    return render(request, "cases/grants/grant_detail.html", {
        "grant": grant,
        "case": grant.case,
        "citizen": grant.citizen,
        "history": history_rows(grants.grant_history(request.user, grant)),
        "values": values or {"amount": str(grant.amount).replace(".", ","),
                             "valid_to": grant.valid_to.isoformat() if grant.valid_to else ""},
        "errors": errors,
        "form_error": form_error,
        "ending": ending,
    }, status=400 if error is not None else 200)


@require_GET
def detail(request: HttpRequest, grant_id: uuid.UUID) -> HttpResponse:
    return _detail(request, grants.get_grant(request.user, grant_id))


@require_POST
def change(request: HttpRequest, grant_id: uuid.UUID) -> HttpResponse:
    grant = grants.get_grant(request.user, grant_id)
    post = request.POST
    try:
        grants.change_grant(request.user, grant.uuid, amount=post.get("amount", ""),
                            valid_to=_date(post.get("valid_to"), "valid_to"))
    except InvalidInput as exc:
        return _detail(request, grants.get_grant(request.user, grant_id), post, exc)
    messages.success(request, _("Bevillingen er ændret."), extra_tags="bevilling")
    return redirect("grant-detail", grant_id=grant.uuid)


@require_POST
def end(request: HttpRequest, grant_id: uuid.UUID) -> HttpResponse:
    grant = grants.get_grant(request.user, grant_id)
    post = request.POST
    try:
        grants.end_grant(request.user, grant.uuid,
                         valid_to=_date(post.get("end_valid_to"), "valid_to"),
                         reason=post.get("reason", ""))
    except InvalidInput as exc:
        return _detail(request, grants.get_grant(request.user, grant_id), post, exc,
                       ending=True)
    messages.success(request, _("Bevillingen er ophørt."), extra_tags="bevilling")
    return redirect(reverse("grant-detail", args=[grant.uuid]))


# --- a citizen's grants -------------------------------------------------------------------

@require_GET
def of_citizen(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    citizen, rows = grants.citizen_grants(request.user, citizen_id)
    return render(request, "cases/grants/citizen_grants.html", {
        "citizen": citizen,
        "rows": rows,
        "withheld_any": any(r.withheld for r in rows),
    })


urlpatterns: list[URLPattern] = [
    path("bevillinger/ny/", new, name="grant-new"),
    path("bevillinger/<uuid:grant_id>/", detail, name="grant-detail"),
    path("bevillinger/<uuid:grant_id>/ret/", change, name="grant-change"),
    path("bevillinger/<uuid:grant_id>/ophoer/", end, name="grant-end"),
    path("borgere/<uuid:citizen_id>/bevillinger/", of_citizen, name="citizen-grants"),
]
