"""The 采购合同 (purchase contract for materials) of a purchase order, in Chinese.

Our company buys (甲方, 买方), the material supplier sells (乙方, 卖方). Built from the same
blocks as the sales contract (``gendan.documents.pdf``): embedded CJK font, amounts with the
currency's decimals, the total = the sum of the printed lines, and the total in capitals (大写).
"""

from __future__ import annotations

from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, TableStyle

from gendan.documents.pdf.chinese import LABELS, amount_in_capitals, money_zh
from gendan.documents.pdf.company import company
from gendan.documents.pdf.layout import (
    CONTENT_WIDTH,
    Line,
    PageFrame,
    boxed,
    build_pdf,
    check_total,
    fmt_date,
    grid_table,
    join_nonempty,
    key_value_table,
    lines_table,
    markup,
    para,
)
from gendan.purchasing.models import VERSION_FIELDS

HIGHLIGHT = colors.HexColor("#fff3b0")


def render_purchase_order(*, purchase_order, version=None) -> bytes:
    """Return the PDF of ``purchase_order`` (lines, supplier and its contacts prefetched). With
    ``version`` (a ``PurchaseOrderVersion``): marked "Version N — supersedes version N-1", with
    what changed, highlighted."""
    with translation.override("zh-hans"):
        return _render(purchase_order, version)


def _version_block(version) -> list:
    n = version.number
    flow = [para(f"第 {n} 版 — 取代第 {n - 1} 版　Version {n} — supersedes version {n - 1}", "notice"),
            Spacer(0, 2 * mm)]
    if version.reason:
        flow.append(para(f"因客户订单变更，物料需求随之调整：{version.reason}"))
    widths = [28, 70, 100, 0, 0]
    widths[3] = widths[4] = (CONTENT_WIDTH - 198) / 2
    data: list[list] = [[para(h, "th") for h in ("行", "物料编号", "项目", "原内容", "变更为")]]
    for row in version.changes:
        data.append([str(row.get("line") or "—"), para(row.get("material", ""), "small"),
                     para(str(VERSION_FIELDS.get(row["field"], row["field"]))), para(row.get("old") or "—"),
                     para(row.get("new") or "—", "bold")])
    table = grid_table(data, widths)
    table.setStyle(TableStyle([("BACKGROUND", (0, 1), (-1, -1), HIGHLIGHT)]))
    return [*flow, para("变更内容（请按新版本供货，并回复确认）", "heading"), table, Spacer(0, 2 * mm)]


def _render(po, version=None) -> bytes:
    buyer = company()
    supplier = po.supplier
    contact = next(iter(supplier.contacts.all()), None)
    half = CONTENT_WIDTH / 2
    lines = list(po.lines.all())
    story: list = [para("采购合同", "title_center")]
    if version is not None:
        story += _version_block(version)
    if po.status == po.Status.DRAFT:
        story.append(para("草稿：未发给供应商，仅供内部核对。", "notice"))
    story.append(key_value_table([
        ("合同编号", para(po.number + (f"（第 {version.number} 版）" if version is not None else ""), "bold")),
        ("签订日期", fmt_date(po.order_date, "zh")),
        ("签订地点", buyer["contract_place_zh"]),
        ("采购员", str(po.purchaser)),
    ], width=CONTENT_WIDTH, label_width=52))
    story.append(Spacer(0, 3 * mm))

    def party(role: str, name: str, address: str, phone: str, person: str = "") -> list:
        return [para(role, "label"), para(name, "bold"), para(f"地址：{address}" if address else ""),
                para(join_nonempty([f"联系人：{person}" if person else "", f"电话：{phone}" if phone else ""], "　"),
                     "small")]

    story.append(boxed([
        party("甲方（买方）", str(buyer["name_zh"]), str(buyer["address_zh"]), str(buyer["phone"])),
        party("乙方（卖方）", supplier.name_zh or supplier.name_en, join_nonempty([supplier.address, supplier.city], ""),
              (contact.mobile or contact.phone) if contact else supplier.phone, contact.name if contact else ""),
    ], [half, half]))
    story.append(Spacer(0, 3 * mm))
    story.append(para("根据《中华人民共和国民法典》的规定，甲乙双方经协商一致，就甲方向乙方采购下列物料订立本合同，共同遵守。"))

    story.append(para("一、物料名称、规格、数量、金额及交货期", "heading"))
    printed = [Line(no=line.line_no, item_no=line.material.code,
                    description=join_nonempty([line.material.name_zh or line.material.name_en, line.material.spec,
                                               f"交货期：{fmt_date(line.eta, 'zh')}" if line.eta else ""], "\n"),
                    quantity=line.quantity, unit=line.unit, unit_price=line.unit_price, amount=line.amount)
               for line in lines]
    table, total = lines_table(printed, currency=po.currency_id, labels=LABELS)
    check_total(total, po.total_amount, po.number)
    story += [table, Spacer(0, 2 * mm),
              para(f"合计金额（大写）：<b>{markup(amount_in_capitals(total, po.currency_id))}</b>"
                   f"　（小写）：{money_zh(total, po.currency_id)}", raw=True)]
    tolerance = po.over_receipt_percent.normalize()
    clauses = [
        ("二、质量要求", ["物料质量按甲方确认的样品、规格及技术要求执行；无特别约定的，按国家标准或行业标准执行。"
                     "乙方应随货提供出厂检验报告。"]),
        ("三、交货", [
            "交货期以上表所列日期为准；乙方不能按期交货的，应提前书面通知甲方并说明新的交货日期，经甲方同意后方可变更。",
            f"交货地点：{buyer['address_zh']}（甲方仓库），运费由乙方承担。",
            f"交货数量不得超过订购数量{f'的 {tolerance}%' if tolerance else ''}"
            f"{'以上' if tolerance else ''}，超出部分甲方有权拒收。",
        ]),
        ("四、验收", ["甲方收货后按本合同质量要求验收，如有异议，应在收货后七日内书面提出；不合格品由乙方负责退换。"]),
        ("五、结算方式", ["乙方交货并经甲方验收合格后，凭乙方开具的增值税专用发票，按双方约定的账期付款。"
                     + (f"备注：{po.notes.strip()}" if po.notes.strip() else "")]),
        ("六、违约责任", ["乙方逾期交货的，每逾期一日，按逾期交货部分货款的千分之五向甲方支付违约金；"
                     "因乙方逾期交货或质量问题导致甲方对客户延期交货或赔偿的，乙方应承担由此造成的损失。"]),
        ("七、争议解决", [str(buyer["dispute_resolution_zh"])]),
        ("八、其他", ["本合同一式两份，甲乙双方各执一份，自双方签字盖章之日起生效；传真件、扫描件与原件具有同等效力。"]),
    ]
    for title, items in clauses:
        numbered = len(items) > 1
        story.append(KeepTogether([para(title, "heading")] + [
            para(f"{n}. {text}" if numbered else text, "clause" if numbered else "body")
            for n, text in enumerate(items, start=1)]))
    story.append(para("（以下无正文）", "muted"))
    story.append(CondPageBreak(50 * mm))

    def signature(role: str, name: str) -> list:
        return [para(role, "bold"), Spacer(0, 2 * mm), para(f"单位名称：{name}"), Spacer(0, 10 * mm),
                para("委托代理人（签字）：________________", "small"), Spacer(0, 3 * mm),
                para("日期：________ 年 ____ 月 ____ 日", "small")]

    story.append(KeepTogether([Spacer(0, 5 * mm), boxed([
        signature("甲方（盖章）", str(buyer["name_zh"])),
        signature("乙方（盖章）", supplier.name_zh or supplier.name_en),
    ], [half, half])]))
    frame = PageFrame(running_header=f"采购合同 {po.number}（续）", footer=f"{buyer['name_zh']} · 采购合同 {po.number}",
                      page_label=lambda n, count: f"第 {n} 页 共 {count} 页")
    return build_pdf(story, frame=frame, title=f"采购合同 {po.number}", author=str(buyer["name_zh"]),
                     subject=f"采购 {supplier.code}", lang="zh")
