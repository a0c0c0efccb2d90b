"""The order page's own sections as panels of its tabs (``sales.panels``): money, PI and
contract, shipments and files. Their templates read what ``order_page_context`` already holds
(prefetched by ``order_get_for_user``, each panel's
own rows only on its tab: ``prefetch=``); the counts read the same prefetched rows, except the
shipments (read on their tab only) and the files, counted with the other tabs' counts
(``panels.tabs_for``)."""

from __future__ import annotations

from gendan.documents.services import attachments_for
from gendan.sales import panels


def _shown(request, order) -> dict:
    return {}


def open_instalments(request, order) -> int:
    return sum(1 for item in order.plan_items.all() if not item.is_paid)


def current_documents(request, order) -> int:
    return sum(1 for document in order.documents.all() if document.is_current)


def shipments(request, order):
    return order.shipments.all()  # the rows on the shipments tab (prefetched), a count on the others


def files(request, order):
    return attachments_for(order)


def register_order_tabs() -> None:
    panels.register("sales_money", template="sales/_order_money.html", context=_shown, rank=30, tab="money",
                    count=open_instalments, prefetch=("payment_requests__requested_by", "allocations__receipt"))
    panels.register("sales_documents", template="sales/_order_documents.html", context=_shown, rank=10,
                    tab="documents", count=current_documents, prefetch=("documents__issued_by",))
    panels.register("sales_shipments", template="sales/_order_shipments.html", context=_shown, rank=10,
                    tab="shipments", count=shipments, prefetch=("shipments__lines__order_line",))
    panels.register("sales_files", template="sales/_order_files.html", context=_shown, rank=10, tab="files",
                    count=files)
