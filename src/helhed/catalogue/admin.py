"""Administration of the catalogue. Legal bases, their deadlines, the mapping of former
paragraphs and the intervention catalogue (types, prices, provider types) are edited here
(every edit is an event); KLE and the data needs are read-only, because they come from
published files (``helhed load_kle``, the data migrations)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from helhed.catalogue import kle
from helhed.catalogue.models import (
    ActionFacet,
    DataNeed,
    Deadline,
    FormerParagraph,
    InterventionPrice,
    InterventionType,
    KleGroup,
    KleMainGroup,
    KleSubject,
    LegalBasis,
    ProviderType,
)
from helhed.core.errors import InvalidInput
from helhed.organisation.admin import EventAdmin


class LegalBasisForm(ModelForm):
    url = forms.URLField(label=_("Retsinformation"), max_length=300, required=False,
                         assume_scheme="https")

    class Meta:
        model = LegalBasis
        fields = "__all__"  # noqa: DJ007 - every field is the administrator's to edit

    def clean_kle_numbers(self) -> str:
        value: str = self.cleaned_data["kle_numbers"]
        numbers = value.replace(",", " ").split()
        for number in numbers:
            try:
                kle.resolve(number)
            except InvalidInput as exc:
                raise ValidationError(exc.localized()) from None
        return " ".join(numbers)


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0


class InlineEventAdmin(EventAdmin):
    """An EventAdmin whose inline rows (deadlines, prices) emit their own events."""

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet,
                     change: bool) -> None:
        """The rows edited with the main object are changes too: one event each."""
        for gone in formset.deleted_forms:
            if gone.instance.pk is not None:
                self._emit(request, gone.instance, "deleted", [])
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._emit(request, obj, "created", [])
        for obj, changed in formset.changed_objects:
            self._emit(request, obj, "changed", list(changed))


@admin.register(LegalBasis)
class LegalBasisAdmin(InlineEventAdmin):
    form = LegalBasisForm
    list_display = ("law_short", "paragraph", "title", "kle_numbers", "valid_from", "valid_to")
    list_filter = ("law",)
    search_fields = ("law", "paragraph", "title", "code")
    inlines = (DeadlineInline,)


class InterventionPriceInline(admin.TabularInline):
    model = InterventionPrice
    extra = 0


@admin.register(InterventionType)
class InterventionTypeAdmin(InlineEventAdmin):
    list_display = ("name", "code", "unit", "departments", "active")
    list_filter = ("active", "unit", "legal_bases__law_short")
    search_fields = ("name", "code", "description")
    filter_horizontal = ("legal_bases", "provider_types")
    inlines = (InterventionPriceInline,)


@admin.register(ProviderType)
class ProviderTypeAdmin(EventAdmin):
    list_display = ("name", "code")


@admin.register(FormerParagraph)
class FormerParagraphAdmin(EventAdmin):
    list_display = ("former_law", "former_paragraph", "current", "legal_basis", "certain")
    list_filter = ("certain",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Loaded from published files; the administration only shows it."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(KleMainGroup)
class KleMainGroupAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "valid_to")


@admin.register(KleGroup)
class KleGroupAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "valid_to")
    list_filter = ("main_group",)


@admin.register(KleSubject)
class KleSubjectAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "retention", "deletion_period", "valid_to")
    list_filter = ("group__main_group", "retention")
    search_fields = ("number", "title")


@admin.register(ActionFacet)
class ActionFacetAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "category", "valid_to")


@admin.register(DataNeed)
class DataNeedAdmin(ReadOnlyAdmin):
    list_display = ("paragraph", "number", "title", "importance", "minutes_total")
    list_filter = ("paragraph", "importance")
