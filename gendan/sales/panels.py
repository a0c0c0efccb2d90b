"""Sections other apps add to the sales order page (T&A plan, production, inspections…).

An app registers a panel in its ``AppConfig.ready``::

    panels.register("quality", template="quality/_order_panel.html", context=inspection_panel, rank=40)

``context(request, order) -> dict | None`` returns the template's context (``None``: the
panel is not shown, e.g. the user may not see it). The order page includes each panel in
rank order below the lines; the template receives ``order``, ``request`` and ``panel``.
Keep each panel's queries bounded (no per-row queries).

A panel's own actions (a T&A milestone done from the order page) answer a refusal with the
order's page as it stands — ``order_page(request, order)``, the panel showing the message —
without knowing how the sales app builds that page (it registers it: ``register_order_page``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable
    rank: int


_PANELS: dict[str, Panel] = {}


def register(key: str, *, template: str, context: Callable, rank: int = 50) -> None:
    _PANELS[key] = Panel(key, template, context, rank)


_ORDER_PAGE: list[Callable] = []


def register_order_page(render: Callable) -> None:
    """The sales app's order page: ``render(request, order) -> HttpResponse``."""
    _ORDER_PAGE[:] = [render]


def order_page(request, order):
    """The order's page with every panel, as it stands (the caller sets the status)."""
    return _ORDER_PAGE[0](request, order)


def panels_for(request, order) -> list[dict]:
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.rank, p.key)):
        context = panel.context(request, order)
        if context is not None:
            shown.append({"key": panel.key, "template": panel.template, "context": context})
    return shown
