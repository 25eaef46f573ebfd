"""API tokens for other systems: issuing, revoking and checking them.

A token is ``hh_`` followed by 40 random URL-safe characters. Only its SHA-256 hash is
stored (``ApiToken.token_hash``); the first characters (``prefix``) name it in lists, in the
administration and on the command line. Issuing and revoking are changes, so each emits
an event (ARCHITECTURE.md rule 2); checking a token only notes when it was last used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from helhed.core import clock
from helhed.core.errors import InvalidInput, NotFound
from helhed.core.events import emit
from helhed.core.models import ApiToken, Sensitivity

TOKEN_START = "hh_"  # noqa: S105 - the marker every token starts with
PREFIX_LENGTH = len(TOKEN_START) + 8
MAX_DAYS = 3650
# Noting every use would write a row per call; once a minute is enough to see activity.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A freshly issued token: ``secret`` exists only here and is never stored."""

    token: ApiToken
    secret: str


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _new_secret() -> str:
    while True:
        secret = TOKEN_START + secrets.token_urlsafe(30)
        if not ApiToken.objects.filter(prefix=secret[:PREFIX_LENGTH]).exists():
            return secret


def _emit(action: str, token: ApiToken, actor: str, changed: list[str]) -> None:
    # The same type and payload as the administration's EventAdmin writes for this model.
    emit(f"core.apitoken.{action}", object_type="apitoken", object_id=token.pk, actor=actor,
         sensitivity=Sensitivity.NOT_CONFIDENTIAL,
         payload={"changed": changed, "text": str(token)[:200]})


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("token.name_empty", "Giv nøglen et navn, fx systemets navn.",
                           field="name")
    if len(name) > 100:
        raise InvalidInput("token.name_too_long", "Navnet må højst være 100 tegn.",
                           field="name")
    return name


def _service_user(username: str) -> User:
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.is_active:
        raise InvalidInput("token.user_unknown",
                           f"Der findes ingen aktiv bruger med brugernavnet {username!r}.",
                           field="user")
    if getattr(user, "staff", None) is None:
        raise InvalidInput(
            "token.user_not_staff",
            "Brugeren er ikke knyttet til en medarbejder med roller; opret først "
            "medarbejderen i administrationen.", field="user")
    return user


def issue_token(*, username: str, name: str, days: int | None = None,
                actor: str = "system") -> IssuedToken:
    """Issue a token acting as ``username``, optionally expiring after ``days`` days."""
    name = _check_name(name)
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise InvalidInput("token.days", f"Antal dage skal være mellem 1 og {MAX_DAYS}.",
                           field="days")
    user = _service_user(username)
    now = clock.now()
    with transaction.atomic():
        secret = _new_secret()
        token = ApiToken.objects.create(
            name=name, user=user, token_hash=hash_token(secret),
            prefix=secret[:PREFIX_LENGTH], created_at=now, created_by=actor,
            expires_at=now + dt.timedelta(days=days) if days else None,
        )
        _emit("created", token, actor, [])
    return IssuedToken(token, secret)


def revoke_token(prefix: str, *, actor: str = "system") -> ApiToken:
    """Revoke the token whose prefix is ``prefix``. A revoked token never works again."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(prefix=prefix.strip()).first()
        if token is None:
            raise NotFound("token.not_found", "Der findes ingen API-nøgle med det præfiks.",
                           field="prefix")
        if token.revoked_at is not None:
            raise InvalidInput("token.already_revoked", "Nøglen er allerede tilbagekaldt.",
                               field="prefix")
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        _emit("revoked", token, actor, ["revoked_at"])
    return token


def user_for_token(secret: str) -> User | None:
    """The service user a valid token acts as; ``None`` for an unknown, revoked or expired
    token, or one whose user is inactive (the caller is not told which)."""
    if not secret.startswith(TOKEN_START) or len(secret) > 200:
        return None
    token = (ApiToken.objects.select_related("user")
             .filter(token_hash=hash_token(secret)).first())
    now = clock.now()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
