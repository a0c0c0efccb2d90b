"""The "Materials" panel of the sales order page."""

from __future__ import annotations

from gendan.purchasing.selectors import materials_open, materials_panel
from gendan.sales import panels


def _context(request, order):
    return materials_panel(user=request.user, order=order)


def _count(request, order):
    """The order page's "purchases" tab: materials not yet received (counted with the other tabs')."""
    return materials_open(user=request.user, order=order)


def register_panels() -> None:
    panels.register("materials", template="purchasing/_order_panel.html", context=_context, rank=30, tab="purchases",
                    count=_count)
