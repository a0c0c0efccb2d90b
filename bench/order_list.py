"""How fast is the order list with a big book of orders?

    .venv/bin/python bench/order_list.py --orders 100000                     # SQLite in /tmp/gendan-bench
    .venv/bin/python bench/order_list.py --orders 100000 --postgres postgres://postgres@127.0.0.1:5432/gendan_bench
    GENDAN_VAR_DIR=var .venv/bin/python bench/order_list.py                  # an already seeded database

Seeds the database with ``seed_demo --orders N`` when it has no demo data yet (and reports
how long that took), picks the merchandiser whose open orders are closest to 500, and times
``--runs`` requests of each measurement after a few warm-up runs:

  page        the order list's first page through Django's test client, logged in as them
  page+overdue  the same, filtered by "overdue payment"
  selector    the ORM query behind the page (``sales.selectors.order_list``: count + first page)
  raw SQL     the same two queries written by hand, through a plain cursor (and the overdue
              filter once more as a correlated EXISTS, to compare with the selector's IN)

and prints p50 / p95 in milliseconds. Nothing here asserts a speed; see bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OPEN = ("confirmed", "in_production", "ready", "shipped", "on_hold")
PAGE = 50


def configure(args) -> None:
    if args.postgres:
        os.environ["DATABASE_URL"] = args.postgres
        os.environ["DJANGO_SETTINGS_MODULE"] = "gendan.settings.test"  # the one that reads DATABASE_URL
    else:
        os.environ.setdefault("GENDAN_VAR_DIR", args.var_dir)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings.dev")
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # no query log, no debug pages: measure what production runs
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def seed_if_empty(orders: int) -> str:
    from django.core.management import call_command

    from gendan.sales.models import SalesOrder

    call_command("migrate", verbosity=0)
    existing = SalesOrder.objects.count()
    if existing:
        return f"existing database with {existing} orders"
    started = time.monotonic()
    call_command("seed_demo", orders=orders, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    return f"seeded {SalesOrder.objects.count()} orders in {time.monotonic() - started:.0f} s"


def pick_merchandiser(username: str | None):
    from django.db.models import Count

    from gendan.accounts.models import User
    from gendan.sales.models import SalesOrder

    if username:
        return User.objects.get(username=username)
    counts = (SalesOrder.objects.filter(status__in=OPEN, merchandiser__team__isnull=True)
              .values("merchandiser").annotate(n=Count("id")))
    best = min(counts, key=lambda row: abs(row["n"] - 500))
    return User.objects.get(pk=best["merchandiser"])


def count_queries(fn) -> int:
    """Queries one call makes. (A CaptureQueriesContext loses them: each request closes the
    connection at its end, as CONN_MAX_AGE = 0 does in production.)"""
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        fn()
    return count


def timed(fn, runs: int, warmup: int = 3) -> tuple[float, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]


def raw_sql(user, overdue: bool, exists: bool = False, listed: bool = False):
    """The list's two queries written by hand: visible orders (customers assigned to the user or
    their team, or orders they follow), newest PO first, joined to what the row shows.
    ``exists``: test the overdue instalment with a correlated EXISTS instead of ``id IN (…)``;
    ``listed``: read the user's customer ids first and list them in the query, instead of a
    subquery inside the OR (which keeps PostgreSQL from using the indexes)."""
    from django.db import connection
    from django.utils import timezone

    customers = ("SELECT id FROM parties_customer WHERE salesperson_id = %s OR merchandiser_id = %s"
                 + (" OR team_id = %s" if user.team_id else ""))
    customer_params = [user.pk, user.pk, *([user.team_id] if user.team_id else [])]
    late, late_params = "", []
    if overdue and exists:
        late = (" AND EXISTS (SELECT 1 FROM finance_paymentplanitem p WHERE p.order_id = o.id AND p.due_date < %s"
                " AND p.received_amount < p.amount) AND o.status NOT IN ('cancelled', 'closed')")
        late_params = [timezone.localdate()]
    elif overdue:  # as sales.selectors.overdue_payment_q writes it
        late = (" AND o.id IN (SELECT order_id FROM finance_paymentplanitem WHERE due_date < %s"
                " AND NOT received_amount >= amount) AND o.status NOT IN ('cancelled', 'closed')")
        late_params = [timezone.localdate()]
    columns = ("o.id, o.number, o.customer_po_no, o.customer_po_date, o.ex_factory_date, o.currency_id, "
               "o.total_amount, o.status, o.payment_status, o.production_status, o.shipment_status, "
               "c.code, c.name_en, c.name_zh, m.username, m.full_name")

    def run():
        with connection.cursor() as cursor:
            if listed:
                cursor.execute(customers, customer_params)
                ids = [row[0] for row in cursor.fetchall()] or [0]
                scope, params = f"o.customer_id IN ({', '.join(['%s'] * len(ids))})", ids
            else:
                scope, params = f"o.customer_id IN ({customers})", list(customer_params)
            condition = f"({scope} OR o.merchandiser_id = %s OR o.salesperson_id = %s){late}"
            params += [user.pk, user.pk, *late_params]
            cursor.execute(f"SELECT COUNT(*) FROM sales_salesorder o WHERE {condition}", params)
            total = cursor.fetchone()[0]
            cursor.execute(f"SELECT {columns} FROM sales_salesorder o JOIN parties_customer c ON c.id = o.customer_id "
                           f"LEFT JOIN accounts_user m ON m.id = o.merchandiser_id WHERE {condition} "
                           f"ORDER BY o.customer_po_date DESC, o.id DESC LIMIT {PAGE}", params)
            return total, cursor.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000, help="orders to seed when the database is empty")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database (created beforehand, may be empty)")
    parser.add_argument("--var-dir", default="/tmp/gendan-bench", help="SQLite: GENDAN_VAR_DIR when not set")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--user", help="username to measure (default: the merchandiser with ~500 open orders)")
    args = parser.parse_args()
    configure(args)

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from gendan.sales.selectors import order_list, order_queryset

    how = seed_if_empty(args.orders)
    user = pick_merchandiser(args.user)
    visible = order_queryset(user)
    client = Client()
    client.force_login(user)
    url = reverse("sales:order_list")

    def page(query: str = ""):
        def run():
            response = client.get(url + query)
            assert response.status_code == 200, response.status_code
            return response
        return run

    def selector(filters: dict):
        def run():
            qs = order_list(user=user, filters=filters).order_by("-customer_po_date", "-id")
            return qs.count(), list(qs[:PAGE])
        return run

    cases = [
        ("page", page(), {}),
        ("page, overdue payment", page("?payment_overdue=on"), {"payment_overdue": True}),
        ("selector (ORM)", selector({}), {}),
        ("selector, overdue payment", selector({"payment_overdue": True}), {"payment_overdue": True}),
        ("raw SQL", raw_sql(user, overdue=False), {}),
        ("raw SQL, overdue payment", raw_sql(user, overdue=True), {"payment_overdue": True}),
        ("raw SQL, overdue, EXISTS", raw_sql(user, overdue=True, exists=True), {"payment_overdue": True}),
        ("raw SQL, customers listed", raw_sql(user, overdue=False, listed=True), {}),
        ("raw SQL, listed + EXISTS", raw_sql(user, overdue=True, exists=True, listed=True),
         {"payment_overdue": True}),
    ]
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); {how}")
    print(f"user: {user.username} — sees {visible.count()} orders, {visible.filter(status__in=OPEN).count()} open, "
          f"{order_list(user=user, filters={'payment_overdue': True}).count()} with an overdue payment")
    print(f"{args.runs} runs each after 3 warm-up runs\n")
    print(f"| {'measurement':<27} | {'rows':>5} | {'queries':>7} | {'p50 ms':>7} | {'p95 ms':>7} |")
    print(f"|{'-' * 29}|{'-' * 6}:|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|")
    for name, fn, filters in cases:
        queries = count_queries(fn)
        rows = order_list(user=user, filters=filters).count()
        p50, p95 = timed(fn, args.runs)
        print(f"| {name:<27} | {rows:>5} | {queries:>7} | {p50:>7.1f} | {p95:>7.1f} |")


if __name__ == "__main__":
    main()
