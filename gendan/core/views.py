from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gendan.core.errors import BusinessError
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
                status = exc.status if exc.status in (400, 403, 409) else 400
            else:
                messages.success(request, success_message)
                return redirect(success_url(result))
        else:
            status = 400
    return render(request, template, {**context, "form": form}, status=status)


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
