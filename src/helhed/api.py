"""The HTTP API (django-ninja), under /api/v1/, with its OpenAPI document at
/api/v1/openapi.json and interactive docs at /api/v1/docs (see docs/api.md).

Every route needs a caller: a logged-in session (pages, with CSRF on changes) or an
``Authorization: Bearer`` token (other systems). Errors are JSON:
``{"error": {"code": "...", "message": "...", "field": ...}}`` with a stable code.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from helhed.core.auth import BearerTokenAuth, SessionCsrfAuth, user_from_bearer
from helhed.core.errors import DomainError

AUTH_CODE = "auth.required"
AUTH_MESSAGE = "Du skal være logget ind."


def login_required_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI document and the docs page are for callers too (JSON 401): a session or
    a bearer token."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and user_from_bearer(request) is None:
            return JsonResponse(
                {"error": {"code": AUTH_CODE, "message": AUTH_MESSAGE, "field": None}},
                status=401)
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="helhed API",
    version="1",
    description="Sager, borgere og deling i helhed. Alle kald kræver login; alle opslag logges.",
    # The token first: a request naming a token is judged by it alone (core/auth.py).
    auth=[BearerTokenAuth(), SessionCsrfAuth()],
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


# Danish messages for the schema checks at the edge, by Pydantic error type.
VALIDATION_MESSAGES = {
    "missing": "Feltet skal udfyldes.",
    "string_too_short": "Feltet skal udfyldes.",
    "extra_forbidden": "Feltet kendes ikke.",
    "uuid_parsing": "Ikke et gyldigt id.",
    "uuid_type": "Ikke et gyldigt id.",
    "date_parsing": "Ikke en gyldig dato; skriv ÅÅÅÅ-MM-DD.",
    "date_from_datetime_parsing": "Ikke en gyldig dato; skriv ÅÅÅÅ-MM-DD.",
    "date_type": "Ikke en gyldig dato; skriv ÅÅÅÅ-MM-DD.",
    "bool_parsing": "Skriv true eller false.",
    "bool_type": "Skriv true eller false.",
    "string_type": "Skal være tekst.",
    "list_type": "Skal være en liste.",
    "model_attributes_type": "Forespørgslens indhold skal være et JSON-objekt.",
    "dict_type": "Forespørgslens indhold skal være et JSON-objekt.",
}
INVALID_CODE = "request.invalid"
INVALID_MESSAGE = "Forespørgslen er ikke gyldig."


def _validation_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if "." in kind:
        return str(error.get("msg", INVALID_MESSAGE))  # a domain rule's Danish message
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])  # our own validators' Danish messages
    if kind == "string_too_long":
        return f"Højst {ctx.get('max_length')} tegn."
    if kind in {"too_long", "too_short"}:
        return "Listen har ikke et tilladt antal elementer."
    if kind == "literal_error":
        return f"Vælg en af: {ctx.get('expected')}."
    return VALIDATION_MESSAGES.get(kind, INVALID_MESSAGE)


def _field_of(loc: list[Any]) -> str | None:
    """The field as the caller spelled it: ``["body", "payload", "name"]`` is ``name``."""
    parts = [str(p) for p in loc]
    # The route's single body parameter's name is not part of the JSON the caller sent.
    return ".".join(parts[2:] if parts[:1] == ["body"] else parts[1:]) or None


def _code_of(error: dict[str, Any]) -> str:
    """A domain rule's own code (``people.rules`` at the edge), else ``request.invalid``."""
    kind = str(error.get("type", ""))
    return kind if "." in kind else INVALID_CODE


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first: dict[str, Any] = exc.errors[0] if exc.errors else {}
    details = [{"code": _code_of(e), "field": _field_of(list(e.get("loc", []))),
                "message": _validation_message(e)} for e in exc.errors]
    return _error(request, 422, _code_of(first), _validation_message(first),
                  _field_of(list(first.get("loc", []))), details=details)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        return _error(request, 400, "request.malformed",
                      "Forespørgslens indhold kan ikke læses; send gyldig JSON.")
    return _error(request, exc.status_code, f"http.{exc.status_code}", str(exc))


api.add_router("/people/", "helhed.people.api.router")
api.add_router("/organisation/", "helhed.organisation.api.router")
api.add_router("/core/", "helhed.core.api.router")
api.add_router("/catalogue/", "helhed.catalogue.api.router")
api.add_router("/cases/", "helhed.cases.api.router")
api.add_router("/assessment/", "helhed.assessment.api.router")
api.add_router("/sharing/", "helhed.sharing.api.router")
api.add_router("/plans/", "helhed.plans.api.router")
api.add_router("/orders/", "helhed.orders.api.router")
