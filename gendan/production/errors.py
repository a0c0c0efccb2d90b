"""Error codes of production orders: the rules of each step (docs/workflows/production-order.md).

Besides these, production answers with core's codes (``core.errors.CoreError``): ``forbidden``
(the role may not, or the order is not the merchandiser's), ``not_found``, ``conflict`` (stale
``version``), ``transition_not_allowed`` (the workflow table forbids the step),
``reason_required`` and ``validation_failed``; and with the codes of the gates other apps
register on a production order's start (``production.gates``), e.g. quality's
``gate_first_article``.
"""

from gendan.core.errors import ErrorCode, Kind


class ProductionError(ErrorCode):
    # the draft
    NOT_EDITABLE = "not_editable", Kind.STATE, "the production order is issued: only a draft can be edited"
    OVER_ALLOCATED = "over_allocated", Kind.VALIDATION, (
        "more than the order line still has to allocate to production; more than ordered needs a change order")
    ORDER_NOT_IN_PRODUCTION = "order_not_in_production", Kind.STATE, (
        "production orders are added while the sales order is in production")
    FULLY_ALLOCATED = "fully_allocated", Kind.GATE, (
        "every ordered quantity is already on a production order; more needs a change order")
    # issue rules
    DUE_DATE_PAST = "due_date_past", Kind.GATE, "issue rule: the production order's due date is in the past"
    UNIT_COST_MISSING = "unit_cost_missing", Kind.GATE, "issue rule: outsourced work needs a unit cost on every line"
    SIGN_OFF_MISSING = "sign_off_missing", Kind.GATE, "issue rule: no department signs the production order off"
    DISTRIBUTION_MISSING = "distribution_missing", Kind.GATE, (
        "issue rule: no email address to send the issued production order to")
    # the first-article override
    ALREADY_OVERRIDDEN = "already_overridden", Kind.STATE, "the first-article rule is already overridden"
    NOTHING_TO_OVERRIDE = "nothing_to_override", Kind.STATE, (
        "no gate holds the production order's start back: nothing to override")
    # finish, resume, cancel
    SHORT_PRODUCTION = "short_production", Kind.GATE, (
        "not every line is produced: only a manager or the production planner finishes short, with a reason")
    ORDER_ON_HOLD = "order_on_hold", Kind.STATE, "the sales order is on hold: resume it first"
    ALREADY_PRODUCED = "already_produced", Kind.GATE, (
        "goods are already produced on the production order: finish it short instead of cancelling")
    # a change order's re-issue (a new version) and the factory's re-acknowledgement
    AWAITING_REACK = "awaiting_reack", Kind.STATE, (
        "the production order was re-issued by a change order: record the factory's re-acknowledgement first")
