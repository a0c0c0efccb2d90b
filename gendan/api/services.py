"""API tokens: a user exchanges username and password for their token, or revokes it.

Password tries are throttled exactly like the login form (``accounts.services``): the same
counters per username and per address, so the API is no way around the login lock.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _

from gendan.accounts import services as accounts
from gendan.accounts.errors import AccountsError
from gendan.accounts.models import ApiToken, User
from gendan.accounts.tokens import token_create, token_revoke
from gendan.core.errors import BusinessError, ValidationFailed


class LoginLocked(BusinessError):
    default_code = AccountsError.LOGIN_LOCKED


def api_token_issue(*, username: str, password: str, ip: str, request=None, name: str = "",
                    days: int | None = None) -> tuple[ApiToken, str]:
    """Make a new API token for a correct username and password and return it with its secret
    (shown this once); refuse while the username or the address is locked after failed tries."""
    remaining = accounts.login_lock_remaining(username=username, ip=ip)
    if remaining:
        minutes = max(1, round(remaining / 60))
        raise LoginLocked(_("Too many failed logins. Try again in %(minutes)d minutes.") % {"minutes": minutes})
    user = authenticate(request, username=username, password=password) if username and password else None
    if user is None or not user.is_active:
        accounts.login_failure_record(username=username, ip=ip)
        message = AuthenticationForm.error_messages["invalid_login"] % {
            "username": User._meta.get_field("username").verbose_name}
        raise ValidationFailed(message, code=AccountsError.INVALID_CREDENTIALS)
    accounts.login_success_record(user=user, ip=ip)
    return token_create(user=user, name=name, days=days)


def api_token_revoke(*, user: User, token: ApiToken | None) -> bool:
    """Revoke the token the request came with (a session revokes nothing). True if one was revoked."""
    if token is None or not isinstance(token, ApiToken):
        return False
    return token_revoke(by=user, token=token, reason="revoked through the API")
