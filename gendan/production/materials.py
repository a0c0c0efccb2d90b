"""When a production order's materials are expected: an extension point the purchasing app
fills (``purchasing.readiness``), so the production schedule (planning, beside purchasing on
the same floor) can warn when work is planned to start before its materials arrive, without
either app importing the other.

A provider is ``(production_order_ids) -> {id: MaterialsDue}``; with none registered every
production order reads as "nothing known" and no warning is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class MaterialsDue:
    open_count: int  # materials not yet fully received
    latest_eta: dt.date | None  # the latest ETA among them (None: none has one)
    without_eta: int  # open materials with no ETA at all

    def late_for(self, start: dt.date) -> bool:
        """Work planned to start on ``start`` would wait for materials."""
        return self.open_count > 0 and (self.without_eta > 0 or (self.latest_eta is not None
                                                                  and self.latest_eta > start))


_PROVIDERS: list[Callable[[list[int]], dict[int, MaterialsDue]]] = []


def register(provider: Callable[[list[int]], dict[int, MaterialsDue]]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def materials_due(production_order_ids: Iterable[int]) -> dict[int, MaterialsDue]:
    ids = sorted(set(production_order_ids))
    found: dict[int, MaterialsDue] = {}
    if not ids:
        return found
    for provider in _PROVIDERS:
        found.update(provider(ids))
    return found
