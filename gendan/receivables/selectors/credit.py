"""Reads of the credit part: a customer's credit page (limit, hold, level, reminders, disputes,
open receivables) and the order page's credit panel — each in a bounded number of queries."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from gendan.accounts.models import User
from gendan.core.money import round_money
from gendan.finance.models import ExchangeRate, PaymentPlanItem
from gendan.finance.rates import BASE
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_scope
from gendan.receivables.models import CreditLimitApproval, CustomerCredit, Dispute, DunningNotice
from gendan.receivables.services.credit import live_orders_q
from gendan.sales.models import SalesOrder

VIEW = "receivables.view_customercredit"
DEC = DecimalField(max_digits=18, decimal_places=2)


def credit_or_blank(customer: Customer) -> CustomerCredit:
    """The customer's credit row, or an unsaved blank one (no limit, not on hold, level 0)."""
    credit = CustomerCredit.objects.select_related("lifted_by", "limit_currency").filter(
        customer_id=customer.pk).first()
    return credit or CustomerCredit(customer=customer)


def open_receivables(customer_id: int) -> dict[str, dict[str, Decimal]]:
    """Per currency: open instalments of the customer's confirmed orders, overdue part, in dispute."""
    today = timezone.localdate()
    rows = (PaymentPlanItem.objects.filter(live_orders_q("order__"), order__customer_id=customer_id)
            .values("order__currency_id")
            .annotate(open=Sum(Greatest(F("amount") - F("received_amount"), Value(Decimal("0")), output_field=DEC)),
                      ))
    result: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"open": Decimal("0"), "overdue": Decimal("0"),
                                                                 "disputed": Decimal("0")})
    for row in rows:
        result[row["order__currency_id"]]["open"] += row["open"] or Decimal("0")
    overdue = (PaymentPlanItem.objects.filter(live_orders_q("order__"), order__customer_id=customer_id,
                                              due_date__lt=today, amount__gt=F("received_amount"))
               .values("order__currency_id")
               .annotate(s=Sum(F("amount") - F("received_amount"), output_field=DEC)))
    for row in overdue:
        result[row["order__currency_id"]]["overdue"] += row["s"] or Decimal("0")
    disputed = (Dispute.objects.filter(plan_item__order__customer_id=customer_id, settled_at__isnull=True)
                .values("plan_item__order__currency_id").annotate(s=Sum("amount")))
    for row in disputed:
        result[row["plan_item__order__currency_id"]]["disputed"] += row["s"] or Decimal("0")
    return {cur: values for cur, values in sorted(result.items()) if any(values.values())}


def open_instalments(customer_id: int, *, limit: int = 50):
    """The customer's instalments with an open amount (to open a dispute on), oldest due first."""
    disputed = Coalesce(Sum("disputes__amount", filter=models_q_open()), Value(Decimal("0")), output_field=DEC)
    return (PaymentPlanItem.objects.filter(live_orders_q("order__"), order__customer_id=customer_id,
                                           amount__gt=F("received_amount"))
            .select_related("order").annotate(disputed=disputed)
            .order_by(F("due_date").asc(nulls_last=True), "id")[:limit])


def models_q_open():
    return Q(disputes__settled_at__isnull=True)


def customer_disputes(customer_id: int, *, limit: int = 50):
    return (Dispute.objects.filter(plan_item__order__customer_id=customer_id)
            .select_related("plan_item", "plan_item__order", "opened_by", "settled_by")
            .order_by(F("settled_at").desc(nulls_first=True), "-opened_at")[:limit])


def customer_notices(customer_id: int, *, limit: int = 20):
    return DunningNotice.objects.filter(customer_id=customer_id).select_related("run").order_by("-id")[:limit]


def dispute_list(*, user: User, customer_id: int | None = None, open_only: bool = False):
    """Disputes on the instalments of the customers the user sees, newest first."""
    qs = (Dispute.objects.filter(plan_item__order__customer__in=Customer.objects.filter(
        customer_scope(user)).values("pk"))
          .select_related("plan_item__order", "opened_by", "settled_by").order_by("-opened_at", "-id"))
    if customer_id is not None:
        qs = qs.filter(plan_item__order__customer_id=customer_id)
    if open_only:
        qs = qs.filter(settled_at__isnull=True)
    return qs


def order_approvals(order_id: int):
    return CreditLimitApproval.objects.filter(order_id=order_id).select_related("approved_by", "currency")


def credit_customers(*, user: User, on_hold: bool | None = None, level: int | None = None):
    """Customers the user may see that have a credit row worth listing (limit, hold or level)."""
    qs = (CustomerCredit.objects.filter(customer__in=Customer.objects.filter(customer_scope(user)).values("pk"))
          .select_related("customer", "limit_currency").order_by("-on_hold", "-dunning_level", "customer__code"))
    if on_hold is not None:
        qs = qs.filter(on_hold=on_hold)
    if level is not None:
        qs = qs.filter(dunning_level__gte=level)
    return qs


# --- the credit list (core.listing) ----------------------------------------------------------------

RATE_FIELD = DecimalField(max_digits=18, decimal_places=8)
CNY_FIELD = DecimalField(max_digits=28, decimal_places=8)


def _cny_per_unit(currency_field: str, today) -> Case:
    """CNY per one unit of the currency in ``currency_field`` (of the outer row) on ``today``:
    1 for CNY, the latest booked rate otherwise (NULL without one), as ``finance.rates.rate_on``."""
    latest = (ExchangeRate.objects.filter(currency_id=OuterRef(currency_field), valid_from__lte=today)
              .order_by("-valid_from").values("cny_per_unit")[:1])
    return Case(When(**{currency_field: BASE}, then=Value(Decimal("1"))), default=Subquery(latest),
                output_field=RATE_FIELD)


def credit_list(*, user: User, filters: dict | None = None, today=None) -> QuerySet[CustomerCredit]:
    """The credit list's rows: the customers the user may see with a limit, a hold or a dunning
    level, each with ``exposure_cny`` — what its live orders (confirmed, not completed, closed or
    cancelled) have not yet received, in CNY at today's booked rates (an order in a currency
    without a rate counts nothing, as on the order's credit panel) — and ``limit_cny``, the limit in
    CNY (``limit_rate``: CNY per unit of the limit's currency). They are subqueries of the row, so a page reads its rows in one query.

    ``filters``: ``show`` ("hold", "dunned", "limit", "" = any of the three), ``over_limit``,
    ``level`` (at least), ``currency`` (the limit's)."""
    today = today or timezone.localdate()
    f = filters or {}
    open_cny = (SalesOrder.objects.filter(live_orders_q(), customer_id=OuterRef("customer_id")).order_by()
                .values("customer_id")
                .annotate(s=Sum(Greatest(F("total_amount") - F("received_amount"), Value(Decimal("0")),
                                         output_field=DEC) * _cny_per_unit("currency_id", today),
                                output_field=CNY_FIELD))
                .values("s"))
    qs = (CustomerCredit.objects.filter(customer__in=Customer.objects.filter(customer_scope(user)).values("pk"))
          .select_related("customer", "customer__merchandiser", "limit_currency")
          .annotate(exposure_cny=Coalesce(Subquery(open_cny, output_field=CNY_FIELD), Value(Decimal("0")),
                                          output_field=CNY_FIELD),
                    limit_rate=_cny_per_unit("limit_currency_id", today))
          .annotate(limit_cny=F("credit_limit") * F("limit_rate")))
    show = f.get("show") or ""
    if show == "hold":
        qs = qs.filter(on_hold=True)
    elif show == "dunned":
        qs = qs.filter(dunning_level__gt=0)
    elif show == "limit":
        qs = qs.filter(credit_limit__isnull=False)
    else:
        qs = qs.filter(Q(on_hold=True) | Q(dunning_level__gt=0) | Q(credit_limit__isnull=False))
    if f.get("over_limit"):
        qs = qs.filter(credit_limit__isnull=False, limit_cny__isnull=False, exposure_cny__gt=F("limit_cny"))
    if f.get("level"):
        qs = qs.filter(dunning_level__gte=int(f["level"]))
    if f.get("currency"):
        qs = qs.filter(limit_currency_id=str(f["currency"]).upper()[:3])
    return qs.order_by("-on_hold", "-dunning_level", "customer__code")


def credit_exposure(row: CustomerCredit) -> Decimal | None:
    """A row of ``credit_list``: its exposure in the limit's currency (``None`` without a limit or
    without a booked rate for the limit's currency)."""
    rate = getattr(row, "limit_rate", None)
    if row.credit_limit is None or not row.limit_currency_id or not rate:
        return None
    return round_money(Decimal(row.exposure_cny) / Decimal(rate), row.limit_currency_id)


def credit_over_limit(row: CustomerCredit) -> bool:
    """A row of ``credit_list``: is what its open orders have not received above its limit?"""
    limit_cny = getattr(row, "limit_cny", None)
    return limit_cny is not None and Decimal(row.exposure_cny) > Decimal(limit_cny)
