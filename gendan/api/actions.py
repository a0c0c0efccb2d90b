"""Which actions a user may take on an order now, and why not — composed from the guards the
services use (``sales.rules``, the document and payment-request checks), each behind the
permission the service requires. Nothing here decides a rule; it only asks the rules.

Belongs next to ``sales.rules`` (pages will need the same answer for their buttons); it lives
here until the sales app offers it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.finance.services import payment_request_check
from gendan.sales import rules
from gendan.sales.models import SalesOrder
from gendan.sales.services.documents import document_issue_check
from gendan.sales.services.revisions import revision_apply_check
from gendan.sales.workflows import EDITABLE

S = SalesOrder.Status


def _from_reason(reason: str, code: str) -> rules.Check:
    return rules.Check(False, reason, code) if reason else rules.OK


def order_actions(*, user: User, order: SalesOrder) -> dict[str, rules.Check]:
    """Return ``{action: Check}`` for the order's actions (the API's action URLs, underscored).

    ``order`` should come from ``order_get_for_user`` (its prefetches are used)."""

    def guarded(perm: str, check) -> rules.Check:
        if not user.has_perm(perm):
            return rules.Check(False, _("Your role may not do this (%(perm)s).") % {"perm": perm}, "forbidden")
        return check()

    def editable() -> rules.Check:
        if order.status in EDITABLE:
            return rules.OK
        return rules.Check(False, _(
            "Order %(order)s is confirmed: changes need a change order, which the customer confirms."
        ) % {"order": order}, "use_change_order")

    def resumable() -> rules.Check:
        if order.status == S.ON_HOLD:
            return rules.OK
        return rules.Check(False, _("Only an order on hold can be resumed."), "transition_not_allowed")

    return {
        "update": guarded("sales.change_salesorder", editable),
        "confirm": guarded("sales.confirm_salesorder", lambda: rules.confirm_check(order)),
        "request_deposit": guarded("sales.request_payment", lambda: _from_reason(
            payment_request_check(order, "deposit"), "request_not_possible")),
        "request_balance": guarded("sales.request_payment", lambda: _from_reason(
            payment_request_check(order, "balance"), "request_not_possible")),
        "release_production": guarded("sales.release_production", lambda: rules.production_check(order)),
        "mark_ready": guarded("sales.release_production", lambda: rules.simple_transition_check(order, S.READY)),
        "ship": guarded("sales.ship_salesorder", lambda: rules.shipment_check(order)),
        "release_original_bl": guarded("sales.ship_salesorder", lambda: rules.original_bl_check(order)),
        "hold": guarded("sales.close_salesorder", lambda: rules.simple_transition_check(order, S.ON_HOLD)),
        "resume": guarded("sales.close_salesorder", resumable),
        "cancel": guarded("sales.close_salesorder", lambda: rules.simple_transition_check(order, S.CANCELLED)),
        "close": guarded("sales.close_salesorder", lambda: rules.simple_transition_check(order, S.CLOSED)),
        "override_deposit": guarded("sales.override_gate", lambda: rules.override_check(order, "deposit")),
        "override_balance": guarded("sales.override_gate", lambda: rules.override_check(order, "balance")),
        "issue_pi": guarded("sales.confirm_salesorder", lambda: _from_reason(
            document_issue_check(order, "pi"), "document_not_issuable")),
        "issue_contract": guarded("sales.confirm_salesorder", lambda: _from_reason(
            document_issue_check(order, "contract"), "document_not_issuable")),
        "apply_revision": guarded("sales.confirm_salesorder", lambda: revision_apply_check(order)),
    }
