"""How the API knows who calls: a browser session (pages) or a bearer token (systems).

``BearerTokenAuth`` runs first. A request that names a bearer token is judged by that
token alone: an unknown, revoked or expired token is refused (401) even if a session
cookie came along, and a valid one makes ``request.user`` the token's service user, so the
policy door and the access log see the real actor. Bearer calls need no CSRF token (no
browser sends the header on its own).

``SessionCsrfAuth`` is django-ninja's session auth with two differences: a request without
a logged-in session is simply not authenticated (a 401, never a CSRF 403 that hides it),
and a failed CSRF check is a stable ``auth.csrf`` error with a Danish message.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, User
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from helhed.core import tokens
from helhed.core.errors import AccessDenied


class CsrfFailed(AccessDenied):
    code = "auth.csrf"
    message = ("Sikkerhedstjekket (CSRF) fejlede. Genindlæs siden og prøv igen, eller brug "
               "en API-nøgle fra et andet system.")


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = tokens.user_for_token(token)
        if user is None:
            raise AuthenticationError
        request.user = user
        return user


class SessionCsrfAuth(SessionAuth):
    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> AbstractBaseUser | None:
        if not request.user.is_authenticated:
            return None
        result: AbstractBaseUser | None = super().__call__(request)
        return result

    def _get_key(self, request: HttpRequest) -> str | None:
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise CsrfFailed
        return request.COOKIES.get(self.param_name)


def user_from_bearer(request: HttpRequest) -> User | None:
    """The service user of a valid ``Authorization: Bearer`` header, else ``None``."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return tokens.user_for_token(token.strip())
