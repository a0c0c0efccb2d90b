"""The profit of each order (订单利润), in CNY: read, never stored as a stale copy (only the
estimate frozen at confirmation is stored, ``ProfitEstimate``).

Profit = selling amount − factory / production cost − materials bought for the order − freight
and forwarder charges − bank charges − commissions − other costs + the export tax rebate.

Per line (docs/workflows/order-profit.md):

- **selling**: estimate: the order's total × the booked rate (``finance.ExchangeRate``) of the
  confirmation day. Actual: each allocation of a receipt at the booked rate of its value date
  (the receipt's currency), the part not yet paid at the confirmation day's rate.
- **production**: estimate: the production orders' total cost, else the quotation's factory cost
  (CNY per unit) × the ordered quantity. Actual: the supplier invoices "goods from a factory" of
  each production order (incl. VAT, at the rate of the invoice date); a production order not yet
  invoiced counts its total cost and is flagged.
- **materials**: the purchase order lines covering the production orders' material requirements
  (covered quantity × unit price); actual: the materials invoices of each purchase order × this
  order's share of it; a purchase order not yet invoiced counts its covered value, flagged.
- **freight**: service invoices (freight, courier, inspection, other) naming the order or one of
  its shipments, plus order costs "freight"; flagged when shipped without any.
- **bank**: the bank charges of each receipt shared pro rata over its allocations, plus order
  costs "bank charges".
- **commission**, **other**: order costs.
- **rebate**: estimate: Σ per order line of round(production cost / (1 + 13 %) × rebate rate);
  actual: the rebates of the shipments (received amount once received, else expected); before
  any rebate is recorded the estimate, flagged.

Everything is read for a set of orders in a fixed number of queries (``profits_for``), so the
report and the order panel share one computation and the report has no per-order queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.accounts.models import User
from gendan.core.money import round_money
from gendan.finance.models import ExchangeRate, ReceiptAllocation
from gendan.finance.rates import RateBook as FinanceRateBook
from gendan.payables.models import OrderCost, ProfitEstimate, SupplierInvoice, TaxRebate
from gendan.production.models import ProductionOrder, ProductionOrderLine
from gendan.purchasing.models import PurchaseCoverage
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_queryset

ZERO = Decimal("0")
CNY = "CNY"
DEFAULT_VAT = Decimal("13")
VIEW = "payables.view_profitestimate"
VIEW_COST = "sales.view_cost"

# (key, label, sign): income +1, cost −1, in the order shown
LINES = [
    ("selling", gettext_lazy("selling amount"), 1),
    ("production", gettext_lazy("factory / production cost"), -1),
    ("materials", gettext_lazy("materials bought for the order"), -1),
    ("freight", gettext_lazy("freight and forwarder charges"), -1),
    ("bank", gettext_lazy("bank charges"), -1),
    ("commission", gettext_lazy("commissions"), -1),
    ("other", gettext_lazy("other costs"), -1),
    ("rebate", gettext_lazy("export tax rebate"), 1),
]
KEYS = [key for key, _label, _sign in LINES]
SIGN = {key: sign for key, _label, sign in LINES}


def may_see_profit(user: User) -> bool:
    return user.is_authenticated and user.has_perm(VIEW) and user.has_perm(VIEW_COST)


class RateBook(FinanceRateBook):
    """finance's booked rates, every currency read once: ``rate(currency, day)`` is the rate of
    the latest day on or before ``day`` (today without a day; None when none is booked); CNY is 1."""

    def __init__(self) -> None:
        super().__init__(ExchangeRate.objects.values_list("currency_id", "valid_from", "cny_per_unit"))

    def rate(self, currency: str | None, day: dt.date | None) -> Decimal | None:
        if not currency:
            return Decimal(1)
        return self.on(currency, day or timezone.localdate())


@dataclass
class Amount:
    value: Decimal = ZERO
    notes: list[str] = field(default_factory=list)  # why it is incomplete (costs missing, no rate)

    def add(self, value: Decimal) -> None:
        self.value += value

    def flag(self, note: str) -> None:
        if note not in self.notes:
            self.notes.append(note)


class _Converter:
    def __init__(self, book: RateBook) -> None:
        self.book = book

    def cny(self, amount: Decimal, currency: str | None, day: dt.date | None, into: Amount) -> None:
        rate = self.book.rate(currency, day)
        if rate is None:
            into.flag(_("no booked rate for %(currency)s on %(day)s") % {
                "currency": currency, "day": (day or timezone.localdate()).isoformat()})
            return
        into.add(amount * rate)


@dataclass
class ProfitLine:
    key: str
    label: str
    sign: int
    estimate: Decimal | None
    actual: Decimal
    notes: list[str]

    @property
    def difference(self) -> Decimal | None:
        return None if self.estimate is None else self.actual - self.estimate


@dataclass
class OrderProfit:
    order: SalesOrder
    lines: list[ProfitLine]
    estimate: ProfitEstimate | None
    booked_rate: Decimal | None

    def _total(self, attr: str) -> Decimal | None:
        values = [getattr(line, attr) for line in self.lines]
        if any(v is None for v in values):
            return None
        return sum((line.sign * getattr(line, attr) for line in self.lines), ZERO)

    @property
    def actual_profit(self) -> Decimal:
        return self._total("actual")

    @property
    def estimated_profit(self) -> Decimal | None:
        return self.estimate.profit_cny if self.estimate else None

    def line(self, key: str) -> ProfitLine:
        return next(line for line in self.lines if line.key == key)

    @property
    def actual_costs(self) -> Decimal:
        return sum((line.actual for line in self.lines if line.sign < 0), ZERO)

    @property
    def margin_pct(self) -> Decimal | None:
        return margin(self.actual_profit, self.line("selling").actual)

    @property
    def estimated_margin_pct(self) -> Decimal | None:
        if not self.estimate:
            return None
        return margin(self.estimate.profit_cny, self.estimate.selling_cny)

    @property
    def incomplete(self) -> bool:
        return any(line.notes for line in self.lines)


def margin(profit: Decimal | None, selling: Decimal | None) -> Decimal | None:
    if profit is None or not selling:
        return None
    return (profit * 100 / selling).quantize(Decimal("0.1"))


# --- the estimate (at confirmation) ------------------------------------------------------------


@dataclass(frozen=True)
class EstimateFacts:
    """What an order has that its estimate reads (``estimate_facts``). A just-confirmed order
    usually has none of them: then the estimate reads neither production orders, the materials
    covering them, nor costs — nothing it could find."""

    production: bool = True  # a production order (any status: a cancelled one's materials still count)
    costs: bool = True  # an order cost (commission, bank charges, freight, other)
    estimated: bool = True  # an estimate already (a change order rewrites it)


READ_ALL = EstimateFacts()


def estimate_facts(order: SalesOrder) -> EstimateFacts:
    """``EstimateFacts`` of ``order``, in one query (three EXISTS)."""
    row = (SalesOrder.objects.filter(pk=order.pk).order_by().values(
        production=Exists(ProductionOrder.objects.filter(sales_order=OuterRef("pk"))),
        costs=Exists(OrderCost.objects.filter(order=OuterRef("pk"))),
        estimated=Exists(ProfitEstimate.objects.filter(order=OuterRef("pk")))).get())
    return EstimateFacts(production=bool(row["production"]), costs=bool(row["costs"]),
                         estimated=bool(row["estimated"]))


def estimate_breakdown(order: SalesOrder, *, book: RateBook | None = None, facts: EstimateFacts = READ_ALL) -> dict:
    """The estimate of ``order`` as it stands now (at confirmation or after a change order):
    ``{"rate": str, "lines": {key: str}, "notes": {key: [..]}}``, amounts in CNY rounded.
    ``facts`` (``estimate_facts``) say which sources the order has; the default reads them all."""
    book = book or RateBook()
    conv = _Converter(book)
    day = timezone.localdate(order.confirmed_at) if order.confirmed_at else timezone.localdate()
    rate = book.rate(order.currency_id, day)
    amounts = {key: Amount() for key in KEYS}
    if rate is None:
        amounts["selling"].flag(_("no booked rate for %(currency)s on %(day)s") % {
            "currency": order.currency_id, "day": day.isoformat()})
    else:
        amounts["selling"].add(order.total_amount * rate)
    order_lines = list(order.lines.select_related("product__export_data").order_by("line_no"))  # one order's
    line_cost = _estimated_line_costs(order, order_lines, conv, day, amounts["production"],
                                      production=facts.production)
    for value in line_cost.values():
        amounts["production"].add(value)
    # materials already covered (a repeat order may have them): only through a production order
    if facts.production:
        amounts["materials"].add(profits_for([order], book=book, with_estimates=False)[order.pk]["materials"].value)
    # costs known now: commissions and other costs counted as far as a rate converts them (as the
    # actual profit does), freight and bank charges flagged when no rate does
    uncounted = {"commission": Amount(), "other": Amount()}
    costs = (OrderCost.objects.filter(order=order).values("kind", "currency_id", "amount", "incurred_on")
             if facts.costs else [])
    for cost in costs:
        key = cost["kind"] if cost["kind"] in KEYS else "other"
        if key in ("freight", "bank"):
            conv.cny(cost["amount"], cost["currency_id"], cost["incurred_on"], amounts[key])
        elif key in uncounted:
            conv.cny(cost["amount"], cost["currency_id"], cost["incurred_on"], uncounted[key])
    for key, holder in uncounted.items():
        amounts[key].add(holder.value)
    # the rebate: per line, the cost excl. VAT × the product's rebate rate
    lines = {line.pk: line for line in order_lines}
    for line_id, cost in line_cost.items():
        line = lines.get(line_id)
        rate_pct = _rebate_rate(line.product if line else None)
        if rate_pct:
            net = round_money(cost * 100 / (100 + DEFAULT_VAT), CNY)
            amounts["rebate"].add(round_money(net * rate_pct / 100, CNY))
    return {"rate": str(rate) if rate is not None else "",
            "lines": {key: str(round_money(a.value, CNY)) for key, a in amounts.items()},
            "notes": {key: a.notes for key, a in amounts.items() if a.notes}}


def _rebate_rate(product) -> Decimal | None:
    if product is None:
        return None
    try:
        return product.export_data.rebate_rate_pct
    except Exception:  # no export data
        return None


def _estimated_line_costs(order: SalesOrder, order_lines: list, conv: _Converter, day: dt.date, into: Amount, *,
                          production: bool = True) -> dict[int, Decimal]:
    """CNY cost per order line: the production orders' lines (amount), else the quotation's
    factory cost per unit × the ordered quantity (matched by product, else by line no.).
    ``production``: whether the order has a production order at all (else none is read)."""
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    prod_lines = list(ProductionOrderLine.objects.filter(production_order__sales_order=order)
                      .exclude(production_order__status=ProductionOrder.Status.CANCELLED)
                      .select_related("production_order")) if production else []
    if prod_lines:
        for pl in prod_lines:
            holder = Amount()
            conv.cny(pl.amount, pl.production_order.currency_id or CNY, day, holder)
            for note in holder.notes:
                into.flag(note)
            out[pl.order_line_id] += holder.value
        return dict(out)
    quotation = order.quotation
    q_lines = list(quotation.lines.all()) if quotation else []
    by_product = {ql.product_id: ql for ql in q_lines if ql.product_id and ql.factory_cost is not None}
    by_no = {ql.line_no: ql for ql in q_lines if ql.factory_cost is not None}
    unknown = []
    for line in order_lines:
        ql = by_product.get(line.product_id) or by_no.get(line.line_no)
        if ql is None:
            unknown.append(str(line.line_no))
            continue
        out[line.pk] += ql.factory_cost * line.quantity
    if unknown:
        into.flag(_("no factory cost known for line(s) %(lines)s") % {"lines": ", ".join(unknown)})
    return dict(out)


# --- the actual profit, for many orders in a fixed number of queries ---------------------------


def profits_for(orders: Iterable[SalesOrder], *, book: RateBook | None = None, with_estimates: bool = True,
                estimates: dict[int, ProfitEstimate] | None = None) -> dict[int, dict[str, Amount]]:
    """The actual amounts (CNY, unrounded) of each order's profit lines, by order id
    (``estimates``: the orders' estimates when the caller has read them already)."""
    orders = list(orders)
    book = book or RateBook()
    conv = _Converter(book)
    ids = [o.pk for o in orders]
    out = {o.pk: {key: Amount() for key in KEYS} for o in orders}
    if not ids:
        return out
    if estimates is None:
        estimates = ({e.order_id: e for e in ProfitEstimate.objects.filter(order_id__in=ids)} if with_estimates
                     else {})
    today = timezone.localdate()

    # selling: paid allocations at their value date's rate, the rest at the booked rate
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    allocations = list(ReceiptAllocation.objects.filter(order_id__in=ids).values(
        "order_id", "amount", "order_amount", "receipt_id", "receipt__currency_id", "receipt__received_on",
        "receipt__bank_charges", "receipt__allocated_amount"))
    for a in allocations:
        amounts = out[a["order_id"]]
        conv.cny(a["amount"], a["receipt__currency_id"], a["receipt__received_on"], amounts["selling"])
        paid[a["order_id"]] += a["order_amount"]
        if a["receipt__bank_charges"] and a["receipt__allocated_amount"]:
            share = a["receipt__bank_charges"] * a["amount"] / a["receipt__allocated_amount"]
            conv.cny(share, a["receipt__currency_id"], a["receipt__received_on"], amounts["bank"])
    for o in orders:
        rest = o.total_amount - paid[o.pk]
        if rest > 0:
            day = timezone.localdate(o.confirmed_at) if o.confirmed_at else today
            conv.cny(rest, o.currency_id, day, out[o.pk]["selling"])

    # production: per production order, its invoices, else its total cost (flagged)
    pos = list(ProductionOrder.objects.filter(sales_order_id__in=ids).exclude(
        status=ProductionOrder.Status.CANCELLED).values("id", "number", "sales_order_id", "kind", "total_cost",
                                                        "currency_id", "created_at"))
    invoices = list(SupplierInvoice.objects.filter(
        Q(sales_order_id__in=ids) | Q(production_order__sales_order_id__in=ids) | Q(shipment__order_id__in=ids)
        | Q(purchase_order__lines__coverages__requirement__production_order__sales_order_id__in=ids))
        .exclude(status=SupplierInvoice.Status.CANCELLED).distinct().values(
        "id", "kind", "production_order_id", "production_order__sales_order_id", "purchase_order_id", "sales_order_id",
        "shipment__order_id", "currency_id", "amount", "invoice_date"))
    invoiced_po: dict[int, list[dict]] = defaultdict(list)
    by_purchase: dict[int, list[dict]] = defaultdict(list)
    for inv in invoices:
        if inv["kind"] == SupplierInvoice.Kind.PRODUCTION and inv["production_order_id"]:
            invoiced_po[inv["production_order_id"]].append(inv)
        elif inv["kind"] == SupplierInvoice.Kind.MATERIALS and inv["purchase_order_id"]:
            by_purchase[inv["purchase_order_id"]].append(inv)
        elif inv["kind"] == SupplierInvoice.Kind.SERVICE:
            order_id = inv["sales_order_id"] or inv["shipment__order_id"]
            if order_id in out:
                conv.cny(inv["amount"], inv["currency_id"], inv["invoice_date"], out[order_id]["freight"])
    has_po: set[int] = set()
    for po in pos:
        amounts = out[po["sales_order_id"]]
        has_po.add(po["sales_order_id"])
        got = invoiced_po.get(po["id"])
        if got:
            for inv in got:
                conv.cny(inv["amount"], inv["currency_id"], inv["invoice_date"], amounts["production"])
        else:
            conv.cny(po["total_cost"], po["currency_id"] or CNY, timezone.localdate(po["created_at"]),
                     amounts["production"])
            if po["kind"] == ProductionOrder.Kind.OUTSOURCED:
                amounts["production"].flag(_("%(po)s not invoiced yet (its cost counted)") % {"po": po["number"]})
            elif not po["total_cost"]:  # an own workshop's notice carries no price: the cost is unknown
                amounts["production"].flag(_("%(po)s (own workshop) has no cost recorded") % {"po": po["number"]})
    for o in orders:
        if o.pk not in has_po:
            estimate = estimates.get(o.pk)
            if estimate is not None:
                out[o.pk]["production"].add(Decimal(estimate.breakdown.get("lines", {}).get("production", "0")))
            out[o.pk]["production"].flag(_("no production order yet (the estimate counted)"))

    # materials: each covering purchase order's invoices × this order's share, else its covered value
    coverages = list(PurchaseCoverage.objects.filter(requirement__production_order__sales_order_id__in=ids)
                     .exclude(line__purchase_order__status="cancelled").values(
        "requirement__production_order__sales_order_id", "quantity", "line__unit_price",
        "line__purchase_order_id", "line__purchase_order__number", "line__purchase_order__total_amount",
        "line__purchase_order__currency_id", "line__purchase_order__order_date"))
    covered: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    po_info: dict[int, dict] = {}
    for c in coverages:
        key = (c["requirement__production_order__sales_order_id"], c["line__purchase_order_id"])
        covered[key] += c["quantity"] * c["line__unit_price"]
        po_info[c["line__purchase_order_id"]] = c
    for (order_id, purchase_id), value in covered.items():
        info = po_info[purchase_id]
        amounts = out[order_id]
        got = by_purchase.get(purchase_id)
        total = info["line__purchase_order__total_amount"]
        if got and total:
            share = min(Decimal(1), value / total)
            for inv in got:
                conv.cny(inv["amount"] * share, inv["currency_id"], inv["invoice_date"], amounts["materials"])
        else:
            conv.cny(value, info["line__purchase_order__currency_id"], info["line__purchase_order__order_date"],
                     amounts["materials"])
            amounts["materials"].flag(_("%(po)s not invoiced yet (its covered value counted)") % {
                "po": info["line__purchase_order__number"]})

    # order costs
    for cost in OrderCost.objects.filter(order_id__in=ids).values("order_id", "kind", "currency_id", "amount",
                                                                  "incurred_on"):
        key = cost["kind"] if cost["kind"] in KEYS else "other"
        conv.cny(cost["amount"], cost["currency_id"], cost["incurred_on"], out[cost["order_id"]][key])

    # freight flagged when shipped without a forwarder's invoice
    for o in orders:
        if o.shipment_status == SalesOrder.ShipmentStatus.SHIPPED and out[o.pk]["freight"].value == 0:
            out[o.pk]["freight"].flag(_("shipped, no forwarder's invoice yet"))

    # rebates
    rebated: set[int] = set()
    for r in TaxRebate.objects.filter(shipment__order_id__in=ids).values("shipment__order_id", "status",
                                                                         "expected_amount", "received_amount"):
        rebated.add(r["shipment__order_id"])
        value = r["received_amount"] if r["status"] == TaxRebate.Status.RECEIVED else r["expected_amount"]
        out[r["shipment__order_id"]]["rebate"].add(value)
    for o in orders:
        if o.pk not in rebated:
            estimate = estimates.get(o.pk)
            if estimate is not None:
                out[o.pk]["rebate"].add(estimate.rebate_cny)
                if estimate.rebate_cny:
                    out[o.pk]["rebate"].flag(_("no rebate recorded yet (the estimate counted)"))
    return out


def order_profit(order: SalesOrder, *, book: RateBook | None = None) -> OrderProfit:
    """The order's profit lines: estimate (frozen) and actual, with what is missing."""
    book = book or RateBook()
    estimate = ProfitEstimate.objects.filter(order=order).first()
    actual = profits_for([order], book=book, estimates={order.pk: estimate} if estimate else {})[order.pk]
    lines = []
    est_lines = (estimate.breakdown or {}).get("lines", {}) if estimate else {}
    for key, label, sign in LINES:
        value = est_lines.get(key)
        lines.append(ProfitLine(key=key, label=str(label), sign=sign,
                                estimate=Decimal(value) if value not in (None, "") else None,
                                actual=round_money(actual[key].value, CNY), notes=actual[key].notes))
    day = timezone.localdate(order.confirmed_at) if order.confirmed_at else timezone.localdate()
    return OrderProfit(order=order, lines=lines, estimate=estimate, booked_rate=book.rate(order.currency_id, day))


# --- the report --------------------------------------------------------------------------------

GROUPS = {"customer": gettext_lazy("customer"), "salesperson": gettext_lazy("salesperson"),
          "month": gettext_lazy("month")}


@dataclass
class ReportRow:
    key: str
    label: str
    orders: int = 0
    selling: Decimal = ZERO
    costs: Decimal = ZERO
    rebate: Decimal = ZERO
    profit: Decimal = ZERO
    estimated_profit: Decimal = ZERO
    incomplete: int = 0

    @property
    def margin_pct(self) -> Decimal | None:
        return margin(self.profit, self.selling)


def report_orders(*, user: User, filters: dict | None = None) -> QuerySet[SalesOrder]:
    """Confirmed orders in scope (not cancelled), confirmed in the month range; filters
    customer, salesperson."""
    f = filters or {}
    qs = order_queryset(user).filter(confirmed_at__isnull=False).exclude(status=SalesOrder.Status.CANCELLED)
    if f.get("month_from"):
        qs = qs.filter(confirmed_at__date__gte=f["month_from"])
    if f.get("month_to"):
        end = f["month_to"]
        qs = qs.filter(confirmed_at__date__lt=(end.replace(day=28) + dt.timedelta(days=4)).replace(day=1))
    if f.get("customer"):
        qs = qs.filter(customer_id=f["customer"])
    if f.get("salesperson"):
        qs = qs.filter(salesperson_id=f["salesperson"])
    return qs


def profit_report(*, user: User, group_by: str = "customer", filters: dict | None = None
                  ) -> tuple[list[ReportRow], ReportRow]:
    """Rows per customer, salesperson or month (of confirmation) and their total (the total is
    the sum of the rows' rounded figures). Orders are read in a fixed number of queries."""
    group_by = group_by if group_by in GROUPS else "customer"
    orders = list(report_orders(user=user, filters=filters).only(
        "id", "number", "total_amount", "currency_id", "confirmed_at", "shipment_status", "customer_id",
        "salesperson_id", "customer__code", "customer__name_zh", "customer__name_en", "salesperson__username",
        "salesperson__first_name", "salesperson__last_name", "currency", "merchandiser", "status")
        .select_related("customer", "salesperson"))
    amounts = profits_for(orders)
    estimates = dict(ProfitEstimate.objects.filter(order_id__in=[o.pk for o in orders])
                     .values_list("order_id", "profit_cny"))
    rows: dict[str, ReportRow] = {}
    for o in orders:
        if group_by == "customer":
            key, label = f"c{o.customer_id}", f"{o.customer.code} {o.customer.display_name}"
        elif group_by == "salesperson":
            sp = o.salesperson
            key, label = (f"s{sp.pk}", sp.get_full_name() or sp.username) if sp else ("s0", _("(no salesperson)"))
        else:
            month = timezone.localdate(o.confirmed_at).replace(day=1)
            key, label = month.isoformat(), month.strftime("%Y-%m")
        row = rows.get(key) or rows.setdefault(key, ReportRow(key=key, label=label))
        a = amounts[o.pk]
        selling = round_money(a["selling"].value, CNY)
        costs = sum((round_money(a[k].value, CNY) for k in KEYS if SIGN[k] < 0), ZERO)
        rebate = round_money(a["rebate"].value, CNY)
        row.orders += 1
        row.selling += selling
        row.costs += costs
        row.rebate += rebate
        row.profit += selling - costs + rebate
        row.estimated_profit += estimates.get(o.pk, ZERO)
        row.incomplete += 1 if any(a[k].notes for k in KEYS) else 0
    ordered = sorted(rows.values(), key=lambda r: r.key if group_by == "month" else r.label)
    total = ReportRow(key="total", label=str(_("Total")))
    for r in ordered:
        total.orders += r.orders
        total.selling += r.selling
        total.costs += r.costs
        total.rebate += r.rebate
        total.profit += r.profit
        total.estimated_profit += r.estimated_profit
        total.incomplete += r.incomplete
    return ordered, total
