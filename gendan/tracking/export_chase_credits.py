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
from collections import defaultdict
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.accounts.roles import Role
from gendan.core.money import format_money, round_money
from gendan.exportdocs.models import CreditAmendment, DocumentDispatch, LetterOfCredit
from gendan.exportdocs.selectors.credits import (
    LC_METHODS,
    LIVE_STATUSES,
    NOT_DRAWN,
    credit_ceiling,
    last_presentation_day,
)
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_link_columns, order_scope
from gendan.shipping.models import Shipment
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
              .select_related("customer").only("ex_factory_date", *order_link_columns())
              .order_by("ex_factory_date", "pk")[:limit])
    items = []
    for order in orders:
        due = credit_needed_by(order)
        items.append(export_chase.ExportItem(
            kind="credit_awaited", label=_("Waiting for the L/C"), order=order,
            url=reverse("exportdocs:credit_add") + f"?order={order.pk}", due=due, late=due < today,
            detail=_("needed by %(date)s for the T&A to hold (ex-factory %(exf)s − %(n)d days)") % {
                "date": due.isoformat(), "exf": order.ex_factory_date.isoformat(), "n": CREDIT_NEEDED_DAYS}))
    return items


# The columns of a credit its items read (number, dates, what it pays, presentation period).
CREDIT_COLUMNS = ("id", "number", "status", "received_on", "latest_shipment_date", "expiry_date", "currency_id",
                  "amount", "amount_tolerance_pct", "about", "presentation_days")


def _credits(user, limit: int) -> list[LetterOfCredit]:
    # The credits of the user's orders, found from those orders (through the credits' order
    # links): an EXISTS per live credit made SQLite walk every live credit of the company and,
    # for each, the user's orders — 650 ms for a merchandiser at 100 000 orders, 8 ms this way.
    scoped = LetterOfCredit.orders.through.objects.filter(
        salesorder__in=SalesOrder.objects.filter(_orders_q(user))).values("letterofcredit_id")
    orders = SalesOrder.objects.select_related("customer").only(*order_link_columns()).order_by("pk")
    amendments = CreditAmendment.objects.only("id", "credit_id", "sequence", "status")
    return list(LetterOfCredit.objects.filter(pk__in=scoped, status__in=LIVE_STATUSES).only(*CREDIT_COLUMNS)
                .order_by("expiry_date", "pk")
                .prefetch_related(Prefetch("orders", queryset=orders), Prefetch("amendments", queryset=amendments))
                [:limit * 3])


class _Facts:
    """What the credits' items need, read for all of them at once (four queries, whatever the
    number of credits): their orders' shipments on board, what was presented under each, and
    the drawn amounts of those about to expire."""

    def __init__(self, credits: list[LetterOfCredit], today: dt.date):
        order_ids = {o.pk for c in credits for o in c.orders.all()}
        self.on_board = defaultdict(list)
        for shipment in (Shipment.objects.filter(order__in=order_ids, on_board_on__isnull=False)
                         .exclude(status=Shipment.Status.CANCELLED).select_related("order__customer")
                         .only("id", "number", "on_board_on", "order_id", *order_link_columns("order"))
                         .order_by("on_board_on", "pk")):
            self.on_board[shipment.order_id].append(shipment)
        drawing = DocumentDispatch.objects.filter(credit__in=credits).exclude(status__in=NOT_DRAWN)
        self.presented = defaultdict(set)
        for credit_id, shipment_id in drawing.values_list("credit_id", "shipment_id"):
            self.presented[credit_id].add(shipment_id)
        expiring = [c.pk for c in credits if (c.expiry_date - today).days <= EXPIRY_WARNING_DAYS]
        self.drawn = dict(drawing.filter(credit__in=expiring).values("credit").annotate(total=Sum("amount"))
                          .values_list("credit", "total"))

    def presentations(self, credit: LetterOfCredit, today: dt.date) -> list[dict]:
        rows = []
        for order in credit.orders.all():
            for shipment in self.on_board[order.pk]:
                if shipment.pk in self.presented[credit.pk]:
                    continue
                last = last_presentation_day(credit, shipment.on_board_on)
                rows.append({"shipment": shipment, "on_board": shipment.on_board_on, "last_day": last,
                             "days": (last - today).days})
        return rows

    def undrawn(self, credit: LetterOfCredit) -> Decimal:
        drawn = self.drawn.get(credit.pk) or Decimal(0)  # as credit_undrawn: the ceiling with its tolerance
        return max(round_money(credit_ceiling(credit) - drawn, credit.currency_id), Decimal(0))


def _credit_items(credit: LetterOfCredit, facts: _Facts, today: dt.date) -> list:
    item = export_chase.ExportItem
    url = credit.get_absolute_url()
    orders = list(credit.orders.all())
    order = orders[0] if orders else None
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
    for row in facts.presentations(credit, today):
        out.append(item(kind="presentation_due", label=_("Present the documents of %(shipment)s under L/C %(no)s") % {
            "shipment": row["shipment"].number, "no": credit.number}, order=row["shipment"].order, url=url,
            due=row["last_day"], late=row["days"] < 0,
            detail=_("on board %(date)s; last presentation day %(last)s") % {
                "date": row["on_board"].isoformat(), "last": row["last_day"].isoformat()}))
    days = (credit.expiry_date - today).days
    if days <= EXPIRY_WARNING_DAYS:
        undrawn = facts.undrawn(credit)
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
    credits = _credits(user, limit)
    facts = _Facts(credits, today)
    for credit in credits:
        items += _credit_items(credit, facts, today)
    return items
