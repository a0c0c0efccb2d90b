"""The commercial invoice, the packing list and the shipping marks sheet (DOMAIN §5.3, §5.4),
printed from the data the set stores (``ShipmentDocument.data``)."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from gendan.core.money import integer_in_english
from gendan.documents.pdf.chinese import UNITS_ZH
from gendan.documents.pdf.layout import (
    CONTENT_WIDTH,
    Line,
    LineLabels,
    boxed,
    check_total,
    fmt_amount,
    grid_table,
    join_nonempty,
    key_value_table,
    lines_table,
    para,
)
from gendan.exportdocs.pdf.common import (
    build,
    cbm,
    day,
    kg,
    label_width,
    lbl,
    opening,
    parties,
    qty,
    shipping_rows,
    signature,
)


def _references(data: dict, *, title: str) -> list[tuple[str, object]]:
    return [(lbl(data, "发票号", f"{title} no."), para(data["number"], "bold")),
            (lbl(data, "日期", "Date"), day(data)),
            (lbl(data, "订单号", "Our order no."), data.get("order_number")),
            (lbl(data, "客户订单号", "Your PO no."), data.get("customer_po_no")),
            (lbl(data, "信用证号", "L/C no."), para(data.get("credit_number"), "bold") if data.get("credit_number")
             else ""),
            (lbl(data, "开证行", "Issuing bank"), data.get("issuing_bank")),
            *shipping_rows(data)]


def _labels(data: dict) -> LineLabels:
    zh = data.get("language") == "zh"
    if zh:  # narrow columns: the Chinese label above the English one
        return LineLabels(no="序号\nNo.", item_no="货号\nItem no.", description="品名及规格 Description of goods",
                          quantity="数量\nQty", unit="单位\nUnit", unit_price="单价\nUnit price",
                          amount="金额\nAmount", total="合计 TOTAL", colour_size="颜色/尺码",
                          units={u: f"{z} {u}" for u, z in UNITS_ZH.items()})
    return LineLabels(no="No.", item_no="Item no.", description="Description of goods", quantity="Quantity",
                      unit="Unit", unit_price="Unit price", amount="Amount", total="TOTAL",
                      colour_size="Colour / size")


def render_commercial_invoice(data: dict, *, version: int, note: str) -> bytes:
    currency = data["currency"]
    story = opening(data, title_zh="商业发票", title_en="COMMERCIAL INVOICE", version=version, note=note)
    story += parties(data, _references(data, title="Invoice"),
                     buyer_heading=("抬头", "TO (APPLICANT)") if data.get("credit_number") else ("买方", "TO (BUYER)"))
    if data.get("credit_number") and data.get("goods_description"):
        story += [para(lbl(data, "货物描述", "DESCRIPTION OF GOODS (AS PER L/C)"), "heading"),
                  para(data["goods_description"]), Spacer(0, 2 * mm)]
    lines = [Line(no=line["line_no"], item_no=line.get("product_code", ""), description=join_nonempty(
        [line["description"], f"HS {line['hs_code']}" if line.get("hs_code") else ""]),
        quantity=Decimal(line["quantity"]), unit=line["unit"], unit_price=Decimal(line["unit_price"]),
        amount=Decimal(line["amount"]),
        cells=[(c["colour"], c["size"], Decimal(c["quantity"])) for c in line.get("cells", [])])
        for line in data["lines"]]
    table, total = lines_table(lines, currency=currency, labels=_labels(data))
    check_total(total, Decimal(data["total"]), data["number"])
    story += [table, Spacer(0, 2 * mm),
              para(f"<b>{lbl(data, '总金额', 'TOTAL AMOUNT')}:</b> {currency} {fmt_amount(total, currency)}", raw=True),
              para(data["amount_in_words"], "bold")]
    if data.get("amount_in_words_zh"):
        story.append(para(f"大写：{data['amount_in_words_zh']}", "bold"))
    half = CONTENT_WIDTH / 2
    marks = [para(lbl(data, "唛头", "MARKS & NOS."), "label"), para(data.get("marks") or "N/M", "bold")]
    packing = key_value_table([
        (lbl(data, "件数", "Packages"), f"{data.get('packages') or '—'} CTNS"),
        (lbl(data, "毛重", "Gross weight"), f"{kg(data.get('gross_weight_kg'))} KGS"),
        (lbl(data, "净重", "Net weight"), f"{kg(data.get('net_weight_kg'))} KGS"),
        (lbl(data, "体积", "Measurement"), f"{cbm(data.get('cbm'))} CBM"),
        (lbl(data, "付款方式", "Payment"), data.get("payment_terms")),
    ], width=half - 10, label_width=label_width(data))
    story += [Spacer(0, 4 * mm), KeepTogether(boxed([marks, packing], [half, half]))]
    story += signature(data)
    return build(story, data, title="Commercial invoice", version=version)


def render_packing_list(data: dict, *, version: int, note: str) -> bytes:
    story = opening(data, title_zh="装箱单", title_en="PACKING LIST", version=version, note=note)
    story += parties(data, _references(data, title="Invoice"),
                     buyer_heading=("抬头", "TO (APPLICANT)") if data.get("credit_number") else ("买方", "TO (BUYER)"))

    def th(zh: str, en: str, right: bool = True):
        return para(f"{zh}\n{en}" if data.get("language") == "zh" else en, "th_right" if right else "th")

    header = [th("箱号", "C/NO.", False), th("品名", "Description", False), th("每箱", "PCS/ CTN"),
              th("箱数", "CTNS"), th("数量", "QTY"), th("净重/箱", "N.W./ CTN"), th("毛重/箱", "G.W./ CTN"),
              th("总净重", "N.W. KGS"), th("总毛重", "G.W. KGS"), th("尺码", "MEAS. CM", False), th("体积", "CBM")]
    rows = []
    for line in data["lines"]:
        cno = (f"{line['carton_from']}–{line['carton_to']}" if line["carton_to"] != line["carton_from"]
               else str(line["carton_from"])) if line.get("carton_from") else "—"
        description = join_nonempty([line.get("product_code"), line["description"],
                                     lbl(data, "（尾箱）", "(part carton)") if line.get("partial") else ""], " ")
        rows.append([para(cno, "cell"), para(description, "cell"), qty(line.get("pcs_per_carton")),
                     str(line.get("cartons") or "—"), f"{qty(line['quantity'])} {line.get('unit', '')}",
                     kg(line.get("nw_per_carton")), kg(line.get("gw_per_carton")), kg(line.get("nw_total")),
                     kg(line.get("gw_total")), para(line.get("measurement_cm") or "—", "cell"), cbm(line.get("cbm"))])
    total = ["", para(lbl(data, "合计", "TOTAL"), "bold"), "", str(data.get("packages") or 0),
             qty(data.get("quantity")), "", "", kg(data.get("net_weight_kg")), kg(data.get("gross_weight_kg")), "",
             cbm(data.get("cbm"))]
    widths = [40, 0, 34, 30, 50, 36, 36, 44, 44, 50, 36]
    widths[1] = CONTENT_WIDTH - sum(widths)
    table = grid_table([header, *rows, total], widths, total_row=True, align_numbers_from=2)
    table.setStyle([("FONTSIZE", (2, 1), (-1, -1), 7), ("ALIGN", (9, 1), (9, -1), "LEFT")])
    story += [table, Spacer(0, 3 * mm),
              para(lbl(data, "合计", "TOTAL") + f": {data.get('packages') or 0} CTNS · N.W. "
                   f"{kg(data.get('net_weight_kg'))} KGS · G.W. {kg(data.get('gross_weight_kg'))} KGS · "
                   f"{cbm(data.get('cbm'))} CBM", "bold"),
              para(f"SAY TOTAL {_cartons_in_words(data.get('packages') or 0)} CARTONS ONLY", "bold"),
              Spacer(0, 3 * mm), para(lbl(data, "唛头", "MARKS & NOS."), "label"),
              para(data.get("marks") or "N/M", "bold")]
    story += signature(data)
    return build(story, data, title="Packing list", version=version)


def _cartons_in_words(count: int) -> str:
    return integer_in_english(int(count))


def render_shipping_marks(data: dict, *, version: int, note: str) -> bytes:
    story = opening(data, title_zh="唛头", title_en="SHIPPING MARKS", version=version, note=note)
    story += parties(data, _references(data, title="Invoice")[:4])
    half = CONTENT_WIDTH / 2
    main = [para(lbl(data, "正唛", "MAIN MARK (front)"), "label"), Spacer(0, 2 * mm),
            para(data.get("main_marks") or "N/M", "title_center")]
    story += [KeepTogether(boxed([main], [CONTENT_WIDTH])), Spacer(0, 2 * mm),
              para(lbl(data, "箱号按 n/N 顺序编号，N 为本批总箱数", "Package numbers run n/N")
                   + f" — N = {data.get('packages') or 'N'}", "muted"), Spacer(0, 4 * mm)]
    blocks = []
    for side in data.get("side_marks", []):
        unit = (side.get("unit") or "pcs").upper()
        text = join_nonempty([
            f"ITEM NO.: {side.get('item_no') or side['line_no']}", f"DESCRIPTION: {side['description']}",
            f"COLOUR: {', '.join(side['colours'])}" if side.get("colours") else "",
            f"QTY: {side['pcs_per_carton']} {unit}/CTN" if side.get("pcs_per_carton") else "",
            f"N.W.: {kg(side['nw_kg'])} KGS" if side.get("nw_kg") else "",
            f"G.W.: {kg(side['gw_kg'])} KGS" if side.get("gw_kg") else "",
            f"MEAS.: {side['measurement_cm']} CM" if side.get("measurement_cm") else ""])
        blocks.append([para(lbl(data, "侧唛", "SIDE MARK") + f" — {lbl(data, '行', 'line')} {side['line_no']}",
                            "label"), para(text, "bold")])
    for i in range(0, len(blocks), 2):
        pair = blocks[i:i + 2]
        story += [KeepTogether(boxed(pair, [half] * len(pair))), Spacer(0, 2 * mm)]
    return build(story, data, title="Shipping marks", version=version)
