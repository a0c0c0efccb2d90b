"""Chase-board items of export documents: the dispatch part (see tracking/export_chase.py).

- ``presentation_refused``: a presentation or collection the bank refused with discrepancies,
  on the board of the order's merchandiser (a manager sees those of the orders in scope) until a
  new dispatch of the shipment is sent or the refused one is paid after all;
- ``certificate_due``: a certificate not yet received that is due within three days or overdue;
- ``dispatch_due``: a shipment shipped with its B/L issued (or released) whose documents have not
  been dispatched (no dispatch but withdrawn ones, and the T&A's "documents sent" not ticked
  since the goods left): due on the T&A's "documents sent" planned
  date (an order shipped in one shipment), else on-board date + ``DOCUMENTS_SENT_DAYS`` (the
  T&A's default: ETD + 7); under a live credit never after the last presentation day.
  Everything is read in four queries, whatever the number of shipments.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.exportdocs.models import CertificateItem, DocumentDispatch, LetterOfCredit
from gendan.exportdocs.selectors.credits import LIVE_STATUSES, last_presentation_day
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_link_columns, order_scope
from gendan.shipping.models import BillOfLading, Shipment
from gendan.tracking import export_chase  # it imports this module: its names are read at call time
from gendan.tracking.keys import Milestone
from gendan.tracking.models import OrderMilestone

DUE_SOON_DAYS = 3
DOCUMENTS_SENT_DAYS = 7  # the T&A's default "documents sent": ETD + 7 (tracking/defaults.py)
SIGNED_BILL = (BillOfLading.Status.ISSUED, BillOfLading.Status.RELEASED)


def _orders_of(user) -> Q:
    """The orders whose export items ``user`` chases: a merchandiser's own, a manager's in scope."""
    if user.has_role("manager", "admin"):
        return Q()
    return Q(shipment__order__merchandiser=user)


def _scoped(qs, user):
    """``qs`` limited to the shipments of orders ``user`` sees and chases."""
    return qs.filter(shipment__order__in=SalesOrder.objects.filter(order_scope(user))).filter(_orders_of(user))


def _shipment_columns(path: str = "") -> list[str]:
    """The columns of a shipment (by ``path``; empty: the shipment itself) and of its order that
    an item shows: its link, number and the order's (``sales.selectors.order_link_columns``)."""
    prefix = f"{path}__" if path else ""
    return [f"{prefix}id", f"{prefix}number", f"{prefix}order_id", *order_link_columns(f"{prefix}order")]


def _url(shipment) -> str:
    return reverse("shipping:shipment_detail", args=[shipment.pk]) + "#section-dispatch"


def refused_items(user, today: dt.date, limit: int) -> list:
    later = DocumentDispatch.objects.filter(shipment=OuterRef("shipment"), id__gt=OuterRef("id")).exclude(
        status=DocumentDispatch.Status.WITHDRAWN)
    qs = (_scoped(DocumentDispatch.objects.filter(status=DocumentDispatch.Status.REFUSED), user)
          .filter(~Exists(later)).select_related("shipment__order__customer")
          .only("id", "number", "result_on", "bank_discrepancies", *_shipment_columns("shipment"))
          .order_by("result_on", "id")[:limit])
    return [export_chase.ExportItem(kind="presentation_refused", order=d.shipment.order, url=_url(d.shipment),
                       label=_("Presentation %(no)s refused by the bank") % {"no": d.number},
                       due=d.result_on, late=True, detail=d.bank_discrepancies[:200]) for d in qs]


def certificate_items(user, today: dt.date, limit: int) -> list:
    qs = (_scoped(CertificateItem.objects.filter(
        status__in=(CertificateItem.Status.NEEDED, CertificateItem.Status.APPLIED),
        needed_by__lte=today + dt.timedelta(days=DUE_SOON_DAYS)), user)
        .select_related("shipment__order__customer")
        .only("id", "kind", "needed_by", "applied_on", *_shipment_columns("shipment"))
        .order_by("needed_by", "id")[:limit])
    return [export_chase.ExportItem(kind="certificate_due", order=c.shipment.order, url=_url(c.shipment),
                       label=_("%(kind)s for shipment %(no)s") % {"kind": c.get_kind_display(),
                                                                   "no": c.shipment.number},
                       due=c.needed_by, late=c.needed_by < today,
                       detail=(_("applied for on %(date)s") % {"date": c.applied_on.isoformat()}
                               if c.applied_on else _("not applied for yet"))) for c in qs]


def _awaiting_dispatch(user, limit: int) -> list[Shipment]:
    """Shipments of the orders ``user`` chases, shipped with a signed B/L and no dispatch that
    counts (withdrawn ones do not) nor "documents sent" completed on the T&A since they left,
    with the number of live shipments of their order."""
    sent = DocumentDispatch.objects.filter(shipment=OuterRef("pk")).exclude(status=DocumentDispatch.Status.WITHDRAWN)
    # The T&A's "documents sent" done after the goods left: sent outside Gendan (or before it).
    ticked = OrderMilestone.objects.filter(order=OuterRef("order"), key=Milestone.DOCUMENTS_SENT,
                                           actual_date__gte=OuterRef("shipped_on"))
    if user.has_role("manager", "admin"):
        # A manager's scope is most orders: start from the signed B/Ls (joined).
        scoped = Q(order__in=SalesOrder.objects.filter(order_scope(user)).values("pk"), bill__status__in=SIGNED_BILL)
    else:
        # The orders they follow (within their scope by definition: order_scope names them), and
        # the signed B/L as EXISTS: joined on its status, SQLite (no statistics) walked every
        # signed B/L of the company instead of the user's orders (50 -> 10 ms at 100 000 orders).
        scoped = Q(Exists(BillOfLading.objects.filter(shipment=OuterRef("pk"), status__in=SIGNED_BILL)),
                   order__in=SalesOrder.objects.filter(merchandiser=user).values("pk"))
    shipments = list(Shipment.objects.filter(scoped, status=Shipment.Status.SHIPPED)
                     .filter(~Exists(sent), ~Exists(ticked)).select_related("order__customer", "bill")
                     .only("on_board_on", "shipped_on", *_shipment_columns(), "bill__id", "bill__shipment_id",
                           "bill__on_board_on")
                     .order_by("on_board_on", "pk")[:limit])
    # The live shipments of just these orders, counted apart: joined into the query above, the
    # count grouped every shipped shipment in scope before the LIMIT (0.5 s at 100 000 orders).
    live = dict(Shipment.objects.filter(order__in={s.order_id for s in shipments})
                .exclude(status=Shipment.Status.CANCELLED).order_by().values("order_id")
                .annotate(n=Count("pk")).values_list("order_id", "n"))
    for shipment in shipments:
        shipment.order_shipments = live.get(shipment.order_id, 0)
    return shipments


def _planned_documents_sent(order_ids: set[int]) -> dict[int, dt.date]:
    return dict(OrderMilestone.objects.filter(order__in=order_ids, key=Milestone.DOCUMENTS_SENT)
                .values_list("order_id", "planned_date"))


def _live_credits(order_ids: set[int]) -> dict[int, LetterOfCredit]:
    """Each order's newest live credit (as ``credit_for_order`` picks it), in two queries: the
    orders' credit links, then the live ones among those credits by their keys (joined to the
    credits' status, SQLite without statistics walked every live credit: 26 ms at 100 000 orders)."""
    links = list(LetterOfCredit.orders.through.objects.filter(salesorder_id__in=order_ids)
                 .values_list("salesorder_id", "letterofcredit_id"))
    if not links:
        return {}
    credits = {c.pk: c for c in LetterOfCredit.objects.filter(pk__in={credit_id for _, credit_id in links},
                                                              status__in=LIVE_STATUSES)
               .only("id", "number", "received_on", "expiry_date", "presentation_days")}
    newest: dict[int, LetterOfCredit] = {}
    by_order = defaultdict(list)
    for order_id, credit_id in links:
        if credit_id in credits:
            by_order[order_id].append(credits[credit_id])
    for order_id, found in by_order.items():
        newest[order_id] = max(found, key=lambda c: (c.received_on, c.pk))
    return newest


def dispatch_due(shipment: Shipment, planned: dt.date | None, credit: LetterOfCredit | None) -> dt.date:
    """When the documents of ``shipment`` must go: the T&A's planned "documents sent" when the
    order ships at once, else on board + 7 days; under a credit, not after the last
    presentation day."""
    on_board = shipment.on_board_on or shipment.bill.on_board_on or shipment.shipped_on
    due = planned if planned and shipment.order_shipments <= 1 else on_board + dt.timedelta(days=DOCUMENTS_SENT_DAYS)
    if credit is not None:
        due = min(due, last_presentation_day(credit, on_board))
    return due


def unsent_items(user, today: dt.date, limit: int) -> list:
    shipments = _awaiting_dispatch(user, limit)
    order_ids = {s.order_id for s in shipments}
    planned = _planned_documents_sent(order_ids) if order_ids else {}
    credits = _live_credits(order_ids) if order_ids else {}
    items = []
    for shipment in shipments:
        credit = credits.get(shipment.order_id)
        due = dispatch_due(shipment, planned.get(shipment.order_id), credit)
        on_board = shipment.on_board_on or shipment.bill.on_board_on or shipment.shipped_on
        detail = _("on board %(date)s") % {"date": on_board.isoformat()}
        if credit is not None:
            detail += " · " + _("L/C %(no)s: last presentation day %(last)s") % {
                "no": credit.number, "last": last_presentation_day(credit, on_board).isoformat()}
        items.append(export_chase.ExportItem(kind="dispatch_due", order=shipment.order, url=_url(shipment),
                                label=_("Send the documents of %(no)s") % {"no": shipment.number},
                                due=due, late=due < today, detail=detail))
    return items


def dispatch_items(*, user, today, limit) -> list:
    return [*refused_items(user, today, limit), *certificate_items(user, today, limit),
            *unsent_items(user, today, limit)]
