"""Reads for the chase board, the team view, the navigation badge and the order's plan.

The board's cost does not grow with its rows: one aggregate for the counts, one bounded
query per group (``BOARD_GROUP_LIMIT`` rows, the rest behind "show all"), one each for
follow-ups, unanswered messages and meeting actions — each served by a partial index on
(owner, date) of the open items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_scope
from gendan.tracking.cutoffs import board_cutoffs
from gendan.tracking.export_chase import board_export_items
from gendan.tracking.models import ActionItem, Communication, Mention, OrderMilestone, OrderPlan
from gendan.tracking.money_chase import board_money_items

BOARD_GROUP_LIMIT = 30
# Department queues are counted up to this many rows per section ("1000+"): nobody chases the
# thousand-and-first by its number, and counting 24 000 index entries on every page would not do.
QUEUE_COUNT_CAP = 1000
# The columns a board row shows: orders and customers have dozens of columns the board never reads.
BOARD_ROW_FIELDS = [
    "id", "key", "name_zh", "name_en", "sequence", "status", "owner_role", "completes_on", "planned_date",
    "expected_date", "forecast_date", "notes", "follow_up_date", "version", "order_id", "plan_id", "owner_id",
    "predecessor_id",
    "order__id", "order__number", "order__customer_id", "order__merchandiser_id",
    "order__customer__id", "order__customer__code", "order__customer__name_zh", "order__customer__name_en",
    "plan__id", "plan__risk", "owner__id", "owner__username", "owner__full_name", "owner__first_name",
    "owner__last_name", "predecessor__id", "predecessor__status", "predecessor__name_zh", "predecessor__name_en",
]
MS = OrderMilestone.Status


def prefixed(q: Q, prefix: str) -> Q:
    """Return ``q`` with every lookup prefixed (``customer_id__in`` → ``order__customer_id__in``)."""
    result = Q()
    result.connector, result.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            result.children.append(prefixed(child, prefix))
        else:
            result.children.append((f"{prefix}__{child[0]}", child[1]))
    return result


def milestones_of(user: User) -> Q:
    """Open milestones ``user`` must chase: their own, and their departments' unassigned ones
    on orders they may see."""
    mine = Q(owner=user)
    roles = _roles(user)
    if roles:
        mine |= Q(owner__isnull=True, owner_role__in=roles)
    return Q(status=MS.OPEN) & mine & _scope_q(user)


def _roles(user: User) -> list[str]:
    return sorted(r for r in user.role_codes if r in Role.values)


def _scope_q(user: User) -> Q:
    scope = order_scope(user)
    if scope == Q():  # departments that serve every order
        return Q()
    # The scope as a correlated EXISTS, not a join: the database then starts from the partial
    # indexes of open milestones by owner / department and probes each row's order, instead
    # of walking every order in scope (PostgreSQL, 100 000 orders: see bench/README.md).
    return Q(Exists(SalesOrder.objects.filter(scope, pk=OuterRef("order_id"))))


def _queues_of(user: User) -> tuple[list[Q], Q | None]:
    """Split what ``user`` chases into (a) parts read row by row — their own milestones, and
    their departments' when they see only some orders — and (b) the unassigned queues of
    departments that serve every order (finance, QC, planning, purchasing…), which hold tens of
    thousands of rows in a large company and are read through index ranges instead.

    Each part is one condition an index serves on its own (an OR of them makes the database
    read every open milestone): own ones by owner, unassigned ones by role with and without an
    expected date."""
    roles = _roles(user)
    scope = _scope_q(user)
    parts = [Q(status=MS.OPEN, owner=user) & scope]
    if not roles:
        return parts, None
    department = Q(status=MS.OPEN, owner__isnull=True, owner_role__in=roles)
    if scope != Q():
        parts += [department & Q(expected_date__isnull=True) & scope,
                  department & Q(expected_date__isnull=False) & scope]
        return parts, None
    return parts, department


# (section, condition on the plan date for rows without an expected date, on the expected date
# otherwise): exact section membership expressed so that each half is an index range.
def _section_ranges(today: dt.date, horizon: dt.date) -> dict[str, tuple[Q, Q]]:
    return {
        "overdue": (Q(planned_date__lt=today), Q(expected_date__lt=today)),
        "due_today": (Q(planned_date=today), Q(expected_date=today)),
        "upcoming": (Q(planned_date__gt=today, planned_date__lte=horizon),
                     Q(expected_date__gt=today, expected_date__lte=horizon)),
        "at_risk": (Q(planned_date__gt=horizon, forecast_date__gt=F("planned_date")),
                    Q(expected_date__gt=horizon, forecast_date__gt=F("planned_date"))),
    }


def _queue_sections(queue: Q, roles: list[str], today: dt.date, horizon: dt.date, limit: int
                    ) -> tuple[dict, dict]:
    """Counts and the first ``limit`` keys per section of a department queue, each half of each
    section one index range (rows with an expected date are few)."""
    counts: dict[str, int] = {}
    keys: dict[str, list] = {}
    base = OrderMilestone.objects.filter(queue).order_by()  # no model ordering inside the capped counts
    for name, (by_plan, by_expected) in _section_ranges(today, horizon).items():
        planned = base.filter(by_plan, expected_date__isnull=True)
        expected = base.filter(by_expected, expected_date__isnull=False)
        counts[name] = min(QUEUE_COUNT_CAP, planned[:QUEUE_COUNT_CAP].count() + expected[:QUEUE_COUNT_CAP].count())
        rows = [*planned.order_by("planned_date", "order_id", "sequence")
                .values_list("planned_date", "order_id", "sequence", "pk")[:limit],
                *expected.order_by("expected_date", "order_id", "sequence")
                .values_list("expected_date", "order_id", "sequence", "pk")[:limit]]
        keys[name] = sorted(rows)[:limit]
    # A follow-up date that has come puts a milestone on "today" whatever its date. Few rows carry
    # one: read them through their own partial index (a condition on the owner would make the
    # database walk every unassigned milestone instead) and keep the unassigned ones here.
    followed = [row[1:] for row in OrderMilestone.objects.filter(
        status=MS.OPEN, follow_up_date__isnull=False, follow_up_date__lte=today, owner_role__in=roles,
    ).order_by().annotate(due=_due()).values_list("owner_id", "due", "order_id", "sequence", "pk")
        if row[0] is None]
    counts["follow_up"] = len(followed)
    shown = {k[-1] for k in keys["due_today"]}
    keys["due_today"] = sorted(keys["due_today"] + [row for row in followed if row[-1] not in shown])[:limit]
    return counts, keys


def _due():
    return Coalesce("expected_date", "planned_date")


@dataclass
class Board:
    today: dt.date
    horizon: dt.date
    overdue: list = field(default_factory=list)
    due_today: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    at_risk: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    unanswered: list = field(default_factory=list)
    action_items: list = field(default_factory=list)
    cutoffs: list = field(default_factory=list)  # booking cut-offs to meet or missed (tracking.cutoffs)
    export_items: list = field(default_factory=list)  # credits and documents to chase (tracking.export_chase)
    money_items: list = field(default_factory=list)  # overdue money to chase (tracking.money_chase)
    mentions: list = field(default_factory=list)  # notes naming the user on an order's chatter, not opened yet
    counts: dict = field(default_factory=dict)
    capped: set = field(default_factory=set)  # sections whose department queue was counted only up to the cap

    @property
    def overdue_count(self) -> int:
        return self.counts.get("overdue", 0)

    @property
    def is_empty(self) -> bool:
        return not any((self.overdue, self.due_today, self.upcoming, self.at_risk, self.follow_ups,
                        self.unanswered, self.action_items, self.cutoffs, self.export_items,
                        self.money_items, self.mentions))


def _milestone_rows(qs: QuerySet) -> QuerySet:
    return qs.select_related("order", "order__customer", "owner", "plan", "predecessor").only(*BOARD_ROW_FIELDS)


def board_for(*, user: User, today: dt.date | None = None, horizon_days: int = 7,
              limit: int = BOARD_GROUP_LIMIT, mentions: bool = True) -> Board:
    """What ``user`` must chase: overdue, due today, due within ``horizon_days``, at risk
    (forecast after plan but not yet due), follow-ups due, inbound messages not answered in
    time, and open meeting actions; the mentions not opened yet unless ``mentions`` is false
    (``board_mentions``: opening one is a GET, so a board kept across pages reads them apart)."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=horizon_days)
    board = Board(today=today, horizon=horizon)
    # One narrow read of the person's own open milestones (a few thousand small rows at most),
    # sorted into sections here; department queues through index ranges; then one read of the
    # rows shown. The number of queries does not depend on how full the board is.
    parts, department = _queues_of(user)
    keys = [row for part in parts for row in OrderMilestone.objects.filter(part).order_by().values_list(
        "pk", "planned_date", "expected_date", "forecast_date", "follow_up_date", "order_id", "sequence")]
    sections: dict[str, list] = {"overdue": [], "due_today": [], "upcoming": [], "at_risk": []}
    follow_up = 0
    for pk, planned, expected, forecast, follow, order_id, sequence in keys:
        due = expected or planned
        key = (due, order_id, sequence, pk)
        followed = follow is not None and follow <= today
        follow_up += followed
        if due < today:
            sections["overdue"].append(key)
        elif due == today or followed:
            sections["due_today"].append(key)
        elif due <= horizon:
            sections["upcoming"].append(key)
        elif forecast > planned:
            sections["at_risk"].append(key)
    board.counts = {name: len(rows) for name, rows in sections.items()}
    board.counts["follow_up"] = follow_up
    if department is not None:
        counts, queue_keys = _queue_sections(department, _roles(user), today, horizon, limit)
        for name, value in counts.items():
            board.counts[name] = board.counts.get(name, 0) + value
            if value >= QUEUE_COUNT_CAP:
                board.capped.add(name)
        for name, rows in queue_keys.items():
            sections[name].extend(rows)
    shown = {name: [key[-1] for key in sorted(rows)[:limit]] for name, rows in sections.items()}
    by_pk = _milestone_rows(OrderMilestone.objects.filter(pk__in=[pk for ids in shown.values() for pk in ids]))
    by_pk = {m.pk: m for m in by_pk}
    board.overdue, board.due_today, board.upcoming, board.at_risk = (
        [by_pk[pk] for pk in shown[name]] for name in ("overdue", "due_today", "upcoming", "at_risk"))
    board.follow_ups = list(Communication.objects.filter(
        owner=user, follow_up_date__isnull=False, follow_up_done_at__isnull=True, follow_up_date__lte=horizon,
    ).select_related("customer", "order").order_by("follow_up_date", "id")[:limit])
    board.unanswered = list(Communication.objects.filter(
        owner=user, reply_due__isnull=False, replied_by__isnull=True, reply_due__lte=today,
    ).select_related("customer", "order").order_by("reply_due", "id")[:limit])
    board.action_items = list(ActionItem.objects.filter(
        owner=user, done_at__isnull=True, due_date__lte=horizon,
    ).select_related("meeting", "order").order_by("due_date", "id")[:limit])
    board.counts["overdue"] += sum(1 for a in board.action_items if a.due_date < today)
    board.cutoffs = board_cutoffs(user=user, limit=limit)
    board.counts["cutoffs_missed"] = sum(1 for c in board.cutoffs if c.missed)
    board.export_items = board_export_items(user=user, today=today, limit=limit)
    board.counts["export_late"] = sum(1 for i in board.export_items if i.late)
    board.money_items = board_money_items(user=user, today=today, limit=limit)
    if mentions:
        board.mentions = board_mentions(user=user, limit=limit)
    return board


def board_mentions(*, user: User, limit: int = BOARD_GROUP_LIMIT) -> list[Mention]:
    """The notes naming ``user`` they have not opened yet, newest first (partial index)."""
    return list(Mention.objects.filter(user=user, seen_at__isnull=True).select_related(
        "order", "order__customer", "mentioned_by", "communication").order_by("-created_at", "-id")[:limit])


def overdue_count(user: User, today: dt.date | None = None) -> int:
    """The navigation badge: the user's overdue milestones (their own and their departments'
    unassigned ones) and meeting actions. Counted through index ranges: it is on every page."""
    today = today or timezone.localdate()
    parts, department = _queues_of(user)
    total = sum(OrderMilestone.objects.filter(part).order_by().annotate(due=_due()).filter(due__lt=today).count()
                for part in parts)  # small: one person's, or a department's within a scope
    if department is not None:
        base = OrderMilestone.objects.filter(department).order_by()
        total += base.filter(expected_date__isnull=True, planned_date__lt=today)[:QUEUE_COUNT_CAP].count()
        total += base.filter(expected_date__isnull=False, expected_date__lt=today)[:QUEUE_COUNT_CAP].count()
    return total + ActionItem.objects.filter(owner=user, done_at__isnull=True, due_date__lt=today).count()


def team_members(manager: User) -> QuerySet[User]:
    """The people a manager looks after: everyone whose team is in the manager's region
    (all active staff for a manager without a region)."""
    people = User.objects.filter(is_active=True).exclude(pk=manager.pk)
    if manager.region_id and not manager.is_superuser:
        people = people.filter(team__region=manager.region_id)
    return people.order_by("full_name", "username")


def _overdue(qs: QuerySet, today: dt.date) -> tuple[QuerySet, QuerySet]:
    """``qs`` overdue, split so that each half is a date range of an index."""
    return (qs.filter(expected_date__isnull=True, planned_date__lt=today),
            qs.filter(expected_date__isnull=False, expected_date__lt=today))


def team_overdue(manager: User, today: dt.date | None = None) -> list[dict]:
    """Each team member's overdue milestones (two grouped reads of date ranges)."""
    today = today or timezone.localdate()
    people = list(team_members(manager))
    counts: dict[int, int] = {}
    for half in _overdue(OrderMilestone.objects.filter(status=MS.OPEN, owner__in=people).order_by(), today):
        for owner_id, n in half.values("owner").annotate(n=Count("pk")).values_list("owner", "n"):
            counts[owner_id] = counts.get(owner_id, 0) + n
    rows = [{"user": p, "overdue": counts.get(p.pk, 0)} for p in people]
    return sorted(rows, key=lambda r: (-r["overdue"], str(r["user"])))


def department_overdue(today: dt.date | None = None) -> list[dict]:
    """Overdue unassigned milestones per department (what no single person owns yet), counted
    through the queue indexes up to ``QUEUE_COUNT_CAP`` each."""
    today = today or timezone.localdate()
    rows = []
    for role, label in Role.choices:
        queue = OrderMilestone.objects.filter(status=MS.OPEN, owner__isnull=True, owner_role=role).order_by()
        planned, expected = _overdue(queue, today)
        # Ordered by the indexed date, so the database walks the queue index (and stops at the cap)
        # even for a role whose milestones are mostly owned, where it would scan the table otherwise.
        overdue = min(QUEUE_COUNT_CAP, planned.order_by("planned_date")[:QUEUE_COUNT_CAP].count()
                      + expected.order_by("expected_date")[:QUEUE_COUNT_CAP].count())
        if overdue:
            rows.append({"role": label, "overdue": overdue, "capped": overdue >= QUEUE_COUNT_CAP})
    return rows


def milestone_queryset(user: User) -> QuerySet[OrderMilestone]:
    """Milestones of the orders ``user`` may see, with what a list shows."""
    return (OrderMilestone.objects.filter(prefixed(order_scope(user), "order")).annotate(due=_due())
            .select_related("order", "order__customer", "owner"))


def milestone_filter(qs: QuerySet[OrderMilestone], data: dict, *, user: User,
                     today: dt.date | None = None) -> QuerySet[OrderMilestone]:
    """Apply the milestone list's filters: whose (mine / everyone), which state, which order."""
    today = today or timezone.localdate()
    if data.get("mine"):
        qs = qs.filter(milestones_of(user))
    state = data.get("state")
    if state == "overdue":
        qs = qs.filter(status=MS.OPEN, due__lt=today)
    elif state == "today":
        qs = qs.filter(status=MS.OPEN, due=today)
    elif state == "upcoming":
        qs = qs.filter(status=MS.OPEN, due__gt=today, due__lte=today + dt.timedelta(days=data.get("days") or 7))
    elif state == "at_risk":
        qs = qs.filter(status=MS.OPEN, forecast_date__gt=F("planned_date"))
    elif state in MS.values:
        qs = qs.filter(status=state)
    if data.get("q"):
        term = data["q"].strip()
        qs = qs.filter(Q(order__number__icontains=term) | Q(order__customer__code__icontains=term)
                       | Q(name_zh__icontains=term) | Q(name_en__icontains=term))
    if data.get("role"):
        qs = qs.filter(owner_role=data["role"])
    return qs


def plan_for_order(order) -> tuple[OrderPlan | None, list[OrderMilestone]]:
    plan = OrderPlan.objects.filter(order=order).first()
    if plan is None:
        return None, []
    return plan, list(plan.milestones.select_related("owner", "completed_by", "predecessor").order_by("sequence"))
