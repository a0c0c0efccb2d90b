"""Sales order use cases: create and edit drafts, record confirmations, confirm, release to
production, ship, hold, resume, cancel, close, override gates.

Every function is one use case: keyword-only, checks the actor's permission, locks the
order row, checks the guard from ``sales.rules`` (the same one the page uses for its
buttons), changes what it must, recomputes derived sub-states and writes the event — all
in one transaction. Side effects (emails) run after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.errors import BusinessError, Kind, NotAllowed, TransitionNotAllowed, ValidationFailed
from gendan.core.events import changes_between, event_record, snapshot
from gendan.core.models import Currency, Event
from gendan.core.numbering import number_next
from gendan.core.services import check_version, full_clean_or_raise
from gendan.finance.models import PaymentPlanItem
from gendan.parties.selectors import customer_get_for_user
from gendan.sales import rules
from gendan.sales.models import Confirmation, SalesOrder, SalesOrderCell, SalesOrderLine
from gendan.sales.selectors import order_queryset
from gendan.sales.services.lines import CleanLine, clean_lines
from gendan.sales.terms import payment_plan
from gendan.sales.workflows import check_transition
from gendan.tracking.hooks import Milestone, milestone_reached
from gendan.tracking.services.plans import plan_close, plan_generate, plan_replan

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


def require(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise NotAllowed(_("Your role may not do this (%(perm)s).") % {"perm": perm})


def refuse(check: rules.Check) -> None:
    """Raise the refusal a guard gave, as a coded, translated business error."""
    if check.allowed:
        return
    if check.code == "transition_not_allowed":
        raise TransitionNotAllowed(check.reason, code=check.code)
    raise BusinessError(check.reason, code=check.code, kind=Kind.GATE if check.code.startswith("gate_") else None)


def lock_order(actor: User, order_id: int) -> SalesOrder:
    """Lock and return an order the actor may see (404 otherwise). Call inside a transaction."""
    try:
        return order_queryset(actor).select_for_update(of=("self",)).get(pk=order_id)
    except (SalesOrder.DoesNotExist, ValueError, TypeError):
        raise Http404("No such order.") from None


def _currency(value: Any) -> Currency:
    code = getattr(value, "code", value)
    currency = Currency.objects.filter(code=str(code or "").upper(), is_active=True).first()
    if currency is None:
        msg = _("Unknown currency “%(code)s”.") % {"code": code}
        raise ValidationFailed(msg, fields={"currency": msg})
    return currency


def _validate_dates(order: SalesOrder) -> None:
    errors = {}
    if order.customer_po_date and order.ex_factory_date and order.ex_factory_date < order.customer_po_date:
        errors["ex_factory_date"] = _("The ex-factory date cannot be before the PO date.")
    if order.requested_delivery_date and order.ex_factory_date and \
            order.requested_delivery_date < order.ex_factory_date:
        errors["requested_delivery_date"] = _("The delivery date cannot be before the ex-factory date.")
    if order.customer_po_date and order.customer_po_date > timezone.localdate() + dt.timedelta(days=1):
        errors["customer_po_date"] = _("The PO date cannot be in the future.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)


def _apply_header(order: SalesOrder, data: Mapping[str, Any]) -> None:
    for name in HEADER_INPUT:
        if name not in data:
            continue
        value = data[name]
        if name == "currency":
            order.currency = _currency(value)
        elif name == "merchandiser":
            if value is not None and not value.has_role(Role.MERCHANDISER):
                msg = _("%(user)s is not a merchandiser.") % {"user": value}
                raise ValidationFailed(msg, fields={"merchandiser": msg})
            order.merchandiser = value
        else:
            setattr(order, name, value)


def _quality_defaults(order: SalesOrder, customer) -> None:
    """The quality gates a new order gets unless entered: the customer's quality profile."""
    from gendan.quality.models import QualityProfile

    profile = QualityProfile.objects.filter(customer=customer).first()
    if profile is not None:
        order.requires_final_inspection = profile.requires_final_inspection
        order.requires_first_article = profile.requires_first_article


def write_lines(order: SalesOrder, lines: list[CleanLine]) -> None:
    """Replace a draft's lines (and cells) with ``lines``."""
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
    *, actor: User, customer_id: int, data: Mapping[str, Any], lines: list[dict], quotation=None
) -> SalesOrder:
    """Enter a customer's order as a draft. Terms default from the customer; the merchandiser
    and salesperson are the customer's."""
    require(actor, "sales.add_salesorder")
    customer = customer_get_for_user(user=actor, pk=customer_id)
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
    _quality_defaults(order, customer)
    _apply_header(order, data)
    clean, total = clean_lines(lines, currency=order.currency_id)
    order.total_amount = total
    with transaction.atomic():
        full_clean_or_raise(order, exclude=["number", "quotation"])
        _validate_dates(order)
        order.save()
        write_lines(order, clean)
        event_record(actor=actor, obj=order, verb=Event.Verb.CREATED,
                     message=_("PO %(po)s, %(n)d lines") % {"po": order.customer_po_no, "n": len(clean)})
    return order


def order_update(
    *, actor: User, order_id: int, data: Mapping[str, Any], lines: list[dict] | None = None,
    expected_version: int | None, reason: str = "",
) -> SalesOrder:
    """Edit a draft order. A confirmed order changes only through a change order (``order_revise``)."""
    require(actor, "sales.change_salesorder")
    with transaction.atomic():
        order = lock_order(actor, order_id)
        check_version(order, expected_version)
        if order.status != S.DRAFT:
            raise ValidationFailed(
                _("Order %(order)s is confirmed: changes need a change order, which the customer confirms.")
                % {"order": order}, code="use_change_order")
        before = snapshot(order, TRACKED)
        _apply_header(order, data)
        line_change = None
        if lines is not None:
            clean, total = clean_lines(lines, currency=order.currency_id)
            old_total = order.total_amount
            order.total_amount = total
            line_change = (old_total, total, len(clean))
        full_clean_or_raise(order, exclude=["number", "quotation"])
        _validate_dates(order)
        if lines is not None:
            write_lines(order, clean)
        changes = changes_between(before, order)
        if not changes and lines is None:
            return order
        order.version += 1
        order.save()
        message = _("lines re-entered (%(n)d)") % {"n": line_change[2]} if line_change else ""
        event_record(actor=actor, obj=order, verb=Event.Verb.UPDATED, changes=changes, reason=reason,
                     message=message)
    return order


# --- confirmations and confirming ----------------------------------------------------


def _revision_awaiting_confirmation(order: SalesOrder) -> int:
    """The revision a new confirmation belongs to: the draft itself, or a pending change order."""
    check = rules.confirmation_check(order)
    if not check:
        raise ValidationFailed(check.reason, code=check.code)
    if order.status == S.DRAFT:
        return order.revision_no
    return order.revisions.get(status="pending").revision_no


def confirmation_record(
    *, actor: User, order_id: int, kind: str, confirmed_at: dt.datetime, upload=None, attachment_id: int | None = None,
    contact_name: str = "", phone_number: str = "", summary: str = "",
) -> Confirmation:
    """Record the customer's written order (a file) or the phone call that confirmed it."""
    from gendan.documents.models import Attachment
    from gendan.documents.services import attachment_add

    require(actor, "sales.confirm_salesorder")
    if kind not in Confirmation.Kind.values:
        raise ValidationFailed(_("Choose written or verbal."), fields={"kind": _("Choose written or verbal.")})
    if confirmed_at is None or confirmed_at > timezone.now() + dt.timedelta(minutes=5):
        msg = _("The confirmation time cannot be in the future.")
        raise ValidationFailed(msg, fields={"confirmed_at": msg})
    errors = {}
    if kind == Confirmation.Kind.VERBAL:
        if not contact_name.strip():
            errors["contact_name"] = _("Who confirmed on the phone?")
        if not phone_number.strip():
            errors["phone_number"] = _("Which number was called?")
        if not summary.strip():
            errors["summary"] = _("What was confirmed (items, quantities, prices, dates)?")
    elif upload is None and attachment_id is None:
        errors["file"] = _("Attach the customer's PO, fax scan, image or email (.eml).")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    with transaction.atomic():
        order = lock_order(actor, order_id)
        revision_no = _revision_awaiting_confirmation(order)
        attachment = None
        if kind == Confirmation.Kind.WRITTEN:
            if upload is not None:
                attachment = attachment_add(actor=actor, owner=order, upload=upload, kind=Attachment.Kind.PO,
                                            description=summary[:200] or _("customer's written order"))
            else:
                attachment = Attachment.objects.filter(pk=attachment_id, object_id=order.pk,
                                                       content_type__model="salesorder").first()
                if attachment is None:
                    raise ValidationFailed(_("That file is not attached to this order."),
                                           fields={"file": _("That file is not attached to this order.")})
        confirmation = Confirmation.objects.create(
            order=order, revision_no=revision_no, kind=kind, attachment=attachment, contact_name=contact_name.strip(),
            phone_number=phone_number.strip(), confirmed_at=confirmed_at, summary=summary.strip(), recorded_by=actor,
        )
        if kind == Confirmation.Kind.VERBAL:
            message = _("Phone confirmation (rev. %(rev)d): %(who)s, %(phone)s — %(what)s") % {
                "rev": revision_no, "who": confirmation.contact_name, "phone": confirmation.phone_number,
                "what": confirmation.summary}
        else:
            message = _("Written confirmation (rev. %(rev)d): %(file)s") % {
                "rev": revision_no, "file": attachment.original_name}
        event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, message=message)
    return confirmation


def order_confirm(*, actor: User, order_id: int, expected_version: int | None = None) -> SalesOrder:
    """Confirm a draft: refused until the written order and the phone confirmation are recorded.
    Confirming numbers the order, fixes its total and derives the payment plan."""
    require(actor, "sales.confirm_salesorder")
    with transaction.atomic():
        order = lock_order(actor, order_id)
        check_version(order, expected_version)
        refuse(rules.confirm_check(order))
        check_transition(order, S.CONFIRMED)
        order.number = number_next(code="sales_order")
        order.status = S.CONFIRMED
        order.confirmed_at = timezone.now()
        order.confirmed_by = actor
        order.version += 1
        order.save()
        plan_derive(order)
        event = event_record(actor=actor, obj=order, verb=Event.Verb.STATE_CHANGED,
                             changes={"status": {"old": S.DRAFT, "new": S.CONFIRMED},
                                      "number": {"old": "", "new": order.number}},
                             message=_("Total fixed at %(total)s %(currency)s")
                             % {"total": order.total_amount, "currency": order.currency_id})
        plan_generate(order=order, actor=actor)
        milestone_reached(order=order, key=Milestone.PO_RECEIVED, actor=actor, event=event)
        order_refresh_substates(order, actor=actor)
    return order


# --- payment plan and derived sub-states ---------------------------------------------


def plan_derive(order: SalesOrder) -> None:
    """(Re)build the deposit / balance instalments from the order's terms and total.
    Call inside the transaction holding the order lock."""
    confirmed_on = timezone.localdate(order.confirmed_at) if order.confirmed_at else timezone.localdate()
    plan = payment_plan(method=order.payment_method, deposit_percent=order.deposit_percent,
                        payment_days=order.payment_days, total=order.total_amount, currency=order.currency_id,
                        confirmed_on=confirmed_on, ex_factory_date=order.ex_factory_date)
    amounts = {i.kind: i for i in plan}
    existing = {item.kind: item for item in order.plan_items.all()}
    for kind in (PaymentPlanItem.Kind.DEPOSIT, PaymentPlanItem.Kind.BALANCE):
        inst = amounts.get(kind)
        item = existing.get(kind)
        if inst is None:
            if item is not None:
                item.delete()
            continue
        if item is None:
            item = PaymentPlanItem(order=order, kind=kind)
        item.amount, item.due_date, item.due_event = inst.amount, inst.due_date, inst.due_event
        item.save()
    order.deposit_amount = amounts["deposit"].amount if "deposit" in amounts else Decimal("0")
    order.balance_amount = order.total_amount - order.deposit_amount
    order.save(update_fields=["deposit_amount", "balance_amount"])


def _payment_status(order: SalesOrder) -> str:
    P = SalesOrder.PaymentStatus
    received, total, deposit = order.received_amount, order.total_amount, order.deposit_amount
    if order.status == S.DRAFT or (order.status == S.CANCELLED and received == 0):
        return P.NONE_DUE  # nothing is owed on a cancelled order; money received keeps its state
    if received > total:
        return P.OVERPAID
    if total > 0 and received >= total:
        return P.PAID
    if deposit > 0 and received < deposit:
        return P.DEPOSIT_PARTIAL if received > 0 else P.DEPOSIT_DUE
    if received > deposit:
        return P.BALANCE_PARTIAL
    return P.DEPOSIT_RECEIVED if deposit > 0 else P.NONE_DUE


def _production_status(order: SalesOrder) -> str:
    """Follows the production orders (cancelled ones do not count): released once there is one,
    in production once one has started (also while it is on hold), finished when all are
    finished or closed and together they hold every ordered quantity."""
    from gendan.production.models import ProductionOrder as PO
    from gendan.production.selectors import allocated_quantities
    from gendan.production.workflows import DONE, STARTED

    P = SalesOrder.ProductionStatus
    rows = set(order.production_orders.exclude(status=PO.Status.CANCELLED).values_list("status", "held_from"))
    if not rows:
        return P.NOT_RELEASED
    statuses = {status for status, _held in rows}
    if statuses <= DONE:
        allocated = allocated_quantities(order)
        if all(allocated.get(line.pk, 0) >= line.quantity for line in order.lines.all()):
            return P.FINISHED
        return P.IN_PROGRESS
    if statuses & STARTED or any(held in STARTED for _status, held in rows):
        return P.IN_PROGRESS
    return P.RELEASED


def _shipment_status(order: SalesOrder) -> str:
    totals = order.lines.aggregate(q=Sum("quantity"), s=Sum("shipped_quantity"))
    shipped, ordered = totals["s"] or 0, totals["q"] or 0
    if shipped <= 0:
        return SalesOrder.ShipmentStatus.NOT_SHIPPED
    if shipped < ordered:
        return SalesOrder.ShipmentStatus.PARTIAL
    return SalesOrder.ShipmentStatus.SHIPPED


def order_refresh_substates(order: SalesOrder, *, actor: User | None = None) -> SalesOrder:
    """Recompute money received, the payment / production / shipment sub-states and the
    automatic SHIPPED ↔ COMPLETED step from receipts, production orders and shipments.
    Call inside the transaction holding the order lock."""
    received = order.allocations.aggregate(s=Sum("order_amount"))["s"] or Decimal("0")
    order.received_amount = received
    remaining = received
    deposit_first = sorted(order.plan_items.all(), key=lambda i: i.kind != PaymentPlanItem.Kind.DEPOSIT)
    for item in deposit_first:
        item.received_amount = min(remaining, item.amount)
        remaining -= item.received_amount
        item.save(update_fields=["received_amount"])
    before = (order.status, order.payment_status, order.production_status, order.shipment_status)
    order.payment_status = _payment_status(order)
    order.production_status = _production_status(order)
    order.shipment_status = _shipment_status(order)
    paid = order.payment_status in (SalesOrder.PaymentStatus.PAID, SalesOrder.PaymentStatus.OVERPAID)
    if order.status == S.SHIPPED and paid:
        order.status = S.COMPLETED
    elif order.status == S.COMPLETED and not paid:
        order.status = S.SHIPPED
    after = (order.status, order.payment_status, order.production_status, order.shipment_status)
    order.save(update_fields=["received_amount", "payment_status", "production_status", "shipment_status",
                              "status", "updated_at"])
    if order.deposit_amount > 0 and rules.deposit_received(order):
        milestone_reached(order=order, key=Milestone.DEPOSIT_RECEIVED, actor=actor)
    if paid:
        milestone_reached(order=order, key=Milestone.BALANCE_RECEIVED, actor=actor)
    if before[0] != after[0]:
        event_record(actor=actor, obj=order, verb=Event.Verb.STATE_CHANGED,
                     changes={"status": {"old": before[0], "new": after[0]}},
                     message=_("derived from payments and shipments"))
    return order


# --- production, shipment and the gates ---------------------------------------------


def order_release_production(
    *, actor: User, order_id: int, assignments: list[dict], expected_version: int | None = None
) -> SalesOrder:
    """Release a confirmed order to production: refused until finance has confirmed the deposit
    (unless a manager overrode the rule). Creates one production order per assignment::

        {"supplier": Supplier, "due_date": date, "lines": {order_line_id: quantity}}
    """
    from gendan.production.services import production_orders_create_from_release

    require(actor, "sales.release_production")
    with transaction.atomic():
        order = lock_order(actor, order_id)
        check_version(order, expected_version)
        refuse(rules.production_check(order))
        check_transition(order, S.IN_PRODUCTION)
        created = production_orders_create_from_release(actor=actor, order=order, assignments=assignments)
        order.status = S.IN_PRODUCTION
        order.version += 1
        order.save(update_fields=["status", "version", "updated_at"])
        order_refresh_substates(order, actor=actor)
        event = event_record(actor=actor, obj=order, verb=Event.Verb.STATE_CHANGED,
                             changes={"status": {"old": S.CONFIRMED, "new": S.IN_PRODUCTION}},
                             message=_("Production orders: %(numbers)s")
                             % {"numbers": ", ".join(p.number for p in created)})
        milestone_reached(order=order, key=Milestone.PRODUCTION_RELEASED, actor=actor, event=event)
    return order


def order_override_gate(*, actor: User, order_id: int, gate: str, reason: str,
                        expected_version: int | None = None) -> SalesOrder:
    """A manager lets an order pass the deposit, the balance or the inspection rule, with a written reason."""
    require(actor, "sales.override_gate")
    if len((reason or "").strip()) < 5:
        msg = _("Write the reason for overriding the rule (it goes on the order's timeline).")
        raise ValidationFailed(msg, fields={"reason": msg})
    with transaction.atomic():
        order = lock_order(actor, order_id)
        check_version(order, expected_version)
        refuse(rules.override_check(order, gate))
        field = {"deposit": "production_gate_override", "balance": "shipment_gate_override",
                 "inspection": "inspection_gate_override"}[gate]
        setattr(order, field, True)
        order.version += 1
        order.save(update_fields=[field, "version", "updated_at"])
        label = {"deposit": _("deposit rule"), "balance": _("balance rule"), "inspection": _("inspection rule")}[gate]
        event_record(actor=actor, obj=order, verb=Event.Verb.OVERRIDE, reason=reason.strip(),
                     changes={field: {"old": "0", "new": "1"}},
                     message=_("%(rule)s overridden by %(user)s") % {"rule": label, "user": actor})
    return order


def order_mark_ready(*, actor: User, order_id: int, expected_version: int | None = None) -> SalesOrder:
    """Goods are finished and packed (or taken from stock): the order waits for shipment.
    From a confirmed order this skips production release, so the deposit rule applies."""
    require(actor, "sales.release_production")
    return _simple_transition(actor=actor, order_id=order_id, to=S.READY, check=rules.ready_check,
                              expected_version=expected_version)


def order_ship(
    *, actor: User, order_id: int, shipped_on: dt.date, quantities: Mapping[int, Decimal], bl_no: str = "",
    vessel_voyage: str = "", etd: dt.date | None = None, eta: dt.date | None = None, notes: str = "",
    expected_version: int | None = None,
):
    """Record a (partial) shipment. Refused by the balance rule when the terms require full
    payment before goods leave. Returns the shipment."""
    from gendan.shipping.services import shipment_create

    require(actor, "sales.ship_salesorder")
    with transaction.atomic():
        order = lock_order(actor, order_id)
        check_version(order, expected_version)
        refuse(rules.shipment_check(order))
        shipment = shipment_create(actor=actor, order=order, shipped_on=shipped_on, quantities=quantities,
                                   bl_no=bl_no, vessel_voyage=vessel_voyage, etd=etd, eta=eta, notes=notes)
        old = order.status
        order_refresh_substates(order, actor=actor)
        fully_shipped = order.shipment_status == SalesOrder.ShipmentStatus.SHIPPED
        if fully_shipped:
            check_transition(order, S.SHIPPED)
            order.status = S.SHIPPED
        order.version += 1
        order.save(update_fields=["status", "version", "updated_at"])
        event = event_record(
            actor=actor, obj=order, verb=Event.Verb.STATE_CHANGED if fully_shipped else Event.Verb.NOTE,
            changes={"status": {"old": old, "new": S.SHIPPED}} if fully_shipped else {},
            message=_("Shipment %(no)s: %(lines)s; B/L %(bl)s") % {
                "no": shipment.number, "bl": bl_no or "—",
                "lines": ", ".join(f"#{ln.order_line.line_no} × {ln.quantity}" for ln in shipment.lines.all())})
        # The first shipment fixes ETD / ETA: after-shipment milestones count from the real dates.
        plan_replan(order=order, actor=actor, reason=_("shipment %(no)s") % {"no": shipment.number})
        milestone_reached(order=order, key=Milestone.EX_FACTORY, actor=actor, event=event, on=shipped_on)
        milestone_reached(order=order, key=Milestone.ETD, actor=actor, event=event, on=etd or shipped_on)
        if fully_shipped:
            order_refresh_substates(order, actor=actor)  # completes it (its own event) when already paid
    return shipment


def order_release_original_bl(*, actor: User, order_id: int, expected_version: int | None = None) -> SalesOrder:
    """Release the original B/L (or telex release) to the customer: under "against copy of
    B/L" only after the balance is received."""
    require(actor, "sales.ship_salesorder")
    with transaction.atomic():
        order = lock_order(actor, order_id)
        check_version(order, expected_version)
        refuse(rules.original_bl_check(order))
        order.original_bl_released_at = timezone.now()
        order.version += 1
        order.save(update_fields=["original_bl_released_at", "version", "updated_at"])
        event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, message=_("Original B/L released"))
    return order


def _simple_transition(*, actor: User, order_id: int, to: str, reason: str = "",
                       extra: Mapping[str, Any] | None = None, check=None,
                       expected_version: int | None = None) -> SalesOrder:
    with transaction.atomic():
        order = lock_order(actor, order_id)
        check_version(order, expected_version)
        refuse(check(order) if check else rules.simple_transition_check(order, to))
        old = order.status
        order.status = to
        for name, value in (extra or {}).items():
            setattr(order, name, value)
        order.version += 1
        order.save()
        order_refresh_substates(order, actor=actor)
        event_record(actor=actor, obj=order, verb=Event.Verb.STATE_CHANGED, reason=reason,
                     changes={"status": {"old": old, "new": to}})
    return order


def _require_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 3:
        msg = _("Give the reason for %(what)s.") % {"what": what}
        raise ValidationFailed(msg, fields={"reason": msg})
    return reason


def order_hold(*, actor: User, order_id: int, reason: str, expected_version: int | None = None) -> SalesOrder:
    require(actor, "sales.close_salesorder")
    reason = _require_reason(reason, _("putting the order on hold"))
    with transaction.atomic():
        order = lock_order(actor, order_id)
        held_from = order.status
        order = _simple_transition(actor=actor, order_id=order_id, to=S.ON_HOLD, reason=reason,
                                   extra={"held_from": held_from}, expected_version=expected_version)
    return order


def order_resume(*, actor: User, order_id: int, reason: str = "", expected_version: int | None = None
                 ) -> SalesOrder:
    require(actor, "sales.close_salesorder")
    with transaction.atomic():
        order = lock_order(actor, order_id)
        refuse(rules.resume_check(order))
        return _simple_transition(actor=actor, order_id=order_id, to=order.held_from or S.CONFIRMED,
                                  reason=reason, extra={"held_from": ""}, expected_version=expected_version)


def order_cancel(*, actor: User, order_id: int, reason: str, deposit_disposition: str = "",
                 expected_version: int | None = None) -> SalesOrder:
    """Cancel an order. If money was received, say what happens to it (refund, credit, retain).
    Open production orders are cancelled with it."""
    from gendan.production.services import production_orders_cancel_for_order

    require(actor, "sales.close_salesorder")
    reason = _require_reason(reason, _("cancelling the order"))
    with transaction.atomic():
        order = lock_order(actor, order_id)
        check_version(order, expected_version)
        refuse(rules.cancel_check(order))
        if order.received_amount > 0:
            valid = {c for c in SalesOrder.DepositDisposition.values if c}
            if deposit_disposition not in valid:
                msg = _("%(amount)s %(currency)s has been received on this order: choose whether to refund it, "
                        "keep it as credit or retain it.") % {"amount": order.received_amount,
                                                              "currency": order.currency_id}
                raise ValidationFailed(msg, code="deposit_disposition_required",
                                       fields={"deposit_disposition": msg})
        else:
            deposit_disposition = ""
        production_orders_cancel_for_order(actor=actor, order=order, reason=reason)
        plan_close(order=order, actor=actor, cancelled=True, reason=reason)
        return _simple_transition(actor=actor, order_id=order_id, to=S.CANCELLED, reason=reason,
                                  extra={"cancel_reason": reason, "deposit_disposition": deposit_disposition},
                                  check=rules.cancel_check)


def order_close(*, actor: User, order_id: int, reason: str = "", expected_version: int | None = None
                ) -> SalesOrder:
    """Archive a completed order. A shipped but not fully paid order closes only by a manager,
    with the reason (e.g. a written-off short payment)."""
    require(actor, "sales.close_salesorder")
    with transaction.atomic():
        order = lock_order(actor, order_id)
        is_manager = actor.has_perm("sales.override_gate")
        check = rules.close_check(order, is_manager=is_manager)
        if check.code == "manager_only":
            raise NotAllowed(check.reason)
        if order.status == S.SHIPPED:
            reason = _require_reason(reason, _("closing an order that is not paid in full"))
        order = _simple_transition(actor=actor, order_id=order_id, to=S.CLOSED, reason=reason,
                                   extra={"closed_at": timezone.now()}, expected_version=expected_version,
                                   check=lambda o: rules.close_check(o, is_manager=is_manager))
        milestone_reached(order=order, key=Milestone.CLOSED, actor=actor)
        plan_close(order=order, actor=actor, cancelled=False)
        return order
