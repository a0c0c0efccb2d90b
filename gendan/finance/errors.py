"""Error codes of finance: the money gates on an order, payment requests, receipts.

Besides these finance answers with core's codes (``core.errors.CoreError``): ``forbidden``
(only finance records and allocates money), ``not_found``, ``validation_failed`` (amounts,
dates, the bank reference) and ``invalid``.
"""

from gendan.core.errors import ErrorCode, Kind


class FinanceError(ErrorCode):
    # the gates finance plugs into the order (finance.gates)
    GATE_DEPOSIT = "gate_deposit", Kind.GATE, (
        "production cannot be released (or goods taken from stock) before finance confirms the deposit")
    GATE_BALANCE = "gate_balance", Kind.GATE, (
        "the payment terms release the goods (or the original B/L) only after the balance is received")
    # payment requests
    REQUEST_NOT_POSSIBLE = "request_not_possible", Kind.VALIDATION, (
        "no request can be sent now: the order is not confirmed, the instalment is paid or does not exist, "
        "or the customer has no email address")
    # receipts
    EXCHANGE_RATE_REQUIRED = "exchange_rate_required", Kind.VALIDATION, (
        "the receipt and the order are in different currencies: give the exchange rate")
    ORDER_NOT_CONFIRMED = "order_not_confirmed", Kind.VALIDATION, (
        "money is allocated to confirmed orders only: not to a draft, cancelled or closed order")
    OVERPAYMENT = "overpayment", Kind.VALIDATION, (
        "more than the order still owes; the rest stays on the receipt as the customer's credit")
    DUPLICATE_BANK_REFERENCE = "duplicate_bank_reference", Kind.VALIDATION, (
        "a receipt with this bank reference is already recorded for the account (currency): the same transfer "
        "is not recorded twice")
