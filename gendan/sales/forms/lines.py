"""Line entry for orders and quotations, without JavaScript.

Each row is a product (optional), description, unit, unit price and either a plain quantity
or a colour × size grid. The user types the colours and sizes (or picks a product that has a
variant matrix) and presses “Update grid”: the form comes back, unsaved, with one quantity
box per cell. Quantities already typed stay in their cell when the grid changes.

Posted names: ``lines-TOTAL``; per row ``lines-<i>-product``, ``-description``, ``-unit``,
``-unit_price``, ``-quantity``, ``-colours``, ``-sizes``, ``-DELETE``; the grid the row was
rendered with, ``-gc`` (colours) and ``-gs`` (sizes), repeated; and ``-q-<c>-<s>`` for the
quantity of colour ``c`` × size ``s`` of that grid. Quotations add ``-factory_cost`` and
``-cost_supplier`` for those who may see cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from gendan.catalog.forms import split_names
from gendan.catalog.models import ProductVariant
from gendan.catalog.selectors import variant_matrix
from gendan.sales.services.lines import MAX_LINES

PREFIX = "lines"
_ERROR_KEY = re.compile(r"^lines\[(\d+)\](?:\.(\w+)(?:\[(\d+)\](?:\.(\w+))?)?)?$")


@dataclass
class LineRow:
    index: int
    product_id: str = ""
    description: str = ""
    unit: str = ""
    unit_price: str = ""
    quantity: str = ""
    colours: str = ""
    sizes: str = ""
    factory_cost: str = ""
    cost_supplier_id: str = ""
    grid_colours: list[str] = field(default_factory=list)
    grid_sizes: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], str] = field(default_factory=dict)
    deleted: bool = False
    errors: list[str] = field(default_factory=list)
    error_fields: set[str] = field(default_factory=set)
    error_cells: set[tuple[str, str]] = field(default_factory=set)
    # The service's cell index j → (colour, size), set when the row is sent to the service.
    cell_order: list[tuple[str, str]] = field(default_factory=list)
    # Set by "Fill from product" (``LineSet.fill_from_products``): where the price comes from, the packing.
    price_note: str = ""
    packing: str = ""

    @property
    def p(self) -> str:
        """The prefix of this row's input names."""
        return f"{PREFIX}-{self.index}-"

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def is_matrix(self) -> bool:
        return bool(self.grid_colours and self.grid_sizes)

    @property
    def is_blank(self) -> bool:
        return not any((self.product_id, self.description.strip(), self.unit_price.strip(), self.quantity.strip(),
                        self.colours.strip(), self.sizes.strip(), any(v.strip() for v in self.cells.values())))

    @property
    def grid_is_stale(self) -> bool:
        """True when the colours / sizes typed differ from the grid shown."""
        return (split_names(self.colours), split_names(self.sizes)) != (self.grid_colours, self.grid_sizes) \
            and bool(self.colours.strip() or self.sizes.strip() or self.grid_colours)

    @property
    def matrix_total(self) -> Decimal | None:
        total = Decimal("0")
        for colour in self.grid_colours:
            for size in self.grid_sizes:
                try:
                    total += Decimal(self.cells.get((colour, size), "") or "0")
                except InvalidOperation:
                    return None
        return total

    def grid(self) -> list[dict]:
        """Rows of the quantity grid for the template: colour, then one input per size."""
        return [
            {"colour": colour, "cells": [
                {"name": f"{self.p}q-{ci}-{si}", "value": self.cells.get((colour, size), ""), "size": size,
                 "error": (colour, size) in self.error_cells}
                for si, size in enumerate(self.grid_sizes)]}
            for ci, colour in enumerate(self.grid_colours)
        ]

    def has_error(self, name: str) -> bool:
        return name in self.error_fields


class LineSet:
    """The rows of a document's line entry, parsed from a POST or built from saved lines."""

    def __init__(self, rows: list[LineRow], *, matrix: bool = True, with_cost: bool = False,
                 products=None, suppliers=None):
        self.rows = rows
        self.matrix = matrix
        self.with_cost = with_cost
        self.products = products  # queryset of products the user may pick
        self.suppliers = suppliers  # queryset of factories (quotation cost), with_cost only
        self.errors: list[str] = []
        self._renumber()

    # --- building ------------------------------------------------------------------------

    @classmethod
    def blank(cls, count: int = 3, **kwargs) -> LineSet:
        return cls([LineRow(index=i) for i in range(count)], **kwargs)

    @classmethod
    def from_post(cls, data, **kwargs) -> LineSet:
        try:
            total = min(int(data.get(f"{PREFIX}-TOTAL", "0")), MAX_LINES + 20)
        except ValueError:
            total = 0
        rows = []
        for i in range(max(total, 0)):
            p = f"{PREFIX}-{i}-"
            row = LineRow(
                index=i, product_id=data.get(p + "product", "").strip(),
                description=data.get(p + "description", ""), unit=data.get(p + "unit", "").strip(),
                unit_price=data.get(p + "unit_price", "").strip(), quantity=data.get(p + "quantity", "").strip(),
                colours=data.get(p + "colours", ""), sizes=data.get(p + "sizes", ""),
                factory_cost=data.get(p + "factory_cost", "").strip(),
                cost_supplier_id=data.get(p + "cost_supplier", "").strip(),
                grid_colours=list(data.getlist(p + "gc")), grid_sizes=list(data.getlist(p + "gs")),
                deleted=bool(data.get(p + "DELETE")),
            )
            for ci, colour in enumerate(row.grid_colours):
                for si, size in enumerate(row.grid_sizes):
                    value = data.get(f"{p}q-{ci}-{si}", "").strip()
                    if value:
                        row.cells[(colour, size)] = value
            rows.append(row)
        return cls(rows, **kwargs)

    @classmethod
    def from_lines(cls, lines, **kwargs) -> LineSet:
        """Rows from saved order lines (with ``cells``) or quotation lines."""
        rows = []
        for i, line in enumerate(lines):
            cells = list(line.cells.all()) if hasattr(line, "cells") else []
            colours = list(dict.fromkeys(c.colour for c in cells))
            sizes = list(dict.fromkeys(c.size for c in cells))
            rows.append(LineRow(
                index=i, product_id=str(line.product_id or ""), description=line.description, unit=line.unit,
                unit_price=_plain(line.unit_price), quantity="" if cells else _plain(line.quantity),
                colours=", ".join(colours), sizes=", ".join(sizes), grid_colours=colours, grid_sizes=sizes,
                cells={(c.colour, c.size): _plain(c.quantity) for c in cells},
                factory_cost=_plain(getattr(line, "factory_cost", None)),
                cost_supplier_id=str(getattr(line, "cost_supplier_id", "") or ""),
            ))
        return cls(rows, **kwargs)

    def _renumber(self) -> None:
        for i, row in enumerate(self.rows):
            row.index = i

    @property
    def total_forms(self) -> int:
        return len(self.rows)

    # --- the “Update grid” / “Add line” round trip -----------------------------------------

    def rebuild(self, *, add: int = 0) -> None:
        """Drop removed rows, lay every grid out on the colours and sizes typed (filled from
        the product's variant matrix when both are blank), keep the quantities typed, and
        append ``add`` blank rows."""
        self.rows = [row for row in self.rows if not row.deleted]
        if self.matrix:
            self._fill_axes_from_products()
            for row in self.rows:
                row.grid_colours, row.grid_sizes = split_names(row.colours), split_names(row.sizes)
                row.cells = {key: value for key, value in row.cells.items()
                             if key[0] in row.grid_colours and key[1] in row.grid_sizes}
        self.rows += [LineRow(index=0) for _ in range(add)]
        self._renumber()

    def _fill_axes_from_products(self) -> None:
        wanted = {row.product_id for row in self.rows
                  if row.product_id and not row.colours.strip() and not row.sizes.strip()}
        if not wanted or self.products is None:
            return
        products = self.products.filter(pk__in=[p for p in wanted if p.isdigit()]).prefetch_related("variants")
        axes = {}
        for product in products:
            matrix = variant_matrix(list(product.variants.all()))
            if matrix:
                axes[str(product.pk)] = (", ".join(matrix.colours), ", ".join(matrix.sizes))
        for row in self.rows:
            if row.product_id in axes and not row.colours.strip() and not row.sizes.strip():
                row.colours, row.sizes = axes[row.product_id]

    # --- "Fill from product" ---------------------------------------------------------------

    def fill_from_products(self, defaults_for) -> list[str]:
        """Fill the empty description, unit and unit price of every row with a product from
        ``defaults_for(product)`` (``sales.line_defaults.LineDefaults``); what the user typed stays.
        Returns the packing lines ("P-001: 60 pcs per carton, …") of those products, in row order."""
        products = self._lookup(self.products, "product_id")
        packing, seen = [], set()
        for row in self.rows:
            product = products.get(row.product_id) if row.product_id else None
            if product is None or row.deleted:
                continue
            found = defaults_for(product)
            if not row.description.strip():
                row.description = found.description
            if not row.unit:
                row.unit = found.unit
            if not row.unit_price and found.unit_price is not None:
                row.unit_price = _plain(found.unit_price)
            row.price_note = found.price_note
            row.packing = found.packing
            if found.packing and product.pk not in seen:
                seen.add(product.pk)
                packing.append(f"{product.code}: {found.packing}")
        return packing

    # --- to the service and back -----------------------------------------------------------

    def prepare(self) -> bool:
        """Drop removed and blank rows before saving; return False (with messages on the rows)
        when a grid no longer matches the colours / sizes typed, so nothing is saved on a
        grid the user has not seen."""
        self.rows = [row for row in self.rows if not row.deleted and not row.is_blank]
        self._renumber()
        ok = True
        if self.matrix:
            for row in self.rows:
                if row.grid_is_stale:
                    row.grid_colours, row.grid_sizes = split_names(row.colours), split_names(row.sizes)
                    row.cells = {k: v for k, v in row.cells.items()
                                 if k[0] in row.grid_colours and k[1] in row.grid_sizes}
                    row.errors.append(_("Line %(n)d: the colours or sizes changed — check the quantities in the "
                                        "grid, then save again.") % {"n": row.number})
                    row.error_fields.add("cells")
                    ok = False
                elif bool(row.grid_colours) != bool(row.grid_sizes):
                    row.errors.append(_("Line %(n)d: type both the colours and the sizes (e.g. “one size”), or "
                                        "leave both blank and enter a plain quantity.") % {"n": row.number})
                    row.error_fields.update({"colours", "sizes"})
                    ok = False
        if not self.rows:
            self.errors.append(_("Add at least one line."))
            ok = False
        return ok

    def service_lines(self) -> list[dict]:
        """The rows as the services take them (``services.lines.clean_lines``). Call after
        ``prepare``. An unknown product or cost supplier is put on its row and left out."""
        products = self._lookup(self.products, "product_id")
        variants = self._variants(products) if self.matrix else {}
        suppliers = self._lookup(self.suppliers, "cost_supplier_id") if self.with_cost else {}
        result = []
        for row in self.rows:
            product = products.get(row.product_id) if row.product_id else None
            if row.product_id and product is None:
                self._row_error(row, "product", _("Line %(n)d: choose a product from the list.") % {"n": row.number})
            line = {"product": product, "description": row.description, "unit": row.unit,
                    "unit_price": row.unit_price}
            if row.is_matrix:
                row.cell_order = [key for key in ((c, s) for c in row.grid_colours for s in row.grid_sizes)
                                  if row.cells.get(key, "").strip()]
                cells = [{"colour": c, "size": s, "quantity": row.cells[(c, s)],
                          "variant": variants.get((row.product_id, c, s))} for c, s in row.cell_order]
                # No cell typed: send one empty cell so the service says "enter a quantity in a cell".
                line["cells"] = cells or [{"colour": row.grid_colours[0], "size": row.grid_sizes[0],
                                           "quantity": "0"}]
            else:
                line["quantity"] = row.quantity
            if self.with_cost:
                line["factory_cost"] = row.factory_cost  # the service checks it is a number ≥ 0
                if row.cost_supplier_id:
                    supplier = suppliers.get(row.cost_supplier_id)
                    if supplier is None:
                        self._row_error(row, "cost_supplier",
                                        _("Line %(n)d: choose the factory from the list.") % {"n": row.number})
                    line["cost_supplier"] = supplier
            result.append(line)
        return result

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(row.errors for row in self.rows)

    def add_errors(self, exc) -> bool:
        """Put a service's ``lines[i].<field>`` messages on their rows and cells; return True
        if any was placed. Keys placed are removed from ``exc.fields``."""
        placed = False
        for key in list(exc.fields):
            if key == "lines":
                self.errors += exc.fields.pop(key)
                placed = True
                continue
            match = _ERROR_KEY.match(key)
            if not match or int(match.group(1)) >= len(self.rows):
                continue
            row = self.rows[int(match.group(1))]
            name, cell_index = match.group(2), match.group(3)
            row.errors += exc.fields.pop(key)
            placed = True
            if name == "cells" and cell_index is not None and int(cell_index) < len(row.cell_order):
                row.error_cells.add(row.cell_order[int(cell_index)])
            elif name:
                row.error_fields.add(name)
        return placed

    # --- helpers -------------------------------------------------------------------------

    def _row_error(self, row: LineRow, name: str, message: str) -> None:
        row.errors.append(message)
        row.error_fields.add(name)

    def _lookup(self, queryset, attr: str) -> dict:
        ids = {getattr(row, attr) for row in self.rows if getattr(row, attr).isdigit()}
        if not ids or queryset is None:
            return {}
        return {str(obj.pk): obj for obj in queryset.filter(pk__in=ids)}

    @staticmethod
    def _variants(products: dict) -> dict:
        if not products:
            return {}
        return {(str(v.product_id), v.colour, v.size): v
                for v in ProductVariant.objects.filter(product__in=products.values())}


def _plain(value) -> str:
    """A decimal as the user would type it: 1200, 3.25 — no padding zeros."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    text = format(value.normalize(), "f")
    return text
