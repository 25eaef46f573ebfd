"""Login throttling: too many wrong passwords lock a username, and a client address, for a while.

After ``HELHED_LOGIN_FAILURES_PER_USERNAME`` (5) failed logins for one username (compared
case-insensitively) within ``HELHED_LOGIN_WINDOW_MINUTES`` (15), further attempts for that
username are refused for the same number of minutes, whatever the password. The same holds
for a client address at ``HELHED_LOGIN_FAILURES_PER_ADDRESS`` (20), against one machine
trying many usernames. Usernames that do not exist are counted like the others, so the
answer never tells whether a username exists. A successful login clears its username's
failures (not its address's: a valid login must not reset an attacker's address count).

Counts live in Django's cache (per-process memory in the embedded profile, Redis in the
server profile) as one counter per minute, incremented atomically; a lock is a cache entry
holding when it ends. Time is ``helhed.core.clock``'s, so tests can move it; the cache's
own expiry only cleans up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from helhed.core import clock

logger = logging.getLogger("helhed.web.login")

PREFIX = "helhed:login"
# Cache entries outlive the window by a margin; the clock decides what counts.
EXPIRY_MARGIN = 120


def window() -> dt.timedelta:
    return dt.timedelta(minutes=int(settings.HELHED_LOGIN_WINDOW_MINUTES))


def client_address(request: HttpRequest | None) -> str:
    """The client's address: ``REMOTE_ADDR``, or, behind a trusted proxy, the last address
    the proxy added to the header named by ``HELHED_CLIENT_IP_HEADER``."""
    if request is None:
        return ""
    header = getattr(settings, "HELHED_CLIENT_IP_HEADER", "")
    if header:
        forwarded = [a.strip() for a in request.META.get(header, "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


@dataclass(frozen=True)
class _Subject:
    """A username or an address, as the cache knows it (hashed: no usernames in Redis)."""

    kind: str  # "username" or "address"
    value: str
    limit: int

    @property
    def key(self) -> str:
        digest = hashlib.sha256(self.value.encode()).hexdigest()[:32]
        return f"{PREFIX}:{self.kind}:{digest}"

    def bucket(self, minute: int) -> str:
        return f"{self.key}:{minute}"

    @property
    def lock_key(self) -> str:
        return f"{self.key}:lock"


def _minute(at: dt.datetime) -> int:
    return int(at.timestamp() // 60)


def _minutes_in_window(now: dt.datetime) -> range:
    current = _minute(now)
    return range(current - int(window().total_seconds() // 60) + 1, current + 1)


def _expiry() -> int:
    return int(window().total_seconds()) + EXPIRY_MARGIN


class LoginThrottle:
    """The throttle for one login attempt: a username from one client address."""

    def __init__(self, request: HttpRequest | None, username: str) -> None:
        self.username = username
        self.address = client_address(request)
        self.subjects = [_Subject("username", username.strip().casefold(),
                                  int(settings.HELHED_LOGIN_FAILURES_PER_USERNAME))]
        if self.address:
            self.subjects.append(_Subject("address", self.address,
                                          int(settings.HELHED_LOGIN_FAILURES_PER_ADDRESS)))

    def locked(self) -> bool:
        """Whether attempts are refused now (for the username or the address)."""
        now = clock.now().timestamp()
        ends = cache.get_many([s.lock_key for s in self.subjects])
        return any(float(end) > now for end in ends.values())

    def failed(self) -> bool:
        """Count a failed attempt; lock what reached its limit. True if now locked."""
        now = clock.now()
        locked = False
        for subject in self.subjects:
            key = subject.bucket(_minute(now))
            cache.add(key, 0, _expiry())
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr: start again
                cache.set(key, 1, _expiry())
            if self._failures(subject, now) >= subject.limit:
                self._lock(subject, now)
                locked = True
        return locked

    def succeeded(self) -> None:
        """A successful login clears its username's failures."""
        username = self.subjects[0]
        now = clock.now()
        cache.delete_many([username.bucket(m) for m in _minutes_in_window(now)]
                          + [username.lock_key])

    def _failures(self, subject: _Subject, now: dt.datetime) -> int:
        counts = cache.get_many([subject.bucket(m) for m in _minutes_in_window(now)])
        return sum(int(c) for c in counts.values())

    def _lock(self, subject: _Subject, now: dt.datetime) -> None:
        ends = now + window()
        cache.set(subject.lock_key, ends.timestamp(), _expiry())
        logger.warning(
            "Login locked for %s until %s: %d failed logins within %d minutes "
            "(last attempt: username %r from %s).",
            subject.kind, ends.isoformat(timespec="seconds"), subject.limit,
            window().total_seconds() // 60, self.username, self.address or "unknown address")
