"""API tokens in the administration: read-only, except that a token can be revoked.

Tokens are issued with ``helhed api_token create`` (the token is printed once); here an
administrator sees them and revokes them. Every revocation is an event, written by the
organisation's ``EventAdmin`` as for any other administrative change.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from helhed.core import clock
from helhed.core.models import ApiToken
from helhed.organisation.admin import EventAdmin

SHOWN = ("name", "prefix", "user", "created_at", "created_by", "expires_at", "revoked_at",
         "last_used_at")


class ApiTokenForm(forms.ModelForm):  # type: ignore[type-arg]
    revoke = forms.BooleanField(
        label="Tilbagekald nøglen", required=False,
        help_text="En tilbagekaldt nøgle virker aldrig igen. Det kan ikke fortrydes.")

    class Meta:
        model = ApiToken
        fields: list[str] = []


@admin.register(ApiToken)
class ApiTokenAdmin(EventAdmin):
    form = ApiTokenForm
    list_display = SHOWN
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = SHOWN
    fields = (*SHOWN, "revoke")
    list_select_related = ("user",)
    actions = ("revoke_selected",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # issued with `helhed api_token create`, which shows the token once

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead: the token's history stays

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (*SHOWN, "revoke") if obj is not None and obj.revoked_at else SHOWN

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm,  # type: ignore[type-arg]
                   change: bool) -> None:
        if not form.cleaned_data.get("revoke") or obj.revoked_at is not None:
            return  # nothing else can change here, so nothing to save and no event
        self._revoke(request, obj)

    def _revoke(self, request: HttpRequest, token: ApiToken) -> None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        self._emit(request, token, "changed", ["revoked_at"])

    def _emit(self, request: HttpRequest, obj: models.Model, action: str,
              changed: list[str]) -> None:
        # A revocation is its own event type, the same one `helhed api_token revoke` emits.
        super()._emit(request, obj, "revoked" if "revoked_at" in changed else action, changed)

    @admin.action(description="Tilbagekald de valgte API-nøgler")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        with transaction.atomic():
            tokens = list(queryset.select_for_update().filter(revoked_at__isnull=True))
            for token in tokens:
                self._revoke(request, token)
        self.message_user(request, f"{len(tokens)} nøgle(r) tilbagekaldt.", messages.SUCCESS)
