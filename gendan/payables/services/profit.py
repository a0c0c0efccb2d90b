"""The profit of each order: the estimate frozen at confirmation (re-estimated when a change
order is applied) and the costs that come from no supplier invoice (commissions, bank charges,
freight, other — ``OrderCost``). The actual profit is read by ``selectors.profit``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import FieldErrors
from gendan.core.guards import collect_past_date, id_or_zero, require
from gendan.core.models import Currency
from gendan.core.money import MoneyError, check_precision, to_decimal
from gendan.payables.errors import RebateError
from gendan.payables.events_rebates import OrderCostAdded, ProfitEstimated
from gendan.payables.models import OrderCost, ProfitEstimate
from gendan.payables.selectors.profit import SIGN, RateBook, estimate_breakdown, estimate_facts
from gendan.sales.models import SalesOrder
from gendan.sales.services.orders import lock_order

ADD_COST = "payables.add_ordercost"
MAX_COST = Decimal("1000000000000")


def profit_estimate(order: SalesOrder, *, actor=None, book: RateBook | None = None) -> ProfitEstimate:
    """Write (or rewrite) the order's estimate from what is known now. Called inside the
    confirmation's (the change order's) transaction; never refuses — a missing rate or cost is
    flagged in the breakdown, so confirming an order never fails because of the profit.
    What the order has is checked first (``estimate_facts``, one query): a just-confirmed order
    has no production order, cost or estimate yet, and nothing of them is read or looked up."""
    facts = estimate_facts(order)
    breakdown = estimate_breakdown(order, book=book, facts=facts)
    lines = {key: Decimal(value) for key, value in breakdown["lines"].items()}
    costs = sum((v for k, v in lines.items() if SIGN[k] < 0), Decimal(0))
    values = {"exchange_rate": Decimal(breakdown["rate"] or "0"), "selling_cny": lines["selling"],
              "cost_cny": costs, "rebate_cny": lines["rebate"],
              "profit_cny": lines["selling"] - costs + lines["rebate"], "breakdown": breakdown,
              "estimated_at": timezone.now()}
    if facts.estimated:
        estimate, _created = ProfitEstimate.objects.update_or_create(order=order, defaults=values)
    else:  # the order is locked by its confirmation (change order): no other estimate can appear
        estimate = ProfitEstimate.objects.create(order=order, **values)
    publish(ProfitEstimated(actor=actor, order=order, estimate=estimate))
    return estimate


def order_cost_add(*, actor: User, order_id: Any, kind: Any, currency: Any, amount: Any, incurred_on: Any,
                   note: Any = "") -> OrderCost:
    """Add a commission, bank charge, freight or other cost to the order (finance, manager)."""
    require(actor, ADD_COST)
    errors = FieldErrors()
    kind = str(kind or "")
    if kind not in OrderCost.Kind.values:
        errors.add("kind", _("Choose the kind of cost (%(kinds)s).") % {"kinds": ", ".join(OrderCost.Kind.values)},
                   RebateError.ORDER_COST_INVALID)
    code = str(currency or "").strip().upper()[:3]
    if not Currency.objects.filter(code=code).exists():
        errors.add("currency", _("“%(value)s” is not a currency Gendan knows.") % {"value": str(currency)[:10]},
                   RebateError.ORDER_COST_INVALID)
        code = ""
    value = None
    try:
        value = check_precision(to_decimal(amount), code or "CNY")
        if value <= 0:
            errors.add("amount", _("The amount must be greater than zero."), RebateError.ORDER_COST_INVALID)
        elif value >= MAX_COST:
            errors.add("amount", _("The amount is too large."), RebateError.ORDER_COST_INVALID)
    except MoneyError as exc:
        errors.add("amount", str(exc), RebateError.ORDER_COST_INVALID)
    day = collect_past_date(incurred_on, field="incurred_on", errors=errors, required=True)
    text = str(note or "").strip()
    if len(text) > 300:
        errors.add("note", _("The note is too long (at most %(n)d characters).") % {"n": 300},
                   RebateError.ORDER_COST_INVALID)
    if code and day and not errors:
        if RateBook().rate(code, day) is None:
            errors.add("currency", _("No exchange rate is booked for %(currency)s on %(day)s: finance books it "
                                     "first.") % {"currency": code, "day": day.isoformat()},
                       RebateError.NO_EXCHANGE_RATE)
    errors.raise_any()
    with transaction.atomic():
        order = lock_order(actor, id_or_zero(order_id))
        cost = OrderCost.objects.create(order=order, kind=kind, currency_id=code, amount=value, incurred_on=day,
                                        note=text, recorded_by=actor, recorded_at=timezone.now())
        publish(OrderCostAdded(actor=actor, order=order, cost=cost))
    return cost
