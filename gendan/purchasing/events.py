"""What purchasing tells the rest of the house, and what it writes on timelines.

Typed domain events (``core.domain_events``), published inside the service's transaction; the
T&A hears them in ``tracking/reactions/purchasing.py`` (purchasing does not know the T&A):

- ``BomConfirmed`` — engineering confirmed a production order's BOM; ``all_confirmed`` when
  every active production order of the sales order now has its BOM confirmed;
- where an order's materials stand, each time it may have changed (``materials_follow_up``):
  ``MaterialEtasConfirmed`` (every material has an ETA or is in), ``MaterialsReceived``
  (everything is in, the last on ``on``), ``MaterialsExpected`` (the latest ETA of what is
  still missing — today for one that passed without the goods).

Timeline rows are a kind and its parameters, shown in the reader's language
(``core.events``); the texts are msgids (``gettext_noop``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent
from gendan.core.events import event_kind_register
from gendan.core.models import Event

# --- timeline rows: material requirements ----------------------------------------------------------

REQUIREMENT_CREATED = event_kind_register(
    "purchasing.requirement_created", gettext_noop("%(qty)s %(unit)s needed by %(day)s"))
REQUIREMENT_REDERIVED = event_kind_register(
    "purchasing.requirement_rederived", gettext_noop("Re-derived from the BOM"))
REQUIREMENT_DROPPED = event_kind_register("purchasing.requirement_dropped", gettext_noop("No longer in the BOM"))
REQUIREMENT_NOT_IN_BOM = event_kind_register(
    "purchasing.requirement_not_in_bom",
    gettext_noop("No longer in the BOM; %(received)s received, already ordered: cancel or keep the goods."))
REQUIREMENTS_CHANGED = event_kind_register(
    "purchasing.requirements_changed", gettext_noop("Material requirements of %(po)s: %(changes)s"))
MATERIAL_PLAN_CHANGED = event_kind_register(
    "purchasing.material_plan_changed",
    gettext_noop("Material %(material)s for %(po)s: ETA %(old)s → %(new)s, supplier %(supplier)s"))

# --- timeline rows: purchase orders --------------------------------------------------------------

PO_CREATED = event_kind_register(
    "purchasing.po_created", gettext_noop("%(n)d lines, total %(currency)s %(total)s"))
PO_COVERS_ORDER = event_kind_register(
    "purchasing.po_covers_order",
    gettext_noop("Purchase order %(po)s (draft) to %(supplier)s covers materials of this order"))
PO_LINES_REPLACED = event_kind_register("purchasing.po_lines_replaced", gettext_noop("Lines replaced: %(n)d lines"))
PO_STATUS_ON_ORDER = event_kind_register(
    "purchasing.po_status_on_order", gettext_noop("Purchase order %(po)s (%(supplier)s): %(status)s"))
PO_CONFIRMED = event_kind_register("purchasing.po_confirmed", gettext_noop("ETAs: %(etas)s"))
PO_RECEIVED = event_kind_register("purchasing.po_received", gettext_noop("Received %(day)s: %(lines)s"))
PO_RECEIVED_ON_ORDER = event_kind_register(
    "purchasing.po_received_on_order",
    gettext_noop("Purchase order %(po)s (%(supplier)s): Received %(day)s: %(lines)s"))
SUPPLIER_NEW_ETA = event_kind_register(
    "purchasing.supplier_new_eta", gettext_noop("Supplier %(supplier)s (%(po)s): new ETA %(eta)s — %(text)s"))
# a change order's re-issue of a purchase order, and the supplier's re-acknowledgement
PO_REISSUED = event_kind_register(
    "purchasing.po_reissued",
    gettext_noop("Version %(n)d issued after a change order and e-mailed to the supplier: %(what)s"))
PO_REISSUED_ON_ORDER = event_kind_register(
    "purchasing.po_reissued_on_order",
    gettext_noop("Purchase order %(po)s (%(supplier)s): version %(n)d e-mailed to the supplier, awaiting its "
                 "re-acknowledgement: %(what)s"))
PO_REACK_ACCEPTED = event_kind_register(
    "purchasing.po_reack_accepted", gettext_noop("Version %(n)d re-acknowledged by the supplier; new ETA %(eta)s"))
PO_REACK_REFUSED = event_kind_register(
    "purchasing.po_reack_refused", gettext_noop("Version %(n)d refused by the supplier"))
PO_REACK_REFUSED_ON_ORDER = event_kind_register(
    "purchasing.po_reack_refused_on_order",
    gettext_noop("Purchase order %(po)s (%(supplier)s): version %(n)d refused by the supplier"))


# --- domain events --------------------------------------------------------------------------------


@dataclass(kw_only=True)
class BomConfirmed(DomainEvent):
    """The BOM of ``production_order`` is confirmed (row on sales order ``order``'s timeline;
    ``reason``: the note). ``all_confirmed``: every active production order of ``order`` now has
    its BOM confirmed."""

    kind: ClassVar[str] = "purchasing.bom_confirmed"
    text: ClassVar[str] = gettext_noop("BOM of %(po)s confirmed")
    verb: ClassVar[str] = Event.Verb.NOTE

    order: Any
    production_order: Any
    all_confirmed: bool

    def params(self) -> dict:
        return {"po": str(self.production_order)}


@dataclass(kw_only=True)
class MaterialEtasConfirmed(DomainEvent):
    """Every material of ``order`` has an ETA or is received."""

    record_row: ClassVar[bool] = False

    order: Any


@dataclass(kw_only=True)
class MaterialsReceived(DomainEvent):
    """Every material of ``order`` is received, the last on ``on``."""

    record_row: ClassVar[bool] = False

    order: Any
    on: dt.date


@dataclass(kw_only=True)
class MaterialsExpected(DomainEvent):
    """Materials of ``order`` are still missing; the last is expected ``on`` (its ETA, or today
    when the ETA passed without the goods): ``requirement`` (with its component, supplier, ETA
    and need date)."""

    record_row: ClassVar[bool] = False

    order: Any
    on: dt.date
    requirement: Any
