"""Demo money: the payment plan of every confirmed demo order, the deposit and balance
requests emailed to the customer, and the receipts finance recorded and allocated.

Reads the stories the sales step planned (``ctx.data["order_stories"]``): which amounts the
customer paid on which day. Each payment is one receipt (sometimes with bank charges
deducted, sometimes with a little left over as the customer's credit) allocated to its order
in full, so ``received_amount``, the plan items and the receipts agree to the cent — as
``receipt_allocate`` and ``order_refresh_substates`` would have left them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from gendan.core.events import choice
from gendan.core.models import Event
from gendan.core.money import format_money, quantum
from gendan.demo.sales import (
    BATCH,
    CHUNK,
    EVENT_COLUMNS,
    Story,
    allocate_numbers,
    event,
    insert_rows,
    timestamps_as_given,
)
from gendan.finance.events import PaymentAllocated, PaymentRequested, ReceiptAllocated, ReceiptRecorded
from gendan.finance.models import PaymentPlanItem, PaymentRequest, Receipt, ReceiptAllocation
from gendan.finance.services import _compose
from gendan.parties.models import Contact, Customer
from gendan.sales.events import OrderCompleted
from gendan.sales.models import SalesOrder

V = Event.Verb
CHARGES = {"JPY": ("0", "2500", "4000"), "CNY": ("0",)}  # bank charges deducted on the way, by currency
DEFAULT_CHARGES = ("0", "0", "15", "25", "35")


def seed(ctx) -> None:
    stories = [s for s in ctx.data.get("order_stories", []) if s.confirmed]
    if not stories:
        return
    finance = ctx.users.get("finance") or ctx.users["admin"]
    recipients = _recipients()
    receipts_for: dict[tuple[int, int], str] = {}  # (order index, payment index) -> receipt no.
    allocate_numbers("receipt", ((s.days[milestone], s.index * 2 + k,
                                  lambda no, key=(s.index, k): receipts_for.__setitem__(key, no))
                                 for s in stories for k, (milestone, _amount) in enumerate(s.payments)))
    refs = {"order_ct": ContentType.objects.get_for_model(SalesOrder).pk,
            "receipt_ct": ContentType.objects.get_for_model(Receipt).pk, "finance": finance.pk,
            "recipients": recipients, "receipts_for": receipts_for}
    totals = defaultdict(int)
    with timestamps_as_given(Receipt):
        for start in range(0, len(stories), CHUNK):
            for name, count in _write(stories[start:start + CHUNK], refs).items():
                totals[name] += count
    ctx.say(f"  {totals['plan']} instalments, {totals['receipts']} receipts, {totals['requests']} payment requests")


def _recipients() -> dict[int, list[str]]:
    """Customer id → where payment requests go: the main contacts' emails, else the first
    contact email, else the customer's own (the rule of ``finance.services._recipients``)."""
    primary, other = defaultdict(list), defaultdict(list)
    for customer_id, email, is_primary in (Contact.objects.filter(customer__isnull=False).exclude(email="")
                                           .order_by("name", "id").values_list("customer_id", "email", "is_primary")):
        (primary if is_primary else other)[customer_id].append(email)
    result = {}
    for customer_id, email in Customer.objects.values_list("pk", "email"):
        emails = primary.get(customer_id) or other.get(customer_id, [])[:1] or ([email] if email else [])
        if emails:
            result[customer_id] = emails
    return result


PLAN_COLUMNS = ["order_id", "kind", "amount", "due_date", "due_rule", "received_amount", "requested_at"]
REQUEST_COLUMNS = ["order_id", "kind", "amount", "currency_id", "due_date", "sent_to", "subject", "body",
                   "requested_by_id", "requested_at", "email_sent_at"]


def _write(stories: list[Story], refs: dict) -> dict[str, int]:
    order_ct, receipt_ct, finance = refs["order_ct"], refs["receipt_ct"], refs["finance"]
    items, receipts, pending, requests, events = [], [], [], [], []
    for s in stories:
        plan = _plan_items(s)
        items += plan.values()
        for kind in s.requests:
            to = refs["recipients"].get(s.customer.pk)
            if kind not in plan or not to:
                continue
            requests.append(_request(s, plan[kind], to, events, refs))
        for k, (milestone, amount) in enumerate(s.payments):
            at = s.times[milestone]
            number = refs["receipts_for"][s.index, k]
            cur = s.currency
            options = CHARGES.get(cur, DEFAULT_CHARGES)
            charges = Decimal(options[(s.index + k) % len(options)])
            credit = quantum(cur) * 100 * ((s.index + k) % 7) if (s.index + k) % 19 == 0 else Decimal("0")
            gross = amount + credit
            # SQLite evaluates the receipt_not_overallocated check in floating point, where
            # 11.01 + 5.00 < 16.01: such a receipt cannot be stored there (a known defect of the
            # constraint), so the demo takes no charges off those amounts.
            if charges * 4 >= gross or float(gross - charges) + float(charges) < float(amount):
                charges = Decimal("0")
            ref = f"FT{at:%y%m%d}{s.index:06d}{k}"  # one transfer, one reference (receipt_bank_reference_once)
            receipt = Receipt(number=number, customer_id=s.customer.pk, currency_id=cur, amount=gross - charges,
                              bank_charges=charges, received_on=s.days[milestone], bank_reference=ref,
                              payer_name=s.customer.name_en or s.customer.name_zh, allocated_amount=amount,
                              recorded_by_id=finance, created_at=at, updated_at=at)
            receipts.append(receipt)
            pending.append((s, k, receipt, amount, at))
    Receipt.objects.bulk_create(receipts, batch_size=BATCH)
    allocations = []
    for s, k, receipt, amount, at in pending:
        cur = s.currency
        allocations.append((receipt.pk, s.order_id, amount, Decimal("1"), amount, finance, at))
        events.append(event(receipt_ct, receipt.pk, receipt.number, finance, at, V.CREATED,
                            kind=ReceiptRecorded.kind, params={"amount": format_money(receipt.amount, cur),
                                                               "charges": format_money(receipt.bank_charges, cur)}))
        if k == len(s.payments) - 1 and s.completed_by_payment:  # the balance completed a shipped order
            events.append(event(order_ct, s.order_id, s.number, finance, at + dt.timedelta(seconds=1),
                                V.STATE_CHANGED, changes={"status": {"old": "shipped", "new": "completed"}},
                                kind=OrderCompleted.kind))
        events.append(event(order_ct, s.order_id, s.number, finance, at + dt.timedelta(seconds=2), V.NOTE,
                            kind=PaymentAllocated.kind,
                            params={"amount": format_money(amount, cur), "receipt": receipt.number,
                                    "ref": receipt.bank_reference, "rate": ""}))
        events.append(event(receipt_ct, receipt.pk, receipt.number, finance, at + dt.timedelta(seconds=3),
                            V.UPDATED, changes={"allocated_amount": {"old": str(Decimal("0.00")),
                                                                     "new": str(Decimal("0.00") + amount)}},
                            kind=ReceiptAllocated.kind, params={"amount": format_money(amount, cur), "order": s.number}))
    insert_rows(PaymentPlanItem, PLAN_COLUMNS, items)
    insert_rows(ReceiptAllocation, ["receipt_id", "order_id", "amount", "exchange_rate", "order_amount",
                                    "allocated_by_id", "allocated_at"], allocations)
    insert_rows(PaymentRequest, REQUEST_COLUMNS, requests)
    insert_rows(Event, EVENT_COLUMNS, events)
    return {"plan": len(items), "receipts": len(receipts), "requests": len(requests)}


def _plan_items(s: Story) -> dict[str, tuple]:
    """The instalments of ``s`` (``PLAN_COLUMNS``) with what was received on each, deposit
    first, as ``order_refresh_substates`` spreads the money received."""
    remaining = s.received
    items = {}
    for inst in sorted(s.plan, key=lambda i: i.kind != PaymentPlanItem.Kind.DEPOSIT):
        received = min(remaining, inst.amount)
        remaining -= received
        requested = s.times.get(f"request_{inst.kind}") if inst.kind in s.requests else None
        items[inst.kind] = (s.order_id, inst.kind, inst.amount, inst.due_date, inst.due_event, received, requested)
    return items


def _request(s: Story, item: tuple, to: list[str], events: list[tuple], refs: dict) -> tuple:
    """The deposit or balance request (``REQUEST_COLUMNS``) as ``payment_request_send`` records
    it, sent before any of that instalment arrived (without a PI: the demo issues no documents)."""
    _order_id, kind, amount, due_date, due_rule, _received, at = item
    order = SalesOrder(number=s.number, customer_po_no=s.po_no, total_amount=s.total, currency_id=s.currency)
    asked = PaymentPlanItem(kind=kind, amount=amount, due_date=due_date, due_rule=due_rule)
    with translation.override("zh-hans" if s.customer.country == "CN" else "en"):
        subject, body = _compose(order, asked, None, "")
    sent_to = ", ".join(to)
    events.append(event(refs["order_ct"], s.order_id, s.number, s.merchandiser_id, at, V.NOTE,
                        kind=PaymentRequested.kind,
                        params={"kind": choice(PaymentPlanItem, "kind", kind), "amount": format_money(amount, s.currency),
                                "to": sent_to}))
    return (s.order_id, kind, amount, s.currency, due_date, sent_to[:400], subject[:200], body, s.merchandiser_id,
            at, at + dt.timedelta(seconds=20))
