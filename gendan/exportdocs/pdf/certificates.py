"""The beneficiary's certificate, the draft (bill of exchange) and the insurance declaration,
printed from the set's data."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from gendan.documents.pdf.layout import CONTENT_WIDTH, boxed, fmt_amount, join_nonempty, key_value_table, para
from gendan.exportdocs.pdf.common import build, day, kg, lbl, opening, parties, signature


def render_beneficiary_certificate(data: dict, *, version: int, note: str) -> bytes:
    story = opening(data, title_zh="受益人证明", title_en="BENEFICIARY'S CERTIFICATE", version=version, note=note)
    story += parties(data, [(lbl(data, "发票号", "Invoice no."), para(data["number"], "bold")),
                            (lbl(data, "日期", "Date"), day(data)),
                            (lbl(data, "信用证号", "L/C no."), para(data.get("credit_number"), "bold")),
                            (lbl(data, "订单号", "Our order no."), data.get("order_number"))],
                     buyer_heading=("致", "TO WHOM IT MAY CONCERN / APPLICANT"))
    story += [Spacer(0, 6 * mm), para(f"RE: INVOICE NO. {data['number']}, L/C NO. {data.get('credit_number', '')}",
                                      "bold"), Spacer(0, 4 * mm), para(data["text"]), Spacer(0, 8 * mm)]
    story += signature(data, heading=lbl(data, "受益人", "THE BENEFICIARY"))
    return build(story, data, title="Beneficiary's certificate", version=version)


def render_draft(data: dict, *, version: int, note: str) -> bytes:
    """The classic bill of exchange: exchange for the figures, the tenor, "FIRST of Exchange
    (SECOND of the same tenor and date unpaid)", pay to the order of our bank the sum in words,
    drawn under the credit, to the drawee, signed by the drawer."""
    currency = data["currency"]
    story = opening(data, title_zh="汇票", title_en="BILL OF EXCHANGE", version=version, note=note)
    amount = fmt_amount(Decimal(data["amount"]), currency)
    head = key_value_table([(lbl(data, "号码", "No."), para(data["number"], "bold")),
                            (lbl(data, "出票地点及日期", "Place and date"), f"{data.get('place', '')}, {day(data)}"),
                            (lbl(data, "汇票金额", "Exchange for"), para(f"{currency} {amount}", "bold"))],
                           width=CONTENT_WIDTH, label_width=110)
    body = [
        para(f"AT <b>{data['tenor'].removeprefix('AT ')}</b> OF THIS FIRST OF EXCHANGE (SECOND OF THE SAME TENOR "
             f"AND DATE BEING UNPAID)", raw=True),
        Spacer(0, 2 * mm), para(f"PAY TO THE ORDER OF <b>{data.get('payee', '')}</b>", raw=True),
        Spacer(0, 2 * mm), para(lbl(data, "金额（大写）", "THE SUM OF"), "label"), para(data["amount_in_words"], "bold"),
        Spacer(0, 3 * mm), para(data.get("drawn_under", ""), "bold"),
        para(f"INVOICE NO. {data.get('invoice_number', data['number'])}"),
    ]
    drawee = [para(lbl(data, "付款人", "TO (DRAWEE)"), "label"), para(data.get("drawee", ""), "bold")]
    story += [head, Spacer(0, 4 * mm), boxed([body], [CONTENT_WIDTH]), Spacer(0, 4 * mm),
              KeepTogether(boxed([drawee], [CONTENT_WIDTH / 2]))]
    story += signature(data, heading=lbl(data, "出票人", "FOR AND ON BEHALF OF (DRAWER)"))
    return build(story, data, title="Bill of exchange", version=version)


def render_insurance_declaration(data: dict, *, version: int, note: str) -> bytes:
    currency = data["currency"]
    story = opening(data, title_zh="投保单（保险申报资料）", title_en="INSURANCE DECLARATION", version=version, note=note)
    rows = [
        (lbl(data, "被保险人", "Insured"), data.get("issuer")),
        (lbl(data, "发票号", "Invoice no."), para(data["number"], "bold")),
        (lbl(data, "日期", "Date"), day(data)),
        (lbl(data, "信用证号", "L/C no."), data.get("credit_number")),
        (lbl(data, "发票金额", "Invoice value"), f"{currency} {fmt_amount(Decimal(data['invoice_total']), currency)}"),
        (lbl(data, "投保加成", "Cover"), f"{data['insurance_pct']} % {lbl(data, '发票金额', 'of the invoice value')}"),
        (lbl(data, "保险金额", "Amount insured"),
         para(f"{currency} {fmt_amount(Decimal(data['insured_amount']), currency)}", "bold")),
        ("", para(lbl(data, "保险金额按惯例向上取整至货币单位", "Rounded up to the whole currency unit, as insurers do."),
                  "muted")),
        (lbl(data, "险别", "Conditions"), data.get("conditions")),
        (lbl(data, "货物", "Goods"), data.get("goods_description")),
        (lbl(data, "件数", "Packages"), f"{data.get('packages') or '—'} CTNS"),
        (lbl(data, "唛头", "Marks"), data.get("marks")),
        (lbl(data, "起运港", "From"), data.get("port_of_loading")),
        (lbl(data, "目的港", "To"), data.get("port_of_discharge")),
        (lbl(data, "船名航次", "Vessel / voyage"), data.get("vessel")),
    ]
    story += [key_value_table(rows, width=CONTENT_WIDTH, label_width=120)]
    story += signature(data)
    return build(story, data, title="Insurance declaration", version=version)


def weights_line(data: dict) -> str:
    return join_nonempty([f"{data.get('packages') or '—'} CTNS", f"G.W. {kg(data.get('gross_weight_kg'))} KGS",
                          f"N.W. {kg(data.get('net_weight_kg'))} KGS" if data.get("net_weight_kg") else ""], " · ")
