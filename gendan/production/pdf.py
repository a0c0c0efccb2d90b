"""The printed production order, in Chinese: 生产通知单 to an own workshop, 购销合同 or 外协采购清单
to an outsourced factory (seed 001 第五篇 四–五).

Numbered by the production order no.; lines with spec, surface finish, packing and quality
requirements; for outsourced work the unit cost, per-line amounts and the total in figures
and in capitals (大写); the bill of materials; sign-off boxes and the distribution list. Set in
the embedded CJK font of ``gendan/documents`` (``build_pdf``).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, LongTable, Spacer, Table, TableStyle

from gendan.core.money import sum_amounts
from gendan.documents.pdf.chinese import UNITS_ZH, amount_in_capitals, money_zh
from gendan.documents.pdf.company import company
from gendan.documents.pdf.layout import (
    CONTENT_WIDTH,
    RULE,
    PageFrame,
    RenderError,
    boxed,
    build_pdf,
    fmt_amount,
    fmt_date,
    fmt_price,
    fmt_qty,
    grid_table,
    join_nonempty,
    key_value_table,
    markup,
    para,
    table_style,
)
from gendan.production.bom import bill_of_materials
from gendan.production.models import DEPARTMENT_ZH, VERSION_FIELDS, ProductionOrder

HIGHLIGHT = colors.HexColor("#fff3b0")


def render_production_order(*, production_order: ProductionOrder, version=None) -> bytes:
    """Return the PDF of ``production_order`` (lines prefetched with order line, product and cells).
    With ``version`` (a ``ProductionOrderVersion``): marked "Version N — supersedes version N-1",
    with what changed and the changed lines highlighted."""
    with translation.override("zh-hans"):
        return _render(production_order, version)


def _version_block(version) -> list:
    """The re-issue's banner and its changes, old → new, highlighted."""
    n = version.number
    flow = [para(f"第 {n} 版 — 取代第 {n - 1} 版　Version {n} — supersedes version {n - 1}", "notice"),
            Spacer(0, 2 * mm)]
    intro = f"因销售订单变更（修改单 {version.revision_no}）重新下达" if version.revision_no else "重新下达"
    if version.reason:
        intro += f"：{version.reason}"
    flow.append(para(intro))
    head = ["行", "项目", "原内容", "变更为"]
    widths = [28, 120, 0, 0]
    widths[2] = widths[3] = (CONTENT_WIDTH - 148) / 2
    data: list[list] = [[para(h, "th") for h in head]]
    for row in version.changes:
        label = str(VERSION_FIELDS.get(row["field"], row["field"]))
        if row.get("cell"):
            label = f"{label} {row['cell']}"
        data.append([str(row["line"]) if row["line"] else "—", para(label), para(row.get("old") or "—"),
                     para(row.get("new") or "—", "bold")])
    table = _grid(data, widths)
    table.setStyle(TableStyle([("BACKGROUND", (0, 1), (-1, -1), HIGHLIGHT)]))
    return [*flow, para("变更内容（请按新版本执行，并回签确认）", "heading"), table, Spacer(0, 2 * mm)]


def _grid(data: list, widths: list[float], *, total_row: bool = False) -> LongTable:
    return grid_table(data, widths, total_row=total_row)


def _description(line) -> str:
    order_line = line.order_line
    product = order_line.product
    parts = [order_line.description]
    if product is not None and product.name_zh and product.name_zh not in order_line.description:
        parts.append(product.name_zh)
    cells = list(order_line.cells.all())
    # The colour × size breakdown only when this production order makes the whole line.
    if cells and line.quantity == order_line.quantity:
        parts.append("颜色/尺码：" + "，".join(f"{c.colour}/{c.size} {fmt_qty(c.quantity)}" for c in cells))
    elif cells:
        parts.append("颜色/尺码：按跟单另行通知分配")
    return join_nonempty(parts)


def _lines(production_order: ProductionOrder, lines: list, currency: str, with_cost: bool,
           changed: set[int] = frozenset()) -> tuple[list, Decimal]:
    head = ["序号", "货号", "产品名称", "规格", "表面处理", "数量", "单位"]
    widths = [22, 56, 0, 80, 62, 46, 26]
    if with_cost:
        head += [f"单价（{currency}）", f"金额（{currency}）"]
        widths += [50, 62]
    widths[2] = CONTENT_WIDTH - sum(widths)
    right = {5, 7, 8}
    data: list[list] = [[para(h, "th_right" if i in right else "th") for i, h in enumerate(head)]]
    for line in lines:
        order_line = line.order_line
        # Numbered as on the sales order, so the BOM's "used on" and the order agree.
        row = [str(order_line.line_no), para(getattr(order_line.product, "code", "") or "", "small"), para(_description(line)),
               para(line.spec, "small"), para(line.surface_finish, "small"), fmt_qty(line.quantity),
               UNITS_ZH.get(order_line.unit, order_line.unit)]
        if with_cost:
            row += [fmt_price(line.unit_cost, currency) if line.unit_cost is not None else "",
                    fmt_amount(line.amount, currency)]
        data.append(row)
    total = sum_amounts([line.amount for line in lines], currency)
    quantity = sum((line.quantity for line in lines), Decimal(0))
    total_row = ["", "", para("合计", "bold"), "", "", fmt_qty(quantity), ""]
    if with_cost:
        total_row += ["", fmt_amount(total, currency)]
    data.append(total_row)
    table = _grid(data, widths, total_row=True)
    table.setStyle(table_style([("ALIGN", (5, 1), (5, -1), "RIGHT"), ("ALIGN", (7, 1), (-1, -1), "RIGHT")]
                               if with_cost else [("ALIGN", (5, 1), (5, -1), "RIGHT")]))
    # The lines a re-issued version changed stand out.
    table.setStyle(TableStyle([("BACKGROUND", (0, row), (-1, row), HIGHLIGHT)
                               for row, line in enumerate(lines, start=1) if line.order_line.line_no in changed]))
    return [table], total


def _requirements(lines: list) -> list:
    """Packing and quality requirements, once when all lines share them, else per line."""
    flow = []
    for field, title in (("packing_requirements", "包装要求"), ("quality_requirements", "品质要求")):
        texts = [(line.order_line.line_no, getattr(line, field).strip()) for line in lines]
        given = [(n, t) for n, t in texts if t]
        if not given:
            continue
        flow.append(para(title, "heading"))
        if len({t for _n, t in texts}) == 1:
            flow.append(para(given[0][1]))
        else:
            flow += [para(f"第 {n} 行：{markup(t)}", "clause", raw=True) for n, t in given]
    return flow


def _bom(production_order: ProductionOrder) -> list:
    rows = bill_of_materials(production_order)
    flow = [para("物料清单（BOM）", "heading")]
    if not rows:
        return [*flow, para("本单产品无物料清单（BOM），物料按样品及跟单通知。", "muted")]
    head = ["序号", "物料编号", "物料名称", "类别", "单位用量", "损耗", "需求数量", "单位", "用于"]
    widths = [22, 62, 0, 36, 48, 34, 56, 26, 40]
    widths[2] = CONTENT_WIDTH - sum(widths)
    data: list[list] = [[para(h, "th_right" if i in (4, 5, 6) else "th") for i, h in enumerate(head)]]
    for n, row in enumerate(rows, start=1):
        component = row.component
        data.append([str(n), para(component.code, "small"),
                     para(join_nonempty([component.name_zh or component.name_en, component.spec], " · ")),
                     "包材" if row.is_packing else "物料", fmt_qty(row.per_unit), f"{fmt_qty(row.scrap_percent)}%",
                     fmt_qty(row.gross), UNITS_ZH.get(component.unit, component.unit),
                     "，".join(str(n) for n in row.used_on)])
    table = _grid(data, widths)
    table.setStyle(table_style([("ALIGN", (4, 1), (6, -1), "RIGHT")]))
    return [*flow, table, para("需求数量 = 生产数量 × 单位用量 ×（1 + 损耗率），按件计的向上取整。", "muted")]


def _sign_off(production_order: ProductionOrder) -> list:
    departments = [DEPARTMENT_ZH.get(d, d) for d in production_order.sign_off]
    flow = [para("签字部门", "heading")]
    per_row = 4
    width = CONTENT_WIDTH / per_row
    cells = [[para(d, "bold"), Spacer(0, 9 * mm), para("签字：__________", "small"),
              para("日期：____年__月__日", "small")] for d in departments]
    while len(cells) % per_row:
        cells.append("")
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    table = Table(rows, colWidths=[width] * per_row)
    table.setStyle(table_style([("BOX", (0, 0), (-1, -1), 0.5, RULE), ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
                                ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 4),
                                ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    flow.append(table)
    copies = [DEPARTMENT_ZH.get(d, d) for d in production_order.copy_to]
    if copies:
        flow.append(Spacer(0, 2 * mm))
        flow.append(para(f"分发部门：{'、'.join(copies)}（原件盖“受控文件”章，复印件分发）"))
    return [KeepTogether(flow)]


def _render(production_order: ProductionOrder, version=None) -> bytes:
    us = company()
    order = production_order.sales_order
    supplier = production_order.supplier
    lines = list(production_order.lines.all())
    outsourced = production_order.kind == ProductionOrder.Kind.OUTSOURCED
    currency = production_order.currency_id or "CNY"
    with_cost = outsourced or any(line.unit_cost is not None for line in lines)
    title = production_order.title_zh
    issued = timezone.localdate(production_order.issued_at) if production_order.issued_at else timezone.localdate()
    half = CONTENT_WIDTH / 2

    story: list = [para(str(us["name_zh"]), "company"), para(title, "title_center")]
    if version is not None:
        story += _version_block(version)
    story.append(key_value_table([
        ("单号", para(production_order.number + (f"（第 {version.number} 版）" if version is not None else ""),
                    "bold")),
        ("下单日期", fmt_date(issued, "zh")),
        ("销售订单", order.number if outsourced else join_nonempty(
            [order.number, f"（客户 {order.customer.code}，客户订单号 {order.customer_po_no}）"], "")),
        ("交货日期", para(fmt_date(production_order.due, "zh"), "bold")),
        ("跟单员", str(order.merchandiser or "")),
    ], width=CONTENT_WIDTH, label_width=52))
    story.append(Spacer(0, 3 * mm))
    supplier_role = "承制车间" if not outsourced else "乙方（承制方）"
    story.append(boxed([
        [para("甲方（下单方）" if outsourced else "下单部门", "label"), para(str(us["name_zh"]), "bold"),
         para(f"地址：{us['address_zh']}"), para(f"电话：{us['phone']}", "small")],
        [para(supplier_role, "label"), para(supplier.name_zh or supplier.name_en, "bold"),
         para(f"地址：{supplier.address}" if supplier.address else ""),
         para(join_nonempty([f"电话：{supplier.phone}" if supplier.phone else "",
                             f"邮箱：{supplier.email}" if supplier.email else ""], "　"), "small")],
    ], [half, half]))

    story.append(para("一、生产内容", "heading"))
    changed = {row["line"] for row in version.changes} if version is not None else set()
    table_flow, total = _lines(production_order, lines, currency, with_cost, changed)
    if with_cost and total != production_order.total_cost:
        raise RenderError(f"{production_order.number}: the lines add up to {total}, "
                          f"but the order's amount is {production_order.total_cost}.")
    story += table_flow
    if with_cost:
        story += [Spacer(0, 2 * mm), para(f"合计金额（大写）：<b>{markup(amount_in_capitals(total, currency))}</b>"
                                          f"　（小写）：{money_zh(total, currency)}", raw=True)]
    story += _requirements(lines)
    if production_order.notes.strip():
        story += [para("备注", "heading"), para(production_order.notes.strip())]
    story += _bom(production_order)
    if outsourced:
        story.append(para("二、约定事项", "heading"))
        for n, text in enumerate([
            f"乙方应于 {fmt_date(production_order.due, 'zh')} 前按本单数量、规格及要求完成生产并交货，"
            "交期有变须提前书面通知甲方。",
            "大货生产前须经甲方首件确认；产品质量以双方确认的样品及本单品质要求为准，甲方验货不合格的，乙方负责返工或更换。",
            "包装及唛头按本单包装要求执行；因包装不当造成的损失由乙方承担。",
            "货款按双方约定的结算方式支付；本单金额含税与否以双方约定为准。",
        ], start=1):
            story.append(para(f"{n}. {text}", "clause"))
    story.append(Spacer(0, 3 * mm))
    story += _sign_off(production_order)

    frame = PageFrame(
        running_header=f"{title} {production_order.number}（续）",
        footer=f"{us['name_zh']} · {title} {production_order.number}",
        page_label=lambda n, count: f"第 {n} 页 共 {count} 页",
    )
    return build_pdf(story, frame=frame, title=f"{title} {production_order.number}", author=str(us["name_zh"]),
                     subject=f"订单 {order.number}", lang="zh")
