"""Helpers for the notification, deadline and work-list tests."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps

from helhed.cases import notifications
from helhed.cases.models import Notification
from helhed.catalogue.models import Deadline

CPH = ZoneInfo("Europe/Copenhagen")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0,
          second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=CPH)


def ensure_catalogue() -> None:
    """The legal bases and their deadlines, as the data migrations leave them. A test that
    flushes the database (a browser test) empties them; load them again then."""
    if Deadline.objects.filter(kind="underretning_vurdering").exists():
        return
    loader = importlib.import_module(
        "helhed.catalogue.migrations.0003_load_legal_bases_and_data_needs")
    reply = importlib.import_module(
        "helhed.catalogue.migrations.0004_reply_to_notifier_deadline")
    from helhed.catalogue.models import LegalBasis

    if not LegalBasis.objects.exists():
        loader.load_legal_bases(apps)
    reply.add_reply_deadline(apps, None)


def receive(actor: Any, child: Any, **overrides: Any) -> Notification:
    """A school's notification about ``child``, received now unless told otherwise."""
    from helhed.core import clock

    values: dict[str, Any] = {
        "received_at": clock.now(), "notifier_kind": "skole",
        "notifier_name": "Lærer Lise Lund", "notifier_organisation": "Nordskolen",
        "notifier_contact": "lise@nordskolen.example", "description":
        "Barnet kommer ofte sultent i skole og har blå mærker på armene."}
    values.update(overrides)
    return notifications.receive(actor, child.uuid, **values)
