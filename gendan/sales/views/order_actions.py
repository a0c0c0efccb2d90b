"""The order's actions: each a POST that calls one service and comes back to the order.

A refusal changes nothing (the service runs in one transaction) and shows the order's page
again with the service's message and the user's input, with the status of the one mapping
(``core.errors.error_status``): 409 for a rule (gate), a state or a stale page, 403 for a role
that may not, 400 for wrong input. The actions other apps perform on an order use the same
runner and page (``run_order_action``, ``order_action_page``): the payment requests (finance),
production release (production) and shipment (shipping), whose release and shipment have a
page of their own.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError, error_status
from gendan.core.forms import add_business_error
from gendan.core.views import run_action
from gendan.sales import selectors
from gendan.sales.forms import VersionForm
from gendan.sales.models import OrderDocument, SalesOrder
from gendan.sales.rules import overridable_gates
from gendan.sales.services import confirmations, lifecycle
from gendan.sales.services.documents import document_issue
from gendan.sales.services.revisions import (
    order_revision_apply,
    order_revision_approve,
    order_revision_withdraw,
)
from gendan.sales.views.buttons import order_buttons
from gendan.sales.views.orders import action_forms, order_page_context


def run_order_action(request, pk: int, *, action: str, call: Callable[[SalesOrder, dict], object], success: str,
                     form_key: str | None = None) -> HttpResponse:
    """Check the posted form of ``action`` (if it has one), call the service, redirect back to
    the order; refused, the order's page again with the message and the form, open."""
    order = selectors.order_get_for_user(user=request.user, pk=pk)  # 404 outside the user's scope
    key = form_key or action
    form_class = action_forms().get(key)
    form = form_class(request.POST, request.FILES, prefix=key) if form_class else None

    def refused(exc: BusinessError, bound) -> HttpResponse:
        fresh = selectors.order_get_for_user(user=request.user, pk=pk)  # as it stands after the refusal
        context = order_page_context(request, fresh, bound={key: bound} if bound is not None else None,
                                     open_action=key, error=str(exc.message))
        return render(request, "sales/order_detail.html", context)

    return run_action(request, call=lambda data: call(order, data), success_message=success,
                      success_url=order.get_absolute_url(), refused=refused, form=form)


def _version(request) -> int | None:
    form = VersionForm(request.POST)
    return form.cleaned_data.get("version") if form.is_valid() else None


@login_required
@require_POST
def confirm(request, pk: int):
    return run_order_action(
        request, pk, action="confirm", success=_("Order confirmed: numbered and total fixed."),
        call=lambda order, _d: confirmations.order_confirm(actor=request.user, order_id=order.pk,
                                                           expected_version=_version(request)))


@login_required
@require_POST
def confirmation_written(request, pk: int):
    return run_order_action(
        request, pk, action="written", success=_("Written confirmation recorded."),
        call=lambda order, d: confirmations.confirmation_record(
            actor=request.user, order_id=order.pk, kind="written", upload=d["file"],
            confirmed_at=d["confirmed_at"], summary=d.get("summary", "")))


@login_required
@require_POST
def confirmation_verbal(request, pk: int):
    return run_order_action(
        request, pk, action="verbal", success=_("Phone confirmation recorded."),
        call=lambda order, d: confirmations.confirmation_record(
            actor=request.user, order_id=order.pk, kind="verbal", confirmed_at=d["confirmed_at"],
            contact_name=d["contact_name"], phone_number=d["phone_number"], summary=d["summary"]))


@login_required
@require_POST
def issue_document(request, pk: int, kind: str):
    if kind not in OrderDocument.Kind.values:
        raise Http404
    label = OrderDocument.Kind(kind).label
    return run_order_action(
        request, pk, action=f"issue_{kind}", success=_("%(kind)s issued.") % {"kind": label},
        call=lambda order, d: document_issue(actor=request.user, order_id=order.pk, kind=kind,
                                             confirm_replace=bool(d.get("confirm_replace"))))


@login_required
@require_POST
def override(request, pk: int, gate: str):
    if gate not in overridable_gates():
        raise Http404
    return run_order_action(
        request, pk, action=f"override_{gate}", success=_("Rule overridden; the reason is on the timeline."),
        call=lambda order, d: lifecycle.order_override_gate(actor=request.user, order_id=order.pk, gate=gate,
                                                            reason=d["reason"], expected_version=_version(request)))


@login_required
@require_POST
def mark_ready(request, pk: int):
    return run_order_action(
        request, pk, action="mark_ready", success=_("Order marked ready to ship."),
        call=lambda order, d: lifecycle.order_mark_ready(actor=request.user, order_id=order.pk,
                                                         reason=d.get("reason", ""),
                                                         expected_version=_version(request)))


@login_required
@require_POST
def hold(request, pk: int):
    return run_order_action(
        request, pk, action="hold", success=_("Order put on hold."),
        call=lambda order, d: lifecycle.order_hold(actor=request.user, order_id=order.pk, reason=d["reason"],
                                                   expected_version=_version(request)))


@login_required
@require_POST
def resume(request, pk: int):
    return run_order_action(
        request, pk, action="resume", success=_("Order resumed."),
        call=lambda order, d: lifecycle.order_resume(actor=request.user, order_id=order.pk,
                                                     reason=d.get("reason", ""), expected_version=_version(request)))


@login_required
@require_POST
def cancel(request, pk: int):
    return run_order_action(
        request, pk, action="cancel", success=_("Order cancelled."),
        call=lambda order, d: lifecycle.order_cancel(
            actor=request.user, order_id=order.pk, reason=d["reason"],
            deposit_disposition=d.get("deposit_disposition", ""), expected_version=_version(request)))


@login_required
@require_POST
def close(request, pk: int):
    return run_order_action(
        request, pk, action="close", success=_("Order closed and archived."),
        call=lambda order, d: lifecycle.order_close(actor=request.user, order_id=order.pk,
                                                    reason=d.get("reason", ""), expected_version=_version(request)))


@login_required
@require_POST
def revision_apply(request, pk: int):
    return run_order_action(
        request, pk, action="apply_revision",
        success=_("Change order in effect: documents re-issued, production orders flagged."),
        call=lambda order, _d: order_revision_apply(actor=request.user, order_id=order.pk))


@login_required
@require_POST
def revision_approve(request, pk: int):
    return run_order_action(
        request, pk, action="approve_revision",
        success=_("Loosened money terms approved; the reason is on the timeline."),
        call=lambda order, d: order_revision_approve(actor=request.user, order_id=order.pk, reason=d["reason"]))


@login_required
@require_POST
def revision_withdraw(request, pk: int):
    return run_order_action(
        request, pk, action="withdraw_revision", success=_("Change order withdrawn."),
        call=lambda order, d: order_revision_withdraw(actor=request.user, order_id=order.pk,
                                                      reason=d.get("reason", "")))


# --- actions with their own page ---------------------------------------------------------------


def order_action_page(request, pk: int, *, perm: str, form_factory, call, template: str, success: str):
    """A page with the form of one action on the order (production release, shipment …):
    GET shows it, POST calls the service and returns to the order, or shows the form again
    with the service's messages and its status."""
    order = selectors.order_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(perm):
        raise PermissionDenied
    form = form_factory(order, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                call(order, form)
            except BusinessError as exc:
                form.place_line_errors(exc)
                add_business_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, success)
                return redirect(order)
        else:
            status = 400
    return render(request, template, {"order": order, "form": form, "title": str(order),
                                      "buttons": order_buttons(user=request.user, order=order)}, status=status)
