"""The "Materials" panel of the sales order page."""

from __future__ import annotations

from gendan.purchasing.selectors import materials_panel
from gendan.sales import panels


def _context(request, order):
    return materials_panel(user=request.user, order=order)


def register_panels() -> None:
    panels.register("materials", template="purchasing/_order_panel.html", context=_context, rank=30)
