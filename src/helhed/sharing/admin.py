"""Sharing in the administration.

Data categories and legal-basis rules (hjemmelsregler) are data an administrator edits;
every change is an event (``EventAdmin``) and the policy forgets its cached categories at
once (``sharing.apps``). Consents and emergency accesses are shown read-only and without
their free text (notes, reasons) or the citizen's name: they are recorded, withdrawn and
reviewed on the pages, where the policy door decides and logs; nothing is deleted.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from helhed.organisation.admin import EventAdmin
from helhed.sharing.models import AccessRule, Consent, DataCategory, EmergencyAccess


@admin.register(DataCategory)
class DataCategoryAdmin(EventAdmin):
    list_display = ("code", "name", "hides_existence", "sensitive", "departments",
                    "sort_order")
    list_filter = ("hides_existence", "sensitive")
    search_fields = ("code", "name")
    filter_horizontal = ("data_needs",)


@admin.register(AccessRule)
class AccessRuleAdmin(EventAdmin):
    list_display = ("code", "paragraph", "name", "condition", "allows_target_search",
                    "active")
    list_filter = ("active", "condition", "allows_target_search")
    search_fields = ("code", "name", "paragraph")
    filter_horizontal = ("categories", "roles")


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


CONSENT_SHOWN = ("uuid", "citizen_ref", "purpose", "form", "valid_from", "valid_to",
                 "recorded_at", "recorded_by", "withdrawn_at", "withdrawn_by")


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = CONSENT_SHOWN
    list_filter = ("purpose", "form")
    fields = CONSENT_SHOWN
    readonly_fields = CONSENT_SHOWN
    list_select_related = ("citizen", "recorded_by__user", "withdrawn_by__user")

    @admin.display(description="borger (id)")
    def citizen_ref(self, obj: Consent) -> str:
        return str(obj.citizen.uuid)


EMERGENCY_SHOWN = ("uuid", "staff", "citizen_ref", "started_at", "expires_at", "ended_at",
                   "reviewed_at", "reviewed_by", "review_approved")


@admin.register(EmergencyAccess)
class EmergencyAccessAdmin(ReadOnlyAdmin):
    list_display = EMERGENCY_SHOWN
    list_filter = ("review_approved",)
    fields = EMERGENCY_SHOWN
    readonly_fields = EMERGENCY_SHOWN
    list_select_related = ("citizen", "staff__user", "reviewed_by__user")

    @admin.display(description="borger (id)")
    def citizen_ref(self, obj: EmergencyAccess) -> str:
        return str(obj.citizen.uuid)
