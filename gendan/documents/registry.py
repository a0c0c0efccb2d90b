"""Which objects can carry attachments, and how to fetch one for a user (its scoped selector).

Apps register ``"app_label.model": getter(user=..., pk=...)`` in their AppConfig.ready;
the attachment views refuse any owner type that is not registered, and reach every owner
through its getter, so a file is only served to someone who may open its owner.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.http import Http404

OwnerGetter = Callable[..., models.Model]
_OWNERS: dict[str, tuple[OwnerGetter, str]] = {}


def register_owner(model_label: str, getter: OwnerGetter, *, change_perm: str) -> None:
    """``change_perm``: the permission on the owner that allows adding or removing its files."""
    _OWNERS[model_label.lower()] = (getter, change_perm)


def owner_get_for_user(*, user, model_label: str, pk: int) -> models.Model:
    entry = _OWNERS.get(model_label.lower())
    if entry is None:
        raise Http404("Unknown owner type.")
    return entry[0](user=user, pk=pk)


def owner_change_perm(model_label: str) -> str:
    entry = _OWNERS.get(model_label.lower())
    if entry is None:
        raise Http404("Unknown owner type.")
    return entry[1]
