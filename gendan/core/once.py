"""Every page form is sent once (issue 11 defect 4): a one-time token in the form, claimed in the
database when the form is posted.

Why a token and not only a disabled button: a button disabled by JavaScript does not stop a
reload of the result page, a retry by the browser after a timeout or a second tab, and the
pages run without inline scripts. The token is rendered by ``{% form_token %}`` (in
``core/_form.html``, so every form built on it has one); ``SubmitOnceMiddleware`` claims it
(a unique row in ``core.FormSubmission``, so it holds across workers and servers) before the
view runs:

- the first post runs the view; when it answers with a redirect (the use case succeeded), the
  redirect is remembered with the token; any other answer (a form with errors, a refusal)
  releases the token, so the corrected form can be sent again;
- a second post of the same token does not run the view: it waits (a few seconds) for the first
  one to finish and is sent to the same result page, with a note that the form had been sent
  already.

A post without a token (the API, a script, an old page) is not affected; the API has its own
protections (versions, and the business keys such as a receipt's bank reference).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.models import FormSubmission

FIELD = "form_token"
WAIT_SECONDS = 10
KEEP = dt.timedelta(days=1)


def new_token() -> str:
    return uuid.uuid4().hex


def _claim(token: str, request) -> bool:
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token, user=request.user, path=request.path[:300])
        return True
    except IntegrityError:
        return False


def _answer_duplicate(request, token: str) -> HttpResponse | None:
    """The first post's result (a redirect), or None when the first post released the token."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        row = FormSubmission.objects.filter(token=token).values("redirect_to", "user_id").first()
        if row is None:
            return None
        if row["user_id"] != request.user.pk:  # another person's token: not theirs to replay
            return render(request, "core/submitted_twice.html", status=409)
        if row["redirect_to"]:
            messages.info(request, _("This form had been sent already; here is what it did. Nothing was done twice."))
            return HttpResponseRedirect(row["redirect_to"])
        if time.monotonic() >= deadline:
            return render(request, "core/submitted_twice.html", status=409)
        time.sleep(0.2)


class SubmitOnceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or request.path.startswith("/api/") or \
                not getattr(request, "user", None) or not request.user.is_authenticated:
            return self.get_response(request)
        try:
            token = (request.POST.get(FIELD) or "").strip()
        except (SuspiciousOperation, MultiPartParserError, OSError):  # too big, malformed: the view answers
            return self.get_response(request)
        if not token or len(token) > 64:
            return self.get_response(request)
        while not _claim(token, request):
            duplicate = _answer_duplicate(request, token)
            if duplicate is not None:
                return duplicate
            # the first post released its token (its form had errors): this one runs
        FormSubmission.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
        response = self.get_response(request)
        location = response.get("Location") if 300 <= response.status_code < 400 else None
        if location:
            FormSubmission.objects.filter(token=token).update(redirect_to=location[:500])
        else:
            FormSubmission.objects.filter(token=token).delete()
        return response
