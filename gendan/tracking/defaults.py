"""The templates Gendan ships: an export order (``reference/DOMAIN.md`` §6) and a domestic
order. Created after migrate when missing; never overwritten, so a company's edits stay.

Each step: (key, 中文, English, owner role, anchor, offset, day kind, after, completed by, required).
X is the ex-factory date; offsets before it are negative (the plan is scheduled backwards).
"""

from __future__ import annotations

from django.db import transaction

from gendan.accounts.roles import Role
from gendan.tracking.keys import Milestone as K
from gendan.tracking.models import MilestoneTemplate, TemplateStep

M, F, P, PU, Q, S = (Role.MERCHANDISER, Role.FINANCE, Role.PRODUCTION_PLANNER, Role.PURCHASING, Role.QC,
                     Role.SALES)
W, C = "working", "calendar"

EXPORT_STEPS = [
    (K.PO_RECEIVED, "收到订单/确认", "PO received / confirmed", M, "order_date", 0, C, "", K.PO_RECEIVED, True),
    (K.PI_CONFIRMED, "PI/合同确认", "PI / contract confirmed", M, "previous", 2, W, K.PO_RECEIVED,
     K.PI_CONFIRMED, True),
    (K.DEPOSIT_RECEIVED, "收到定金", "Deposit received", F, "previous", 7, C, K.PI_CONFIRMED,
     K.DEPOSIT_RECEIVED, True),
    (K.PRODUCTION_RELEASED, "下生产单", "Production order issued", M, "previous", 1, W, K.DEPOSIT_RECEIVED,
     K.PRODUCTION_RELEASED, True),
    (K.BOM_CONFIRMED, "BOM确认", "BOM confirmed", P, "previous", 2, W, K.PRODUCTION_RELEASED, K.BOM_CONFIRMED,
     True),
    # "出BOM后3天内到仓库处核对所有物料的到料时间" (seed 001, 第五篇 三): three days after the BOM.
    (K.MATERIAL_ETAS_CONFIRMED, "物料交期确认", "Material ETAs confirmed", PU, "previous", 3, W, K.BOM_CONFIRMED,
     K.MATERIAL_ETAS_CONFIRMED, True),
    (K.MATERIALS_IN, "物料到齐", "Materials in house", PU, "ex_factory", -33, C, K.MATERIAL_ETAS_CONFIRMED,
     K.MATERIALS_IN, True),
    (K.PP_SAMPLE_APPROVED, "产前样确认", "PP sample approved", Q, "ex_factory", -30, C, K.MATERIALS_IN,
     K.PP_SAMPLE_APPROVED, True),
    (K.FIRST_ARTICLE_APPROVED, "首件确认", "First article approved", Q, "ex_factory", -27, C,
     K.PP_SAMPLE_APPROVED, K.FIRST_ARTICLE_APPROVED, False),
    (K.PRODUCTION_STARTED, "开始生产", "Production start", P, "ex_factory", -26, C, K.FIRST_ARTICLE_APPROVED,
     K.PRODUCTION_STARTED, True),
    (K.INLINE_INSPECTION, "中期检验", "Inline inspection", Q, "ex_factory", -15, C, K.PRODUCTION_STARTED,
     K.INLINE_INSPECTION, False),
    (K.PRODUCTION_FINISHED, "生产完成", "Production finished", P, "ex_factory", -2, C, K.INLINE_INSPECTION,
     K.PRODUCTION_FINISHED, True),
    (K.FINAL_INSPECTION, "终期检验", "Final inspection", Q, "ex_factory", -1, C, K.PRODUCTION_FINISHED,
     K.FINAL_INSPECTION, True),
    (K.BOOKING, "订舱", "Booking", M, "ex_factory", -7, C, K.PRODUCTION_STARTED, K.BOOKING, True),
    (K.EX_FACTORY, "出厂", "Ex-factory", M, "ex_factory", 0, C, K.FINAL_INSPECTION, K.EX_FACTORY, True),
    (K.ETD, "开船 (ETD)", "ETD / on board", M, "etd", 0, C, K.EX_FACTORY, K.ETD, True),
    (K.SHIPPING_ADVICE, "发装船通知", "Shipping advice sent", M, "etd", 1, W, K.ETD, K.SHIPPING_ADVICE, True),
    (K.DOCUMENTS_SENT, "寄单", "Documents sent", M, "etd", 7, C, K.SHIPPING_ADVICE, K.DOCUMENTS_SENT, True),
    (K.BALANCE_RECEIVED, "收到尾款", "Balance received", F, "etd", 14, C, K.DOCUMENTS_SENT, K.BALANCE_RECEIVED,
     True),
    (K.QUALITY_CHECK_IN, "到货质量回访", "Quality check-in with customer", M, "eta", 7, C, K.ETD, "", True),
    (K.REORDER_CHECK_IN, "返单回访", "Re-order check-in", S, "eta", 21, C, K.QUALITY_CHECK_IN, "", False),
]

DOMESTIC_STEPS = [
    (K.PO_RECEIVED, "收到订单/确认", "PO received / confirmed", M, "order_date", 0, C, "", K.PO_RECEIVED, True),
    (K.PI_CONFIRMED, "合同确认", "Contract confirmed", M, "previous", 2, W, K.PO_RECEIVED, K.PI_CONFIRMED, True),
    (K.DEPOSIT_RECEIVED, "收到定金", "Deposit received", F, "previous", 5, C, K.PI_CONFIRMED,
     K.DEPOSIT_RECEIVED, False),
    (K.PRODUCTION_RELEASED, "下生产单", "Production order issued", M, "previous", 1, W, K.DEPOSIT_RECEIVED,
     K.PRODUCTION_RELEASED, True),
    (K.MATERIALS_IN, "物料到齐", "Materials in house", PU, "ex_factory", -20, C, K.PRODUCTION_RELEASED,
     K.MATERIALS_IN, True),
    (K.PRODUCTION_STARTED, "开始生产", "Production start", P, "ex_factory", -15, C, K.MATERIALS_IN,
     K.PRODUCTION_STARTED, True),
    (K.PRODUCTION_FINISHED, "生产完成", "Production finished", P, "ex_factory", -2, C, K.PRODUCTION_STARTED,
     K.PRODUCTION_FINISHED, True),
    (K.FINAL_INSPECTION, "出货检验", "Final inspection", Q, "ex_factory", -1, C, K.PRODUCTION_FINISHED,
     K.FINAL_INSPECTION, True),
    (K.EX_FACTORY, "发货", "Dispatched", M, "ex_factory", 0, C, K.FINAL_INSPECTION, K.ETD, True),
    (K.BALANCE_RECEIVED, "收到货款", "Payment received", F, "delivery", 30, C, K.EX_FACTORY,
     K.BALANCE_RECEIVED, True),
    (K.QUALITY_CHECK_IN, "到货质量回访", "Quality check-in with customer", M, "delivery", 7, C, K.EX_FACTORY, "",
     True),
    (K.REORDER_CHECK_IN, "返单回访", "Re-order check-in", S, "delivery", 21, C, K.QUALITY_CHECK_IN, "", False),
]

DEFAULT_TEMPLATES = [
    ("export", "出口订单 (默认) / Export order (default)", EXPORT_STEPS),
    ("domestic", "内销订单 (默认) / Domestic order (default)", DOMESTIC_STEPS),
]


def templates_sync(**kwargs) -> None:
    """Create the shipped default templates when no default of that kind exists (post_migrate)."""
    for kind, name, steps in DEFAULT_TEMPLATES:
        if MilestoneTemplate.objects.filter(kind=kind, is_default=True).exists():
            continue
        with transaction.atomic():
            template = MilestoneTemplate.objects.create(name=name, kind=kind, is_default=True)
            TemplateStep.objects.bulk_create([
                TemplateStep(template=template, sequence=(i + 1) * 10, key=key, name_zh=zh, name_en=en,
                             owner_role=role, anchor=anchor, offset_days=offset, day_kind=day_kind,
                             predecessor_key=after, completes_on=completes, required=required)
                for i, (key, zh, en, role, anchor, offset, day_kind, after, completes, required) in enumerate(steps)
            ])
