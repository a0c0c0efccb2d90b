"""What every production order use case shares: the lock (the sales order, then the production
order — always in that order), who may issue and edit an order's production orders, and the
step's note on the sales order's timeline."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import NotAllowed
from gendan.core.events import event_record
from gendan.core.models import Event
from gendan.core.services import lock_row
from gendan.production.models import ProductionOrder
from gendan.production.selectors import may_edit, production_order_queryset
from gendan.sales.models import SalesOrder
from gendan.sales.services.orders import lock_order

CHANGE = "production.change_productionorder"


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def require_owner(actor: User, order: SalesOrder) -> None:
    """Refuse (403) unless ``actor`` issues and edits the production orders of ``order``."""
    if not may_edit(actor, order):
        raise NotAllowed(_("Production orders of %(order)s are issued by the production planner or the order's "
                           "merchandiser.") % {"order": order})


def production_order_lock(actor: User, production_order_id: int) -> tuple[SalesOrder, ProductionOrder]:
    """Lock the production order's sales order, then the production order (with its lines
    prefetched). 404 when the actor may not see it. Call inside a transaction."""
    order_id = production_order_queryset(actor).filter(pk=int_or_none(production_order_id)).values_list(
        "sales_order_id", flat=True).first()
    if order_id is None:
        raise Http404("No such production order.")
    order = lock_order(actor, order_id)
    production_order = lock_row(
        ProductionOrder.objects.select_related("supplier", "sales_order__customer", "currency")
        .prefetch_related("lines__order_line__product", "lines__order_line__cells"),
        production_order_id, not_found="No such production order.")
    production_order.sales_order = order
    return order, production_order


def order_note(*, actor: User, order: SalesOrder, kind: str, params: dict, reason: str = "",
               verb: str = Event.Verb.NOTE) -> Event:
    """The production order's step on the sales order's timeline (a ``production.events.ORDER_*`` kind)."""
    return event_record(actor=actor, obj=order, verb=verb, reason=reason, kind=kind, params=params)
