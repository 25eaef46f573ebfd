"""``helhed api_token``: issue and revoke API tokens for other systems.

    helhed api_token create --user jobcenter-system --name "Jobcenterets system" --days 365
    helhed api_token revoke hh_AbC123xY

``create`` prints the token once; only its hash is stored, so it cannot be shown again.
The user must be a service login with a staff record and roles (see docs/api.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helhed.core import tokens
from helhed.core.errors import DomainError


class Command(BaseCommand):
    help = "Opret eller tilbagekald API-nøgler til andre systemer."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Opret en nøgle og vis den én gang.")
        create.add_argument("--user", required=True, help="Servicebrugerens brugernavn.")
        create.add_argument("--name", required=True, help="Nøglens navn, fx systemets navn.")
        create.add_argument("--days", type=int, default=None,
                            help="Nøglen udløber efter så mange dage (standard: aldrig).")
        revoke = actions.add_parser("revoke", help="Tilbagekald en nøgle.")
        revoke.add_argument("prefix", help="Nøglens præfiks, fx hh_AbC123xY.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                self._create(options["user"], options["name"], options["days"])
            else:
                self._revoke(options["prefix"])
        except DomainError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from exc

    def _create(self, username: str, name: str, days: int | None) -> None:
        issued = tokens.issue_token(username=username, name=name, days=days, actor="system:cli")
        token = issued.token
        expiry = (f"udløber {token.expires_at:%Y-%m-%d %H:%M}" if token.expires_at
                  else "udløber ikke")
        self.stdout.write(f"API-nøgle {token.name!r} for {username} ({expiry}), "
                          f"præfiks {token.prefix}.")
        self.stdout.write("Gem nøglen nu; den vises ikke igen:")
        self.stdout.write(issued.secret)

    def _revoke(self, prefix: str) -> None:
        token = tokens.revoke_token(prefix, actor="system:cli")
        self.stdout.write(f"API-nøgle {token.name!r} ({token.prefix}) er tilbagekaldt.")
