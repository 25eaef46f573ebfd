"""Pages for information requests: asking on a case, the supplier's inbox and answer page,
the request page and the dashboard of time saved (see assessment/urls.py).

The pages call ``assessment.services`` (and ``basis``, ``dashboard``) only; every rule lives
there, and its ``InvalidInput`` is shown next to the field it names. Nothing is saved then.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helhed.assessment import basis, dashboard, services, structured
from helhed.cases.models import Case
from helhed.cases.views.documents import read_upload
from helhed.core import clock
from helhed.core.errors import InvalidInput
from helhed.web.forms import field_errors, parse_date, parse_int

REQUEST_FIELDS = {"data_need", "recipient_kind", "recipient_unit", "recipient_department",
                  "recipient_name", "purpose", "basis", "period_from", "period_to",
                  "deadline"}
ANSWER_FIELDS = {"text", "structured", "file"}
ADMISSION_ROWS = 6


def case_url(case: Case) -> str:
    return reverse("case-detail", args=[case.uuid]) + "#indhentninger"


# --- asking -------------------------------------------------------------------------------

def _defaults() -> dict[str, str]:
    today = clock.today()
    return {"period_from": (today - dt.timedelta(days=182)).replace(day=1).isoformat(),
            "period_to": today.isoformat(),
            "deadline": (today + dt.timedelta(days=14)).isoformat(),
            "recipient_kind": "skole"}


def _request_form(request: HttpRequest, case: Case, values: QueryDict | dict[str, Any],
                  error: InvalidInput | None = None) -> HttpResponse:
    errors, form_error = field_errors(error, REQUEST_FIELDS)
    consents, rules = basis.options(request.user, case)
    return render(request, "assessment/request_new.html", {
        "case": case,
        "case_url": case_url(case),
        "values": values,
        "errors": errors,
        "form_error": form_error,
        "need_groups": services.need_groups(),
        "recipient_kinds": services.RECIPIENT_KIND_CHOICES,
        "recipients": services.recipient_choices(request.user),
        "consents": consents,
        "rules": rules,
    }, status=400 if error is not None else 200)


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = services.request_target(request.user, case_id)
    if request.method != "POST":
        return _request_form(request, case, {**_defaults(),
                                             "data_need": request.GET.get("behov", "")})
    post = request.POST
    chosen = post.get("basis", "")
    kind, _sep, key = chosen.partition(":")
    try:
        made = services.request_information(
            request.user, case.uuid, data_need_id=parse_int(post.get("data_need")),
            recipient_kind=post.get("recipient_kind", ""),
            recipient_unit_id=parse_int(post.get("recipient_unit")),
            recipient_department_code=post.get("recipient_department") or None,
            recipient_name=post.get("recipient_name", ""), purpose=post.get("purpose", ""),
            consent_uuid=key if kind == "samtykke" else None,
            rule_code=key if kind == "hjemmel" else None,
            period_from=parse_date(post.get("period_from")),
            period_to=parse_date(post.get("period_to")),
            deadline=parse_date(post.get("deadline")))
    except InvalidInput as exc:
        return _request_form(request, case, post, exc)
    messages.success(request, _("Indhentningen “%(need)s” er sendt til %(recipient)s.")
                     % {"need": made.data_need.title, "recipient": made.recipient_label},
                     extra_tags="indhentninger")
    return redirect("request-detail", request_id=made.uuid)


# --- the request page (caseworkers) -------------------------------------------------------

@require_GET
def request_detail(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    if services.is_supplier(request.user, request_id):
        return redirect("request-answer", request_id=request_id)
    found = services.get_request(request.user, request_id)
    reply = services.answer_of(found)
    return render(request, "assessment/request_detail.html", {
        "req": found,
        "case": found.case,
        "case_url": case_url(found.case),
        "answer": reply,
        "structure": services.structure_of(found),
        "rows": list(reply.structured or []) if reply else [],
        "may_register": services.may_register_answer(found),
        "errors": {},
    })


@require_POST
def request_cancel(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    reason = request.POST.get("reason", "")
    try:
        services.cancel(request.user, request_id, reason)
    except InvalidInput as exc:
        found = services.get_request(request.user, request_id)
        return render(request, "assessment/request_detail.html", {
            "req": found, "case": found.case, "case_url": case_url(found.case),
            "answer": None, "structure": services.structure_of(found), "rows": [],
            "may_register": services.may_register_answer(found),
            "errors": {"reason": exc.localized()}, "reason": reason,
        }, status=400)
    messages.success(request, _("Indhentningen er annulleret."))
    return redirect("request-detail", request_id=request_id)


@require_POST
def request_register(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """A caseworker registers the answer of an external recipient (came by post or phone)."""
    upload = request.FILES.get("file")
    try:
        services.answer(request.user, request_id, text=request.POST.get("text", ""),
                        file=read_upload(upload) if upload is not None else None)
    except InvalidInput as exc:
        found = services.get_request(request.user, request_id)
        errors, form_error = field_errors(exc, ANSWER_FIELDS)
        return render(request, "assessment/request_detail.html", {
            "req": found, "case": found.case, "case_url": case_url(found.case),
            "answer": None, "structure": services.structure_of(found), "rows": [],
            "may_register": services.may_register_answer(found), "errors": errors,
            "form_error": form_error, "text": request.POST.get("text", ""),
        }, status=400)
    messages.success(request, _("Svaret er registreret og lagt på sagen."))
    return redirect("request-detail", request_id=request_id)


# --- the supplier -------------------------------------------------------------------------

@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    items = services.requests_for(request.user)
    return render(request, "assessment/inbox.html", {
        "open": [i for i in items if i.is_open],
        "done": [i for i in items if not i.is_open][:50],
    })


def _rows_from(post: QueryDict, kind: str, months: list[tuple[str, str]]) -> list[dict[str, str]]:
    if kind == structured.ABSENCE:
        return [{"month": key, "percent": post.get(f"percent-{key}", "")} for key, _l in months
                if post.get(f"percent-{key}", "").strip()]
    if kind == structured.ADMISSIONS:
        return [{"from": post.get(f"from-{i}", ""), "to": post.get(f"to-{i}", ""),
                 "ward": post.get(f"ward-{i}", "")} for i in range(ADMISSION_ROWS)]
    return []


def _answer_page(request: HttpRequest, view: Any, *, values: dict[str, Any],
                 error: InvalidInput | None = None, status: int = 200) -> HttpResponse:
    errors, form_error = field_errors(error, ANSWER_FIELDS)
    months = structured.months_in(view.period_from, view.period_to)
    return render(request, "assessment/request_answer.html", {
        "view": view,
        "values": values,
        "errors": errors,
        "form_error": form_error,
        "months": [(key, label, values.get(f"percent-{key}", "")) for key, label in months],
        "admission_rows": [(i, values.get(f"from-{i}", ""), values.get(f"to-{i}", ""),
                            values.get(f"ward-{i}", "")) for i in range(ADMISSION_ROWS)],
        "answer_rows": [(structured.month_label(r["month"]), str(r["percent"]).replace(".", ","))
                        if view.structure == structured.ABSENCE else
                        (r["from"], r["to"] or "", r["ward"])
                        for r in (view.answer.rows if view.answer else [])],
    }, status=status)


@require_http_methods(["GET", "POST"])
def request_answer(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    view = services.supplier_request(request.user, request_id)
    if request.method != "POST":
        return _answer_page(request, view, values={})
    post = request.POST
    months = structured.months_in(view.period_from, view.period_to)
    upload = request.FILES.get("file")
    try:
        services.answer(request.user, view.uuid, text=post.get("text", ""),
                        structured_rows=_rows_from(post, view.structure, months),
                        file=read_upload(upload) if upload is not None else None)
    except InvalidInput as exc:
        return _answer_page(request, view, values=post.dict(), error=exc, status=400)
    messages.success(request, _("Tak. Svaret er sendt til %(name)s.")
                     % {"name": view.requested_by})
    return redirect("requests-inbox")


# --- the dashboard ------------------------------------------------------------------------

@require_GET
def savings(request: HttpRequest) -> HttpResponse:
    figures = dashboard.savings(request.user)
    return render(request, "assessment/dashboard.html", {"figures": figures})
