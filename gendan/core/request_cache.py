"""Reads a page repeats, done once per request.

A page asks the same question several times while it is built: the chase board's sections, the
navigation badge and the order list's filter each read the user's customers, for instance. The
answer cannot change while a GET is answered, so ``per_request(key, compute)`` keeps it for the
rest of that request and forgets it at its end. Outside a request (services, tasks, the shell,
tests calling selectors) and during a POST — whose service may change what the next read returns,
e.g. reassign a customer — nothing is kept: ``compute`` runs every time.

Nothing crosses requests, so nothing needs invalidating; what is kept is the same value the
selector would read again, so scoping is exactly as strict as without it.

``per_session(request, key, compute, seconds=…)`` keeps a small answer about the signed-in user
across their pages — in their session, which every worker process shares — for ``seconds`` at
most: the navigation's chase badge, counted on every page otherwise. Everything so kept is
forgotten when the user sends anything but a GET or HEAD (their own change is seen on the next
page); a change by someone else shows within ``seconds``. Only a user's own counts belong here,
never what decides access.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_cache: ContextVar[dict | None] = ContextVar("gendan_request_cache", default=None)

SAFE_METHODS = ("GET", "HEAD")
SESSION_KEY = "_kept"  # {key: [value, unix time computed]} in the session (per_session)


def per_request(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per GET request for ``key``; every time outside one."""
    cache = _cache.get()
    if cache is None:
        return compute()
    try:
        return cache[key]
    except KeyError:
        value = cache[key] = compute()
        return value


def per_session(request, key: str, compute: Callable[[], T], *, seconds: int) -> T:
    """``compute()``, kept in ``request``'s session for ``seconds`` during GETs; every time
    otherwise. ``key`` (a string) names the answer — put in it whatever the answer depends on
    besides the user and time, e.g. the day. The value must be JSON-serialisable."""
    session = getattr(request, "session", None)
    if session is None or request.method not in SAFE_METHODS:
        return compute()
    kept = session.get(SESSION_KEY) or {}
    now = int(time.time())
    entry = kept.get(key)
    if entry is not None and 0 <= now - entry[1] < seconds:
        return entry[0]
    value = compute()
    session[SESSION_KEY] = {**{k: v for k, v in kept.items() if 0 <= now - v[1] < seconds}, key: [value, now]}
    return value


class RequestCacheMiddleware:
    """Opens the request's cache for GET and HEAD, and drops it when the response is made; any
    other request forgets what ``per_session`` kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            session = getattr(request, "session", None)
            if session is not None and SESSION_KEY in session:
                del session[SESSION_KEY]
            return self.get_response(request)
        token = _cache.set({})
        try:
            return self.get_response(request)
        finally:
            _cache.reset(token)
