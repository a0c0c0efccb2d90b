"""Registrations of the dunning and credit part (called from ``extensions.register`` in
``ReceivablesConfig.ready``; imports happen inside ``register()``, when the apps are loaded):

- the **credit hold** and **credit limit** gates on the sales order (``receivables/gates.py``);
- the order page's **credit panel** (``sales.panels``): the customer's hold, limit and exposure,
  and a manager's "approve over the limit" button.
"""

from __future__ import annotations


def register() -> None:
    from gendan.receivables import gates, views_credit
    from gendan.sales import panels

    gates.register()
    panels.register("customer_credit", template="receivables/credit/_order_panel.html",
                    context=views_credit.credit_order_panel, rank=44,
                    tab="money", count=panels.shown_to(views_credit.VIEW))
