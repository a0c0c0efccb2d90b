"""The export collection instruction (出口托收委托书 / 跟单托收申请书) as a PDF, bilingual like a
Chinese bank's form: what URC 522 Art. 4(b) asks of it (DOMAIN.md §5.5) —

1. the remitting bank (the bank we hand the documents to) and its reference;
2. the principal (drawer, our company) with its address;
3. the drawee with its full address (the customer);
4. the presenting (collecting) bank, if named (the customer's bank);
5. the amount and currency;
6. the documents enclosed, with the count of each (originals / copies);
7. the terms: documents against payment (D/P) or against acceptance (D/A, with the tenor);

and the usual further instructions: charges outside the remitting bank's country borne by the
drawee (waivable or not), protest or no protest, what to do on non-payment / non-acceptance
(advise by SWIFT, stating the reason; store and insure the goods), and where the proceeds go.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from gendan.documents.pdf.chinese import amount_in_capitals
from gendan.documents.pdf.company import company
from gendan.documents.pdf.layout import (
    CONTENT_WIDTH,
    PageFrame,
    boxed,
    build_pdf,
    fmt_amount,
    fmt_date,
    grid_table,
    join_nonempty,
    key_value_table,
    para,
)

# The labels of the documents in both languages, as a bank's form ticks them.
DOCUMENT_LABELS = {
    "draft": "汇票 Draft",
    "commercial_invoice": "商业发票 Commercial invoice",
    "packing_list": "装箱单 Packing list",
    "bill_of_lading": "提单 Bill of lading",
    "insurance": "保险单 Insurance policy",
    "insurance_declaration": "投保声明 Insurance declaration",
    "certificate_of_origin": "原产地证 Certificate of origin",
    "beneficiary_certificate": "受益人证明 Beneficiary's certificate",
    "inspection_certificate": "检验证书 Inspection certificate",
    "fumigation_certificate": "熏蒸证书 Fumigation certificate",
    "test_report": "检测报告 Test report",
    "shipping_advice": "装运通知 Shipping advice",
    "shipping_marks": "唛头 Shipping marks",
    "other": "其他 Other",
}


@dataclass(frozen=True)
class CollectionInstruction:
    """What the instruction prints (the dispatch service fills it from the order and the set)."""

    number: str  # the dispatch no. (our reference)
    date: dt.date
    terms: str  # "D/P" | "D/A"
    tenor_days: int  # D/A: days after sight (0 at sight)
    currency: str
    amount: Decimal
    remitting_bank: str
    remitting_bank_reference: str
    drawee_name: str
    drawee_address: str
    presenting_bank: str
    presenting_bank_swift: str
    documents: list[dict] = field(default_factory=list)  # [{"kind", "number", "originals", "copies"}]
    order_number: str = ""
    invoice_number: str = ""
    bl_number: str = ""


def _tick(on: bool) -> str:
    return "■" if on else "□"


def _terms_text(ci: CollectionInstruction) -> str:
    dp = ci.terms == "D/P"
    tenor = (f"见票后 {ci.tenor_days} 天 / at {ci.tenor_days} days after sight" if ci.tenor_days
             else "即期 / at sight")
    return join_nonempty([
        f"{_tick(dp)} 付款交单 D/P — documents against payment{' (' + tenor + ')' if dp else ''}",
        f"{_tick(not dp)} 承兑交单 D/A — documents against acceptance{' (' + tenor + ')' if not dp else ''}",
    ])


def _documents_table(ci: CollectionInstruction):
    rows = [[para("单据 Document", "th"), para("号码 No.", "th"), para("正本 Originals", "th_right"),
             para("副本 Copies", "th_right")]]
    for d in ci.documents:
        rows.append([para(DOCUMENT_LABELS.get(d["kind"], d["kind"])), para(d.get("number") or "—"),
                     str(d.get("originals", 0)), str(d.get("copies", 0))])
    widths = [CONTENT_WIDTH * 0.45, CONTENT_WIDTH * 0.27, CONTENT_WIDTH * 0.14, CONTENT_WIDTH * 0.14]
    return grid_table(rows, widths, align_numbers_from=2)


def render_collection_instruction(ci: CollectionInstruction) -> bytes:
    """The PDF of the collection instruction ``ci``."""
    seller = company()
    half = CONTENT_WIDTH / 2
    amount = f"{ci.currency} {fmt_amount(ci.amount, ci.currency)}"
    story: list = [
        para("出口托收委托书", "title_center"),
        para("APPLICATION FOR DOCUMENTARY COLLECTION (EXPORT)", "center"),
        para(f"本委托书适用《托收统一规则》（国际商会第522号出版物） Subject to the Uniform Rules for Collections, "
             f"ICC Publication No. 522 · {ci.number}", "small"), Spacer(0, 3 * mm)]
    left = key_value_table([
        ("托收行 Remitting bank", para(ci.remitting_bank, "bold")),
        ("银行编号 Bank ref.", ci.remitting_bank_reference or "—"),
        ("委托人 Principal (drawer)", join_nonempty([seller["name_zh"], seller["name_en"], seller["address_en"]])),
        ("账号 Account", seller.get("bank_account") or "—"),
    ], width=half - 10, label_width=80)
    right = key_value_table([
        ("日期 Date", f"{fmt_date(ci.date, 'zh')} / {fmt_date(ci.date, 'en')}"),
        ("我方编号 Our ref.", ci.number),
        ("付款人 Drawee", para(join_nonempty([ci.drawee_name, ci.drawee_address]), "bold")),
        ("代收行 Presenting bank", join_nonempty([ci.presenting_bank or "由贵行选择 at your choice",
                                                ci.presenting_bank_swift and f"SWIFT {ci.presenting_bank_swift}"])),
    ], width=half - 10, label_width=80)
    story += [boxed([left, right], [half, half]), Spacer(0, 3 * mm)]
    story += [boxed([key_value_table([
        ("金额 Amount", para(amount, "bold")),
        ("大写 In words", amount_in_capitals(ci.amount, ci.currency)),
        ("发票 Invoice", ci.invoice_number or "—"),
        ("提单 B/L", ci.bl_number or "—"),
        ("订单 Order", ci.order_number or "—"),
    ], width=CONTENT_WIDTH - 10, label_width=110)], [CONTENT_WIDTH]), Spacer(0, 3 * mm)]
    story += [para("随附单据 Documents enclosed", "heading"), _documents_table(ci), Spacer(0, 3 * mm)]
    story += [para("交单条件 Terms of delivery of documents", "heading"), para(_terms_text(ci)),
              Spacer(0, 3 * mm)]
    instructions = [
        f"{_tick(True)} 国外银行费用由付款人承担，不得放弃 Charges outside China are for the drawee's account and may "
        "not be waived.",
        f"{_tick(True)} 如遭拒付或拒绝承兑，请以 SWIFT 通知我方并说明理由 In case of non-payment / non-acceptance, "
        "advise us by SWIFT, stating the reason.",
        f"{_tick(False)} 作成拒绝证书 Protest · {_tick(True)} 不作拒绝证书 No protest",
        f"{_tick(True)} 拒付时请代为存仓及保险，费用由委托人承担 On non-payment store and insure the goods for the "
        "principal's account.",
        f"{_tick(ci.terms == 'D/A')} 承兑后请通知到期日 Advise the acceptance and the maturity date.",
        "收汇请贷记我方账户 Credit the proceeds to our account " + str(seller.get("bank_account") or "—") + ".",
    ]
    story += [para("其他指示 Further instructions", "heading"), para("\n".join(instructions)),
              Spacer(0, 8 * mm)]
    story += [boxed([para("委托人签章 Principal's signature and stamp\n\n\n" + str(seller["name_en"])),
                     para("银行受理 For the bank\n\n\n")], [half, half])]
    frame = PageFrame(running_header=f"出口托收委托书 COLLECTION INSTRUCTION {ci.number} (续 continued)",
                      footer=f"{seller['name_en']} · {ci.number} · URC 522",
                      page_label=lambda n, count: f"第 {n} 页 共 {count} 页 · Page {n} of {count}")
    return build_pdf(story, frame=frame, title=f"Collection instruction {ci.number}", author=str(seller["name_en"]),
                     subject=f"{ci.terms} {amount}", lang="zh")
