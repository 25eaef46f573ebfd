"""System checks run at start-up: a server refuses to start on an unreachable database."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import OperationalError, connections


@register(Tags.database, deploy=True)
def database_reachable(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "PROFILE", "") != "server":
        return []
    try:
        connections["default"].ensure_connection()
    except OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        return [
            Error(
                "Databasen kan ikke nås. Tjek HELHED_DATABASE_URL og at PostgreSQL kører. "
                f"(The database is unreachable: {first_line})",
                id="helhed.E001",
            )
        ]
    return []
