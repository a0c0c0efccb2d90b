"""Error codes of receivables: each part appends its own class (ledger, dunning and credit, bank).

Besides these the app answers with core's ``conflict`` (stale ``version``), ``forbidden``,
``reason_required`` and ``validation_failed`` (``fields`` names the field).
"""

from gendan.core.errors import ErrorCode, Kind


class CreditError(ErrorCode):
    # --- dunning and credit part: credit hold, credit limit, dunning levels, disputes
    # (services/credit.py, services/dunning.py, services/disputes.py, gates.py) ---
    GATE_CREDIT_HOLD = "gate_credit_hold", Kind.GATE, (
        "the customer is on credit hold (last dunning level or finance): new orders are not confirmed, goods and "
        "original documents not released until finance lifts it")
    GATE_CREDIT_LIMIT = "gate_credit_limit", Kind.GATE, (
        "confirming the order takes the customer's exposure (open receivables + open orders + this order) over "
        "its credit limit, and no manager approved this order for that exposure")
    CREDIT_LIMIT_INVALID = "credit_limit_invalid", Kind.VALIDATION, (
        "a credit limit is an amount from 0 with a currency, or empty for no limit; `fields` names the field")
    ALREADY_ON_HOLD = "already_on_hold", Kind.STATE, "the customer is already on credit hold"
    NOT_ON_HOLD = "not_on_hold", Kind.STATE, "the customer is not on credit hold: nothing to lift"
    APPROVAL_NOT_NEEDED = "credit_approval_not_needed", Kind.STATE, (
        "the order is not a draft, or its customer has no credit limit: nothing to approve")
    APPROVER_IS_ORDER_OWNER = "approver_is_order_owner", Kind.PERMISSION, (
        "a credit-limit approval is given by a second person: not the order's merchandiser or creator")
    APPROVAL_BELOW_EXPOSURE = "approval_below_exposure", Kind.VALIDATION, (
        "an approval covers at least the order's exposure as it stands now")
    DUNNING_LEVELS_INVALID = "dunning_levels_invalid", Kind.VALIDATION, (
        "dunning levels: days overdue increase with the level, texts in both languages with known placeholders; "
        "`fields` names the level and field")
    DISPUTE_ABOVE_OPEN = "dispute_above_open", Kind.VALIDATION, (
        "the amount in dispute is more than the instalment's open amount not yet in dispute")
    DISPUTE_SETTLED = "dispute_settled", Kind.STATE, "the dispute is already settled"
    DUNNING_ALREADY_RUN = "dunning_already_run", Kind.STATE, "the dunning has already run today"


class BankError(ErrorCode):
    # --- bank statements part: import, proposals, confirm (bank_formats.py, services/bank.py) ---
    BANK_FILE_UNREADABLE = "bank_file_unreadable", Kind.VALIDATION, (
        "the bank statement file has an unknown layout or wrong rows; `fields.file` lists every problem with its row "
        "and field; nothing was saved")
    BANK_FILE_DUPLICATE = "bank_file_duplicate", Kind.VALIDATION, (
        "this very file (same SHA-256) was imported before")
    BANK_LINE_DECIDED = "bank_line_decided", Kind.STATE, (
        "the statement line was already recorded as a receipt or set aside (by someone else, or a second click)")
    BANK_LINE_NOT_SET_ASIDE = "bank_line_not_set_aside", Kind.STATE, (
        "only a statement line set aside can be reopened; a recorded one is undone by reversing its receipt")
    BANK_NO_EXISTING_RECEIPT = "bank_no_existing_receipt", Kind.VALIDATION, (
        "no receipt records the line's bank reference in its currency: nothing to link")


class LedgerError(ErrorCode):
    # --- ledger, statements and aging part (services/ledger.py, services/statements.py, services/aging.py) ---
    AGING_BOUNDS_INVALID = "aging_bounds_invalid", Kind.VALIDATION, (
        "aging buckets: whole numbers of days overdue, increasing, separated by commas (e.g. 30,60,90); "
        "`fields.bounds` says what is wrong")
    STATEMENT_PERIOD_INVALID = "statement_period_invalid", Kind.VALIDATION, (
        "a statement's period runs from a day to a later (or the same) day, at most 3 years, not after today; "
        "`fields` names the date")
    STATEMENT_NO_RECIPIENT = "statement_no_recipient", Kind.VALIDATION, (
        "the customer has no e-mail address (main contact, a contact or the customer's own): nothing to send to")
