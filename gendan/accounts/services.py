"""Account services: login throttling, language preference."""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from gendan.accounts.models import LoginFailure, User
from gendan.core.events import event_record
from gendan.core.models import Event

security_log = logging.getLogger("gendan.security")

_IP_FACTOR = 4  # one address may fail this many times more than one username (shared office NAT)


def _key(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


def _keys(username: str, ip: str) -> list[tuple[str, str, int]]:
    limit = settings.GENDAN_LOGIN_MAX_FAILURES
    return [(LoginFailure.Kind.USER, _key(username), limit), (LoginFailure.Kind.IP, _key(ip), limit * _IP_FACTOR)]


def login_lock_remaining(*, username: str, ip: str) -> int:
    """Return the seconds left before this username / address may try again (0 = not locked).
    The counts live in the database, so the limit is the same with one worker or ten."""
    now = _now()
    rows = {(row.kind, row.key): row for row in LoginFailure.objects.filter(
        Q(kind=LoginFailure.Kind.USER, key=_key(username)) | Q(kind=LoginFailure.Kind.IP, key=_key(ip)),
        until__gt=now)}
    for kind, key, max_failures in _keys(username, ip):
        row = rows.get((kind, key))
        if row is not None and row.count >= max_failures:
            return max(1, int(row.until - now))
    return 0


def _count_failure(kind: str, key: str, now: float, lock: int) -> None:
    """One more failure for ``key``, atomically (an UPDATE … SET count = count + 1; the first
    failure inserts, and a concurrent first insert falls back to the update)."""
    live = LoginFailure.objects.filter(kind=kind, key=key)
    if live.filter(until__gt=now).update(count=F("count") + 1, until=now + lock):
        return
    live.filter(until__lte=now).delete()  # an expired count starts again
    try:
        with transaction.atomic():
            LoginFailure.objects.create(kind=kind, key=key, count=1, until=now + lock)
    except IntegrityError:  # another worker inserted it a moment ago
        live.update(count=F("count") + 1, until=now + lock)


def login_failure_record(*, username: str, ip: str) -> None:
    """Count a failed login for the username and the address; lock after too many."""
    now, lock = _now(), settings.GENDAN_LOGIN_LOCK_SECONDS
    for kind, key, _limit in _keys(username, ip):
        _count_failure(kind, key, now, lock)
    security_log.warning("login failed user=%r ip=%s", username[:150], ip)
    remaining = login_lock_remaining(username=username, ip=ip)
    if remaining:
        security_log.warning("login locked user=%r ip=%s seconds=%d", username[:150], ip, remaining)


def login_success_record(*, user: User, ip: str) -> None:
    LoginFailure.objects.filter(kind=LoginFailure.Kind.USER, key=_key(user.get_username())).delete()
    security_log.info("login ok user=%s ip=%s", user.pk, ip)


def _now() -> float:
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
    """The client's address. ``X-Forwarded-For`` counts only when the request comes from a proxy
    of ``GENDAN_TRUSTED_PROXIES`` (addresses or networks): then the nearest address in it that is
    not one of those proxies. Anyone else could write any address there and so escape the
    per-address login lock, or lock someone else's."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = _trusted_proxies()
    if not proxies or not _is_trusted(remote, proxies):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_address(hop):
            break  # garbage where our proxy writes a client's address: believe nothing further
        if not _is_trusted(hop, proxies):
            return hop
    return remote


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _trusted_proxies() -> list:
    networks = []
    for entry in getattr(settings, "GENDAN_TRUSTED_PROXIES", ()):
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            continue
    return networks


def _is_trusted(address: str, proxies: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)
