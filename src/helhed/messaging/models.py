"""What helhed sends to citizens through outbound channels (Digital Post, SMS, e-mail).

``OutboundMessage`` is the local implementation's mailbox: in the embedded profile, and on
any machine without the real Digital Post connection, the adapter stores here exactly what
would have been sent, and the page "Forsendelser" shows it (INTEROP.md).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from helhed.people.models import Citizen


class OutboundMessage(models.Model):
    class Channel(models.TextChoices):
        DIGITAL_POST = "digital_post", _("Digital Post")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")
        PHYSICAL_POST = "fysisk_post", _("Fysisk post")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    adapter = models.CharField(_("adapter"), max_length=40,
                               help_text=_("Fx local: gemt her, ikke sendt ud af huset."))
    recipient = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+")
    sender = models.CharField(_("afsender"), max_length=200)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst"), blank=True)
    attachment = models.BinaryField(null=True, blank=True)
    attachment_name = models.CharField(_("bilag"), max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(_("sendt"), db_index=True)
    # What sent it, e.g. ("letter", <uuid>): the sender app's object, for the receipt.
    source_type = models.CharField(max_length=30)
    source_uuid = models.UUIDField()

    class Meta:
        verbose_name = _("forsendelse")
        verbose_name_plural = _("forsendelser")
        ordering: ClassVar[list[str]] = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.title}"
