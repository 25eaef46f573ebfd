"""API routes: target-group search (målgruppesøgning) and its CSV export, under
/api/v1/sharing/. Each route calls ``sharing.targets``: the basis, the checks, the query
and the access log live there."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from helhed.sharing import targets

router = Router()


class DepartmentCountOut(Schema):
    code: str
    name: str
    citizens: int


class TargetRowOut(Schema):
    id: uuid.UUID
    name: str
    cpr: str
    age: int
    district: str | None  # null: name and address protection
    departments: list[str]


class TargetResultOut(Schema):
    basis: str  # the rule's paragraph and name
    basis_code: str
    criteria: str
    total: int
    more: bool  # there were more than the rows returned (at most 5 000)
    counts: list[DepartmentCountOut]
    rows: list[TargetRowOut]

    @staticmethod
    def of(result: targets.TargetResult) -> TargetResultOut:
        return TargetResultOut(
            basis=result.basis.label, basis_code=result.basis.code,
            criteria=result.criteria.describe(), total=result.total, more=result.more,
            counts=[DepartmentCountOut(code=d.code, name=d.name, citizens=n)
                    for d, n in result.department_counts()],
            rows=[TargetRowOut(id=r.uuid, name=r.name, cpr=r.cpr, age=r.age,
                               district=r.district, departments=list(r.departments))
                  for r in result.rows])


class TargetQuery(Schema):
    departments: list[str] = Field(default_factory=list)
    min_departments: int | None = None
    family: bool = False
    age_min: int | None = None
    age_max: int | None = None
    district: str = ""

    def criteria(self) -> targets.TargetCriteria:
        return targets.criteria_from(self.departments, self.min_departments, self.family,
                                     self.age_min, self.age_max, self.district)


@router.get("/targets", response=TargetResultOut,
            summary="Målgruppesøgning: borgere med åbne sager i flere afdelinger")
def search_targets(request: HttpRequest, query: Query[TargetQuery]) -> TargetResultOut:
    """Citizens with an open case, grant or external case in at least ``min_departments``
    (default 2) of ``departments`` (department codes), and/or (``family``) children under
    investigation with a parent with a jobcenter case, and those parents; ``age_min``,
    ``age_max`` and ``district`` narrow the result. Metadata only; needs a legal basis for
    target-group search (else 403 ``sharing.targets.no_basis``); logged per citizen."""
    return TargetResultOut.of(targets.search_targets(request.user, query.criteria()))


@router.get("/targets.csv", summary="Målgruppesøgningen som CSV (semikolon, UTF-8 med BOM)")
def search_targets_csv(request: HttpRequest, query: Query[TargetQuery]) -> HttpResponse:
    """The same search as ``/targets``, as a file for Excel; logged as ``export``."""
    name, content = targets.export_targets_csv(request.user, query.criteria())
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
