"""Error codes of sales orders: confirming, the order's own rules, change orders, PI / contract.

Besides these the order answers with core's codes (``core.errors.CoreError``): ``forbidden``,
``not_found``, ``conflict`` (stale ``version``), ``transition_not_allowed`` (the workflow
forbids the move: docs/workflows/sales-order.md), ``reason_required`` and ``validation_failed``;
and with the codes of the gates other apps plug into the order (``sales.gates``): finance's
``gate_deposit`` and ``gate_balance``, quality's ``gate_final_inspection``.
"""

from gendan.core.errors import ErrorCode, Kind


class SalesError(ErrorCode):
    # confirming
    GATE_WRITTEN_ORDER = "gate_written_order", Kind.GATE, (
        "the customer's written order and a recorded phone confirmation are both needed to confirm")
    EMPTY_ORDER = "empty_order", Kind.VALIDATION, "the order has no quantity to confirm"
    NOTHING_TO_CONFIRM = "nothing_to_confirm", Kind.STATE, (
        "neither the draft nor a change order is waiting for the customer's confirmation")
    USE_CHANGE_ORDER = "use_change_order", Kind.VALIDATION, (
        "a confirmed order is not edited directly: propose a change order")
    # gates and their overrides
    UNKNOWN_GATE = "unknown_gate", Kind.VALIDATION, "no such rule on the order (deposit, balance, inspection)"
    ALREADY_OVERRIDDEN = "already_overridden", Kind.STATE, "a manager already overrode this rule"
    NOT_BLOCKED = "not_blocked", Kind.STATE, "the rule does not hold the order back: nothing to override"
    MANAGER_ONLY = "manager_only", Kind.PERMISSION, "only a manager may close an order that is not paid in full"
    # shipping documents and cancelling
    ALREADY_RELEASED = "already_released", Kind.STATE, "the original B/L has already been released"
    NOT_SHIPPED = "not_shipped", Kind.STATE, "nothing has shipped yet"
    ALREADY_SHIPPED = "already_shipped", Kind.STATE, "goods of the order have shipped: it cannot be cancelled"
    DEPOSIT_DISPOSITION_REQUIRED = "deposit_disposition_required", Kind.VALIDATION, (
        "money was received: say whether it is refunded, kept as credit or retained")
    # change orders
    GATE_CHANGE = "gate_change", Kind.GATE, (
        "a change order takes effect only with the customer's written and phone confirmation of it")
    NOT_REVISABLE = "not_revisable", Kind.STATE, "the order's state does not allow a change order"
    REVISION_PENDING = "revision_pending", Kind.STATE, "a change order is already waiting for the customer"
    NOTHING_PENDING = "nothing_pending", Kind.STATE, "no change order is waiting"
    NO_CHANGE = "no_change", Kind.VALIDATION, "the proposed change order changes nothing"
    GATE_MONEY_TERMS = "gate_money_terms", Kind.GATE, (
        "the change order loosens the money terms (deposit, payment method, credit days, price, amount, currency): "
        "a manager or finance other than the proposer must approve it before it takes effect")
    OWN_CHANGE_ORDER = "own_change_order", Kind.PERMISSION, (
        "no one loosens a money rule alone: the person who proposed the change order cannot approve it")
    NO_APPROVAL_NEEDED = "no_approval_needed", Kind.STATE, (
        "the change order loosens no money term, or it is already approved: nothing to approve")
    # the customer's written order
    NOT_A_WRITTEN_ORDER = "not_a_written_order", Kind.VALIDATION, (
        "the written confirmation's file is not really a PDF, image, e-mail (.eml / .msg) or Office document "
        "(its content is checked, not its name)")
    # the order's size
    LARGE_AMOUNT_UNCONFIRMED = "large_amount_unconfirmed", Kind.VALIDATION, (
        "the total is above GENDAN_LARGE_ORDER_AMOUNT (about USD 10 million): send `confirm_large_amount: true` "
        "once it is checked")
    # PI and contract
    DOCUMENT_NOT_ISSUABLE = "document_not_issuable", Kind.VALIDATION, (
        "PI / contract are issued for confirmed orders (not once shipped and paid in full); the contract only for "
        "orders in CNY")
    REISSUE_UNCONFIRMED = "reissue_unconfirmed", Kind.VALIDATION, (
        "re-issuing replaces the current PI / contract: send `confirm_replace: true` once the message was read")


class QuotationError(ErrorCode):
    NOT_EDITABLE = "not_editable", Kind.STATE, "the quotation was sent: only a draft can be edited"
    QUOTATION_EXPIRED = "quotation_expired", Kind.STATE, (
        "the quotation is past its validity date: it can no longer be accepted; send a new one")
