"""Reads of dunning: the runs, a run's reminders (scoped to the customers the reader sees), the
levels, and the open reminders with a board task (the chase board's money source)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from gendan.accounts.models import User
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_scope
from gendan.receivables.models import DunningLevel, DunningNotice, DunningRun

VIEW = "receivables.view_dunningrun"


def _customers(user: User):
    return Customer.objects.filter(customer_scope(user)).values("pk")


def run_list(*, user: User | None = None, filters: dict | None = None) -> QuerySet[DunningRun]:
    """The runs, newest first. A run's counts are the company's (who may see the runs sees them);
    ``filters``: ``date_from`` / ``date_to`` (run on), ``holds`` (put someone on hold),
    ``started`` ("schedule" / "person"), ``level``: runs that sent a reminder at that level to a
    customer ``user`` sees (the reminders of the others stay out of sight, as on a run's page)."""
    qs = DunningRun.objects.select_related("started_by").order_by("-run_on")
    f = filters or {}
    if f.get("date_from"):
        qs = qs.filter(run_on__gte=f["date_from"])
    if f.get("date_to"):
        qs = qs.filter(run_on__lte=f["date_to"])
    if f.get("holds"):
        qs = qs.filter(holds_count__gt=0)
    if f.get("started") == "schedule":
        qs = qs.filter(started_by__isnull=True)
    elif f.get("started") == "person":
        qs = qs.filter(started_by__isnull=False)
    if f.get("level") and user is not None:
        qs = qs.filter(Exists(DunningNotice.objects.filter(run=OuterRef("pk"), level=int(f["level"]),
                                                           customer__in=_customers(user))))
    return qs


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
