"""Pages for adult assessments (VUM 2.0): recording one on a case, reading it, and a
citizen's functional levels over time (see assessment/urls.py).

The pages call ``assessment.assessments`` only; its ``InvalidInput`` is shown next to the
field it names, and nothing is saved then.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helhed.assessment import assessments, vum
from helhed.cases.models import Case
from helhed.core import clock
from helhed.core.errors import InvalidInput
from helhed.web.forms import field_errors, parse_date


def _field_names() -> set[str]:
    names = {"assessed_on", "summary", "levels"}
    for code in vum.themes():
        names |= {f"level_{code}", f"citizen_level_{code}", f"text_{code}"}
    return names


def _level_choices() -> list[tuple[str, str]]:
    return [(str(level), _(label)) for level, label in vum.LEVEL_LABELS.items()]


def _label(level: int | None) -> str:
    return _(vum.LEVEL_LABELS[level]) if level is not None else "–"


def _rows(values: QueryDict | dict[str, Any], errors: dict[str, str]) -> list[dict[str, Any]]:
    return [{"theme": theme, "parts_title": theme.part,
             "level": values.get(f"level_{code}", ""),
             "citizen_level": values.get(f"citizen_level_{code}", ""),
             "text": values.get(f"text_{code}", ""),
             "level_error": errors.get(f"level_{code}", ""),
             "citizen_level_error": errors.get(f"citizen_level_{code}", ""),
             "text_error": errors.get(f"text_{code}", "")}
            for code, theme in vum.themes().items()]


def _form(request: HttpRequest, case: Case, values: QueryDict | dict[str, Any],
          error: InvalidInput | None = None) -> HttpResponse:
    errors, form_error = field_errors(error, _field_names())
    return render(request, "assessment/adult_assessment_new.html", {
        "case": case,
        "values": values,
        "errors": errors,
        "form_error": form_error,
        "rows": _rows(values, errors),
        "level_choices": _level_choices(),
    }, status=400 if error is not None else 200)


@require_http_methods(["GET", "POST"])
def adult_assessment_new(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = assessments.assessment_target(request.user, case_id)
    if request.method != "POST":
        return _form(request, case, {"assessed_on": clock.today().isoformat()})
    post = request.POST
    levels = [assessments.LevelIn(theme=code, level=post.get(f"level_{code}", ""),
                                  citizen_level=post.get(f"citizen_level_{code}", ""),
                                  text=post.get(f"text_{code}", ""))
              for code in vum.themes()]
    try:
        made = assessments.record_adult_assessment(
            request.user, case.uuid, assessed_on=parse_date(post.get("assessed_on")),
            levels=levels, summary=post.get("summary", ""))
    except InvalidInput as exc:
        return _form(request, case, post, exc)
    messages.success(request, _("Voksenudredningen er gemt."))
    return redirect("adult-assessment-detail", assessment_id=made.uuid)


@require_GET
def adult_assessment_detail(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    found = assessments.get_assessment(request.user, assessment_id)
    return render(request, "assessment/adult_assessment_detail.html", {
        "assessment": found,
        "case": found.case,
        "rows": [{"theme": theme, "level": _label(row.level if row else None),
                  "citizen_level": _label(row.citizen_level if row else None),
                  "text": row.text if row else ""}
                 for theme, row in assessments.levels_of(found)],
        "levels_url": reverse("functional-levels", args=[found.citizen.uuid]),
    })


@require_GET
def functional_levels(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    found = assessments.levels_over_time(request.user, citizen_id)
    themes = vum.themes()
    return render(request, "assessment/functional_levels.html", {
        "rows": [{"theme": themes[code],
                  "points": [{"on": p.assessed_on, "level": _label(p.level),
                              "citizen_level": _label(p.citizen_level)} for p in points]}
                 for code, points in found.items() if code in themes],
    })
