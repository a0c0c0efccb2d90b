"""Links that apps above parties add to a supplier's page (shipping: a forwarder's bookings),
without parties importing them. An app registers when its views module is imported::

    links.register_supplier_link("bookings", forwarder_bookings_link)

``link(request, supplier) -> {"label": …, "url": …} | None`` (``None``: not shown).
"""

from __future__ import annotations

from collections.abc import Callable

_SUPPLIER_LINKS: dict[str, Callable] = {}


def register_supplier_link(key: str, link: Callable) -> None:
    _SUPPLIER_LINKS[key] = link


def supplier_links(request, supplier) -> list[dict]:
    return [found for _key, link in sorted(_SUPPLIER_LINKS.items())
            if (found := link(request, supplier)) is not None]
