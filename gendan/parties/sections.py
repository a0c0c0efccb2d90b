"""Sections higher apps add to the customer's page, grouped in tabs with counts (parties stands
on floor 3 and never imports them): the orders (sales), the open money (receivables), the
communications (tracking). Like ``sales.panels`` for the order page, an app registers in its
``AppConfig.ready``::

    sections.register("orders", template="sales/_customer_orders.html", context=orders_section,
                      tab="orders", count=open_orders_count)

``context(request, customer) -> dict | None`` (``None``: not shown to this user) runs only when
its tab is shown; ``count(request, customer) -> int | None`` is one cheap query (``None``:
the user may not see it — the tab is left out of the bar).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

OVERVIEW = "overview"


@dataclass(frozen=True)
class Tab:
    key: str
    label: object
    rank: int


TABS: dict[str, Tab] = {t.key: t for t in (
    Tab(OVERVIEW, _("Overview"), 0),
    Tab("orders", _("Orders"), 10),
    Tab("money", _("Open money"), 20),
    Tab("communications", _("Communications"), 30),
)}


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable
    rank: int
    tab: str
    count: Callable | None


_SECTIONS: dict[str, Section] = {}


def register(key: str, *, template: str, context: Callable, tab: str, rank: int = 50,
             count: Callable | None = None) -> None:
    if tab not in TABS:
        raise ValueError(f"Unknown customer page tab {tab!r} for section {key!r}: one of {', '.join(TABS)}.")
    _SECTIONS[key] = Section(key, template, context, rank, tab, count)


def tab_of(value: str | None) -> str:
    return value if value in TABS else OVERVIEW


def sections_for(request, customer, *, tab: str) -> list[dict]:
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.rank, s.key)):
        if section.tab != tab:
            continue
        context = section.context(request, customer)
        if context is not None:
            shown.append({"key": section.key, "template": section.template, "context": context})
    return shown


def tabs_for(request, customer, *, current: str) -> list[dict]:
    """The tab bar; a tab's count is the sum of its sections' counts (one query each)."""
    totals: dict[str, int | None] = {}
    for section in _SECTIONS.values():
        value = section.count(request, customer) if section.count else 0
        if value is not None:
            totals[section.tab] = (totals.get(section.tab) or 0) + int(value)
    return [{"key": t.key, "label": t.label, "count": totals.get(t.key), "current": t.key == current}
            for t in sorted(TABS.values(), key=lambda t: t.rank) if t.key == OVERVIEW or t.key in totals]
