"""Helpers for the decision, letter and grant tests: a frozen clock, cases opened through
the lead's service, PDF text, and row counts of every table a failed call must not touch."""

from __future__ import annotations

import datetime as dt
import io

from django.apps import apps
from django.db.models import Model
from pypdf import PdfReader

from helhed.cases import services
from helhed.core.models import AccessLogEntry, OutboxEvent

# A Monday; Liva (born 4 February 2016) is 10, Noah (20 September 2020) is 6.
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)

REASONS = ("Familien har brug for aflastning i weekender.\n\nVi har lagt vægt på Livas egne "
           "ønsker og skolens beskrivelse.")


def table_counts() -> dict[str, int]:
    """Rows in every cases_* and messaging_* table and the event outbox."""
    models: list[type[Model]] = [*apps.get_app_config("cases").get_models(),
                                 *apps.get_app_config("messaging").get_models(), OutboxEvent]
    return {m._meta.db_table: m._default_manager.count() for m in models}


def open_child_case(actor, child, title="Børnefaglig undersøgelse", **kwargs):
    kwargs.setdefault("kle_numbers", ["34.10.10"])
    return services.open_case(actor, child.uuid, title=title, **kwargs)


def open_adult_case(actor, citizen, title="Socialpædagogisk støtte", **kwargs):
    kwargs.setdefault("kle_numbers", ["27"])
    return services.open_case(actor, citizen.uuid, title=title, **kwargs)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_title(data: bytes) -> str:
    metadata = PdfReader(io.BytesIO(data)).metadata
    return str(metadata.title if metadata else "")


def denied_looks(user) -> int:
    return AccessLogEntry.objects.filter(actor=user, allowed=False).count()
