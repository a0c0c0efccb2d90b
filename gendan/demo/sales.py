"""Demo sales orders in every state, with lines, colour × size cells, the customer's written
and phone confirmations, production orders, shipments and a timeline for each — as the
services would have left them.

``seed_demo --orders N`` first plans the life of every order (a ``Story``: its state, dates,
goods and what was paid when), then writes the stories in bulk, a chunk of orders at a time.
The finance step (``gendan.demo.finance``) writes the payment plans, receipts, allocations and
payment requests of the same stories. Amounts and derived states come from the functions the
services use (``line_amount``, ``sum_amounts``, ``payment_plan`` and the sub-state functions
``finance.substates.payment_status``, ``production.substates.production_status``,
``shipping.substates.shipment_status``), so the demo follows the rules rather than a copy of them.

The *structure* of order i — customer, state, number of lines, payment pattern, production
orders, shipments — is drawn from a generator that does not depend on ``--seed``: runs with
different seeds give the same counts; the seed changes only values (dates, goods, prices).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from itertools import islice
from random import Random

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gendan.accounts.access import access_changed
from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.catalog.models import Product, ProductCategory, ProductVariant
from gendan.core.events import choice, tr
from gendan.core.models import Event
from gendan.core.money import line_amount, round_money, sum_amounts
from gendan.core.numbering import number_next_block
from gendan.demo.logistics import AIRLINES, DEFAULT_CARTON, LCL_BELOW_CBM, LINES, Cargo
from gendan.demo.parties import MARKETS
from gendan.documents import events as documents_events
from gendan.documents.models import Attachment
from gendan.finance.substates import payment_status
from gendan.parties.models import Contact, Customer, PaymentMethod, Supplier
from gendan.production.events import (
    ProductionFinished,
    ProductionOrderAccepted,
    ProductionOrderCancelled,
    ProductionOrderClosed,
    ProductionOrderCreated,
    ProductionOrderIssued,
    ProductionStarted,
)
from gendan.production.models import ProductionOrder, ProductionOrderLine
from gendan.production.substates import production_status_from
from gendan.sales.events import (
    GateOverridden,
    OrderCancelled,
    OrderClosed,
    OrderCompleted,
    OrderConfirmed,
    OrderCreated,
    OrderHeld,
    OrderMarkedReady,
    OrderReleasedToProduction,
    OriginalBLReleased,
    PhoneConfirmationRecorded,
    WrittenConfirmationRecorded,
)
from gendan.sales.models import Confirmation, SalesOrder, SalesOrderCell, SalesOrderLine
from gendan.sales.terms import Instalment, deposit_percent_for, payment_plan, shipment_requires_balance
from gendan.shipping.events import OrderShipped, ShipmentCreated, Shipped
from gendan.shipping.models import Shipment, ShipmentLine
from gendan.shipping.substates import shipment_status_from

S = SalesOrder.Status
PS = ProductionOrder.Status
V = Event.Verb

CHUNK = 2000  # orders written per round of bulk inserts
BATCH = 5000  # rows per INSERT (SQLite is limited by its 999 parameters anyway)
ORDERS_PER_MERCHANDISER = 1000  # beyond two merchandisers' worth, the demo hires more (merch3 …)

# How many orders of 100 are in each state: a year of business, most of it shipped and closed.
STATE_WEIGHTS = {S.DRAFT: 6, S.CONFIRMED: 12, S.IN_PRODUCTION: 18, S.READY: 6, S.SHIPPED: 9, S.COMPLETED: 14,
                 S.CLOSED: 27, S.ON_HOLD: 3, S.CANCELLED: 5}
# Age of the customer's PO in days, by state: recent drafts, year-old closed orders.
AGE_DAYS = {S.DRAFT: (0, 14), S.CONFIRMED: (2, 40), S.IN_PRODUCTION: (15, 100), S.READY: (40, 100),
            S.SHIPPED: (75, 250), S.COMPLETED: (90, 300), S.CLOSED: (130, 365), S.ON_HOLD: (20, 200),
            S.CANCELLED: (5, 300)}
LINE_COUNTS = ((1, 2, 3, 4, 5, 6), (30, 30, 20, 12, 5, 3))
# How far along the happy path a state is: 0 draft, 1 confirmed, 2 released, 3 ready, 4 shipped.
LEVEL = {S.DRAFT: 0, S.CONFIRMED: 1, S.IN_PRODUCTION: 2, S.READY: 3, S.SHIPPED: 4, S.COMPLETED: 4, S.CLOSED: 4}
# Terms under which a balance request is emailed (under L/C and D/P the bank collects).
BALANCE_REQUESTED = {PaymentMethod.TT_DEPOSIT_BALANCE, PaymentMethod.TT_AGAINST_BL_COPY, PaymentMethod.OA}

FX = {"USD": "1", "EUR": "0.92", "GBP": "0.79", "JPY": "150", "CNY": "7.2", "HKD": "7.8", "AUD": "1.5",
      "CAD": "1.36", "CHF": "0.88", "SGD": "1.34"}
PRICE_CENTS = {"home": (120, 900), "appliance": (600, 3800), "bags": (300, 2800), "furniture": (1400, 8500),
               "textiles": (150, 1400)}
GOODS = [  # when the catalog is empty: description, unit, USD cents range
    ("Ceramic mug 350 ml", "pcs", (90, 250)), ("Bamboo cutting board", "pcs", (250, 700)),
    ("Cotton tote bag", "pcs", (80, 300)), ("Stainless steel lunch box", "set", (400, 1200)),
]
HOLD_REASONS = ["客户要求暂停，等待新包装设计确认", "Customer asked to pause: retail launch moved to next season",
                "等待客户确认色卡和吊牌", "Awaiting the customer's revised artwork"]
CANCEL_REASONS = ["客户取消订单（终端市场需求变化）", "Customer cancelled: the retailer dropped the range",
                  "价格未谈拢，客户撤单", "Customer went out of business"]
DEPOSIT_OVERRIDES = ["老客户，定金本周五到账，总经理批准先行排产", "Long-standing customer; deposit promised by Friday"]
BALANCE_OVERRIDES = ["客户信用良好，总经理批准先出货后收余款", "Balance wired, bank slip received; approved to load"]
# How the goods of an export order travel, by the order's shipping coin: courier, air, else by sea
# (full containers, or less than a container load when the cargo is small). Domestic orders go by truck.
COURIER_SHARE, AIR_SHARE = 0.03, 0.07
EASTBOUND = {"US", "CA", "BR"}  # voyages across the Pacific; the rest sail west


# --- the plan of one order's life ----------------------------------------------------------


@dataclass(slots=True)
class LineSpec:
    product_id: int | None
    description: str
    unit: str
    unit_price: Decimal
    quantity: Decimal
    amount: Decimal
    cells: list[tuple[int, str, str, Decimal]]  # variant id, colour, size, quantity
    shipped: Decimal = Decimal("0")
    pk: int | None = None


@dataclass(slots=True)
class ProductionSpec:
    supplier: Supplier
    lines: list[int]  # indexes into the story's lines
    status: str
    history: list[str]  # statuses after draft, in order
    number: str = ""
    due_date: dt.date | None = None


@dataclass(slots=True)
class ShipmentSpec:
    quantities: dict[int, Decimal]  # line index -> quantity
    final: bool  # the shipment that ships the last open quantity
    number: str = ""
    shipped_on: dt.date | None = None
    bl_no: str = ""
    # how it travels (``_sail``), for the shipping step (``gendan.demo.shipping``)
    pk: int | None = None
    serial: int = 0
    mode: str = ""
    cargo: list[Cargo] = field(default_factory=list)
    carrier: tuple | None = None  # a row of ``logistics.LINES`` or ``AIRLINES``
    vessel: str = ""
    voyage: str = ""
    etd: dt.date | None = None
    eta: dt.date | None = None
    on_board: dt.date | None = None
    planned_ex_factory: dt.date | None = None
    advice_sent: dt.datetime | None = None


@dataclass(slots=True)
class Story:
    """Everything the demo decides about one order before writing it."""

    index: int
    customer: Customer
    state: str
    n_lines: int
    u: list[float]  # structural coin tosses, used in a fixed order
    ship_u: list[float] = field(default_factory=list)  # the same for its shipping (``gendan.demo.shipping``)
    origin: str = ""  # the state an on-hold order was held from, or a cancelled order cancelled from
    pattern: str = "none"  # what the customer paid: none, deposit_part, deposit, balance_part, paid
    written: bool = False
    verbal: bool = False
    deposit_override: bool = False
    balance_override: bool = False
    productions: list[ProductionSpec] = field(default_factory=list)
    shipments: list[ShipmentSpec] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # "deposit", "balance"
    disposition: str = ""
    reason: str = ""
    # values
    po_no: str = ""
    po_date: dt.date | None = None
    ex_factory: dt.date | None = None
    lines: list[LineSpec] = field(default_factory=list)
    total: Decimal = Decimal("0")
    plan: list[Instalment] = field(default_factory=list)
    payments: list[tuple[str, Decimal]] = field(default_factory=list)  # (milestone, order-currency amount)
    days: dict[str, dt.date] = field(default_factory=dict)
    times: dict[str, dt.datetime] = field(default_factory=dict)
    completed_by_payment: bool = False
    completed_on_shipment: bool = False  # shipped in the last weeks, its balance paid before loading: completed
    # a change order on an order in production (``gendan.demo.changes``): "awaiting" the factory's
    # re-acknowledgement or "reacked"; what the customer changed: "quantity", "date" or "both"
    change: str = ""
    change_kind: str = ""
    # after writing
    order_id: int | None = None
    number: str | None = None

    @property
    def level(self) -> int:
        return LEVEL.get(self.origin or self.state, 0)

    @property
    def started(self) -> bool:
        """Has one of its production orders started (or finished)?"""
        return self.level >= 3 or any(PS.IN_PRODUCTION in p.history for p in self.productions)

    @property
    def confirmed(self) -> bool:
        return self.level >= 1

    @property
    def method(self) -> str:
        return self.customer.payment_method

    @property
    def currency(self) -> str:
        return self.customer.default_currency_id

    @property
    def merchandiser_id(self) -> int | None:
        return self.customer.merchandiser_id

    @property
    def deposit(self) -> Decimal:
        return next((i.amount for i in self.plan if i.kind == "deposit"), Decimal("0"))

    @property
    def balance(self) -> Decimal:
        return next((i.amount for i in self.plan if i.kind == "balance"), Decimal("0"))

    @property
    def received(self) -> Decimal:
        return sum((amount for _m, amount in self.payments), Decimal("0"))


# --- step entry point --------------------------------------------------------------------


def seed(ctx) -> None:
    if ctx.orders <= 0:
        return
    customers = list(ctx.data.get("customers") or Customer.objects.order_by("code"))
    producers = [s for s in (ctx.data.get("suppliers") or Supplier.objects.order_by("code"))
                 if s.kind in (Supplier.Kind.OWN_WORKSHOP, Supplier.Kind.OUTSOURCED_FACTORY)]
    if not customers or not producers:
        ctx.say("  no customers or factories: no orders")
        return
    _hire_merchandisers(ctx, customers)
    catalogue = _Catalogue.load(ctx)
    today, now = timezone.localdate(), timezone.now()
    stories = plan_stories(ctx.orders, customers, producers, catalogue, rng=ctx.rng, today=today, now=now)
    _number(stories)
    refs = _Refs.load(ctx, customers)
    with timestamps_as_given(SalesOrder, ProductionOrder, Shipment):
        for start in range(0, len(stories), CHUNK):
            _write(stories[start:start + CHUNK], refs)
    ctx.data["order_stories"] = stories  # the shipping step drops the lines once it used them
    counts = defaultdict(int)
    for story in stories:
        counts[story.state] += 1
    ctx.say(f"  {len(stories)} orders (" + ", ".join(f"{counts[s]} {s}" for s in S.values) + ")")


# --- who follows the orders -----------------------------------------------------------------


def _hire_merchandisers(ctx, customers: list[Customer]) -> None:
    """At benchmark sizes, give the orders to more merchandisers (merch3 …, no team) so each
    follows about ``ORDERS_PER_MERCHANDISER`` orders; they take over the customers after the
    first of each market, which stay with merch and merch2."""
    wanted = min(ctx.orders // ORDERS_PER_MERCHANDISER, len(customers) // 4)
    if wanted <= 2:
        return
    template = ctx.users["merch"]
    existing = set(User.objects.filter(username__startswith="merch").values_list("username", flat=True))
    hired = [User(username=f"merch{k}", full_name=f"跟单员 {k:03d}", email=f"merch{k}@demo.gendan.local",
                  password=template.password)
             for k in range(3, wanted + 1) if f"merch{k}" not in existing]
    User.objects.bulk_create(hired, batch_size=BATCH)
    staff = list(User.objects.filter(username__in=[u.username for u in hired]).order_by("id"))
    group = Group.objects.get(name=Role.MERCHANDISER.value)
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in staff])
    access_changed()  # a bulk insert sends no m2m_changed: kept rights must not outlive it
    moved = []
    for i, customer in enumerate(customers[len(MARKETS):]):  # one customer per market stays with merch / merch2
        customer.merchandiser_id = staff[i % len(staff)].pk
        moved.append(customer)
    Customer.objects.bulk_update(moved, ["merchandiser"], batch_size=BATCH)
    for user in staff:
        ctx.users[user.username] = user
    ctx.say(f"  {len(staff)} more merchandisers (merch3 … merch{wanted}) for {len(moved)} customers")


# --- goods and prices ---------------------------------------------------------------------


@dataclass
class _Catalogue:
    products: list[Product]
    variants: dict[int, list[tuple[int, str, str]]]
    base_cents: dict[int, int]

    @classmethod
    def load(cls, ctx) -> _Catalogue:
        products = [p for p in (ctx.data.get("products") or Product.objects.filter(kind=Product.Kind.FINISHED)
                                .order_by("code")) if p.is_active and p.kind == Product.Kind.FINISHED]
        variants: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
        rows = ProductVariant.objects.filter(product__kind=Product.Kind.FINISHED).order_by("product_id", "sort_order")
        for product_id, pk, colour, size in rows.values_list("product_id", "id", "colour", "size"):
            variants[product_id].append((pk, colour, size))
        codes = dict(ProductCategory.objects.values_list("pk", "code"))
        base = {p.pk: ctx.rng.randint(*PRICE_CENTS.get(codes.get(p.category_id), (100, 2000))) for p in products}
        return cls(products, variants, base)

    def price(self, cents: int, currency: str, rng: Random) -> Decimal:
        price = Decimal(cents) / 100 * Decimal(FX.get(currency, "1")) * Decimal(rng.randint(95, 108)) / 100
        if currency == "JPY":
            return price.quantize(Decimal("1"))
        return price.quantize(Decimal("0.001") if rng.random() < 0.3 else Decimal("0.01"))

    def lines(self, n: int, currency: str, rng: Random) -> list[LineSpec]:
        lines = []
        chosen = (rng.sample(self.products, n) if len(self.products) >= n
                  else [rng.choice(self.products) for _ in range(n)]) if self.products else []
        for i in range(n):
            if chosen:
                product = chosen[i]
                price = self.price(self.base_cents[product.pk], currency, rng)
                per_carton = product.units_per_carton or 1
                variants = self.variants.get(product.pk, [])
                cells = []
                if variants:
                    picked = rng.sample(variants, rng.randint(min(2, len(variants)), min(6, len(variants))))
                    cells = [(pk, colour, size, Decimal(per_carton * rng.randint(2, 30))) for pk, colour, size in picked]
                    quantity = sum((c[3] for c in cells), Decimal("0"))
                else:
                    quantity = Decimal(per_carton * rng.randint(10, 200))
                description = product.name_en or product.name_zh or product.code
                lines.append(LineSpec(product.pk, description[:300], product.unit, price, quantity,
                                      line_amount(quantity, price, currency), cells))
            else:
                description, unit, cents = GOODS[rng.randrange(len(GOODS))]
                price = self.price(rng.randint(*cents), currency, rng)
                quantity = Decimal(rng.randint(10, 200) * 12)
                lines.append(LineSpec(None, description, unit, price, quantity,
                                      line_amount(quantity, price, currency), []))
        return lines


# --- planning -----------------------------------------------------------------------------


def plan_stories(n: int, customers: list[Customer], producers: list[Supplier], catalogue: _Catalogue, *,
                 rng: Random, today: dt.date, now: dt.datetime) -> list[Story]:
    """Plan ``n`` orders: structure from a generator fixed by ``n`` alone, values from ``rng``."""
    srng = Random(f"gendan-demo-orders-{n}")
    states, weights = list(STATE_WEIGHTS), list(STATE_WEIGHTS.values())
    stories = []
    for i in range(n):
        customer = customers[srng.randrange(len(customers))]
        state = srng.choices(states, weights)[0]
        n_lines = srng.choices(*LINE_COUNTS)[0]
        stories.append(Story(i, customer, state, n_lines, [srng.random() for _ in range(8)]))
    # Shipping's coins come from a generator of their own: the orders' structure stays as it was.
    ship_rng = Random(f"gendan-demo-shipping-{n}")
    for story in stories:
        story.ship_u = [ship_rng.random() for _ in range(6)]
    # Under "balance before shipment" the goods leave only once the balance is in, and the order
    # shipped and paid in full is completed (sales.services.substates): no such order stays shipped.
    # It left in the last weeks, as the other shipped orders (_po_and_ex_factory): the company's
    # recent shipments, invoices and documents stay as many whatever the terms.
    for story in stories:
        if story.state == S.SHIPPED and _paid_before_loading(story):
            story.state, story.completed_on_shipment = S.COMPLETED, True
    # Every merchandiser gets every state: their first orders take one state each, in turn, but
    # "shipped" only on terms that let an order stay shipped (the next such order takes it).
    todo: dict[int | None, list[str]] = defaultdict(lambda: list(states))
    for story in stories:
        wanted = todo[story.merchandiser_id]
        state = next((st for st in wanted if st != S.SHIPPED or not _paid_before_loading(story)), None)
        if state is not None:
            story.state, story.completed_on_shipment = state, False
            wanted.remove(state)
    _plan_changes(stories)
    workshops = [p for p in producers if p.kind == Supplier.Kind.OWN_WORKSHOP] or producers
    factories = [p for p in producers if p.kind == Supplier.Kind.OUTSOURCED_FACTORY] or producers
    for story in stories:
        _settle_structure(story)
        _fill_values(story, catalogue, workshops, factories, rng=rng, today=today, now=now)
    return stories


def _plan_changes(stories: list[Story]) -> None:
    """Which orders in production get a customer's change order (``gendan.demo.changes``): about
    one in ``CHANGE_ONE_IN`` (at least 2, at most ``CHANGES_MAX``), a third of them (at least one)
    still awaiting the factory's re-acknowledgement. From the state and the order of the stories
    alone, so every seed has as many: the newest orders in production (at benchmark sizes the
    purchasing step buys materials for the newest only; the production step makes its drafts and
    holds of other orders)."""
    candidates = [s for s in reversed(stories) if s.state == S.IN_PRODUCTION]
    chosen = candidates[:min(max(2, len(candidates) // CHANGE_ONE_IN), CHANGES_MAX)]
    awaiting = max(1, len(chosen) // 3)
    for k, story in enumerate(chosen):
        story.change = "awaiting" if k < awaiting else "reacked"
        story.change_kind = ("both", "quantity", "date")[k % 3]


CHANGE_ONE_IN, CHANGES_MAX = 40, 24


def _paid_before_loading(story: Story) -> bool:
    """Terms under which a shipped order has paid in full: its balance before shipment, after a
    deposit (without one the demo ships such an order on the manager's override, balance unpaid)."""
    method = story.method
    return shipment_requires_balance(method) and deposit_percent_for(method, story.customer.deposit_percent) > 0


def _pick(u: float, *options: tuple[float, str]) -> str:
    """The first option whose cumulative share exceeds ``u``."""
    total = 0.0
    for share, value in options:
        total += share
        if u < total:
            return value
    return options[-1][1]


def _settle_structure(story: Story) -> None:
    """Decide the structural facts of an order from its state, its customer's terms and its
    coin tosses — never from values, so the counts do not depend on ``--seed``."""
    u, state = story.u, story.state
    if state == S.ON_HOLD:
        story.origin = _pick(u[0], (0.4, S.CONFIRMED), (0.4, S.IN_PRODUCTION), (0.2, S.READY))
    elif state == S.CANCELLED:
        story.origin = _pick(u[0], (0.35, S.DRAFT), (0.45, S.CONFIRMED), (0.2, S.IN_PRODUCTION))
    level, method = story.level, story.method
    has_deposit = deposit_percent_for(method, story.customer.deposit_percent) > 0
    pay_first = shipment_requires_balance(method)
    if level == 0:
        story.pattern = "none"
    elif state in (S.COMPLETED, S.CLOSED):
        story.pattern = "paid"  # (an order shipped on "balance before shipment" is among them: plan_stories)
    elif state == S.SHIPPED:
        story.pattern = (_pick(u[1], (0.7, "deposit"), (0.3, "balance_part")) if has_deposit
                         else _pick(u[1], (0.6, "none"), (0.4, "balance_part")))
    elif level == 1 and has_deposit and state == S.CONFIRMED and u[6] < LATE_DEPOSITS:
        story.pattern = "deposit"  # paid, but late: see _po_and_ex_factory
    elif level == 1:
        story.pattern = _pick(u[1], (0.5, "none"), (0.15, "deposit_part"), (0.35, "deposit")) if has_deposit \
            else "none"
    elif state == S.CANCELLED:
        story.pattern = _pick(u[1], (0.85, "deposit"), (0.15, "override")) if has_deposit else "none"
    elif pay_first:
        story.pattern = _pick(u[1], (0.64, "deposit"), (0.15, "balance_part"), (0.18, "paid"), (0.03, "override")) \
            if has_deposit else _pick(u[1], (0.8, "none"), (0.2, "paid"))
    else:
        story.pattern = _pick(u[1], (0.99, "deposit"), (0.01, "override")) if has_deposit else "none"
    if story.pattern == "override":
        story.deposit_override, story.pattern = True, "none"

    if story.confirmed:
        story.written = story.verbal = True
    else:  # a draft may already have the PO file, and even the phone call
        story.written, story.verbal = u[7] < 0.5, u[7] < 0.2

    if level >= 2:
        two = story.n_lines >= 2 and u[2] < 0.25
        groups = [list(range(story.n_lines))] if not two else \
            [list(range(story.n_lines // 2)), list(range(story.n_lines // 2, story.n_lines))]
        for k, lines in enumerate(groups):
            progress = _pick(u[3 + k], (0.3, PS.ISSUED), (0.3, PS.ACCEPTED), (0.4, PS.IN_PRODUCTION))
            history = [PS.ISSUED, PS.ACCEPTED, PS.IN_PRODUCTION][:[PS.ISSUED, PS.ACCEPTED, PS.IN_PRODUCTION]
                                                                  .index(progress) + 1]
            if level >= 3:
                history = [PS.IN_PRODUCTION, PS.FINISHED] + ([PS.CLOSED] if state == S.CLOSED else [])
            if state == S.CANCELLED:
                history = [*history, PS.CANCELLED]
            story.productions.append(ProductionSpec(None, lines, history[-1], history))

    if level == 4:
        if u[5] < 0.2:  # shipped in two lots
            if story.n_lines >= 2:
                half = story.n_lines // 2
                story.shipments = [ShipmentSpec(dict.fromkeys(range(half)), False),
                                   ShipmentSpec(dict.fromkeys(range(half, story.n_lines)), True)]
            else:
                story.shipments = [ShipmentSpec({0: Decimal("0.6")}, False), ShipmentSpec({0: None}, True)]
        else:
            story.shipments = [ShipmentSpec(dict.fromkeys(range(story.n_lines)), True)]
        story.balance_override = state == S.SHIPPED and pay_first and story.pattern != "paid"
    elif state == S.READY and u[5] < 0.2 and (story.pattern == "paid" or not pay_first):
        first = dict.fromkeys(range(max(1, story.n_lines // 2))) if story.n_lines >= 2 else {0: Decimal("0.5")}
        story.shipments = [ShipmentSpec(first, False)]

    if story.confirmed and has_deposit:
        story.requests.append("deposit")
    if level >= 3 and method in BALANCE_REQUESTED:
        story.requests.append("balance")
    if state == S.ON_HOLD:
        story.reason = HOLD_REASONS[int(u[6] * len(HOLD_REASONS))]
    elif state == S.CANCELLED:
        story.reason = CANCEL_REASONS[int(u[6] * len(CANCEL_REASONS))]
        if story.pattern in ("deposit", "deposit_part") and has_deposit:
            story.disposition = _pick(u[7], (0.4, SalesOrder.DepositDisposition.REFUND),
                                      (0.4, SalesOrder.DepositDisposition.CREDIT),
                                      (0.2, SalesOrder.DepositDisposition.FORFEIT))


def _fill_values(story: Story, catalogue: _Catalogue, workshops: list[Supplier], factories: list[Supplier], *,
                 rng: Random, today: dt.date, now: dt.datetime) -> None:
    """Dates, goods and amounts. Days are planned first, then put in order and capped at
    today; the times of the timeline follow that order."""
    day = dt.timedelta
    customer, currency = story.customer, story.currency
    po_date, story.ex_factory = _po_and_ex_factory(story, rng, today)
    story.po_date = po_date
    story.po_no = f"{(customer.short_name or customer.code)[:8]}-{po_date:%y}{story.index + 1:06d}"
    story.lines = catalogue.lines(story.n_lines, currency, rng)
    story.total = sum_amounts([line.amount for line in story.lines], currency)
    # Capped at today like every step after it: an order whose PO came yesterday was not entered tomorrow
    # (uncapped, it sorted after its own confirmation, capped at today, and its timeline began "confirmed").
    d: dict[str, dt.date] = {"created": min(po_date + day(rng.randint(0, 2)), today)}
    if story.written:
        d["written"] = d["created"]
    if story.verbal:
        d["verbal"] = min(d["written"] + day(rng.randint(0, 2)), today)
    if story.confirmed:
        d["confirmed"] = min(d["verbal"] + day(rng.randint(0, 1)), today)
        story.plan = payment_plan(method=story.method, deposit_percent=customer.deposit_percent,
                                  payment_days=customer.payment_days, total=story.total, currency=currency,
                                  confirmed_on=d["confirmed"], ex_factory_date=story.ex_factory)
        _plan_money_and_goods(story, d, rng)
    if story.state == S.ON_HOLD:
        d["hold"] = max(d.values()) + day(rng.randint(1, 10))
    elif story.state == S.CANCELLED:
        d["cancel"] = max(d.values()) + day(rng.randint(1, 14))
    elif story.state == S.CLOSED:
        d["closed"] = max(d.values()) + day(rng.randint(7, 60))
    for spec in story.productions:
        spec.supplier = rng.choice(workshops if spec is story.productions[0] and len(story.productions) > 1
                                   else workshops + factories)
        spec.due_date = max(story.ex_factory - day(rng.randint(2, 5)), d["release"])
    # Put the milestones in order (planned day, then the causal rank), cap at today, give times.
    order = sorted(d, key=lambda key: (d[key], RANK[key.rstrip("0123456789")], key))
    tz = timezone.get_current_timezone()
    latest = max(dt.datetime.combine(today, dt.time(0, 0), tzinfo=tz), now - dt.timedelta(minutes=15))
    for seq, key in enumerate(order):
        when = min(d[key], today)
        story.days[key] = when
        moment = dt.datetime.combine(when, dt.time(9, 0), tzinfo=tz) + dt.timedelta(minutes=7 * seq,
                                                                                   seconds=rng.randint(0, 300))
        if moment > latest:  # today, and not yet that late: just before now, still in order
            moment = latest + dt.timedelta(seconds=10 * seq)
        story.times[key] = moment
    if story.deposit_override:
        story.times["override_deposit"] = story.times["release"] - dt.timedelta(minutes=3)
    if story.balance_override:
        story.times["override_balance"] = story.times["ship0"] - dt.timedelta(minutes=3)
    for k, spec in enumerate(story.shipments):
        spec.shipped_on = story.days[f"ship{k}"]
        for i, qty in list(spec.quantities.items()):
            line = story.lines[i]
            if qty is None:  # the whole open quantity
                qty = line.quantity - line.shipped
            elif qty < 1:  # a share of the line
                qty = (line.quantity * qty).quantize(Decimal("1"))
            spec.quantities[i] = qty
            line.shipped += qty


def _po_and_ex_factory(story: Story, rng: Random, today: dt.date) -> tuple[dt.date, dt.date]:
    """The customer's PO date and the promised ex-factory date. An order still open is where its
    T&A says it should be today (issue 11: of 112 open demo orders 65 were late): a confirmed
    order was confirmed this week and leaves in two or three months, one in production leaves
    within eight weeks but not this week, one ready leaves within days, one shipped left in the
    last weeks. Ended orders are spread over the past year."""
    day = dt.timedelta
    state = story.origin if story.state == S.ON_HOLD else story.state
    if story.completed_on_shipment:  # as a shipped order (not a late payer: it paid before loading)
        (ahead_from, ahead_to), (lead_from, lead_to), latest = OPEN_LEAD[S.SHIPPED]
        ex_factory = today + day(rng.randint(ahead_from, ahead_to))
        return min(ex_factory - day(rng.randint(lead_from, lead_to)), today - day(latest)), ex_factory
    if story.state in (S.CANCELLED, S.COMPLETED, S.CLOSED, S.DRAFT) or state not in OPEN_LEAD:
        po_date = today - day(rng.randint(*AGE_DAYS[story.state]))
        return po_date, po_date + day(rng.randint(30, 90))
    (ahead_from, ahead_to), (lead_from, lead_to), latest = OPEN_LEAD[state]
    # When the balance falls due, counted from ex-factory (before it: "balance before shipment").
    due = payment_plan(method=story.method, deposit_percent=Decimal("0"), payment_days=story.customer.payment_days,
                       total=Decimal("100"), currency="USD", confirmed_on=today, ex_factory_date=today)[-1].due_date - today
    unpaid = story.pattern != "paid"
    if state == S.READY and unpaid and due.days < 0:  # the balance is asked for a week before loading
        ahead_from, ahead_to = -due.days, -due.days + 7
    elif state == S.SHIPPED and story.u[6] < LATE_PAYERS:  # a customer paying late: due weeks ago
        ahead_from, ahead_to = -due.days - 40, -due.days - 5
    elif state == S.SHIPPED and due.days > 0:  # shipped, its balance not yet due
        ahead_from, ahead_to = max(ahead_from, 2 - due.days), -2
    elif state == S.IN_PRODUCTION and story.change:  # its change order came after production had begun
        (ahead_from, ahead_to), latest = ((34, 50) if not story.started else (20, 45)), CHANGE_PO_AGE
    elif state == S.IN_PRODUCTION and not story.started:  # materials still coming: production starts in weeks
        ahead_from, ahead_to = 34, 60
    elif state == S.IN_PRODUCTION:
        ahead_to = 40
    ex_factory = today + day(rng.randint(ahead_from, ahead_to))
    if state == S.CONFIRMED and story.pattern == "deposit" and story.u[6] < LATE_DEPOSITS:
        return today - day(rng.randint(21, 24)), ex_factory  # its deposit came late: see _plan_money_and_goods
    if state == S.CONFIRMED:  # confirmed within the week: its deposit and its release are not yet due
        return today - day(rng.randint(1, 6)), ex_factory
    return min(ex_factory - day(rng.randint(lead_from, lead_to)), today - day(latest)), ex_factory


# An order that gets a change order (gendan.demo.changes) was placed at least this many days ago,
# so its production orders were issued (and its production began) weeks before the change:
# PO to ex-factory stays within 95 days, 105 once the customer moved the date.
CHANGE_PO_AGE = 45
LATE_PAYERS = 0.04  # of the shipped orders: balance overdue (the dunning run's few customers)
LATE_DEPOSITS = 0.3  # of the confirmed orders with a deposit: paid late, so not yet released (the board's overdue)
# By the state an open order is in: (ex-factory from today, in days), (the lead time from PO to
# ex-factory), the fewest days since the PO.
OPEN_LEAD = {S.CONFIRMED: ((50, 85), (0, 0), 0), S.IN_PRODUCTION: ((9, 60), (55, 80), 25),
             S.READY: ((1, 10), (55, 85), 40), S.SHIPPED: ((-45, -6), (50, 85), 55)}


# Causal order of milestones planned for the same day.
RANK = {key: i for i, key in enumerate([
    "created", "written", "verbal", "confirmed", "request_deposit", "pay_deposit", "release", "production",
    "request_balance", "pay_balance", "ready", "ship", "pay_after", "bl_release", "hold", "cancel", "closed"])}


def _plan_money_and_goods(story: Story, d: dict[str, dt.date], rng: Random) -> None:
    day = dt.timedelta
    confirmed, deposit, balance = d["confirmed"], story.deposit, story.balance
    balance_due = next((i.due_date for i in story.plan if i.kind == "balance"), story.ex_factory)
    pay_first = shipment_requires_balance(story.method)
    level, pattern, currency = story.level, story.pattern, story.currency
    if "deposit" in story.requests:
        d["request_deposit"] = confirmed + day(rng.randint(0, 1))
    if deposit and pattern in ("deposit_part", "deposit", "balance_part", "paid"):
        d["pay_deposit"] = confirmed + day(rng.randint(2, 9) if rng.random() < 0.93 else rng.randint(12, 30))
        if story.state == S.CONFIRMED and story.u[6] < LATE_DEPOSITS:  # three weeks after confirmation
            d["pay_deposit"] = max(confirmed + day(12), story.po_date + day(rng.randint(17, 20)))
        part = round_money(deposit / 2, currency) if pattern == "deposit_part" else deposit
        story.payments.append(("pay_deposit", part))
    if level >= 2:
        start = d.get("pay_deposit", confirmed)
        d["release"] = start + day(rng.randint(1, 4) if story.deposit_override else rng.randint(0, 3))
        d["production"] = d["release"] + day(rng.randint(2, 7))
    if level >= 3:
        d["ready"] = max(story.ex_factory + day(rng.randint(-4, 3)), d["production"] + day(7))
    balance_paid = {"balance_part": round_money(balance / 2, currency), "paid": balance}.get(pattern)
    if balance_paid and pay_first:  # the balance before the goods leave
        d["pay_balance"] = max(balance_due + day(rng.randint(-6, 4)), d.get("pay_deposit", confirmed) + day(1))
    if level >= 3 and story.shipments:
        d["ship0"] = d["ready"] + day(rng.randint(0, 5))
        if pay_first and "pay_balance" in d and pattern == "paid":
            d["ship0"] = max(d["ship0"], d["pay_balance"])
        if len(story.shipments) > 1:
            d["ship1"] = d["ship0"] + day(rng.randint(4, 20))
    if balance_paid and not pay_first:  # against documents or on account: after shipment
        last = d.get("ship1", d.get("ship0", d.get("release", confirmed)))
        d["pay_after"] = max(balance_due + day(rng.randint(-5, 15)), last + day(1))
    if balance_paid:
        story.payments.append(("pay_balance" if pay_first else "pay_after", balance_paid))
    if "balance" in story.requests:
        asked = max(d.get("ready", confirmed), balance_due - day(10))
        paid_on = d.get("pay_balance", d.get("pay_after"))
        d["request_balance"] = min(asked, paid_on) if paid_on else asked
    if story.state in (S.COMPLETED, S.CLOSED) and story.method == PaymentMethod.TT_AGAINST_BL_COPY:
        d["bl_release"] = d["pay_after"] + day(rng.randint(0, 2))
    story.completed_by_payment = story.state in (S.COMPLETED, S.CLOSED) and not pay_first


# --- numbers --------------------------------------------------------------------------------


def allocate_numbers(code: str, items: Iterable[tuple[dt.date, int, Callable[[str], None]]]) -> None:
    """Give numbers of sequence ``code`` to ``(day, tie-break, setter)`` items, in date order,
    one block per month (the sequences restart monthly and carry the month in the number)."""
    by_month: dict[tuple[int, int], list] = defaultdict(list)
    for item in sorted(items, key=lambda item: (item[0], item[1])):
        by_month[(item[0].year, item[0].month)].append(item)
    for items_of_month in by_month.values():
        numbers = number_next_block(code=code, count=len(items_of_month), on_date=items_of_month[0][0])
        for (_day, _tie, setter), number in zip(items_of_month, numbers, strict=True):
            setter(number)


def _number(stories: list[Story]) -> None:
    allocate_numbers("sales_order", ((s.days["confirmed"], s.index, lambda no, s=s: setattr(s, "number", no))
                                     for s in stories if s.confirmed))
    allocate_numbers("production_order", ((s.days["release"], s.index * 2 + k,
                                           lambda no, p=p: setattr(p, "number", no))
                                          for s in stories for k, p in enumerate(s.productions)))
    allocate_numbers("shipment", ((sh.shipped_on, s.index * 2 + k, lambda no, sh=sh: setattr(sh, "number", no))
                                  for s in stories for k, sh in enumerate(s.shipments)))


# --- writing ----------------------------------------------------------------------------------


@contextmanager
def timestamps_as_given(*models):
    """Let ``bulk_create`` keep the created / updated times set on demo rows: ``auto_now`` and
    ``auto_now_add`` would stamp a year of orders with the minute the demo ran."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


_ADAPTED = {"DateField", "DateTimeField", "DecimalField", "JSONField", "TimeField", "DurationField", "UUIDField"}


def insert_rows(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """Insert plain tuples (values of ``columns``, attnames) as rows of ``model``; other columns
    get their field defaults. Returns the number of rows.

    For the leaf rows of the demo (events, cells, plan items …) whose ids nobody needs:
    ``bulk_create`` builds a model instance and compiles every value through the ORM (about
    90 µs an event row), which is most of the time of a 100 000-order demo. Here dates,
    decimals and JSON still go through Django's own field adapters; the rest is passed as is.
    """
    connection = connections[router.db_for_write(model)]
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    given = [by_attname[name] for name in columns]
    rest = [f for f in model._meta.concrete_fields if not f.primary_key and f not in given]
    fields = given + rest
    adapt = [_adapter(f, connection) if f.get_internal_type() in _ADAPTED else None for f in fields]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    qn = connection.ops.quote_name
    head = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
    if connection.vendor == "postgresql":
        # One array per column, as Django's own bulk_create does on PostgreSQL: a short
        # statement instead of thousands of placeholders to parse and plan.
        types = [f.db_type(connection).split("(")[0] for f in fields]
        sql = head + "SELECT * FROM UNNEST(" + ", ".join(f"(%s)::{t}[]" for t in types) + ")"
        per_batch = 10_000
    else:
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_batch = max(1, min(connection.ops.bulk_batch_size(fields, [None] * 2000), 2000))
    count = 0
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(rows, per_batch)):
            prepared = [(*(v if a is None else a(v) for v, a in zip(row, adapt, strict=False)), *defaults)
                        for row in batch]
            if connection.vendor == "postgresql":
                cursor.execute(sql, [list(column) for column in zip(*prepared, strict=True)])
            else:
                cursor.execute(head + "VALUES " + ", ".join([one] * len(batch)), [v for row in prepared for v in row])
            count += len(batch)
    return count


def _adapter(f, connection) -> Callable:
    """``f``'s own adapter (``get_db_prep_save``); on SQLite, for the values the demo writes by
    the million — JSON objects, aware date-times and dates — the same result without its layers
    (``json.dumps``; the UTC time as text; the ISO date), about a third of the time of an event
    row. Anything else still goes through Django."""
    slow = partial(f.get_db_prep_save, connection=connection)
    if connection.vendor != "sqlite":
        return slow
    kind = f.get_internal_type()
    if kind == "JSONField" and f.encoder is None:
        return lambda v: json.dumps(v) if type(v) in (dict, list) else slow(v)
    if kind == "DateTimeField" and settings.USE_TZ:
        utc = connection.timezone
        return lambda v: (str(v.astimezone(utc).replace(tzinfo=None))
                          if type(v) is dt.datetime and v.tzinfo is not None else slow(v))
    if kind == "DateField":
        return lambda v: v.isoformat() if type(v) is dt.date else slow(v)
    return slow


DEMO_PO_PDF = (
    b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R >>endobj\n"
    b"2 0 obj<< /Type /Pages /Kids [3 0 R] /Count 1 >>endobj\n"
    b"3 0 obj<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >>endobj\n"
    b"4 0 obj<< /Length 70 >>stream\nBT /F1 14 Tf 60 780 Td (Customer purchase order - demo placeholder) Tj ET\n"
    b"endstream endobj\n5 0 obj<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>endobj\n"
    b"trailer<< /Root 1 0 R >>\n%%EOF\n"
)


def _texts() -> dict[str, str]:
    """Text stored as typed, as the services store it (a draft's name, a file's description),
    in the active language. Timeline messages are kinds + parameters (``event``), shown in the
    reader's language."""
    return {
        "draft": _("draft"),
        "po_description": _("customer's written order"),
    }


@dataclass
class _Refs:
    """Lookups every chunk needs, loaded once."""

    order_ct: int
    production_ct: int
    shipment_ct: int
    po_file: str
    po_sha: str
    planner_id: int
    manager: User
    contacts: dict[int, tuple[str, str]]  # customer id -> (name, phone) of the main contact
    text: dict[str, str]
    cartons: dict[int, tuple[int, Decimal, Decimal]]  # product id -> pieces, CBM and G.W. of its export carton
    today: dt.date
    now: dt.datetime
    warehouse_id: int

    def carton(self, product_id: int | None) -> tuple[int, Decimal, Decimal, Decimal | None]:
        return self.cartons.get(product_id, DEFAULT_CARTON)

    @classmethod
    def load(cls, ctx, customers: list[Customer]) -> _Refs:
        storage = Attachment._meta.get_field("file").storage
        name = storage.save("attachments/demo/customer-po.pdf", ContentFile(DEMO_PO_PDF))
        contacts = {}
        for customer_id, name_, phone, mobile in (Contact.objects.filter(customer__isnull=False)
                                                  .order_by("-is_primary", "id")
                                                  .values_list("customer_id", "name", "phone", "mobile")):
            contacts.setdefault(customer_id, (name_, phone or mobile))
        cartons = {p.pk: (p.units_per_carton, p.carton_cbm, p.gross_weight_kg, p.net_weight_kg)
                   for p in Product.objects.filter(kind=Product.Kind.FINISHED, units_per_carton__isnull=False,
                                                   gross_weight_kg__isnull=False)
                   if p.carton_cbm}
        ct = ContentType.objects.get_for_model
        return cls(ct(SalesOrder).pk, ct(ProductionOrder).pk, ct(Shipment).pk, name,
                   hashlib.sha256(DEMO_PO_PDF).hexdigest(), (ctx.users.get("planner") or ctx.users["admin"]).pk,
                   ctx.users.get("gm") or ctx.users["admin"], contacts, _texts(), cartons, timezone.localdate(),
                   timezone.now(), (ctx.users.get("warehouse") or ctx.users["admin"]).pk)


EVENT_COLUMNS = ["content_type_id", "object_id", "object_repr", "actor_id", "created_at", "verb", "changes",
                 "reason", "kind", "params", "message"]


def event(ct: int, obj_id: int, obj_repr: str, actor_id: int | None, at: dt.datetime, verb: str, *,
          kind: str = "", params: dict | None = None, message: str = "", changes: dict | None = None,
          reason: str = "") -> tuple:
    """An event row (``EVENT_COLUMNS``), as ``core.events.event_record`` (or the service's domain
    event, whose ``kind`` and ``params()`` it copies) writes it."""
    return (ct, obj_id, obj_repr[:200], actor_id, at, verb, changes or {}, reason, kind, params or {}, message[:300])


def _status(old: str, new: str) -> dict:
    return {"status": {"old": old, "new": new}}


def shipping_marks(story: Story) -> str:
    c = story.customer
    return f"{c.short_name or c.code}\nPO NO.: {story.po_no}\nC/NO.: 1-UP\nMADE IN CHINA"


def _order_row(story: Story) -> SalesOrder:
    c, t = story.customer, story.times
    marks = shipping_marks(story)
    version = 1 + sum(1 for key in ("confirmed", "release", "ready", "ship0", "ship1", "bl_release", "hold",
                                    "cancel", "closed", "override_deposit", "override_balance") if key in t)
    order = SalesOrder(
        customer_id=c.pk, customer_po_no=story.po_no, customer_po_date=story.po_date, status=story.state,
        held_from=story.origin if story.state == S.ON_HOLD else "", currency_id=story.currency,
        incoterm=c.incoterm, incoterm_place=c.incoterm_place, payment_method=c.payment_method,
        deposit_percent=c.deposit_percent, payment_days=c.payment_days, payment_terms_note=c.payment_terms_note,
        port_of_loading=c.port_of_loading, port_of_destination=c.port_of_destination,
        requested_delivery_date=story.ex_factory + dt.timedelta(days=20 + story.index % 26),
        ex_factory_date=story.ex_factory, shipping_marks=marks, special_requirements=c.special_requirements,
        merchandiser_id=c.merchandiser_id, salesperson_id=c.salesperson_id, number=story.number,
        total_amount=story.total, deposit_amount=story.deposit, balance_amount=story.balance,
        received_amount=story.received, confirmed_at=t.get("confirmed"),
        confirmed_by_id=c.merchandiser_id if story.confirmed else None,
        production_gate_override=story.deposit_override, shipment_gate_override=story.balance_override,
        original_bl_released_at=t.get("bl_release"), cancel_reason=story.reason if story.state == S.CANCELLED else "",
        deposit_disposition=story.disposition, closed_at=t.get("closed"), version=version,
        created_at=t["created"], updated_at=max(t.values()),
    )
    order.payment_status = payment_status(order)
    return order


def _write(stories: list[Story], refs: _Refs) -> None:
    orders = [_order_row(s) for s in stories]
    SalesOrder.objects.bulk_create(orders, batch_size=BATCH)
    for story, order in zip(stories, orders, strict=True):
        story.order_id = order.pk
    lines = [SalesOrderLine(order_id=s.order_id, line_no=i + 1, product_id=ln.product_id, description=ln.description,
                            quantity=ln.quantity, unit=ln.unit, unit_price=ln.unit_price, amount=ln.amount,
                            shipped_quantity=ln.shipped)
             for s in stories for i, ln in enumerate(s.lines)]
    SalesOrderLine.objects.bulk_create(lines, batch_size=BATCH)
    rows = iter(lines)
    for s in stories:
        for ln in s.lines:
            ln.pk = next(rows).pk
    insert_rows(SalesOrderCell, ["line_id", "variant_id", "colour", "size", "quantity"],
                ((ln.pk, pk, colour, size, qty) for s in stories for ln in s.lines for pk, colour, size, qty in ln.cells))
    events: list[tuple] = []
    _write_confirmations(stories, refs, events)
    _write_production(stories, refs, events)
    _write_shipments(stories, refs, events)
    _derive_substates(orders)
    for s in stories:
        _order_events(s, refs, events)
    insert_rows(Event, EVENT_COLUMNS, events)


def _derive_substates(orders: list[SalesOrder]) -> None:
    """Set the production and shipment sub-states the way the services do: by the same rules
    (``production.substates.production_status_from``, ``shipping.substates.shipment_status_from``),
    fed from the production orders, lines and shipments just written — three reads for the
    whole chunk, never a copy of the rules."""
    pks = [order.pk for order in orders]
    rows, ordered, shipped, allocated = defaultdict(set), defaultdict(Decimal), defaultdict(Decimal), {}
    line_quantities = defaultdict(dict)
    for start in range(0, len(pks), 900):  # within any SQLite's limit of bound parameters
        chunk = pks[start:start + 900]
        for order_id, status, held in (ProductionOrder.objects.filter(sales_order_id__in=chunk)
                                       .exclude(status=ProductionOrder.Status.CANCELLED)
                                       .values_list("sales_order_id", "status", "held_from")):
            rows[order_id].add((status, held))
        for order_id, line_id, quantity, shipped_quantity in (SalesOrderLine.objects.filter(order_id__in=chunk)
                                                              .values_list("order_id", "pk", "quantity",
                                                                           "shipped_quantity")):
            ordered[order_id] += quantity
            shipped[order_id] += shipped_quantity
            line_quantities[order_id][line_id] = quantity
        for line_id, quantity in (ProductionOrderLine.objects.filter(order_line__order_id__in=chunk)
                                  .exclude(production_order__status=ProductionOrder.Status.CANCELLED)
                                  .values_list("order_line_id", "quantity")):
            allocated[line_id] = allocated.get(line_id, Decimal(0)) + quantity
    by_states = defaultdict(list)
    for order in orders:
        lines = line_quantities[order.pk]
        order.production_status = production_status_from(
            rows[order.pk], covered=lambda lines=lines: all(allocated.get(pk, 0) >= q for pk, q in lines.items()))
        order.shipment_status = shipment_status_from(shipped[order.pk], ordered[order.pk])
        by_states[order.production_status, order.shipment_status].append(order.pk)
    for (production, shipment), pks_ in by_states.items():  # a dozen UPDATEs, not one per order
        for start in range(0, len(pks_), 900):
            SalesOrder.objects.filter(pk__in=pks_[start:start + 900]).update(
                production_status=production, shipment_status=shipment)


def _draft_repr(story: Story, refs: _Refs) -> str:
    return f"{refs.text['draft']} #{story.order_id}"


def _write_confirmations(stories: list[Story], refs: _Refs, events: list[tuple]) -> None:
    attachments = [
        Attachment(content_type_id=refs.order_ct, object_id=s.order_id, owner_number=f"salesorder-{s.order_id}",
                   kind=Attachment.Kind.PO, file=refs.po_file, original_name=f"PO {s.po_no}.pdf",
                   mime_type="application/pdf", size=len(DEMO_PO_PDF), sha256=refs.po_sha,
                   description=refs.text["po_description"], uploaded_by_id=s.merchandiser_id,
                   uploaded_at=s.times["written"])
        for s in stories if s.written]
    Attachment.objects.bulk_create(attachments, batch_size=BATCH)
    files = iter(attachments)
    confirmations = []
    for s in stories:
        merch, t = s.merchandiser_id, s.times
        if s.written:
            attachment, at = next(files), t["written"]
            confirmations.append((s.order_id, 0, Confirmation.Kind.WRITTEN, attachment.pk, "", "", at, "", merch, at))
            events.append(event(refs.order_ct, s.order_id, _draft_repr(s, refs), merch, at, V.ATTACHED,
                                kind=documents_events.ATTACHED,
                                params={"kind": choice(Attachment, "kind", Attachment.Kind.PO),
                                        "name": attachment.original_name}))
            events.append(event(refs.order_ct, s.order_id, _draft_repr(s, refs), merch, at + dt.timedelta(seconds=1),
                                V.NOTE, kind=WrittenConfirmationRecorded.kind,
                                params={"rev": 0, "file": attachment.original_name}))
        if s.verbal:
            name, phone = refs.contacts.get(s.customer.pk, ("", ""))
            name, phone = name or "Purchasing", phone or s.customer.phone or "—"
            qty = sum((ln.quantity for ln in s.lines), Decimal("0"))
            summary = (f"核对 PO {s.po_no}：{len(s.lines)} 个款号共 {qty:,.0f} 件，单价与报价一致，"
                       f"出厂日 {s.ex_factory:%Y-%m-%d}")
            at = t["verbal"]
            confirmations.append((s.order_id, 0, Confirmation.Kind.VERBAL, None, name, phone, at, summary, merch, at))
            events.append(event(refs.order_ct, s.order_id, _draft_repr(s, refs), merch, at, V.NOTE,
                                kind=PhoneConfirmationRecorded.kind,
                                params={"rev": 0, "who": name, "phone": phone, "what": summary}))
    insert_rows(Confirmation, ["order_id", "revision_no", "kind", "attachment_id", "contact_name", "phone_number",
                               "confirmed_at", "summary", "recorded_by_id", "recorded_at"], confirmations)


# The production services' event for each step a production order takes.
PRODUCTION_STEP = {PS.ISSUED: ProductionOrderIssued.kind, PS.ACCEPTED: ProductionOrderAccepted.kind,
                   PS.IN_PRODUCTION: ProductionStarted.kind, PS.FINISHED: ProductionFinished.kind}


def _write_production(stories: list[Story], refs: _Refs, events: list[tuple]) -> None:
    orders, specs = [], []
    for s in stories:
        for p in s.productions:
            released = s.times["release"]
            last = s.times.get("cancel") or s.times.get("closed") or s.times.get("ready") or s.times["production"]
            orders.append(ProductionOrder(
                number=p.number, sales_order_id=s.order_id, supplier_id=p.supplier.pk,
                kind=(ProductionOrder.Kind.OWN_WORKSHOP if p.supplier.kind == Supplier.Kind.OWN_WORKSHOP
                      else ProductionOrder.Kind.OUTSOURCED),
                status=p.status, due_date=p.due_date,
                currency_id="CNY" if p.supplier.kind == Supplier.Kind.OUTSOURCED_FACTORY else None,
                created_by_id=s.merchandiser_id, version=1 + len(p.history), created_at=released, updated_at=last))
            specs.append((s, p))
    ProductionOrder.objects.bulk_create(orders, batch_size=BATCH)
    lines = []
    for order, (s, p) in zip(orders, specs, strict=True):
        for i in p.lines:
            line = s.lines[i]
            if PS.FINISHED in p.history:
                produced = line.quantity
            elif p.status == PS.IN_PRODUCTION:
                produced = (line.quantity * Decimal(10 + (s.index * 7 + i * 13) % 70) / 100).quantize(Decimal("1"))
            else:
                produced = Decimal("0")
            lines.append((order.pk, line.pk, line.quantity, produced))
        t, ct, merch = s.times, refs.production_ct, s.merchandiser_id
        events.append(event(ct, order.pk, order.number, merch, t["release"] - dt.timedelta(seconds=30), V.CREATED,
                            kind=ProductionOrderCreated.kind, params={"order": s.number}))
        # Progress is reported by the planner (production follow-up); closing and cancelling
        # follow the sales order.
        steps = [st for st in p.history if st not in (PS.CLOSED, PS.CANCELLED)]
        old = PS.DRAFT
        for k, new in enumerate(steps):
            when = t["ready"] - dt.timedelta(minutes=5) if new == PS.FINISHED else \
                t["production"] + dt.timedelta(minutes=k)
            events.append(event(ct, order.pk, order.number, refs.planner_id, when, V.STATE_CHANGED,
                                kind=PRODUCTION_STEP[new], changes=_status(old, new)))
            old = new
        if p.status == PS.CLOSED:
            events.append(event(ct, order.pk, order.number, merch, t["closed"] - dt.timedelta(seconds=30),
                                V.STATE_CHANGED, kind=ProductionOrderClosed.kind, changes=_status(PS.FINISHED, PS.CLOSED)))
        if p.status == PS.CANCELLED:
            events.append(event(ct, order.pk, order.number, merch, t["cancel"] - dt.timedelta(seconds=30),
                                V.STATE_CHANGED, kind=ProductionOrderCancelled.kind, changes=_status(old, PS.CANCELLED),
                                reason=s.reason))
    insert_rows(ProductionOrderLine, ["production_order_id", "order_line_id", "quantity", "produced_quantity"], lines)


def _sail(s: Story, k: int, sh: ShipmentSpec, refs: _Refs) -> None:
    """How shipment ``k`` of ``s`` travels: its mode (by the story's shipping coin, and by sea
    less than a container load when the cargo is small), carrier, vessel or flight, ETD / ETA
    and on-board date. Values come from the order's index, so every run sails the same way."""
    day = dt.timedelta
    sh.serial = serial = s.index * 31 + k
    sh.cargo = [Cargo(i, qty, *refs.carton(s.lines[i].product_id)) for i, qty in sh.quantities.items()]
    sh.planned_ex_factory = s.ex_factory if k == 0 else sh.shipped_on - day(serial % 3)
    coin = s.ship_u[0]
    if not s.customer.port_of_loading:  # a domestic customer: our truck delivers
        sh.mode, sh.etd, sh.eta = Shipment.Mode.TRUCK, sh.shipped_on, sh.shipped_on + day(1 + serial % 2)
        return
    if coin < COURIER_SHARE:
        sh.mode, sh.etd, sh.eta = Shipment.Mode.COURIER, sh.shipped_on, sh.shipped_on + day(3 + serial % 3)
        return
    etd = sh.shipped_on + day(1 + (s.index + k) % 4)
    if "bl_release" in s.days:  # the B/L was released: it had been issued, so the goods were on board
        etd = max(sh.shipped_on + day(1), min(etd, s.days["bl_release"]))
    if coin < COURIER_SHARE + AIR_SHARE:
        sh.mode, sh.carrier = Shipment.Mode.AIR, AIRLINES[serial % len(AIRLINES)]
        number = 10_000 + serial * 7 % 9_000_000
        sh.vessel, sh.voyage = sh.carrier[0], f"{sh.carrier[2]}{1000 + serial % 8000:04d}"
        sh.bl_no = f"{sh.carrier[1]}-{number:07d}{number % 7}"  # an air waybill no. with its check digit
        sh.etd, sh.eta = etd, etd + day(1 + serial % 2)
    else:
        cbm = sum((c.cbm(c.cartons) for c in sh.cargo), Decimal(0))
        sh.mode = Shipment.Mode.SEA_LCL if cbm < LCL_BELOW_CBM else Shipment.Mode.SEA_FCL
        sh.carrier = LINES[serial % len(LINES)]
        sh.vessel = sh.carrier[3][serial // len(LINES) % len(sh.carrier[3])]
        sh.voyage = f"{serial * 37 % 200 + 1:03d}{'E' if s.customer.country in EASTBOUND else 'W'}"
        sh.bl_no = f"{sh.carrier[1]}{6_000_000_000 + serial * 7_919 % 3_999_999_999}"
        sh.etd, sh.eta = etd, etd + day(12 + serial % 24)
    sh.on_board = sh.etd if sh.etd <= refs.today else None


def _write_shipments(stories: list[Story], refs: _Refs, events: list[tuple]) -> None:
    shipments, specs = [], []
    tz = timezone.get_current_timezone()
    for s in stories:
        for k, sh in enumerate(s.shipments):
            at = s.times[f"ship{k}"]
            _sail(s, k, sh, refs)
            advice_due = advice_sent = None
            if sh.mode != Shipment.Mode.TRUCK:  # the customer abroad wants the shipping advice within 48 h
                advice_due = dt.datetime.combine(sh.etd + dt.timedelta(days=2), dt.time(18, 0), tzinfo=tz)
                sent = dt.datetime.combine(sh.etd + dt.timedelta(days=1), dt.time(10, sh.serial % 60), tzinfo=tz)
                if s.ship_u[1] < 0.9 and sent <= refs.now:
                    sh.advice_sent = advice_sent = sent
            shipments.append(Shipment(
                number=sh.number, order_id=s.order_id, status=Shipment.Status.SHIPPED, shipped_on=sh.shipped_on,
                transport_mode=sh.mode, planned_ex_factory=sh.planned_ex_factory,
                bl_no=sh.bl_no, port_of_loading=s.customer.port_of_loading,
                port_of_destination=s.customer.port_of_destination,
                vessel_voyage=" / ".join(p for p in (sh.vessel, sh.voyage) if p), etd=sh.etd, eta=sh.eta,
                on_board_on=sh.on_board, advice_due_at=advice_due, advice_sent_at=advice_sent,
                departed_by_id=refs.warehouse_id, created_by_id=s.merchandiser_id, created_at=at,
                updated_at=max(at, advice_sent or at)))
            specs.append((s, k, sh))
    Shipment.objects.bulk_create(shipments, batch_size=BATCH)
    lines = []
    for shipment, (s, k, sh) in zip(shipments, specs, strict=True):
        sh.pk = shipment.pk
        lines += [(shipment.pk, s.lines[c.line].pk, c.quantity, c.cartons) for c in sh.cargo]
        events.append(event(refs.shipment_ct, shipment.pk, shipment.number, s.merchandiser_id,
                            s.times[f"ship{k}"] - dt.timedelta(seconds=20), V.CREATED,
                            kind=ShipmentCreated.kind, params={"order": s.number}))
    insert_rows(ShipmentLine, ["shipment_id", "order_line_id", "quantity", "cartons"], lines)


def _order_events(s: Story, refs: _Refs, events: list[tuple]) -> None:
    """The order's own timeline, as each service would have written it."""
    ct, oid, merch, t = refs.order_ct, s.order_id, s.merchandiser_id, s.times
    number = s.number or _draft_repr(s, refs)
    add = events.append
    add(event(ct, oid, _draft_repr(s, refs), merch, t["created"], V.CREATED, kind=OrderCreated.kind,
              params={"po": s.po_no, "n": len(s.lines)}))
    if s.confirmed:
        add(event(ct, oid, number, merch, t["confirmed"], V.STATE_CHANGED, kind=OrderConfirmed.kind,
                  changes={**_status(S.DRAFT, S.CONFIRMED), "number": {"old": "", "new": s.number}},
                  params={"total": str(s.total.quantize(Decimal("0.01"))), "currency": s.currency}))
    if s.deposit_override:
        add(_override(s, refs, "deposit", t["override_deposit"]))
    if s.level >= 2:
        add(event(ct, oid, number, merch, t["release"], V.STATE_CHANGED, kind=OrderReleasedToProduction.kind,
                  changes=_status(S.CONFIRMED, S.IN_PRODUCTION),
                  params={"numbers": ", ".join(p.number for p in s.productions)}))
    if s.level >= 3:
        add(event(ct, oid, number, merch, t["ready"], V.STATE_CHANGED, kind=OrderMarkedReady.kind,
                  changes=_status(S.IN_PRODUCTION, S.READY)))
    if s.balance_override:
        add(_override(s, refs, "balance", t["override_balance"]))
    for k, sh in enumerate(s.shipments):
        at = t[f"ship{k}"]
        shipped = {"no": sh.number, "bl": sh.bl_no or "—",
                   "lines": ", ".join(f"#{i + 1} × {qty.normalize():f}" for i, qty in sh.quantities.items())}
        if not sh.final:
            add(event(ct, oid, number, merch, at, V.NOTE, kind=Shipped.kind, params=shipped))
        elif s.state in (S.COMPLETED, S.CLOSED) and not s.completed_by_payment:  # paid before it left
            add(event(ct, oid, number, merch, at, V.STATE_CHANGED, kind=OrderCompleted.kind,
                      changes=_status(S.SHIPPED, S.COMPLETED)))
            add(event(ct, oid, number, merch, at + dt.timedelta(seconds=1), V.STATE_CHANGED, kind=OrderShipped.kind,
                      changes=_status(S.READY, S.COMPLETED), params=shipped))
        else:
            add(event(ct, oid, number, merch, at, V.STATE_CHANGED, kind=OrderShipped.kind,
                      changes=_status(S.READY, S.SHIPPED), params=shipped))
    if "bl_release" in t:
        add(event(ct, oid, number, merch, t["bl_release"], V.NOTE, kind=OriginalBLReleased.kind))
    if s.state == S.ON_HOLD:
        add(event(ct, oid, number, merch, t["hold"], V.STATE_CHANGED, kind=OrderHeld.kind,
                  changes=_status(s.origin, S.ON_HOLD), reason=s.reason))
    if s.state == S.CANCELLED:
        add(event(ct, oid, number, merch, t["cancel"], V.STATE_CHANGED, kind=OrderCancelled.kind,
                  changes=_status(s.origin, S.CANCELLED), reason=s.reason))
    if s.state == S.CLOSED:
        add(event(ct, oid, number, merch, t["closed"], V.STATE_CHANGED, kind=OrderClosed.kind,
                  changes=_status(S.COMPLETED, S.CLOSED)))


def _override(s: Story, refs: _Refs, gate: str, at: dt.datetime) -> tuple:
    field_name = "production_gate_override" if gate == "deposit" else "shipment_gate_override"
    reasons = DEPOSIT_OVERRIDES if gate == "deposit" else BALANCE_OVERRIDES
    rule = gettext_noop("deposit rule") if gate == "deposit" else gettext_noop("balance rule")  # finance/gates.py
    return event(refs.order_ct, s.order_id, s.number, refs.manager.pk, at, V.OVERRIDE,
                 reason=reasons[s.index % len(reasons)], changes={field_name: {"old": "0", "new": "1"}},
                 kind=GateOverridden.kind, params={"rule": tr(rule), "user": str(refs.manager)})
