"""Sales order use cases: enter a draft and edit it.

Confirmations and confirming are in ``confirmations.py``, hold / resume / cancel / close, the
gates' overrides and the other transitions in ``lifecycle.py``, the derived sub-states in
``substates.py``, change orders in ``revisions.py``, PI / contract in ``documents.py``. The
use cases other apps perform on an order live with them: production release
(``production.services.release``), shipment (``shipping.services``), payment requests
(``finance.services``).

Every function is one use case: keyword-only, checks the actor's permission, locks the
order row, checks the guard from ``sales.rules`` (the same one the page uses for its
buttons), changes what it must and publishes its event (``sales.events``) — all in one
transaction. Side effects (emails) run after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, FieldErrors, ValidationFailed
from gendan.core.events import changes_between, snapshot
from gendan.core.guards import EARLIEST_DATE, LATEST_DATE, parse_date, refuse, require
from gendan.core.models import Currency
from gendan.core.services import full_clean_or_raise, lock_row
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_queryset
from gendan.sales import defaults, rules
from gendan.sales.events import OrderCreated, OrderLinesReentered, OrderUpdated
from gendan.sales.models import SalesOrder, SalesOrderCell, SalesOrderLine
from gendan.sales.selectors import order_queryset
from gendan.sales.services.lines import CleanLine, check_large_amount, collect_lines

S = SalesOrder.Status

# Header fields a draft order accepts from forms and the API.
HEADER_INPUT = [
    "customer_po_no", "customer_po_date", "currency", "incoterm", "incoterm_place", "payment_method",
    "deposit_percent", "payment_days", "payment_terms_note", "port_of_loading", "port_of_destination",
    "requested_delivery_date", "ex_factory_date", "packing_requirements", "shipping_marks",
    "special_requirements", "notes", "merchandiser", "requires_final_inspection", "requires_first_article",
]
# Fields recorded on the timeline when a draft is edited.
TRACKED = [*HEADER_INPUT, "total_amount"]


def lock_order(actor: User, order_id: int, *, expected_version: int | None = None) -> SalesOrder:
    """Lock and return an order the actor may see (404 otherwise), refusing a stale
    ``expected_version`` (409). Call inside a transaction; lock the order before its children
    (production orders, the T&A plan …)."""
    return lock_row(order_queryset(actor, one=True), order_id, expected_version=expected_version,
                    not_found="No such order.")


def _currency(value: Any) -> Currency:
    code = getattr(value, "code", value)
    currency = Currency.objects.filter(code=str(code or "").upper(), is_active=True).first()
    if currency is None:
        msg = _("Unknown currency “%(code)s”.") % {"code": code}
        raise ValidationFailed(msg, fields={"currency": msg})
    return currency


def _customer(actor: User, customer_id: int) -> Customer:
    """The customer ``actor`` may see (404 otherwise), with the people it names — as
    ``customer_get_for_user``, without its contacts, which a new order does not read."""
    try:
        return customer_queryset(actor).get(pk=customer_id)
    except (Customer.DoesNotExist, ValueError, TypeError):
        raise Http404("No such customer.") from None


def collect(errors: FieldErrors, exc: ValidationFailed) -> None:
    """Add every field of a refusal to ``errors`` (its message on the whole form as ``__all__``)."""
    for name, messages in (exc.fields or {"__all__": [str(exc.message)]}).items():
        errors.add(name, messages[0], exc.code)


def validate_dates(order: SalesOrder, errors: FieldErrors | None = None) -> None:
    """Refuse dates that contradict each other (ex-factory before the PO, delivery before
    ex-factory) or a PO dated in the future. With ``errors``, each is added there, not raised."""
    own = FieldErrors()
    for name in ("customer_po_date", "ex_factory_date", "requested_delivery_date"):
        value = getattr(order, name)
        if value and not EARLIEST_DATE <= value <= LATEST_DATE:
            try:
                parse_date(value, field=name)  # the one message for a date outside 2000–2099
            except ValidationFailed as exc:
                own.add(name, exc.fields[name][0], CoreError.INVALID_DATE)
    if not own:
        if order.customer_po_date and order.ex_factory_date and order.ex_factory_date < order.customer_po_date:
            own.add("ex_factory_date", _("The ex-factory date cannot be before the PO date."),
                    CoreError.DATES_OUT_OF_ORDER)
        if order.requested_delivery_date and order.ex_factory_date and \
                order.requested_delivery_date < order.ex_factory_date:
            own.add("requested_delivery_date", _("The delivery date cannot be before the ex-factory date."),
                    CoreError.DATES_OUT_OF_ORDER)
        if order.customer_po_date and order.customer_po_date > timezone.localdate() + dt.timedelta(days=1):
            own.add("customer_po_date", _("The PO date cannot be in the future."), CoreError.DATE_IN_FUTURE)
    if errors is None:
        own.raise_any()
        return
    for name, message in own.items():
        errors.add(name, message, own.code)


def apply_header(order: SalesOrder, data: Mapping[str, Any], errors: FieldErrors | None = None) -> None:
    """Set the header fields of ``HEADER_INPUT`` found in ``data`` on the (unsaved) order. With
    ``errors``, a wrong currency or merchandiser is added there (the field left as it was)."""
    own = FieldErrors()
    for name in HEADER_INPUT:
        if name not in data:
            continue
        value = data[name]
        if name == "currency":
            try:
                order.currency = _currency(value)
            except ValidationFailed as exc:
                collect(own, exc)
        elif name == "merchandiser":
            if value is not None and not value.has_role(Role.MERCHANDISER):
                own.add("merchandiser", _("%(user)s is not a merchandiser.") % {"user": value})
                continue
            order.merchandiser = value
        elif isinstance(value, str):
            # A browser sends CR LF; the database keeps LF, so a re-posted text is not a change.
            setattr(order, name, value.replace("\r\n", "\n").replace("\r", "\n"))
        else:
            setattr(order, name, value)
    if errors is None:
        own.raise_any()
        return
    for name, message in own.items():
        errors.add(name, message, own.code)


def check_order(order: SalesOrder, lines: list[dict] | None, *, errors: FieldErrors, confirm_large_amount: bool,
                only_changed_total: bool = False, trusted: tuple[str, ...] = ()) -> list[CleanLine]:
    """Check the header (the model's own rules, the dates) and every line and cell, adding each
    wrong field to ``errors`` — the header's first, then the lines', then the large amount's —
    so one answer names them all. Sets the order's total from the lines; returns the clean
    lines (``lines`` None: the order keeps its lines, nothing to check).
    ``trusted``: fields the caller set itself and knows to be right, which full_clean skips (their
    validators, a foreign key's look-up, the constraints on them: each such check is a query)."""
    clean: list[CleanLine] = []
    line_errors = FieldErrors()
    if lines is not None:
        clean, total = collect_lines(lines, currency=order.currency_id, errors=line_errors)
        if not (only_changed_total and total == order.total_amount):
            # the right lines alone above the limit: the whole order is, whatever the others hold
            check_large_amount(total, order.currency_id, confirmed=confirm_large_amount, errors=line_errors)
        order.total_amount = total
    try:
        full_clean_or_raise(order, exclude=["number", "quotation", *trusted])
    except ValidationFailed as exc:
        collect(errors, exc)
    validate_dates(order, errors)
    for name, message in line_errors.items():
        errors.add(name, message, line_errors.code)
    return clean


def write_lines(order: SalesOrder, lines: list[CleanLine], *, new: bool = False) -> None:
    """Replace a draft's lines (and cells) with ``lines`` (``new``: the order was just inserted,
    it has none to delete)."""
    if not new:
        order.lines.all().delete()
    created = SalesOrderLine.objects.bulk_create([
        SalesOrderLine(order=order, line_no=ln.line_no, product=ln.product, description=ln.description,
                       unit=ln.unit, unit_price=ln.unit_price, quantity=ln.quantity, amount=ln.amount)
        for ln in lines
    ])
    SalesOrderCell.objects.bulk_create([
        SalesOrderCell(line=line, colour=c.colour, size=c.size, quantity=c.quantity, variant=c.variant)
        for line, ln in zip(created, lines, strict=True) for c in ln.cells
    ])


def order_create(
    *, actor: User, customer_id: int, data: Mapping[str, Any], lines: list[dict], quotation=None,
    confirm_large_amount: bool = False, validate_only: bool = False,
) -> SalesOrder | None:
    """Enter a customer's order as a draft. Terms default from the customer; the merchandiser
    and salesperson are the customer's. A total above ``GENDAN_LARGE_ORDER_AMOUNT`` needs
    ``confirm_large_amount``. Every wrong field of the header and the lines is refused at once
    (one ``ValidationFailed``); ``validate_only`` checks the same and saves nothing (a page whose
    own form has errors shows the service's with them)."""
    require(actor, "sales.add_salesorder")
    customer = _customer(actor, customer_id)
    order = SalesOrder(
        customer=customer, status=S.DRAFT, currency_id=customer.default_currency_id,
        incoterm=customer.incoterm, incoterm_place=customer.incoterm_place,
        payment_method=customer.payment_method, deposit_percent=customer.deposit_percent,
        payment_days=customer.payment_days, payment_terms_note=customer.payment_terms_note,
        port_of_loading=customer.port_of_loading, port_of_destination=customer.port_of_destination,
        special_requirements=customer.special_requirements,
        merchandiser=customer.merchandiser or (actor if actor.has_role(Role.MERCHANDISER) else None),
        salesperson=customer.salesperson, quotation=quotation,
    )
    defaults.apply(order, customer)  # what the apps serving the order keep about the customer
    errors = FieldErrors()
    apply_header(order, data, errors)
    # Rows in hand need no look-up: the customer and its salesperson just read, the merchandiser
    # the customer's, the actor or one apply_header checked (the currency is still looked up: it
    # must be an active one). The amounts' constraints cannot fail on a new draft: the total is
    # the sum of lines checked within their bounds, no deposit yet, the tolerance left at 0.
    trusted = ("customer", "merchandiser", "salesperson", "total_amount",
               *(name for name in ("deposit_amount", "quantity_tolerance_percent") if not getattr(order, name)))
    clean = check_order(order, lines, errors=errors, confirm_large_amount=confirm_large_amount, trusted=trusted)
    errors.raise_any()
    if validate_only:
        return None
    with transaction.atomic():
        order.save()
        write_lines(order, clean, new=True)
        publish(OrderCreated(actor=actor, order=order, lines=len(clean)))
    return order


def order_update(
    *, actor: User, order_id: int, data: Mapping[str, Any], lines: list[dict] | None = None,
    expected_version: int | None, reason: str = "", confirm_large_amount: bool = False,
    validate_only: bool = False,
) -> SalesOrder:
    """Edit a draft order. A confirmed order changes only through a change order (``order_revise``).
    Every wrong field is refused at once; ``validate_only`` checks and saves nothing."""
    require(actor, "sales.change_salesorder")
    with transaction.atomic():
        order = lock_order(actor, order_id, expected_version=expected_version)
        refuse(rules.update_check(order))
        before = snapshot(order, TRACKED)
        old_total = order.total_amount
        errors = FieldErrors()
        apply_header(order, data, errors)
        clean = check_order(order, lines, errors=errors, confirm_large_amount=confirm_large_amount,
                            only_changed_total=True)
        errors.raise_any()
        if validate_only:
            return order
        line_change = (old_total, order.total_amount, len(clean)) if lines is not None else None
        if lines is not None:
            write_lines(order, clean)
        changes = changes_between(before, order)
        if not changes and lines is None:
            return order
        order.version += 1
        order.save()
        if line_change:
            publish(OrderLinesReentered(actor=actor, order=order, changes=changes, reason=reason,
                                        lines=line_change[2]))
        else:
            publish(OrderUpdated(actor=actor, order=order, changes=changes, reason=reason))
    return order


