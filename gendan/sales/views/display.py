"""How order data reads on the page: a line's colour × size matrix, a revision's changes with
translated field labels, confirmations grouped by revision."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from gendan.sales.models import SalesOrder, SalesOrderLine


@dataclass
class LineMatrix:
    sizes: list[str]
    rows: list[tuple[str, list[Decimal | None], Decimal]]  # colour, quantity per size, colour total
    size_totals: list[Decimal]
    total: Decimal


def line_matrix(line: SalesOrderLine) -> LineMatrix | None:
    """The line's cells as colours (rows) × sizes (columns), in the order they were entered;
    None for a line with a plain quantity."""
    cells = list(line.cells.all())
    if not cells:
        return None
    colours = list(dict.fromkeys(c.colour for c in cells))
    sizes = list(dict.fromkeys(c.size for c in cells))
    qty = {(c.colour, c.size): c.quantity for c in cells}
    rows = []
    for colour in colours:
        values = [qty.get((colour, size)) for size in sizes]
        rows.append((colour, values, sum((v for v in values if v is not None), Decimal("0"))))
    size_totals = [sum((qty.get((c, s), Decimal("0")) for c in colours), Decimal("0")) for s in sizes]
    return LineMatrix(sizes=sizes, rows=rows, size_totals=size_totals, total=sum(size_totals, Decimal("0")))


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field that no longer exists: show its code
        return name


def _choice(model, name: str, value: str) -> str:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return value
    if field.choices:
        return str({str(k): str(v) for k, v in field.flatchoices}.get(value, value))
    return value


def diff_rows(diff: list[dict], products: dict[int, object]) -> list[dict]:
    """A revision's ``diff`` as rows to read: line ("order" for the header), what, old, new.

    ``products`` maps product ids met in the diff to products (shown by code and name)."""
    rows = []
    for change in diff:
        name, line, old, new = change.get("field", ""), change.get("line", 0), change.get("old", ""), \
            change.get("new", "")
        if name == "line_added":
            label = _("line added")
        elif name == "line_removed":
            label = _("line removed")
        elif name == "cell":
            label = _("quantity of %(cell)s") % {"cell": change.get("cell", "")}
        elif line == 0:
            field = name.removesuffix("_id")
            label = _label(SalesOrder, field)
            old, new = _choice(SalesOrder, field, old), _choice(SalesOrder, field, new)
        else:
            field = name.removesuffix("_id")
            label = _label(SalesOrderLine, field)
            if field == "product":
                old = str(products.get(int(old), old)) if str(old).isdigit() else old
                new = str(products.get(int(new), new)) if str(new).isdigit() else new
        rows.append({"line": line, "field": label, "old": old, "new": new})
    return rows


def diff_product_ids(revisions) -> set[int]:
    ids = set()
    for revision in revisions:
        for change in revision.diff or []:
            if change.get("field") == "product_id":
                ids.update(int(v) for v in (change.get("old"), change.get("new")) if str(v or "").isdigit())
    return ids


def confirmations_by_revision(order: SalesOrder) -> list[tuple[int, list]]:
    """[(revision no., [confirmations])], newest revision first."""
    groups: dict[int, list] = defaultdict(list)
    for confirmation in order.confirmations.all():
        groups[confirmation.revision_no].append(confirmation)
    return sorted(groups.items(), key=lambda item: -item[0])
