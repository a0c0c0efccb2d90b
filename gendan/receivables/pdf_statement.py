"""The statement of account as a PDF (客户对账单 / STATEMENT OF ACCOUNT), in the document engine
of ``gendan.documents`` (A4, embedded font, "Page 1 of 3"): our letterhead, the customer and
the period, then per currency the opening balance, the movements with their running balance,
the closing balance (checked: opening + debits − credits), the open items on the last day
and their aging. English, or Chinese with the English beside it (``statement.language``)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

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
    join_nonempty,
    key_value_table,
    para,
)
from gendan.receivables.selectors.ledger import INSTALMENT, ON_ACCOUNT, PAYMENT
from gendan.receivables.services.statements import Statement
from gendan.sales.pdf.proforma import seller_header
from gendan.sales.terms import due_event_text


def _l(statement: Statement, zh: str, en: str) -> str:
    return f"{zh} {en}" if statement.language == "zh" else en


def _h(statement: Statement, zh: str, en: str) -> str:
    return f"{zh}\n{en}" if statement.language == "zh" else en


def _day(statement: Statement, value) -> str:
    return fmt_date(value, "en") if value else ""


def _amount(value: Decimal, currency: str) -> str:
    return fmt_amount(value, currency) if value else ""


def _describe(statement: Statement, e) -> str:
    zh = statement.language == "zh"
    if e.kind == INSTALMENT:
        kind = {"deposit": ("定金", "Deposit"), "balance": ("尾款", "Balance")}.get(e.instalment, ("", e.instalment))
        with translation.override("zh-hans" if zh else "en"):
            rule = due_event_text(e.due_rule)
        text = f"{kind[0]} {kind[1]}" if zh else kind[1]
        return join_nonempty([f"{text} · {e.order_number} (PO {e.customer_po_no})", rule], "\n")
    if e.kind == PAYMENT:
        parts = [f"{'收款 ' if zh else ''}Payment {e.receipt_number} · {e.bank_reference} → {e.order_number}"]
        if e.exchange_rate:
            parts.append(f"{e.receipt_currency} {fmt_amount(e.receipt_amount, e.receipt_currency)} @ {e.exchange_rate}")
        if e.bank_charges:
            parts.append(_l(statement, "银行扣费", "bank charges deducted") + " "
                         + f"{e.receipt_currency} {fmt_amount(e.bank_charges, e.receipt_currency)}")
        return "\n".join(parts)
    text = _l(statement, "预收款（未核销）", "Payment on account (unallocated)")
    return f"{text} {e.receipt_number} · {e.bank_reference}"


def render_statement_pdf(statement: Statement) -> bytes:
    """Return the PDF of ``statement``; refuses (``RenderError``) a closing balance that is not
    the opening plus the movements — the one thing a statement may never get wrong."""
    seller = company()
    lang = statement.language
    title = "客户对账单\nSTATEMENT OF ACCOUNT" if lang == "zh" else "STATEMENT OF ACCOUNT"
    customer = statement.customer
    names = [customer.name_en or customer.name_zh, customer.name_zh if lang == "zh" else ""]
    half = CONTENT_WIDTH / 2
    left = [para(_l(statement, "客户", "Customer"), "label"), para(join_nonempty(names, " / "), "bold"),
            para(customer.address, "small")]
    right = key_value_table([
        (_l(statement, "编号", "Statement no."), statement.number),
        (_l(statement, "客户代码", "Customer code"), customer.code),
        (_l(statement, "期间", "Period"), f"{_day(statement, statement.start)} – {_day(statement, statement.end)}"),
    ], width=half - 10, label_width=118 if lang == "zh" else 78)
    story: list = [seller_header(seller, title, lang=lang), Spacer(0, 4 * mm), boxed([left, right], [half, half]),
                   Spacer(0, 4 * mm)]
    if not statement.currencies:
        story.append(para(_l(statement, "本期无往来，无未结款项。", "No movements and nothing open in this period."),
                          "body"))
    for c in statement.currencies:
        cur = c.currency
        check = c.opening + sum((e.debit - e.credit for e in c.movements), Decimal("0"))
        if check != c.closing:
            raise RenderError(f"statement {statement.number} {cur}: closing {c.closing} is not opening + movements "
                              f"{check}")
        story.append(para(f"{_l(statement, '币种', 'Currency')} {cur}", "heading"))
        header = [para(h, "th") for h in (_h(statement, "日期", "Date"), _h(statement, "摘要", "Description"),
                                          _h(statement, "到期日", "Due date"), _h(statement, "借方", "Debit"),
                                          _h(statement, "贷方", "Credit"), _h(statement, "余额", "Balance"))]
        rows = [header, [para(_day(statement, statement.start), "cell"),
                         para(_l(statement, "期初余额", "Opening balance"), "cell"), "", "", "",
                         para(fmt_amount(c.opening, cur), "cell_right")]]
        for e in c.movements:
            rows.append([para(_day(statement, e.day), "cell"), para(_describe(statement, e), "cell"),
                         para(_day(statement, e.due_date), "cell"), para(_amount(e.debit, cur), "cell_right"),
                         para(_amount(e.credit, cur), "cell_right"), para(fmt_amount(e.balance, cur), "cell_right")])
        rows.append([para(_day(statement, statement.end), "cell"),
                     para(_l(statement, "期末余额", "Closing balance"), "th"), "",
                     para(fmt_amount(c.debit, cur), "cell_right"), para(fmt_amount(c.credit, cur), "cell_right"),
                     para(f"{cur} {fmt_amount(c.closing, cur)}", "th_right")])
        widths = [52, 0, 52, 62, 62, 70]
        widths[1] = CONTENT_WIDTH - sum(widths)
        story.append(grid_table(rows, widths, total_row=True))
        if c.closing_cny is not None and cur != "CNY":
            story.append(para(_l(statement, "折合人民币", "CNY equivalent") + f" {fmt_amount(c.closing_cny, 'CNY')} "
                              f"(@ {c.rate_end.normalize():f})", "muted"))
        if c.open_items:
            story.append(para(_l(statement, f"截至 {statement.end:%Y-%m-%d} 未结款项",
                                 f"Open items on {fmt_date(statement.end, 'en')}"), "heading"))
            header = [para(h, "th") for h in (_h(statement, "订单", "Order"), _h(statement, "款项", "Item"),
                                              _h(statement, "到期日", "Due date"), _h(statement, "逾期天数", "Days overdue"),
                                              _h(statement, "争议", "In dispute"), _h(statement, "未结金额", "Open"))]
            rows = [header]
            for item in c.open_items:
                if item["kind"] == ON_ACCOUNT:
                    label = _l(statement, "预收款", "On account") + f" {item.get('receipt_number', '')}"
                elif item["credit_item"]:
                    label = _l(statement, "订单贷方余额", "Credit on order")
                else:
                    label = {"deposit": _l(statement, "定金", "Deposit"),
                             "balance": _l(statement, "尾款", "Balance")}.get(item["kind"], item["kind"])
                rows.append([para(f"{item['order_number']}\nPO {item['customer_po_no']}" if item["order_number"] else "",
                                  "cell"), para(label, "cell"), para(_day(statement, item["due_date"]), "cell"),
                             para(str(item["days_overdue"] or ""), "cell_right"),
                             para(_amount(item["in_dispute"], cur), "cell_right"),
                             para(fmt_amount(item["open"], cur), "cell_right")])
            rows.append(["", para(_l(statement, "合计", "Total"), "th"), "", "", "",
                         para(f"{cur} {fmt_amount(c.open_total, cur)}", "th_right")])
            widths = [90, 0, 56, 50, 62, 72]
            widths[1] = CONTENT_WIDTH - sum(widths)
            story.append(grid_table(rows, widths, total_row=True))
            header = [para(_h(statement, "未到期", "Not due") if b.low is None else b.label, "th_right")
                      for b in statement.buckets] + [para(_h(statement, "争议", "In dispute"), "th_right")]
            aging = [header, [para(fmt_amount(v, cur), "cell_right") for v in c.aging]
                     + [para(fmt_amount(c.disputed, cur), "cell_right")]]
            n = len(header)
            story.append(KeepTogether([para(_l(statement, "账龄（逾期天数）", "Aging (days overdue)"), "heading"),
                                       grid_table(aging, [CONTENT_WIDTH / n] * n)]))
    story += [Spacer(0, 6 * mm), para(_l(
        statement, "如有不符，请于收到后14天内告知，逾期视为无误。",
        "Please advise us within 14 days of any difference; otherwise the statement is taken as agreed."), "muted")]
    frame = PageFrame(running_header=f"Statement of account {statement.number} (continued)",
                      footer=join_nonempty([str(seller["name_en"]), statement.number], " · "),
                      page_label=(lambda n, t: f"第 {n} 页 共 {t} 页 · Page {n} of {t}") if lang == "zh"
                      else (lambda n, t: f"Page {n} of {t}"))
    return build_pdf(story, frame=frame, title=f"Statement of account {statement.number}",
                     author=str(seller["name_en"]), subject=f"{customer.code} {statement.start} – {statement.end}",
                     lang=lang)
