"""The server profile: PostgreSQL, RabbitMQ, Redis; for a municipality.

Refuses to start on a missing or default secret key, with DEBUG on, or without a
reachable PostgreSQL database (checked by ``helhed.core.checks``).
"""

from __future__ import annotations

from helhed.settings import env
from helhed.settings.base import *  # noqa: F403
from helhed.settings.base import database_from_url

PROFILE = "server"

INSECURE_KEYS = {"", "embedded-only-not-a-secret", "change-me", "changeme", "secret"}

SECRET_KEY = env.require(
    "HELHED_SECRET_KEY",
    "Sæt en lang tilfældig nøgle, fx med: "
    "python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
)
if (SECRET_KEY in INSECURE_KEYS or SECRET_KEY.startswith("django-insecure")
        or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise env.SettingsError(
        "HELHED_SECRET_KEY er en standardværdi eller for svag (mindst 50 tegn, ikke ens tegn). "
        "(HELHED_SECRET_KEY is a default value or too weak.)"
    )

DEBUG = env.get_bool("HELHED_DEBUG", False)
if DEBUG:
    raise env.SettingsError(
        "HELHED_DEBUG må ikke være slået til i server-profilen. (DEBUG is refused in server mode.)"
    )

ALLOWED_HOSTS = env.get_list("HELHED_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise env.SettingsError(
        "HELHED_ALLOWED_HOSTS mangler, fx helhed.kommune.dk. (HELHED_ALLOWED_HOSTS is not set.)"
    )

DATABASES = {
    "default": database_from_url(
        env.require("HELHED_DATABASE_URL", "Fx postgresql://helhed@127.0.0.1:5432/helhed.")
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise env.SettingsError(
        "Server-profilen kræver PostgreSQL i HELHED_DATABASE_URL. "
        "(The server profile requires PostgreSQL.)"
    )

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.get("HELHED_REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
}
HELHED_EVENT_TRANSPORT = "amqp"
HELHED_ALLOW_SYNTHETIC_CPR = env.get_bool("HELHED_ALLOW_SYNTHETIC_CPR", False)

SESSION_COOKIE_SECURE = env.get_bool("HELHED_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env.get_list("HELHED_CSRF_TRUSTED_ORIGINS", [])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS is usually ended at the municipality's proxy; turn these on when it is not.
SECURE_SSL_REDIRECT = env.get_bool("HELHED_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env.get_int("HELHED_HSTS_SECONDS", 0)
