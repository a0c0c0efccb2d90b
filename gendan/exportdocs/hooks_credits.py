"""Registrations of the credits part (called from extensions.register in AppConfig.ready):
imports of models / views happen inside register(), when the apps are loaded.

- **credit gate** (``sales.gates.ORDER_GATES``, action ``ship``): an order paid by L/C ships
  only under a live credit that was examined workable (accepted) and has not expired
  (``credit_ship_check``). Not overridable: no order field holds such an override, and goods
  shipped without a workable credit are goods shipped without the bank's undertaking.
- **order panel** (``sales.panels``, rank 45): the order's credit, or "waiting for the L/C".
- **B/L consignee** (``shipping.services.bills.register_consignee_provider``): the wording the
  credit's 46A B/L note prescribes ("made out to order of <bank>" → "TO ORDER OF <BANK>").
"""

from __future__ import annotations


def register() -> None:
    from django.utils.translation import gettext_noop

    from gendan.core.gates import Gate
    from gendan.exportdocs import views_credits
    from gendan.exportdocs.selectors import credits as credit_selectors
    from gendan.sales import panels
    from gendan.sales.gates import ORDER_GATES, SHIP
    from gendan.shipping.services.bills import register_consignee_provider

    ORDER_GATES.register(Gate(key="credit", actions={SHIP}, check=credit_selectors.credit_ship_check,
                              label=gettext_noop("L/C rule"), blocked_q=credit_selectors.credit_blocked_q, rank=15))
    register_consignee_provider(credit_selectors.credit_consignee)
    panels.register("credit", template="exportdocs/credits/_order_panel.html",
                    context=views_credits.credit_order_panel, rank=45,
                    tab="documents", count=panels.shown_to("exportdocs.view_letterofcredit"))
