"""Registrations of the ledger part (called from ``extensions.register`` in AppConfig.ready):

- **due dates follow the facts**: when goods leave (``shipping.Shipped`` / ``OrderShipped``:
  the real ex-factory date) and when the carrier issues the B/L (``shipping.BillIssued``: the
  on-board date), the balance's due date is recomputed from its due rule
  (``finance.due_dates.balance_due_follow``; on the order's timeline, old → new);
- **order panel** (``sales.panels``, rank 35): the order's instalments, received, open, days overdue.
"""

from __future__ import annotations

from django.db.models import Max

from gendan.finance.due_dates import balance_due_follow
from gendan.shipping.models import Shipment


def on_shipping_facts(event) -> None:
    """The order's latest ex-factory and on-board dates, over its shipments that left."""
    order = event.order
    dates = (Shipment.objects.filter(order=order).exclude(status=Shipment.Status.CANCELLED)
             .aggregate(ex=Max("shipped_on"), on_board=Max("on_board_on")))
    if dates["ex"] is None and dates["on_board"] is None:
        return
    balance_due_follow(actor=event.actor, order=order, ex_factory=dates["ex"], on_board=dates["on_board"])


def register() -> None:
    # inside register(), like every part's registrations: the views import forms and templates' helpers
    from gendan.core.domain_events import subscribe
    from gendan.receivables import views_ledger
    from gendan.sales import panels
    from gendan.shipping.events import BillIssued, Shipped

    subscribe(Shipped, on_shipping_facts)  # OrderShipped too (a subclass)
    subscribe(BillIssued, on_shipping_facts)
    panels.register("receivables_ledger", template="receivables/ledger_order_panel.html",
                    context=views_ledger.ledger_order_panel, rank=35,
                    tab="money", count=panels.shown_to(views_ledger.VIEW))
