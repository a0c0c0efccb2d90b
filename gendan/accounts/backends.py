"""The sign-in backend: Django's ``ModelBackend``, whose permission checks read the user's
permissions from ``accounts.access`` (kept across requests) instead of two queries per request."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from gendan.accounts.access import access_of


class AccessBackend(ModelBackend):
    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, name):
            access = access_of(user_obj)
            user_obj._user_perm_cache = set(access.user_perms)
            user_obj._group_perm_cache = set(access.group_perms)
        return getattr(user_obj, name)
