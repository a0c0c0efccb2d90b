"""What a signed-in user may do — their roles and permissions — read once and kept across their
requests.

Every page asked the database three times before doing anything: the user's roles (their groups)
and, through Django's ``ModelBackend``, the permissions given to them and to their groups. These
change rarely and only through a few writes — a role given or taken (``user.groups``), a
permission given to a person or to a role (``roles_sync`` after a migration, the admin), a group
renamed or deleted — so ``access_of`` keeps them in the default cache (Redis in production: every
worker and server sees the same entry) for ``GENDAN_ACCESS_SECONDS`` at most, under a generation
counter that each of those writes moves on (at once and again when its transaction commits, so a
request that read during the transaction does not keep the old answer). A revoked right stops
working on the next request, on every server.

A cache each worker keeps for itself (Django's local-memory cache) would not see another worker's
change: the production settings turn this off unless the cache is shared (``REDIS_URL``); one
process (development, tests) is always safe. Whether the user is active is never kept: it is read
with the user on every request, as before.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "gendan:access:generation"


@dataclass(frozen=True)
class Access:
    roles: frozenset[str]
    user_perms: frozenset[str]
    group_perms: frozenset[str]


def _names(permissions) -> frozenset[str]:
    return frozenset(f"{app}.{codename}" for app, codename in
                     permissions.values_list("content_type__app_label", "codename").order_by())


def _read(user) -> Access:
    roles = frozenset(user.groups.values_list("name", flat=True))
    if user.is_superuser:  # as ModelBackend: every permission, from both sources
        everything = _names(Permission.objects.all())
        return Access(roles, everything, everything)
    return Access(roles, _names(Permission.objects.filter(user=user)),
                  _names(Permission.objects.filter(group__user=user)))


def access_of(user) -> Access:
    """``user``'s roles and permissions (a saved user): once per user object (a request's), and
    from the cache while nothing changed."""
    kept = getattr(user, "_gendan_access", None)
    if kept is not None:
        return kept
    seconds = getattr(settings, "GENDAN_ACCESS_SECONDS", 0)
    if seconds <= 0 or user.pk is None:
        value = _read(user)
    else:
        cache = caches["default"]
        key = f"gendan:access:{user.pk}:{int(user.is_superuser)}"
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY, 0)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            value = entry[1]
        else:
            value = _read(user)
            cache.set(key, (generation, value), timeout=seconds)
    user._gendan_access = value
    return value


def _generation_next() -> None:
    cache = caches["default"]
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): any value other than the one entries saw will do
        cache.set(GENERATION_KEY, uuid.uuid4().int % 2**62, timeout=None)


def access_changed(**_kwargs) -> None:
    """Forget every kept answer: now, and again once the current transaction commits."""
    _generation_next()
    transaction.on_commit(_generation_next, robust=True)


def connect() -> None:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(access_changed, sender=through, dispatch_uid=f"gendan_access_{through._meta.label}")
    for model in (Group, Permission):
        post_save.connect(access_changed, sender=model, dispatch_uid=f"gendan_access_save_{model._meta.label}")
        post_delete.connect(access_changed, sender=model, dispatch_uid=f"gendan_access_delete_{model._meta.label}")
