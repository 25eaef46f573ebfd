"""API routes for the organisation: who am I, departments, units, roles, providers."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from helhed.organisation import services

router = Router(tags=["Organisation"])


class RoleOut(Schema):
    code: str
    name: str


class DepartmentOut(Schema):
    code: str
    name: str


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    department: str


class MeOut(Schema):
    username: str
    name: str
    unit: str | None
    department: str | None
    roles: list[RoleOut]


class ProviderOut(Schema):
    name: str
    kind: str
    offers: str


@router.get("/me", response=MeOut, summary="Den indloggede medarbejder")
def me(request: HttpRequest) -> MeOut:
    staff = services.staff_of(request.user)
    return MeOut(
        username=request.user.get_username(),
        name=request.user.get_full_name(),  # type: ignore[union-attr]
        unit=str(staff.unit) if staff and staff.unit_id else None,
        department=str(staff.department) if staff and staff.department else None,
        roles=[RoleOut(code=r.code, name=r.name) for r in services.roles_of(request.user)],
    )


@router.get("/departments", response=list[DepartmentOut], summary="Afdelinger")
def departments(request: HttpRequest) -> list[DepartmentOut]:
    return [DepartmentOut(code=d.code, name=d.name) for d in services.departments(request.user)]


@router.get("/units", response=list[UnitOut], summary="Enheder")
def units(request: HttpRequest) -> list[UnitOut]:
    return [UnitOut(id=u.pk, name=u.name, kind=u.kind, department=u.department.name)
            for u in services.units(request.user)]


@router.get("/roles", response=list[RoleOut], summary="Roller")
def roles(request: HttpRequest) -> list[RoleOut]:
    return [RoleOut(code=r.code, name=r.name) for r in services.all_roles(request.user)]


@router.get("/providers", response=list[ProviderOut], summary="Udførere")
def providers(request: HttpRequest) -> list[ProviderOut]:
    return [ProviderOut(name=p.name, kind=p.kind, offers=p.offers)
            for p in services.providers(request.user)]
