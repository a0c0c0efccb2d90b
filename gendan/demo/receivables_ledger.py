"""Demo of the ledger part: the exchange rates finance booked (USD, EUR, GBP, JPY, HKD and AUD,
one rate at the start of every month for two years, wobbling around their level the way the
bank's rates do), the aging buckets (the default 30 / 60 / 90), and last month's statements of
account as the monthly run would have recorded them for the first customers with open items.

The ledgers and the aging themselves need nothing of their own: they are read from the demo's
payment plans, receipts and allocations (``gendan.demo.finance``). Runs after finance."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from gendan.core.models import Currency
from gendan.finance.models import ExchangeRate, PaymentPlanItem
from gendan.receivables.models import AgingPolicy, StatementSend
from gendan.receivables.models.ledger import DEFAULT_BOUNDS
from gendan.receivables.selectors.ledger import NOT_OWED
from gendan.receivables.services.statements import (
    customer_language,
    previous_month,
    statement_build,
    statement_recipients,
)

# CNY per unit, about where the bank's rates stood
LEVELS = {"USD": Decimal("7.15"), "EUR": Decimal("7.80"), "GBP": Decimal("9.10"), "JPY": Decimal("0.0480"),
          "HKD": Decimal("0.9150"), "AUD": Decimal("4.70")}
MONTHS = 24
STATEMENTS = 20


def _months_back(today: dt.date, n: int) -> dt.date:
    year, month = today.year, today.month - n
    while month <= 0:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def seed(ctx) -> None:
    finance = ctx.users.get("finance") or ctx.users["admin"]
    today = timezone.localdate()
    now = timezone.now()
    active = set(Currency.objects.filter(code__in=LEVELS).values_list("code", flat=True))
    rows = []
    for code, level in LEVELS.items():
        if code not in active:
            continue
        places = Decimal("0.0001") if level < 1 else Decimal("0.01") / 100
        for n in range(MONTHS, -1, -1):
            wobble = Decimal(str(round(math.sin(n * 1.7 + len(code)) * 0.02, 4)))  # ± 2 %
            rows.append(ExchangeRate(currency_id=code, valid_from=_months_back(today, n),
                                     cny_per_unit=(level * (1 + wobble)).quantize(places), set_by=finance,
                                     set_at=now, note="demo: bank's middle rate"))
    ExchangeRate.objects.bulk_create(rows, ignore_conflicts=True)
    if not AgingPolicy.objects.exists():
        AgingPolicy.objects.create(bounds=DEFAULT_BOUNDS, updated_by=finance, updated_at=now)
    start, end = previous_month(today)
    open_customers = list(PaymentPlanItem.objects.filter(received_amount__lt=F("amount"))
                          .exclude(order__status__in=NOT_OWED).values_list("order__customer_id", flat=True)
                          .distinct().order_by("order__customer_id")[:STATEMENTS])
    from gendan.parties.models import Customer

    sends = 0
    for customer in Customer.objects.filter(pk__in=open_customers).prefetch_related("contacts"):
        statement = statement_build(customer=customer, start=start, end=end, language=customer_language(customer))
        to = statement_recipients(customer)
        _send, created = StatementSend.objects.get_or_create(
            customer=customer, period_end=end, trigger=StatementSend.Trigger.MONTHLY,
            defaults={"period_start": start, "sent_to": ", ".join(to), "language": statement.language,
                      "closing_balance": {c.currency: str(c.closing) for c in statement.currencies},
                      "requested_at": now, "email_sent_at": now if to else None,
                      "email_error": "" if to else "no e-mail address"})
        sends += created
    ctx.say(f"Ledger: {len(rows)} exchange rates, aging buckets {DEFAULT_BOUNDS}, {sends} monthly statement(s)")
