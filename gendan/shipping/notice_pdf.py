"""The shipping notice (出货通知) as a PDF, in Chinese with English labels: for the factory or the
own workshop that packs the goods, and for the warehouse that loads them.

Numbered (``SN2603-0001``, one number per shipment, a version per re-issue); order no., customer
PO, shipment no., transport mode, ports, planned ex-factory date; per line the goods, the colour
× size breakdown, quantity and cartons with the export carton (pieces, N.W. / G.W. per carton,
dimensions, CBM); the shipping marks — main marks as the order gives them (UNECE Rec. 15: buyer,
reference, destination, package no. "C/NO. n/N") and side marks per line (item no., colour,
quantity per carton, N.W., G.W., carton size). A version after the first says which it replaces,
the merchandiser's note and what changed. Set in the embedded CJK font of ``gendan/documents``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, LongTable, Spacer, Table

from gendan.documents.pdf.chinese import UNITS_ZH
from gendan.documents.pdf.company import company
from gendan.documents.pdf.layout import (
    CONTENT_WIDTH,
    RULE,
    SHADE,
    PageFrame,
    boxed,
    build_pdf,
    fmt_date,
    fmt_qty,
    grid_table,
    join_nonempty,
    key_value_table,
    para,
    table_style,
)
from gendan.shipping.models import Shipment

# What each field of the plan is called on the notice (the "what changed" list).
FIELD_LABELS = {"transport_mode": "运输方式 Transport mode", "port_of_loading": "起运港 Port of loading",
                "port_of_destination": "目的港 Port of destination",
                "planned_ex_factory": "计划出厂日期 Planned ex-factory", "notes": "备注 Notes"}


@dataclass(frozen=True)
class NoticeData:
    """What the notice prints besides the shipment: its number, version, date, factory, the
    merchandiser's note and the changes against the previous version (label, old, new)."""

    number: str
    revision: int
    issued_on: object
    factory: object | None
    change_note: str
    changes: list[tuple[str, str, str]]


def mode_label(mode: str) -> str:
    """The transport mode in both languages: "海运整柜（FCL） / sea, full container (FCL)"."""
    labels = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            labels.append(str(Shipment.Mode(mode).label) if mode in Shipment.Mode.values else mode)
    return " / ".join(dict.fromkeys(labels))


def changes_between(before: dict | None, after: dict) -> list[tuple[str, str, str]]:
    """(label, old, new) for each field and line that differs between two ``snapshot``s."""
    if not before:
        return []
    rows = []
    for name, label in FIELD_LABELS.items():
        old, new = before.get(name, ""), after.get(name, "")
        if old != new:
            if name == "transport_mode":
                old, new = mode_label(old) if old else "", mode_label(new)
            rows.append((label, old or "—", new or "—"))
    old_lines, new_lines = before.get("lines", {}), after.get("lines", {})
    for no in sorted(set(old_lines) | set(new_lines), key=lambda n: int(n) if str(n).isdigit() else 0):
        if old_lines.get(no) != new_lines.get(no):
            rows.append((f"第 {no} 行 Line {no}", old_lines.get(no) or "—", new_lines.get(no) or "—"))
    return rows


def _grid(data: list, widths: list[float], *, total_row: bool = False) -> LongTable:
    return grid_table(data, widths, total_row=total_row, align_numbers_from=2)


def _matrix(cells: list[tuple[str, str, Decimal]]) -> Table:
    """Colours down, sizes across, a total per colour."""
    colours = list(dict.fromkeys(c for c, _s, _q in cells))
    sizes = list(dict.fromkeys(s for _c, s, _q in cells))
    qty = {(c, s): q for c, s, q in cells}
    data = [[para("颜色 / 尺码 Colour / size", "cell"), *[para(s, "cell_right") for s in sizes],
             para("Σ", "cell_right")]]
    for colour in colours:
        total = sum((qty.get((colour, s), Decimal(0)) for s in sizes), Decimal(0))
        data.append([para(colour, "cell"), *[fmt_qty(qty[colour, s]) if (colour, s) in qty else "–" for s in sizes],
                     fmt_qty(total)])
    width = min(34.0, 150.0 / (len(sizes) + 1))
    table = Table(data, colWidths=[62] + [width] * (len(sizes) + 1), hAlign="LEFT")
    table.setStyle(table_style([
        ("FONT", (1, 1), (-1, -1), "GendanSansSC", 6.5, 8),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("GRID", (0, 0), (-1, -1), 0.3, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return table


def _kg(value) -> str:
    return f"{fmt_qty(value)} KGS" if value is not None else "—"


def _line_rows(shipment: Shipment) -> tuple[list, dict]:
    """The goods table's rows and the totals (quantity by unit, cartons, G.W., CBM)."""
    rows: list = []
    totals = {"qty": {}, "cartons": 0, "gross": Decimal(0), "cbm": Decimal(0), "complete": True}
    for row in shipment.lines.select_related("order_line__product").prefetch_related("cells__order_cell").order_by(
            "order_line__line_no"):
        line, product = row.order_line, row.order_line.product
        description: list = [para(line.description)]
        if product is not None:
            names = join_nonempty([product.code, product.name_zh, product.name_en], " · ")
            if names:
                description.append(para(names, "small"))
        cells = [(c.order_cell.colour, c.order_cell.size, c.quantity) for c in row.cells.all() if c.quantity]
        if cells:
            description.append(_matrix(cells))
        per = getattr(product, "units_per_carton", None)
        cbm = product.carton_cbm * row.cartons if (product is not None and product.carton_cbm is not None
                                                    and row.cartons) else None
        gross = product.gross_weight_kg * row.cartons if (product is not None and product.gross_weight_kg is not None
                                                          and row.cartons) else None
        unit = line.unit or "pcs"
        rows.append([str(line.line_no), description, fmt_qty(row.quantity), f"{UNITS_ZH.get(unit, unit)} {unit}",
                     str(row.cartons) if row.cartons is not None else "—", str(per) if per else "—",
                     _kg(gross), f"{cbm.quantize(Decimal('0.001'))}" if cbm is not None else "—"])
        totals["qty"][unit] = totals["qty"].get(unit, Decimal(0)) + row.quantity
        totals["cartons"] += row.cartons or 0
        if gross is None or cbm is None:
            totals["complete"] = False
        totals["gross"] += gross or 0
        totals["cbm"] += cbm or 0
    return rows, totals


def _side_marks(shipment: Shipment) -> list:
    """Per line: item no., colours, quantity per carton, N.W. / G.W. per carton, carton size."""
    blocks = []
    for row in shipment.lines.select_related("order_line__product").prefetch_related("cells__order_cell").order_by(
            "order_line__line_no"):
        product = row.order_line.product
        colours = ", ".join(dict.fromkeys(c.order_cell.colour for c in row.cells.all() if c.quantity))
        unit = (row.order_line.unit or "pcs").upper()
        lines = [f"ITEM NO.: {getattr(product, 'code', '') or row.order_line.line_no}",
                 f"DESCRIPTION: {row.order_line.description}",
                 f"COLOUR: {colours}" if colours else "",
                 f"QTY: {product.units_per_carton} {unit}/CTN" if product is not None and product.units_per_carton
                 else "",
                 f"N.W.: {_kg(product.net_weight_kg)}" if product is not None and product.net_weight_kg else "",
                 f"G.W.: {_kg(product.gross_weight_kg)}" if product is not None and product.gross_weight_kg else "",
                 f"MEAS.: {product.carton_dimensions} CM" if product is not None and product.carton_dimensions else ""]
        blocks.append([para(f"第 {row.order_line.line_no} 行 Line {row.order_line.line_no}", "label"),
                       para(join_nonempty(lines), "small")])
    return blocks


def main_marks(shipment: Shipment, cartons: int) -> str:
    """The order's shipping marks; without them the UNECE Rec. 15 elements (buyer, reference,
    destination, package no.). The package no. reads "C/NO. n/N" with N the shipment's cartons."""
    order = shipment.order
    marks = (order.shipping_marks or "").strip()
    if not marks:
        marks = join_nonempty([order.customer.short_name or order.customer.code, f"PO NO.: {order.customer_po_no}",
                               (shipment.port_of_destination or order.port_of_destination or "").upper()])
    count = cartons or "N"
    if "C/NO" not in marks.upper():
        marks += f"\nC/NO. 1/{count} – {count}/{count}"
    return marks + f"\n（箱号 n/N：本批共 {count} 箱 / C/NO. n/N, N = {count} cartons）"


def render_shipping_notice(*, shipment: Shipment, notice: NoticeData) -> bytes:
    """Return the PDF of ``notice`` for ``shipment`` (its order and customer loaded)."""
    seller = company()
    order = shipment.order
    title = f"出货通知 SHIPPING NOTICE  {notice.number}"
    half = CONTENT_WIDTH / 2
    story: list = [
        para(join_nonempty([seller["name_zh"], seller["name_en"]], "  "), "company"),
        para(join_nonempty([seller["address_zh"], seller["phone"]], "  ·  "), "small"),
        Spacer(0, 3 * mm), para("出货通知 SHIPPING NOTICE", "title_center"),
        para(f"{notice.number} · 第 {notice.revision} 版 Version {notice.revision}", "center"), Spacer(0, 3 * mm)]
    if notice.revision > 1:
        story.append(para(f"第 {notice.revision} 版，取代第 {notice.revision - 1} 版 / Version {notice.revision} "
                          f"replaces version {notice.revision - 1}: {notice.change_note}", "notice"))
        if notice.changes:
            data = [[para("项目 Item", "th"), para("原 Before", "th"), para("现 Now", "th")]]
            data += [[para(label, "small"), para(old, "small"), para(new, "small")] for label, old, new in notice.changes]
            story += [para("变更内容 What changed", "heading"),
                      _grid(data, [CONTENT_WIDTH * 0.26, CONTENT_WIDTH * 0.37, CONTENT_WIDTH * 0.37]),
                      Spacer(0, 3 * mm)]

    factory = notice.factory
    left = key_value_table([
        ("订单号 Order no.", para(order.number, "bold")),
        ("客户 PO Customer PO", order.customer_po_no),
        ("客户 Customer", f"{order.customer.code} {order.customer.name_en or order.customer.name_zh}"),
        ("出货单号 Shipment no.", shipment.number),
        ("工厂 Factory", join_nonempty([factory.code, factory.name_zh or factory.display_name], " ")
         if factory is not None else "—"),
    ], width=half - 10, label_width=78)
    right = key_value_table([
        ("日期 Date", fmt_date(notice.issued_on, "zh") + " / " + fmt_date(notice.issued_on, "en")),
        ("运输方式 Transport", mode_label(shipment.transport_mode)),
        ("起运港 Port of loading", shipment.port_of_loading or "—"),
        ("目的港 Destination", shipment.port_of_destination or "—"),
        ("计划出厂 Ex-factory", para(fmt_date(shipment.planned_ex_factory, "zh") + " / "
                                     + fmt_date(shipment.planned_ex_factory, "en"), "bold")),
        ("跟单 Merchandiser", str(order.merchandiser or "")),
    ], width=half - 10, label_width=78)
    story += [boxed([left, right], [half, half]), Spacer(0, 4 * mm)]

    rows, totals = _line_rows(shipment)
    header = [para("行 No.", "th"), para("货物 Goods", "th"), para("数量 Qty", "th_right"), para("单位 Unit", "th"),
              para("箱数 CTNS", "th_right"), para("每箱 Per ctn", "th_right"), para("毛重 G.W.", "th_right"),
              para("体积 CBM", "th_right")]
    total_row = ["", para("合计 Total", "bold"), "\n".join(fmt_qty(q) for q in totals["qty"].values()),
                 "\n".join(totals["qty"]), str(totals["cartons"] or "—"), "",
                 _kg(totals["gross"]) if totals["gross"] else "—",
                 f"{totals['cbm'].quantize(Decimal('0.001'))}" if totals["cbm"] else "—"]
    widths = [30, 0, 50, 40, 46, 46, 58, 44]
    widths[1] = CONTENT_WIDTH - sum(widths)
    story += [para("货物 Goods", "heading"), _grid([header, *rows, total_row], widths, total_row=True)]
    if not totals["complete"]:
        story.append(para("部分产品未维护外箱资料，毛重 / 体积合计不完整。 Some products have no export carton data: the "
                          "G.W. / CBM totals are incomplete.", "muted"))

    marks = [para("正唛 Main marks", "label"), para(main_marks(shipment, totals["cartons"]), "bold")]
    side = _side_marks(shipment)
    side_cells = [item for block in side for item in block]
    story += [Spacer(0, 3 * mm), para("唛头 Shipping marks (UNECE Rec. 15)", "heading"),
              KeepTogether(boxed([marks, [para("侧唛 Side marks", "label"), *side_cells]], [half, half]))]
    notes = join_nonempty([order.packing_requirements and f"包装要求 Packing: {order.packing_requirements}",
                           shipment.notes and f"备注 Notes: {shipment.notes}"])
    if notes:
        story += [para("要求 Requirements", "heading"), para(notes)]
    story += [Spacer(0, 6 * mm), para("请按本通知备货、包装、刷唛，并于计划出厂日期前通知仓库安排装柜。 Please pack and mark the goods as "
                                      "above and tell the warehouse when they are ready for loading.", "muted")]

    frame = PageFrame(running_header=f"{title} (续 continued)",
                      footer=f"{seller['name_en']} · {notice.number} v{notice.revision} · {order.number}",
                      page_label=lambda n, count: f"第 {n} 页 共 {count} 页 · Page {n} of {count}")
    return build_pdf(story, frame=frame, title=f"Shipping notice {notice.number} v{notice.revision}",
                     author=str(seller["name_en"]), subject=f"Order {order.number}, shipment {shipment.number}",
                     lang="zh")
