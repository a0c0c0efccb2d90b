"""The quotation (报价单) sent to a customer, in English or Chinese.

It prints what the customer is offered — lines with quantity, unit price and amount, packing,
payment terms, Incoterm and validity — and never the factory cost, the quoting factory or the
margin, whoever prints it.
"""

from __future__ import annotations

from django.utils import translation
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from gendan.core.money import amount_in_words_en
from gendan.documents.pdf.chinese import LABELS as LABELS_ZH
from gendan.documents.pdf.chinese import amount_in_capitals
from gendan.documents.pdf.company import company
from gendan.documents.pdf.layout import (
    CONTENT_WIDTH,
    PageFrame,
    boxed,
    build_pdf,
    check_total,
    fmt_amount,
    fmt_date,
    join_nonempty,
    key_value_table,
    lines_table,
    para,
)
from gendan.sales.pdf.proforma import LABELS as LABELS_EN
from gendan.sales.pdf.proforma import seller_header
from gendan.sales.pdf.sources import customer_party, fmt_percent, quotation_lines
from gendan.sales.terms import deposit_percent_for

TEXT = {
    "en": {
        "title": "QUOTATION", "to": "TO", "number": "Quotation no.", "date": "Date", "valid": "Valid until",
        "currency": "Currency", "contact": "Contact", "attn": "Attn", "tel": "Tel", "email": "Email",
        "terms": "TERMS", "incoterm": "Terms of delivery", "payment": "Payment terms", "deposit": "Deposit",
        "packing": "Packing", "validity": "Validity", "total": "Total amount",
        "validity_text": "This offer is valid until {date}. Prices are subject to our final confirmation "
                         "after the validity date.",
        "closing": "We look forward to your order.", "page": "Page {n} of {count}",
        "continued": "(continued)", "name_key": "name_en",
        "doc_name": "Quotation", "colon": ": ", "sep": "; ",
    },
    "zh": {
        "title": "报价单", "to": "客户", "number": "报价单号", "date": "报价日期", "valid": "有效期至",
        "currency": "币种", "contact": "联系人", "attn": "联系人", "tel": "电话", "email": "邮箱",
        "terms": "报价条款", "incoterm": "贸易术语", "payment": "付款方式", "deposit": "订金",
        "packing": "包装", "validity": "有效期", "total": "合计金额",
        "validity_text": "本报价有效期至 {date}，逾期须经我方重新确认。",
        "closing": "期待您的订单！", "page": "第 {n} 页 共 {count} 页",
        "continued": "（续）", "name_key": "name_zh",
        "doc_name": "报价单", "colon": "：", "sep": "；",
    },
}


def render_quotation_pdf(*, quotation, lang: str) -> bytes:
    with translation.override("zh-hans" if lang == "zh" else "en"):
        return _render(quotation, lang)


def _render(quotation, lang: str) -> bytes:
    t = TEXT[lang]
    seller = company()
    currency = quotation.currency_id
    buyer = customer_party(quotation.customer, lang=lang)
    half = CONTENT_WIDTH / 2
    seller_name = str(seller[t["name_key"]] or seller["name_en"])
    person = quotation.salesperson or quotation.created_by

    story: list = [seller_header(seller, t["title"], lang=lang), Spacer(0, 5 * mm)]
    to_block = [para(t["to"], "label"), para(buyer.name, "bold"), para(buyer.address),
                para(join_nonempty([f"{t['attn']}{t['colon']}{buyer.contact}" if buyer.contact else "",
                                    f"{t['tel']}{t['colon']}{buyer.phone}" if buyer.phone else "",
                                    f"{t['email']}{t['colon']}{buyer.email}" if buyer.email else ""]), "small")]
    references = key_value_table([
        (t["number"], para(quotation.number, "bold")),
        (t["date"], fmt_date(quotation.quoted_on, lang)),
        (t["valid"], fmt_date(quotation.valid_until, lang)),
        (t["currency"], currency),
        (t["contact"], join_nonempty([str(person) if person else "", getattr(person, "email", "")], " · ")),
    ], width=half - 10, label_width=62)
    story += [boxed([to_block, references], [half, half]), Spacer(0, 5 * mm)]

    labels = LABELS_ZH if lang == "zh" else LABELS_EN
    table, total = lines_table(quotation_lines(quotation, lang=lang), currency=currency, labels=labels)
    check_total(total, quotation.total_amount, quotation.number)
    words = amount_in_capitals(total, currency) if lang == "zh" else amount_in_words_en(total, currency)
    story += [table, Spacer(0, 2 * mm),
              para(f"<b>{t['total']}{t['colon'].strip()}</b> {currency} {fmt_amount(total, currency)}", raw=True),
              para(words, "bold"), Spacer(0, 3 * mm)]

    deposit = deposit_percent_for(quotation.payment_method, quotation.deposit_percent)
    payment = join_nonempty([
        quotation.get_payment_method_display(),
        f"{t['deposit']} {fmt_percent(deposit)}" if deposit else "",
        quotation.payment_terms_note,
    ], t["sep"])
    story += [para(t["terms"], "heading"), key_value_table([
        (t["incoterm"], quotation.incoterm_text),
        (t["payment"], payment),
        (t["packing"], quotation.packing),
        (t["validity"], t["validity_text"].format(date=fmt_date(quotation.valid_until, lang))),
    ], width=CONTENT_WIDTH, label_width=90), Spacer(0, 6 * mm), para(t["closing"]),
        Spacer(0, 3 * mm), para(seller_name, "bold"),
        para(join_nonempty([str(person) if person else "", getattr(person, "email", "")], " · "), "small")]

    frame = PageFrame(
        running_header=f"{t['title']} {quotation.number} — {buyer.name} {t['continued']}",
        footer=f"{seller_name} · {t['doc_name']} {quotation.number}",
        page_label=lambda n, count: t["page"].format(n=n, count=count),
    )
    return build_pdf(story, frame=frame, title=f"{t['doc_name']} {quotation.number}", author=seller_name,
                     subject=buyer.name, lang=lang)
