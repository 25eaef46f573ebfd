"""Error pages in Danish. Domain 'not found' and 'denied' become these too."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from helhed.web.middleware import public


@public
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html",
                  {"title": "Ingen adgang", "message": "Du har ikke adgang til denne side."},
                  status=403)


@public
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html",
                  {"title": "Siden findes ikke",
                   "message": "Siden findes ikke, eller du har ikke adgang til den."},
                  status=404)


@public
def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/error.html",
                  {"title": "Der skete en fejl",
                   "message": "Der skete en uventet fejl. Prøv igen, eller kontakt support."},
                  status=500)
