"""The provider workspace: the provider's own orders, the late status reports, and one
order with its shared plan sections, answer, delivery and status report forms.

The pages call ``orders.services`` only; the doors and rules live there.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from helhed.cases.grants import parse_date
from helhed.core.errors import InvalidInput
from helhed.orders import services
from helhed.web.forms import field_errors

FIELDS = {"reason", "day", "extent", "text"}


@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    orders = services.provider_orders(request.user)
    late = services.late_reports(request.user)
    return render(request, "orders/workspace.html", {"orders": orders, "late": late})


def _delivery(request: HttpRequest, order_id: uuid.UUID) -> None:
    day = parse_date(request.POST.get("day"), "day") or dt.date.min
    services.register_delivery(request.user, order_id, day=day,
                               extent=request.POST.get("extent", ""),
                               attended=request.POST.get("attended") == "ja",
                               note=request.POST.get("note", ""))


ACTIONS: dict[str, tuple[Callable[[HttpRequest, uuid.UUID], Any], str]] = {
    "accept": (lambda r, o: services.accept(r.user, o),
               gettext_noop("Bestillingen er accepteret.")),
    "decline": (lambda r, o: services.decline(r.user, o, r.POST.get("reason", "")),
                gettext_noop("Bestillingen er afvist.")),
    "delivery": (_delivery, gettext_noop("Leveringen er registreret.")),
    "report": (lambda r, o: services.write_report(r.user, o, r.POST.get("text", "")),
               gettext_noop("Statusrapporten er sendt.")),
}


@require_http_methods(["GET", "POST"])
def order_detail(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    order, provider_staff = services.access_order(request.user, order_id)
    error: InvalidInput | None = None
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is None or provider_staff is None:
            error = InvalidInput("orders.action_unknown",
                                 gettext_noop("Handlingen findes ikke."))
        else:
            try:
                action[0](request, order_id)
            except InvalidInput as exc:
                error = exc
            else:
                messages.success(request, _(action[1]))
                return redirect("orders-detail", order_id=order_id)
    errors, form_error = field_errors(error, FIELDS)
    return render(request, "orders/order_detail.html", {
        "order": order, "sections": services.shared_sections(order),
        "is_provider": provider_staff is not None, "errors": errors,
        "form_error": form_error, "values": request.POST if error else {}},
        status=400 if error is not None else 200)
