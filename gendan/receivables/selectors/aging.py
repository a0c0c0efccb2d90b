"""Aging of receivables by due date (账龄): what is open on each instalment, in the buckets
finance chose (``AgingPolicy``), grouped by customer, salesperson, merchandiser, region or
currency — always per currency too, since amounts in different currencies are never added.

One aggregate query does the work (GROUP BY the group and the currency, one
``SUM(CASE WHEN due_date … THEN amount - received_amount END)`` per bucket), and one more the
same for the open disputes, which are shown apart and never counted in a bucket. No query per
customer, whatever the number of orders. The totals per currency are the sums of the rows; the
CNY equivalent converts them at the rate booked for the day of the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, DecimalField, ExpressionWrapper, F, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import ALL_CUSTOMERS_ROLES
from gendan.finance.models import PaymentPlanItem
from gendan.finance.rates import RateBook
from gendan.parties.selectors import customer_queryset
from gendan.receivables.models import AgingPolicy, Dispute
from gendan.receivables.models.ledger import DEFAULT_BOUNDS
from gendan.receivables.selectors.ledger import NOT_OWED, VIEW

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=18, decimal_places=2)

# group key → (label, the order fields it groups by; the first is the key, the rest its label)
GROUPS = {
    "customer": (gettext_lazy("customer"), ("order__customer_id", "order__customer__code",
                                            "order__customer__name_zh", "order__customer__name_en")),
    "salesperson": (gettext_lazy("salesperson"), ("order__salesperson_id", "order__salesperson__username",
                                                  "order__salesperson__full_name")),
    "merchandiser": (gettext_lazy("merchandiser"), ("order__merchandiser_id", "order__merchandiser__username",
                                                    "order__merchandiser__full_name")),
    "region": (gettext_lazy("region"), ("order__customer__region_id", "order__customer__region__name_zh",
                                        "order__customer__region__name_en")),
    "currency": (gettext_lazy("currency"), ()),
}


def current_bounds() -> tuple[int, ...]:
    """The policy's bucket limits (the default ones before finance set any)."""
    text = AgingPolicy.objects.order_by("pk").values_list("bounds", flat=True).first() or DEFAULT_BOUNDS
    try:
        values = tuple(int(p) for p in text.split(","))
    except ValueError:
        values = tuple(int(p) for p in DEFAULT_BOUNDS.split(","))
    return values


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    low: int | None  # days overdue, inclusive (None: not due)
    high: int | None  # inclusive (None: no upper limit)


def buckets_for(bounds: tuple[int, ...]) -> list[Bucket]:
    """not due / 1–30 / 31–60 / 61–90 / > 90 for (30, 60, 90)."""
    result = [Bucket("b0", _("not due"), None, 0)]
    low = 1
    for index, high in enumerate(bounds, start=1):
        result.append(Bucket(f"b{index}", f"{low}–{high}", low, high))
        low = high + 1
    result.append(Bucket(f"b{len(bounds) + 1}", f"> {bounds[-1]}" if bounds else _("overdue"), low, None))
    return result


def bucket_of(days_overdue: int, buckets: list[Bucket]) -> Bucket:
    for bucket in buckets:
        if bucket.high is None or days_overdue <= bucket.high:
            return bucket
    return buckets[-1]


def _when(bucket: Bucket, as_of: dt.date, prefix: str = "") -> Q:
    due = f"{prefix}due_date"
    if bucket.low is None:  # not due: no due date yet, or due today or later
        return Q(**{f"{due}__isnull": True}) | Q(**{f"{due}__gte": as_of})
    q = Q(**{f"{due}__lte": as_of - dt.timedelta(days=bucket.low)})
    if bucket.high is not None:
        q &= Q(**{f"{due}__gte": as_of - dt.timedelta(days=bucket.high)})
    return q


@dataclass
class AgingRow:
    key: object
    label: str
    currency: str
    amounts: list[Decimal]  # per bucket, disputes left out
    disputed: Decimal = ZERO
    customer_id: int | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, ZERO) + self.disputed

    @property
    def overdue(self) -> Decimal:
        return sum(self.amounts[1:], ZERO)


@dataclass
class AgingReport:
    as_of: dt.date
    group: str
    group_label: str
    buckets: list[Bucket]
    rows: list[AgingRow]
    totals: list[AgingRow]  # one per currency
    cny_totals: list[Decimal | None] = field(default_factory=list)  # per bucket, then disputed, then total
    missing_rates: list[str] = field(default_factory=list)


def _label(group: str, values: dict) -> tuple[object, str, int | None]:
    """The row's key, its label in the reader's language, and its customer (group "customer")."""
    fields = GROUPS[group][1]
    if not fields:
        return None, "", None
    get = [values.get(f) for f in fields]
    key = get[0]
    if key is None:
        return None, _("(none)"), None
    zh = (get_language() or "zh").startswith("zh")
    if group == "customer":
        name = (get[2] or get[3]) if zh else (get[3] or get[2])
        return key, f"{get[1]} {name or ''}".strip(), key
    if group in ("salesperson", "merchandiser"):
        return key, get[2] or get[1], None
    return key, ((get[1] if zh else get[2]) or get[1] or get[2]), None


def aging_report(*, user: User, group: str = "customer", currency: str | None = None, as_of: dt.date | None = None,
                 bounds: tuple[int, ...] | None = None, customer_id: int | None = None) -> AgingReport:
    """The aging of the open instalments of the customers ``user`` may see, on ``as_of``."""
    if group not in GROUPS:
        group = "customer"
    as_of = as_of or timezone.localdate()
    buckets = buckets_for(bounds or current_bounds())
    report = AgingReport(as_of=as_of, group=group, group_label=str(GROUPS[group][0]), buckets=buckets, rows=[],
                         totals=[])
    if not user.has_perm(VIEW):
        return report

    items = PaymentPlanItem.objects.filter(received_amount__lt=F("amount")).exclude(order__status__in=NOT_OWED)
    disputes = Dispute.objects.filter(settled_at__isnull=True, plan_item__received_amount__lt=F("plan_item__amount")
                                      ).exclude(plan_item__order__status__in=NOT_OWED)
    if not (user.is_superuser or user.has_role(*ALL_CUSTOMERS_ROLES)):
        # the ids first (one small query): an IN list lets both databases use the order's index
        ids = list(customer_queryset(user).values_list("pk", flat=True))
        items = items.filter(order__customer_id__in=ids)
        disputes = disputes.filter(plan_item__order__customer_id__in=ids)
    if customer_id:
        items = items.filter(order__customer_id=customer_id)
        disputes = disputes.filter(plan_item__order__customer_id=customer_id)
    if currency:
        items = items.filter(order__currency_id=currency)
        disputes = disputes.filter(plan_item__order__currency_id=currency)

    fields = [*GROUPS[group][1], "order__currency_id"]
    open_amount = ExpressionWrapper(F("amount") - F("received_amount"), output_field=MONEY)
    sums = {b.key: Sum(Case(When(_when(b, as_of), then=open_amount), default=Value(ZERO), output_field=MONEY))
            for b in buckets}
    rows = items.values(*fields).annotate(**sums).order_by(*fields)

    disputed_fields = [f"plan_item__{f}" for f in fields]
    disputed_sums = {b.key: Sum(Case(When(_when(b, as_of, "plan_item__"), then=F("amount")), default=Value(ZERO),
                                     output_field=MONEY)) for b in buckets}
    disputed = {tuple(r[f] for f in disputed_fields): r
                for r in disputes.values(*disputed_fields).annotate(**disputed_sums).order_by()}

    for r in rows:
        key, label, cust = _label(group, r)
        d = disputed.get(tuple(r[f] for f in fields), {})
        amounts, held = [], ZERO
        for b in buckets:
            gross = r[b.key] or ZERO
            in_dispute = min(d.get(b.key) or ZERO, gross)
            held += in_dispute
            amounts.append(gross - in_dispute)
        report.rows.append(AgingRow(key=key, label=label, currency=r["order__currency_id"], amounts=amounts,
                                    disputed=held, customer_id=cust))
    report.rows.sort(key=lambda row: (row.label.lower(), row.currency))

    per_currency: dict[str, AgingRow] = {}
    for row in report.rows:
        total = per_currency.setdefault(row.currency, AgingRow(key=None, label=_("Total"), currency=row.currency,
                                                               amounts=[ZERO] * len(buckets)))
        total.amounts = [a + b for a, b in zip(total.amounts, row.amounts, strict=True)]
        total.disputed += row.disputed
    report.totals = [per_currency[c] for c in sorted(per_currency)]

    rates = RateBook.load(per_currency)
    cny = [ZERO] * (len(buckets) + 2)
    for total in report.totals:
        rate = rates.on(total.currency, as_of)
        if rate is None:
            report.missing_rates.append(total.currency)
            continue
        values = [*total.amounts, total.disputed, total.total]
        cny = [c + (v * rate).quantize(Decimal("0.01")) for c, v in zip(cny, values, strict=True)]
    report.cny_totals = cny
    return report


def chart_bars(report: AgingReport, *, width: int = 560, height: int = 180) -> list[dict]:
    """The bar chart's bars (server-drawn SVG): one per bucket plus "in dispute", the height the
    CNY equivalent's share of the largest."""
    values = [*report.cny_totals[:len(report.buckets) + 1]] if report.cny_totals else []
    labels = [b.label for b in report.buckets] + [_("in dispute")]
    if not values:
        return []
    top = max(values) or Decimal("1")
    slot = width / len(values)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = int(Decimal(height - 30) * value / top) if top > 0 else 0
        bars.append({"x": int(index * slot + slot * 0.15), "w": int(slot * 0.7), "y": height - 20 - h, "h": h,
                     "label": label, "value": value, "label_x": int(index * slot + slot / 2),
                     "label_y": height - 6, "value_y": max(height - 24 - h, 10),
                     "css": "overdue" if index > 0 and index < len(report.buckets) else
                     ("dispute" if index == len(report.buckets) else "current")})
    return bars
