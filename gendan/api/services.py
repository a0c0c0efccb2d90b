"""API tokens: a user exchanges username and password for their token, or revokes it.

Password tries are throttled exactly like the login form (``accounts.services``): the same
counters per username and per address, so the API is no way around the login lock.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from gendan.accounts import services as accounts
from gendan.accounts.errors import AccountsError
from gendan.accounts.models import User
from gendan.core.errors import BusinessError, ValidationFailed
from gendan.core.events import event_record
from gendan.core.models import Event


class LoginLocked(BusinessError):
    default_code = AccountsError.LOGIN_LOCKED


def api_token_issue(*, username: str, password: str, ip: str, request=None) -> tuple[Token, bool]:
    """Return the user's API token (created if they had none) for a correct username and
    password; refuse while the username or the address is locked after failed tries."""
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
    with transaction.atomic():
        token, created = Token.objects.get_or_create(user=user)
        if created:
            event_record(actor=user, obj=user, verb=Event.Verb.NOTE, message="API token created")
    return token, created


def api_token_revoke(*, user: User) -> bool:
    """Delete the user's API token; every client using it must log in again. True if one existed."""
    with transaction.atomic():
        deleted, _rows = Token.objects.filter(user=user).delete()
        if deleted:
            event_record(actor=user, obj=user, verb=Event.Verb.NOTE, message="API token revoked")
    return bool(deleted)
