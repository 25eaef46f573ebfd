"""The server refuses to start on a broken environment, saying in Danish what to fix.

Each case runs the real ``helhed`` command in a subprocess with ``HELHED_PROFILE=server``,
as an operator would.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

HELHED = Path(sys.executable).with_name("helhed")
PG = "postgresql://postgres@127.0.0.1:5432"
CHECK_DB = f"helhed_settings_check_{os.getpid()}"  # per run: concurrent runs must not collide
UNREACHABLE = "postgresql://postgres@127.0.0.1:5999/helhed"
GOOD_KEY = secrets.token_urlsafe(50)


def good_env() -> dict[str, str]:
    return {
        "HELHED_SECRET_KEY": GOOD_KEY,
        "HELHED_ALLOWED_HOSTS": "helhed.kommune.dk",
        "HELHED_DATABASE_URL": f"{PG}/{CHECK_DB}",
    }


def helhed(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``helhed`` with only ``env`` (and PATH) set, as a fresh operator shell would."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HELHED_PROFILE": "server",
             "HOME": str(Path.home()), "HELHED_LOG_LEVEL": "ERROR"}
    return subprocess.run(  # noqa: S603 - our own command
        [str(HELHED), *(args or ("check", "--deploy"))], env={**clean, **env},
        capture_output=True, text=True, timeout=60, check=False,
    )


def postgres(tool: str, *args: str, check: bool = True) -> None:
    """Run a PostgreSQL client tool (createdb, dropdb) against the local server."""
    subprocess.run(  # noqa: S603 - fixed arguments
        [tool, "-h", "127.0.0.1", "-U", "postgres", *args],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, check=check, capture_output=True,
    )


def without(name: str) -> dict[str, str]:
    env = good_env()
    del env[name]
    return env


def with_(**changes: str) -> dict[str, str]:
    return {**good_env(), **changes}


BROKEN = {
    "missing secret key": (without("HELHED_SECRET_KEY"), "HELHED_SECRET_KEY mangler"),
    "default secret key": (with_(HELHED_SECRET_KEY="change-me"), "HELHED_SECRET_KEY er en"),
    "short secret key": (with_(HELHED_SECRET_KEY="kort-nøgle-1234"), "HELHED_SECRET_KEY er en"),
    "django's insecure key": (with_(HELHED_SECRET_KEY="django-insecure-" + "x1y2z3" * 10),
                              "HELHED_SECRET_KEY er en"),
    "one repeated character": (with_(HELHED_SECRET_KEY="a" * 80), "HELHED_SECRET_KEY er en"),
    "debug on": (with_(HELHED_DEBUG="true"), "HELHED_DEBUG må ikke være slået til"),
    "debug malformed": (with_(HELHED_DEBUG="maybe"),
                        "HELHED_DEBUG='maybe' er ikke en gyldig sandhedsværdi"),
    "missing allowed hosts": (without("HELHED_ALLOWED_HOSTS"), "HELHED_ALLOWED_HOSTS mangler"),
    "empty allowed hosts": (with_(HELHED_ALLOWED_HOSTS=" , "), "HELHED_ALLOWED_HOSTS mangler"),
    "missing database url": (without("HELHED_DATABASE_URL"), "HELHED_DATABASE_URL mangler"),
    "malformed database url": (with_(HELHED_DATABASE_URL="postgresql://h@127.0.0.1:port/x"),
                               "HELHED_DATABASE_URL kan ikke læses"),
    "unknown database scheme": (with_(HELHED_DATABASE_URL="nosql://x"),
                                "HELHED_DATABASE_URL kan ikke læses"),
    "sqlite in server mode": (with_(HELHED_DATABASE_URL="sqlite:////tmp/helhed.sqlite3"),
                              "Server-profilen kræver PostgreSQL i HELHED_DATABASE_URL"),
    "missing secret key file": (
        {**without("HELHED_SECRET_KEY"), "HELHED_SECRET_KEY_FILE": "/nonexistent/helhed-key"},
        "HELHED_SECRET_KEY_FILE peger på '/nonexistent/helhed-key', som ikke kan læses"),
    "malformed hsts seconds": (with_(HELHED_HSTS_SECONDS="et år"),
                               "HELHED_HSTS_SECONDS='et år' er ikke et heltal"),
}


def assert_refused_plainly(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode != 0, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(("env", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_environment_is_refused_with_a_danish_message(env: dict[str, str],
                                                              message: str) -> None:
    result = helhed(env)
    assert_refused_plainly(result, message)
    assert result.stderr.startswith("helhed kan ikke starte: ")


def test_an_unreachable_database_fails_the_deploy_check() -> None:
    result = helhed(with_(HELHED_DATABASE_URL=UNREACHABLE))
    assert_refused_plainly(result, "helhed.E001")
    assert "Databasen kan ikke nås. Tjek HELHED_DATABASE_URL" in result.stderr


@pytest.mark.parametrize("command", [("migrate",), ("worker", "--once")])
def test_commands_refuse_an_unreachable_database_without_a_traceback(
    command: tuple[str, ...],
) -> None:
    result = helhed(with_(HELHED_DATABASE_URL=UNREACHABLE), *command)
    assert result.returncode != 0
    assert "HELHED_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def check_database() -> str:
    """A fresh, empty PostgreSQL database for the good server environment."""
    postgres("dropdb", "--if-exists", CHECK_DB)
    postgres("createdb", CHECK_DB)
    return CHECK_DB


def test_a_good_server_environment_passes_the_deploy_check(check_database: str) -> None:
    result = helhed(good_env())
    assert result.returncode == 0, result.stderr
    assert "ERRORS" not in result.stderr and "Traceback" not in result.stderr


def test_the_secret_key_can_come_from_a_file(check_database: str, tmp_path: Path) -> None:
    key_file = tmp_path / "secret_key"
    key_file.write_text(GOOD_KEY + "\n", encoding="utf-8")
    env = {**without("HELHED_SECRET_KEY"), "HELHED_SECRET_KEY_FILE": str(key_file)}
    result = helhed(env)
    assert result.returncode == 0, result.stderr
    key_file.write_text("for-kort\n", encoding="utf-8")
    assert_refused_plainly(helhed(env), "HELHED_SECRET_KEY er en")


def test_an_unknown_profile_is_refused() -> None:
    result = helhed({**good_env(), "HELHED_PROFILE": "produktion"})
    assert result.returncode != 0
    assert "HELHED_PROFILE='produktion' er ukendt" in result.stderr
