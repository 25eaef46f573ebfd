"""Error pages in Danish. Domain 'not found' and 'denied' become these too."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from helhed.web.middleware import public


def error_page(request: HttpRequest, status: int, title: str, message: str,
               code: str = "") -> HttpResponse:
    return render(request, "web/error.html",
                  {"title": title, "message": message, "code": code, "status_code": status},
                  status=status)


@public
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403, _("Ingen adgang"), _("Du har ikke adgang til denne side."))


@public
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404, _("Siden findes ikke"),
                      _("Siden findes ikke, eller du har ikke adgang til den."))


@public
def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500, _("Der skete en fejl"),
                      _("Der skete en uventet fejl. Prøv igen, eller kontakt support."))
