"""The page "Forsendelser": what the local Digital Post adapter stored instead of sending,
each message with its PDF. Reads only through ``messaging.services`` (the door, logged)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helhed.messaging import services
from helhed.messaging.http import inline_pdf


@require_GET
def outbox_list(request: HttpRequest) -> HttpResponse:
    return render(request, "messaging/outbox_list.html",
                  {"rows": services.outbox(request.user)})


@require_GET
def outbox_detail(request: HttpRequest, message_id: uuid.UUID) -> HttpResponse:
    return render(request, "messaging/outbox_detail.html",
                  {"row": services.outbox_message(request.user, message_id)})


@require_GET
def outbox_attachment(request: HttpRequest, message_id: uuid.UUID) -> HttpResponse:
    message, data = services.outbox_attachment(request.user, message_id)
    return inline_pdf(data, message.attachment_name or "brev.pdf")
