"""What quality plugs into a sales order: the final-inspection gate and the order's quality
defaults. Registered in ``QualityConfig.ready``.

- **inspection** (``sales.gates.ORDER_GATES``, action ``ship``): an order that requires it ships
  only after a passed final inspection (``quality.rules.final_inspection_check``); a manager
  may override it with a written reason (``inspection_gate_override``).
- **defaults** (``sales.defaults``): a new order requires a final inspection / a first article
  as the customer's quality profile says.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gendan.core.errors import CoreError
from gendan.core.gates import Gate
from gendan.core.guards import OK, Check, no
from gendan.quality.models import Inspection, QualityProfile
from gendan.quality.rules import final_inspection_check, final_inspection_passed
from gendan.sales import defaults
from gendan.sales.errors import SalesError
from gendan.sales.gates import ORDER_GATES, SHIP
from gendan.sales.models import SalesOrder

S = SalesOrder.Status


def inspection_override_check(order: SalesOrder) -> Check:
    if order.inspection_gate_override:
        return no(SalesError.ALREADY_OVERRIDDEN, _("The inspection rule is already overridden for this order."))
    if order.status not in (S.IN_PRODUCTION, S.READY):
        return no(CoreError.TRANSITION_NOT_ALLOWED,
                  _("The inspection rule applies to orders being produced or shipped."))
    if not order.requires_final_inspection or final_inspection_passed(order):
        return no(SalesError.NOT_BLOCKED, _("No passed final inspection is missing; nothing to override."))
    return OK


def inspection_blocked_q() -> Q:
    """``final_inspection_check`` as a filter: orders in production or ready that require a
    passed final inspection, have none and no override."""
    passed = Inspection.objects.filter(sales_order=OuterRef("pk"), kind=Inspection.Kind.FINAL,
                                       status=Inspection.Status.PASSED)
    return Q(status__in=[S.IN_PRODUCTION, S.READY], requires_final_inspection=True,
             inspection_gate_override=False) & ~Q(Exists(passed))


def quality_defaults(order: SalesOrder, customer) -> None:
    """The quality gates a new order gets unless entered: the customer's quality profile."""
    profile = QualityProfile.objects.filter(customer=customer).first()
    if profile is not None:
        order.requires_final_inspection = profile.requires_final_inspection
        order.requires_first_article = profile.requires_first_article


def register() -> None:
    ORDER_GATES.register(Gate(
        key="inspection", actions={SHIP}, check=final_inspection_check, label=gettext_noop("inspection rule"),
        override_field="inspection_gate_override", override_check=inspection_override_check,
        blocked_q=inspection_blocked_q, rank=20))
    defaults.register("quality", quality_defaults)
