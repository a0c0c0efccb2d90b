"""Blocks every Chinese contract shares — the sales contract (购销合同), the production order
to a workshop or factory and the purchase contract: the line table's labels and units, and
amounts in words (大写金额) and in figures."""

from __future__ import annotations

from gendan.core.money import amount_in_chinese_capitals, currency_info
from gendan.documents.pdf.layout import LineLabels, fmt_amount

UNITS_ZH = {"pcs": "件", "set": "套", "pair": "双", "kg": "千克", "m": "米", "roll": "卷", "ctn": "箱", "box": "盒"}
LABELS = LineLabels(no="序号", item_no="货号", description="产品名称及规格", quantity="数量", unit="单位",
                    unit_price="单价", amount="金额", total="合计", colour_size="颜色 / 尺码", units=UNITS_ZH)


def amount_in_capitals(amount, currency: str) -> str:
    """大写金额: ``人民币壹仟肆佰零玖元伍角``; another currency is named in place of 人民币."""
    text = amount_in_chinese_capitals(amount)
    if currency != "CNY":
        text = currency_info(currency).name_zh + text.removeprefix("人民币")
    return text


def money_zh(amount, currency: str) -> str:
    sign = "¥" if currency == "CNY" else f"{currency} "
    return f"{sign}{fmt_amount(amount, currency)}"
