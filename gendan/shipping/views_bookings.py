"""The shipping panel on the sales order's page: the order's bookings (订舱) with their state,
forwarder, booking no., vessel / voyage, ETD / ETA and cut-offs (a cut-off within two working
days or past is highlighted), and the forms to request, confirm, amend and cancel a booking.
Each POST calls one service through ``core.views.run_action``; a refusal shows the order's
page as it stands, the panel with the message and the input kept, with the one mapping's status."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.calendar import add_working_days
from gendan.core.guards import OK
from gendan.core.views import run_action
from gendan.sales import panels
from gendan.sales.selectors import order_get_for_user
from gendan.shipping.forms import BookingCancelForm, BookingConfirmForm, BookingRequestForm
from gendan.shipping.models import Booking
from gendan.shipping.rules import booking_amend_check, booking_request_check
from gendan.shipping.services.bookings import (
    CHANGE,
    CUTOFFS,
    REQUEST,
    booking_cancel,
    booking_confirm,
    booking_request,
    booking_update,
)
from gendan.shipping.views_plan import order_shipments_panel
from gendan.shipping.workflows import BOOKING

B = Booking.Status


def _cutoffs(booking: Booking, soon) -> list[dict]:
    """The booking's cut-offs as the company reads them; ``urgent``: within two working days or past."""
    now = timezone.localtime()
    labels = {"cy_cutoff": _("CY cut-off"), "si_cutoff": _("SI cut-off"), "vgm_cutoff": _("VGM cut-off")}
    rows = []
    for field in CUTOFFS:
        value = getattr(booking, field)
        if value is None:
            continue
        local = timezone.localtime(value)
        rows.append({"field": field, "label": labels[field], "at": local,
                     "past": local < now, "urgent": booking.status != B.CANCELLED and local.date() <= soon})
    return rows


def shipping_panel(request, order) -> dict | None:
    """The order's bookings and their forms; ``None`` for a role that does not see shipping."""
    user = request.user
    if not user.has_perm("shipping.view_booking"):
        return None
    refusal = getattr(request, "shipping_refusal", None) or {}
    soon = add_working_days(timezone.localdate(), 2)
    rows = []
    for booking in order.bookings.select_related("forwarder").order_by("-requested_on", "-id"):
        key = f"booking-{booking.pk}"
        may_change = user.has_perm(CHANGE)
        row = {"b": booking, "cutoffs": _cutoffs(booking, soon), "confirm": None, "amend": None, "cancel": None,
               "error": refusal.get("error") if refusal.get("key", "").startswith(key) else None}
        if may_change and BOOKING.can(booking, B.CONFIRMED):
            row["confirm"] = _bound(refusal, f"{key}-confirm") or BookingConfirmForm(
                booking=booking, prefix=f"confirm-{booking.pk}")
        if may_change and booking.status == B.CONFIRMED and booking_amend_check(booking):
            row["amend"] = _bound(refusal, f"{key}-amend") or BookingConfirmForm(
                booking=booking, prefix=f"amend-{booking.pk}")
        if may_change and BOOKING.can(booking, B.CANCELLED):
            row["cancel"] = _bound(refusal, f"{key}-cancel") or BookingCancelForm(
                booking=booking, prefix=f"cancel-{booking.pk}")
        rows.append(row)
    request_form, request_check = None, OK
    if user.has_perm(REQUEST):
        request_check = booking_request_check(order)
        if request_check:
            request_form = _bound(refusal, "request") or BookingRequestForm(order=order, prefix="request")
    return {"rows": rows, "request_form": request_form, "request_check": request_check,
            "shipments": order_shipments_panel(request, order),  # the order's shipments and the plan form
            "may_request": user.has_perm(REQUEST),
            "request_error": refusal.get("error") if refusal.get("key") == "request" else None}


def _bound(refusal: dict, key: str):
    return refusal.get("form") if refusal.get("key") == key else None


def _refused(request, order, key: str):
    def refused(exc, form):
        request.shipping_refusal = {"key": key, "form": form, "error": exc}
        return panels.order_page(request, order_get_for_user(user=request.user, pk=order.pk))
    return refused


def _booking(request, pk: int) -> Booking:
    """The booking on an order the user may see (404 otherwise)."""
    booking = get_object_or_404(Booking.objects.select_related("forwarder"), pk=pk)
    booking.order = order_get_for_user(user=request.user, pk=booking.order_id)
    return booking


def _back(order) -> str:
    return order.get_absolute_url() + "?tab=shipments#shipping"


@login_required
@require_POST
def booking_request_page(request, pk: int):
    order = order_get_for_user(user=request.user, pk=pk)
    form = BookingRequestForm(request.POST, order=order, prefix="request")

    def call(data):
        return booking_request(
            actor=request.user, order_id=order.pk, forwarder_id=data["forwarder"].pk, containers=form.containers(),
            port_of_loading=data.get("port_of_loading") or None,
            port_of_destination=data.get("port_of_destination") or None, notes=data.get("notes", ""),
            expected_version=data.get("version"))

    return run_action(request, form=form, call=call, refused=_refused(request, order, "request"),
                      success_message=lambda b: _("Booking requested from %(forwarder)s; the request is emailed.")
                      % {"forwarder": b.forwarder.code}, success_url=_back(order))


def _sailing(data: dict, form: BookingConfirmForm) -> dict:
    return {**{k: data.get(k) for k in ("booking_no", "carrier", "vessel", "voyage", "etd", "eta", "cy_cutoff",
                                        "si_cutoff", "vgm_cutoff")},
            "containers": form.containers()}


@login_required
@require_POST
def booking_confirm_page(request, pk: int):
    booking = _booking(request, pk)
    form = BookingConfirmForm(request.POST, booking=booking, prefix=f"confirm-{booking.pk}")

    def call(data):
        values = _sailing(data, form)
        return booking_confirm(actor=request.user, booking_id=booking.pk, expected_version=data.get("version"),
                               **{k: v for k, v in values.items() if k != "containers"},
                               containers=values["containers"] or None)

    return run_action(request, form=form, call=call,
                      refused=_refused(request, booking.order, f"booking-{booking.pk}-confirm"),
                      success_message=lambda b: _("Booking %(no)s confirmed.") % {"no": b.booking_no},
                      success_url=_back(booking.order))


@login_required
@require_POST
def booking_amend_page(request, pk: int):
    booking = _booking(request, pk)
    form = BookingConfirmForm(request.POST, booking=booking, prefix=f"amend-{booking.pk}")

    def call(data):
        values = _sailing(data, form)
        if not values["containers"]:
            values.pop("containers")
        return booking_update(actor=request.user, booking_id=booking.pk, data=values,
                              expected_version=data.get("version"))

    return run_action(request, form=form, call=call,
                      refused=_refused(request, booking.order, f"booking-{booking.pk}-amend"),
                      success_message=lambda b: _("Booking %(no)s amended.") % {"no": b.booking_no},
                      success_url=_back(booking.order))


@login_required
@require_POST
def booking_cancel_page(request, pk: int):
    booking = _booking(request, pk)
    form = BookingCancelForm(request.POST, booking=booking, prefix=f"cancel-{booking.pk}")

    def call(data):
        return booking_cancel(actor=request.user, booking_id=booking.pk, reason=data.get("reason", ""),
                              expected_version=data.get("version"))

    return run_action(request, form=form, call=call,
                      refused=_refused(request, booking.order, f"booking-{booking.pk}-cancel"),
                      success_message=_("Booking cancelled."), success_url=_back(booking.order))
