"""How fast are the chase board and the risk-filtered order list with 100 000 orders (≈ 2 M milestones)?

    .venv/bin/python bench/chase_board.py --orders 100000                     # SQLite in /tmp/gendan-bench
    .venv/bin/python bench/chase_board.py --orders 100000 --postgres postgres://postgres@127.0.0.1:5432/gendan_bench

Seeds with ``seed_demo --orders N`` when the database is empty (shares the database of
``bench/order_list.py``), picks the merchandiser whose open orders are closest to 500, and
times ``--runs`` calls of each measurement after warm-up runs, printing p50 / p95 in ms:

  board selector    ``tracking.selectors.board_for`` — the counts and every section's rows
  board page        the chase board through Django's test client (template included)
  board raw SQL     the board's queries written by hand through a plain cursor
  risk selector     the order list filtered by T&A risk "late": count + first page (ORM)
  risk page         the same through the order list page
  risk raw SQL      the same two queries by hand

Nothing here asserts a speed; the figures go into bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from order_list import PAGE, configure, count_queries, pick_merchandiser, seed_if_empty, timed  # noqa: E402


def board_raw(user, today: dt.date, horizon: int = 7, limit: int = 100):
    """The board's milestone queries by hand: the counts, then each section's first rows."""
    from django.db import connection

    roles = sorted(r for r in user.role_codes)
    role_sql = ", ".join(["%s"] * len(roles)) or "''"
    due = "COALESCE(m.expected_date, m.planned_date)"
    # Mirror the selector's scope: the user's own milestones (they are the merchandiser of those
    # orders) or their departments' unassigned ones on orders in their scope.
    customers = "SELECT id FROM parties_customer WHERE salesperson_id = %s OR merchandiser_id = %s"
    where = (f"m.status = 'open' AND (m.owner_id = %s OR (m.owner_id IS NULL AND m.owner_role IN ({role_sql}))) "
             f"AND (o.customer_id IN ({customers}) OR o.merchandiser_id = %s OR o.salesperson_id = %s)")
    params = [user.pk, *roles, user.pk, user.pk, user.pk, user.pk]
    horizon_day = today + dt.timedelta(days=horizon)
    columns = ("m.id, m.key, m.name_zh, m.name_en, m.planned_date, m.expected_date, m.forecast_date, m.owner_role, "
               "m.version, o.id, o.number, c.code, c.name_zh, p.risk")
    base = (f"FROM tracking_ordermilestone m JOIN sales_salesorder o ON o.id = m.order_id "
            f"JOIN parties_customer c ON c.id = o.customer_id JOIN tracking_orderplan p ON p.id = m.plan_id "
            f"WHERE {where}")
    sections = [(f"{due} < %s", [today]), (f"{due} = %s", [today]),
                (f"{due} > %s AND {due} <= %s", [today, horizon_day]),
                (f"{due} > %s AND m.forecast_date > m.planned_date", [horizon_day])]

    def run():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT SUM(CASE WHEN {due} < %s THEN 1 ELSE 0 END), SUM(CASE WHEN {due} = %s THEN 1 ELSE 0 END), "
                f"SUM(CASE WHEN {due} > %s AND {due} <= %s THEN 1 ELSE 0 END) "
                f"FROM tracking_ordermilestone m JOIN sales_salesorder o ON o.id = m.order_id WHERE {where}",
                [today, today, today, horizon_day, *params])
            counts = cursor.fetchone()
            rows = []
            for condition, extra in sections:
                cursor.execute(f"SELECT {columns} {base} AND {condition} ORDER BY {due}, o.id, m.sequence "
                               f"LIMIT {limit}", [*params, *extra])
                rows.append(cursor.fetchall())
            return counts, rows

    return run


def risk_raw(user, risk: str = "late"):
    from django.db import connection

    customers = "SELECT id FROM parties_customer WHERE salesperson_id = %s OR merchandiser_id = %s"
    condition = (f"(o.customer_id IN ({customers}) OR o.merchandiser_id = %s OR o.salesperson_id = %s) "
                 f"AND EXISTS (SELECT 1 FROM tracking_orderplan x WHERE x.order_id = o.id AND x.risk = %s "
                 f"AND x.is_active)")
    params = [user.pk, user.pk, user.pk, user.pk, risk]

    def run():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM sales_salesorder o WHERE {condition}", params)
            total = cursor.fetchone()[0]
            cursor.execute(
                "SELECT o.id, o.number, o.customer_po_no, o.customer_po_date, o.ex_factory_date, o.total_amount, "
                "o.status, c.code, c.name_zh, p.risk, p.risk_reason FROM sales_salesorder o "
                "JOIN tracking_orderplan p ON p.order_id = o.id JOIN parties_customer c ON c.id = o.customer_id "
                "LEFT JOIN accounts_user m ON m.id = o.merchandiser_id "
                f"WHERE {condition} ORDER BY o.customer_po_date DESC, o.id DESC LIMIT {PAGE}", params)
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
    from django.utils import timezone

    from gendan.sales.selectors import order_list
    from gendan.tracking.models import OrderMilestone, OrderPlan
    from gendan.tracking.selectors import board_for

    how = seed_if_empty(args.orders)
    user = pick_merchandiser(args.user)
    today = timezone.localdate()
    client = Client()
    client.force_login(user)
    board_url, list_url = reverse("tracking:board"), reverse("sales:order_list")

    def board_selector():
        return board_for(user=user, today=today)

    def page(url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, response.status_code
        return run

    def risk_selector():
        qs = order_list(user=user, filters={"risk": "late"}).order_by("-customer_po_date", "-id")
        return qs.count(), list(qs[:PAGE])

    board = board_selector()
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); {how}")
    print(f"plans: {OrderPlan.objects.count()}, milestones: {OrderMilestone.objects.count()}")
    print(f"user: {user.username} — {OrderMilestone.objects.filter(owner=user, status='open').count()} open milestones "
          f"of their own; board counts {board.counts}; late orders "
          f"{order_list(user=user, filters={'risk': 'late'}).count()}")
    print(f"{args.runs} runs each after 3 warm-up runs\n")
    print(f"| {'measurement':<24} | {'queries':>7} | {'p50 ms':>7} | {'p95 ms':>7} |")
    print(f"|{'-' * 26}|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|")
    for name, fn in [("board selector", board_selector), ("board page", page(board_url)),
                     ("board raw SQL", board_raw(user, today)), ("risk 'late' selector", risk_selector),
                     ("risk 'late' page", page(list_url + "?risk=late")), ("risk 'late' raw SQL", risk_raw(user))]:
        queries = count_queries(fn)
        p50, p95 = timed(fn, args.runs)
        print(f"| {name:<24} | {queries:>7} | {p50:>7.1f} | {p95:>7.1f} |")


if __name__ == "__main__":
    main()
