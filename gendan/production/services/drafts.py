"""Production orders while they are drafts: created by the sales order's production release
or by "add a production order" (for quantity no production order holds yet), and the draft's
edit (due date, document, sign-off, distribution, notes, and per line quantity, unit cost and
texts). Allocating more than an order line still needs is refused everywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import ValidationFailed
from gendan.core.events import event_record
from gendan.core.guards import refuse, require
from gendan.core.models import Event
from gendan.core.money import MoneyError, format_quantity, line_amount, sum_amounts, to_decimal
from gendan.core.numbering import number_next
from gendan.core.services import check_version
from gendan.parties.models import Supplier
from gendan.production import rules
from gendan.production.errors import ProductionError
from gendan.production.events import ORDER_ADDED, ProductionOrderCreated, order_step_params
from gendan.production.models import Department, ProductionOrder, ProductionOrderLine
from gendan.production.selectors import allocated_quantities
from gendan.production.services.common import (
    CHANGE,
    int_or_none,
    order_note,
    production_order_lock,
    require_owner,
)
from gendan.sales.models import SalesOrder
from gendan.sales.services.orders import lock_order
from gendan.sales.services.substates import order_refresh_substates

PRODUCING_KINDS = {Supplier.Kind.OWN_WORKSHOP: ProductionOrder.Kind.OWN_WORKSHOP,
                   Supplier.Kind.OUTSOURCED_FACTORY: ProductionOrder.Kind.OUTSOURCED}
# In the order of ``Department`` (the edit form keeps that order).
DEFAULT_SIGN_OFF = [Department.MERCHANDISING, Department.PRODUCTION, Department.QUALITY, Department.MANAGEMENT]
DEFAULT_COPY_TO = [Department.MERCHANDISING, Department.WAREHOUSE, Department.PRODUCTION, Department.QUALITY,
                   Department.PURCHASING, Department.FINANCE]


# --- creation ----------------------------------------------------------------------------


def _supplier_recipients(supplier: Supplier, order: SalesOrder) -> str:
    addresses = [supplier.email, getattr(order.merchandiser, "email", "")]
    return "\n".join(dict.fromkeys(a for a in addresses if a))


def _create(*, actor: User, order: SalesOrder, assignments: list[dict]) -> list[ProductionOrder]:
    """Create one draft production order per assignment ``{"supplier", "due_date", "lines": {line_id: qty}}``;
    refused when a quantity is more than the order line still needs. Call holding the order lock."""
    if not assignments:
        msg = _("Choose the workshop or factory that will make the goods.")
        raise ValidationFailed(msg, fields={"supplier": msg})
    # In line order (the default ordering's join to the order adds nothing for one order's lines).
    order_lines = {line.pk: line for line in order.lines.select_related("product").order_by("line_no")}
    already = allocated_quantities(order)
    created = []
    for index, assignment in enumerate(assignments):
        supplier = assignment.get("supplier")
        if not isinstance(supplier, Supplier) or supplier.kind not in PRODUCING_KINDS or not supplier.is_active:
            msg = _("Production goes to an active own workshop or outsourced factory.")
            raise ValidationFailed(msg, fields={"supplier": msg})
        due = assignment.get("due_date")
        if not isinstance(due, dt.date) or due < timezone.localdate():
            msg = _("Give a due date that is not in the past.")
            raise ValidationFailed(msg, fields={"due_date": msg})
        wanted = assignment.get("lines") or {pk: line.quantity - already.get(pk, 0) for pk, line in order_lines.items()}
        rows = []
        for line_id, raw_qty in wanted.items():
            line = order_lines.get(int_or_none(line_id))
            if line is None:
                msg = _("Line %(id)s is not on this order.") % {"id": line_id}
                raise ValidationFailed(msg, fields={"lines": msg})
            qty = _quantity(raw_qty, line.line_no)
            if qty == 0:  # this line is not given to this workshop / factory
                continue
            _check_allocation(line, qty, already.get(line.pk, Decimal(0)))
            already[line.pk] = already.get(line.pk, 0) + qty
            rows.append((line, qty))
        if not rows:
            raise ValidationFailed(_("Assignment %(n)d has no quantity to produce.") % {"n": index + 1})
        kind = PRODUCING_KINDS[supplier.kind]
        currency = "CNY" if kind == ProductionOrder.Kind.OUTSOURCED else None
        production_order = ProductionOrder.objects.create(
            number=number_next(code="production_order"), sales_order=order, supplier=supplier, kind=kind,
            due_date=due, created_by=actor, currency_id=currency, notes=assignment.get("notes", ""),
            sign_off=list(DEFAULT_SIGN_OFF), copy_to=list(DEFAULT_COPY_TO),
            email_to=_supplier_recipients(supplier, order))
        lines = []
        for line, qty in rows:
            product = line.product
            lines.append(ProductionOrderLine(
                production_order=production_order, order_line=line, quantity=qty,
                spec=getattr(product, "spec", "") or "", surface_finish=getattr(product, "surface_finish", "") or "",
                packing_requirements=order.packing_requirements, quality_requirements=order.special_requirements))
        ProductionOrderLine.objects.bulk_create(lines)
        publish(ProductionOrderCreated(actor=actor, order=order, production_order=production_order))
        created.append(production_order)
    return created


def _quantity(raw, line_no: int) -> Decimal:
    field = f"lines[{line_no - 1}].quantity"
    try:
        qty = to_decimal(raw if raw not in (None, "") else "0")
    except MoneyError:
        msg = _("Line %(n)d: enter a number.") % {"n": line_no}
        raise ValidationFailed(msg, fields={field: msg}) from None
    if qty < 0:
        msg = _("Line %(n)d: the quantity may not be negative.") % {"n": line_no}
        raise ValidationFailed(msg, fields={field: msg})
    return qty


def _check_allocation(line, qty: Decimal, already: Decimal) -> None:
    """Refuse giving ``qty`` of order line ``line`` to production when ``already`` is allocated."""
    left = line.quantity - already
    if qty > left:
        msg = _("Line %(n)d: %(qty)s is more than the %(left)s still to be allocated (ordered %(ordered)s). "
                "More than ordered needs a change order.") % {
            "n": line.line_no, "qty": format_quantity(qty), "left": format_quantity(left),
            "ordered": format_quantity(line.quantity)}
        raise ValidationFailed(msg, fields={f"lines[{line.line_no - 1}].quantity": msg}, code=ProductionError.OVER_ALLOCATED)


def production_orders_create_from_release(*, actor: User, order, assignments: list[dict]) -> list[ProductionOrder]:
    """Create one draft production order per assignment ``{"supplier", "due_date", "lines": {line_id: qty}}``.

    An assignment without ``lines`` takes every line's whole open quantity. Refused: no
    assignment, a supplier that does not produce (forwarder, courier, material supplier),
    a due date in the past, quantities ≤ 0, or more than the order line still needs.
    Call inside the transaction holding the sales order lock.
    """
    return _create(actor=actor, order=order, assignments=assignments)


def production_order_add(*, actor: User, order_id: int, supplier: Supplier, due_date: dt.date,
                         lines: Mapping[int, object] | None = None, notes: str = "",
                         expected_version: int | None = None) -> ProductionOrder:
    """Add a production order for quantity of an order in production that no production order
    holds yet (a second factory, a line released later). ``lines`` maps order line ids to
    quantities; without it the whole unallocated quantity is taken. More than ordered is refused:
    that needs a change order."""
    require(actor, "production.add_productionorder")
    with transaction.atomic():
        order = lock_order(actor, order_id)
        require_owner(actor, order)
        check_version(order, expected_version)
        allocated = allocated_quantities(order)
        unallocated = {line.pk: line.quantity - allocated.get(line.pk, 0) for line in order.lines.all()}
        refuse(rules.add_check(order, unallocated))
        [production_order] = _create(actor=actor, order=order, assignments=[
            {"supplier": supplier, "due_date": due_date, "lines": dict(lines or {}), "notes": notes}])
        order_note(actor=actor, order=order, kind=ORDER_ADDED, params=order_step_params(production_order))
        order_refresh_substates(order, actor=actor)
    return production_order


# --- editing the draft -------------------------------------------------------------------

HEADER_FIELDS = ["due_date", "document", "sign_off", "copy_to", "email_to", "notes"]
LINE_TEXT_FIELDS = ["spec", "surface_finish", "packing_requirements", "quality_requirements"]


def _clean_departments(values, field: str) -> list[str]:
    values = list(values or [])
    unknown = [v for v in values if v not in Department.values]
    if unknown:
        msg = _("Unknown department: %(d)s.") % {"d": ", ".join(map(str, unknown))}
        raise ValidationFailed(msg, fields={field: msg})
    return [d for d in Department.values if d in values]  # the usual order, no repeats


def _clean_emails(text: str) -> str:
    addresses = [a.strip() for a in str(text or "").replace(",", "\n").replace(";", "\n").splitlines() if a.strip()]
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            msg = _("“%(address)s” is not an email address.") % {"address": address[:80]}
            raise ValidationFailed(msg, fields={"email_to": msg}) from None
    return "\n".join(dict.fromkeys(addresses))


def _clean_header(production_order: ProductionOrder, data: Mapping) -> dict:
    clean = {}
    if "due_date" in data:
        due = data["due_date"]
        if not isinstance(due, dt.date) or due < timezone.localdate():
            msg = _("Give a due date that is not in the past.")
            raise ValidationFailed(msg, fields={"due_date": msg})
        clean["due_date"] = due
    if "document" in data:
        if data["document"] not in ProductionOrder.Document.values:
            msg = _("Choose the kind of document.")
            raise ValidationFailed(msg, fields={"document": msg})
        clean["document"] = data["document"]
    for field in ("sign_off", "copy_to"):
        if field in data:
            clean[field] = _clean_departments(data[field], field)
    if "email_to" in data:
        clean["email_to"] = _clean_emails(data["email_to"])
    if "notes" in data:
        clean["notes"] = str(data["notes"] or "").strip()
    return clean


def _clean_line(production_order: ProductionOrder, line: ProductionOrderLine, values: Mapping,
                allocated: Mapping[int, Decimal]) -> dict:
    n = line.order_line.line_no
    clean: dict = {}
    if "quantity" in values:
        qty = _quantity(values["quantity"], n)
        if qty == 0:
            msg = _("Line %(n)d: a production order line needs a quantity; cancel the order to give none.") % {"n": n}
            raise ValidationFailed(msg, fields={f"lines[{n - 1}].quantity": msg})
        # What other production orders hold of this order line, plus the new quantity.
        _check_allocation(line.order_line, qty, allocated.get(line.order_line_id, Decimal(0)) - line.quantity)
        clean["quantity"] = qty
    if "unit_cost" in values:
        raw = values["unit_cost"]
        if raw in (None, ""):
            clean["unit_cost"] = None
        else:
            try:
                cost = to_decimal(raw)
            except MoneyError:
                cost = None
            if cost is None or cost < 0 or cost != cost.quantize(Decimal("0.0001")):
                msg = _("Line %(n)d: the unit cost is a number ≥ 0 with at most 4 decimals.") % {"n": n}
                raise ValidationFailed(msg, fields={f"lines[{n - 1}].unit_cost": msg})
            clean["unit_cost"] = cost
    for field in LINE_TEXT_FIELDS:
        if field in values:
            limit = ProductionOrderLine._meta.get_field(field).max_length or 2000
            clean[field] = str(values[field] or "").strip()[:limit]
    return clean


def production_order_update(*, actor: User, production_order_id: int, data: Mapping | None = None,
                            lines: Mapping[int, Mapping] | None = None,
                            expected_version: int | None = None) -> ProductionOrder:
    """Edit a draft: due date, document kind, sign-off, distribution, notes, and per line
    (``{production_order_line_id: {...}}``) quantity, unit cost, spec, surface finish, packing
    and quality requirements. Amounts are recomputed (quantity × unit cost, rounded per line;
    total = sum of the lines). A stale version is refused with 409."""
    require(actor, CHANGE)
    with transaction.atomic():
        order, production_order = production_order_lock(actor, production_order_id)
        require_owner(actor, order)
        check_version(production_order, expected_version)
        refuse(rules.edit_check(production_order))
        header = _clean_header(production_order, data or {})
        by_id = {line.pk: line for line in production_order.lines.all()}
        allocated = allocated_quantities(order)
        line_changes: list[tuple[ProductionOrderLine, dict]] = []
        for raw_id, values in (lines or {}).items():
            line = by_id.get(int_or_none(raw_id))
            if line is None:
                msg = _("Line %(id)s is not on this production order.") % {"id": raw_id}
                raise ValidationFailed(msg, fields={"lines": msg})
            line_changes.append((line, _clean_line(production_order, line, values, allocated)))

        changes: dict[str, dict[str, str]] = {}
        for field, new in header.items():
            old = getattr(production_order, field)
            if old != new and not (isinstance(new, list) and set(old) == set(new)):
                changes[field] = {"old": _show(old), "new": _show(new)}
                setattr(production_order, field, new)
        currency = production_order.currency_id or "CNY"
        for line, values in line_changes:
            for field, new in values.items():
                old = getattr(line, field)
                if old != new:
                    changes[f"line {line.order_line.line_no} {field}"] = {"old": _show(old), "new": _show(new)}
                    setattr(line, field, new)
            line.amount = line_amount(line.quantity, line.unit_cost, currency) if line.unit_cost is not None \
                else Decimal(0)
            line.save(update_fields=["quantity", "unit_cost", "amount", *LINE_TEXT_FIELDS])
        total = sum_amounts([line.amount for line in by_id.values()], currency)
        if total != production_order.total_cost:
            changes["total_cost"] = {"old": _show(production_order.total_cost), "new": _show(total)}
            production_order.total_cost = total
        if not changes:
            return production_order
        production_order.version += 1
        production_order.save(update_fields=[*HEADER_FIELDS, "total_cost", "version", "updated_at"])
        event_record(actor=actor, obj=production_order, verb=Event.Verb.UPDATED, changes=changes)
    return production_order


def _show(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(Department(v).label) for v in value)
    if value is None:
        return ""
    return str(value)
