"""The data for the certificate of origin (the form by the destination: general C/O, FORM E,
RCEP; 6-digit HS code and origin criterion per line) and for the export customs declaration
(报关: HS code, customs name, 申报要素, quantity, declared value, packages, weights). Both are
worksheets for the people who apply (customs broker, CCPIT / customs online), bilingual."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from gendan.documents.pdf.layout import CONTENT_WIDTH, fmt_amount, grid_table, key_value_table, para
from gendan.exportdocs.pdf.certificates import weights_line
from gendan.exportdocs.pdf.common import build, day, kg, lbl, opening, qty, stacked

FORMS = {"general": ("一般原产地证", "CERTIFICATE OF ORIGIN (GENERAL, NON-PREFERENTIAL)"),
         "form_e": ("中国—东盟原产地证 FORM E", "FORM E (CHINA–ASEAN)"),
         "rcep": ("RCEP 原产地证", "RCEP CERTIFICATE OF ORIGIN")}


def render_origin_data(data: dict, *, version: int, note: str) -> bytes:
    zh, en = FORMS.get(data.get("form"), FORMS["general"])
    story = opening(data, title_zh="原产地证申请资料", title_en="CERTIFICATE OF ORIGIN DATA", version=version, note=note)
    story += [key_value_table([
        ("表格 Form", para(f"{zh} / {en}", "bold")),
        (lbl(data, "出口商", "Exporter"), data.get("issuer")),
        (lbl(data, "收货人", "Consignee"), data.get("made_out_to")),
        (lbl(data, "目的国", "Destination country"), data.get("destination_country")),
        (lbl(data, "运输", "Transport"), " · ".join(p for p in (data.get("port_of_loading"),
                                                              data.get("port_of_discharge"), data.get("vessel")) if p)),
        (lbl(data, "发票号", "Invoice no. and date"), f"{data['number']} · {day(data)}"),
        (lbl(data, "唛头", "Marks and numbers"), data.get("marks")),
        (lbl(data, "件数", "Packages"), weights_line(data)),
        (lbl(data, "货物描述", "Description of goods"), data.get("goods_description")),
    ], width=CONTENT_WIDTH, label_width=110), Spacer(0, 4 * mm)]
    header = [para(h, "th") for h in (stacked(data, "行", "Line"), stacked(data, "货号", "Item"),
                                      stacked(data, "品名", "Description"), stacked(data, "税号", "HS (6)"),
                                      stacked(data, "原产地标准", "Origin criterion"), stacked(data, "数量", "Quantity"))]
    rows = [[str(line["line_no"]), para(line.get("product_code"), "cell"), para(line["description"], "cell"),
             line["hs_code6"], line["origin_criterion"], f"{qty(line['quantity'])} {line.get('unit', '')}"]
            for line in data["lines"]]
    widths = [28, 60, 0, 50, 70, 70]
    widths[2] = CONTENT_WIDTH - sum(widths)
    story += [grid_table([header, *rows], widths, align_numbers_from=5),
              Spacer(0, 3 * mm), para(lbl(data, "“—”表示尚未维护，请在产品出口资料中补充。",
                                      "“—” = not recorded yet: fill it in the product's export data."), "muted")]
    return build(story, data, title="C/O data", version=version)


def render_customs_data(data: dict, *, version: int, note: str) -> bytes:
    currency = data["currency"]
    story = opening(data, title_zh="出口报关资料", title_en="EXPORT CUSTOMS DECLARATION DATA", version=version,
                    note=note)
    story += [key_value_table([
        ("发货人 Exporter", data.get("issuer")),
        ("境外收货人 Consignee", data.get("made_out_to")),
        ("发票号 Invoice no.", para(data["number"], "bold")),
        ("合同协议号 Order / PO", f"{data.get('order_number', '')} / {data.get('customer_po_no', '')}"),
        ("成交方式 Trade terms", data.get("trade_terms")),
        ("运抵国 Destination", data.get("destination_country")),
        ("离境口岸 Port of loading", data.get("port_of_loading")),
        ("指运港 Port of discharge", data.get("port_of_discharge")),
        ("件数 / 毛重 / 净重 Packages, weights", weights_line(data)),
        ("总价 Total value", para(f"{currency} {fmt_amount(Decimal(data['total_value']), currency)} "
                                  f"({data.get('value_basis')})", "bold")),
    ], width=CONTENT_WIDTH, label_width=130), Spacer(0, 4 * mm)]
    header = [para(h, "th") for h in ("项\nNo.", "商品编码\nHS code", "商品名称\nCustoms name", "申报要素\nElements",
                                      "数量\nQty", "总价\nValue", "件数\nCTNS", "毛重\nG.W.", "净重\nN.W.")]
    rows = [[str(line["line_no"]), line["hs_code"], para(line["customs_name"], "cell"),
             para(line["declaration_elements"], "cell"), f"{qty(line['quantity'])} {line['unit']}",
             fmt_amount(Decimal(line["declared_value"]), currency), str(line.get("packages") or "—"),
             kg(line.get("gross_weight_kg")), kg(line.get("net_weight_kg"))] for line in data["lines"]]
    widths = [24, 56, 70, 0, 48, 52, 30, 42, 42]
    widths[3] = CONTENT_WIDTH - sum(widths)
    story += [grid_table([header, *rows], widths, align_numbers_from=4),
              Spacer(0, 3 * mm),
              para("申报价值按成交方式；CFR / CIF 项下运费、保费在相应栏目申报。 Values at the trade terms; under CFR / CIF "
                   "freight and insurance go in their boxes. “—” = not recorded yet.", "muted")]
    return build(story, data, title="Customs declaration data", version=version)
