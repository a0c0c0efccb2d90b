"""Releasing a confirmed sales order to production: the order's confirmed → in production step.

The order's gates on a release (``sales.gates``, action ``release_production``: finance's
deposit rule) hold it back until they pass or a manager overrides them. One draft production
order is made per assignment (``drafts.production_orders_create_from_release``); the order
publishes ``OrderReleasedToProduction`` (the T&A completes "production released").
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError
from gendan.core.guards import Check, no, refuse, require
from gendan.production.services.drafts import production_orders_create_from_release
from gendan.sales.events import OrderReleasedToProduction
from gendan.sales.gates import ORDER_GATES, RELEASE_PRODUCTION
from gendan.sales.models import SalesOrder
from gendan.sales.services.orders import lock_order
from gendan.sales.services.substates import order_refresh_substates
from gendan.sales.workflows import ORDER

S = SalesOrder.Status


def release_check(order: SalesOrder) -> Check:
    """May ``order`` be released to production now (its state, then its gates)?"""
    if not ORDER.can(order, S.IN_PRODUCTION):
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("Production can be released only for a confirmed order."))
    return ORDER_GATES.check(RELEASE_PRODUCTION, order)


def order_release_production(
    *, actor: User, order_id: int, assignments: list[dict], expected_version: int | None = None
) -> SalesOrder:
    """Release a confirmed order to production: refused until the release's gates pass (finance
    has confirmed the deposit, unless a manager overrode the rule). Creates one production
    order per assignment::

        {"supplier": Supplier, "due_date": date, "lines": {order_line_id: quantity}}
    """
    require(actor, "sales.release_production")
    with transaction.atomic():
        order = lock_order(actor, order_id, expected_version=expected_version)
        refuse(release_check(order))
        created = production_orders_create_from_release(actor=actor, order=order, assignments=assignments)
        ORDER.move(order, S.IN_PRODUCTION)
        order.version += 1
        order_refresh_substates(order, actor=actor, also=("version",))  # saves the status and version too
        publish(OrderReleasedToProduction(actor=actor, order=order, production_orders=created,
                                          changes={"status": {"old": S.CONFIRMED, "new": S.IN_PRODUCTION}}))
    return order
