"""Reads of export tax rebates (出口退税): the rebate a shipment can expect, the VAT invoices it
claims, what blocks it, and the lists.

The expected rebate (docs/workflows/tax-rebates.md) of a shipment, for a trading exporter
(外贸企业 "免退税": 退税额 = 增值税专用发票计税金额 × 退税率):

1. The goods: each shipment line's quantity of an order line. When an order line is made by
   several production orders, its shipped quantity is shared by their quantities.
2. Each outsourced production order making shipped goods needs the factory's VAT special
   invoices (of its supplier invoices "goods from a factory"). A VAT invoice serves one rebate
   only: the rebate claims the VAT invoices of its production orders not claimed by another.
   A production order without a VAT invoice blocks the rebate (status *waiting*), named with its
   factory — unless every supplier invoice of it says no VAT invoice is expected. Own-workshop
   production orders need none (and bring no purchase VAT).
3. The net purchase amount attributable to the shipment, per production order: the net amount
   (excl. VAT) of the VAT invoices it claims, at most the production order's whole VAT-invoiced
   net × the shipped share of its cost (Σ shipped quantity × unit cost / Σ quantity × unit cost).
   So a production order shipped in one go takes its VAT invoices whole; one shipped in parts
   takes its share, and a second shipment needs a VAT invoice of its own.
4. Split over the shipped lines of the production order by their cost, then grouped per HS code
   and rebate rate (``ProductExportData.rebate_rate_pct``): net per HS line rounded to the cent,
   rebate per HS line = round(net × rate / 100), expected = Σ of the rounded lines (Decimal,
   ROUND_HALF_UP). A product without a rate counts 0 and is flagged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gendan.accounts.models import User
from gendan.core.money import round_money
from gendan.payables.models import SupplierInvoice, TaxRebate, VatInvoice
from gendan.production.models import ProductionOrder, ProductionOrderLine
from gendan.sales.models import SalesOrderLine
from gendan.sales.selectors import order_scope
from gendan.shipping.models import Shipment, ShipmentLine

ZERO = Decimal("0")
CNY = "CNY"
VIEW = "payables.view_taxrebate"


@dataclass
class RebateLine:
    """One line of the expected rebate: the goods of one HS code at one rate."""

    hs_code: str
    rate_pct: Decimal | None
    products: list[str] = field(default_factory=list)
    net_amount: Decimal = ZERO
    rebate: Decimal = ZERO


@dataclass
class MissingVat:
    """A production order of the shipment whose factory has not sent its VAT invoice."""

    production_order_id: int
    production_order_no: str
    supplier_id: int
    supplier_name: str


@dataclass
class RebateComputation:
    shipment_id: int
    lines: list[RebateLine] = field(default_factory=list)
    missing: list[MissingVat] = field(default_factory=list)
    vat_invoice_ids: list[int] = field(default_factory=list)
    no_rate: list[str] = field(default_factory=list)  # products without a rebate rate

    @property
    def expected(self) -> Decimal:
        return sum((line.rebate for line in self.lines), ZERO)

    @property
    def net_amount(self) -> Decimal:
        return sum((line.net_amount for line in self.lines), ZERO)

    @property
    def blocked(self) -> bool:
        return bool(self.missing)


def _product_label(product) -> str:
    if product is None:
        return ""
    return getattr(product, "code", "") or getattr(product, "display_name", "") or str(product)


def _rate_of(product) -> Decimal | None:
    if product is None:
        return None
    data = getattr(product, "export_data", None) if _has_export_data(product) else None
    return data.rebate_rate_pct if data is not None else None


def _has_export_data(product) -> bool:
    try:
        product.export_data  # noqa: B018 - a reverse one-to-one raises when absent
    except Exception:  # RelatedObjectDoesNotExist
        return False
    return True


def rebates_compute(shipment_ids: Iterable[int], *, rebate_of: dict[int, int | None] | None = None
                    ) -> dict[int, RebateComputation]:
    """The expected rebate of each shipment in ``shipment_ids`` in a fixed number of queries
    (five, whatever the number of shipments). ``rebate_of`` maps a shipment to its rebate's id:
    VAT invoices claimed by that rebate count as its own."""
    ids = sorted(set(shipment_ids))
    out = {sid: RebateComputation(shipment_id=sid) for sid in ids}
    if not ids:
        return out
    rebate_of = rebate_of or {}
    ship_lines = list(ShipmentLine.objects.filter(shipment_id__in=ids, quantity__gt=0)
                      .select_related("order_line__product__export_data"))
    order_line_ids = {sl.order_line_id for sl in ship_lines}
    prod_lines = list(ProductionOrderLine.objects.filter(order_line_id__in=order_line_ids)
                      .exclude(production_order__status=ProductionOrder.Status.CANCELLED)
                      .select_related("production_order__supplier"))
    po_ids = {pl.production_order_id for pl in prod_lines}
    all_po_lines: dict[int, list[ProductionOrderLine]] = defaultdict(list)
    for pl in ProductionOrderLine.objects.filter(production_order_id__in=po_ids).only(
            "id", "production_order_id", "order_line_id", "quantity", "unit_cost", "amount"):
        all_po_lines[pl.production_order_id].append(pl)
    invoices = list(SupplierInvoice.objects.filter(production_order_id__in=po_ids, kind=SupplierInvoice.Kind.PRODUCTION)
                    .exclude(status=SupplierInvoice.Status.CANCELLED).values("production_order_id", "vat_required"))
    vat_exempt = {po: all(not i["vat_required"] for i in invoices if i["production_order_id"] == po)
                  for po in {i["production_order_id"] for i in invoices}}
    vats: dict[int, list[VatInvoice]] = defaultdict(list)
    for vat in (VatInvoice.objects.filter(supplier_invoice__production_order_id__in=po_ids,
                                          supplier_invoice__kind=SupplierInvoice.Kind.PRODUCTION)
                .exclude(supplier_invoice__status=SupplierInvoice.Status.CANCELLED)
                .select_related("supplier_invoice").order_by("issued_on", "id")):
        vats[vat.supplier_invoice.production_order_id].append(vat)

    # quantity of each order line per production order (an order line may be split between factories)
    made_by: dict[int, list[ProductionOrderLine]] = defaultdict(list)
    for pl in prod_lines:
        made_by[pl.order_line_id].append(pl)

    by_shipment: dict[int, list[ShipmentLine]] = defaultdict(list)
    for sl in ship_lines:
        by_shipment[sl.shipment_id].append(sl)

    for sid in ids:
        comp = out[sid]
        own_rebate = rebate_of.get(sid)
        # weight (shipped quantity × unit cost) of each production line on this shipment
        weights: dict[int, list[tuple[ProductionOrderLine, Decimal, SalesOrderLine]]] = defaultdict(list)
        for sl in by_shipment.get(sid, []):
            makers = made_by.get(sl.order_line_id, [])
            made_total = sum((pl.quantity for pl in makers), ZERO)
            for pl in makers:
                if made_total <= 0:
                    continue
                shipped = sl.quantity * pl.quantity / made_total
                weights[pl.production_order_id].append((pl, shipped * _unit_cost(pl), sl.order_line))
        groups: dict[tuple[str, Decimal | None], RebateLine] = {}
        net_by_group: dict[tuple[str, Decimal | None], Decimal] = defaultdict(lambda: ZERO)
        for po_id, rows in sorted(weights.items()):
            po = rows[0][0].production_order
            shipped_weight = sum((w for _pl, w, _p in rows), ZERO)
            full_weight = sum((pl.quantity * _unit_cost(pl) for pl in all_po_lines[po_id]), ZERO)
            usable = [v for v in vats.get(po_id, []) if v.rebate_id is None or v.rebate_id == own_rebate]
            if not usable:
                needs = po.kind == ProductionOrder.Kind.OUTSOURCED and not vat_exempt.get(po_id, False)
                if needs:
                    comp.missing.append(MissingVat(po.pk, po.number, po.supplier_id,
                                                   po.supplier.display_name or po.supplier.code))
                continue
            comp.vat_invoice_ids.extend(v.pk for v in usable)
            linked_net = sum((v.net_amount for v in usable), ZERO)
            total_net = sum((v.net_amount for v in vats[po_id]), ZERO)
            share = min(Decimal(1), shipped_weight / full_weight) if full_weight > 0 else Decimal(1)
            attributable = min(linked_net, total_net * share)
            for _pl, weight, order_line in rows:
                product = order_line.product
                part = attributable * weight / shipped_weight if shipped_weight > 0 else ZERO
                key = ((getattr(product, "hs_code", "") or "") if product is not None else "", _rate_of(product))
                line = groups.get(key)
                if line is None:
                    line = groups[key] = RebateLine(hs_code=key[0], rate_pct=key[1])
                label = _product_label(product) or order_line.description
                if label and label not in line.products:
                    line.products.append(label)
                net_by_group[key] += part
                if key[1] is None and label and label not in comp.no_rate:
                    comp.no_rate.append(label)
        for key, line in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or ZERO)):
            line.net_amount = round_money(net_by_group[key], CNY)
            line.rebate = round_money(line.net_amount * (line.rate_pct or ZERO) / Decimal(100), CNY)
            comp.lines.append(line)
    return out


def _unit_cost(pl: ProductionOrderLine) -> Decimal:
    """The line's unit cost (for weighting); its amount per unit, else 1 (weights by quantity)."""
    if pl.unit_cost is not None and pl.unit_cost > 0:
        return pl.unit_cost
    if pl.amount and pl.quantity:
        return pl.amount / pl.quantity
    return Decimal(1)


def rebate_compute(shipment: Shipment, *, rebate: TaxRebate | None = None) -> RebateComputation:
    return rebates_compute([shipment.pk], rebate_of={shipment.pk: rebate.pk if rebate else None})[shipment.pk]


# --- scope and lists -------------------------------------------------------------------------


def rebate_queryset(user: User) -> QuerySet[TaxRebate]:
    """The rebates of the shipments of orders ``user`` may see; none without the permission."""
    if not user.has_perm(VIEW):
        return TaxRebate.objects.none()
    return TaxRebate.objects.filter(_order_q(user, "shipment__order__")).select_related(
        "shipment__order__customer", "shipment__order__merchandiser", "recorded_by")


def _order_q(user: User, prefix: str) -> Q:
    """``order_scope`` (written against SalesOrder) re-rooted on the rebate's order."""
    scope = order_scope(user)
    if scope == Q():
        return Q()
    return Q(**{f"{prefix[:-2]}__in": _orders(scope)})


def _orders(scope: Q):
    from gendan.sales.models import SalesOrder

    return SalesOrder.objects.filter(scope).values("pk")


def rebate_list(*, user: User, filters: dict | None = None) -> QuerySet[TaxRebate]:
    """Filters: status, customer (id), declared from / to, search (declaration / shipment / order no.)."""
    qs = rebate_queryset(user)
    f = filters or {}
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("customer"):
        qs = qs.filter(shipment__order__customer_id=f["customer"])
    if f.get("declared_from"):
        qs = qs.filter(declared_on__gte=f["declared_from"])
    if f.get("declared_to"):
        qs = qs.filter(declared_on__lte=f["declared_to"])
    if f.get("q"):
        q = str(f["q"]).strip()
        qs = qs.filter(Q(declaration_no__icontains=q) | Q(shipment__number__icontains=q)
                       | Q(shipment__order__number__icontains=q))
    return qs.order_by("-declared_on", "-id")


def rebate_get_for_user(*, user: User, pk) -> TaxRebate:
    try:
        return rebate_queryset(user).get(pk=int(pk))
    except (TaxRebate.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such rebate.") from None


@dataclass
class BlockedRebate:
    rebate: TaxRebate
    missing: list[MissingVat]
    since: dt.date
    days: int


def blocked_rebates(*, user: User, today: dt.date | None = None, limit: int | None = None,
                    merchandiser: User | None = None) -> list[BlockedRebate]:
    """Rebates waiting for a factory's VAT invoice, longest waiting first: which factory and
    production order, since when (the declaration date) and how many days. Bounded queries."""
    today = today or timezone.localdate()
    qs = rebate_queryset(user).filter(status=TaxRebate.Status.WAITING).order_by("declared_on", "id")
    if merchandiser is not None:
        qs = qs.filter(shipment__order__merchandiser=merchandiser)
    if limit:
        qs = qs[:limit]
    rebates = list(qs)
    comps = rebates_compute([r.shipment_id for r in rebates], rebate_of={r.shipment_id: r.pk for r in rebates})
    out = []
    for r in rebates:
        missing = comps[r.shipment_id].missing
        if missing:
            out.append(BlockedRebate(r, missing, r.declared_on, max(0, (today - r.declared_on).days)))
    return out


def rebate_for_shipment(shipment: Shipment) -> TaxRebate | None:
    return TaxRebate.objects.filter(shipment=shipment).first()


def rebates_of_order(order) -> list[TaxRebate]:
    return list(TaxRebate.objects.filter(shipment__order=order).select_related("shipment"))


def shipments_without_rebate(*, user: User, limit: int = 200) -> QuerySet[Shipment]:
    """Shipped shipments of orders in scope that have no rebate recorded yet (to declare)."""
    from gendan.shipping.selectors import shipment_queryset

    return (shipment_queryset(user).filter(status=Shipment.Status.SHIPPED, tax_rebate__isnull=True)
            .select_related("order__customer").order_by("-shipped_on", "-id")[:limit])
