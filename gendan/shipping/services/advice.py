"""The shipping advice (装船通知): after loading, the seller tells the buyer what sailed — so that
the buyer insures (FOB / CFR), applies for licences and clears customs (DOMAIN §5.7): order and
PO no., shipment, B/L no., vessel / voyage, ports, on-board date / ETD, ETA, containers and
seals, packages, gross weight, CBM, the goods and their value (shipped quantity × unit price per
line, in the order's currency), the shipping marks.

``advice_send`` checks under the order's lock that it may go (``rules.advice_check``: a sea
shipment once its B/L is issued; air, rail, truck, courier once shipped) and that the customer
has a contact with an email address; the email goes after the commit. Sent, the shipment's
``advice_sent_at`` is set and ``ShippingAdviceSent`` published (the T&A completes "shipping
advice"); a failure is logged on the order's timeline (``ShippingAdviceFailed``) and nothing
counts as sent. It can be sent again (each time on the timeline).
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.guards import no, refuse, require
from gendan.core.money import line_amount
from gendan.documents.pdf.company import company
from gendan.parties.models import Contact
from gendan.sales.models import SalesOrder
from gendan.shipping.errors import ShippingError
from gendan.shipping.events import ShippingAdviceFailed, ShippingAdviceSent
from gendan.shipping.models import Shipment
from gendan.shipping.rules import advice_check
from gendan.shipping.services.bills import bill_summary, container_text, live_containers, lock_shipment

log = logging.getLogger("gendan.shipping")

SEND = "shipping.change_shipment"


def advice_recipients(order: SalesOrder) -> list[str]:
    """The customer's contacts with an email address, the main contact first."""
    return [c.email for c in Contact.objects.filter(customer_id=order.customer_id).order_by("-is_primary", "name")
            if c.email]


def _qty(value) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def advice_goods(shipment: Shipment) -> dict:
    """The goods shipped and their value: per shipment line the quantity × the order line's unit
    price (rounded to the currency's cents), and the total, in the order's currency."""
    order = shipment.order
    currency = order.currency_id
    rows, total = [], Decimal(0)
    for line in shipment.lines.select_related("order_line").order_by("order_line__line_no"):
        ordered = line.order_line
        amount = line_amount(line.quantity, ordered.unit_price, currency)
        total += amount
        rows.append({"line_no": ordered.line_no, "description": ordered.description, "quantity": line.quantity,
                     "unit": ordered.unit, "unit_price": ordered.unit_price, "amount": amount,
                     "cartons": line.cartons})
    return {"rows": rows, "total": total, "currency": currency}


def _date(day) -> str:
    return day.isoformat() if day else "—"


def advice_text(shipment: Shipment) -> tuple[str, str]:
    """The advice email as the customer reads it: (subject, body), English (the customer's
    language of trade), the company signing."""
    order = shipment.order
    goods = advice_goods(shipment)
    summary = bill_summary(shipment)
    containers = live_containers(shipment)
    seller = company()
    subject = f"Shipping advice — order {order.number} / PO {order.customer_po_no} — B/L {shipment.bl_no or '—'}"
    lines = [f"Dear {order.customer.name_en or order.customer.display_name},", "",
             "We are pleased to advise that the following goods have been shipped:", "",
             f"Our order no.: {order.number}", f"Your PO no.: {order.customer_po_no}",
             f"Shipment: {shipment.number}", f"B/L no.: {shipment.bl_no or '—'}",
             f"Vessel / voyage: {shipment.vessel_voyage or '—'}",
             f"Port of loading: {shipment.port_of_loading or order.port_of_loading or '—'}",
             f"Port of destination: {shipment.port_of_destination or order.port_of_destination or '—'}",
             f"On board / ETD: {_date(shipment.on_board_on or shipment.etd or shipment.shipped_on)}",
             f"ETA: {_date(shipment.eta)}"]
    if containers:
        lines += ["", "Containers / seals:"] + [f"  {container_text(c)}" for c in containers]
    packages = summary["packages"]
    lines += ["", f"Packages: {packages if packages is not None else '—'} CTNS",
              f"Gross weight: {_qty(summary['gross_kg']) + ' KGS' if summary['gross_kg'] is not None else '—'}",
              f"Measurement: {_qty(summary['cbm']) + ' CBM' if summary['cbm'] is not None else '—'}",
              "", "Goods:"]
    for row in goods["rows"]:
        lines.append(f"  #{row['line_no']} {row['description']}: {_qty(row['quantity'])} {row['unit']} × "
                     f"{goods['currency']} {_qty(row['unit_price'])} = {goods['currency']} {row['amount']:,.2f}")
    lines.append(f"Total value: {goods['currency']} {goods['total']:,.2f}")
    if order.shipping_marks:
        lines += ["", "Shipping marks:", order.shipping_marks]
    lines += ["", "Please arrange insurance and customs clearance as needed.", "", "Best regards,",
              str(seller.get("name_en") or "")]
    return subject, "\n".join(lines)


def advice_send(*, actor: User, shipment_id: int) -> Shipment:
    """Send the shipping advice of the shipment to the customer's contacts (after the commit).
    Refused before the B/L of a sea shipment is issued (before the goods left, for other modes),
    and when the customer has no contact with an email address. May be sent again."""
    require(actor, SEND)
    with transaction.atomic():
        order, shipment = lock_shipment(actor, shipment_id)
        refuse(advice_check(shipment))
        recipients = advice_recipients(order)
        if not recipients:
            refuse(no(ShippingError.NO_ADVICE_RECIPIENT, _(
                "%(customer)s has no contact with an email address: add one to send the shipping advice.")
                % {"customer": order.customer.code}), field="recipients")
        actor_id = actor.pk
        transaction.on_commit(lambda: advice_email(shipment_id=shipment.pk, actor_id=actor_id))
    return shipment


def advice_email(*, shipment_id: int, actor_id: int) -> None:
    """Email the advice (after commit) and record it: ``advice_sent_at`` and ``ShippingAdviceSent``
    (the T&A), or ``ShippingAdviceFailed`` with the error."""
    actor = User.objects.get(pk=actor_id)
    shipment = Shipment.objects.select_related("order__customer").get(pk=shipment_id)
    order = shipment.order
    recipients = advice_recipients(order)
    subject, body = advice_text(shipment)
    email = EmailMessage(subject=subject, body=body, to=recipients, from_email=settings.DEFAULT_FROM_EMAIL)
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # mail server down: nothing counts as sent; the timeline says why
        log.warning("shipment %s: shipping advice email failed: %s", shipment.pk, exc)
        with transaction.atomic():
            publish(ShippingAdviceFailed(actor=actor, order=order, shipment=shipment, error=str(exc)[:300]))
        return
    with transaction.atomic():
        order = SalesOrder.objects.select_for_update().get(pk=order.pk)
        shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
        shipment.order = order
        shipment.advice_sent_at = timezone.now()
        shipment.version += 1
        shipment.save(update_fields=["advice_sent_at", "version", "updated_at"])
        publish(ShippingAdviceSent(actor=actor, order=order, shipment=shipment, recipients=recipients))
