"""Production order use cases needed by the order spine: create on production release,
flag on change orders, cancel with the order. (Follow-up — materials, samples, progress,
inspections — builds on these records.)"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import ValidationFailed
from gendan.core.events import event_record
from gendan.core.models import Event
from gendan.core.money import MoneyError, to_decimal
from gendan.core.numbering import number_next
from gendan.parties.models import Supplier
from gendan.production.models import ProductionOrder, ProductionOrderLine

PRODUCING_KINDS = {Supplier.Kind.OWN_WORKSHOP: ProductionOrder.Kind.OWN_WORKSHOP,
                   Supplier.Kind.OUTSOURCED_FACTORY: ProductionOrder.Kind.OUTSOURCED}
OPEN = [ProductionOrder.Status.DRAFT, ProductionOrder.Status.ISSUED, ProductionOrder.Status.ACCEPTED,
        ProductionOrder.Status.IN_PRODUCTION, ProductionOrder.Status.ON_HOLD]


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def allocated_quantities(order) -> dict[int, Decimal]:
    """Quantity per order line already given to (non-cancelled) production orders."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    rows = ProductionOrderLine.objects.filter(order_line__order=order).exclude(
        production_order__status=ProductionOrder.Status.CANCELLED).values_list("order_line_id", "quantity")
    for line_id, qty in rows:
        totals[line_id] += qty
    return totals


def production_orders_create_from_release(*, actor: User, order, assignments: list[dict]) -> list[ProductionOrder]:
    """Create one production order per assignment ``{"supplier", "due_date", "lines": {line_id: qty}}``.

    An assignment without ``lines`` takes every line's whole open quantity. Refused: no
    assignment, a supplier that does not produce (forwarder, courier, material supplier),
    a due date in the past, quantities ≤ 0, or more than the order line still needs.
    Call inside the transaction holding the sales order lock.
    """
    if not assignments:
        msg = _("Choose the workshop or factory that will make the goods.")
        raise ValidationFailed(msg, fields={"supplier": msg})
    order_lines = {line.pk: line for line in order.lines.all()}
    already = allocated_quantities(order)
    created = []
    for index, assignment in enumerate(assignments):
        supplier = assignment.get("supplier")
        if not isinstance(supplier, Supplier) or supplier.kind not in PRODUCING_KINDS or not supplier.is_active:
            msg = _("Production goes to an active own workshop or outsourced factory.")
            raise ValidationFailed(msg, fields={"supplier": msg})
        due = assignment.get("due_date")
        if not isinstance(due, dt.date) or due < dt.date.today():
            msg = _("Give a due date that is not in the past.")
            raise ValidationFailed(msg, fields={"due_date": msg})
        wanted = assignment.get("lines") or {pk: line.quantity - already.get(pk, 0) for pk, line in order_lines.items()}
        rows = []
        for line_id, raw_qty in wanted.items():
            line = order_lines.get(_int_or_none(line_id))
            if line is None:
                msg = _("Line %(id)s is not on this order.") % {"id": line_id}
                raise ValidationFailed(msg, fields={"lines": msg})
            field = f"lines[{line.line_no - 1}].quantity"
            try:
                qty = to_decimal(raw_qty if raw_qty not in (None, "") else "0")
            except MoneyError:
                msg = _("Line %(n)d: enter a number.") % {"n": line.line_no}
                raise ValidationFailed(msg, fields={field: msg}) from None
            if qty < 0:
                msg = _("Line %(n)d: the quantity may not be negative.") % {"n": line.line_no}
                raise ValidationFailed(msg, fields={field: msg})
            if qty == 0:  # this line is not given to this workshop / factory
                continue
            left = line.quantity - already.get(line.pk, 0)
            if qty > left:
                msg = _("Line %(n)d: %(qty)s is more than the %(left)s still to be allocated (ordered %(ordered)s). "
                        "More than ordered needs a change order.") % {
                    "n": line.line_no, "qty": qty, "left": left, "ordered": line.quantity}
                raise ValidationFailed(msg, fields={f"lines[{line.line_no - 1}].quantity": msg})
            already[line.pk] = already.get(line.pk, 0) + qty
            rows.append((line, qty))
        if not rows:
            raise ValidationFailed(_("Assignment %(n)d has no quantity to produce.") % {"n": index + 1})
        production_order = ProductionOrder.objects.create(
            number=number_next(code="production_order"), sales_order=order, supplier=supplier,
            kind=PRODUCING_KINDS[supplier.kind], due_date=due, created_by=actor,
            currency_id="CNY" if supplier.kind == Supplier.Kind.OUTSOURCED_FACTORY else None,
            notes=assignment.get("notes", ""))
        ProductionOrderLine.objects.bulk_create(
            [ProductionOrderLine(production_order=production_order, order_line=line, quantity=qty) for line, qty in rows])
        event_record(actor=actor, obj=production_order, verb=Event.Verb.CREATED,
                     message=_("Released from %(order)s") % {"order": order})
        created.append(production_order)
    return created


def production_orders_flag_change(*, actor: User, order, revision, line_nos: set[int], all_lines: bool
                                  ) -> list[ProductionOrder]:
    """Flag every open production order that makes a changed line (or all of them when the
    change is in the order's header, e.g. the ex-factory date)."""
    qs = ProductionOrder.objects.filter(sales_order=order, status__in=OPEN)
    if not all_lines:
        touched = ProductionOrderLine.objects.filter(order_line__order=order, order_line__line_no__in=line_nos)
        qs = qs.filter(pk__in=touched.values("production_order_id"))
    flagged = []
    for production_order in qs.select_for_update():
        production_order.change_flag = _("Order revision %(n)d changed: %(reason)s") % {
            "n": revision.revision_no, "reason": revision.reason}
        production_order.change_revision_no = revision.revision_no
        production_order.version += 1
        production_order.save(update_fields=["change_flag", "change_revision_no", "version", "updated_at"])
        event_record(actor=actor, obj=production_order, verb=Event.Verb.NOTE, reason=revision.reason,
                     message=production_order.change_flag)
        flagged.append(production_order)
    return flagged


def production_orders_cancel_for_order(*, actor: User, order, reason: str) -> list[ProductionOrder]:
    cancelled = []
    for production_order in ProductionOrder.objects.select_for_update().filter(sales_order=order, status__in=OPEN):
        old = production_order.status
        production_order.status = ProductionOrder.Status.CANCELLED
        production_order.version += 1
        production_order.save(update_fields=["status", "version", "updated_at"])
        event_record(actor=actor, obj=production_order, verb=Event.Verb.STATE_CHANGED, reason=reason,
                     changes={"status": {"old": old, "new": ProductionOrder.Status.CANCELLED}})
        cancelled.append(production_order)
    return cancelled
