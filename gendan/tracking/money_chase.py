"""Money to chase on the board (``board.money_items``): the open dunning reminders (催款) at a
level with a board task, of the customers the user merchandises or sells to — one row per
customer, the latest reminder, until the next run supersedes it or the customer has paid
(``receivables.services.dunning``). Read through receivables' selector (the floor below)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.money import format_money
from gendan.receivables.selectors.dunning import board_notices


@dataclass(frozen=True)
class MoneyItem:
    kind: str  # "dunning"
    label: str  # translated: what to chase
    customer: object
    url: str  # the customer's credit page
    due: dt.date  # the oldest overdue due date
    level: int
    late: bool = True
    detail: str = ""


def board_money_items(*, user: User, today: dt.date, limit: int) -> list[MoneyItem]:
    items = []
    for notice in board_notices(user=user, limit=limit):
        amount = ", ".join(format_money(Decimal(str(v)), cur) for cur, v in sorted(notice.overdue.items()))
        orders = ", ".join(dict.fromkeys(str(row.get("order", "")) for row in notice.items or []))
        items.append(MoneyItem(
            kind="dunning", customer=notice.customer, level=notice.level, due=notice.oldest_due_date,
            url=reverse("receivables:customer_credit", args=[notice.customer_id]),
            label=_("Chase payment: %(amount)s overdue (dunning level %(level)d)") % {
                "amount": amount, "level": notice.level},
            detail=_("%(days)d days overdue since %(date)s · %(orders)s") % {
                "days": (today - notice.oldest_due_date).days, "date": notice.oldest_due_date.isoformat(),
                "orders": orders}))
    return items
