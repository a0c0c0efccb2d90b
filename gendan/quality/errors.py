"""Error codes of quality: inspections, first articles, samples and the rules quality puts on
orders and production orders (docs/workflows/inspection.md, samples-and-first-article.md).

Besides these, quality answers with core's codes (``core.errors.CoreError``): ``forbidden``,
``not_found``, ``conflict`` (stale ``version``), ``transition_not_allowed`` (the workflow
table forbids the move), ``reason_required``, ``invalid_date`` and ``validation_failed``.
"""

from gendan.core.errors import ErrorCode, Kind


class QualityError(ErrorCode):
    # the gates quality registers on other apps' actions
    GATE_FIRST_ARTICLE = "gate_first_article", Kind.GATE, (
        "mass production of the production order waits for its approved first article (首件确认)")
    GATE_FINAL_INSPECTION = "gate_final_inspection", Kind.GATE, (
        "the order ships only after a passed final inspection (or a manager's override)")
    # inspections and samples of an order
    ORDER_NOT_OPEN = "order_not_open", Kind.STATE, (
        "inspections and samples are booked for confirmed orders that have not shipped")
    ALREADY_BOOKED = "already_booked", Kind.STATE, (
        "an inspection of that kind is already booked: enter its result or cancel it first")
    DEFECTS_EXCEED_SAMPLE = "defects_exceed_sample", Kind.VALIDATION, "more defects than pieces inspected"
    # first articles
    NOT_OPEN = "not_open", Kind.STATE, "the production order is finished, closed or cancelled: no first article"
    ALREADY_OPEN = "already_open", Kind.STATE, (
        "the production order already has a first article being checked or approved")
    ALREADY_SIGNED = "already_signed", Kind.STATE, (
        "already signed (first article: by that side; sample round: by that department)")
    CHECKLIST_INCOMPLETE = "checklist_incomplete", Kind.GATE, (
        "first article rule: every check needs a result before signing")
    CHECKLIST_FAILED = "checklist_failed", Kind.GATE, (
        "first article rule: a failed check cannot be signed off; reject it and open the next round")
    # samples
    NOT_RECEIVED = "not_received", Kind.STATE, (
        "the sample round's receipt is not recorded yet; the three working days for comments count from it")
    NO_ENGINEERING_SIGNOFF = "engineering_not_needed", Kind.VALIDATION, (
        "engineering signs off only a sample that needs it (the sample's `needs_engineering`)")
