"""The bill of materials of a production order: every component and packing item the workshop
needs, from the catalog BOM (quantity per unit plus scrap) times the quantity of each line.

A read; the purchasing app plans and buys the materials from its own requirements.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from gendan.catalog.models import BomLine, Product

# Units counted in whole pieces: the gross quantity is rounded up to a whole one.
WHOLE_UNITS = {"pcs", "set", "pair", "ctn", "box", "roll"}
THOUSANDTH = Decimal("0.001")


@dataclass
class MaterialRow:
    component: Product
    per_unit: Decimal  # net per unit of the finished product (first line that uses it)
    scrap_percent: Decimal
    net: Decimal  # quantity × per unit, summed over the lines
    gross: Decimal  # with scrap, rounded up
    used_on: list[int]  # order line numbers

    @property
    def is_packing(self) -> bool:
        return self.component.kind == Product.Kind.PACKAGING


def _round_up(value: Decimal, unit: str) -> Decimal:
    if unit in WHOLE_UNITS:
        return value.to_integral_value(rounding=ROUND_CEILING)
    return value.quantize(THOUSANDTH, rounding=ROUND_CEILING)


def bill_of_materials(production_order) -> list[MaterialRow]:
    """Components first, then packing items, each in catalog order; one row per component with
    the quantities of all lines that use it. Lines without a product or BOM add nothing.
    Two queries at most (the lines are expected prefetched with their order line)."""
    lines = list(production_order.lines.all())
    products = {line.order_line.product_id for line in lines if line.order_line.product_id}
    if not products:
        return []
    bom: dict[int, list[BomLine]] = {}
    for bom_line in BomLine.objects.filter(product_id__in=products).select_related("component"):
        bom.setdefault(bom_line.product_id, []).append(bom_line)
    rows: dict[int, MaterialRow] = {}
    gross_exact: dict[int, Decimal] = {}
    for line in lines:
        for bom_line in bom.get(line.order_line.product_id, []):
            net = line.quantity * bom_line.quantity
            row = rows.get(bom_line.component_id)
            if row is None:
                row = rows[bom_line.component_id] = MaterialRow(
                    bom_line.component, bom_line.quantity, bom_line.scrap_percent, Decimal(0), Decimal(0), [])
                gross_exact[bom_line.component_id] = Decimal(0)
            row.net += net
            gross_exact[bom_line.component_id] += net * (1 + bom_line.scrap_percent / 100)
            if line.order_line.line_no not in row.used_on:
                row.used_on.append(line.order_line.line_no)
    for component_id, row in rows.items():
        row.gross = _round_up(gross_exact[component_id], row.component.unit)
        row.net = row.net.quantize(THOUSANDTH)
    order = {bl.component_id: (bl.sort_order, bl.pk) for lst in bom.values() for bl in lst}
    return sorted(rows.values(), key=lambda r: (r.is_packing, order[r.component.pk]))
