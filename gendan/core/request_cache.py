"""Reads a page repeats, done once per request.

A page asks the same question several times while it is built: the chase board's sections, the
navigation badge and the order list's filter each read the user's customers, for instance. The
answer cannot change while a GET is answered, so ``per_request(key, compute)`` keeps it for the
rest of that request and forgets it at its end. Outside a request (services, tasks, the shell,
tests calling selectors) and during a POST — whose service may change what the next read returns,
e.g. reassign a customer — nothing is kept: ``compute`` runs every time.

Nothing crosses requests, so nothing needs invalidating; what is kept is the same value the
selector would read again, so scoping is exactly as strict as without it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_cache: ContextVar[dict | None] = ContextVar("gendan_request_cache", default=None)

SAFE_METHODS = ("GET", "HEAD")


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


class RequestCacheMiddleware:
    """Opens the request's cache for GET and HEAD, and drops it when the response is made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        token = _cache.set({})
        try:
            return self.get_response(request)
        finally:
            _cache.reset(token)
