"""Settings shared by every profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from helhed.settings import env

SRC_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = Path(env.get("HELHED_HOME") or SRC_DIR.parent.parent)
VAR_DIR = Path(env.get("HELHED_VAR_DIR") or PROJECT_DIR / "var")

PROFILE = "base"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs' Swagger files locally instead of from a CDN
    "helhed.core",
    "helhed.organisation",
    "helhed.people",
    "helhed.catalogue",
    "helhed.sharing",
    "helhed.cases",
    "helhed.messaging",
    "helhed.assessment",
    "helhed.plans",
    "helhed.orders",
    "helhed.demo",
    "helhed.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "helhed.web.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "helhed.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "helhed.web.middleware.LoginRequiredMiddleware",
    "helhed.web.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "helhed.urls"
WSGI_APPLICATION = "helhed.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "helhed.web.context.staff",
            ],
        },
    },
]


def database_from_url(url: str) -> dict[str, Any]:
    """Parse HELHED_DATABASE_URL; only SQLite and PostgreSQL are supported."""
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise env.SettingsError(
            f"HELHED_DATABASE_URL kan ikke læses: {exc}. Eksempel: "
            "postgresql://helhed@127.0.0.1:5432/helhed (HELHED_DATABASE_URL is malformed.)"
        ) from exc
    engine = str(config.get("ENGINE", ""))
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise env.SettingsError(
            "HELHED_DATABASE_URL skal pege på PostgreSQL eller SQLite. "
            "(Only postgresql:// and sqlite:// URLs are supported.)"
        )
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
        config["CONN_MAX_AGE"] = 0
    config["TEST"] = {"NAME": env.get("HELHED_TEST_DATABASE_NAME")}
    return dict(config)


AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Static files are served from the apps by whitenoise; set this only to run collectstatic.
STATIC_ROOT = env.get("HELHED_STATIC_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

NINJA_PAGINATION_PER_PAGE = 50

# Login throttling (helhed/web/throttle.py): this many failed logins within the window lock a
# username, or a client address, for the length of the window.
HELHED_LOGIN_FAILURES_PER_USERNAME = env.get_int("HELHED_LOGIN_FAILURES_PER_USERNAME", 5,
                                                 minimum=1)
HELHED_LOGIN_FAILURES_PER_ADDRESS = env.get_int("HELHED_LOGIN_FAILURES_PER_ADDRESS", 20,
                                                minimum=1)
HELHED_LOGIN_WINDOW_MINUTES = env.get_int("HELHED_LOGIN_WINDOW_MINUTES", 15, minimum=1)
# Behind a proxy every client has the proxy's address: name the header the proxy sets with
# the client's address (e.g. HTTP_X_FORWARDED_FOR); its last address is used.
HELHED_CLIENT_IP_HEADER = env.get("HELHED_CLIENT_IP_HEADER", "") or ""

# The municipality this deployment serves (KOMBIT/DST municipality code).
HELHED_MUNICIPALITY_CODE = env.get("HELHED_MUNICIPALITY_CODE", "0999") or "0999"
# Demo CPR numbers (day of month + 60, see docs/cpr.md) are accepted only where this is on.
HELHED_ALLOW_SYNTHETIC_CPR = env.get_bool("HELHED_ALLOW_SYNTHETIC_CPR", True)
# How events leave the outbox: "inprocess" or "amqp".
HELHED_EVENT_TRANSPORT = "inprocess"
HELHED_AMQP_URL = env.get("HELHED_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.get("HELHED_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "pika": {"level": "WARNING"}},
}
