"""Goods received against a purchase order (收货): the quantity per line, never more than
ordered (plus the order's tolerance); it fills the covered requirements oldest need first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import CoreError, FieldErrors
from gendan.core.events import event_record
from gendan.core.guards import refuse
from gendan.core.models import Event
from gendan.core.money import MoneyError, to_decimal
from gendan.purchasing import events, rules
from gendan.purchasing.models import ZERO, GoodsReceipt, GoodsReceiptLine, PurchaseCoverage, PurchaseOrder
from gendan.purchasing.services.orders import _require, _sales_orders_note, _transition, lock
from gendan.purchasing.services.requirements import requirements_refresh

P = PurchaseOrder.Status


def goods_receive(*, actor: User, purchase_order_id: int, received_on: dt.date, quantities: dict,
                  note: str = "", expected_version: int | None = None) -> GoodsReceipt:
    """Record one delivery: ``quantities`` maps line id → quantity received (0 or empty: none).

    Refused: a date in the future or before the order date, a negative or non-numeric
    quantity, nothing received, or a line receiving more than ordered + tolerance.
    """
    _require(actor)
    with transaction.atomic():
        purchase_order = lock(purchase_order_id, expected_version)
        refuse(rules.receive_check(purchase_order))
        errors = FieldErrors()
        if not isinstance(received_on, dt.date) or received_on > timezone.localdate():
            errors.add("received_on", _("Goods cannot be received in the future."),
                       CoreError.DATE_IN_FUTURE if isinstance(received_on, dt.date) else None)
        elif received_on < purchase_order.order_date:
            errors.add("received_on", _("Goods cannot be received before the order date %(day)s.") % {
                "day": purchase_order.order_date}, CoreError.DATES_OUT_OF_ORDER)
        lines = {line.pk: line for line in purchase_order.lines.select_for_update().all()}
        tolerance = 1 + purchase_order.over_receipt_percent / 100
        received: dict[int, Decimal] = {}
        for key, raw in (quantities or {}).items():
            line = lines.get(int(key)) if str(key).isdigit() else None
            if line is None:
                errors.add("quantities", _("Line %(id)s is not on this purchase order.") % {"id": key},
                           CoreError.RECORD_MISMATCH)
                continue
            field = f"qty_{line.pk}"
            if raw in (None, ""):
                continue
            try:
                qty = to_decimal(raw)
            except MoneyError:
                errors.add(field, _("Line %(n)d: enter a number.") % {"n": line.line_no})
                continue
            if qty < 0:
                errors.add(field, _("Line %(n)d: a received quantity cannot be negative.") % {"n": line.line_no})
            elif line.received_quantity + qty > line.quantity * tolerance:
                errors.add(field, _(
                    "Line %(n)d: ordered %(ordered)s, already received %(done)s; %(qty)s more would exceed the "
                    "order (tolerance %(tol)s %%).") % {"n": line.line_no, "ordered": line.quantity,
                                                       "done": line.received_quantity, "qty": qty,
                                                       "tol": purchase_order.over_receipt_percent.normalize()},
                           CoreError.VALUES_INCONSISTENT)
            elif qty > 0:
                received[line.pk] = qty
        if not errors and not received:
            errors.add("quantities", _("Enter the quantity received on at least one line."))
        errors.raise_any()
        receipt = GoodsReceipt.objects.create(purchase_order=purchase_order, received_on=received_on,
                                              received_by=actor, note=(note or "")[:300])
        GoodsReceiptLine.objects.bulk_create(
            [GoodsReceiptLine(receipt=receipt, line_id=pk, quantity=qty) for pk, qty in received.items()])
        touched = set()
        for pk, qty in received.items():
            line = lines[pk]
            line.received_quantity += qty
            line.save(update_fields=["received_quantity"])
            touched |= _fill_coverages(line, qty)
        complete = all(line.received_quantity >= line.quantity for line in lines.values())
        new_status = P.RECEIVED if complete else P.PARTLY_RECEIVED
        params = {"day": received_on.isoformat(), "lines": ", ".join(
            f"{lines[pk].line_no}: {qty.normalize():f}" for pk, qty in received.items())}
        if purchase_order.status != new_status:
            _transition(actor=actor, purchase_order=purchase_order, to=new_status, kind=events.PO_RECEIVED,
                        params=params)
        else:  # another partial delivery
            purchase_order.version += 1
            purchase_order.save(update_fields=["version", "updated_at"])
            event_record(actor=actor, obj=purchase_order, verb=Event.Verb.NOTE, kind=events.PO_RECEIVED,
                         params=params)
            _sales_orders_note(actor=actor, requirement_ids=touched, kind=events.PO_RECEIVED_ON_ORDER, params={
                "po": str(purchase_order), "supplier": purchase_order.supplier.code, **params})
            requirements_refresh(actor=actor, requirement_ids=touched)
        return receipt


def _fill_coverages(line, qty: Decimal) -> set[int]:
    """Give ``qty`` of ``line`` to its coverages, the requirement needed first first; what is
    more than covered stays unallocated (stock). Returns the requirement ids touched."""
    touched = set()
    for coverage in (PurchaseCoverage.objects.select_for_update().filter(line=line)
                     .order_by("requirement__need_date", "requirement_id")):
        if qty <= 0:
            break
        take = min(qty, coverage.quantity - coverage.received_quantity)
        if take <= ZERO:
            continue
        coverage.received_quantity += take
        coverage.save(update_fields=["received_quantity"])
        qty -= take
        touched.add(coverage.requirement_id)
    return touched
