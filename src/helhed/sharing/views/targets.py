"""Pages: target-group search (målgruppesøgning) and its CSV export. Everything goes
through ``sharing.targets``: the basis, the checks, the query and the access log."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from helhed.core.errors import InvalidInput
from helhed.sharing import targets

FIELDS = ("departments", "min_departments", "family", "age_min", "age_max", "district")
DEFAULT_DEPARTMENTS = ("boernesocial", "voksensocial", "jobcenter")
YES = "ja"


def _criteria(request: HttpRequest) -> targets.TargetCriteria:
    get = request.GET
    return targets.criteria_from(
        get.getlist("departments"), get.get("min_departments"), get.get("family") == YES,
        get.get("age_min"), get.get("age_max"), get.get("district", ""))


def _values(request: HttpRequest, basis: targets.SearchBasis) -> dict[str, object]:
    """What the form shows: the query, or the suggested search on a first visit."""
    get = request.GET
    if not get:
        return {"departments": [c for c in DEFAULT_DEPARTMENTS if basis.department(c)],
                "min_departments": "2", "family": False, "age_min": "", "age_max": "",
                "district": ""}
    return {"departments": get.getlist("departments"),
            "min_departments": get.get("min_departments", ""),
            "family": get.get("family") == YES, "age_min": get.get("age_min", ""),
            "age_max": get.get("age_max", ""), "district": get.get("district", "")}


@require_GET
def target_search(request: HttpRequest) -> HttpResponse:
    basis = targets.search_basis(request.user)  # refusal: logged, 403 page
    context: dict[str, object] = {"basis": basis, "values": _values(request, basis),
                                  "districts": targets.districts(basis), "errors": {},
                                  "max_rows": targets.MAX_ROWS,
                                  "page_rows": targets.PAGE_ROWS}
    status = 200
    if request.GET:
        try:
            result = targets.search_targets(request.user, _criteria(request))
        except InvalidInput as exc:
            context["errors"] = {exc.field or "departments": exc.localized()}
            status = 400
        else:
            context["result"] = result
            context["csv_query"] = request.GET.urlencode()
    return render(request, "sharing/targets.html", context, status=status)


@require_GET
def target_search_csv(request: HttpRequest) -> HttpResponse:
    name, content = targets.export_targets_csv(request.user, _criteria(request))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("maalgruppe/", target_search, name="target-search"),
    path("maalgruppe/csv/", target_search_csv, name="target-search-csv"),
]
