"""The order's derived sub-states, computed by the apps that own what they follow.

An order's payment, production and shipment statuses are never typed in: they follow the
money allocated to it, its production orders and its shipments — things finance, production
and shipping own. Each of those apps registers, in its ``AppConfig.ready``, the one pure
function that derives its sub-state from the order, and the order fields it sets::

    # finance/apps.py
    substates.register("payment", fields=("received_amount", "payment_status"),
                       refresh=order_payment_refresh, rank=10)

``order_refresh_substates`` (``sales/services/substates.py``) calls every registered
``refresh(order)`` in rank order under the order's row lock, saves the fields they set and
takes the automatic shipped → completed step. The demo builders call the same pure functions
(``finance.substates.payment_status``, ``production.substates.production_status``,
``shipping.substates.shipment_status``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SubState:
    key: str  # "payment", "production", "shipment"
    fields: tuple[str, ...]  # the order fields ``refresh`` sets (saved by the caller)
    refresh: Callable  # refresh(order) -> None: sets ``fields`` on the order, may save its own rows
    rank: int = 50


_SUBSTATES: dict[str, SubState] = {}


def register(key: str, *, fields: tuple[str, ...], refresh: Callable, rank: int = 50) -> None:
    """Add (or replace, when ``ready()`` runs twice) the sub-state ``key``."""
    _SUBSTATES[key] = SubState(key, tuple(fields), refresh, rank)


def substates() -> list[SubState]:
    return sorted(_SUBSTATES.values(), key=lambda s: (s.rank, s.key))
