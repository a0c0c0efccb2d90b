"""Quality gates and guards, used by the pages, the API and the services (this app's and others').

``first_article_check(production_order)`` — may mass production start? Registered on the
production order's start (``quality/production_gates.py``); the production app keeps the
manager's override. ``final_inspection_check(order)`` — may the goods ship? Registered on the
order's shipment (``quality/order_gates.py``). Transitions are asked of the workflow tables
(``quality.workflows``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.core.errors import CoreError
from gendan.core.guards import OK, Check, no
from gendan.quality.errors import QualityError
from gendan.quality.models import CheckResult, FirstArticle, Inspection, Sample
from gendan.quality.workflows import FIRST_ARTICLE, INSPECTION
from gendan.sales.models import SalesOrder

# The order's states in which inspections are booked and samples requested: confirmed and not shipped.
SHIPPABLE = {SalesOrder.Status.CONFIRMED, SalesOrder.Status.IN_PRODUCTION, SalesOrder.Status.READY}


def first_article_approved(production_order) -> bool:
    return FirstArticle.objects.filter(production_order=production_order,
                                       status=FirstArticle.Status.APPROVED).exists()


def first_article_check(production_order) -> Check:
    """Return whether ``production_order`` may go into mass production (first-article gate)."""
    if not production_order.sales_order.requires_first_article or first_article_approved(production_order):
        return OK
    open_one = FirstArticle.objects.filter(production_order=production_order,
                                           status=FirstArticle.Status.OPEN).first()
    if open_one is None:
        missing = _("no first article has been submitted yet")
    else:
        missing = ", ".join(filter(None, [
            "" if open_one.qc_signed_at else _("QC's signature"),
            "" if open_one.sales_signed_at else _("sales' signature"),
        ])) or _("the checklist is not complete")
        missing = _("first article #%(n)s still needs %(what)s") % {"n": open_one.round_no, "what": missing}
    return no(QualityError.GATE_FIRST_ARTICLE, _(
        "First article rule: order %(order)s needs an approved first article (首件确认) before mass "
        "production of %(po)s starts; %(missing)s.") % {
        "order": production_order.sales_order, "po": production_order, "missing": missing})


def final_inspection_passed(order) -> bool:
    return Inspection.objects.filter(sales_order=order, kind=Inspection.Kind.FINAL,
                                     status=Inspection.Status.PASSED).exists()


def final_inspection_check(order) -> Check:
    """Inspection gate: an order that requires it ships only after a passed final inspection
    (or a manager's override)."""
    if not order.requires_final_inspection or order.inspection_gate_override or final_inspection_passed(order):
        return OK
    latest = (Inspection.objects.filter(sales_order=order, kind=Inspection.Kind.FINAL).select_related("reinspection_of")
              .exclude(status=Inspection.Status.CANCELLED).order_by("-planned_on", "-id").first())
    if latest is None:
        state = _("no final inspection is booked")
    elif latest.status == Inspection.Status.BOOKED and latest.reinspection_of_id:
        state = _("final inspection %(failed)s failed; re-inspection %(no)s is booked for %(date)s") % {
            "failed": latest.reinspection_of, "no": latest.number, "date": latest.planned_on}
    elif latest.status == Inspection.Status.BOOKED:
        state = _("final inspection %(no)s is booked for %(date)s") % {"no": latest.number, "date": latest.planned_on}
    else:
        state = _("final inspection %(no)s failed") % {"no": latest.number}
    return no(QualityError.GATE_FINAL_INSPECTION, _(
        "Inspection rule: order %(order)s ships only after a passed final inspection; %(state)s.")
        % {"order": order, "state": state})


def inspection_book_check(order) -> Check:
    """Inspections are booked for confirmed orders that have not shipped."""
    if order.status in SHIPPABLE:
        return OK
    return no(QualityError.ORDER_NOT_OPEN, _(
        "Order %(order)s is “%(status)s”: inspections are booked for confirmed orders that have not shipped.")
        % {"order": order, "status": order.get_status_display()})


def sample_request_check(order) -> Check:
    """Samples are made for confirmed orders that have not shipped."""
    if order.status in SHIPPABLE:
        return OK
    return no(QualityError.ORDER_NOT_OPEN, _("Order %(order)s is “%(status)s”: samples are made for confirmed orders.")
              % {"order": order, "status": order.get_status_display()})


def inspection_result_check(inspection: Inspection) -> Check:
    if not INSPECTION.targets(inspection.status) & {Inspection.Status.PASSED, Inspection.Status.FAILED}:
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("Only a booked inspection can get a result."))
    return OK


def inspection_cancel_check(inspection: Inspection) -> Check:
    if not INSPECTION.can(inspection, Inspection.Status.CANCELLED):
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("Only a booked inspection can be cancelled."))
    return OK


def first_article_items_check(first_article: FirstArticle) -> Check:
    """The checklist is recorded while the first article is open and nobody has signed it."""
    if not FIRST_ARTICLE.can(first_article, FirstArticle.Status.APPROVED):
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("This first article is already “%(status)s”.")
                  % {"status": first_article.get_status_display()})
    if first_article.qc_signed_at or first_article.sales_signed_at:
        return no(QualityError.ALREADY_SIGNED,
                  _("The checklist was signed; reject it and open a new round to change it."))
    return OK


def first_article_sign_check(first_article: FirstArticle, side: str) -> Check:
    if not FIRST_ARTICLE.can(first_article, FirstArticle.Status.APPROVED):
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("This first article is already “%(status)s”.")
                  % {"status": first_article.get_status_display()})
    if (first_article.qc_signed_at if side == "qc" else first_article.sales_signed_at):
        return no(QualityError.ALREADY_SIGNED, _("Already signed."))
    items = list(first_article.items.all())
    pending = [i.topic for i in items if i.result == CheckResult.PENDING]
    if pending:
        return no(QualityError.CHECKLIST_INCOMPLETE, _(
            "First article rule: every check needs a result before signing; still open: %(items)s.")
            % {"items": ", ".join(pending)})
    failed = [i.topic for i in items if i.result == CheckResult.FAIL]
    if failed:
        return no(QualityError.CHECKLIST_FAILED, _(
            "First article rule: failed checks cannot be signed off (%(items)s); "
            "reject it and submit a new first article.") % {"items": ", ".join(failed)})
    return OK


def sample_shipping_warning(sample: Sample) -> str:
    """A shipping sample normally leaves after the final inspection passed: the warning, or ""."""
    if sample.kind != Sample.Kind.SHIPPING or final_inspection_passed(sample.sales_order):
        return ""
    return _("Shipping samples are normally sent after the final inspection passed; order %(order)s has no "
             "passed final inspection yet.") % {"order": sample.sales_order}
