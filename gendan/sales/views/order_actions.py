"""The order's actions: each a POST that calls one service and comes back to the order.

A refusal changes nothing (the service runs in one transaction) and shows the order's page
again with the service's message and the user's input, with the service's status: 409 for
a rule (gate) or a stale page, 403 for a role that may not, 400 for wrong input. The two
actions that need more than a line of input — production release and shipment — have
their own page.
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

from gendan.core.errors import BusinessError
from gendan.core.forms import add_business_error
from gendan.finance.services import payment_request_send
from gendan.production.services import allocated_quantities
from gendan.sales import selectors
from gendan.sales.forms import ReleaseProductionForm, ShipForm, VersionForm
from gendan.sales.models import OrderDocument, SalesOrder
from gendan.sales.services import orders as services
from gendan.sales.services.documents import document_issue
from gendan.sales.services.revisions import order_revision_apply, order_revision_withdraw
from gendan.sales.views.buttons import order_buttons
from gendan.sales.views.orders import ACTION_FORMS, order_page_context


def _refused(request, pk: int, *, action: str, exc: BusinessError, form=None) -> HttpResponse:
    """The order's page again, as it stands after the refusal, with the message and the form."""
    order = selectors.order_get_for_user(user=request.user, pk=pk)
    context = order_page_context(request, order, bound={action: form} if form is not None else None,
                                 open_action=action, error=str(exc.message))
    return render(request, "sales/order_detail.html", context,
                  status=exc.status if exc.status in (400, 403, 409) else 400)


def _run(request, pk: int, *, action: str, call: Callable[[SalesOrder, dict], object], success: str,
         form_key: str | None = None) -> HttpResponse:
    """Check the posted form (if the action has one), call the service, redirect back."""
    order = selectors.order_get_for_user(user=request.user, pk=pk)  # 404 outside the user's scope
    form = None
    key = form_key or action
    if key in ACTION_FORMS:
        form = ACTION_FORMS[key](request.POST, request.FILES, prefix=key)
        if not form.is_valid():
            error = BusinessError(_("Please correct the errors below."))
            return _refused(request, pk, action=key, exc=error, form=form)
    try:
        call(order, form.cleaned_data if form is not None else {})
    except BusinessError as exc:
        if form is not None:
            add_business_error(form, exc)
        return _refused(request, pk, action=key, exc=exc, form=form)
    messages.success(request, success)
    return redirect(order)


def _version(request) -> int | None:
    form = VersionForm(request.POST)
    return form.cleaned_data.get("version") if form.is_valid() else None


@login_required
@require_POST
def confirm(request, pk: int):
    return _run(request, pk, action="confirm", success=_("Order confirmed: numbered and total fixed."),
                call=lambda order, _d: services.order_confirm(actor=request.user, order_id=order.pk,
                                                              expected_version=_version(request)))


@login_required
@require_POST
def confirmation_written(request, pk: int):
    return _run(request, pk, action="written", success=_("Written confirmation recorded."),
                call=lambda order, d: services.confirmation_record(
                    actor=request.user, order_id=order.pk, kind="written", upload=d["file"],
                    confirmed_at=d["confirmed_at"], summary=d.get("summary", "")))


@login_required
@require_POST
def confirmation_verbal(request, pk: int):
    return _run(request, pk, action="verbal", success=_("Phone confirmation recorded."),
                call=lambda order, d: services.confirmation_record(
                    actor=request.user, order_id=order.pk, kind="verbal", confirmed_at=d["confirmed_at"],
                    contact_name=d["contact_name"], phone_number=d["phone_number"], summary=d["summary"]))


@login_required
@require_POST
def issue_document(request, pk: int, kind: str):
    if kind not in OrderDocument.Kind.values:
        raise Http404
    label = OrderDocument.Kind(kind).label
    return _run(request, pk, action=f"issue_{kind}", success=_("%(kind)s issued.") % {"kind": label},
                call=lambda order, _d: document_issue(actor=request.user, order_id=order.pk, kind=kind))


@login_required
@require_POST
def request_payment(request, pk: int, kind: str):
    if kind not in ("deposit", "balance"):
        raise Http404
    return _run(request, pk, action=f"request_{kind}",
                success=_("Payment request recorded; the email goes out now. Its result shows on the order."),
                call=lambda order, d: payment_request_send(actor=request.user, order_id=order.pk, kind=kind,
                                                           message=d.get("message", "")))


@login_required
@require_POST
def override(request, pk: int, gate: str):
    if gate not in ("deposit", "balance", "inspection"):
        raise Http404
    return _run(request, pk, action=f"override_{gate}", success=_("Rule overridden; the reason is on the timeline."),
                call=lambda order, d: services.order_override_gate(actor=request.user, order_id=order.pk, gate=gate,
                                                                   reason=d["reason"],
                                                                   expected_version=_version(request)))


@login_required
@require_POST
def mark_ready(request, pk: int):
    return _run(request, pk, action="mark_ready", success=_("Order marked ready to ship."),
                call=lambda order, _d: services.order_mark_ready(actor=request.user, order_id=order.pk,
                                                                 expected_version=_version(request)))


@login_required
@require_POST
def release_bl(request, pk: int):
    return _run(request, pk, action="release_original_bl", success=_("Original B/L released."),
                call=lambda order, _d: services.order_release_original_bl(actor=request.user, order_id=order.pk,
                                                                          expected_version=_version(request)))


@login_required
@require_POST
def hold(request, pk: int):
    return _run(request, pk, action="hold", success=_("Order put on hold."),
                call=lambda order, d: services.order_hold(actor=request.user, order_id=order.pk, reason=d["reason"],
                                                          expected_version=_version(request)))


@login_required
@require_POST
def resume(request, pk: int):
    return _run(request, pk, action="resume", success=_("Order resumed."),
                call=lambda order, d: services.order_resume(actor=request.user, order_id=order.pk,
                                                            reason=d.get("reason", ""),
                                                            expected_version=_version(request)))


@login_required
@require_POST
def cancel(request, pk: int):
    return _run(request, pk, action="cancel", success=_("Order cancelled."),
                call=lambda order, d: services.order_cancel(
                    actor=request.user, order_id=order.pk, reason=d["reason"],
                    deposit_disposition=d.get("deposit_disposition", ""), expected_version=_version(request)))


@login_required
@require_POST
def close(request, pk: int):
    return _run(request, pk, action="close", success=_("Order closed and archived."),
                call=lambda order, d: services.order_close(actor=request.user, order_id=order.pk,
                                                           reason=d.get("reason", ""),
                                                           expected_version=_version(request)))


@login_required
@require_POST
def revision_apply(request, pk: int):
    return _run(request, pk, action="apply_revision",
                success=_("Change order in effect: documents re-issued, production orders flagged."),
                call=lambda order, _d: order_revision_apply(actor=request.user, order_id=order.pk))


@login_required
@require_POST
def revision_withdraw(request, pk: int):
    return _run(request, pk, action="withdraw_revision", success=_("Change order withdrawn."),
                call=lambda order, d: order_revision_withdraw(actor=request.user, order_id=order.pk,
                                                              reason=d.get("reason", "")))


# --- actions with their own page -------------------------------------------------------------


def _action_page(request, pk: int, *, perm: str, form_factory, call, template: str, success: str):
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
                status = exc.status if exc.status in (400, 403, 409) else 400
            else:
                messages.success(request, success)
                return redirect(order)
        else:
            status = 400
    return render(request, template, {"order": order, "form": form, "title": str(order),
                                      "buttons": order_buttons(user=request.user, order=order)}, status=status)


@login_required
def release_production(request, pk: int):
    def factory(order, data):
        already = allocated_quantities(order)
        open_quantities = {line.pk: line.quantity - already.get(line.pk, 0) for line in order.lines.all()}
        return ReleaseProductionForm(data, user=request.user, order=order, open_quantities=open_quantities)

    def call(order, form):
        data = form.cleaned_data
        return services.order_release_production(
            actor=request.user, order_id=order.pk, expected_version=data.get("version"),
            # Every line is passed, zeros included: an empty mapping would mean "all open quantities".
            assignments=[{"supplier": data["supplier"], "due_date": data["due_date"], "notes": data.get("notes", ""),
                          "lines": form.quantities()}])

    return _action_page(request, pk, perm="sales.release_production", form_factory=factory, call=call,
                        template="sales/order_release.html", success=_("Released to production."))


@login_required
def ship(request, pk: int):
    def call(order, form):
        data = form.cleaned_data
        return services.order_ship(
            actor=request.user, order_id=order.pk, shipped_on=data["shipped_on"],
            quantities={k: v for k, v in form.quantities().items() if v}, bl_no=data.get("bl_no", ""),
            vessel_voyage=data.get("vessel_voyage", ""), etd=data.get("etd"), eta=data.get("eta"),
            notes=data.get("notes", ""), expected_version=data.get("version"))

    return _action_page(request, pk, perm="sales.ship_salesorder",
                        form_factory=lambda order, data: ShipForm(data, order=order),
                        call=call, template="sales/order_ship.html", success=_("Shipment recorded."))

