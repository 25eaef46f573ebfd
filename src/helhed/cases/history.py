"""Every change of a case and what belongs to it: one ``Change`` row (who, when, before,
after; shown on the case) and one event in the outbox (ARCHITECTURE.md rule 2), written
together inside the caller's transaction by :func:`changed`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from helhed.cases.models import Case, Change
from helhed.core import clock
from helhed.core.events import emit
from helhed.core.models import Sensitivity
from helhed.people.models import Citizen
from helhed.sharing.policy import Actor


def _json(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json(v) for v in value]
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields' values, JSON-safe; a foreign key as its text (``str(obj)``)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            related_id = getattr(instance, field.attname)
            out[name] = str(getattr(instance, name)) if related_id is not None else None
        elif getattr(field, "choices", None):
            value = getattr(instance, name)
            out[name] = _json(value)
        else:
            out[name] = _json(getattr(instance, name))
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any],
                                                                        dict[str, Any]]:
    """Only the fields that changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _actor_name(actor: Actor) -> str:
    if actor is None or not actor.is_authenticated:
        return "system"
    full_name = getattr(actor, "get_full_name", None)
    return (full_name() if callable(full_name) else "") or actor.get_username()


def changed(
    actor: Actor,
    *,
    event: str,
    object_type: str,
    object_uuid: uuid.UUID,
    citizen: Citizen,
    case: Case | None,
    summary: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    payload: Mapping[str, Any] | None = None,
    sensitivity: str | None = None,
    kle: str | None = None,
) -> Change:
    """Record one change in the history and emit its event. Must run in a transaction.

    ``event`` is the event type (``cases.case.opened``), also the history's action code;
    ``summary`` a short text (a title), never content beyond what the case page shows."""
    user = actor if actor is not None and actor.is_authenticated else None
    username = user.get_username() if user is not None else "system"
    entry = Change.objects.create(  # type: ignore[misc]  # any user model, not only User
        at=clock.now(), actor=user, actor_name=_actor_name(actor)[:200],
        object_type=object_type, object_uuid=object_uuid, case=case, citizen=citizen,
        action=event, summary=summary[:300], before=_json(dict(before or {})),
        after=_json(dict(after or {})))
    emit(event, object_type=object_type, object_id=object_uuid,
         actor=username,
         citizen=citizen.uuid,
         sensitivity=sensitivity or (case.sensitivity if case else Sensitivity.SENSITIVE),
         kle=kle if kle is not None else (case.primary_kle if case else ""),
         payload={"case": str(case.uuid) if case else None, **dict(payload or {})})
    return entry


# --- showing the history ------------------------------------------------------------------

ACTION_LABELS: dict[str, Any] = {  # lazy translations
    "assessment.adult_assessment.recorded": gettext_lazy("Voksenudredning registreret"),
    "assessment.investigation.started": gettext_lazy("Børnefaglig undersøgelse påbegyndt"),
    "assessment.investigation.theme_described": gettext_lazy("Tema i undersøgelsen beskrevet"),
    "assessment.investigation.conversation": gettext_lazy("Samtale med barnet registreret"),
    "assessment.investigation.request_linked": gettext_lazy("Indhentning knyttet til tema"),
    "assessment.investigation.concluded": gettext_lazy("Børnefaglig undersøgelse afsluttet"),
    "cases.case.opened": gettext_lazy("Sag oprettet"),
    "cases.case.changed": gettext_lazy("Sag ændret"),
    "cases.case.reclassified": gettext_lazy("KLE-opmærkning ændret"),
    "cases.case.state_changed": gettext_lazy("Tilstand ændret"),
    "cases.case.closed": gettext_lazy("Sag afsluttet"),
    "cases.journal.entry_added": gettext_lazy("Journalnotat skrevet"),
    "cases.journal.corrected": gettext_lazy("Journalnotat rettet"),
    "cases.notification.received": gettext_lazy("Underretning modtaget"),
    "cases.notification.assessed": gettext_lazy("Underretning vurderet"),
    "cases.notification.receipt_sent": gettext_lazy("Kvittering sendt"),
    "cases.notification.reply_sent": gettext_lazy("Tilbagemelding sendt"),
    "cases.notification.second_opinion_given": gettext_lazy("Second opinion givet"),
    "cases.notification.attached": gettext_lazy("Underretning knyttet til sagen"),
    "cases.deadline.created": gettext_lazy("Frist oprettet"),
    "cases.deadline.met": gettext_lazy("Frist overholdt"),
    "cases.deadline.waived": gettext_lazy("Frist bortfaldet"),
    "cases.document.added": gettext_lazy("Dokument tilføjet"),
    "cases.document.marked_wrongly_filed": gettext_lazy("Dokument markeret som fejlarkiveret"),
    "cases.decision.made": gettext_lazy("Afgørelse truffet"),
    "cases.letter.sent": gettext_lazy("Brev sendt"),
    "cases.letter.created": gettext_lazy("Brev dannet (ikke sendt)"),
    "cases.grant.created": gettext_lazy("Bevilling oprettet"),
    "cases.grant.changed": gettext_lazy("Bevilling ændret"),
    "cases.grant.ended": gettext_lazy("Bevilling ophørt"),
    "assessment.information_request.sent": gettext_lazy("Oplysninger indhentet (sendt)"),
    "assessment.information_request.answered": gettext_lazy("Svar på indhentning modtaget"),
    "assessment.information_request.reminded": gettext_lazy("Rykker sendt"),
    "assessment.information_request.cancelled": gettext_lazy("Indhentning annulleret"),
}


# The model whose fields a change of each ``object_type`` names (its labels are the fields'
# verbose names). By name, so that cases does not import the apps that build on it.
OBJECT_MODELS: dict[str, tuple[str, str]] = {
    "case": ("cases", "Case"),
    "deadline": ("cases", "CaseDeadline"),
    "decision": ("cases", "Decision"),
    "document": ("cases", "Document"),
    "grant": ("cases", "Grant"),
    "journalentry": ("cases", "JournalEntry"),
    "letter": ("cases", "Letter"),
    "notification": ("cases", "Notification"),
    "informationrequest": ("assessment", "InformationRequest"),
}

# Labels for what the history names that is not a model field with a verbose name of its
# own: values recorded beside the fields, and foreign keys declared without one.
FIELD_LABELS: dict[str, Any] = {  # lazy translations
    "kle": gettext_lazy("KLE-opmærkning"),
    "unit": gettext_lazy("enhed"),
    "responsible": gettext_lazy("ansvarlig"),
    "legal_basis": gettext_lazy("hjemmel"),
    "case": gettext_lazy("sag"),
    "provider": gettext_lazy("leverandør"),
    "corrects": gettext_lazy("retter notatet"),
    "recipient": gettext_lazy("modtager"),
    "adapter": gettext_lazy("forsendelsesvej"),
    "notes": gettext_lazy("bemærkninger"),
    "recipient_department": gettext_lazy("modtagende afdeling"),
    "recipient_unit": gettext_lazy("modtagende enhed"),
}


@dataclass(frozen=True)
class FieldChange:
    """One changed field: its name in code (the API's ``field``), its label as a person
    reads it, and the values before and after."""

    field: str
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    actor_name: str
    action: str
    label: str
    summary: str
    fields: list[tuple[str, Any, Any]]  # (field, before, after)
    changes: list[FieldChange]


def _model(object_type: str) -> type[models.Model] | None:
    names = OBJECT_MODELS.get(object_type)
    if names is None:
        return None
    try:
        return apps.get_model(*names)
    except LookupError:
        return None


def field_label(object_type: str, name: str) -> str:
    """The label a person reads for field ``name`` of a change to an ``object_type``: the
    model field's verbose name when it has one of its own, else :data:`FIELD_LABELS`, else
    the name itself. In the active language, first letter capitalised."""
    model = _model(object_type)
    label: Any = None
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        # Only a verbose name given in the model is a label (Django's default is the name;
        # ``_verbose_name`` is what the model declared, kept by Django for deconstruct()).
        if getattr(field, "_verbose_name", None):
            label = field.verbose_name  # type: ignore[union-attr]
    if label is None:
        label = FIELD_LABELS.get(name, name)
    return str(capfirst(str(label)))


def history_rows(changes: Iterable[Change]) -> list[HistoryRow]:
    """The history as a page shows it: a label per action and the changed fields, each with
    its label (``changes``; ``fields`` keeps the names in code)."""
    rows = []
    labels: dict[tuple[str, str], str] = {}
    for change in changes:
        before = change.before if isinstance(change.before, dict) else {}
        after = change.after if isinstance(change.after, dict) else {}
        keys = list(dict.fromkeys([*before, *after]))
        for key in keys:
            if (change.object_type, key) not in labels:
                labels[change.object_type, key] = field_label(change.object_type, key)
        rows.append(HistoryRow(
            at=change.at, actor_name=change.actor_name, action=change.action,
            label=str(ACTION_LABELS.get(change.action, change.action)),
            summary=change.summary,
            fields=[(k, before.get(k), after.get(k)) for k in keys],
            changes=[FieldChange(k, labels[change.object_type, k], before.get(k), after.get(k))
                     for k in keys]))
    return rows
