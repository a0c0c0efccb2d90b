"""Reads a page repeats, done once per request.

A page asks the same question several times while it is built: the chase board's sections, the
navigation badge and the order list's filter each read the user's customers, for instance. The
answer cannot change while a GET is answered, so ``per_request(key, compute)`` keeps it for the
rest of that request and forgets it at its end. Outside a request (services, tasks, the shell,
tests calling selectors) and during a POST — whose service may change what the next read returns,
e.g. reassign a customer — nothing is kept: ``compute`` runs every time.

Nothing crosses requests, so nothing needs invalidating; what is kept is the same value the
selector would read again, so scoping is exactly as strict as without it.

``per_user(request, key, compute, seconds=…)`` keeps a larger answer — the chase board's
sections — in the shared cache (Redis in production, so every worker and server sees it) for
``seconds`` at most, and drops it as soon as anything changes: every change writes its event
row (``core.events``), and each committed transaction that wrote one moves a generation counter
on (``changes_committed``); an answer computed under an older generation is not used. The
requesting user's own change is seen on their next page even where the cache is per process
(the development's local memory): any non-GET request of theirs writes a new marker into their
session, which every worker shares, and an answer kept under another marker is not used.

``per_session(request, key, compute, seconds=…)`` keeps a small answer about the signed-in user
across their pages — in their session, which every worker process shares — for ``seconds`` at
most: the navigation's chase badge, counted on every page otherwise. Everything so kept is
forgotten when the user sends anything but a GET or HEAD (their own change is seen on the next
page); a change by someone else shows within ``seconds``. Only a user's own counts belong here,
never what decides access.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import caches
from django.db import connection, transaction

T = TypeVar("T")

_cache: ContextVar[dict | None] = ContextVar("gendan_request_cache", default=None)

SAFE_METHODS = ("GET", "HEAD")
SESSION_KEY = "_kept"  # {key: [value, unix time computed]} in the session (per_session)
WROTE_KEY = "_wrote"  # a new marker at each of the user's non-GET requests (per_user: nothing kept from before)
GENERATION_KEY = "gendan:kept:generation"  # moved on by every committed change (per_user)


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


def per_user(request, key: str, compute: Callable[[], T], *, seconds: int) -> T:
    """``compute()``, kept in the default cache under ``key`` for ``seconds`` at most during GETs,
    and only while nothing has changed since (no committed event, no non-GET request of the
    requesting user); every time otherwise. ``key`` names everything the answer depends on (whose,
    the day, the language…). The value must pickle."""
    if seconds <= 0 or request.method not in SAFE_METHODS:
        return compute()
    cache = caches["default"]
    session = getattr(request, "session", None)
    wrote = session.get(WROTE_KEY, "") if session is not None else ""
    found = cache.get_many([key, GENERATION_KEY])
    generation = found.get(GENERATION_KEY, 0)
    entry = found.get(key)
    now = time.time()
    if entry is not None:
        made, made_generation, made_wrote, value = entry
        if made_generation == generation and made_wrote == wrote and 0 <= now - made < seconds:
            return value
    value = compute()
    cache.set(key, (now, generation, wrote, value), timeout=seconds)
    return value


def _generation_next() -> None:
    cache = caches["default"]
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): any value other than the one kept answers saw will do
        cache.set(GENERATION_KEY, uuid.uuid4().int % 2**62, timeout=None)


def changes_committed() -> None:
    """Say that the current transaction changed something a kept answer may show: once it commits,
    ``per_user`` answers computed before are not used any more. Called by ``core.events`` for every
    event row; one counter move per transaction."""
    pending = connection.run_on_commit if connection.in_atomic_block else ()
    if any(func is _generation_next for _sids, func, *_rest in pending):
        return
    transaction.on_commit(_generation_next, robust=True)


class RequestCacheMiddleware:
    """Opens the request's cache for GET and HEAD, and drops it when the response is made; any
    other request forgets what ``per_session`` kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            session = getattr(request, "session", None)
            if session is not None:
                if SESSION_KEY in session:
                    del session[SESSION_KEY]
                user = getattr(request, "user", None)
                if user is not None and user.is_authenticated:
                    session[WROTE_KEY] = uuid.uuid4().hex[:12]
            return self.get_response(request)
        token = _cache.set({})
        try:
            return self.get_response(request)
        finally:
            _cache.reset(token)
