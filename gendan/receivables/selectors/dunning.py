"""Reads of dunning: the runs, a run's reminders (scoped to the customers the reader sees), the
levels, and the open reminders with a board task (the chase board's money source)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gendan.accounts.models import User
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_scope
from gendan.receivables.models import DunningLevel, DunningNotice, DunningRun

VIEW = "receivables.view_dunningrun"


def _customers(user: User):
    return Customer.objects.filter(customer_scope(user)).values("pk")


def run_list() -> QuerySet[DunningRun]:
    return DunningRun.objects.select_related("started_by").order_by("-run_on")


def run_notices(*, user: User, run: DunningRun) -> QuerySet[DunningNotice]:
    return (DunningNotice.objects.filter(run=run, customer__in=_customers(user))
            .select_related("customer", "customer__merchandiser", "customer__salesperson")
            .order_by("-level", "-days_overdue", "customer__code"))


def levels() -> list[DunningLevel]:
    return list(DunningLevel.objects.order_by("level"))


def board_notices(*, user: User, limit: int) -> list[DunningNotice]:
    """Open reminders at a level with a board task, of customers the user merchandises or sells to
    (a manager: customers of the reminders escalated — their region's or team's)."""
    board_levels = list(DunningLevel.objects.filter(board_task=True).values_list("level", flat=True))
    if not board_levels:
        return []
    mine = Q(customer__merchandiser=user) | Q(customer__salesperson=user)
    return list(DunningNotice.objects.filter(mine, resolved_at__isnull=True, level__in=board_levels)
                .select_related("customer").order_by("oldest_due_date", "id")[:limit])
