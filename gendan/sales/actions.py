"""Which actions a user may take on an order now, and why not.

Composed from the guards the services use (``sales.rules``, the document, revision and
payment-request checks), each behind the permission the service requires. The order page
uses it for its buttons and the API for ``allowed_actions``; the services re-check the same
guards under the row lock. Nothing here decides a rule; it only asks the rules.
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
    """Return ``{action: Check}`` for every action on the order.

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

    is_manager = user.has_perm("sales.override_gate")
    return {
        "update": guarded("sales.change_salesorder", editable),
        "record_confirmation": guarded("sales.confirm_salesorder", lambda: rules.confirmation_check(order)),
        "confirm": guarded("sales.confirm_salesorder", lambda: rules.confirm_check(order)),
        "request_deposit": guarded("sales.request_payment", lambda: _from_reason(
            payment_request_check(order, "deposit"), "request_not_possible")),
        "request_balance": guarded("sales.request_payment", lambda: _from_reason(
            payment_request_check(order, "balance"), "request_not_possible")),
        "release_production": guarded("sales.release_production", lambda: rules.production_check(order)),
        "mark_ready": guarded("sales.release_production", lambda: rules.ready_check(order)),
        "ship": guarded("sales.ship_salesorder", lambda: rules.shipment_check(order)),
        "release_original_bl": guarded("sales.ship_salesorder", lambda: rules.original_bl_check(order)),
        "hold": guarded("sales.close_salesorder", lambda: rules.simple_transition_check(order, S.ON_HOLD)),
        "resume": guarded("sales.close_salesorder", lambda: rules.resume_check(order)),
        "cancel": guarded("sales.close_salesorder", lambda: rules.cancel_check(order)),
        "close": guarded("sales.close_salesorder", lambda: rules.close_check(order, is_manager=is_manager)),
        "override_deposit": guarded("sales.override_gate", lambda: rules.override_check(order, "deposit")),
        "override_balance": guarded("sales.override_gate", lambda: rules.override_check(order, "balance")),
        "override_inspection": guarded("sales.override_gate", lambda: rules.override_check(order, "inspection")),
        "issue_pi": guarded("sales.confirm_salesorder", lambda: _from_reason(
            document_issue_check(order, "pi"), "document_not_issuable")),
        "issue_contract": guarded("sales.confirm_salesorder", lambda: _from_reason(
            document_issue_check(order, "contract"), "document_not_issuable")),
        "revise": guarded("sales.change_salesorder", lambda: rules.revise_check(order)),
        "apply_revision": guarded("sales.confirm_salesorder", lambda: revision_apply_check(order)),
        "withdraw_revision": guarded("sales.change_salesorder", lambda: _from_reason(
            "" if rules.revise_check(order).code == "revision_pending" else _("No change order is waiting."),
            "nothing_pending")),
    }
