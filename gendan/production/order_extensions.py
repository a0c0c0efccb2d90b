"""What production plugs into a sales order: its production sub-state, the "release
production" action, and its reactions to the order's events. Registered in
``ProductionConfig.ready``.

- ``OrderCancelled`` → the open production orders are cancelled with the order's reason;
- ``OrderRevisionApplying`` → the open production orders making a changed line (all of them
  for a change in the order's header) are flagged, and named back on the event; the issued ones
  the change touches are re-issued as a new version (``services.versions``);
- "mark ready" (``sales.readiness``) → the production orders not finished, to show and to ask a
  reason for.
"""

from __future__ import annotations

from gendan.core.domain_events import subscribe
from gendan.production import substates
from gendan.production.selectors import production_unfinished
from gendan.production.services import (
    production_orders_cancel_for_order,
    production_orders_reissue_for_revision,
)
from gendan.production.services.release import release_check
from gendan.production.views import reack_panel
from gendan.sales import actions, panels, readiness
from gendan.sales.events import OrderCancelled, OrderRevisionApplying
from gendan.sales.models import SalesOrder


def on_order_cancelled(event: OrderCancelled) -> None:
    production_orders_cancel_for_order(actor=event.actor, order=event.order, reason=event.reason)


def on_order_revision_applying(event: OrderRevisionApplying) -> None:
    event.flagged.extend(production_orders_reissue_for_revision(
        actor=event.actor, order=event.order, revision=event.revision, line_nos=event.changed_lines,
        all_lines=event.header_changed))


def register() -> None:
    panels.register("production_reack", template="production/_order_reack_panel.html", context=reack_panel, rank=5)
    substates.register()
    actions.register("release_production", perm="sales.release_production", rank=60,
                     check=lambda user, order: release_check(order),
                     shown=lambda order, checks: order.status == SalesOrder.Status.CONFIRMED)
    readiness.register("production", production_unfinished)
    subscribe(OrderCancelled, on_order_cancelled)
    subscribe(OrderRevisionApplying, on_order_revision_applying)
