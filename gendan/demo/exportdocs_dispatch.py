"""The demo's document dispatches (寄单 / 交单) of the shipments that left more than ``SENT_AFTER``
days ago (called by ``gendan.demo.exportdocs.documents``, after the few sets the real services
generate and present).

A company sends the documents within a week of the goods going on board: every older shipment
with a signed B/L has its dispatch, by the channel its order's terms say (``channel_for``: L/C →
presented to the bank under the order's credit, D/P and D/A → to the bank for collection, else by
courier to the customer), numbered, with its documents and amount, as ``documents_dispatch`` leaves
it — with its "documents dispatched" event on the order's timeline and the T&A's "documents sent"
done on that day (what ``DocumentsDispatched`` does). Older dispatches have their result (courier:
delivered; the bank: paid once the order is completed). Only the shipments of the last fortnight
may still wait for theirs: the chase board's "send the documents of …" lists a few, recent ones.
Bulk rows: one query per step whatever the number of shipments.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from gendan.core.events import choice
from gendan.core.models import Event
from gendan.core.numbering import number_next_block
from gendan.demo.sales import BATCH, EVENT_COLUMNS, event, insert_rows, timestamps_as_given
from gendan.exportdocs.events.dispatch import DispatchResultRecorded, DocumentsDispatched
from gendan.exportdocs.models import DocumentDispatch, LetterOfCredit
from gendan.exportdocs.services.dispatch import COLLECTION_TERMS, channel_for
from gendan.sales.models import SalesOrder
from gendan.shipping.models import BillOfLading, Shipment
from gendan.tracking.keys import Milestone
from gendan.tracking.models import OrderMilestone

SENT_AFTER = 14  # days after on board by which a shipment's documents have gone
DAY = dt.timedelta(days=1)
C, S = DocumentDispatch.Channel, DocumentDispatch.Status
BANK = "Bank of China, Ningbo Branch"
COURIERS = ["DHL", "FedEx", "UPS"]
DONE = (SalesOrder.Status.COMPLETED, SalesOrder.Status.CLOSED)


def _documents(channel: str, bill: BillOfLading | None) -> list[dict]:
    """What goes: the bank gets the full set (3/3 B/L); the customer, by courier, the originals
    of a B/L already released to it (or a waybill), else copies (a telex release follows)."""
    bl_originals = 3 if channel != C.COURIER or (bill is not None and bill.status == BillOfLading.Status.RELEASED) \
        else 0
    bl = {"kind": "bill_of_lading", "originals": bl_originals, "copies": 0 if bl_originals else 2}
    if bill is not None and bill.bl_no:
        bl["number"] = bill.bl_no
    return [{"kind": "commercial_invoice", "originals": 3, "copies": 3},
            {"kind": "packing_list", "originals": 1, "copies": 2}, bl]


def dispatch_older(ctx) -> int:
    """The dispatches of the shipments on board more than ``SENT_AFTER`` days ago (see above)."""
    today, now = timezone.localdate(), timezone.now()
    sent = DocumentDispatch.objects.filter(shipment=OuterRef("pk")).exclude(status=S.WITHDRAWN)
    shipments = list(Shipment.objects.filter(status=Shipment.Status.SHIPPED,
                                             bill__status__in=(BillOfLading.Status.ISSUED, BillOfLading.Status.RELEASED))
                     .filter(Q(on_board_on__lte=today - SENT_AFTER * DAY)
                             | Q(on_board_on__isnull=True, shipped_on__lte=today - SENT_AFTER * DAY))
                     .filter(~Exists(sent)).select_related("order", "bill")
                     .annotate(order_shipments=Count("order__shipments", filter=~Q(
                         order__shipments__status=Shipment.Status.CANCELLED), distinct=True))
                     .order_by("on_board_on", "pk"))
    if not shipments:
        return 0
    credit_of = {}  # order → its newest credit (presentations of completed orders: under the closed one)
    for order_id, credit_id in (LetterOfCredit.orders.through.objects
                                .filter(salesorder_id__in={s.order_id for s in shipments})
                                .order_by("letterofcredit__received_on", "letterofcredit_id")
                                .values_list("salesorder_id", "letterofcredit_id")):
        credit_of[order_id] = credit_id
    fallback = ctx.users.get("gm") or ctx.users["admin"]
    finance = ctx.users.get("finance") or fallback
    rows, by_month = [], defaultdict(list)
    for n, shipment in enumerate(shipments):
        order = shipment.order
        channel = channel_for(order)
        credit_id = credit_of.get(order.pk) if channel == C.BANK_CREDIT else None
        if channel == C.BANK_CREDIT and credit_id is None:
            continue  # no presentation without a credit (the service refuses it): left on the board
        on_board = shipment.on_board_on or shipment.shipped_on
        day = on_board + (4 + n % 3) * DAY
        amount = (order.total_amount / max(1, shipment.order_shipments)).quantize(Decimal("0.01"))
        d = DocumentDispatch(
            shipment=shipment, credit_id=credit_id, channel=channel, documents=_documents(channel, shipment.bill),
            currency_id=order.currency_id, amount=amount, sent_on=day, sent_by_id=order.merchandiser_id or fallback.pk,
            courier=COURIERS[n % 3] if channel == C.COURIER else "",
            awb_no=f"{7700000000 + shipment.pk * 37 % 10**9}" if channel == C.COURIER else "",
            bank=BANK if channel != C.COURIER else "",
            collection_terms=COLLECTION_TERMS.get(order.payment_method, "") if channel == C.BANK_COLLECTION else "")
        if channel == C.COURIER and day + 4 * DAY <= today:
            d.status, d.result_on = S.DELIVERED, day + 4 * DAY
        elif channel != C.COURIER and order.status in DONE and day + 10 * DAY <= today:
            d.status, d.result_on, d.paid_amount = S.PAID, day + 10 * DAY, amount
        rows.append(d)
        by_month[(day.year, day.month)].append(d)
    with transaction.atomic():
        for (year, month), group in by_month.items():
            for d, number in zip(group, number_next_block(code="document_dispatch", count=len(group),
                                                          on_date=dt.date(year, month, 1)), strict=True):
                d.number = number
        with timestamps_as_given(DocumentDispatch):
            for d in rows:
                d.created_at = d.updated_at = min(now, timezone.make_aware(dt.datetime.combine(d.sent_on, dt.time(15))))
            DocumentDispatch.objects.bulk_create(rows, batch_size=BATCH)
        insert_rows(Event, EVENT_COLUMNS, _events(rows, finance, now))
        _documents_sent(rows)
    return len(rows)


def _params(d: DocumentDispatch) -> dict:
    """``DispatchEvent.params`` (the channel and status as their choice keys, shown translated)."""
    return {"no": d.number, "shipment": d.shipment.number, "channel": choice(DocumentDispatch, "channel", d.channel),
            "status": choice(DocumentDispatch, "status", d.status), "amount": f"{d.amount:f}", "currency": d.currency_id,
            "sent_on": d.sent_on.isoformat(), "via": d.courier or d.bank or "—",
            "reference": d.awb_no or d.bank_reference or "—", "dispatch": d.pk}


def _events(rows: list[DocumentDispatch], finance, now):
    order_ct = ContentType.objects.get_for_model(SalesOrder).pk
    for d in rows:
        order = d.shipment.order
        params = _params(d)
        yield event(order_ct, order.pk, order.number or "", d.sent_by_id, d.created_at, DocumentsDispatched.verb,
                    kind=DocumentsDispatched.kind, params={**params, "status": choice(DocumentDispatch, "status", S.SENT)})
        if d.result_on is not None:
            at = min(now, timezone.make_aware(dt.datetime.combine(d.result_on, dt.time(11))))
            yield event(order_ct, order.pk, order.number or "", finance.pk if d.status == S.PAID else d.sent_by_id,
                        at, DispatchResultRecorded.verb, kind=DispatchResultRecorded.kind, params=params,
                        changes={"status": {"old": S.SENT, "new": d.status,
                                                "model": "exportdocs.documentdispatch"}})


def _documents_sent(rows: list[DocumentDispatch]) -> None:
    """The T&A's "documents sent" done on the day the (first) set went, where still open."""
    first: dict[int, DocumentDispatch] = {}
    for d in rows:
        if d.shipment.order_id not in first or d.sent_on < first[d.shipment.order_id].sent_on:
            first[d.shipment.order_id] = d
    milestones = list(OrderMilestone.objects.filter(order__in=first, key=Milestone.DOCUMENTS_SENT,
                                                    status=OrderMilestone.Status.OPEN))
    for m in milestones:
        d = first[m.order_id]
        m.status, m.actual_date, m.forecast_date, m.completed_by_id = (OrderMilestone.Status.DONE, d.sent_on,
                                                                       d.sent_on, d.sent_by_id)
    OrderMilestone.objects.bulk_update(milestones, ["status", "actual_date", "forecast_date", "completed_by"],
                                       batch_size=BATCH)
