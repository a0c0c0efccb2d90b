"""What a new order takes from the apps that serve it: an extension point of ``order_create``.

An app registers, in its ``AppConfig.ready``, a function that fills fields of a new draft from
what it keeps about the customer — quality fills the order's quality gates from the
customer's quality profile (``quality/order_gates.py``)::

    defaults.register("quality", quality_defaults)

``apply(order, customer)`` runs them in rank order on the unsaved draft, before the fields the
user entered are applied (those win).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OrderDefaults:
    key: str
    fill: Callable  # fill(order, customer) -> None: sets fields on the unsaved draft
    rank: int = 50


_DEFAULTS: dict[str, OrderDefaults] = {}


def register(key: str, fill: Callable, *, rank: int = 50) -> None:
    _DEFAULTS[key] = OrderDefaults(key, fill, rank)


def apply(order, customer) -> None:
    for defaults in sorted(_DEFAULTS.values(), key=lambda d: (d.rank, d.key)):
        defaults.fill(order, customer)
