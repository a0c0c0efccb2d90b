"""API tokens (issue 10, item 6): made, checked, revoked. Only a SHA-256 hash of the secret is
kept (the secret has 256 bits of randomness, so a plain hash is enough — as GitHub and Django's
own password-reset tokens rely on); the secret is returned once, when the token is made.

A token works while it is not revoked, not expired, its user is active and the user's password
is still the one it was made under (``password_mark``): changing the password anywhere — the
profile page, the admin, ``manage.py changepassword`` — ends every token of that user, and
``tokens_revoke_for_password_change`` records why on the rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from gendan.accounts.models import ApiToken, User
from gendan.core.errors import ValidationFailed
from gendan.core.events import event_record
from gendan.core.models import Event

SECRET_PREFIX = "gdn_"
# last_used_at is written at most this often per token: not one write per API request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def password_mark(user: User) -> str:
    return salted_hmac("gendan.api-token.password", user.password, algorithm="sha256").hexdigest()


def token_create(*, user: User, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """Make a token for ``user``; return it and its secret (shown once, never stored)."""
    name = (name or "").strip() or _("API client")
    default, longest = settings.GENDAN_API_TOKEN_DAYS, settings.GENDAN_API_TOKEN_MAX_DAYS
    if days is None:
        days = default
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= longest:
        raise ValidationFailed(_("A token is valid for 1 to %(max)d days.") % {"max": longest},
                               fields={"expires_in_days": [_("Give a whole number of days from 1 to %(max)d.")
                                                           % {"max": longest}]})
    if len(name) > 60:
        raise ValidationFailed(_("A token's name has at most 60 characters."),
                               fields={"name": [_("At most 60 characters.")]})
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=secret[len(SECRET_PREFIX):][:8], key_hash=_hash(secret),
            password_mark=password_mark(user), created_at=now, expires_at=now + dt.timedelta(days=days))
        event_record(actor=user, obj=user, verb=Event.Verb.NOTE,
                     message=f"API token “{token.name}” ({token.prefix}…) created, valid until {token.expires_at:%Y-%m-%d}")
    return token, secret


def token_authenticate(secret: str) -> ApiToken | None:
    """The live token with this secret, its user loaded; None for anything else."""
    if not secret or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(secret)).first()
    now = timezone.now()
    if (token is None or token.revoked_at is not None or token.expires_at <= now or not token.user.is_active
            or not constant_time_compare(token.password_mark, password_mark(token.user))):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_state(token: ApiToken) -> str:
    """What the profile page says of a token: live, expired, revoked, or ended by a password change."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= timezone.now():
        return "expired"
    if not constant_time_compare(token.password_mark, password_mark(token.user)):
        return "password_changed"
    return "live"


def token_revoke(*, by: User, token_id: int | None = None, token: ApiToken | None = None,
                 reason: str = "revoked by its user") -> bool:
    """Revoke one of ``by``'s own tokens; False if it was not theirs or already revoked."""
    with transaction.atomic():
        qs = ApiToken.objects.select_for_update().filter(user=by, revoked_at__isnull=True)
        token = qs.filter(pk=token.pk if token is not None else token_id).first()
        if token is None:
            return False
        token.revoked_at, token.revoke_reason = timezone.now(), reason[:60]
        token.save(update_fields=["revoked_at", "revoke_reason"])
        event_record(actor=by, obj=by, verb=Event.Verb.NOTE,
                     message=f"API token “{token.name}” ({token.prefix}…) revoked")
    return True


def tokens_revoke_for_password_change(*, user: User) -> int:
    """Mark every live token of ``user`` revoked because the password changed (they already stop
    working by their password mark; this keeps the reason on the rows and the timeline)."""
    with transaction.atomic():
        count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoke_reason="password changed")
        if count:
            event_record(actor=user, obj=user, verb=Event.Verb.NOTE,
                         message=f"{count} API token(s) revoked: password changed")
    return count
