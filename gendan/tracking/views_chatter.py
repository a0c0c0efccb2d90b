"""The order's chatter (a side panel of the order page's overview, above the timeline) and the
mentions it puts on colleagues' boards. Thin: parse, call ``tracking.services.chatter``, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError, error_status
from gendan.parties import sections
from gendan.sales import panels
from gendan.sales.selectors import order_get_for_user
from gendan.tracking.forms_comms import ChatterForm
from gendan.tracking.services import chatter
from gendan.tracking.services.communications import ADD_PERM, VIEW_PERM, communications_for_customer


def register_chatter() -> None:
    """Called from ``TrackingConfig.ready``: the chatter beside the order page's timeline, and
    the customer page's "communications" tab (``parties.sections``)."""
    panels.register("chatter", template="tracking/comms/_chatter.html", context=chatter_panel, rank=0,
                    aside=True)
    sections.register("communications", template="tracking/comms/_customer_section.html",
                      context=customer_section, tab="communications", rank=10, count=customer_count)


CUSTOMER_ROWS = 15


def customer_count(request, customer) -> int | None:
    """The customer's communications the user may see (one query)."""
    if not request.user.has_perm(VIEW_PERM):
        return None
    return communications_for_customer(user=request.user, customer=customer).count()


def customer_section(request, customer) -> dict | None:
    if not request.user.has_perm(VIEW_PERM):
        return None
    return {"rows": list(communications_for_customer(user=request.user, customer=customer)[:CUSTOMER_ROWS]),
            "can_add": request.user.has_perm(ADD_PERM)}


def chatter_panel(request, order) -> dict | None:
    if not request.user.has_perm(ADD_PERM):
        return None
    bound = getattr(request, "chatter_form", None)
    return {"form": bound or ChatterForm(), "error": getattr(request, "chatter_error", "")}


@login_required
@require_POST
def order_chatter_post(request, order_id: int):
    order = order_get_for_user(user=request.user, pk=order_id)
    if not request.user.has_perm(ADD_PERM):
        raise PermissionDenied
    form = ChatterForm(request.POST)
    form.is_valid()  # every field is optional here: the service says what is missing
    data = form.cleaned_data
    try:
        communication = chatter.chatter_post(actor=request.user, order_id=order.pk, kind=data.get("kind") or "",
                                             text=data.get("text") or "", channel=data.get("channel") or "")
    except BusinessError as exc:
        request.chatter_form = form
        request.chatter_error = exc.message
        response = panels.order_page(request, order)
        response.status_code = error_status(exc)
        return response
    if communication.mentioned:
        messages.success(request, _("Written on the timeline; on the chase board of %(names)s.") % {
            "names": ", ".join(str(p) for p in communication.mentioned)})
    else:
        messages.success(request, _("Written on the timeline."))
    return redirect(order.get_absolute_url() + "#chatter")


@login_required
def mention_open(request, pk: int):
    """The board's link: the mention is seen, the order's chatter opens."""
    mention = chatter.mention_open(actor=request.user, mention_id=pk)
    return redirect(mention.order.get_absolute_url() + "#chatter")
