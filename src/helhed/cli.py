"""The ``helhed`` command: Django's management commands with helhed's profile chosen.

    helhed serve        start the web server (embedded: also delivers events in-process)
    helhed demo         build the synthetic demo municipality
    helhed worker       publish the event outbox (to RabbitMQ in the server profile)
    helhed bench ...    run a benchmark
    helhed api_token    create or revoke a bearer token for another system
    helhed demo_logins  print the demo logins
    helhed <command>    any other Django management command (migrate, createsuperuser, ...)

The profile comes from ``HELHED_PROFILE`` (``embedded``, the default, or ``server``).
"""

from __future__ import annotations

import os
import sys

PROFILES = {"embedded", "server", "test"}


def settings_module() -> str:
    profile = os.environ.get("HELHED_PROFILE", "embedded").strip() or "embedded"
    if profile not in PROFILES:
        sys.stderr.write(
            f"helhed: HELHED_PROFILE={profile!r} er ukendt; brug embedded eller server.\n"
        )
        raise SystemExit(2)
    return f"helhed.settings.{profile}"


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    args = list(sys.argv if argv is None else argv)
    args[0] = "helhed"
    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"helhed kan ikke starte: {exc}\n")
        raise SystemExit(2) from exc
    except OperationalError as exc:
        first_line = (str(exc).strip().splitlines() or [repr(exc)])[0]
        sys.stderr.write(
            "helhed: databasen svarer ikke. Tjek HELHED_DATABASE_URL og at databasen kører. "
            f"({first_line})\n"
        )
        raise SystemExit(1) from exc


if __name__ == "__main__":
    main()
