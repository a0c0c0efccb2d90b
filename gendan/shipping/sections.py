"""Sections of the shipment's page (``shipping:shipment_detail``): the plan and its notices,
the warehouse's loading, the bill of lading and the shipping advice each add theirs.

A views module registers its section when it is imported (``shipping/urls.py`` imports every
views module)::

    sections.register("bill", template="shipping/shipment/_bill.html", context=bill_section, rank=40)

``context(request, shipment) -> dict | None`` returns the template's context (``None``: not
shown to this user). The page includes each section in rank order; the template receives
``shipment``, ``request`` and ``section``. Keep each section's queries bounded.
Ranks: plan 10, notices 20, warehouse 30, bill 40, advice 50, bookings 60.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable
    rank: int


_SECTIONS: dict[str, Section] = {}


def register(key: str, *, template: str, context: Callable, rank: int = 50) -> None:
    _SECTIONS[key] = Section(key, template, context, rank)


def sections_for(request, shipment) -> list[dict]:
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.rank, s.key)):
        context = section.context(request, shipment)
        if context is not None:
            shown.append({"key": section.key, "template": section.template, "context": context})
    return shown
