"""Sections other apps add to the sales order page (T&A plan, production, inspections…),
grouped in tabs with counts.

An app registers a panel in its ``AppConfig.ready``::

    panels.register("inspections", template="quality/_order_inspections.html", context=inspection_panel,
                    rank=45, tab="inspections", count=inspection_count)

``context(request, order) -> dict | None`` returns the template's context (``None``: the
panel is not shown, e.g. the user may not see it). The template receives ``order``,
``request`` and ``panel``. Keep each panel's queries bounded (no per-row queries).

**Tabs** (``TABS``, named here: overview, T&A, production, purchases, samples, inspections,
shipments, documents, money, communications, files): the order page shows the tab bar with every tab's
count and renders only the chosen tab's panels (``?tab=money``) — a panel's ``context`` runs
only when its tab is shown, and the order is read with what that tab's panels declare they
read of it (``prefetch=("allocations__receipt",)``, beyond what every tab reads: see
``sales.selectors.order_get_for_user``). ``count(request, order) -> int | None`` is cheap (one query, or
read from what the order's selector prefetched) — or a QuerySet (or a tuple of them, added up)
whose rows are the number: the tab bar counts all of those in one query; ``None`` means "nothing
of this panel for this user", and a tab whose panels all say so is left out of the bar. A panel
without a count function keeps its tab in the bar without adding to its number.

A panel's own actions (a T&A milestone done from the order page) answer a refusal with the
order's page as it stands — ``order_page(request, order)``, the panel showing the message —
without knowing how the sales app builds that page (it registers it: ``register_order_page``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.utils.translation import gettext_lazy as _

OVERVIEW = "overview"


@dataclass(frozen=True)
class Tab:
    key: str
    label: object  # lazy translation
    rank: int


# The tabs of the order page, in their order. Apps put panels in them by key.
TABS: dict[str, Tab] = {t.key: t for t in (
    Tab(OVERVIEW, _("Overview"), 0),
    Tab("plan", _("T&A"), 10),
    Tab("production", _("Production"), 20),
    Tab("purchases", _("Purchases"), 30),
    Tab("samples", _("Samples"), 40),  # 样品: samples and first articles
    Tab("inspections", _("Inspections"), 45),  # 验货
    Tab("shipments", _("Shipments"), 50),
    Tab("documents", _("Documents"), 60),
    Tab("money", _("Money"), 70),
    Tab("communications", _("Communications"), 80),
    Tab("files", _("Files"), 90),
)}


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable
    rank: int
    tab: str = OVERVIEW
    count: Callable | None = None
    aside: bool = False  # the overview's side column, above the timeline (the chatter)
    prefetch: tuple[str, ...] = ()  # what the panel reads of the order beyond what every tab reads


_PANELS: dict[str, Panel] = {}


def register(key: str, *, template: str, context: Callable, rank: int = 50, tab: str = OVERVIEW,
             count: Callable | None = None, aside: bool = False, prefetch: tuple[str, ...] = ()) -> None:
    if tab not in TABS:
        raise ValueError(f"Unknown order page tab {tab!r} for panel {key!r}: one of {', '.join(TABS)}.")
    _PANELS[key] = Panel(key, template, context, rank, tab, count, aside, tuple(prefetch))


def prefetches_for(tab: str | None) -> list[str]:
    """The order's relations the panels of ``tab`` (every tab: ``None``) declared they read
    (``prefetch=``), for ``sales.selectors.order_get_for_user``, in a stable order."""
    lookups: dict[str, None] = {}
    for panel in _sorted():
        if tab is None or panel.tab == tab:
            lookups.update(dict.fromkeys(panel.prefetch))
    return list(lookups)


_ORDER_PAGE: list[Callable] = []


def register_order_page(render: Callable) -> None:
    """The sales app's order page: ``render(request, order) -> HttpResponse``."""
    _ORDER_PAGE[:] = [render]


def order_page(request, order):
    """The order's page with every panel, as it stands (the caller sets the status)."""
    return _ORDER_PAGE[0](request, order)


def _sorted() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.rank, p.key))


def panels_for(request, order, *, tab: str | None = None) -> list[dict]:
    """The panels to show, in rank order: those of ``tab``, or every one (``tab=None``)."""
    shown = []
    for panel in _sorted():
        if tab is not None and panel.tab != tab:
            continue
        context = panel.context(request, order)
        if context is not None:
            shown.append({"key": panel.key, "template": panel.template, "context": context, "tab": panel.tab,
                          "aside": panel.aside})
    return shown


def tabs_for(request, order, *, current: str) -> list[dict]:
    """The tab bar: each tab with its count (``None``: nothing counted) and whether it is the
    one shown. One count call per counting panel — never one per row; the counts that are
    queries are read together, in one query."""
    present: set[str] = {OVERVIEW}
    values: list[tuple[str, object]] = []
    for panel in _sorted():
        if panel.count is None:
            present.add(panel.tab)
            continue
        value = panel.count(request, order)
        if value is None:
            continue
        present.add(panel.tab)
        values.append((panel.tab, value))
    counted = iter(_count_queries([value for _tab, value in values if not isinstance(value, int)], order))
    totals: dict[str, int | None] = {}
    for tab, value in values:
        number = value if isinstance(value, int) else next(counted)
        totals[tab] = (totals.get(tab) or 0) + int(number)
    return [{"key": t.key, "label": t.label, "count": totals.get(t.key), "current": t.key == current}
            for t in sorted(TABS.values(), key=lambda t: t.rank) if t.key in present or t.key == current]


def _count_queries(values: list, order) -> list[int]:
    """The number of rows of each QuerySet in ``values`` (a tuple: of its QuerySets, added up), in
    one query — ``SELECT (SELECT COUNT(*) FROM (…)), …``, each query compiled as it is, without
    the cloning and relabelling a Subquery expression would take; a QuerySet already read is
    counted as it is."""
    parts = [part for value in values for part in (value if isinstance(value, tuple) else (value,))]
    asked = [part for part in parts if part._result_cache is None and not part.query.is_empty()]
    if len(asked) == 1:
        numbers = [asked[0].count()]
    elif asked:
        columns, params = [], []
        for part in asked:
            try:
                sql, part_params = part.order_by().values("pk").query.get_compiler(using=part.db).as_sql()
            except EmptyResultSet:  # e.g. pk__in=[]: nothing to count
                columns.append("0")
                continue
            columns.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
            params.extend(part_params)
        with connections[asked[0].db].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(columns), params)
            numbers = list(cursor.fetchone())
    else:
        numbers = []
    read = iter(numbers)
    counts = {id(part): len(part) if part._result_cache is not None else 0 if part.query.is_empty() else next(read)
              for part in parts}
    return [sum(counts[id(part)] for part in value) if isinstance(value, tuple) else counts[id(value)]
            for value in values]


# Keys a tab had before: a link or bookmark with the old key still opens the tab it became.
TAB_ALIASES = {"quality": "inspections"}  # "samples & inspections", split in two (issue 11)


def tab_of(value: str | None) -> str:
    """The tab a request asks for (``?tab=``), the overview for anything unknown."""
    value = TAB_ALIASES.get(value, value)
    return value if value in TABS else OVERVIEW


def shown_to(perm: str) -> Callable:
    """A count function for a panel that adds nothing to its tab's number but keeps the tab
    in the bar for who holds ``perm`` (0), and out of it for the others (``None``)."""
    def count(request, order):
        return 0 if request.user.has_perm(perm) else None
    return count
