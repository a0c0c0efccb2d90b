"""Chase-board items of export documents: the credits part (see tracking/export_chase.py).

For the orders the user chases — a merchandiser their own orders, a manager the orders in their
scope (``sales.selectors.order_scope``), as the board's cut-offs do:

- **催证** ("Waiting for the L/C"): an open order paid by L/C (confirmed, in production, ready or
  on hold, not fully shipped) without a live credit. It must arrive by the ex-factory date −
  ``CREDIT_NEEDED_DAYS`` for the T&A to hold: the export template buys materials from about
  X − 33 and starts production at X − 26 (DOMAIN §6), and an L/C order has no deposit; the
  credit is its security before the factory commits. Late after that day.
- credits received and not examined (审证), credits whose amendment is outstanding, amendments
  the bank advised that wait for our decision;
- countdowns: the last presentation day of each shipment on board and not yet presented under a
  workable credit (on-board date + presentation period, never after expiry), and the expiry of
  a live credit within ``EXPIRY_WARNING_DAYS`` days that still has an undrawn balance.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.accounts.roles import Role
from gendan.core.money import format_money
from gendan.exportdocs.models import CreditAmendment, LetterOfCredit
from gendan.exportdocs.selectors.credits import (
    LC_METHODS,
    LIVE_STATUSES,
    credit_countdowns,
    credit_undrawn,
)
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_scope
from gendan.tracking import export_chase

CREDIT_NEEDED_DAYS = 30
EXPIRY_WARNING_DAYS = 14
S = SalesOrder.Status
OPEN = (S.CONFIRMED, S.IN_PRODUCTION, S.READY, S.ON_HOLD)
CS = LetterOfCredit.Status


def _orders_q(user) -> Q:
    """The orders ``user`` chases: a manager's scope, else the orders they follow as merchandiser."""
    if user.has_role(Role.MANAGER):
        return order_scope(user)
    return Q(merchandiser=user)


def credit_needed_by(order) -> dt.date:
    """The day the credit must arrive for the T&A to hold: ex-factory − ``CREDIT_NEEDED_DAYS``."""
    return order.ex_factory_date - dt.timedelta(days=CREDIT_NEEDED_DAYS)


def _awaited(user, today: dt.date, limit: int) -> list:
    live = LetterOfCredit.objects.filter(orders=OuterRef("pk"), status__in=LIVE_STATUSES)
    orders = (SalesOrder.objects.filter(_orders_q(user), payment_method__in=LC_METHODS, status__in=OPEN)
              .exclude(shipment_status=SalesOrder.ShipmentStatus.SHIPPED).filter(~Q(Exists(live)))
              .select_related("customer").order_by("ex_factory_date", "pk")[:limit])
    items = []
    for order in orders:
        due = credit_needed_by(order)
        items.append(export_chase.ExportItem(
            kind="credit_awaited", label=_("Waiting for the L/C"), order=order,
            url=reverse("exportdocs:credit_add") + f"?order={order.pk}", due=due, late=due < today,
            detail=_("needed by %(date)s for the T&A to hold (ex-factory %(exf)s − %(n)d days)") % {
                "date": due.isoformat(), "exf": order.ex_factory_date.isoformat(), "n": CREDIT_NEEDED_DAYS}))
    return items


def _credits(user, limit: int):
    scoped = SalesOrder.objects.filter(_orders_q(user), credits=OuterRef("pk"))
    return (LetterOfCredit.objects.filter(Exists(scoped), status__in=LIVE_STATUSES)
            .select_related("customer", "currency").order_by("expiry_date", "pk")[:limit * 3])


def _first_order(credit):
    return credit.orders.select_related("customer").order_by("pk").first()


def _credit_items(credit, today: dt.date) -> list:
    item = export_chase.ExportItem
    url = credit.get_absolute_url()
    order = _first_order(credit)
    out = []
    if credit.status == CS.RECEIVED:
        out.append(item(kind="credit_to_examine", label=_("Examine the L/C %(no)s") % {"no": credit.number},
                        order=order, url=url, due=None, late=False,
                        detail=_("received %(date)s") % {"date": credit.received_on.isoformat()}))
    advised = [a for a in credit.amendments.all() if a.status == CreditAmendment.Status.RECEIVED]
    if advised:
        out.append(item(kind="amendment_to_decide", label=_("Accept or refuse amendment %(seq)d of L/C %(no)s") % {
            "seq": advised[0].sequence, "no": credit.number}, order=order, url=url, due=None, late=False))
    elif credit.status == CS.AMENDMENT_NEEDED:
        out.append(item(kind="amendment_outstanding", label=_("Amendment of L/C %(no)s outstanding") % {
            "no": credit.number}, order=order, url=url, due=credit.latest_shipment_date,
            late=credit.latest_shipment_date < today,
            detail=_("latest shipment %(date)s") % {"date": credit.latest_shipment_date.isoformat()}))
    countdowns = credit_countdowns(credit, today=today)
    for row in countdowns["presentations"]:
        out.append(item(kind="presentation_due", label=_("Present the documents of %(shipment)s under L/C %(no)s") % {
            "shipment": row["shipment"].number, "no": credit.number}, order=row["shipment"].order, url=url,
            due=row["last_day"], late=row["days"] < 0,
            detail=_("on board %(date)s; last presentation day %(last)s") % {
                "date": row["on_board"].isoformat(), "last": row["last_day"].isoformat()}))
    days = countdowns["expiry_days"]
    if days <= EXPIRY_WARNING_DAYS:
        undrawn = credit_undrawn(credit)
        if undrawn > 0:
            out.append(item(kind="credit_expiring", label=_("L/C %(no)s expires") % {"no": credit.number},
                            order=order, url=url, due=credit.expiry_date, late=days < 0,
                            detail=_("undrawn %(amount)s") % {"amount": format_money(undrawn, credit.currency_id)}))
    return out


def credit_items(*, user, today, limit) -> list:
    """The credits part of the board's export section (see the module's list)."""
    if not user.has_perm("exportdocs.view_letterofcredit"):
        return []
    items = _awaited(user, today, limit)
    for credit in _credits(user, limit):
        items += _credit_items(credit, today)
    return items
