"""The 购销合同 (sales contract) of a domestic order, in Chinese.

Carries what PRC Civil Code art. 470 and art. 596 ask of a sales contract (DOMAIN §5.2):
the parties' names and domiciles, the goods, quantity, quality and its inspection, price,
time, place and manner of delivery, packing, settlement, liability for breach, dispute
resolution, the contract's language, copies and effect — and signature / seal blocks with
each party's bank account.
"""

from __future__ import annotations

from django.utils import translation
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from gendan.documents.pdf.chinese import LABELS, amount_in_capitals, money_zh
from gendan.documents.pdf.company import company
from gendan.documents.pdf.layout import (
    CONTENT_WIDTH,
    PageFrame,
    boxed,
    build_pdf,
    check_total,
    fmt_date,
    join_nonempty,
    key_value_table,
    lines_table,
    markup,
    para,
)
from gendan.sales.pdf.sources import (
    customer_party,
    fmt_percent,
    local_date,
    order_lines,
    payment_schedule,
)


def render_sales_contract(*, order, document) -> bytes:
    with translation.override("zh-hans"):
        return _render(order, document)


def _clause(title: str, items: list[str]) -> list:
    flow = [para(title, "heading")]
    numbered = len(items) > 1
    for n, text in enumerate(items, start=1):
        flow.append(para(f"{n}. {text}", "clause") if numbered else para(text))
    return flow


def _render(order, document) -> bytes:
    seller = company()
    currency = document.currency_id
    buyer = customer_party(order.customer, lang="zh")
    signed_on = local_date(document.issued_at)
    half = CONTENT_WIDTH / 2

    story: list = [para("购销合同", "title_center")]
    if document.version > 1:
        previous = document.number if document.version == 2 else f"{document.number}-R{document.version - 2}"
        story.append(para(f"修订版 R{document.version - 1}：本版依据订单第 {document.revision_no} 次变更签订，"
                          f"取代合同 {previous}，原版本自本版生效之日起失效。", "notice"))
    story.append(key_value_table([
        ("合同编号", para(document.display_number, "bold")),
        ("签订日期", fmt_date(signed_on, "zh")),
        ("签订地点", seller["contract_place_zh"]),
        ("订单编号", join_nonempty([order.number, f"（客户订单号 {order.customer_po_no}）"], "")),
    ], width=CONTENT_WIDTH, label_width=52))
    story.append(Spacer(0, 3 * mm))

    def party_block(role: str, name: str, address: str, phone: str, contact: str = "") -> list:
        return [para(role, "label"), para(name, "bold"), para(f"地址：{address}" if address else ""),
                para(join_nonempty([f"联系人：{contact}" if contact else "", f"电话：{phone}" if phone else ""],
                                   "　"), "small")]

    story.append(boxed([
        party_block("甲方（买方）", buyer.name, buyer.address, buyer.phone, buyer.contact),
        party_block("乙方（卖方）", str(seller["name_zh"]), str(seller["address_zh"]), str(seller["phone"])),
    ], [half, half]))
    story.append(Spacer(0, 3 * mm))
    story.append(para("根据《中华人民共和国民法典》及有关法律法规的规定，甲乙双方本着平等自愿、诚实信用的原则，"
                      "经协商一致，就甲方向乙方购买下列产品订立本合同，共同遵守。"))

    story.append(para("一、产品名称、规格、数量及金额", "heading"))
    table, total = lines_table(order_lines(order, lang="zh"), currency=currency, labels=LABELS)
    check_total(total, document.total_amount, document.display_number)
    story += [table, Spacer(0, 2 * mm),
              para(f"合计金额（大写）：<b>{markup(amount_in_capitals(total, currency))}</b>"
                   f"　（小写）：{money_zh(total, currency)}", raw=True)]

    story += _clause("二、质量标准及验收", [
        "产品质量按双方确认的样品、规格及技术要求执行；无特别约定的，按国家标准或行业标准执行。"
        + (f"甲方特别要求：{order.special_requirements.strip()}" if order.special_requirements.strip() else ""),
        "甲方应在收货后七日内按前款标准验收，如有异议，应在此期限内书面提出；逾期未提出的，视为验收合格。",
    ])
    where = order.port_of_destination or order.customer.delivery_address or "甲方指定地点"
    story += _clause("三、交货时间、地点及方式", [
        f"交货时间：乙方应于 {fmt_date(order.ex_factory_date, 'zh')} 前备妥货物出厂"
        + (f"，甲方要求到货日期为 {fmt_date(order.requested_delivery_date, 'zh')}" if order.requested_delivery_date
           else "") + "。",
        f"交货地点：{where}。",
        f"交货条件：{order.incoterm_text}" + (f"（发货地：{order.port_of_loading}）" if order.port_of_loading else "")
        + "。货物毁损、灭失的风险自交付时起转移至甲方。",
    ])
    story += _clause("四、包装方式", [
        order.packing_requirements.strip() or "按行业通用标准包装，适合运输和储存；因包装不当造成的货物损失由乙方承担。",
        *([f"唛头：{order.shipping_marks.strip()}"] if order.shipping_marks.strip() else []),
    ])
    story += _clause("五、结算方式", _settlement(order, currency, seller))
    story += _clause("六、违约责任", [
        "乙方未按约定时间交货的，每逾期一日，应按逾期交货部分货款的万分之五向甲方支付违约金。",
        "甲方未按约定时间付款的，每逾期一日，应按逾期付款金额的万分之五向乙方支付违约金，乙方交货期相应顺延。",
        "产品质量不符合本合同约定的，甲方有权要求乙方修理、更换或退货，由此产生的费用由乙方承担。",
        "任何一方违约给对方造成损失的，应依法承担赔偿责任。",
    ])
    story += _clause("七、争议解决", [str(seller["dispute_resolution_zh"])])
    story += _clause("八、合同份数与效力", [
        "本合同未尽事宜，由双方协商签订补充协议，补充协议与本合同具有同等法律效力。",
        "本合同以中文书就，一式两份，甲乙双方各执一份，具有同等法律效力；自双方签字并盖章之日起生效。"
        "双方签字盖章的传真件、扫描件与原件具有同等效力。",
    ])

    story.append(para("（以下无正文）", "muted"))
    story.append(CondPageBreak(62 * mm))
    story.append(KeepTogether([Spacer(0, 5 * mm), boxed([
        _signature("甲方（买方）（盖章）", buyer.name, buyer.address, buyer.phone, buyer.bank_name,
                   buyer.bank_account, ""),
        _signature("乙方（卖方）（盖章）", str(seller["name_zh"]), str(seller["address_zh"]), str(seller["phone"]),
                   str(seller["bank_name_zh"] or seller["bank_name"]), str(seller["bank_account"]),
                   str(seller["tax_id"])),
    ], [half, half])]))

    frame = PageFrame(
        running_header=f"购销合同 {document.display_number}（续）",
        footer=f"{seller['name_zh']} · 购销合同 {document.display_number}",
        page_label=lambda n, count: f"第 {n} 页 共 {count} 页",
    )
    return build_pdf(story, frame=frame, title=f"购销合同 {document.display_number}",
                     author=str(seller["name_zh"]), subject=f"订单 {order.number}", lang="zh")


def _settlement(order, currency: str, seller: dict) -> list[str]:
    items = [f"付款方式：{order.get_payment_method_display()}"
             + (f"（{order.payment_terms_note}）" if order.payment_terms_note else "") + "。"]
    names = {"deposit": "预付款", "balance": "余款"}
    for instalment in payment_schedule(order, lang="zh"):
        due = f"，最迟于 {fmt_date(instalment.due_date, 'zh')} 前" if instalment.due_date else ""
        items.append(f"{names.get(instalment.kind, instalment.kind)}：合同总金额的 {fmt_percent(instalment.percent)}，"
                     f"即 {money_zh(instalment.amount, currency)}（{amount_in_capitals(instalment.amount, currency)}），"
                     f"{instalment.when}{due}。")
    items.append(f"乙方收款账户：{seller['name_zh']}，开户银行：{seller['bank_name_zh'] or seller['bank_name']}，"
                 f"账号：{seller['bank_account']}。")
    return items


def _signature(role: str, name: str, address: str, phone: str, bank: str, account: str, tax_id: str) -> list:
    rows = [("单位名称", name), ("地址", address), ("电话", phone), ("开户银行", bank), ("账号", account),
            ("税号", tax_id)]
    return [para(role, "bold"), Spacer(0, 2 * mm),
            key_value_table([(k, v or "　") for k, v in rows], width=CONTENT_WIDTH / 2 - 12, label_width=48),
            Spacer(0, 10 * mm),
            para("法定代表人或委托代理人（签字）：________________", "small"), Spacer(0, 3 * mm),
            para("日期：________ 年 ____ 月 ____ 日", "small")]
