"""The "Progress" panel on the sales order page: % done per production order and stage."""

from __future__ import annotations

from gendan.planning.selectors import order_progress


def progress_panel(request, order) -> dict | None:
    if not request.user.has_perm("planning.view_progressentry"):
        return None
    rows = order_progress(order)
    return {"rows": rows} if rows else None
