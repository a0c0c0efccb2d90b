from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gendan.core.errors import BusinessError, error_status
from gendan.core.forms import add_business_error
from gendan.core.search import global_search


def run_service_form(
    request: HttpRequest,
    *,
    form,
    call: Callable[[Any], Any],
    template: str,
    context: dict,
    success_message: str,
    success_url: Callable[[Any], str],
) -> HttpResponse:
    """Validate ``form``; on success call the service with it and redirect; on a refusal
    re-render the form with the service's messages (status 409 for a stale edit, 400 else).

    Nothing the user typed is lost: the bound form is shown again.
    """
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = call(form)
            except BusinessError as exc:
                add_business_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, success_message)
                return redirect(success_url(result))
        else:
            status = 400
    return render(request, template, {**context, "form": form}, status=status)


def run_action(
    request: HttpRequest,
    *,
    call: Callable[[dict], Any],
    success_message: str | Callable[[Any], str],
    success_url: str | Callable[[Any], str],
    refused: Callable[[BusinessError, Any], HttpResponse],
    form=None,
) -> HttpResponse:
    """The one runner of a page action (a POST button or a small form on a detail page).

    Validate ``form`` (if any); call the service with its cleaned data (``{}`` without a form);
    on success flash ``success_message`` (or ``success_message(result)``) and redirect to
    ``success_url`` (or ``success_url(result)``). On a refusal, put the service's field messages on the form and
    answer ``refused(exc, form)`` — the page as it stands, with the message — with the status of
    the one mapping (``core.errors.error_status``): 400 input, 403 role, 404 scope, 409 gate /
    state / stale. Nothing the user typed is lost.
    """
    if form is not None and not form.is_valid():
        exc = BusinessError(_("Please correct the errors below."))
    else:
        try:
            result = call(form.cleaned_data if form is not None else {})
        except BusinessError as error:
            exc = error
            if form is not None:
                add_business_error(form, exc)
        else:
            messages.success(request, success_message(result) if callable(success_message) else success_message)
            return redirect(success_url(result) if callable(success_url) else success_url)
    response = refused(exc, form)
    response.status_code = error_status(exc)
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()
    groups = global_search(user=request.user, query=query) if query else []
    if len(groups) == 1 and len(groups[0]["results"]) == 1 and request.GET.get("go"):
        return redirect(groups[0]["results"][0]["url"])
    return render(request, "core/search.html", {"query": query, "groups": groups, "title": _("Search")})
