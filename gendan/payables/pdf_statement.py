"""The supplier statement (对账单) as a PDF, set by the documents engine: our letterhead, the
supplier and the month, the balance (opening, invoiced, paid, closing — and delivered beside
it), one row per line frozen at issue, and the supplier's confirmation box. Chinese with the
English beside it (the suppliers are Chinese factories), or English alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from gendan.documents.pdf.company import company
from gendan.documents.pdf.layout import (
    CONTENT_WIDTH,
    PageFrame,
    RenderError,
    boxed,
    build_pdf,
    fmt_amount,
    fmt_date,
    grid_table,
    key_value_table,
    para,
)
from gendan.sales.pdf.proforma import seller_header

KINDS = {"delivery": ("送货", "Delivered"), "invoice": ("发票", "Invoice"), "payment": ("付款", "Payment")}


def _l(lang: str, zh: str, en: str) -> str:
    return f"{zh} {en}" if lang == "zh" else en


def statement_pdf(statement, *, language: str = "zh") -> bytes:
    """Return the PDF of ``statement`` (its frozen lines and totals)."""
    lang = "zh" if language.startswith("zh") else "en"
    cur = statement.currency_id
    lines = statement.lines or []
    invoiced = sum((Decimal(x["amount"]) for x in lines if x["kind"] == "invoice"), Decimal(0))
    paid = sum((Decimal(x["amount"]) for x in lines if x["kind"] == "payment"), Decimal(0))
    if invoiced != statement.invoiced_amount or paid != statement.paid_amount or (
            statement.closing_balance != statement.opening_balance + invoiced - paid):
        raise RenderError(f"{statement.number}: the lines do not add up to the statement's totals.")
    seller = company()
    title = "对账单\nSTATEMENT OF ACCOUNT" if lang == "zh" else "STATEMENT OF ACCOUNT"
    month = statement.month.strftime("%Y-%m")
    supplier = statement.supplier
    story: list = [seller_header(seller, title, lang=lang), Spacer(0, 4 * mm)]
    half = CONTENT_WIDTH / 2
    left = [para(_l(lang, "供应商", "Supplier"), "label"), para(f"{supplier.name_zh or ''} {supplier.name_en or ''}"
                                                              .strip(), "bold"),
            para(supplier.address or "", "small")]
    right = key_value_table([
        (_l(lang, "对账单号", "Statement no."), para(statement.number, "bold")),
        (_l(lang, "对账月份", "Month"), month),
        (_l(lang, "币种", "Currency"), cur),
        (_l(lang, "制单日期", "Issued on"), fmt_date(statement.created_at.date(), lang)),
    ], width=half - 10, label_width=110 if lang == "zh" else 78)
    story += [boxed([left, right], [half, half]), Spacer(0, 4 * mm)]
    story.append(key_value_table([
        (_l(lang, "期初余额", "Opening balance"), f"{cur} {fmt_amount(statement.opening_balance, cur)}"),
        (_l(lang, "本月送货（按成本，仅供核对）", "Delivered in the month (at cost, for reference)"),
         f"{cur} {fmt_amount(statement.delivered_amount, cur)}"),
        (_l(lang, "本月开票", "Invoiced in the month"), f"{cur} {fmt_amount(statement.invoiced_amount, cur)}"),
        (_l(lang, "本月付款", "Paid in the month"), f"{cur} {fmt_amount(statement.paid_amount, cur)}"),
        (_l(lang, "期末余额（应付）", "Closing balance (we owe)"),
         para(f"{cur} {fmt_amount(statement.closing_balance, cur)}", "bold")),
    ], width=CONTENT_WIDTH, label_width=200 if lang == "zh" else 170))
    story.append(Spacer(0, 4 * mm))
    header = [para(h, "th") for h in (
        _l(lang, "编号", "Ref."), _l(lang, "日期", "Date"), _l(lang, "类别", "Kind"),
        _l(lang, "单据", "Document"), _l(lang, "订单", "Order"), _l(lang, "数量", "Qty"),
        _l(lang, "金额", "Amount"))]
    rows = []
    for x in lines:
        zh, en = KINDS.get(x["kind"], (x["kind"], x["kind"]))
        rows.append([para(x["ref"], "cell"), dt.date.fromisoformat(x["date"]).isoformat(), _l(lang, zh, en),
                     para(x.get("doc", ""), "cell"), para(x.get("order", ""), "cell"), x.get("quantity", ""),
                     fmt_amount(Decimal(x["amount"]), cur)])
    if not rows:
        rows.append(["—", "", _l(lang, "本月无发生额", "No movement in the month"), "", "", "", ""])
    widths = [70, 58, 62, 0, 70, 48, 72]
    widths[3] = CONTENT_WIDTH - sum(widths)
    story += [grid_table([header, *rows], widths, align_numbers_from=5), Spacer(0, 6 * mm)]
    story.append(para(_l(lang, "请核对以上账目：如无误请签字盖章回传确认；如有异议请注明有异议的行及原因。",
                         "Please check the above: sign and return to confirm, or name the lines you do not agree "
                         "with and why."), "small"))
    box = [para(_l(lang, "供应商确认（签字盖章）", "Confirmed by the supplier (signature and stamp)"), "label"),
           Spacer(0, 14 * mm), para("_" * 38, "muted"), para(_l(lang, "日期", "Date"), "small")]
    story += [Spacer(0, 4 * mm), boxed([box], [half])]
    frame = PageFrame(running_header=f"Statement {statement.number} (continued)",
                      footer=f"{seller['name_en']} · Statement {statement.number} · {month}",
                      page_label=(lambda n, c: f"第 {n} 页 共 {c} 页 · Page {n} of {c}") if lang == "zh"
                      else (lambda n, c: f"Page {n} of {c}"))
    return build_pdf(story, frame=frame, title=f"Statement {statement.number}", author=str(seller["name_en"]),
                     subject=f"Supplier statement {supplier.code} {month}", lang=lang)
