"""Create a believable demo company: people in every role, customers in several countries,
own workshops, outsourced factories, material suppliers, forwarders, products with packing,
variants and BOMs.

The demo lives in one place, on the top floor of the house (``gendan.demo``): one module per
app it fills, each with ``seed(ctx)``, run in the order of ``STEPS``. Large volumes use bulk
inserts, so ``--customers``, ``--products`` and ``--orders`` scale to benchmark sizes (``--orders 100000`` takes minutes; see ``bench/README.md``).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from gendan.accounts.models import User
from gendan.demo.accounts import print_logins

STEPS = ["gendan.demo.accounts", "gendan.demo.parties", "gendan.demo.catalog", "gendan.demo.sales",
         "gendan.demo.shipping", "gendan.demo.exportdocs", "gendan.demo.finance", "gendan.demo.tracking",
         "gendan.demo.production", "gendan.demo.planning", "gendan.demo.purchasing", "gendan.demo.quality",
         "gendan.demo.shipping:plans", "gendan.demo.tracking:follow",
         "gendan.demo.exportdocs:documents"]  # "module:function" runs that function instead of seed()
# customers' change orders on a few orders in production, through the services (after purchasing:
# the materials' purchase orders are re-issued too)
STEPS.insert(STEPS.index("gendan.demo.purchasing") + 1, "gendan.demo.changes")
STEPS += ["gendan.demo.receivables_bank"]  # a bank statement imported, its lines proposed (after finance)
STEPS += ["gendan.demo.payables_rebates"]  # tax rebates (most received, a few blocked), commissions, profit estimates
STEPS += ["gendan.demo.receivables_credit"]  # credit limits, one dunning run (a few board tasks), one customer on hold
STEPS += ["gendan.demo.receivables_ledger"]  # exchange rates, aging buckets, last month's statements (after finance)
# supplier invoices, VAT invoices, payments and last month's supplier statements (one disputed); before the rebates
# step, which invoices only what this one left without an invoice
STEPS.insert(STEPS.index("gendan.demo.payables_rebates"), "gendan.demo.payables")
ORDERS_PER_CUSTOMER = 50  # without --customers, large demos get more customers rather than huge ones


@dataclass
class DemoContext:
    rng: random.Random
    out: object
    customers: int
    products: int
    orders: int = 0
    users: dict = field(default_factory=dict)  # username -> User
    data: dict = field(default_factory=dict)  # what one step leaves for the next

    def say(self, text: str) -> None:
        self.out.write(text)


class Command(BaseCommand):
    help = "Load demo data (idempotent: an existing demo company is left as it is)."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=None,
                            help=f"number of customers (default 40, or one per {ORDERS_PER_CUSTOMER} orders)")
        parser.add_argument("--products", type=int, default=60, help="number of finished products (default 60)")
        parser.add_argument("--orders", type=int, default=300,
                            help="number of sales orders, in every state (default 300)")
        parser.add_argument("--seed", type=int, default=2611, help="random seed, for repeatable data")

    def handle(self, *args, customers: int | None, products: int, orders: int, seed: int, **options):
        if not getattr(settings, "GENDAN_DEMO_ALLOWED", False):
            raise CommandError("seed_demo refuses to run here: these settings are for a real company "
                               "(GENDAN_DEMO_ALLOWED is off, as in gendan.settings.prod). Demo users with a "
                               "published password must never reach a production database.")
        if User.objects.filter(username="merch").exists():
            self.stdout.write("Demo data already present; nothing to do.")
            print_logins(self.stdout)
            return
        if customers is None:
            customers = max(40, orders // ORDERS_PER_CUSTOMER)
        ctx = DemoContext(rng=random.Random(seed), out=self.stdout, customers=customers, products=products,
                          orders=orders)
        started = time.monotonic()
        # With DEBUG on (the dev settings) every query is kept and its parameters formatted:
        # for millions of demo rows that is a tenth of the time and a lot of memory.
        debug, settings.DEBUG = settings.DEBUG, False
        cache_size = _sqlite_cache_size(-256 * 1024)
        try:
            # One transaction: a crash (or Ctrl-C) leaves no half demo behind that the "already
            # present" check above would then refuse to finish.
            with transaction.atomic():
                for step in STEPS:
                    step_started = time.monotonic()
                    module, _sep, function = step.partition(":")
                    getattr(import_module(module), function or "seed")(ctx)
                    if options.get("verbosity", 1) > 1:
                        self.stdout.write(f"  ({step}: {time.monotonic() - step_started:.1f} s)")
        finally:
            settings.DEBUG = debug
            _sqlite_cache_size(cache_size)
        if connection.vendor == "postgresql" and orders >= 10_000:
            # Autovacuum would vacuum and analyze the new rows within minutes; until then the
            # planner guesses, and no index-only scan is one: the visibility map is empty, so each
            # index entry is checked in its table (the production order count at 20 000 orders:
            # 13.6 ms → 4.5 ms once vacuumed). A database in use is in that steady state; a
            # benchmark on a fresh seed must be too. (Not on SQLite: Django never analyzes there,
            # and with statistics SQLite plans the order list worse — see bench/README.md.)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(f"Demo data created in {time.monotonic() - started:.1f} s.")
        print_logins(self.stdout)


def _sqlite_cache_size(size: int | None) -> int | None:
    """Set SQLite's page cache of this connection (negative: KiB) and return the old value.
    Its 2 MB default makes millions of inserts into indexed tables wait on page reads."""
    if size is None or connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        old = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {int(size)}")
    return old
