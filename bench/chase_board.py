"""How fast are the chase board and the risk-filtered order list with 100 000 orders (≈ 2 M milestones)?

    .venv/bin/python bench/chase_board.py --orders 100000                     # SQLite in /tmp/gendan-bench
    .venv/bin/python bench/chase_board.py --orders 100000 --postgres postgres://postgres@127.0.0.1:5432/gendan_bench

Seeds with ``seed_demo --orders N`` when the database is empty (shares the database of
``bench/order_list.py``), picks the merchandiser whose open orders are closest to 500, and
times ``--runs`` calls of each measurement after warm-up runs, printing p50 / p95 in ms:

  board selector    ``tracking.selectors.board_for`` — the counts and every section's rows
  board page        the chase board through Django's test client (template included)
  board raw SQL     the board's queries written by hand through a plain cursor (same reads, same order)
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


def board_raw(user, today: dt.date, horizon: int = 7, limit: int = 30):
    """The board's reads by hand, the way the selector does them: the user's customers, one
    narrow read of their open milestones (scope as EXISTS), sections sorted in Python, then
    the shown rows with what a row displays."""
    from django.db import connection

    roles = sorted(r for r in user.role_codes)
    role_sql = ", ".join(["%s"] * len(roles)) or "''"
    horizon_day = today + dt.timedelta(days=horizon)
    columns = ("m.id, m.key, m.name_zh, m.name_en, m.planned_date, m.expected_date, m.forecast_date, m.owner_role, "
               "m.version, m.notes, m.follow_up_date, o.id, o.number, c.code, c.name_zh, p.risk, u.username, "
               "u.full_name, pr.status, pr.name_zh")

    def run():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM parties_customer WHERE salesperson_id = %s OR merchandiser_id = %s"
                           + (" OR team_id = %s" if user.team_id else ""),
                           [user.pk, user.pk, *([user.team_id] if user.team_id else [])])
            customers = [row[0] for row in cursor.fetchall()] or [0]
            scope = (f"EXISTS (SELECT 1 FROM sales_salesorder o WHERE o.id = m.order_id AND (o.customer_id IN "
                     f"({', '.join(['%s'] * len(customers))}) OR o.merchandiser_id = %s OR o.salesperson_id = %s))")
            narrow = ("SELECT m.id, m.planned_date, m.expected_date, m.forecast_date, m.follow_up_date, m.order_id, "
                      "m.sequence FROM tracking_ordermilestone m WHERE m.status = 'open' AND ")
            scope_params = [*customers, user.pk, user.pk]
            found = []
            cursor.execute(narrow + f"m.owner_id = %s AND {scope}", [user.pk, *scope_params])
            found += cursor.fetchall()
            for expected_is in ("IS NULL", "IS NOT NULL"):  # the department's unassigned ones, in scope
                cursor.execute(narrow + f"m.owner_id IS NULL AND m.owner_role IN ({role_sql}) AND m.expected_date "
                               f"{expected_is} AND {scope}", [*roles, *scope_params])
                found += cursor.fetchall()
            sections = {"overdue": [], "today": [], "upcoming": [], "at_risk": []}
            for pk, planned, expected, forecast, follow, order_id, sequence in found:
                due = expected or planned
                key = (due, order_id, sequence, pk)
                if due < today:
                    sections["overdue"].append(key)
                elif due == today or (follow is not None and follow <= today):
                    sections["today"].append(key)
                elif due <= horizon_day:
                    sections["upcoming"].append(key)
                elif forecast > planned:
                    sections["at_risk"].append(key)
            ids = [key[-1] for rows in sections.values() for key in sorted(rows)[:limit]] or [0]
            cursor.execute(
                f"SELECT {columns} FROM tracking_ordermilestone m JOIN sales_salesorder o ON o.id = m.order_id "
                "JOIN parties_customer c ON c.id = o.customer_id JOIN tracking_orderplan p ON p.id = m.plan_id "
                "LEFT JOIN accounts_user u ON u.id = m.owner_id LEFT JOIN tracking_ordermilestone pr "
                f"ON pr.id = m.predecessor_id WHERE m.id IN ({', '.join(['%s'] * len(ids))})", ids)
            rows = cursor.fetchall()
            # The other chase items, as the selector reads them.
            cursor.execute("SELECT x.id, x.follow_up_date, x.summary, c.code, o.number FROM tracking_communication x "
                           "JOIN parties_customer c ON c.id = x.customer_id LEFT JOIN sales_salesorder o "
                           "ON o.id = x.order_id WHERE x.owner_id = %s AND x.follow_up_date IS NOT NULL AND "
                           "x.follow_up_done_at IS NULL AND x.follow_up_date <= %s ORDER BY x.follow_up_date, x.id "
                           f"LIMIT {limit}", [user.pk, horizon_day])
            cursor.fetchall()
            cursor.execute("SELECT x.id, x.reply_due, x.summary, c.code, o.number FROM tracking_communication x "
                           "JOIN parties_customer c ON c.id = x.customer_id LEFT JOIN sales_salesorder o "
                           "ON o.id = x.order_id WHERE x.owner_id = %s AND x.reply_due IS NOT NULL AND "
                           "x.replied_by_id IS NULL AND x.reply_due <= %s ORDER BY x.reply_due, x.id "
                           f"LIMIT {limit}", [user.pk, today])
            cursor.fetchall()
            cursor.execute("SELECT a.id, a.description, a.due_date, mt.title, o.number FROM tracking_actionitem a "
                           "JOIN tracking_meeting mt ON mt.id = a.meeting_id LEFT JOIN sales_salesorder o "
                           "ON o.id = a.order_id WHERE a.owner_id = %s AND a.done_at IS NULL AND a.due_date <= %s "
                           f"ORDER BY a.due_date, a.id LIMIT {limit}", [user.pk, horizon_day])
            cursor.fetchall()
            return {k: len(v) for k, v in sections.items()}, rows

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
