"""How fast are the aging of all customers and one customer's statement with a big book?

    .venv/bin/python bench/aging.py --orders 100000                      # SQLite in /tmp/gendan-bench-aging
    .venv/bin/python bench/aging.py --orders 100000 --postgres postgres://postgres@127.0.0.1:5432/gendan_bench_aging
    GENDAN_VAR_DIR=/tmp/seedbench .venv/bin/python bench/aging.py          # a database seeded by seed_demo

When the database has no orders it is filled with what the aging and the ledger read, and only
that (``seed_demo --orders N`` takes minutes for every app; this takes about a minute): one
customer per 50 orders (``--customers``), N confirmed orders over three years in USD / EUR /
CNY with their deposit and balance instalments (due dates from 60 days ahead to two years back),
receipts allocated to about 70 % of the deposits and 45 % of the balances (some partly), a few
hundred open disputes, monthly exchange rates. Then, after 3 warm-up runs, ``--runs`` times:

  aging selector   ``receivables.selectors.aging.aging_report`` for finance: every customer (2 queries)
  aging page       ``/receivables/aging/`` through the test client (selector + template + chart)
  aging raw SQL    the same GROUP BY … SUM(CASE …) written by hand: the floor to compare with
  statement        ``statement_for`` of the customer with the most orders: ledger read + statement
  statement PDF    the same, printed (``render_statement_pdf``)

and prints p50 / p95 in milliseconds with the queries of one run. Targets (issue 14): aging
under 300 ms, a statement under 100 ms. Nothing here asserts a speed; see bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(args) -> None:
    if args.postgres:
        os.environ["DATABASE_URL"] = args.postgres
        os.environ["DJANGO_SETTINGS_MODULE"] = "gendan.settings.test"
    else:
        os.environ.setdefault("GENDAN_VAR_DIR", args.var_dir)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings.dev")
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def seed(orders: int, customers: int) -> str:
    """Customers, confirmed orders, their instalments, receipts and allocations, disputes, rates."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from gendan.accounts.models import User
    from gendan.finance.models import ExchangeRate, PaymentPlanItem, Receipt, ReceiptAllocation
    from gendan.parties.models import Customer
    from gendan.receivables.models import Dispute
    from gendan.sales.models import SalesOrder

    call_command("migrate", verbosity=0)
    if SalesOrder.objects.exists():
        return f"existing database with {SalesOrder.objects.count()} orders"
    started = time.monotonic()
    rng = random.Random(14)
    today = timezone.localdate()
    now = timezone.now()
    from django.contrib.auth.models import Group

    from gendan.accounts.roles import roles_sync

    roles_sync()
    fin, _created = User.objects.get_or_create(username="bench-finance", defaults={"language": "en"})
    fin.groups.add(Group.objects.get(name="finance"))
    merchs = []
    for n in range(max(1, customers // 20)):
        merch, _created = User.objects.get_or_create(username=f"bench-merch{n}", defaults={"language": "en"})
        merch.groups.add(Group.objects.get(name="merchandiser"))
        merchs.append(merch)
    with transaction.atomic():
        Customer.objects.bulk_create([
            Customer(code=f"B{n:05d}", name_en=f"Bench customer {n}", country=rng.choice(["US", "DE", "GB", "CN"]),
                     default_currency_id="USD", merchandiser=merchs[n % len(merchs)], salesperson=None)
            for n in range(customers)], batch_size=1000)
        cust = list(Customer.objects.filter(code__startswith="B").values_list("pk", "merchandiser_id"))
        for c in ("USD", "EUR"):
            ExchangeRate.objects.bulk_create([
                ExchangeRate(currency_id=c, valid_from=dt.date(today.year - 3 + m // 12, m % 12 + 1, 1),
                             cny_per_unit=Decimal("7.1") if c == "USD" else Decimal("7.8"), set_by=fin, set_at=now)
                for m in range(36) if dt.date(today.year - 3 + m // 12, m % 12 + 1, 1) <= today],
                ignore_conflicts=True)
    plan = []
    for n in range(orders):
        customer, merch = cust[n % len(cust)]
        confirmed = today - dt.timedelta(days=rng.randint(0, 1095))
        total = Decimal(rng.randint(2_000_00, 200_000_00)) / 100
        plan.append((n, customer, merch, confirmed, total, rng.choice(["USD", "USD", "EUR", "CNY"])))
    batch = 5000
    for start in range(0, orders, batch):
        with transaction.atomic():
            rows = []
            for n, customer, merch, confirmed, total, currency in plan[start:start + batch]:
                deposit = (total * Decimal("0.3")).quantize(Decimal("0.01"))
                rows.append(SalesOrder(
                    number=f"BSO{n:07d}", customer_id=customer, customer_po_no=f"PO{n}", customer_po_date=confirmed,
                    ex_factory_date=confirmed + dt.timedelta(days=60), currency_id=currency, status="confirmed",
                    merchandiser_id=merch, total_amount=total, deposit_amount=deposit,
                    balance_amount=total - deposit,
                    confirmed_at=timezone.make_aware(dt.datetime.combine(confirmed, dt.time(10)))))
            created = SalesOrder.objects.bulk_create(rows)
            items, receipts, paid = [], [], []
            for order, (n, customer, _m, confirmed, total, currency) in zip(created, plan[start:start + batch],
                                                                           strict=True):
                deposit = order.deposit_amount
                balance = total - deposit
                dep_paid = deposit if rng.random() < 0.7 else Decimal("0")
                bal_paid = (balance if rng.random() < 0.8 else (balance / 2).quantize(Decimal("0.01"))) \
                    if dep_paid and rng.random() < 0.65 else Decimal("0")
                items.append(PaymentPlanItem(order=order, kind="deposit", amount=deposit, received_amount=dep_paid,
                                             due_date=confirmed + dt.timedelta(days=7), due_rule="after_confirmation:7"))
                items.append(PaymentPlanItem(order=order, kind="balance", amount=balance, received_amount=bal_paid,
                                             due_date=confirmed + dt.timedelta(days=90), due_rule="oa:30"))
                if dep_paid + bal_paid:
                    receipts.append(Receipt(number=f"BRC{n:07d}", customer_id=customer, currency_id=currency,
                                            amount=dep_paid + bal_paid, received_on=confirmed + dt.timedelta(days=10),
                                            bank_reference=f"BFT{n:07d}", allocated_amount=dep_paid + bal_paid,
                                            recorded_by=fin))
                    paid.append(order)
            PaymentPlanItem.objects.bulk_create(items)
            receipts = Receipt.objects.bulk_create(receipts)
            ReceiptAllocation.objects.bulk_create([
                ReceiptAllocation(receipt=r, order=o, amount=r.amount, order_amount=r.amount, allocated_by=fin,
                                  allocated_at=now) for r, o in zip(receipts, paid, strict=True)])
            SalesOrder.objects.filter(pk__in=[o.pk for o in paid]).update(received_amount=0)  # (not read here)
    open_items = list(PaymentPlanItem.objects.filter(received_amount=0, kind="balance").values_list("pk", "amount")[:300])
    Dispute.objects.bulk_create([Dispute(plan_item_id=pk, amount=(amount / 10).quantize(Decimal("0.01")),
                                         reason="bench", opened_by=fin, opened_at=now) for pk, amount in open_items])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return f"seeded {orders} orders for {customers} customers in {time.monotonic() - started:.0f} s"


def timed(fn, runs: int, warmup: int = 3) -> tuple[float, float]:
    for _n in range(warmup):
        fn()
    samples = []
    for _n in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]


def count_queries(fn) -> int:
    from django.db import connection

    n = 0

    def counter(execute, sql, params, many, context):
        nonlocal n
        n += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        fn()
    return n


RAW = """
SELECT o.customer_id, o.currency_id,
  SUM(CASE WHEN i.due_date IS NULL OR i.due_date >= %(d0)s THEN i.amount - i.received_amount ELSE 0 END),
  SUM(CASE WHEN i.due_date <= %(d1)s AND i.due_date >= %(d30)s THEN i.amount - i.received_amount ELSE 0 END),
  SUM(CASE WHEN i.due_date <= %(d31)s AND i.due_date >= %(d60)s THEN i.amount - i.received_amount ELSE 0 END),
  SUM(CASE WHEN i.due_date <= %(d61)s AND i.due_date >= %(d90)s THEN i.amount - i.received_amount ELSE 0 END),
  SUM(CASE WHEN i.due_date <= %(d91)s THEN i.amount - i.received_amount ELSE 0 END)
FROM finance_paymentplanitem i JOIN sales_salesorder o ON o.id = i.order_id
WHERE i.received_amount < i.amount AND o.status NOT IN ('draft', 'cancelled')
GROUP BY o.customer_id, o.currency_id
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=0, help="default: one per 50 orders")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--postgres", help="a PostgreSQL URL (the database must exist)")
    parser.add_argument("--var-dir", default="/tmp/gendan-bench-aging")
    args = parser.parse_args()
    configure(args)
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from gendan.accounts.models import User
    from gendan.receivables.pdf_statement import render_statement_pdf
    from gendan.receivables.selectors.aging import aging_report
    from gendan.receivables.services.statements import default_period, statement_for
    from gendan.sales.models import SalesOrder

    print(seed(args.orders, args.customers or max(1, args.orders // 50)))
    fin = (User.objects.filter(username="bench-finance").first()
           or User.objects.filter(groups__name="finance", is_active=True).first())
    top = (SalesOrder.objects.values("customer_id").annotate(n=Count("id")).order_by("-n").first())
    start, end = default_period()
    start = end - dt.timedelta(days=365)
    today = timezone.localdate()
    params = {f"d{n}": today - dt.timedelta(days=n) for n in (0, 1, 30, 31, 60, 61, 90, 91)}

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(RAW, params)
            return cursor.fetchall()

    client = Client()
    client.force_login(fin)
    measures = [
        ("aging selector (all customers)", lambda: aging_report(user=fin)),
        ("aging page (all customers)", lambda: client.get("/receivables/aging/")),
        ("aging raw SQL", raw),
        (f"statement ({top['n']} orders, 1 year)",
         lambda: statement_for(user=fin, customer_id=top["customer_id"], start=start, end=end)),
        ("statement PDF", lambda: render_statement_pdf(
            statement_for(user=fin, customer_id=top["customer_id"], start=start, end=end))),
    ]
    rows = len(aging_report(user=fin).rows)
    print(f"{connection.vendor}, {SalesOrder.objects.count()} orders, aging rows {rows}, p50 / p95 ms over "
          f"{args.runs} runs")
    for label, fn in measures:
        queries = count_queries(fn)
        p50, p95 = timed(fn, args.runs)
        print(f"  {label:<36} {p50:8.1f} {p95:8.1f}   ({queries} queries)")


if __name__ == "__main__":
    main()
