"""What the T&A does when a production order moves (``production.events``): the factory's
committed date becomes the forecast of "production finished", the first production order of
an order to start completes "production started", and the order's production being finished
completes "production finished" — in the same transaction, linked to the production order's
status-change row (``event.record``)."""

from __future__ import annotations

from django.db.models import Max
from django.utils.translation import gettext as _

from gendan.core.domain_events import subscribe
from gendan.production.events import ProductionFinished, ProductionOrderAccepted, ProductionStarted
from gendan.production.models import ProductionOrder
from gendan.sales.models import SalesOrder
from gendan.tracking.hooks import Milestone, milestone_forecast, milestone_reached


def on_production_order_accepted(event: ProductionOrderAccepted) -> None:
    """The latest committed due date of the order's (not cancelled) production orders is the
    forecast of "production finished"."""
    order, production_order = event.order, event.production_order
    latest = (order.production_orders.exclude(status=ProductionOrder.Status.CANCELLED)
              .exclude(committed_due_date=None).aggregate(d=Max("committed_due_date"))["d"])
    milestone_forecast(order=order, key=Milestone.PRODUCTION_FINISHED, actor=event.actor, on=latest,
                       reason=_("%(supplier)s committed to %(date)s for production order %(po)s") % {
                           "supplier": production_order.supplier.code, "date": event.committed_due_date,
                           "po": production_order.number})


def on_production_started(event: ProductionStarted) -> None:
    """The first production order of the order to start completes "production started"."""
    order, production_order = event.order, event.production_order
    others = order.production_orders.exclude(pk=production_order.pk).exclude(started_at=None)
    if not others.exists():
        milestone_reached(order=order, key=Milestone.PRODUCTION_STARTED, actor=event.actor, event=event.record)


def on_production_finished(event: ProductionFinished) -> None:
    """The order's production finished (every production order finished, every quantity held)
    completes "production finished"."""
    if event.order.production_status == SalesOrder.ProductionStatus.FINISHED:
        milestone_reached(order=event.order, key=Milestone.PRODUCTION_FINISHED, actor=event.actor,
                          event=event.record)


subscribe(ProductionOrderAccepted, on_production_order_accepted)
subscribe(ProductionStarted, on_production_started)
subscribe(ProductionFinished, on_production_finished)
