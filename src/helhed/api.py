"""The HTTP API (django-ninja), under /api/v1/, with its OpenAPI document at
/api/v1/openapi.json and interactive docs at /api/v1/docs.

Every route needs a logged-in user (session or token). Errors are JSON:
``{"error": {"code": "...", "message": "...", "field": ...}}`` with a stable code.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import SessionAuth

from helhed.core.errors import DomainError

AUTH_CODE = "auth.required"
AUTH_MESSAGE = "Du skal være logget ind."


def login_required_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI document and the docs page are for logged-in users too (JSON 401)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse(
                {"error": {"code": AUTH_CODE, "message": AUTH_MESSAGE, "field": None}},
                status=401)
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="helhed API",
    version="1",
    description="Sager, borgere og deling i helhed. Alle kald kræver login; alle opslag logges.",
    auth=SessionAuth(csrf=True),
    urls_namespace="api",
    docs_decorator=login_required_json,
)


def _error(request: HttpRequest, status: int, code: str, message: str,
           field: str | None = None, details: Any = None) -> HttpResponse:
    body: dict[str, Any] = {"code": code, "message": message, "field": field}
    if details is not None:
        body["details"] = details
    return api.create_response(request, {"error": body}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.field)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, AUTH_CODE, AUTH_MESSAGE)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    field = ".".join(str(p) for p in first.get("loc", [])[1:]) or None
    return _error(request, 422, "request.invalid", "Forespørgslen er ikke gyldig.",
                  field, details=exc.errors)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, f"http.{exc.status_code}", str(exc))


api.add_router("/people/", "helhed.people.api.router")
api.add_router("/organisation/", "helhed.organisation.api.router")
api.add_router("/core/", "helhed.core.api.router")
