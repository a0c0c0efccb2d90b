"""Demo dunning and credit: the default dunning levels (from the migration), credit limits on a
few customers (one of them tight, so a new order of theirs needs a manager's approval), one
dunning run through the service — the reminders it records and the board tasks of level 2 and up
— and one customer on credit hold (the run's last level, or finance's hold when no customer is
that late). Small on purpose: one reminder per overdue customer, one board row per customer."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from django.db import models
from django.utils import timezone

from gendan.core.money import round_money
from gendan.finance.models import PaymentPlanItem
from gendan.parties.models import Customer
from gendan.receivables.models import CustomerCredit, DunningNotice, DunningRun
from gendan.receivables.services.credit import (
    credit_hold_lift,
    credit_hold_put,
    credit_limit_set,
    live_orders_q,
)
from gendan.receivables.services.disputes import dispute_open
from gendan.receivables.services.dunning import dunning_run
from gendan.sales.models import SalesOrder

LIMITS = 4  # customers with a limit
HELD = 2  # customers left on credit hold


def _rounded_up(amount: Decimal, step: Decimal = Decimal("10000")) -> Decimal:
    return (amount / step).to_integral_value(rounding=ROUND_CEILING) * step


def seed(ctx) -> None:
    finance = ctx.users.get("finance") or ctx.users.get("admin")
    if finance is None or DunningRun.objects.exists():
        return
    today = timezone.localdate()
    customers = list(Customer.objects.filter(orders__in=SalesOrder.objects.filter(live_orders_q()))
                     .distinct().order_by("code")[:LIMITS])
    for n, customer in enumerate(customers):
        open_total = sum((o.total_amount - o.received_amount for o in SalesOrder.objects.filter(
            live_orders_q(), customer=customer, currency_id=customer.default_currency_id)), Decimal("0"))
        # the last one tight (its open orders alone nearly fill it), the others with room
        limit = _rounded_up(open_total * (Decimal("1.05") if n == len(customers) - 1 else Decimal("1.8")))
        credit_limit_set(actor=finance, customer_id=customer.pk, credit_limit=max(limit, Decimal("10000")),
                         currency=customer.default_currency_id, reason="年度授信额度 annual credit line")
    disputes = _disputes(finance)
    run = dunning_run(today, actor=finance)
    if not CustomerCredit.objects.filter(on_hold=True).exists():
        late = (DunningNotice.objects.filter(run=run).order_by("-days_overdue", "customer_id")
                .values_list("customer_id", flat=True).first())
        if late is not None:
            credit_hold_put(actor=finance, customer_id=late, reason="多次催款未回复，暂停放单 — no answer to our reminders")
    # A company does not stop a third of its customers: after the run finance rings the late
    # payers and agrees a payment plan with all but the two worst, and lifts their hold.
    worst = set(DunningNotice.objects.filter(run=run).order_by("-days_overdue", "customer_id")
                .values_list("customer_id", flat=True)[:HELD]) if run else set()
    for customer_id in (CustomerCredit.objects.filter(on_hold=True).exclude(customer_id__in=worst)
                        .values_list("customer_id", flat=True)):
        credit_hold_lift(actor=finance, customer_id=customer_id,
                         reason="已电话确认付款计划，恢复放单 — payment plan agreed on the phone")
    held = CustomerCredit.objects.filter(on_hold=True).count()
    ctx.say(f"Dunning: {run.notices_count if run else 0} reminder(s), {held} customer(s) on credit hold, "
            f"{len(customers)} credit limit(s), {disputes} dispute(s).")


DISPUTES = [("客户称3箱外箱压损，要求扣款待索赔结果 / Buyer claims 3 cartons crushed; deducts until the survey", Decimal("0.06")),
            ("客户对单价有异议（报价单与合同不一致）/ Buyer disputes the unit price of one line", Decimal("0.1"))]


def _disputes(finance) -> int:
    """One or two customers dispute part of a shipped order's balance (the aging's "in dispute"
    column): the dunning run leaves that part out."""
    items = list(PaymentPlanItem.objects.filter(live_orders_q("order__"), kind="balance",
                                                order__status=SalesOrder.Status.SHIPPED)
                 .exclude(received_amount__gte=models.F("amount")).select_related("order")
                 .order_by("-order__confirmed_at", "pk")[:len(DISPUTES)])
    for item, (reason, share) in zip(items, DISPUTES, strict=False):
        amount = round_money((item.amount - item.received_amount) * share, item.order.currency_id)
        if amount > 0:
            dispute_open(actor=finance, plan_item_id=item.pk, amount=amount, reason=reason)
    return len(items)
