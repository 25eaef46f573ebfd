"""Pages: opening a case, the case page, the journal, changing state, closing.

Every read and write goes through ``cases.services`` (and the other parts' modules), which
ask the policy door and log. A domain error is shown next to the field it names; nothing is
saved then.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from helhed.assessment import services as assessment
from helhed.cases import (
    access,
    deadlines,
    decisions,
    documents,
    grants,
    notifications,
    services,
)
from helhed.cases.history import history_rows
from helhed.cases.models import Case, JournalEntry
from helhed.core import clock
from helhed.core.errors import InvalidInput
from helhed.people import services as people
from helhed.web.forms import field_errors, parse_date, parse_int

NEW_CASE_FIELDS = {"title", "department", "unit", "responsible", "kle", "legal_basis",
                   "sensitivity", "citizen_display", "citizen", "notification"}
JOURNAL_FIELDS = {"kind", "occurred_on", "title", "text", "citizen_display"}


# --- a new case ---------------------------------------------------------------------------

def _new_case_form(request: HttpRequest, citizen: Any, values: QueryDict | dict[str, Any],
                   error: InvalidInput | None = None) -> HttpResponse:
    errors, form_error = field_errors(error, NEW_CASE_FIELDS)
    staff = access.caseworker(request.user)
    department = staff.unit.department if staff.unit else None
    return render(request, "cases/case_new.html", {
        "citizen": citizen,
        "values": values,
        "errors": errors,
        "form_error": form_error,
        "departments": [(d.code, d.name) for d in services.department_choices(request.user)],
        "department": values.get("department") or (department.code if department else ""),
        "responsibles": [(s.pk, f"{s} ({s.unit})") for s in
                         (services.staff_choices(request.user, department)
                          if department else [])],
        "legal_bases": [(b.code, f"{b.law_short} {b.paragraph} {b.title}")
                        for b in services.legal_basis_choices(request.user)],
        "sensitivities": services.SENSITIVITY_CHOICES,
        "displays": services.DISPLAY_CHOICES,
    }, status=400 if error is not None else 200)


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    citizen_id = source.get("borger", "")
    try:
        citizen = people.access_citizen(request.user, uuid.UUID(citizen_id))
    except ValueError:
        messages.error(request, _("Find borgeren først, og opret sagen fra borgerens side."))
        return redirect("citizen-search")
    if request.method != "POST":
        values: dict[str, Any] = {"notification": request.GET.get("underretning", ""),
                                  "responsible": str(access.caseworker(
                                      request.user).pk)}
        return _new_case_form(request, citizen, values)
    post = request.POST
    try:
        case = services.open_case(
            request.user, citizen.uuid, title=post.get("title", ""),
            department_code=post.get("department") or None,
            responsible_id=parse_int(post.get("responsible")),
            kle_numbers=[k for k in post.get("kle", "").replace(",", "\n").splitlines()],
            legal_basis_code=post.get("legal_basis") or None,
            sensitivity=post.get("sensitivity") or None,
            citizen_display=post.get("citizen_display") or None,
            notification_uuid=post.get("notification") or None)
    except InvalidInput as exc:
        return _new_case_form(request, citizen, post, exc)
    messages.success(request, _("Sagen %(number)s er oprettet.") % {"number": case.number})
    return redirect("case-detail", case_id=case.uuid)


# --- the case page ------------------------------------------------------------------------

def detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = services.get_case(request.user, case_id)
    user = request.user
    journal = services.journal_of(user, case)
    context = {
        "case": case,
        "kle": services.kle_of(case),
        "journal": journal,
        "notifications": notifications.notifications_of_case(user, case),
        "deadlines": deadlines.deadlines_of_case(user, case),
        "documents": documents.documents_of(user, case),
        "decisions": decisions.decisions_of(user, case),
        "grants": grants.grants_of_case(user, case),
        "requests": assessment.requests_of_case(user, case),
        "history": history_rows(services.history_of(user, case)),
        "open_deadlines": services.open_deadlines(case),
        "moves": services.state_moves(case),
        "today": clock.today().isoformat(),
    }
    return render(request, "cases/case_detail.html", context)


@require_POST
def change_state(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    try:
        case = services.set_state(request.user, case_id, request.POST.get("state", ""))
    except InvalidInput as exc:
        messages.error(request, exc.localized(), extra_tags="sag")
        return redirect(reverse("case-detail", args=[case_id]) + "#sag")
    messages.success(request, _("Sagen er nu: %(state)s.") % {
        "state": case.get_state_display()}, extra_tags="sag")
    return redirect(reverse("case-detail", args=[case_id]) + "#sag")


@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = services.get_case(request.user, case_id)
    error: InvalidInput | None = None
    if request.method == "POST":
        try:
            services.close_case(request.user, case_id, request.POST.get("reason", ""))
        except InvalidInput as exc:
            error = exc
        else:
            messages.success(request, _("Sagen er afsluttet."), extra_tags="sag")
            return redirect(reverse("case-detail", args=[case_id]) + "#sag")
    errors, form_error = field_errors(error, {"reason"})
    return render(request, "cases/case_close.html", {
        "case": case,
        "open_deadlines": services.open_deadlines(case),
        "deadlines": [d for d in deadlines.deadlines_of_case(request.user, case) if d.open],
        "values": request.POST,
        "errors": errors,
        "form_error": form_error,
    }, status=400 if error is not None else 200)


# --- the journal --------------------------------------------------------------------------

def _journal_form(request: HttpRequest, case: Case, values: QueryDict | dict[str, Any],
                  error: InvalidInput | None = None,
                  corrects: JournalEntry | None = None) -> HttpResponse:
    errors, form_error = field_errors(error, JOURNAL_FIELDS)
    return render(request, "cases/journal_form.html", {
        "case": case,
        "corrects": corrects,
        "values": values,
        "errors": errors,
        "form_error": form_error,
        "kinds": services.JOURNAL_KIND_CHOICES,
        "displays": services.DISPLAY_CHOICES,
    }, status=400 if error is not None else 200)


@require_http_methods(["GET", "POST"])
def journal_new(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = services.get_case(request.user, case_id)
    if request.method != "POST":
        return _journal_form(request, case, {"occurred_on": clock.today().isoformat(),
                                             "kind": services.JOURNAL_DEFAULT_KIND})
    post = request.POST
    try:
        services.add_journal_entry(
            request.user, case.uuid, kind=post.get("kind", ""),
            occurred_on=parse_date(post.get("occurred_on", "")), title=post.get("title", ""),
            text=post.get("text", ""), citizen_display=post.get("citizen_display") or None)
    except InvalidInput as exc:
        return _journal_form(request, case, post, exc)
    messages.success(request, _("Journalnotatet er gemt."), extra_tags="journal")
    return redirect(reverse("case-detail", args=[case.uuid]) + "#journal")


@require_http_methods(["GET", "POST"])
def journal_correct(request: HttpRequest, case_id: uuid.UUID,
                    entry_id: uuid.UUID) -> HttpResponse:
    case = services.get_case(request.user, case_id)
    entry = next((e for e in services.journal_of(request.user, case) if e.uuid == entry_id),
                 None)
    if entry is None:
        return render(request, "web/error.html", {"title": _("Journalnotatet findes ikke.")},
                      status=404)
    if request.method != "POST":
        return _journal_form(request, case, {"occurred_on": entry.occurred_on.isoformat(),
                                             "title": entry.title, "text": entry.text},
                             corrects=entry)
    post = request.POST
    try:
        services.correct_journal_entry(
            request.user, entry.uuid, occurred_on=parse_date(post.get("occurred_on", "")),
            title=post.get("title", ""), text=post.get("text", ""))
    except InvalidInput as exc:
        return _journal_form(request, case, post, exc, corrects=entry)
    messages.success(request, _("Rettelsen er gemt. Det oprindelige notat står uændret."),
                     extra_tags="journal")
    return redirect(reverse("case-detail", args=[case.uuid]) + "#journal")


urlpatterns: list[URLPattern] = [
    path("sager/ny/", new, name="case-new"),
    path("sager/<uuid:case_id>/", detail, name="case-detail"),
    path("sager/<uuid:case_id>/tilstand/", change_state, name="case-state"),
    path("sager/<uuid:case_id>/afslut/", close, name="case-close"),
    path("sager/<uuid:case_id>/journal/ny/", journal_new, name="journal-new"),
    path("sager/<uuid:case_id>/journal/<uuid:entry_id>/ret/", journal_correct,
         name="journal-correct"),
]
