"""Administration of the organisation as data: departments, units, roles, staff, providers."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from helhed.core.events import emit
from helhed.core.models import Sensitivity
from helhed.organisation.models import (
    Department,
    Municipality,
    Provider,
    Role,
    StaffMember,
    Unit,
)


class EventAdmin(admin.ModelAdmin):
    """Admin whose every save and delete emits an event (ARCHITECTURE.md rule 2).

    The admin's change and delete views run in a transaction, so the event is stored with
    the change or not at all.
    """

    def _emit(self, request: HttpRequest, obj: models.Model, action: str,
              changed: list[str]) -> None:
        meta = obj._meta
        emit(f"{meta.app_label}.{meta.model_name}.{action}", object_type=meta.model_name or "",
             object_id=obj.pk, actor=request.user.get_username(),
             sensitivity=Sensitivity.NOT_CONFIDENTIAL,
             payload={"changed": changed, "text": str(obj)[:200]})

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._emit(request, obj, "changed" if change else "created",
                   list(form.changed_data) if change else [])

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._emit(request, obj, "deleted", [])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self._emit(request, obj, "deleted", [])
        super().delete_queryset(request, queryset)


@admin.register(Municipality)
class MunicipalityAdmin(EventAdmin):
    list_display = ("code", "name", "region")


@admin.register(Department)
class DepartmentAdmin(EventAdmin):
    list_display = ("name", "code", "municipality")
    list_filter = ("municipality",)


@admin.register(Unit)
class UnitAdmin(EventAdmin):
    list_display = ("name", "kind", "department", "district")
    list_filter = ("kind", "department")
    search_fields = ("name",)


@admin.register(Role)
class RoleAdmin(EventAdmin):
    list_display = ("name", "code", "start_page", "may_look_up_citizens", "is_provider",
                    "is_administrator")
    list_editable = ("may_look_up_citizens",)


@admin.register(StaffMember)
class StaffMemberAdmin(EventAdmin):
    list_display = ("__str__", "title", "unit", "provider")
    list_filter = ("roles", "unit__department")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    filter_horizontal = ("roles",)
    raw_id_fields = ("user",)
    list_select_related = ("user", "unit", "provider")


@admin.register(Provider)
class ProviderAdmin(EventAdmin):
    list_display = ("name", "kind", "cvr", "offers")
    list_filter = ("kind",)


class StaffUserAdmin(EventAdmin, UserAdmin):
    """Logins, with events on every change. Passwords are never put in an event."""

    def _emit(self, request: HttpRequest, obj: models.Model, action: str,
              changed: list[str]) -> None:
        super()._emit(request, obj, action, [f for f in changed if "password" not in f])


admin.site.unregister(User)
admin.site.unregister(Group)
admin.site.register(User, StaffUserAdmin)
