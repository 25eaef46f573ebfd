"""Plan pages: a plan version with the sections the reader may see, publishing the draft,
and the version as a PDF letter for one citizen of the plan (see plans/urls.py).

The pages call ``plans.services`` only; which sections show is decided there.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helhed.core.errors import InvalidInput, NotFound
from helhed.organisation import services as organisation
from helhed.plans import pdf, services
from helhed.plans.services import Audience
from helhed.web.forms import field_errors, parse_int


def _number(request: HttpRequest) -> int | None:
    raw = request.GET.get("version", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise NotFound(code="plans.version_not_found", message=services.VERSION_NOT_FOUND)
    return int(raw)


FIELDS = {"title", "text", "departments", "provider", "section", "goal", "progress"}


def _detail(request: HttpRequest, plan_id: uuid.UUID, form: str = "",
            error: InvalidInput | None = None) -> HttpResponse:
    view = services.read_plan(request.user, plan_id, _number(request))
    errors, form_error = field_errors(error, FIELDS)
    editing = (view.viewer.author and view.version.number == view.plan.version)
    context = {"view": view, "plan": view.plan, "editing": editing, "form": form,
               "errors": errors, "form_error": form_error,
               "values": request.POST if error is not None else {}}
    if editing:
        context["departments"] = [(d.code, d.name) for d in organisation.departments(
            request.user)]
        context["providers"] = [(str(p.uuid), p.name) for p in organisation.providers(
            request.user)]
        context["section_choices"] = [(str(s.uuid), s.title) for s in view.sections]
        context["goals"] = [g for s in view.sections for g in s.goals]  # type: ignore[attr-defined]
    return render(request, "plans/plan_detail.html", context,
                  status=400 if error is not None else 200)


NEW_FIELDS = {"kind", "title"}


@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    services.check_can_plan(request.user, case_id)
    error: InvalidInput | None = None
    values: QueryDict | dict[str, str] = {"kind": services.DEFAULT_KIND}
    if request.method == "POST":
        values = request.POST
        try:
            plan = services.create_plan_for_case(
                request.user, case_id, kind=values.get("kind", ""),
                title=values.get("title", ""), with_parents=values.get("parents") == "ja")
        except InvalidInput as exc:
            error = exc
        else:
            messages.success(request, _("Planen er oprettet."))
            return redirect("plan-detail", plan_id=plan.uuid)
    errors, form_error = field_errors(error, NEW_FIELDS)
    return render(request, "plans/plan_new.html", {
        "case_id": case_id, "values": values, "errors": errors, "form_error": form_error,
        "kinds": services.KINDS}, status=400 if error is not None else 200)


@require_GET
def plan_detail(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    return _detail(request, plan_id)


def _audience(post: QueryDict) -> Audience:
    return Audience(all_staff=post.get("all_staff") == "ja",
                    departments=post.getlist("departments"),
                    citizen=post.get("for_citizen") == "ja",
                    mother=post.get("for_mother") == "ja",
                    father=post.get("for_father") == "ja",
                    provider=post.get("provider") or None)


@require_POST
def section_add(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    try:
        services.add_section(request.user, plan_id, title=request.POST.get("title", ""),
                             text=request.POST.get("text", ""),
                             audience=_audience(request.POST))
    except InvalidInput as exc:
        return _detail(request, plan_id, "section", exc)
    messages.success(request, _("Afsnittet er tilføjet."))
    return redirect("plan-detail", plan_id=plan_id)


@require_POST
def goal_add(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    try:
        services.add_goal(request.user, plan_id, request.POST.get("section", ""),
                          title=request.POST.get("title", ""))
    except (InvalidInput, NotFound) as exc:
        if not isinstance(exc, InvalidInput):
            exc = InvalidInput(code=exc.code, message=exc.template, field=exc.field)
        return _detail(request, plan_id, "goal", exc)
    messages.success(request, _("Målet er tilføjet."))
    return redirect("plan-detail", plan_id=plan_id)


@require_POST
def goal_progress(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    progress = parse_int(request.POST.get("progress"))
    try:
        services.record_progress(request.user, request.POST.get("goal", ""),
                                 progress=-1 if progress is None else progress,
                                 note=request.POST.get("note", ""))
    except InvalidInput as exc:
        return _detail(request, plan_id, "progress", exc)
    messages.success(request, _("Fremdriften er gemt."))
    return redirect("plan-detail", plan_id=plan_id)


@require_POST
def plan_comment(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    number = parse_int(request.POST.get("version"))
    if number is None:
        raise NotFound(code="plans.version_not_found", message=services.VERSION_NOT_FOUND)
    services.record_comment(request.user, plan_id, number, request.POST.get("comment", ""))
    messages.success(request, _("Borgerens bemærkninger er gemt."))
    return redirect(f"{reverse('plan-detail', kwargs={'plan_id': plan_id})}?version={number}")


@require_POST
def plan_publish(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    try:
        version = services.publish(request.user, plan_id)
    except InvalidInput as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("Version %(number)s er offentliggjort.")
                         % {"number": version.number})
    return redirect("plan-detail", plan_id=plan_id)


@require_GET
def plan_letter(request: HttpRequest, plan_id: uuid.UUID, citizen_id: uuid.UUID
                ) -> HttpResponse:
    view = services.read_plan_for(request.user, plan_id, citizen_id, _number(request))
    response = HttpResponse(pdf.render(view), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{view.version.number}.pdf"'
    return response
