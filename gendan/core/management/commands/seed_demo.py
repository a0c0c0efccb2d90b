"""Create a believable demo company: people in every role, customers in several countries,
own workshops, outsourced factories, material suppliers, forwarders, products with packing,
variants and BOMs.

Each app contributes a ``demo.py`` with ``seed(ctx)``; later apps (orders, production,
T&A) add theirs to ``STEPS``. Large volumes use bulk inserts, so ``--customers``,
``--products`` (and later ``--orders``) scale to benchmark sizes.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

STEPS = ["gendan.accounts.demo", "gendan.parties.demo", "gendan.catalog.demo"]


@dataclass
class DemoContext:
    rng: random.Random
    out: object
    customers: int
    products: int
    users: dict = field(default_factory=dict)  # username -> User
    data: dict = field(default_factory=dict)  # what one step leaves for the next

    def say(self, text: str) -> None:
        self.out.write(text)


class Command(BaseCommand):
    help = "Load demo data (idempotent: an existing demo company is left as it is)."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=40, help="number of customers (default 40)")
        parser.add_argument("--products", type=int, default=60, help="number of finished products (default 60)")
        parser.add_argument("--seed", type=int, default=2611, help="random seed, for repeatable data")

    def handle(self, *args, customers: int, products: int, seed: int, **options):
        from gendan.accounts.models import User

        if User.objects.filter(username="merch").exists():
            self.stdout.write("Demo data already present; nothing to do.")
            from gendan.accounts.demo import print_logins

            print_logins(self.stdout)
            return
        ctx = DemoContext(rng=random.Random(seed), out=self.stdout, customers=customers, products=products)
        started = time.monotonic()
        for step in STEPS:
            with transaction.atomic():
                import_module(step).seed(ctx)
        self.stdout.write(f"Demo data created in {time.monotonic() - started:.1f} s.")
        from gendan.accounts.demo import print_logins

        print_logins(self.stdout)
