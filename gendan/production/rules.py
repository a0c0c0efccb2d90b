"""Guards of the production order: may this step happen now, and if not, why not.

The production order's page uses them for its buttons (disabled with the reason), the API for
its ``allowed_actions``, and the services re-check them under the row lock. Transitions are
asked of the workflow table (``production.workflows``); the rules that other apps own (the
first article, quality) are asked of the gate set (``production.gates``). ``production_order``
should have its lines prefetched (``selectors.production_order_get_for_user``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.errors import CoreError
from gendan.core.guards import OK, Check, no
from gendan.production.errors import ProductionError
from gendan.production.gates import PRODUCTION_GATES, START
from gendan.production.models import ProductionOrder
from gendan.production.workflows import BEFORE_START, EDITABLE, PRODUCTION_ORDER
from gendan.sales.models import SalesOrder

P = ProductionOrder.Status


def edit_check(production_order: ProductionOrder) -> Check:
    if production_order.status in EDITABLE:
        return OK
    return no(ProductionError.NOT_EDITABLE, _(
        "Production order %(po)s is issued: only a draft can be edited. "
        "Put it on hold or cancel it and add a new one.") % {"po": production_order})


def issue_check(production_order: ProductionOrder, *, today: dt.date | None = None) -> Check:
    """Ready to send: a due date ahead, costs for outsourced work, sign-off and somebody to send it to."""
    refused = PRODUCTION_ORDER.check(production_order, P.ISSUED)
    if not refused:
        return refused
    today = today or timezone.localdate()
    if production_order.due_date < today:
        return no(ProductionError.DUE_DATE_PAST, _("Issue rule: the due date %(due)s is in the past; give a new one.")
                  % {"due": production_order.due_date})
    lines = list(production_order.lines.all())
    if production_order.kind == ProductionOrder.Kind.OUTSOURCED:
        missing = [str(line.order_line.line_no) for line in lines if line.unit_cost is None]
        if missing:
            return no(ProductionError.UNIT_COST_MISSING, _(
                "Issue rule: outsourced work needs a unit cost on every line (missing on line %(lines)s).")
                % {"lines": ", ".join(missing)})
    if not production_order.sign_off:
        return no(ProductionError.SIGN_OFF_MISSING, _("Issue rule: choose the departments that sign the order off."))
    if not production_order.email_recipients:
        return no(ProductionError.DISTRIBUTION_MISSING, _(
            "Issue rule: give at least one email address to send the production order to."))
    return OK


def _awaiting_reack(production_order: ProductionOrder) -> Check:
    """A re-issued version leaves the awaiting state only through the factory's re-acknowledgement."""
    if production_order.status == P.AWAITING_REACK:
        return no(ProductionError.AWAITING_REACK, _(
            "Production order %(po)s was re-issued as version %(n)d: record the factory's re-acknowledgement "
            "first.") % {"po": production_order, "n": production_order.doc_version})
    return OK


def accept_check(production_order: ProductionOrder) -> Check:
    return _awaiting_reack(production_order) and PRODUCTION_ORDER.check(production_order, P.ACCEPTED)


def reack_check(production_order: ProductionOrder) -> Check:
    """The factory's answer to a re-issued version is recorded while the order waits for it."""
    if production_order.status != P.AWAITING_REACK:
        return no(CoreError.TRANSITION_NOT_ALLOWED, _(
            "Production order %(po)s is not waiting for a re-acknowledgement.") % {"po": production_order})
    return OK


def first_article(production_order: ProductionOrder) -> Check:
    """The gates on the start of mass production that other apps registered (quality's
    first-article rule), unless a manager overrode them for this order."""
    return PRODUCTION_GATES.check(START, production_order)


def start_check(production_order: ProductionOrder) -> Check:
    refused = _awaiting_reack(production_order) and PRODUCTION_ORDER.check(production_order, P.IN_PRODUCTION)
    if not refused:
        return refused
    return first_article(production_order)


def override_first_article_check(production_order: ProductionOrder) -> Check:
    """A manager's way past the first-article rule: only while it is what holds the start back."""
    if production_order.status not in BEFORE_START:
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("The first-article rule is overridden before production starts."))
    if production_order.first_article_override:
        return no(ProductionError.ALREADY_OVERRIDDEN, _("The first-article rule is already overridden for this order."))
    if first_article(production_order):
        return no(ProductionError.NOTHING_TO_OVERRIDE, _("The first-article rule does not hold this order back."))
    return OK


def short_lines(production_order: ProductionOrder) -> list[str]:
    """``"line 2: 600 of 1000"`` for each line not fully produced."""
    return [_("line %(n)d: %(produced)s of %(qty)s") % {
        "n": line.order_line.line_no, "produced": _qty(line.produced_quantity), "qty": _qty(line.quantity)}
        for line in production_order.lines.all() if line.produced_quantity < line.quantity]


def _qty(value) -> str:
    return f"{value.normalize():f}"


def finish_check(production_order: ProductionOrder) -> Check:
    """Finished when every line is produced; short of that, code ``short_production`` (a manager
    or planner may finish short with a reason)."""
    refused = PRODUCTION_ORDER.check(production_order, P.FINISHED)
    if not refused:
        return refused
    short = short_lines(production_order)
    if short:
        return no(ProductionError.SHORT_PRODUCTION, _(
            "Not all produced yet (%(lines)s). Finishing short needs a reason.") % {"lines": "; ".join(short)})
    return OK


def close_check(production_order: ProductionOrder) -> Check:
    return PRODUCTION_ORDER.check(production_order, P.CLOSED)


def hold_check(production_order: ProductionOrder) -> Check:
    return PRODUCTION_ORDER.check(production_order, P.ON_HOLD)


def resume_target(production_order: ProductionOrder) -> str:
    """The state a production order on hold resumes to: the one it was held from."""
    return production_order.held_from or P.ISSUED


def resume_check(production_order: ProductionOrder) -> Check:
    if production_order.status != P.ON_HOLD:
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("Only a production order on hold can resume."))
    if production_order.sales_order.status == SalesOrder.Status.ON_HOLD:
        return no(ProductionError.ORDER_ON_HOLD, _("Sales order %(order)s is on hold: resume the order first.")
                  % {"order": production_order.sales_order})
    return PRODUCTION_ORDER.check(production_order, resume_target(production_order))


def cancel_check(production_order: ProductionOrder) -> Check:
    refused = PRODUCTION_ORDER.check(production_order, P.CANCELLED)
    if not refused:
        return refused
    if any(line.produced_quantity > 0 for line in production_order.lines.all()):
        return no(ProductionError.ALREADY_PRODUCED, _(
            "Goods are already produced on this order: finish it short with a reason instead of cancelling."))
    return OK


def add_check(order: SalesOrder, unallocated: dict[int, object]) -> Check:
    """May another production order be added to ``order`` (for the quantity not yet allocated)?"""
    if order.status != SalesOrder.Status.IN_PRODUCTION:
        return no(ProductionError.ORDER_NOT_IN_PRODUCTION, _(
            "Production orders are added while the sales order is in production (it is “%(status)s”).")
            % {"status": order.get_status_display()})
    if not any(qty > 0 for qty in unallocated.values()):
        return no(ProductionError.FULLY_ALLOCATED, _(
            "Every ordered quantity is already on a production order; more than ordered needs a change order."))
    return OK
