"""Bookings (订舱): the merchandiser asks a forwarder for space for an order, the forwarder
confirms (booking no., vessel / voyage, ETD / ETA, cut-offs, containers), the booking is
amended or cancelled. The steps are in ``shipping/workflows.py`` (docs/workflows/shipping.md).

Every use case is keyword-only, checks the actor's permission, locks the sales order and then
the booking (always in that order), refuses a stale ``version`` (409), validates everything
before saving anything (a coded ``ValidationFailed`` naming the field) and publishes its
domain event (``shipping.events``) in the same transaction: the T&A completes "booking" and
forecasts "ETD" from a confirmation. The request email goes to the forwarder after commit.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, FieldErrors, ValidationFailed
from gendan.core.guards import id_or_zero, parse_date, reason_required, refuse, require
from gendan.core.services import check_version, lock_row
from gendan.parties.models import Supplier
from gendan.sales.models import SalesOrder
from gendan.sales.services.orders import lock_order
from gendan.shipping.errors import ShippingError
from gendan.shipping.events import BookingAmended, BookingCancelled, BookingConfirmed, BookingRequested
from gendan.shipping.loading import CONTAINER_TYPES
from gendan.shipping.models import Booking
from gendan.shipping.rules import booking_amend_check, booking_request_check
from gendan.shipping.workflows import BOOKING

log = logging.getLogger("gendan.shipping")

B = Booking.Status
REQUEST = "shipping.add_booking"
CHANGE = "shipping.change_booking"
# What may be booked: the containers of the loading planner, and less than a container load.
CONTAINER_CHOICES = (*CONTAINER_TYPES, "LCL")
MAX_CONTAINERS = 99  # of one type on one booking: more is a typing mistake
# A confirmed ETD further back than this is a typing mistake, not a late entry.
ETD_PAST_DAYS = 7
CUTOFFS = ("cy_cutoff", "si_cutoff", "vgm_cutoff")
# The fields a confirmation or an amendment sets (besides the containers).
SAILING_FIELDS = ("booking_no", "carrier", "vessel", "voyage", "port_of_loading", "port_of_destination", "etd",
                  "eta", *CUTOFFS, "notes")




def _date(value, field: str, errors: FieldErrors) -> dt.date | None:
    try:
        return parse_date(value, field=field)
    except ValidationFailed as exc:
        errors.add(field, exc.fields[field], exc.code)
        return None


def _datetime(value, field: str, errors: FieldErrors) -> dt.datetime | None:
    """A cut-off: a date-time (naive ones are in the company's time zone) or ISO text."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            errors.add(field, _("“%(value)s” is not a date and time (YYYY-MM-DD HH:MM).") % {"value": value[:40]},
                       CoreError.INVALID_DATE)
            return None
    if not isinstance(value, dt.datetime):
        errors.add(field, _("Enter a date and time."), CoreError.INVALID_DATE)
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    _date(timezone.localtime(value).date(), field, errors)  # the same window as every date
    return value


def _containers(value, errors: FieldErrors, *, required: bool) -> dict[str, int] | None:
    """``{"40HQ": 1, "20GP": 2}``: each type one of ``CONTAINER_CHOICES``, each count a whole
    number from 1 to 99. ``None``: not given (keep what the booking has)."""
    if value is None and not required:
        return None
    if not isinstance(value, Mapping) or not value:
        errors.add("containers", _("Give the containers to book (type and count)."), ShippingError.INVALID_CONTAINERS)
        return None
    result: dict[str, int] = {}
    for raw_kind, raw_count in value.items():
        kind = str(raw_kind).strip().upper()
        field = f"containers.{kind or raw_kind}"
        if kind not in CONTAINER_CHOICES:
            errors.add(field, _("“%(type)s” is not a container type (%(types)s).") % {
                "type": str(raw_kind)[:20], "types": ", ".join(CONTAINER_CHOICES)}, ShippingError.INVALID_CONTAINERS)
            continue
        try:
            number = Decimal(str(raw_count).strip()[:20])
            # compare before int(): int(Decimal("1e999999999")) would build a billion-digit number
            whole = number.is_finite() and 1 <= number <= MAX_CONTAINERS and number == number.to_integral_value()
            count = int(number) if whole else 0
        except (ArithmeticError, ValueError, TypeError):
            count, whole = 0, False
        if not whole or not 1 <= count <= MAX_CONTAINERS:
            errors.add(field, _("%(type)s: the count must be a whole number from 1 to %(max)d.") % {
                "type": kind, "max": MAX_CONTAINERS}, ShippingError.INVALID_CONTAINERS)
            continue
        result[kind] = result.get(kind, 0) + count
    return result


def _forwarder(forwarder_id, errors: FieldErrors) -> Supplier | None:
    supplier = Supplier.objects.filter(pk=id_or_zero(forwarder_id), is_active=True).first()
    if supplier is None:
        errors.add("forwarder", _("Choose the forwarder."), ShippingError.NOT_A_FORWARDER)
    elif supplier.kind != Supplier.Kind.FORWARDER:
        errors.add("forwarder", _("%(supplier)s is a %(kind)s, not a freight forwarder: space is booked with a "
                                  "forwarder.") % {"supplier": supplier.code, "kind": supplier.get_kind_display()},
                   ShippingError.NOT_A_FORWARDER)
        return None
    return supplier


def _check_sailing(booking: Booking, errors: FieldErrors, *, confirming: bool, etd_given: bool = True) -> None:
    """The rules between the dates of a confirmed booking (on the values already applied).
    ``etd_given``: the ETD was typed now (an amendment of other fields after the vessel
    sailed keeps its old ETD)."""
    today = timezone.localdate()
    if confirming:
        for field, label in (("booking_no", _("booking no.")), ("vessel", _("vessel"))):
            if not getattr(booking, field):
                errors.add(field, _("Enter the %(field)s the forwarder confirmed.") % {"field": label},
                           CoreError.VALIDATION_FAILED)
        if booking.etd is None and "etd" not in errors:
            errors.add("etd", _("Enter the ETD the forwarder confirmed."), CoreError.VALIDATION_FAILED)
    if etd_given and booking.etd and booking.etd < today - dt.timedelta(days=ETD_PAST_DAYS):
        errors.add("etd", _("The ETD %(etd)s is more than %(n)d days ago: check the date.") % {
            "etd": booking.etd.isoformat(), "n": ETD_PAST_DAYS}, ShippingError.ETD_LONG_PAST)
    if booking.etd and booking.eta and booking.eta < booking.etd:
        errors.add("eta", _("The ETA %(eta)s is before the ETD %(etd)s.") % {
            "eta": booking.eta.isoformat(), "etd": booking.etd.isoformat()}, ShippingError.ETA_BEFORE_ETD)
    labels = {"cy_cutoff": _("CY cut-off"), "si_cutoff": _("SI cut-off"), "vgm_cutoff": _("VGM cut-off")}
    for field in CUTOFFS:
        value = getattr(booking, field)
        if value and booking.etd and timezone.localtime(value).date() > booking.etd:
            errors.add(field, _("The %(cutoff)s (%(at)s) is after the ETD %(etd)s.") % {
                "cutoff": labels[field], "at": timezone.localtime(value).strftime("%Y-%m-%d %H:%M"),
                "etd": booking.etd.isoformat()}, ShippingError.CUTOFF_AFTER_ETD)


def _apply_sailing(booking: Booking, data: Mapping, errors: FieldErrors) -> None:
    """Put the given sailing fields on ``booking`` (parsed; not saved). Absent keys stay."""
    for field in SAILING_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field in ("etd", "eta"):
            value = _date(value, field, errors)
        elif field in CUTOFFS:
            value = _datetime(value, field, errors)
        else:
            value = str(value or "").strip()
            limit = Booking._meta.get_field(field).max_length
            if limit and len(value) > limit:
                errors.add(field, _("At most %(n)d characters.") % {"n": limit}, CoreError.VALIDATION_FAILED)
                continue
        setattr(booking, field, value)
    if "containers" in data:
        containers = _containers(data["containers"], errors, required=True)
        if containers is not None:
            booking.containers = containers


def _snapshot(booking: Booking) -> dict[str, str]:
    values = {}
    for field in (*SAILING_FIELDS, "status"):
        value = getattr(booking, field)
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        elif isinstance(value, dt.date):
            value = value.isoformat()
        values[field] = "" if value is None else str(value)
    values["containers"] = booking.containers_text
    return values


def _changes(before: dict[str, str], booking: Booking) -> dict:
    after = _snapshot(booking)
    return {name: {"old": old, "new": after[name], "model": "shipping.booking"}
            for name, old in before.items() if after[name] != old}


def _lock(actor: User, booking_id: int, expected_version: int | None) -> tuple[SalesOrder, Booking]:
    """Lock the booking's sales order (404 outside the actor's orders), then the booking."""
    order_id = Booking.objects.filter(pk=id_or_zero(booking_id)).values_list("order_id", flat=True).first()
    order = lock_order(actor, order_id if order_id is not None else 0)
    booking = lock_row(Booking.objects.select_related("forwarder").filter(order=order), booking_id,
                       not_found="No such booking.")
    check_version(booking, expected_version)
    booking.order = order
    return order, booking




# --- the use cases ---------------------------------------------------------------------------


def booking_request(*, actor: User, order_id: int, forwarder_id: int, containers: Mapping[str, int],
                    requested_on: dt.date | str | None = None, port_of_loading: str | None = None,
                    port_of_destination: str | None = None, shipment_id: int | None = None, notes: str = "",
                    expected_version: int | None = None) -> Booking:
    """Ask ``forwarder_id`` (a supplier of kind forwarder) for space for the order: the
    containers (type × count), the ports (default: the order's). After commit the forwarder's
    contacts get the request by email with the order's cargo summary. ``expected_version`` is
    the order's."""
    require(actor, REQUEST)
    errors = FieldErrors()
    forwarder = _forwarder(forwarder_id, errors)
    booked = _containers(containers, errors, required=True)
    requested = _date(requested_on, "requested_on", errors) or timezone.localdate()
    with transaction.atomic():
        order = lock_order(actor, order_id, expected_version=expected_version)
        refuse(booking_request_check(order))
        shipment = None
        if shipment_id:
            shipment = order.shipments.filter(pk=id_or_zero(shipment_id)).first()
            if shipment is None:
                errors.add("shipment", _("That shipment is not one of this order's."), CoreError.VALIDATION_FAILED)
        booking = Booking(order=order, forwarder=forwarder, shipment=shipment, requested_on=requested,
                          containers=booked or {}, requested_by=actor, status=B.REQUESTED,
                          port_of_loading=order.port_of_loading, port_of_destination=order.port_of_destination)
        _apply_sailing(booking, {"notes": notes, **({"port_of_loading": port_of_loading} if port_of_loading else {}),
                                 **({"port_of_destination": port_of_destination} if port_of_destination else {})},
                       errors)
        errors.raise_any()
        booking.save()
        publish(BookingRequested(actor=actor, order=order, booking=booking))
        transaction.on_commit(lambda: booking_request_email(booking_id=booking.pk))
    return booking


def booking_confirm(*, actor: User, booking_id: int, booking_no: str, vessel: str, etd: dt.date | str,
                    voyage: str = "", carrier: str = "", eta: dt.date | str | None = None,
                    cy_cutoff=None, si_cutoff=None, vgm_cutoff=None, containers: Mapping[str, int] | None = None,
                    port_of_loading: str | None = None, port_of_destination: str | None = None,
                    notes: str | None = None, expected_version: int | None = None) -> Booking:
    """The forwarder's confirmation: booking no., vessel / voyage, ETD / ETA, the cut-offs (CY,
    SI, VGM; none after the ETD) and the containers (default: as requested)."""
    require(actor, CHANGE)
    data = {"booking_no": booking_no, "vessel": vessel, "voyage": voyage, "carrier": carrier, "etd": etd,
            "eta": eta, "cy_cutoff": cy_cutoff, "si_cutoff": si_cutoff, "vgm_cutoff": vgm_cutoff}
    data |= {k: v for k, v in (("containers", containers), ("port_of_loading", port_of_loading),
                               ("port_of_destination", port_of_destination), ("notes", notes)) if v is not None}
    with transaction.atomic():
        order, booking = _lock(actor, booking_id, expected_version)
        refuse(BOOKING.check(booking, B.CONFIRMED))
        errors = FieldErrors()
        before = _snapshot(booking)
        _apply_sailing(booking, data, errors)
        _check_sailing(booking, errors, confirming=True)
        errors.raise_any()
        BOOKING.move(booking, B.CONFIRMED)
        booking.confirmed_at = timezone.now()
        booking.version += 1
        booking.save()
        publish(BookingConfirmed(actor=actor, order=order, booking=booking, changes=_changes(before, booking)))
    return booking


def booking_update(*, actor: User, booking_id: int, data: Mapping, reason: str = "",
                   expected_version: int | None = None) -> Booking:
    """Amend a requested or confirmed booking (the forwarder moved the vessel, the ETD, a
    cut-off …): the fields in ``data`` (those of the confirmation, and ``containers``) change,
    the change goes on the order's timeline with the old and new values. A changed ETD moves the
    T&A forecast."""
    require(actor, CHANGE)
    unknown = set(data) - {*SAILING_FIELDS, "containers"}
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationFailed(_("“%(field)s” cannot be amended.") % {"field": field},
                               fields={field: _("This field cannot be amended.")})
    with transaction.atomic():
        order, booking = _lock(actor, booking_id, expected_version)
        refuse(booking_amend_check(booking))
        errors = FieldErrors()
        before = _snapshot(booking)
        _apply_sailing(booking, data, errors)
        _check_sailing(booking, errors, confirming=booking.status == B.CONFIRMED,
                       etd_given=_snapshot(booking)["etd"] != before["etd"])
        errors.raise_any()
        changes = _changes(before, booking)
        if not changes:
            return booking
        booking.version += 1
        booking.save()
        publish(BookingAmended(actor=actor, order=order, booking=booking, changes=changes, reason=reason.strip()))
    return booking


def booking_cancel(*, actor: User, booking_id: int, reason: str, expected_version: int | None = None) -> Booking:
    """Cancel the booking, with the reason (the space is released with the forwarder)."""
    require(actor, CHANGE)
    text = reason_required(reason, _("cancelling the booking"))
    with transaction.atomic():
        order, booking = _lock(actor, booking_id, expected_version)
        refuse(BOOKING.check(booking, B.CANCELLED))
        old = booking.status
        BOOKING.move(booking, B.CANCELLED)
        booking.cancel_reason = text
        booking.version += 1
        booking.save(update_fields=["status", "cancel_reason", "version", "updated_at"])
        publish(BookingCancelled(actor=actor, order=order, booking=booking, reason=text, changes={
            "status": {"old": old, "new": B.CANCELLED, "model": "shipping.booking"}}))
    return booking


# --- the request email -----------------------------------------------------------------------


def cargo_summary(order: SalesOrder) -> dict:
    """What goes: per line the goods, the quantity and — where the product has its export carton
    — the cartons, CBM and gross weight; with the totals of what is known."""
    rows, cartons_total, cbm_total, gw_total, complete = [], 0, Decimal("0"), Decimal("0"), True
    for line in order.lines.select_related("product").order_by("line_no"):
        product = line.product
        cartons = cbm = gross = None
        per = getattr(product, "units_per_carton", None)
        if per:
            cartons = math.ceil(line.quantity / per)
            cartons_total += cartons
            if product.carton_cbm is not None:
                cbm = (product.carton_cbm * cartons).quantize(Decimal("0.001"))
                cbm_total += cbm
            if product.gross_weight_kg is not None:
                gross = (product.gross_weight_kg * cartons).quantize(Decimal("0.1"))
                gw_total += gross
        if cartons is None or cbm is None or gross is None:
            complete = False
        rows.append({"line_no": line.line_no, "description": line.description, "quantity": line.quantity,
                     "unit": getattr(line, "unit", "") or "", "cartons": cartons, "cbm": cbm, "gross_kg": gross})
    return {"rows": rows, "cartons": cartons_total or None, "cbm": cbm_total or None, "gross_kg": gw_total or None,
            "complete": complete}


def booking_recipients(forwarder: Supplier) -> list[str]:
    """The forwarder's contacts with an email address, the main contact first."""
    return [c.email for c in forwarder.contacts.order_by("-is_primary", "name") if c.email]


def _qty(value) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def booking_request_email(*, booking_id: int) -> None:
    """Email the booking request to the forwarder's contacts (after commit; a sent one is not
    re-sent). A failure, or a forwarder without an email address, is recorded on the booking and
    shown on the order's shipping panel."""
    booking = Booking.objects.select_related("order__customer", "forwarder").get(pk=booking_id)
    if booking.email_sent_at:
        return
    recipients = booking_recipients(booking.forwarder)
    if not recipients:
        Booking.objects.filter(pk=booking.pk).update(
            email_error=_("%(forwarder)s has no contact with an email address.") % {"forwarder": booking.forwarder.code})
        return
    order = booking.order
    summary = cargo_summary(order)
    company = str(settings.GENDAN_COMPANY_NAME.get("zh-hans", settings.GENDAN_COMPANY_NAME["en"]))
    lines = [f"{booking.forwarder.name_zh or booking.forwarder.display_name}：", "",
             f"请为订单 {order.number} 安排订舱 / Booking request for order {order.number}:", "",
             f"起运港 Port of loading: {booking.port_of_loading or '—'}",
             f"目的港 Port of destination: {booking.port_of_destination or '—'}",
             f"柜型柜量 Containers: {booking.containers_text}",
             f"出货日期 Ex-factory: {order.ex_factory_date:%Y-%m-%d}" if getattr(order, "ex_factory_date", None)
             else "", "", "货物 Goods:"]
    for row in summary["rows"]:
        parts = [f"#{row['line_no']} {row['description']}: {_qty(row['quantity'])} {row['unit']}".rstrip()]
        if row["cartons"]:
            parts.append(f"{row['cartons']} CTNS")
        if row["cbm"] is not None:
            parts.append(f"{_qty(row['cbm'])} CBM")
        if row["gross_kg"] is not None:
            parts.append(f"G.W. {_qty(row['gross_kg'])} KGS")
        lines.append("  " + ", ".join(parts))
    totals = [f"{summary['cartons']} CTNS" if summary["cartons"] else "",
              f"{_qty(summary['cbm'])} CBM" if summary["cbm"] else "",
              f"G.W. {_qty(summary['gross_kg'])} KGS" if summary["gross_kg"] else ""]
    if any(totals):
        lines.append("合计 Total: " + ", ".join(t for t in totals if t))
    if booking.notes:
        lines += ["", f"备注 Notes: {booking.notes}"]
    lines += ["", "请确认订舱号、船名航次、ETD / ETA 及截关、截单、截VGM时间。",
              "Please confirm the booking no., vessel / voyage, ETD / ETA and the CY, SI and VGM cut-offs.", "",
              company]
    email = EmailMessage(subject=f"订舱委托 Booking request — {order.number}",
                         body="\n".join(line for line in lines if line is not None),
                         to=recipients, from_email=settings.DEFAULT_FROM_EMAIL)
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # mail server down: the booking stays requested, the panel shows the error
        log.warning("booking %s: email failed: %s", booking.pk, exc)
        Booking.objects.filter(pk=booking.pk).update(email_error=str(exc)[:300])
        return
    Booking.objects.filter(pk=booking.pk).update(email_sent_at=timezone.now(), email_error="")
