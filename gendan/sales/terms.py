"""Payment terms → payment plan and gates (DOMAIN §4).

Pure functions: given the terms of an order, say how much is due as deposit and balance,
when, and whether goods (or the original B/L) may be released before the balance is paid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from gendan.core.money import round_money
from gendan.parties.models import PaymentMethod as M

DEPOSIT_DUE_DAYS = 7  # days after confirmation the customer has to pay the deposit
BALANCE_BEFORE_EX_FACTORY_DAYS = 7  # "balance before shipment": due a week before ex-factory
DOCUMENT_PRESENTATION_DAYS = 21  # UCP 600 Art. 14(c): presentation within 21 days of shipment

# Terms under which goods may leave before the balance is paid (the bank or the B/L protects the seller,
# or the seller grants credit).
SHIP_BEFORE_BALANCE = {M.TT_AGAINST_BL_COPY, M.LC_SIGHT, M.LC_USANCE, M.DP, M.DA, M.OA}
# Terms under which the original B/L is held until the balance is paid.
ORIGINAL_BL_AGAINST_BALANCE = {M.TT_AGAINST_BL_COPY}


@dataclass(frozen=True)
class Instalment:
    kind: str  # "deposit" | "balance"
    amount: Decimal
    due_date: dt.date | None
    due_event: str  # a language-neutral key such as "before_shipment" or "oa:60"; see due_event_text


def deposit_percent_for(method: str, deposit_percent: Decimal) -> Decimal:
    """100 % for payment in advance; otherwise the agreed percentage."""
    return Decimal("100") if method == M.TT_ADVANCE else deposit_percent


def payment_plan(
    *, method: str, deposit_percent: Decimal, payment_days: int, total: Decimal, currency: str,
    confirmed_on: dt.date, ex_factory_date: dt.date,
) -> list[Instalment]:
    """Return the deposit and balance instalments. The balance is the total minus the rounded
    deposit, so the two always add up to the total exactly."""
    deposit = round_money(total * deposit_percent_for(method, deposit_percent) / 100, currency)
    balance = total - deposit
    plan = []
    if deposit:
        plan.append(Instalment("deposit", deposit, confirmed_on + dt.timedelta(days=DEPOSIT_DUE_DAYS),
                               f"after_confirmation:{DEPOSIT_DUE_DAYS}"))
    if balance:
        due, event = _balance_due(method, payment_days, ex_factory_date)
        plan.append(Instalment("balance", balance, due, event))
    return plan


def _balance_due(method: str, days: int, ex_factory: dt.date) -> tuple[dt.date, str]:
    d = dt.timedelta
    if method in (M.TT_DEPOSIT_BALANCE, M.TT_ADVANCE):
        return ex_factory - d(days=BALANCE_BEFORE_EX_FACTORY_DAYS), "before_shipment"
    if method == M.TT_AGAINST_BL_COPY:
        return ex_factory + d(days=7), "against_bl_copy"
    if method == M.LC_SIGHT:
        return ex_factory + d(days=DOCUMENT_PRESENTATION_DAYS), "lc_sight"
    if method == M.LC_USANCE:
        return ex_factory + d(days=DOCUMENT_PRESENTATION_DAYS + days), f"lc_usance:{days}"
    if method == M.DP:
        return ex_factory + d(days=30), "dp"
    if method == M.DA:
        return ex_factory + d(days=30 + days), f"da:{days}"
    return ex_factory + d(days=days), f"oa:{days}"


_DUE_TEXT = {
    "after_confirmation": _("within %(n)d days of confirmation"),
    "before_shipment": _("before shipment"),
    "against_bl_copy": _("against copy of B/L"),
    "lc_sight": _("L/C at sight, on presentation"),
    "lc_usance": _("L/C usance, %(n)d days"),
    "dp": _("D/P, when the buyer takes up the documents"),
    "da": _("D/A, %(n)d days after acceptance"),
    "oa": _("O/A, %(n)d days after shipment"),
}


def due_event_text(key: str) -> str:
    """Say in the reader's language when an instalment falls due (keys are stored, text is not)."""
    name, _sep, number = (key or "").partition(":")
    template = _DUE_TEXT.get(name)
    if template is None:
        return key or ""
    return str(template) % {"n": int(number)} if number else str(template)


def shipment_requires_balance(method: str) -> bool:
    """True when goods may only leave after the balance is paid."""
    return method not in SHIP_BEFORE_BALANCE


def original_bl_requires_balance(method: str) -> bool:
    return method in ORIGINAL_BL_AGAINST_BALANCE
