"""The profit part's hooks: the estimate is written when the order is confirmed and rewritten
when a change order is applied (sales events, in the same transaction); the order page shows
the profit panel to roles that may see cost."""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger("gendan.payables")


def _estimate(event) -> None:
    """Write the estimate in a savepoint: a figure it cannot compute (an amount beyond what the
    columns hold) is logged and the order's confirmation goes on — the panel then shows no estimate."""
    from gendan.payables.services.profit import profit_estimate

    try:
        with transaction.atomic():
            profit_estimate(event.order, actor=event.actor)
    except (ArithmeticError, ValueError) as exc:
        log.warning("order %s: profit not estimated: %s", event.order.pk, exc)


def _on_confirmed(event) -> None:
    _estimate(event)


def _on_revision_applied(event) -> None:
    if event.order.confirmed_at:
        _estimate(event)


def register() -> None:
    from gendan.core.domain_events import subscribe
    from gendan.payables.views_profit import profit_order_count, profit_order_panel
    from gendan.sales import panels
    from gendan.sales.events import OrderConfirmed, OrderRevisionApplied

    subscribe(OrderConfirmed, _on_confirmed)
    subscribe(OrderRevisionApplied, _on_revision_applied)
    panels.register("payables_profit", template="payables/_order_profit_panel.html", context=profit_order_panel,
                    rank=80, tab="money", count=profit_order_count)
