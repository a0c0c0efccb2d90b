"""The production instruction (生产指令) PDF, in Chinese, on the documents' A4 frame with the
embedded CJK font (``gendan.documents.pdf.layout``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from gendan.documents.pdf.company import company
from gendan.documents.pdf.layout import (
    CONTENT_WIDTH,
    RULE,
    SHADE,
    PageFrame,
    build_pdf,
    key_value_table,
    para,
    table_style,
)
from gendan.planning.models import ProductionInstruction

TITLES = {ProductionInstruction.Kind.SEMI_FINISHED: "半成品生产指令", ProductionInstruction.Kind.FINISHED: "成品生产指令"}


def render_instruction(instruction: ProductionInstruction) -> bytes:
    """Return the PDF of ``instruction`` (its stored content snapshot)."""
    seller = company()
    title = TITLES[instruction.kind]
    week_end = instruction.week_start + dt.timedelta(days=6)
    story: list = [para(title, "title_center"), key_value_table([
        ("指令编号", para(instruction.number, "bold")),
        ("车间 / 工厂", f"{instruction.workshop.code} {instruction.workshop.name_zh or instruction.workshop.display_name}"),
        ("计划周", f"{instruction.week_start:%Y-%m-%d} 至 {week_end:%Y-%m-%d}"),
        ("生成时间", f"{timezone.localtime(instruction.updated_at):%Y-%m-%d %H:%M}" if instruction.updated_at else ""),
    ], width=CONTENT_WIDTH, label_width=60), Spacer(0, 4 * mm)]
    if not instruction.content:
        story.append(para("本周无排产。"))
    stage_head = "待完成工序（已完成累计）" if instruction.kind == ProductionInstruction.Kind.SEMI_FINISHED \
        else "成品（已包装累计）"
    for block in instruction.content:
        head = para(f"生产单 {block['production_order']} · 订单 {block['sales_order']} · 客户订单号 "
                    f"{block['customer_po']} · 产线 {block['work_line']} · {block['start']} 至 {block['end']} · "
                    f"排产数量 {block['quantity']} · 出厂日期 {block['ex_factory'] or '—'}", "bold")
        rows = [[para("行", "th"), para("品名 / 规格", "th"), para("数量", "th_right"), para("单位", "th"),
                 para(stage_head, "th")]]
        for item in block["items"]:
            stages = "　".join(f"{s['name']}（{s['done']}）" for s in item["stages"]) or "—"
            rows.append([para(item["line_no"], "cell"), para(item["description"], "cell"),
                         para(item["quantity"], "cell_right"), para(item["unit"], "cell"), para(stages, "cell")])
        table = Table(rows, colWidths=[10 * mm, 70 * mm, 20 * mm, 14 * mm, CONTENT_WIDTH - 114 * mm], repeatRows=1)
        table.setStyle(table_style([
            ("GRID", (0, 0), (-1, -1), 0.5, RULE), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(KeepTogether([head, Spacer(0, 1.5 * mm), table, Spacer(0, 4 * mm)]))
    story += [Spacer(0, 6 * mm), para("请车间按本指令安排生产，每日报送《每日生产进度表》；如有异常，当日报生产计划。"),
              Spacer(0, 10 * mm), para("生产计划：＿＿＿＿＿＿　　车间主管签收：＿＿＿＿＿＿　　日期：＿＿＿＿＿＿")]
    frame = PageFrame(running_header=f"{title} {instruction.number}（续）",
                      footer=f"{seller['name_zh']} · {title} {instruction.number}",
                      page_label=lambda n, count: f"第 {n} 页 共 {count} 页")
    return build_pdf(story, frame=frame, title=f"{title} {instruction.number}", author=str(seller["name_zh"]),
                     subject=f"{instruction.workshop.code} {instruction.week_start}", lang="zh")
