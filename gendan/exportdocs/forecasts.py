"""The T&A's forecast, as the examination of a credit reads it (审证: latest shipment vs the
planned ETD "with the T&A's forecast"). The T&A lives on a floor above this app, so it registers
a provider here (``tracking/apps.py``) instead of being imported:

``register_etd_forecast(fn)`` — ``fn(order_ids) -> {order_id: date}``, the date each order's
ETD is now expected (one query for all the orders). ``etd_forecasts(orders)`` asks every
provider and keeps the latest date of each order; without a provider it answers ``{}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

EtdForecast = Callable[[list[int]], dict[int, dt.date]]
_providers: list[EtdForecast] = []


def register_etd_forecast(fn: EtdForecast) -> None:
    """Add a provider of forecast ETDs (registering the same function twice is a no-op)."""
    if fn not in _providers:
        _providers.append(fn)


def etd_forecasts(orders: Iterable) -> dict[int, dt.date]:
    """``{order_id: forecast ETD}`` for the ``orders`` (objects or ids) a provider knows."""
    ids = sorted({getattr(o, "pk", o) for o in orders})
    found: dict[int, dt.date] = {}
    if not ids:
        return found
    for provider in _providers:
        for order_id, day in provider(ids).items():
            if day is not None and (order_id not in found or day > found[order_id]):
                found[order_id] = day
    return found
