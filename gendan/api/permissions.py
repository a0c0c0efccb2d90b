"""Function-level access (ASVS 8.2.1): every API action names the permissions it needs.

The permissions are the role matrix's (``accounts.roles``), the same the pages check. Which
*records* a user reaches is decided by the scoped selectors, and the services check the
permission again; this is the coarse gate at the edge. An action that names no permission
is refused: access fails closed.
"""

from __future__ import annotations

from rest_framework.permissions import BasePermission


class ActionPermission(BasePermission):
    """Allow an authenticated, active user holding every permission that ``view.required_perms``
    names for the request: under ``"<action>.<method>"`` (an action answering several methods),
    else ``"<action>"``. A view without an entry for the request refuses it."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        method = request.method.lower()
        if not hasattr(view, method):
            return True  # no handler: the view answers 405, nothing runs
        required = getattr(view, "required_perms", None) or {}
        action = getattr(view, "action", None) or method
        perms = required.get(f"{action}.{method}", required.get(action))
        if perms is None:
            return False
        return user.has_perms(perms)
