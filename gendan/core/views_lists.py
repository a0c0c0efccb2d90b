"""Saved list views (``core.saved_lists``): save the list as it is shown under a name, rename,
overwrite, delete, mark as one's default. Posted from the list page's "Saved views" menu; each
answer goes back to the list. Another person's saved view is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core import saved_lists
from gendan.core.errors import BusinessError


def _back(request, *, view=None) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    target = target.split("?", 1)[0]
    if view is not None:
        target += f"?view={view.pk}"
    return HttpResponseRedirect(target)


def _refused(request, exc: BusinessError) -> HttpResponseRedirect:
    messages.error(request, str(exc.message))
    return _back(request)


@login_required
@require_POST
def saved_view_create(request):
    try:
        view = saved_lists.saved_view_create(
            user=request.user, list_key=request.POST.get("list_key", ""), name=request.POST.get("name", ""),
            query=request.POST.get("query", ""), is_default=bool(request.POST.get("is_default")))
    except BusinessError as exc:
        return _refused(request, exc)
    messages.success(request, _("Saved view “%(name)s” saved.") % {"name": view.name})
    return _back(request, view=view)


@login_required
@require_POST
def saved_view_rename(request, pk: int):
    try:
        view = saved_lists.saved_view_rename(user=request.user, pk=pk, name=request.POST.get("name", ""))
    except BusinessError as exc:
        return _refused(request, exc)
    messages.success(request, _("Saved view renamed to “%(name)s”.") % {"name": view.name})
    return _back(request, view=view)


@login_required
@require_POST
def saved_view_update(request, pk: int):
    view = saved_lists.saved_view_update_query(user=request.user, pk=pk, query=request.POST.get("query", ""))
    messages.success(request, _("Saved view “%(name)s” now shows the list as it is.") % {"name": view.name})
    return _back(request, view=view)


@login_required
@require_POST
def saved_view_delete(request, pk: int):
    saved_lists.saved_view_delete(user=request.user, pk=pk)
    messages.success(request, _("Saved view deleted."))
    return _back(request)


@login_required
@require_POST
def saved_view_default(request, pk: int):
    on = request.POST.get("on", "1") == "1"
    view = saved_lists.saved_view_set_default(user=request.user, pk=pk, is_default=on)
    messages.success(request, (_("“%(name)s” opens when you open this list.") if on
                               else _("“%(name)s” is no longer your default.")) % {"name": view.name})
    return _back(request, view=view if on else None)
