"""Pages: making a decision, a decision with its letters, and a letter's PDF.

Every read and write goes through ``cases.decisions``, which asks the door and logs. An
``InvalidInput`` is shown next to the field it names; nothing is saved then.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helhed.cases import decisions, letters
from helhed.cases.decisions import DecisionForm
from helhed.core.errors import InvalidInput
from helhed.messaging.http import inline_pdf
from helhed.web.forms import field_errors

FIELDS = {"title", "outcome", "legal_basis", "reasons", "citizen_display"}


def _form(request: HttpRequest, form: DecisionForm, values: QueryDict | dict[str, Any],
          error: InvalidInput | None = None) -> HttpResponse:
    errors, form_error = field_errors(error, FIELDS)
    return render(request, "cases/decisions/decision_new.html", {
        "case": form.case,
        "form": form,
        "values": values,
        "errors": errors,
        "form_error": form_error,
        "outcomes": decisions.OUTCOME_CHOICES,
        "displays": decisions.CITIZEN_DISPLAY_CHOICES,
        "legal_bases": [(b.code, f"{b.law} {b.paragraph} – {b.title}")
                        for b in form.legal_bases],
        "parties": form.parties.parties,
        "party_notes": form.parties.notes,
    }, status=400 if error is not None else 200)


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    form = decisions.decision_form(request.user, case_id)
    if request.method != "POST":
        return _form(request, form, {"citizen_display": "fuld"})
    post = request.POST
    try:
        decision = decisions.make_decision(
            request.user, case_id, title=post.get("title", ""),
            outcome=post.get("outcome", ""), legal_basis_code=post.get("legal_basis", ""),
            reasons=post.get("reasons", ""),
            citizen_display=post.get("citizen_display") or None)
    except InvalidInput as exc:
        return _form(request, form, post, exc)
    messages.success(request, _("Afgørelsen er truffet, og brevene er sendt."),
                     extra_tags="afgoerelse")
    return redirect("decision-detail", decision_id=decision.uuid)


@require_GET
def detail(request: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    decision = decisions.get_decision(request.user, decision_id)
    return render(request, "cases/decisions/decision_detail.html", {
        "decision": decision,
        "case": decision.case,
        "heading": letters.letter_title(decision),
    })


@require_GET
def letter_pdf(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter, data = decisions.letter_pdf(request.user, letter_id)
    return inline_pdf(data, f"{letter.title}.pdf")


urlpatterns: list[URLPattern] = [
    path("sager/<uuid:case_id>/afgoerelser/ny/", new, name="decision-new"),
    path("afgoerelser/<uuid:decision_id>/", detail, name="decision-detail"),
    path("breve/<uuid:letter_id>/pdf/", letter_pdf, name="letter-pdf"),
]
