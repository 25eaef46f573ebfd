"""The embedded profile: one process, SQLite under var/, events delivered in-process.

For trying helhed, demos and development. Not for real citizens' data.
"""

from __future__ import annotations

from helhed.settings import env
from helhed.settings.base import *  # noqa: F403
from helhed.settings.base import VAR_DIR, database_from_url

PROFILE = "embedded"
DEBUG = env.get_bool("HELHED_DEBUG", False)
# The embedded profile is local-only; a fixed key is acceptable here and refused by `server`.
SECRET_KEY = env.get("HELHED_SECRET_KEY") or "embedded-only-not-a-secret"  # noqa: S105
ALLOWED_HOSTS = env.get_list("HELHED_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

DATABASES = {
    "default": database_from_url(
        env.get("HELHED_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'helhed.sqlite3'}"
    )
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
HELHED_EVENT_TRANSPORT = "inprocess"
