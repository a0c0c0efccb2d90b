"""How fast is the shipments list with a big book of orders?

    .venv/bin/python bench/shipments_list.py --orders 100000                 # SQLite in /tmp/gendan-bench
    .venv/bin/python bench/shipments_list.py --orders 100000 --postgres postgres://postgres@127.0.0.1:5432/gendan_bench
    GENDAN_VAR_DIR=var .venv/bin/python bench/shipments_list.py              # an already seeded database

Uses (or seeds, like ``order_list.py``) the demo database, picks the merchandiser who sees the
most shipments and a department user who sees them all (the warehouse), and times ``--runs``
requests of each measurement after a few warm-up runs:

  page            the list's first page through Django's test client, logged in as them
  page, filter    the same with the ETD week of the busiest week, a forwarder, a port
  selector        the ORM query behind the page (``shipping.selectors.shipment_list``: count + first page)
  shipment page   one shipment's page (header, sections, timeline)
  export          the filtered list as .xlsx (``--export-runs`` runs: it is slower by nature)

and prints p50 / p95 in milliseconds and the queries per request. ``--concurrency N`` also runs
the first page from N threads at once (each its own connection) and reports p50 / p95 over all
requests. Nothing here asserts a speed; see bench/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from order_list import configure, count_queries, seed_if_empty, timed  # noqa: E402

PAGE = 50


def pick_users(username: str | None):
    """(the merchandiser who sees the most shipments, a warehouse user)."""
    from django.db.models import Count

    from gendan.accounts.models import User
    from gendan.shipping.models import Shipment

    if username:
        merch = User.objects.get(username=username)
    else:
        row = (Shipment.objects.exclude(order__merchandiser=None).values("order__merchandiser")
               .annotate(n=Count("id")).order_by("-n").first())
        if row is None:
            raise SystemExit("no shipments in this database: seed_demo wrote none")
        merch = User.objects.get(pk=row["order__merchandiser"])
    warehouse = User.objects.filter(groups__name="warehouse", is_active=True).first() or User.objects.filter(
        is_superuser=True).first()
    return merch, warehouse


def busiest(user) -> dict:
    """Filters that match something for ``user``: the ISO week with most ETDs, the forwarder with
    most bookings, the most common port of destination."""
    from django.db.models import Count

    from gendan.shipping.models import Booking
    from gendan.shipping.selectors import shipment_list

    filters = {}
    visible = shipment_list(user=user).order_by()
    etd = visible.exclude(etd=None).values("etd").annotate(n=Count("id")).order_by("-n").first()
    if etd:
        year, week, _day = etd["etd"].isocalendar()
        filters["etd_week"] = f"{year}-W{week:02d}"
    forwarder = Booking.objects.values("forwarder").annotate(n=Count("id")).order_by("-n").first()
    if forwarder:
        filters["forwarder"] = forwarder["forwarder"]
    port = visible.exclude(port_of_destination="").values("port_of_destination").annotate(
        n=Count("id")).order_by("-n").first()
    if port:
        filters["port_of_destination"] = port["port_of_destination"]
    return filters


def concurrent(fn_for_thread, threads: int, runs: int) -> tuple[float, float, float]:
    """Run ``runs`` calls in each of ``threads`` threads at once; (p50, p95, requests / s)."""
    from django.db import connections

    samples: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def worker():
        fn = fn_for_thread()
        fn()  # warm up this thread's connection
        barrier.wait()
        mine = []
        for _ in range(runs):
            started = time.perf_counter()
            fn()
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            samples.extend(mine)
        connections.close_all()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    samples.sort()
    return (statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))],
            len(samples) / elapsed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000, help="orders to seed when the database is empty")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database (created beforehand, may be empty)")
    parser.add_argument("--var-dir", default="/tmp/gendan-bench", help="SQLite: GENDAN_VAR_DIR when not set")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--export-runs", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=0, help="also run the first page from N threads at once")
    parser.add_argument("--user", help="username to measure (default: the merchandiser who sees most shipments)")
    args = parser.parse_args()
    configure(args)

    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from gendan.shipping.models import Shipment
    from gendan.shipping.selectors import shipment_list

    how = seed_if_empty(args.orders)
    merch, warehouse = pick_users(args.user)
    filters = busiest(merch)
    url = reverse("shipping:shipment_list")

    def client_for(user):
        client = Client()
        client.force_login(user)
        return client

    def page(user, query: dict | None = None, *, export: bool = False):
        client = client_for(user)
        full = url + ("?" + urlencode({**(query or {}), **({"export": "xlsx"} if export else {})})
                      if query or export else "")

        def run():
            response = client.get(full)
            assert response.status_code == 200, response.status_code
            if export:
                b"".join(response.streaming_content)
            return response
        return run

    def selector(user, query: dict | None = None):
        def run():
            qs = shipment_list(user=user, filters=query or {})
            return qs.count(), list(qs[:PAGE])
        return run

    shipment = shipment_list(user=merch).first()
    detail_client = client_for(merch)

    def detail():
        response = detail_client.get(reverse("shipping:shipment_detail", args=[shipment.pk]))
        assert response.status_code == 200
        return response

    cases = [
        ("page (merchandiser)", page(merch), merch, {}),
        ("page, ETD week", page(merch, {"etd_week": filters.get("etd_week", "")}), merch,
         {"etd_week": filters.get("etd_week")}),
        ("page, forwarder", page(merch, {"forwarder": filters.get("forwarder", "")}), merch,
         {"forwarder": filters.get("forwarder")}),
        ("page, port of destination", page(merch, {"port_of_destination": filters.get("port_of_destination", "")}),
         merch, {"port_of_destination": filters.get("port_of_destination")}),
        ("page (warehouse: all)", page(warehouse), warehouse, {}),
        ("page, sorted by ETD", page(warehouse, {"sort": "-etd"}), warehouse, {}),
        ("selector (ORM)", selector(merch), merch, {}),
        ("selector (warehouse)", selector(warehouse), warehouse, {}),
        ("shipment page", detail, merch, None),
    ]
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); {how}")
    print(f"{Shipment.objects.count()} shipments; merchandiser {merch.username} sees "
          f"{shipment_list(user=merch).count()}, {warehouse.username} sees {shipment_list(user=warehouse).count()}; "
          f"filters {filters}")
    print(f"{args.runs} runs each after 3 warm-up runs\n")
    print(f"| {'measurement':<27} | {'rows':>6} | {'queries':>7} | {'p50 ms':>7} | {'p95 ms':>7} |")
    print(f"|{'-' * 29}|{'-' * 7}:|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|")
    for name, fn, user, query in cases:
        queries = count_queries(fn)
        rows = shipment_list(user=user, filters={k: v for k, v in query.items() if v}).count() \
            if query is not None else 1
        p50, p95 = timed(fn, args.runs)
        print(f"| {name:<27} | {rows:>6} | {queries:>7} | {p50:>7.1f} | {p95:>7.1f} |")
    export = page(merch, {"etd_week": filters.get("etd_week", "")} if filters.get("etd_week") else {}, export=True)
    p50, p95 = timed(export, args.export_runs, warmup=1)
    print(f"| {'export .xlsx (ETD week)':<27} | {'':>6} | {count_queries(export):>7} | {p50:>7.1f} | {p95:>7.1f} |")
    export_all = page(warehouse, export=True)
    p50, p95 = timed(export_all, args.export_runs, warmup=1)
    print(f"| {'export .xlsx (all, capped)':<27} | {'':>6} | {count_queries(export_all):>7} | {p50:>7.1f} | "
          f"{p95:>7.1f} |")
    if args.concurrency:
        p50, p95, rate = concurrent(lambda: page(merch), args.concurrency, args.runs)
        print(f"\n{args.concurrency} threads × {args.runs} first pages (merchandiser): p50 {p50:.1f} ms, "
              f"p95 {p95:.1f} ms, {rate:.1f} requests/s")


if __name__ == "__main__":
    main()
