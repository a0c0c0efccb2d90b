"""What a production order tells the rest of the house: typed domain events (``core.domain_events``),
published by ``production.services`` inside the transaction that made the change.

Each event's row goes on the production order's timeline (its status change, shown by its
changes; or a message rendered in the reader's language). The apps above react in their
``AppConfig.ready`` — the T&A completes and forecasts its milestones in
``tracking/reactions/production.py``. The step's note on the sales order's timeline is one of
the ``ORDER_*`` kinds below.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent
from gendan.core.events import choice, event_kind_register
from gendan.core.models import Event
from gendan.production.models import ProductionOrder
from gendan.sales.models import SalesOrder


@dataclass(kw_only=True)
class ProductionOrderEvent(DomainEvent):
    """A step of ``production_order`` (of sales order ``order``); its row is on the production
    order's timeline. Call inside the transaction holding the order's and the production order's
    locks, after the order's production status was recomputed."""

    verb: ClassVar[str] = Event.Verb.STATE_CHANGED
    order: SalesOrder
    production_order: ProductionOrder

    def subject(self):
        return self.production_order


@dataclass(kw_only=True)
class ProductionOrderCreated(ProductionOrderEvent):
    """A draft production order was created by the order's production release or by "add"."""

    kind = "production.order_created"
    text = gettext_noop("Released from %(order)s")
    verb: ClassVar[str] = Event.Verb.CREATED

    def params(self) -> dict:
        return {"order": str(self.order)}


@dataclass(kw_only=True)
class ProductionOrderIssued(ProductionOrderEvent):
    """Issued: the PDF is stored and goes to the distribution list after commit."""

    kind = "production.order_issued"


@dataclass(kw_only=True)
class ProductionOrderAccepted(ProductionOrderEvent):
    """The factory (or workshop) accepted and committed to ``committed_due_date``."""

    kind = "production.order_accepted"
    committed_due_date: dt.date


@dataclass(kw_only=True)
class ProductionStarted(ProductionOrderEvent):
    """Mass production of the production order started (its gates passed or overridden)."""

    kind = "production.started"


@dataclass(kw_only=True)
class ProductionFinished(ProductionOrderEvent):
    """Production of the production order finished (``short``: short of the quantity, with a
    reason). ``order.production_status`` says whether the whole order's production is finished."""

    kind = "production.finished"
    short: bool = False


@dataclass(kw_only=True)
class ProductionOrderClosed(ProductionOrderEvent):
    kind = "production.order_closed"


@dataclass(kw_only=True)
class ProductionOrderHeld(ProductionOrderEvent):
    kind = "production.order_held"


@dataclass(kw_only=True)
class ProductionOrderResumed(ProductionOrderEvent):
    kind = "production.order_resumed"


@dataclass(kw_only=True)
class ProductionOrderCancelled(ProductionOrderEvent):
    """Cancelled by its own step, or with its cancelled sales order; its quantity is free again."""

    kind = "production.order_cancelled"


@dataclass(kw_only=True)
class FirstArticleRuleOverridden(ProductionOrderEvent):
    """A manager let production start without the approved first article (``reason`` says why)."""

    kind = "production.first_article_overridden"
    text = gettext_noop("first-article rule overridden by %(user)s")
    verb: ClassVar[str] = Event.Verb.OVERRIDE

    def params(self) -> dict:
        return {"user": str(self.actor)}


@dataclass(kw_only=True)
class ProductionOrderFlagged(ProductionOrderEvent):
    """A change order (revision ``revision_no``) changed something the production order makes."""

    kind = "production.order_flagged"
    text = gettext_noop("Order revision %(n)d changed: %(reason)s")
    verb: ClassVar[str] = Event.Verb.NOTE
    revision_no: int

    def params(self) -> dict:
        return {"n": self.revision_no, "reason": self.reason}


# --- the production order's steps on the sales order's timeline ------------------------------

ORDER_STEP = event_kind_register(
    "production.order_step", gettext_noop("Production order %(po)s (%(supplier)s): %(old)s → %(new)s"))
ORDER_ADDED = event_kind_register(
    "production.order_added", gettext_noop("Production order %(po)s (%(supplier)s): added (draft)"))
ORDER_FIRST_ARTICLE_OVERRIDDEN = event_kind_register(
    "production.order_first_article_overridden",
    gettext_noop("Production order %(po)s (%(supplier)s): first-article rule overridden by %(user)s"))


def order_step_params(production_order: ProductionOrder, *, old: str = "", new: str = "", **extra) -> dict:
    """The parameters of an ``ORDER_*`` note: the production order, its supplier, and the
    statuses (shown in the reader's language) of a step."""
    params = {"po": production_order.number, "supplier": production_order.supplier.code, **extra}
    if old or new:
        params |= {"old": choice(ProductionOrder, "status", old), "new": choice(ProductionOrder, "status", new)}
    return params


@dataclass(kw_only=True)
class ProductionOrderReissued(ProductionOrderEvent):
    """A change order re-issued the production order as version ``version`` (its PDF is e-mailed
    to the factory after commit); it waits for the factory's re-acknowledgement. ``quantities``:
    whether a line's quantity changed (purchasing re-derives the materials and re-issues its
    purchase orders)."""

    kind = "production.order_reissued"
    text = gettext_noop("Version %(n)d issued for change order rev. %(rev)s and e-mailed to the factory: %(what)s")
    version: object
    quantities: bool = False
    what: dict

    def params(self) -> dict:
        return {"n": self.version.number, "rev": self.version.revision_no or "—", "what": self.what}


@dataclass(kw_only=True)
class ProductionOrderReacknowledged(ProductionOrderAccepted):
    """The factory re-acknowledged version ``number`` (committing to ``committed_due_date``); as
    an acceptance, the T&A's "production finished" forecast follows it."""

    kind = "production.order_reacknowledged"
    text = gettext_noop("Version %(n)d re-acknowledged by the factory; committed due date %(day)s")
    number: int

    def params(self) -> dict:
        return {"n": self.number, "day": self.committed_due_date.isoformat()}


@dataclass(kw_only=True)
class ProductionOrderReackRefused(ProductionOrderEvent):
    """The factory refused version ``number`` (``reason``): it stays open and is escalated on the board."""

    kind = "production.order_reack_refused"
    text = gettext_noop("Version %(n)d refused by the factory")
    verb: ClassVar[str] = Event.Verb.NOTE
    number: int

    def params(self) -> dict:
        return {"n": self.number}


ORDER_REISSUED = event_kind_register(
    "production.order_reissued_on_order",
    gettext_noop("Production order %(po)s (%(supplier)s): version %(n)d e-mailed to the factory, awaiting its "
                 "re-acknowledgement: %(what)s"))
ORDER_REACK_ACCEPTED = event_kind_register(
    "production.order_reack_accepted",
    gettext_noop("Production order %(po)s (%(supplier)s): version %(n)d re-acknowledged, committed due date %(day)s"))
ORDER_REACK_REFUSED = event_kind_register(
    "production.order_reack_refused_on_order",
    gettext_noop("Production order %(po)s (%(supplier)s): version %(n)d refused by the factory"))
