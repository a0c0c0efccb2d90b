"""The customer ledger (客户往来账), read — never stored — from finance's facts:

- every instalment of the payment plan of a confirmed order is a **debit**, dated by the order's
  confirmation, with its due date and due rule;
- every allocation of a receipt to an order is a **credit** at the receipt's value date, in the
  order's currency (the bank charges deducted from that receipt shown beside it);
- what is left of a receipt unallocated is a credit **on account** at its value date, in the
  receipt's currency;
- open ``receivables.Dispute``\\ s are flagged on their instalment.

Each currency has its own running balance; every movement has its CNY equivalent at the rate
finance booked for its day (``finance.rates.RateBook``). A handful of queries per customer,
whatever the number of orders: ``ledger_entries`` is what the ledger page, the statement (page,
PDF, Excel, e-mail) and the API all read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from gendan.accounts.models import User
from gendan.finance.models import PaymentPlanItem, Receipt, ReceiptAllocation
from gendan.finance.rates import RateBook
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_queryset
from gendan.receivables.models import Dispute
from gendan.sales.models import SalesOrder
from gendan.sales.terms import due_event_text

VIEW = "receivables.view_agingpolicy"  # who may see receivables (scoped to their customers)
ZERO = Decimal("0")
# Orders that owe nothing: a draft is not agreed, a cancelled order's plan is void.
NOT_OWED = (SalesOrder.Status.DRAFT, SalesOrder.Status.CANCELLED)

INSTALMENT = "instalment"
PAYMENT = "payment"
ON_ACCOUNT = "on_account"


@dataclass
class Entry:
    """One line of the ledger."""

    day: dt.date
    kind: str  # INSTALMENT | PAYMENT | ON_ACCOUNT
    currency: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    order_id: int | None = None
    order_number: str = ""
    customer_po_no: str = ""
    plan_item_id: int | None = None
    instalment: str = ""  # deposit | balance
    due_date: dt.date | None = None
    due_rule: str = ""
    receipt_id: int | None = None
    receipt_number: str = ""
    bank_reference: str = ""
    bank_charges: Decimal = ZERO  # the receipt's, shown on its first line
    receipt_currency: str = ""
    receipt_amount: Decimal = ZERO  # of the allocation, in the receipt's currency
    exchange_rate: Decimal | None = None  # order per receipt currency (a cross-currency allocation)
    disputed: Decimal = ZERO
    balance: Decimal = ZERO  # running, in ``currency``
    rate: Decimal | None = None  # CNY per unit on ``day``
    cny: Decimal | None = None  # debit − credit in CNY
    seq: int = 0

    @property
    def amount(self) -> Decimal:
        """Signed: a debit is positive, a credit negative."""
        return self.debit - self.credit

    @property
    def due_text(self) -> str:
        return due_event_text(self.due_rule)

    def sort_key(self):
        return (self.day, 0 if self.kind == INSTALMENT else 1, self.order_number, self.receipt_number, self.seq)


@dataclass
class LedgerFacts:
    """Everything the ledger of one customer is read from (one read; the statement and the open
    items are computed from it without another query)."""

    customer: Customer
    entries: list[Entry]
    plan_items: list[dict]  # id, order_id, kind, amount, due_date, due_rule, currency, order_number
    rates: RateBook
    currencies: list[str] = field(default_factory=list)


@dataclass
class CurrencyLedger:
    currency: str
    entries: list[Entry]
    debit: Decimal
    credit: Decimal
    balance: Decimal
    disputed: Decimal
    rate_today: Decimal | None
    cny_balance: Decimal | None


@dataclass
class OrderBalance:
    order_id: int | None
    order_number: str
    customer_po_no: str
    currency: str
    debit: Decimal
    credit: Decimal
    overdue: Decimal
    oldest_due: dt.date | None
    disputed: Decimal

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit


# --- scope -------------------------------------------------------------------------------


def ledger_customer_queryset(user: User) -> QuerySet[Customer]:
    """The customers whose receivables ``user`` may read: finance and managers all (a regional
    manager their region), merchandisers and salespeople theirs (``parties.customer_scope``)."""
    if not user.has_perm(VIEW):
        return Customer.objects.none()
    return customer_queryset(user)


def ledger_customer_get(*, user: User, pk) -> Customer:
    """The customer, if ``user`` may read its ledger; 404 alike for missing and out of scope."""
    try:
        return ledger_customer_queryset(user).get(pk=pk)
    except (Customer.DoesNotExist, ValueError, TypeError):
        raise Http404("No such customer.") from None


# --- the facts -----------------------------------------------------------------------------


def _local_day(value: dt.datetime | None, fallback: dt.date) -> dt.date:
    return timezone.localdate(value) if value else fallback


def ledger_facts(customer: Customer) -> LedgerFacts:
    """Read every instalment, allocation, unallocated receipt and open dispute of ``customer``
    (five queries) into ledger entries, unsorted, without balances."""
    owed = ~Q(order__status__in=NOT_OWED)
    items = list(PaymentPlanItem.objects.filter(owed, order__customer_id=customer.pk).values(
        "id", "order_id", "kind", "amount", "due_date", "due_rule", "order__number", "order__customer_po_no",
        "order__currency_id", "order__confirmed_at", "order__customer_po_date"))
    allocations = list(ReceiptAllocation.objects.filter(order__customer_id=customer.pk).values(
        "id", "order_id", "amount", "order_amount", "exchange_rate", "order__number", "order__customer_po_no",
        "order__currency_id", "receipt_id", "receipt__number", "receipt__received_on", "receipt__bank_reference",
        "receipt__bank_charges", "receipt__currency_id").order_by("receipt__received_on", "id"))
    unallocated = list(Receipt.objects.filter(
        customer_id=customer.pk, allocated_amount__lt=F("amount") + F("bank_charges")).values(
        "id", "number", "received_on", "bank_reference", "bank_charges", "currency_id", "amount",
        "allocated_amount"))
    disputed = dict(Dispute.objects.filter(plan_item__order__customer_id=customer.pk, settled_at__isnull=True)
                    .values("plan_item_id").annotate(s=Sum("amount")).values_list("plan_item_id", "s"))
    currencies = sorted({i["order__currency_id"] for i in items} | {a["order__currency_id"] for a in allocations}
                        | {r["currency_id"] for r in unallocated})
    rates = RateBook.load(currencies)

    entries: list[Entry] = []
    plan_items = []
    for i in items:
        day = _local_day(i["order__confirmed_at"], i["order__customer_po_date"])
        plan_items.append({"id": i["id"], "day": day, "order_id": i["order_id"], "kind": i["kind"], "amount": i["amount"],
                           "due_date": i["due_date"], "due_rule": i["due_rule"], "currency": i["order__currency_id"],
                           "order_number": i["order__number"] or "", "customer_po_no": i["order__customer_po_no"],
                           "disputed": min(disputed.get(i["id"]) or ZERO, i["amount"])})
        entries.append(Entry(
            day=day, kind=INSTALMENT, currency=i["order__currency_id"], debit=i["amount"], order_id=i["order_id"],
            order_number=i["order__number"] or "", customer_po_no=i["order__customer_po_no"], plan_item_id=i["id"],
            instalment=i["kind"], due_date=i["due_date"], due_rule=i["due_rule"],
            disputed=min(disputed.get(i["id"]) or ZERO, i["amount"]),
            seq=0 if i["kind"] == PaymentPlanItem.Kind.DEPOSIT else 1))
    charges_shown: set[int] = set()
    for a in allocations:
        first = a["receipt_id"] not in charges_shown
        charges_shown.add(a["receipt_id"])
        cross = a["receipt__currency_id"] != a["order__currency_id"]
        entries.append(Entry(
            day=a["receipt__received_on"], kind=PAYMENT, currency=a["order__currency_id"], credit=a["order_amount"],
            order_id=a["order_id"], order_number=a["order__number"] or "", customer_po_no=a["order__customer_po_no"],
            receipt_id=a["receipt_id"], receipt_number=a["receipt__number"],
            bank_reference=a["receipt__bank_reference"],
            bank_charges=a["receipt__bank_charges"] if first else ZERO, receipt_currency=a["receipt__currency_id"],
            receipt_amount=a["amount"], exchange_rate=a["exchange_rate"] if cross else None, seq=a["id"]))
    for r in unallocated:
        entries.append(Entry(
            day=r["received_on"], kind=ON_ACCOUNT, currency=r["currency_id"],
            credit=r["amount"] + r["bank_charges"] - r["allocated_amount"], receipt_id=r["id"],
            receipt_number=r["number"], bank_reference=r["bank_reference"],
            bank_charges=r["bank_charges"] if r["id"] not in charges_shown else ZERO,
            receipt_currency=r["currency_id"], seq=10**9))
    for e in entries:
        e.rate = rates.on(e.currency, e.day)
        e.cny = None if e.rate is None else (e.amount * e.rate).quantize(Decimal("0.01"))
    return LedgerFacts(customer=customer, entries=entries, plan_items=plan_items, rates=rates, currencies=currencies)


def running(entries: list[Entry], opening: Decimal = ZERO) -> list[Entry]:
    """Sort the entries of one currency and set their running balance from ``opening``."""
    balance = opening
    ordered = sorted(entries, key=Entry.sort_key)
    for e in ordered:
        balance += e.amount
        e.balance = balance
    return ordered


def by_currency(entries: list[Entry]) -> dict[str, list[Entry]]:
    grouped: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        grouped[e.currency].append(e)
    return dict(sorted(grouped.items()))


# --- the ledger page -----------------------------------------------------------------------


@dataclass
class Ledger:
    customer: Customer
    currencies: list[CurrencyLedger]
    orders: list[OrderBalance]
    on_account: list[Entry]
    today: dt.date


def ledger_for(*, user: User, customer_id, currency: str | None = None, today: dt.date | None = None) -> Ledger:
    """The ledger of one customer (scoped: 404 out of scope), per currency with running balances,
    and the balance of each order."""
    customer = ledger_customer_get(user=user, pk=customer_id)
    today = today or timezone.localdate()
    facts = ledger_facts(customer)
    entries = [e for e in facts.entries if not currency or e.currency == currency]
    currencies = []
    for code, rows in by_currency(entries).items():
        ordered = running(rows)
        debit = sum((e.debit for e in ordered), ZERO)
        credit = sum((e.credit for e in ordered), ZERO)
        rate = facts.rates.on(code, today)
        balance = debit - credit
        currencies.append(CurrencyLedger(
            currency=code, entries=ordered, debit=debit, credit=credit, balance=balance,
            disputed=sum((e.disputed for e in ordered), ZERO), rate_today=rate,
            cny_balance=None if rate is None else (balance * rate).quantize(Decimal("0.01"))))
    return Ledger(customer=customer, currencies=currencies, orders=order_balances(facts, today=today, currency=currency),
                  on_account=[e for e in entries if e.kind == ON_ACCOUNT], today=today)


def open_instalments(facts: LedgerFacts, *, as_of: dt.date) -> list[dict]:
    """Each instalment's open amount on ``as_of``: the money allocated to its order up to that
    day spread over the order's instalments deposit first (as finance spreads it), and each
    order's credit (more allocated than owed) as an item of its own. With the unallocated
    receipts these items add up to the closing balance exactly."""
    credits: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for e in facts.entries:
        if e.kind == PAYMENT and e.day <= as_of:
            credits[e.order_id] += e.credit
    per_order: dict[int, list[dict]] = defaultdict(list)
    for item in facts.plan_items:
        if item["day"] <= as_of:
            per_order[item["order_id"]].append(item)
    result = []
    samples = {e.order_id: e for e in facts.entries if e.kind == PAYMENT}
    for order_id in sorted(set(per_order) | set(credits)):
        remaining = credits.get(order_id, ZERO)
        items = sorted(per_order.get(order_id, []), key=lambda i: i["kind"] != PaymentPlanItem.Kind.DEPOSIT)
        for item in items:
            applied = min(remaining, item["amount"])
            remaining -= applied
            if item["amount"] - applied:
                result.append({**item, "open": item["amount"] - applied, "kind_label": item["kind"],
                               "credit_item": False})
        if remaining > 0:  # more allocated to the order than its instalments up to that day
            sample = samples.get(order_id)
            result.append({"id": None, "order_id": order_id, "kind": "", "amount": ZERO, "due_date": None,
                           "due_rule": "", "currency": sample.currency if sample else "",
                           "order_number": sample.order_number if sample else "",
                           "customer_po_no": sample.customer_po_no if sample else "", "disputed": ZERO,
                           "open": -remaining, "credit_item": True})
    return result


def days_overdue(due_date: dt.date | None, as_of: dt.date) -> int:
    return max((as_of - due_date).days, 0) if due_date else 0


def order_balances(facts: LedgerFacts, *, today: dt.date, currency: str | None = None) -> list[OrderBalance]:
    """Debit, credit, overdue and disputed per order (orders with nothing on them left out)."""
    rows: dict[int, OrderBalance] = {}
    for e in facts.entries:
        if e.order_id is None or (currency and e.currency != currency):
            continue
        row = rows.get(e.order_id)
        if row is None:
            row = rows[e.order_id] = OrderBalance(e.order_id, e.order_number, e.customer_po_no, e.currency,
                                                  ZERO, ZERO, ZERO, None, ZERO)
        row.debit += e.debit
        row.credit += e.credit
        row.disputed += e.disputed
    for item in open_instalments(facts, as_of=today):
        row = rows.get(item["order_id"])
        if row is None or item["credit_item"] or not item["due_date"] or item["due_date"] >= today:
            continue
        row.overdue += item["open"]
        row.oldest_due = min(row.oldest_due or item["due_date"], item["due_date"])
    return sorted(rows.values(), key=lambda r: (r.currency, r.order_number))


# --- the order page's panel ------------------------------------------------------------------


def order_instalments(order: SalesOrder, *, today: dt.date | None = None) -> list[dict]:
    """The order's instalments for its page: amount, received, open, due date and rule, days
    overdue, amount in dispute (two queries)."""
    today = today or timezone.localdate()
    disputed = dict(Dispute.objects.filter(plan_item__order=order, settled_at__isnull=True)
                    .values("plan_item_id").annotate(s=Sum("amount")).values_list("plan_item_id", "s"))
    rows = []
    for item in PaymentPlanItem.objects.filter(order=order).order_by("kind"):
        open_amount = item.open_amount
        overdue = days_overdue(item.due_date, today) if open_amount else 0
        rows.append({"item": item, "kind": item.get_kind_display(), "amount": item.amount,
                     "received": item.received_amount, "open": open_amount, "due_date": item.due_date,
                     "due_text": item.due_event, "days_overdue": overdue,
                     "disputed": disputed.get(item.pk) or ZERO})
    return rows
