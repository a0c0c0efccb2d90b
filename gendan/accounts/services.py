"""Account services: login throttling, language preference."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from gendan.accounts.models import User
from gendan.core.events import event_record
from gendan.core.models import Event

security_log = logging.getLogger("gendan.security")

_IP_FACTOR = 4  # one address may fail this many times more than one username (shared office NAT)


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-fail:{kind}:{digest}"


def login_lock_remaining(*, username: str, ip: str) -> int:
    """Return the seconds left before this username / address may try again (0 = not locked)."""
    limit = settings.GENDAN_LOGIN_MAX_FAILURES
    for kind, value, max_failures in (("user", username, limit), ("ip", ip, limit * _IP_FACTOR)):
        entry = cache.get(_key(kind, value))
        if entry and entry["count"] >= max_failures:
            return max(1, int(entry["until"] - _now()))
    return 0


def login_failure_record(*, username: str, ip: str) -> None:
    """Count a failed login for the username and the address; lock after too many."""
    lock = settings.GENDAN_LOGIN_LOCK_SECONDS
    for kind, value in (("user", username), ("ip", ip)):
        key = _key(kind, value)
        entry = cache.get(key) or {"count": 0}
        entry["count"] += 1
        entry["until"] = _now() + lock
        cache.set(key, entry, timeout=lock)
    security_log.warning("login failed user=%r ip=%s", username[:150], ip)


def login_success_record(*, user: User, ip: str) -> None:
    cache.delete(_key("user", user.get_username()))
    security_log.info("login ok user=%s ip=%s", user.pk, ip)


def _now() -> float:
    import time

    return time.time()


def user_set_language(*, user: User, language: str) -> User:
    """Save the user's UI language (zh-hans / en)."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    if user.language != language:
        old = user.language
        user.language = language
        user.save(update_fields=["language"])
        event_record(
            actor=user, obj=user, verb=Event.Verb.UPDATED, changes={"language": {"old": old, "new": language}}
        )
    return user


def client_ip(request) -> str:
    """The client address. Behind the proxy, the proxy must overwrite X-Forwarded-For."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
