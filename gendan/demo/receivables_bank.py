"""Demo bank statement: one CSV export of the USD account (as 中国银行 exports it, in GBK with
title rows) imported through the service, a few weeks old lines matched to real open
instalments of the demo orders — one confirmed (a receipt recorded and allocated), one set
aside, the others still open with their proposals for finance to decide. Small on purpose.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from gendan.core.errors import BusinessError
from gendan.finance.models import PaymentPlanItem
from gendan.receivables.models import BankStatement
from gendan.receivables.selectors.bank import PAYABLE_STATES, line_proposals
from gendan.receivables.services.bank import bank_line_confirm, bank_line_set_aside, bank_statement_import

CURRENCY = "USD"


def _open_items(limit: int) -> list[PaymentPlanItem]:
    """Open instalments of different customers, the deposits of confirmed orders not paid at all
    first: the line finance confirms pays half of one of those, so the demo's story (an order
    waiting for its deposit gets the first half) is the same whatever the seed, and no order
    completes by chance."""
    seen, items = set(), []
    candidates = (PaymentPlanItem.objects.filter(order__currency_id=CURRENCY, order__status__in=PAYABLE_STATES,
                                                 amount__gt=F("received_amount"))
                  .select_related("order", "order__customer"))
    first = candidates.filter(kind=PaymentPlanItem.Kind.DEPOSIT, received_amount=0, order__status="confirmed")
    for item in [*first.order_by("due_date", "pk")[:50], *candidates.order_by("due_date", "pk")[:200]]:
        if item.order.customer_id in seen:
            continue
        seen.add(item.order.customer_id)
        items.append(item)
        if len(items) == limit:
            break
    return items


def seed(ctx) -> None:
    finance = ctx.users.get("finance") or ctx.users.get("admin")
    if finance is None or BankStatement.objects.exists():
        return
    items = _open_items(3)
    if len(items) < 2:
        return
    today = timezone.localdate()
    day = [today - dt.timedelta(days=n) for n in (6, 5, 4, 3, 2)]
    rows = []
    exact, charged = items[0], items[1]
    # the first half of a deposit: the order stays waiting for the rest (its rule holds it back)
    half = (exact.open_amount / 2).quantize(Decimal("0.01")) if exact.kind == exact.Kind.DEPOSIT else exact.open_amount
    rows.append((day[0], f"BOC{day[0]:%y%m%d}000118", "", half, exact.order.customer.name_en
                 or exact.order.customer.display_name, f"PAYMENT {exact.order.customer_po_no} {exact.get_kind_display()}"))
    rows.append((day[1], f"BOC{day[1]:%y%m%d}000207", Decimal("1200.00"), "", "宁波海运代理有限公司", "海运费"))
    rows.append((day[2], f"BOC{day[2]:%y%m%d}000542", "", charged.open_amount - Decimal("25.00"),
                 (charged.order.customer.name_en or charged.order.customer.display_name).upper(),
                 f"INV {charged.order.number.replace('-', '')}"))
    if len(items) > 2:
        third = items[2]
        rows.append((day[3], f"BOC{day[3]:%y%m%d}000611", "", third.open_amount,
                     third.order.customer.name_en or third.order.customer.display_name, "T/T"))
    rows.append((day[4], f"BOC{day[4]:%y%m%d}000777", "", Decimal("3.18"), "中国银行", "结息 interest"))
    text = ["中国银行股份有限公司 账户交易明细", "账号:,4563 7788 9900 1234", "币种:,美元",
            f"查询期间:,{day[0]:%Y-%m-%d} 至 {today:%Y-%m-%d}", "",
            "交易日期,交易流水号,借方金额,贷方金额,对方户名,摘要,币种"]
    for value_date, ref, debit, credit, payer, remittance in rows:
        text.append(f'{value_date:%Y-%m-%d},{ref},{debit},{credit},"{payer}",{remittance},美元')
    data = ("\r\n".join(text) + "\r\n").encode("gb18030")
    try:
        result = bank_statement_import(actor=finance, upload=SimpleUploadedFile(
            f"中行美元户流水-{today:%Y%m}", data), currency=CURRENCY)
    except BusinessError as exc:  # the demo's own data is wrong: say it, do not stop the seed
        ctx.say(f"  bank statement not imported: {exc.message}")
        return
    statement = result.statement
    lines = list(statement.lines.order_by("line_no"))
    proposals = line_proposals(lines, user=finance, currency=CURRENCY)
    first = proposals[lines[0].pk]
    if first.customer is not None and first.allocations:
        bank_line_confirm(actor=finance, line_id=lines[0].pk, customer_id=first.customer.pk,
                          bank_charges=first.bank_charges,
                          allocations=[{"order_id": a.order.pk, "amount": a.amount} for a in first.allocations])
    bank_line_set_aside(actor=finance, line_id=lines[-1].pk, note="结息，非客户付款")
    ctx.say(f"  bank statement {statement.filename}: {statement.lines_count} credit lines, 1 confirmed, 1 set aside")
