"""Administration of the organisation as data: departments, units, roles, staff, providers."""

from django.contrib import admin

from helhed.organisation.models import (
    Department,
    Municipality,
    Provider,
    Role,
    StaffMember,
    Unit,
)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "municipality")
    list_filter = ("municipality",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "department", "district")
    list_filter = ("kind", "department")
    search_fields = ("name",)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "start_page", "may_look_up_citizens", "is_provider",
                    "is_administrator")
    list_editable = ("may_look_up_citizens",)


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ("__str__", "title", "unit", "provider")
    list_filter = ("roles", "unit__department")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    filter_horizontal = ("roles",)
    raw_id_fields = ("user",)
    list_select_related = ("user", "unit", "provider")


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "cvr", "offers")
    list_filter = ("kind",)
