"""Error codes of payables. Each part appends its own class below (append-only).

Besides these the app answers with core's ``transition_not_allowed``, ``conflict`` (stale
``version``), ``forbidden`` and ``validation_failed`` (``fields`` names the field).
"""

from gendan.core.errors import ErrorCode, Kind


class InvoicesError(ErrorCode):
    # --- invoices part: supplier invoices, VAT invoices, payments, supplier statements
    # (services/invoices.py, payments.py, statements.py) ---
    SUPPLIER_INVOICE_NO_TAKEN = "supplier_invoice_no_taken", Kind.VALIDATION, (
        "the supplier already has an invoice with this number")
    INVOICE_ABOVE_COST = "invoice_above_cost", Kind.VALIDATION, (
        "the invoices of a production order (or purchase order) exceed its cost beyond the tolerance; the "
        "message names both figures")
    INVOICE_TARGET = "invoice_target", Kind.VALIDATION, (
        "a production invoice names a production order of the supplier, a materials invoice a purchase order of "
        "the supplier, a service invoice a service kind; `fields` names what is missing")
    INVOICE_CURRENCY = "invoice_currency", Kind.VALIDATION, (
        "an invoice against an order is in the order's currency")
    INVOICE_NOT_OPEN = "invoice_not_open", Kind.STATE, (
        "the invoice is paid or cancelled: no payment, VAT invoice or cancel")
    INVOICE_PAID_CANNOT_CANCEL = "invoice_paid_cannot_cancel", Kind.STATE, (
        "an invoice with a payment recorded is not cancelled")
    VAT_NUMBER_TAKEN = "vat_number_taken", Kind.VALIDATION, (
        "a VAT special invoice number is recorded once (the message names the invoice that holds it)")
    VAT_ARITHMETIC = "vat_arithmetic", Kind.VALIDATION, (
        "a VAT invoice's tax is its net amount × rate, within one cent per the rounding rule")
    VAT_ABOVE_INVOICE = "vat_above_invoice", Kind.VALIDATION, (
        "the VAT invoices of a supplier invoice total more than the invoice")
    PAYMENT_ABOVE_INVOICE = "payment_above_invoice", Kind.VALIDATION, (
        "a payment above the invoice's open amount; the message names both")
    BALANCE_BEFORE_GOODS = "balance_before_goods", Kind.GATE, (
        "a factory's balance is paid only after its goods passed final inspection and were received; the message "
        "says what is missing; finance may override with a reason")
    STATEMENT_MONTH_OPEN = "statement_month_open", Kind.VALIDATION, (
        "a statement for a month not yet closed cannot be marked confirmed")
    STATEMENT_NOT_LIVE = "statement_not_live", Kind.STATE, (
        "the statement was replaced or is confirmed: no reply, reissue or send")
    STATEMENT_DISPUTES_OPEN = "statement_disputes_open", Kind.STATE, (
        "a disputed statement is confirmed only after every disputed line was settled")
    STATEMENT_LINE_UNKNOWN = "statement_line_unknown", Kind.VALIDATION, (
        "a disputed line names a line the statement does not hold; `fields` names it")
    STATEMENT_MONTH_FUTURE = "statement_month_future", Kind.VALIDATION, (
        "a statement is issued for the current month or an earlier one")
    STATEMENT_NO_RECIPIENT = "statement_no_recipient", Kind.VALIDATION, (
        "the supplier has no contact with an e-mail address to send the statement to")


class RebateError(ErrorCode):
    # --- rebates and profit part: export tax rebates, order costs and the profit
    # (services/rebates.py, services/profit.py) ---
    DECLARATION_NO_INVALID = "declaration_no_invalid", Kind.VALIDATION, (
        "a customs declaration no. (报关单号) is 18 digits")
    DECLARATION_NO_TAKEN = "declaration_no_taken", Kind.VALIDATION, (
        "another shipment's rebate already has this customs declaration no.")
    REBATE_SHIPMENT_NOT_SHIPPED = "rebate_shipment_not_shipped", Kind.STATE, (
        "a rebate is recorded for a shipment that has left the factory (shipped)")
    REBATE_EXISTS = "rebate_exists", Kind.STATE, "the shipment already has its rebate record"
    REBATE_VAT_MISSING = "rebate_vat_missing", Kind.STATE, (
        "a rebate is filed only when every factory's VAT invoice of the shipment's goods is in; the message "
        "names the factory and the production order")
    REBATE_AMOUNT_INVALID = "rebate_amount_invalid", Kind.VALIDATION, (
        "an amount is a positive number of CNY with at most 2 decimals, below 10^12; `fields` names it")
    ORDER_COST_INVALID = "order_cost_invalid", Kind.VALIDATION, (
        "an order cost: a known kind, a currency with a booked exchange rate, a positive amount; `fields` names it")
    NO_EXCHANGE_RATE = "no_exchange_rate", Kind.VALIDATION, (
        "no exchange rate is booked for the currency on or before the day (finance books it first)")
