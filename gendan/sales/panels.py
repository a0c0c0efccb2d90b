"""Sections other apps add to the sales order page (T&A plan, production, inspections…).

An app registers a panel in its ``AppConfig.ready``::

    panels.register("quality", template="quality/_order_panel.html", context=inspection_panel, rank=40)

``context(request, order) -> dict | None`` returns the template's context (``None``: the
panel is not shown, e.g. the user may not see it). The order page includes each panel in
rank order below the lines; the template receives ``order``, ``request`` and ``panel``.
Keep each panel's queries bounded (no per-row queries).
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


def panels_for(request, order) -> list[dict]:
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.rank, p.key)):
        context = panel.context(request, order)
        if context is not None:
            shown.append({"key": panel.key, "template": panel.template, "context": context})
    return shown
