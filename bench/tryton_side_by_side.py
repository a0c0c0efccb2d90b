"""Order creation and confirm → release, Gendan side by side with Tryton 8.2, in one run.

    .venv/bin/python bench/tryton_side_by_side.py                      # N=200, SQLite on both sides
    .venv/bin/python bench/tryton_side_by_side.py --orders 500 --chunk 25
    .venv/bin/python bench/tryton_side_by_side.py --postgres postgres://postgres@127.0.0.1:5432/gendan_bench_tryton
    .venv/bin/python bench/tryton_side_by_side.py --no-tryton --profile create   # Gendan alone, cProfile

Tryton: the anchor in ``--anchor`` (default ``../shared/anchors/tryton`` beside the repository) —
``tryton_template.sh`` builds its venv (``/tmp/anchors/tryton-venv``, from PyPI) and a prepared
SQLite database once; ``tryton_mini.py --serve`` runs its write phases on a copy of that database,
one transaction per order the way trytond's dispatcher serves a request (create a draft sale with
3 lines through ``on_change_party`` / ``on_change_product``; quote; confirm, then the queued
``Sale.process`` that makes the invoice, the shipment and the stock moves). Nothing of Tryton's
code lives in this repository. The anchor's driver runs Tryton on SQLite only (its PostgreSQL figures
come from its own ``run.sh``, see its README); ``--postgres`` moves Gendan's side only.

Gendan: in this process, on a fresh database of its own (SQLite in a temporary directory, or the
PostgreSQL database named by ``--postgres``, dropped and created again). Untimed set-up: the company's
users (a merchandiser who enters, confirms and releases, finance, a manager), 50 customers, 20
products, an outsourced factory. The customers' terms are like the anchor's payment term (Tryton's
test ``create_payment_term``: the whole amount due on the invoice, nothing before): O/A, 0 days,
no deposit — so, as in Tryton, no deposit gate holds the release. Timed, one request per step, each
with the user loaded afresh (as the session middleware does) and the language zh-hans:

  a) create   resolve the 3 products the request names (one scoped query) and ``order_create``
              a draft with 3 lines (random customer, products, quantity 1-10, the product's price)
  a2) evidence  the customer's written order (a PDF upload) and the phone call, two requests
              (``confirmation_record`` ×2): Gendan's rule before confirming; beside Tryton's quote
  b) confirm → release   two requests: ``order_confirm`` (number, payment plan, T&A plan,
              sub-states, timeline) then ``order_release_production`` to the factory (a draft
              production order with the 3 lines); beside Tryton's confirm + queued process

Both sides get the same orders in chunks (``--chunk``, default 20) in turn, phase by phase, so
machine noise hits both alike. Three throwaway orders warm each side up first (Gendan's also count
the queries of each step). Prints one table: per phase, p50 / p95 per order (ms) and orders/s of each
side and the ratio (Gendan orders/s ÷ Tryton orders/s); "service" is the same after taking out the
time each process waited for a CPU that another process held (/proc/self/schedstat), the fairer
figure on a loaded machine. Nothing here runs in ``make test``; see bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LINES = 3


# --- timing (the same clock as the anchor's tryton_mini.py) ---------------------------------


def _runq_reader():
    try:
        f = open("/proc/self/schedstat", "rb", buffering=0)  # noqa: SIM115 (kept open for the run)
        f.read()
    except OSError:
        return None

    def runq():
        f.seek(0)
        return int(f.read().split()[1]) / 1e9
    return runq


_RUNQ = _runq_reader()


def clock():
    return time.perf_counter(), time.process_time(), _RUNQ() if _RUNQ else 0.0


def pct(values, p):
    s = sorted(values)
    k = (len(s) - 1) * p / 100.0
    f = int(k)
    c = min(f + 1, len(s) - 1)
    return s[f] + (s[c] - s[f]) * (k - f)


def stats(name, samples):
    wall = [w for w, _c, _q in samples]
    svc = [w - q for w, _c, q in samples]
    n = len(samples)
    return {"phase": name, "n": n, "total_s": sum(wall), "per_s": n / sum(wall) if n else 0.0,
            "svc_per_s": n / sum(svc) if n else 0.0,
            "p50_ms": statistics.median(wall) * 1000 if n else 0.0, "p95_ms": pct(wall, 95) * 1000 if n else 0.0}


# --- Tryton, through the anchor's driver --------------------------------------------------------


class Tryton:
    def __init__(self, anchor: Path, orders: int, workdir: Path):
        anchor_dir = Path(os.environ.get("ANCHOR_DIR", "/tmp/anchors"))
        started = time.perf_counter()
        out = subprocess.run(["bash", str(anchor / "tryton_template.sh")], check=True, capture_output=True,
                             text=True).stdout.strip().splitlines()
        template = Path(out[-1])
        self.prepare_s = time.perf_counter() - started
        dbdir = workdir / "tryton"
        dbdir.mkdir()
        shutil.copy(template, dbdir / "bar.sqlite")
        env = {**os.environ, "TRYTOND_DATABASE_URI": "sqlite://", "TRYTOND_DATABASE__URI": "sqlite://",
               "TRYTOND_DATABASE__PATH": str(dbdir), "TRYTONPASSFILE": str(anchor_dir / "adminpass")}
        env.pop("TRYTOND_CONFIG", None)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        self.proc = subprocess.Popen(
            [str(anchor_dir / "tryton-venv" / "bin" / "python"), "-W", "ignore", str(anchor / "tryton_mini.py"),
             "--serve", "--db", "bar", "--orders", str(orders)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=str(anchor))
        ready = self._wait("@@ready")
        self.init_s = float(ready.split()[1])

    def _wait(self, prefix: str) -> str:
        for line in self.proc.stdout:
            if line.startswith(prefix):
                return line.strip()
        raise RuntimeError(f"the Tryton driver stopped before {prefix!r} (exit {self.proc.wait()})")

    def phase(self, key: str, k: int) -> None:
        self.proc.stdin.write(f"{key} {k}\n")
        self.proc.stdin.flush()
        self._wait("@@ok")

    def done(self) -> dict:
        self.proc.stdin.write("done\n")
        self.proc.stdin.flush()
        result = json.loads(self._wait("@@json")[len("@@json "):])
        self.proc.wait()
        return result


# --- Gendan, in this process ----------------------------------------------------------------------


def configure(args, workdir: Path) -> str:
    os.environ["GENDAN_VAR_DIR"] = str(workdir / "gendan")
    os.environ["DJANGO_SETTINGS_MODULE"] = "gendan.settings.base"
    from django.conf import settings

    (workdir / "gendan").mkdir()
    settings.DEBUG = False  # no query log: what production runs
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = workdir / "gendan" / "media"
    if args.postgres:
        import dj_database_url
        import psycopg

        url = dj_database_url.parse(args.postgres, conn_max_age=600)
        name = url["NAME"]
        admin = args.postgres.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        settings.DATABASES = {"default": url}
        backend = f"PostgreSQL ({name})"
    else:
        backend = f"SQLite ({settings.DATABASES['default']['NAME']})"
    import django

    django.setup()
    return backend


def migrate(call_command) -> None:
    """``migrate`` the fresh database. On SQLite the migrated (empty) file is kept in
    ``$GENDAN_BENCH_CACHE`` (default /tmp/gendan-bench-cache), keyed by the migration files, and copied
    next time: migrating takes a minute on a busy machine and is not what is measured."""
    from django.db import connection

    if connection.vendor != "sqlite":
        call_command("migrate", verbosity=0)
        return
    files = sorted(ROOT.glob("gendan/*/migrations/*.py"))
    key = hashlib.sha1("".join(f"{f}:{f.stat().st_mtime_ns}" for f in files).encode()).hexdigest()[:16]
    cache = Path(os.environ.get("GENDAN_BENCH_CACHE", "/tmp/gendan-bench-cache")) / f"migrated-{key}.sqlite3"
    db = Path(connection.settings_dict["NAME"])
    if cache.exists():
        connection.close()
        shutil.copy(cache, db)
        call_command("migrate", verbosity=0)  # nothing to apply: runs the post-migrate syncs as usual
        return
    call_command("migrate", verbosity=0)
    connection.close()
    cache.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(db) as src, sqlite3.connect(cache) as dst:
        src.backup(dst)


class Gendan:
    """The same orders as the anchor's (same customers / products / quantities drawn with seed 42,
    mapped onto Gendan's 50 customers and 20 products)."""

    def __init__(self, orders: int, seed: int):
        from django.core.management import call_command
        from django.utils import timezone

        started = time.perf_counter()
        migrate(call_command)
        self.migrate_s = time.perf_counter() - started
        started = time.perf_counter()
        self._setup()
        self.setup_s = time.perf_counter() - started
        rnd = random.Random(seed)
        today = timezone.localdate()
        self.specs = [(rnd.choice(self.customer_ids), today - dt.timedelta(days=rnd.randint(0, 30)),
                       [(rnd.choice(self.product_ids), rnd.randint(1, 10)) for _ in range(LINES)])
                      for _ in range(orders + 3)]
        self.ex_factory = today + dt.timedelta(days=60)
        self.ids: list[int] = []
        self.pos = {"a": 0, "q": 0, "b": 0}
        self.samples = {"a": [], "q": [], "b": []}
        self.queries: dict[str, int] = {}
        self._warm()

    def _setup(self) -> None:
        from django.contrib.auth.models import Group

        from gendan.accounts.models import Team, User
        from gendan.catalog.models import Product
        from gendan.parties.models import Customer, PaymentMethod, Supplier

        team = Team.objects.create(name="Bench team")

        def user(username, role):
            u = User.objects.create_user(username=username, password="bench-not-a-secret-2026",
                                         full_name=username, team=team, language="zh-hans")
            u.groups.set([Group.objects.get(name=role)])
            return u

        self.merch = user("bench_merch", "merchandiser")
        self.sales = user("bench_sales", "sales")
        user("bench_finance", "finance")
        user("bench_manager", "manager")
        Customer.objects.bulk_create([
            Customer(code=f"C{i:03d}", name_en=f"Customer {i:03d}", country="DE", default_currency_id="USD",
                     payment_method=PaymentMethod.OA, deposit_percent=Decimal("0"), payment_days=0,
                     merchandiser=self.merch, salesperson=self.sales, team=team)
            for i in range(50)])
        rnd = random.Random(1)
        Product.objects.bulk_create([Product(code=f"P{i:03d}", name_en=f"Product {i:03d}", name_zh=f"产品{i:03d}")
                                     for i in range(20)])
        self.prices = {p.pk: Decimal(rnd.randint(100, 10000)) / 100 for p in Product.objects.order_by("pk")}
        self.factory = Supplier.objects.create(code="FAC1", name_zh="东莞一厂", kind=Supplier.Kind.OUTSOURCED_FACTORY,
                                               country="CN", email="factory@example.com")
        self.customer_ids = list(Customer.objects.order_by("pk").values_list("pk", flat=True))
        self.product_ids = sorted(self.prices)

    # one request each ---------------------------------------------------------------------------

    def _actor(self):
        from gendan.accounts.models import User

        return User.objects.get(pk=self.merch.pk)  # loaded afresh per request, as a session does

    def create(self, spec) -> int:
        from gendan.catalog.selectors import product_queryset
        from gendan.sales.services.orders import order_create

        customer_id, po_date, line_specs = spec
        actor = self._actor()
        products = product_queryset(actor).in_bulk([pid for pid, _q in line_specs])
        order = order_create(actor=actor, customer_id=customer_id, data={
            "customer_po_no": f"PO-{po_date:%y%m%d}", "customer_po_date": po_date, "ex_factory_date": self.ex_factory,
        }, lines=[{"product": products[pid], "unit_price": self.prices[pid], "quantity": Decimal(qty)}
                  for pid, qty in line_specs])
        return order.pk

    def evidence(self, order_id: int) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from gendan.sales.services.confirmations import confirmation_record

        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        confirmation_record(actor=self._actor(), order_id=order_id, kind="written", confirmed_at=timezone.now(),
                            upload=SimpleUploadedFile("po.pdf", pdf, content_type="application/pdf"))
        confirmation_record(actor=self._actor(), order_id=order_id, kind="verbal", confirmed_at=timezone.now(),
                            contact_name="Mr. Jansen", phone_number="+49 40 555 0100",
                            summary="3 lines as on the PO")

    def confirm(self, order_id: int) -> None:
        from gendan.sales.services.confirmations import order_confirm

        order_confirm(actor=self._actor(), order_id=order_id)

    def release(self, order_id: int) -> None:
        from gendan.production.services.release import order_release_production

        order_release_production(actor=self._actor(), order_id=order_id,
                                 assignments=[{"supplier": self.factory, "due_date": self.ex_factory}])

    def confirm_release(self, order_id: int) -> None:
        self.confirm(order_id)
        self.release(order_id)

    # ---------------------------------------------------------------------------------------------

    def _warm(self) -> None:
        """Three throwaway orders through every step, untimed; the queries of each step counted."""
        from django.db import connection

        counts: dict[str, list[int]] = {}

        def counted(key, fn, *a):
            n = [0]

            def count(execute, sql, params, many, context):
                n[0] += 1
                if os.environ.get("BENCH_SQL") == key:
                    print(f"[{key} {n[0]}] {sql[:300]}", file=sys.stderr)
                return execute(sql, params, many, context)
            with connection.execute_wrapper(count):
                result = fn(*a)
            counts.setdefault(key, []).append(n[0])
            return result

        for spec in self.specs[-3:]:
            pk = counted("create", self.create, spec)
            counted("evidence (2 requests)", self.evidence, pk)
            counted("confirm", self.confirm, pk)
            counted("release", self.release, pk)
        self.queries = {key: values[-1] for key, values in counts.items()}

    def timed(self, key, fn, *a):
        before = clock()
        res = fn(*a)
        self.samples[key].append(tuple(b - x for x, b in zip(before, clock(), strict=True)))
        return res

    def phase(self, key: str, k: int) -> None:
        for _ in range(k):
            i = self.pos[key]
            self.pos[key] += 1
            if key == "a":
                self.ids.append(self.timed("a", self.create, self.specs[i]))
            elif key == "q":
                self.timed("q", self.evidence, self.ids[i])
            else:
                self.timed("b", self.confirm_release, self.ids[i])

    def summary(self) -> dict:
        from django.db.models import Count

        from gendan.production.models import ProductionOrder
        from gendan.sales.models import SalesOrder

        states = dict(SalesOrder.objects.filter(pk__in=self.ids).values_list("status").annotate(n=Count("id")))
        return {"engine": "gendan", "n": len(self.ids), "states": states,
                "production_orders": ProductionOrder.objects.filter(sales_order__in=self.ids).count(),
                "create": stats("a) create draft order + 3 lines", self.samples["a"]),
                "quote": stats("a2) evidence: written PO + phone", self.samples["q"]),
                "confirm_release": stats("b) confirm -> release to production", self.samples["b"]),
                "queries": self.queries}


def time_subscribers() -> dict[str, float]:
    """Wrap the in-transaction subscribers of the confirm and release events with a timer (for
    ``--breakdown``): seconds spent in each, by handler."""
    from gendan.core import domain_events
    from gendan.sales.events import OrderConfirmed, OrderReleasedToProduction

    spent: dict[str, float] = {}

    def timed(handler, label):
        def run(event):
            started = time.perf_counter()
            try:
                return handler(event)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - started
        return run

    for event_type in (OrderConfirmed, OrderReleasedToProduction):
        entries = domain_events._SUBSCRIBERS[event_type]
        entries[:] = [(timed(h, f"{event_type.__name__} → {h.__module__}.{h.__name__}"), after, stage)
                      if not after else (h, after, stage) for h, after, stage in entries]
    return spent


# --- report --------------------------------------------------------------------------------------------


def table(tryton: dict | None, gendan: dict) -> str:
    rows = [("create", "a) create + 3 lines", "create"), ("quote", "a2) quote | evidence", "quote"),
            ("confirm_release", "b) confirm → process | release", "confirm_release")]
    head = (f"{'phase':<32} {'Tryton p50/p95 ms':>18} {'Tryton /s':>10} {'Gendan p50/p95 ms':>18} "
            f"{'Gendan /s':>10} {'ratio':>7} {'ratio svc':>10}")
    out = [head, "-" * len(head)]
    for key, label, _ in rows:
        g = gendan[key]
        gcol = f"{g['p50_ms']:.1f}/{g['p95_ms']:.1f}"
        if tryton:
            t = tryton[key]
            tcol, tps = f"{t['p50_ms']:.1f}/{t['p95_ms']:.1f}", f"{t['per_s']:.1f}"
            ratio, rsvc = f"{g['per_s'] / t['per_s']:.1f}×", f"{g['svc_per_s'] / t['svc_per_s']:.1f}×"
        else:
            tcol = tps = ratio = rsvc = "-"
        out.append(f"{label:<32} {tcol:>18} {tps:>10} {gcol:>18} {g['per_s']:>10.1f} {ratio:>7} {rsvc:>10}")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--orders", type=int, default=200)
    ap.add_argument("--chunk", type=int, default=20, help="orders per turn before the other side runs")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--anchor", default=str(ROOT.parent / "shared" / "anchors" / "tryton"),
                    help="the Tryton anchor's directory (default: ../shared/anchors/tryton beside the repository)")
    ap.add_argument("--postgres", help="run Gendan on this PostgreSQL database (dropped and created again)")
    ap.add_argument("--no-tryton", action="store_true", help="Gendan alone")
    ap.add_argument("--profile", choices=["create", "quote", "confirm_release"],
                    help="cProfile Gendan's phase (the timings then include the profiler); prints the top 40")
    ap.add_argument("--breakdown", action="store_true",
                    help="also time each in-transaction subscriber of the confirm and release events")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args()
    if args.postgres and args.postgres.rstrip("/").rsplit("/", 1)[-1] in ("", "postgres"):
        ap.error("--postgres needs a database name of its own, e.g. …/gendan_bench_tryton")

    workdir = Path(tempfile.mkdtemp(prefix="gendan-tryton-"))
    try:
        tryton = None if args.no_tryton else Tryton(Path(args.anchor).resolve(), args.orders, workdir)
        backend = configure(args, workdir)
        from django.utils import translation

        translation.activate("zh-hans")
        gendan = Gendan(args.orders, args.seed)
        spent = time_subscribers() if args.breakdown else None
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
        for key in ("a", "q", "b"):
            done = 0
            while done < args.orders:
                k = min(args.chunk, args.orders - done)
                if tryton:
                    tryton.phase(key, k)
                on = profiler and {"a": "create", "q": "quote", "b": "confirm_release"}[key] == args.profile
                if on:
                    profiler.enable()
                gendan.phase(key, k)
                if on:
                    profiler.disable()
                done += k
        t = tryton.done() if tryton else None
        g = gendan.summary()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    load = os.getloadavg()
    print(f"\nN={args.orders} orders × {LINES} lines, chunks of {args.chunk}, one transaction per request, "
          f"single process each; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {os.cpu_count()} CPUs")
    if t:
        print(f"Tryton 8.2 (anchor driver, SQLite): template {tryton.prepare_s:.1f} s, pool {tryton.init_s:.1f} s; "
              f"end states {t['states']}; process share of b) {t['process_share']:.0%}")
    print(f"Gendan ({backend}): migrate {gendan.migrate_s:.1f} s, set-up {gendan.setup_s:.1f} s; end states "
          f"{g['states']}; production orders {g['production_orders']}")
    print(f"Gendan queries per order: {g['queries']}\n")
    print(table(t, g))
    print("\nratio = Gendan orders/s ÷ Tryton orders/s (wall); ratio svc = the same without the time each "
          "process waited for a CPU")
    if profiler:
        import pstats

        print()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(os.environ.get("PROFILE_FILTER", ""), 60)
    if spent:
        print("\nGendan, where confirm → release goes: ms per order (wall) in each in-transaction subscriber "
              "of the order's events")
        for name, total in sorted(spent.items(), key=lambda kv: -kv[1]):
            print(f"  {total * 1000 / args.orders:7.1f}  {name}")
    if args.json:
        Path(args.json).write_text(json.dumps({"tryton": t, "gendan": g, "orders": args.orders,
                                               "backend": backend}, indent=1, default=str))


if __name__ == "__main__":
    main()
