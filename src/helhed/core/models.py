"""The shared kernel's tables: the event outbox and the access log."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sensitivity(models.TextChoices):
    """Index sensitivity as in KOMBIT's Sags- og Dokumentindeks (SF1470)."""

    NOT_CONFIDENTIAL = "ikke_fortrolig", _("Ikke fortrolige data")
    CONFIDENTIAL = "fortrolig", _("Fortrolige personoplysninger")
    SENSITIVE = "foelsom", _("Følsomme personoplysninger")
    VIP = "vip", _("Særligt beskyttede (VIP)")


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change it describes.

    The envelope follows the municipal message distributor's event message; see
    docs/events.md. ``helhed worker`` (or the embedded server's thread) publishes pending
    events and sets ``published_at``.
    """

    seq = models.BigAutoField(primary_key=True)
    id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveSmallIntegerField(default=1)
    type = models.CharField(max_length=100)
    occurred_at = models.DateTimeField()
    transaction_id = models.UUIDField()
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    citizen = models.UUIDField(null=True, blank=True)
    actor = models.CharField(max_length=150, blank=True)
    sending_organisation = models.CharField(max_length=100)
    sensitivity = models.CharField(max_length=20, choices=Sensitivity.choices)
    kle = models.CharField(max_length=20, blank=True)
    payload = models.JSONField(default=dict)
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["seq"],
                name="outbox_pending_idx",
                condition=models.Q(published_at__isnull=True),
            ),
            models.Index(fields=["citizen", "occurred_at"], name="outbox_citizen_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.object_type}:{self.object_id}"

    def envelope(self) -> dict[str, Any]:
        """The event as it leaves helhed (JSON-ready)."""
        return {
            "id": str(self.id),
            "version": self.version,
            "type": self.type,
            "time": self.occurred_at.isoformat(),
            "transaction": str(self.transaction_id),
            "object": {"type": self.object_type, "id": self.object_id},
            "citizen": str(self.citizen) if self.citizen else None,
            "actor": self.actor,
            "sender": self.sending_organisation,
            "sensitivity": self.sensitivity,
            "kle": self.kle or None,
            "payload": self.payload,
        }


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or remove an access-log entry."""


class AppendOnlyQuerySet(models.QuerySet["AccessLogEntry"]):
    """Refuses bulk changes, which would bypass the model's own guard."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Adgangsloggen kan ikke ændres.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("Adgangsloggen kan ikke ændres.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Adgangsloggen kan ikke slettes.")


class AccessLogEntry(models.Model):
    """One look at (or refusal of) a citizen's personal data. Append-only.

    Written only by ``helhed.sharing.policy.decide`` and its helpers. On PostgreSQL a
    trigger also refuses UPDATE and DELETE, so not even raw SQL can rewrite history.
    """

    class Action(models.TextChoices):
        READ = "read", _("Læst")
        SEARCH = "search", _("Søgning")
        WRITE = "write", _("Ændret")
        EXPORT = "export", _("Eksporteret")

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    # No index of its own: accesslog_actor_idx (actor, -at) serves the foreign key too,
    # and every index is paid on every look logged.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", db_index=False,
    )
    actor_name = models.CharField(max_length=200)
    actor_unit = models.CharField(max_length=200, blank=True)
    subject = models.UUIDField(null=True, blank=True)
    category = models.CharField(max_length=60)
    action = models.CharField(max_length=10, choices=Action.choices)
    purpose = models.CharField(max_length=60)
    basis = models.CharField(max_length=200, blank=True)
    allowed = models.BooleanField()
    emergency = models.BooleanField(default=False)
    detail = models.CharField(max_length=300, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["subject", "-at"], name="accesslog_subject_idx"),
            models.Index(fields=["actor", "-at"], name="accesslog_actor_idx"),
        ]

    def __str__(self) -> str:
        verdict = "tilladt" if self.allowed else "afvist"
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.category} {verdict}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Adgangsloggen kan ikke ændres.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Adgangsloggen kan ikke slettes.")


class ApiToken(models.Model):
    """A bearer token another system (the jobcenter's, the CPR integration) calls the API with.

    The token acts as ``user``: a service login with a staff record and roles like any
    member of staff, so the policy door decides and logs its reads the same way. Only a
    SHA-256 hash of the token is stored; the token itself is shown once, when issued.
    """

    name = models.CharField(_("navn"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens",
        verbose_name=_("servicebruger"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("præfiks"), max_length=16, unique=True, editable=False)
    created_at = models.DateTimeField(_("oprettet"))
    created_by = models.CharField(_("oprettet af"), max_length=150, blank=True)
    expires_at = models.DateTimeField(_("udløber"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("sidst brugt"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nøgle")
        verbose_name_plural = _("API-nøgler")
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
