"""The test profile: the embedded profile on whichever database HELHED_DATABASE_URL names.

The suite runs twice in CI: on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from helhed.settings.embedded import *  # noqa: F403

PROFILE = "test"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HELHED_ALLOW_SYNTHETIC_CPR = True
