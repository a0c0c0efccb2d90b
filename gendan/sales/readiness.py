"""What is not finished when an order is marked ready to ship: an extension point the apps that
make the goods fill, so the order never imports them (the one-way house).

Production registers, in its ``AppConfig.ready``, the function that lists the order's
production orders not finished (on hold, produced less than ordered)::

    readiness.register("production", production_unfinished)

``order_mark_ready`` asks ``unfinished_work(order)``: with something unfinished, the order may
still be marked ready (goods from stock, a factory that has shipped but not reported), but only
with a reason, which goes on the timeline with the list. The order's page shows the same list
beside the button.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Unfinished:
    """One thing making the goods that is not finished: a production order, say."""

    what: str  # its number (and who makes it)
    status: str  # its status, in the active language
    done: Decimal  # produced so far
    total: Decimal  # ordered


_PROVIDERS: dict[str, Callable] = {}


def register(key: str, provider: Callable) -> None:
    """Add (or replace, when ``ready()`` runs twice) ``provider(order) -> list[Unfinished]``."""
    _PROVIDERS[key] = provider


def unfinished_work(order) -> list[Unfinished]:
    """Everything the registered apps report unfinished for ``order``."""
    return [item for key in sorted(_PROVIDERS) for item in _PROVIDERS[key](order)]


def _quantity(value: Decimal) -> str:
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return number_format(value, force_grouping=True)


def unfinished_text(items: list[Unfinished]) -> str:
    """The list as one line in the active language: "PO-1 (Factory): on hold, 0 of 3,056 produced; …"."""
    return "; ".join(_("%(what)s: %(status)s, %(done)s of %(total)s produced") % {
        "what": item.what, "status": item.status, "done": _quantity(item.done), "total": _quantity(item.total)}
        for item in items)
