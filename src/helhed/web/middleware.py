"""Deny by default: every page and API route needs a logged-in user.

Only the views marked with :func:`public` (the login page) and static files are open.
The API answers anonymous calls with a JSON 401 through its own auth; pages redirect
to the login page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

View = TypeVar("View", bound=Callable[..., Any])


def public(view: View) -> View:
    """Mark a view as reachable without login."""
    view.helhed_public = True  # type: ignore[attr-defined]
    return view


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: Any,
                     kwargs: Any) -> HttpResponse | None:
        if request.user.is_authenticated or getattr(view, "helhed_public", False):
            return None
        if request.path.startswith("/api/"):
            return None  # the API's own auth answers with a JSON 401
        if request.path.startswith(settings.STATIC_URL):
            return None
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


class DomainErrorMiddleware:
    """Turns domain errors raised by a page view into error pages in the reader's language
    (the API's answers stay Danish: it handles its own errors)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.utils.translation import gettext as _

        from helhed.core.errors import DomainError
        from helhed.web.views.errors import error_page

        if request.path.startswith("/api/") or not isinstance(exception, DomainError):
            return None
        titles = {403: _("Ingen adgang"), 404: _("Findes ikke")}
        return error_page(request, exception.status,
                          titles.get(exception.status, _("Fejl i oplysningerne")),
                          exception.localized(), exception.code)


class ChosenLanguageMiddleware:
    """Danish unless the user chose another language (the language cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: a
    caseworker whose browser happens to be English still gets the Danish system, with
    Danish dates and month names, until she picks English herself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        translation.deactivate()
        return response


# The pages load scripts, styles, fonts and images from helhed itself only (DKFDS is
# vendored): no inline script or style, no other origin, never inside a frame.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Pages that are not ours need a little more. The API docs (Swagger UI, served locally by
# django-ninja) draw their icons from data: URLs in their stylesheet.
CSP_ALLOWANCES: dict[str, dict[str, str]] = {
    "/api/v1/docs": {"img-src": "'self' data:"},
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def content_security_policy(path: str) -> str:
    policy = dict(CONTENT_SECURITY_POLICY)
    for prefix, allowances in CSP_ALLOWANCES.items():
        if path.startswith(prefix):
            policy.update(allowances)
    return "; ".join(f"{name} {sources}" for name, sources in policy.items())


class SecurityHeadersMiddleware:
    """Headers that keep pages from being framed, sniffed, leaked or kept.

    Every answer that is not a static file gets the Content-Security-Policy above, a
    same-origin Referrer-Policy (no citizen UUID in another site's logs), nosniff and a
    Permissions-Policy without camera, microphone or location. Pages and API answers show
    personal data, so they are not stored by the browser or a proxy (``Cache-Control:
    no-store``): on a shared computer, the back button or the cache of the next user must
    not show a citizen. A view may set its own Cache-Control (Django's ``never_cache`` on
    the login page and the admin does).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(request.path))
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        headers.setdefault("Cache-Control", "no-store")
        return response
