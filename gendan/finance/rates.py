"""The exchange rates finance books (记账汇率): CNY per one unit of a currency from a day on.

``rate_on(currency, day)`` is the one read: the rate of the latest ``valid_from`` on or before
``day`` (CNY is always 1; ``None`` when no rate was booked yet). ``RateBook`` loads every rate
of some currencies in one query and answers ``on(currency, day)`` from memory — the ledger,
statements and aging convert hundreds of movements with it. ``rate_set`` is the only write
(finance or a manager): a rate of zero, a negative one or an absurd one is refused naming the
field; booking the same currency and day again corrects it, old → new on the timeline.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gendan.accounts.models import User
from gendan.core.domain_events import DomainEvent, publish
from gendan.core.errors import ValidationFailed
from gendan.core.guards import parse_date, require
from gendan.core.models import Currency, Event
from gendan.core.money import MoneyError, to_decimal
from gendan.finance.models import ExchangeRate

BASE = "CNY"
ADD = "finance.add_exchangerate"
# CNY per unit: the dearest currency in use (KWD) is about 24 CNY; a thousand is a typing error.
MAX_RATE = Decimal("1000")
RATE_QUANTUM = Decimal("0.00000001")
# Rates a day before the year 2000 or years ahead are typing errors, as everywhere (parse_date).


@dataclass(kw_only=True)
class ExchangeRateBooked(DomainEvent):
    """Finance booked (or corrected) the rate of a currency from a day on."""

    kind = "finance.exchange_rate_booked"
    text = gettext_noop("Exchange rate %(currency)s from %(day)s: %(rate)s CNY per unit")
    verb = Event.Verb.UPDATED
    rate: ExchangeRate

    def subject(self):
        return self.rate

    def params(self) -> dict:
        r = self.rate
        return {"currency": r.currency_id, "day": r.valid_from.isoformat(), "rate": format(r.cny_per_unit.normalize(), "f")}


def rate_on(currency: str, day: dt.date) -> Decimal | None:
    """CNY per one unit of ``currency`` on ``day`` (1 for CNY; ``None`` without a booked rate)."""
    if currency == BASE:
        return Decimal("1")
    row = (ExchangeRate.objects.filter(currency_id=currency, valid_from__lte=day).order_by("-valid_from")
           .values_list("cny_per_unit", flat=True).first())
    return row


class RateBook:
    """Every booked rate of some currencies, read once; ``on(currency, day)`` like ``rate_on``."""

    def __init__(self, rows: Iterable[tuple[str, dt.date, Decimal]] = ()):
        self._days: dict[str, list[dt.date]] = {}
        self._rates: dict[str, list[Decimal]] = {}
        for currency, day, rate in sorted(rows, key=lambda r: (r[0], r[1])):
            self._days.setdefault(currency, []).append(day)
            self._rates.setdefault(currency, []).append(rate)

    @classmethod
    def load(cls, currencies: Iterable[str]) -> RateBook:
        wanted = sorted({c for c in currencies if c and c != BASE})
        if not wanted:
            return cls()
        return cls(ExchangeRate.objects.filter(currency_id__in=wanted)
                   .values_list("currency_id", "valid_from", "cny_per_unit"))

    def on(self, currency: str, day: dt.date | None) -> Decimal | None:
        if currency == BASE:
            return Decimal("1")
        days = self._days.get(currency)
        if not days or day is None:
            return None
        index = bisect.bisect_right(days, day) - 1
        return self._rates[currency][index] if index >= 0 else None

    def cny(self, amount: Decimal, currency: str, day: dt.date | None) -> Decimal | None:
        """``amount`` in CNY at the rate of ``day``, rounded to the fen (None without a rate)."""
        rate = self.on(currency, day)
        if rate is None:
            return None
        return (amount * rate).quantize(Decimal("0.01"))


def rate_list(*, currency: str | None = None):
    qs = ExchangeRate.objects.select_related("set_by").order_by("currency_id", "-valid_from")
    if currency:
        qs = qs.filter(currency_id=currency)
    return qs


def latest_rates() -> dict[str, ExchangeRate]:
    """The latest booked rate of each currency (for the rates page's summary)."""
    today = timezone.localdate()
    latest: dict[str, ExchangeRate] = {}
    for rate in ExchangeRate.objects.filter(valid_from__lte=today).order_by("currency_id", "-valid_from"):
        latest.setdefault(rate.currency_id, rate)
    return latest


def _rate(value: Any) -> Decimal:
    try:
        rate = to_decimal(value)
    except MoneyError as exc:
        raise ValidationFailed(str(exc), fields={"cny_per_unit": str(exc)}) from None
    if rate <= 0:
        msg = _("The rate (CNY per unit) must be greater than zero.")
        raise ValidationFailed(msg, fields={"cny_per_unit": msg})
    if rate >= MAX_RATE or rate != rate.quantize(RATE_QUANTUM):
        msg = _("The rate (CNY per unit) must be below %(max)s with at most 8 decimals.") % {
            "max": number_format(MAX_RATE, use_l10n=True, force_grouping=True)}
        raise ValidationFailed(msg, fields={"cny_per_unit": msg})
    return rate


def rate_set(*, actor: User, currency: Any, valid_from: Any, cny_per_unit: Any, note: str = "") -> ExchangeRate:
    """Book ``cny_per_unit`` CNY per unit of ``currency`` from ``valid_from`` on (finance, manager).
    The same currency and day again corrects the rate (old → new on its timeline)."""
    require(actor, ADD, message=_("Only finance and managers book exchange rates."))
    errors: dict[str, str] = {}
    code = str(currency or "").strip().upper()
    currency_obj = Currency.objects.filter(code=code, is_active=True).first() if code else None
    if currency_obj is None:
        errors["currency"] = _("Unknown currency “%(code)s”.") % {"code": currency or ""}
    elif code == BASE:
        errors["currency"] = _("CNY is the booking currency: its rate is always 1.")
    day = None
    try:
        day = parse_date(valid_from, field="valid_from", required=True)
    except ValidationFailed as exc:
        errors["valid_from"] = exc.message
    rate = None
    try:
        rate = _rate(cny_per_unit)
    except ValidationFailed as exc:
        errors["cny_per_unit"] = exc.message
    note = str(note or "").strip()
    if len(note) > ExchangeRate._meta.get_field("note").max_length:
        errors["note"] = _("At most %(n)d characters.") % {"n": ExchangeRate._meta.get_field("note").max_length}
    if errors:
        raise ValidationFailed(" ".join(str(v) for v in errors.values()), fields=errors)
    with transaction.atomic():
        existing = ExchangeRate.objects.select_for_update().filter(currency_id=code, valid_from=day).first()
        now = timezone.now()
        if existing is None:
            booked = ExchangeRate.objects.create(currency_id=code, valid_from=day, cny_per_unit=rate, set_by=actor,
                                                 set_at=now, note=note)
            changes = {"cny_per_unit": {"old": "", "new": format(rate.normalize(), "f")}}
        else:
            old = existing.cny_per_unit
            existing.cny_per_unit, existing.set_by, existing.set_at, existing.note = rate, actor, now, note
            existing.save(update_fields=["cny_per_unit", "set_by", "set_at", "note"])
            booked = existing
            changes = {"cny_per_unit": {"old": format(old.normalize(), "f"), "new": format(rate.normalize(), "f")}}
        publish(ExchangeRateBooked(actor=actor, rate=booked, reason=note, changes=changes))
    return booked
