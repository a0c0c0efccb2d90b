"""The profit part's hooks: the estimate is written when the order is confirmed and rewritten
when a change order is applied (sales events, in the same transaction); the order page shows
the profit panel to roles that may see cost."""

from __future__ import annotations


def _on_confirmed(event) -> None:
    from gendan.payables.services.profit import profit_estimate

    profit_estimate(event.order, actor=event.actor)


def _on_revision_applied(event) -> None:
    from gendan.payables.services.profit import profit_estimate

    if event.order.confirmed_at:
        profit_estimate(event.order, actor=event.actor)


def register() -> None:
    from gendan.core.domain_events import subscribe
    from gendan.payables.views_profit import profit_order_panel
    from gendan.sales import panels
    from gendan.sales.events import OrderConfirmed, OrderRevisionApplied

    subscribe(OrderConfirmed, _on_confirmed)
    subscribe(OrderRevisionApplied, _on_revision_applied)
    panels.register("payables_profit", template="payables/_order_profit_panel.html", context=profit_order_panel,
                    rank=80)
