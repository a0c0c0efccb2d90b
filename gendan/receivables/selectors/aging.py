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

from django.apps import apps
from django.db.models import Case, DecimalField, F, Q, Sum, When
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

# group key → (label, the order field it groups by, the model and fields of its label); the label
# is read in one more query for the keys found, so the aggregate groups by two integer columns only
GROUPS = {
    "customer": (gettext_lazy("customer"), "order__customer_id", ("parties.Customer", "code", "name_zh", "name_en")),
    "salesperson": (gettext_lazy("salesperson"), "order__salesperson_id", ("accounts.User", "username", "full_name")),
    "merchandiser": (gettext_lazy("merchandiser"), "order__merchandiser_id",
                     ("accounts.User", "username", "full_name")),
    "region": (gettext_lazy("region"), "order__customer__region_id", ("accounts.Region", "code", "name_zh", "name_en")),
    "currency": (gettext_lazy("currency"), None, None),
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


def _labels(group: str, keys: set) -> dict:
    """key → the row's label in the reader's language (one query for all the keys)."""
    model_label = GROUPS[group][2]
    keys = {k for k in keys if k is not None}
    if not model_label or not keys:
        return {}
    model = apps.get_model(model_label[0])
    zh = (get_language() or "zh").startswith("zh")
    labels = {}
    # a long IN list costs PostgreSQL more to plan than reading the whole (small) table
    rows = model.objects.all() if len(keys) > 300 else model.objects.filter(pk__in=keys)
    for values in rows.values_list("pk", *model_label[1:]):
        if values[0] not in keys:
            continue
        pk, code, *names = values
        if group == "customer":
            name = (names[0] or names[1]) if zh else (names[1] or names[0])
            labels[pk] = f"{code} {name or ''}".strip()
        elif group in ("salesperson", "merchandiser"):
            labels[pk] = names[0] or code
        else:
            labels[pk] = ((names[0] if zh else names[1]) or names[0] or names[1] or code)
    return labels


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

    key_field = GROUPS[group][1]
    fields = [key_field, "order__currency_id"] if key_field else ["order__currency_id"]
    open_amount = F("amount") - F("received_amount")
    # no ELSE: SUM skips the NULLs (on SQLite every ELSE 0 would be one more CAST per row and bucket)
    sums = {b.key: Sum(Case(When(_when(b, as_of), then=open_amount), output_field=MONEY)) for b in buckets}
    rows = items.values(*fields).annotate(**sums).order_by(*fields)

    disputed_fields = [f"plan_item__{f}" for f in fields]
    disputed_sums = {b.key: Sum(Case(When(_when(b, as_of, "plan_item__"), then=F("amount")), output_field=MONEY))
                     for b in buckets}
    disputed = {tuple(r[f] for f in disputed_fields): r
                for r in disputes.values(*disputed_fields).annotate(**disputed_sums).order_by()}

    rows = list(rows)
    labels = _labels(group, {r[key_field] for r in rows} if key_field else set())
    none, total_label = _("(none)"), _("Total")  # once, not per row: 6 000 rows, 12 000 lookups
    for r in rows:
        key = r[key_field] if key_field else None
        label = labels.get(key, none) if key_field else ""
        cust = key if group == "customer" else None
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
        total = per_currency.get(row.currency)
        if total is None:
            total = per_currency[row.currency] = AgingRow(key=None, label=total_label, currency=row.currency,
                                                          amounts=[ZERO] * len(buckets))
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
