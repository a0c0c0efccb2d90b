"""Auth signal receivers: they only log and stamp the session, never business rules."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in


def _stamp_login(sender, request, user, **kwargs) -> None:
    request.session["login_at"] = request.session["seen_at"] = int(time.time())
    if user.language:
        request.session["_language"] = user.language


def connect() -> None:
    user_logged_in.connect(_stamp_login, dispatch_uid="gendan_stamp_login")
