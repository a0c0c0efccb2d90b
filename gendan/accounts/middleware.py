"""Session lifetime and per-user language."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.storage import default_storage
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _


class SessionLifetimeMiddleware:
    """End a session a fixed time after login, however active it was (ASVS 7.3.2), and keep an
    active one alive: the idle timeout (``SESSION_COOKIE_AGE``) restarts when the session is saved,
    which is done at most once per ``GENDAN_SESSION_REFRESH_SECONDS`` for a signed-in user who
    only reads — not on every page (``SESSION_SAVE_EVERY_REQUEST`` was a database write, on SQLite
    the write lock, per page). So a session ends after ``SESSION_COOKIE_AGE`` without a request,
    counted from a moment at most that minute before the last one (ASVS 7.3.1)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            login_at = request.session.get("login_at")
            if login_at and time.time() - login_at > settings.GENDAN_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                response = redirect(settings.LOGIN_URL)
                # This middleware runs before MessageMiddleware (request._messages does not
                # exist yet), so the notice goes through the message storage directly.
                storage = default_storage(request)
                storage.add(messages.INFO, _("Your session has expired. Please log in again."))
                storage.update(response)
                return response
            seen_at = request.session.get("seen_at")
            now = int(time.time())
            if seen_at is None or now - seen_at >= settings.GENDAN_SESSION_REFRESH_SECONDS:
                request.session["seen_at"] = now  # modified: saved, its expiry and cookie renewed
        return self.get_response(request)


class UserLanguageMiddleware:
    """A logged-in user's saved language wins over the browser's Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
