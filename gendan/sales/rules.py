"""Guards: may this action happen to this order now, and if not, why not.

The same predicate decides whether the page shows a button (with the reason when it
doesn't), what the API answers, and whether the service proceeds — guard once, use
everywhere. Reasons name the rule (gate) and what is missing, in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gendan.core.money import format_money
from gendan.sales.models import Confirmation, SalesOrder
from gendan.sales.terms import original_bl_requires_balance, shipment_requires_balance
from gendan.sales.workflows import can_transition

S = SalesOrder.Status


@dataclass(frozen=True)
class Check:
    allowed: bool
    reason: str = ""
    code: str = ""

    def __bool__(self) -> bool:
        return self.allowed


OK = Check(True)


def _no(code: str, reason: str) -> Check:
    return Check(False, reason, code)


def confirmations_missing(order: SalesOrder, revision_no: int) -> list[str]:
    """What the written-order gate still needs for ``revision_no`` (empty when complete)."""
    kinds = {c.kind for c in order.confirmations.all() if c.revision_no == revision_no}
    missing = []
    if Confirmation.Kind.WRITTEN not in kinds:
        missing.append(_("the customer's written order (PO / fax / email file)"))
    if Confirmation.Kind.VERBAL not in kinds:
        missing.append(_("a recorded phone confirmation (who, number, when, what)"))
    return missing


def confirm_check(order: SalesOrder) -> Check:
    if order.status != S.DRAFT:
        return _no("transition_not_allowed", _("Only a draft order can be confirmed."))
    missing = confirmations_missing(order, order.revision_no)
    if missing:
        return _no("gate_written_order",
                   _("Written-order rule: the order cannot be confirmed without %(missing)s.")
                   % {"missing": _(" and ").join(missing)})
    if order.total_amount <= 0:
        return _no("empty_order", _("The order has no quantity to confirm."))
    return OK


def deposit_received(order: SalesOrder) -> bool:
    return order.received_amount >= order.deposit_amount


def production_check(order: SalesOrder) -> Check:
    if not can_transition(order, S.IN_PRODUCTION):
        return _no("transition_not_allowed", _("Production can be released only for a confirmed order."))
    if order.production_gate_override or deposit_received(order):
        return OK
    return _no("gate_deposit", _(
        "Deposit rule: production cannot be released before finance confirms the deposit. "
        "Due %(due)s, received %(received)s, missing %(missing)s."
    ) % {"due": format_money(order.deposit_amount, order.currency_id),
         "received": format_money(order.received_amount, order.currency_id),
         "missing": format_money(order.deposit_amount - order.received_amount, order.currency_id)})


def balance_paid(order: SalesOrder) -> bool:
    return order.received_amount >= order.total_amount


def shipment_check(order: SalesOrder) -> Check:
    if order.status not in (S.IN_PRODUCTION, S.READY):
        return _no("transition_not_allowed", _("Only an order in production or ready can ship."))
    if not any(line.open_quantity > 0 for line in order.lines.all()):
        return _no("nothing_to_ship", _("Every line is already fully shipped."))
    if not shipment_requires_balance(order.payment_method) or order.shipment_gate_override or balance_paid(order):
        from gendan.quality.rules import final_inspection_check

        return final_inspection_check(order)
    return _no("gate_balance", _(
        "Balance rule: under “%(terms)s” goods are released only after full payment. "
        "Total %(total)s, received %(received)s, missing %(missing)s."
    ) % {"terms": order.get_payment_method_display(),
         "total": format_money(order.total_amount, order.currency_id),
         "received": format_money(order.received_amount, order.currency_id),
         "missing": format_money(order.total_amount - order.received_amount, order.currency_id)})


def original_bl_check(order: SalesOrder) -> Check:
    if order.original_bl_released_at:
        return _no("already_released", _("The original B/L has already been released."))
    if order.shipment_status == SalesOrder.ShipmentStatus.NOT_SHIPPED:
        return _no("not_shipped", _("Nothing has shipped yet."))
    if original_bl_requires_balance(order.payment_method) and not (
            balance_paid(order) or order.shipment_gate_override):
        return _no("gate_balance", _(
            "Balance rule: under “against copy of B/L” the original B/L is released only after the balance. "
            "Missing %(missing)s."
        ) % {"missing": format_money(order.total_amount - order.received_amount, order.currency_id)})
    return OK


def override_check(order: SalesOrder, gate: str) -> Check:
    if gate == "deposit":
        if order.production_gate_override:
            return _no("already_overridden", _("The deposit rule is already overridden for this order."))
        if order.status not in (S.CONFIRMED, S.ON_HOLD):
            return _no("transition_not_allowed", _("The deposit rule applies before production release."))
        if deposit_received(order):
            return _no("not_blocked", _("The deposit has been received; nothing to override."))
        return OK
    if gate == "balance":
        if order.shipment_gate_override:
            return _no("already_overridden", _("The balance rule is already overridden for this order."))
        if order.status in (S.DRAFT, S.CANCELLED, S.CLOSED, S.COMPLETED):
            return _no("transition_not_allowed", _("The balance rule applies to orders being produced or shipped."))
        if balance_paid(order):
            return _no("not_blocked", _("The order is paid in full; nothing to override."))
        if not shipment_requires_balance(order.payment_method) and not original_bl_requires_balance(
                order.payment_method):
            return _no("not_blocked", _("These payment terms allow shipment before the balance."))
        return OK
    if gate == "inspection":
        from gendan.quality.rules import final_inspection_passed

        if order.inspection_gate_override:
            return _no("already_overridden", _("The inspection rule is already overridden for this order."))
        if order.status not in (S.IN_PRODUCTION, S.READY):
            return _no("transition_not_allowed", _("The inspection rule applies to orders being produced or shipped."))
        if not order.requires_final_inspection or final_inspection_passed(order):
            return _no("not_blocked", _("No passed final inspection is missing; nothing to override."))
        return OK
    return _no("unknown_gate", _("Unknown rule."))


def ready_check(order: SalesOrder) -> Check:
    """Goods finished (or taken from stock): from a confirmed order this skips production
    release, so the deposit rule applies here too."""
    if not can_transition(order, S.READY):
        return simple_transition_check(order, S.READY)
    if order.status == S.CONFIRMED and not (order.production_gate_override or deposit_received(order)):
        return production_check(order)
    return OK


def cancel_check(order: SalesOrder) -> Check:
    check = simple_transition_check(order, S.CANCELLED)
    if check and order.shipment_status != SalesOrder.ShipmentStatus.NOT_SHIPPED:
        return _no("already_shipped", _("Goods of this order have shipped; it cannot be cancelled."))
    return check


def close_check(order: SalesOrder, *, is_manager: bool) -> Check:
    check = simple_transition_check(order, S.CLOSED)
    if check and order.status == S.SHIPPED and not is_manager:
        return _no("manager_only", _("Only a manager can close an order that is not paid in full."))
    return check


def resume_check(order: SalesOrder) -> Check:
    if order.status != S.ON_HOLD:
        return _no("transition_not_allowed", _("Only an order on hold can be resumed."))
    return OK


def revise_check(order: SalesOrder) -> Check:
    from gendan.sales.models import OrderRevision
    from gendan.sales.workflows import REVISABLE

    if order.status not in REVISABLE:
        return _no("not_revisable", _("A “%(status)s” order cannot be changed.") % {"status": order.get_status_display()})
    if any(r.status == OrderRevision.Status.PENDING for r in order.revisions.all()):
        return _no("revision_pending",
                   _("A change order is still waiting for the customer; apply or withdraw it first."))
    return OK


def confirmation_check(order: SalesOrder) -> Check:
    """May a customer confirmation be recorded now (for the draft or a pending change order)?"""
    from gendan.sales.models import OrderRevision

    if order.status == S.DRAFT or any(r.status == OrderRevision.Status.PENDING for r in order.revisions.all()):
        return OK
    return _no("nothing_to_confirm", _("Nothing on this order is waiting for the customer's confirmation."))


def simple_transition_check(order: SalesOrder, to: str) -> Check:
    if can_transition(order, to):
        return OK
    return _no("transition_not_allowed", _("An order that is “%(current)s” cannot become “%(target)s”.")
               % {"current": order.get_status_display(), "target": SalesOrder.Status(to).label})
