"""Reading settings from the environment, with clear failures.

A value ``NAME`` may also be given as ``NAME_FILE`` (a path whose content is the value),
the usual way to hand secrets to a container.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on", "ja"}
FALSE_WORDS = {"0", "false", "no", "off", "nej", ""}


class SettingsError(ImproperlyConfigured):
    """A setting is missing or malformed. The message is meant for the operator."""


def get(name: str, default: str | None = None) -> str | None:
    """The value of ``name``, or of the file named by ``name_FILE``, or ``default``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SettingsError(
                f"{name}_FILE peger på {file_name!r}, som ikke kan læses ({exc.strerror}). "
                f"({name}_FILE points to a file that cannot be read.)"
            ) from exc
    return os.environ.get(name, default)


def require(name: str, hint: str) -> str:
    value = get(name)
    if not value:
        raise SettingsError(f"{name} mangler. {hint} ({name} is not set.)")
    return value


def get_bool(name: str, default: bool) -> bool:
    raw = get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingsError(
        f"{name}={raw!r} er ikke en gyldig sandhedsværdi; brug true eller false. "
        f"({name} must be true or false.)"
    )


def get_int(name: str, default: int, minimum: int = 0, maximum: int = 2**31) -> int:
    raw = get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(
            f"{name}={raw!r} er ikke et heltal. ({name} must be a whole number.)"
        ) from exc
    if not minimum <= value <= maximum:
        raise SettingsError(
            f"{name}={value} skal ligge mellem {minimum} og {maximum}. "
            f"({name} must be between {minimum} and {maximum}.)"
        )
    return value


def get_list(name: str, default: list[str]) -> list[str]:
    raw = get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
