"""Demo production orders in every state, on top of those the sales demo writes at release.

The sales demo creates production orders issued, accepted, in production, finished, closed
and cancelled. This step fills in what the follow-up added (sign-off, distribution, committed
due dates, start and finish times, unit costs and amounts of outsourced work, spec and surface
finish) with a few UPDATE statements over all rows, and turns a bounded number of them into
drafts (not yet issued), orders on hold (from where they were) and manager overrides of the
first-article rule. Cost stays linear in the number of orders.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import DecimalField, ExpressionWrapper, F, Min, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Mod, Round
from django.utils import timezone

from gendan.core.models import Event
from gendan.parties.models import Supplier
from gendan.production.events import FirstArticleRuleOverridden, ProductionOrderHeld
from gendan.production.models import ProductionOrder, ProductionOrderLine
from gendan.production.services import DEFAULT_COPY_TO, DEFAULT_SIGN_OFF
from gendan.sales.models import SalesOrder, SalesOrderLine

P = ProductionOrder.Status
SPECIAL = 24  # at most this many drafts, holds and overrides each
HOLD_REASONS = ["客户确认新颜色，暂停生产", "Customer checks the artwork again", "面料未到，暂停"]
OVERRIDE_REASON = "客户已通过照片确认首件 / customer approved the first article by photo"
# Factory cost: 80–97 % of the selling price, in CNY (rough demo exchange rates per order currency).
COST_SHARE, COST_SPREAD = Decimal("0.80"), 18
CNY_PER = {"CNY": Decimal("1"), "USD": Decimal("7.1"), "EUR": Decimal("7.7"), "GBP": Decimal("9.0"),
           "JPY": Decimal("0.047"), "HKD": Decimal("0.91")}


def seed(ctx) -> None:
    orders = ProductionOrder.objects.all()
    if not orders.exists():
        return
    _fill_fields()
    _costs()
    planner = ctx.users.get("planner")
    manager = ctx.users.get("gm") or ctx.users.get("manager_eu")
    ct = ContentType.objects.get_for_model(ProductionOrder).pk
    events: list[Event] = []
    # Not the orders whose customer changes them (gendan.demo.changes): a change order re-issues
    # production orders that were issued, not drafts or holds.
    changing = [s.order_id for s in ctx.data.get("order_stories", []) if s.change]
    drafts = _make_drafts(ct, changing)
    held = _hold(ct, planner, events, changing)
    overridden = _override(ct, manager, events)
    Event.objects.bulk_create(events, batch_size=1000)
    ctx.say(f"  production orders: {orders.count()} ({drafts} drafts, {held} on hold, "
            f"{overridden} first-article overrides)")


def _fill_fields() -> None:
    po = ProductionOrder.objects
    po.update(sign_off=list(DEFAULT_SIGN_OFF), copy_to=list(DEFAULT_COPY_TO))
    po.exclude(status=P.DRAFT).update(issued_at=F("created_at"), issued_by=F("created_by"))
    po.filter(status__in=[P.ACCEPTED, P.IN_PRODUCTION, P.FINISHED, P.CLOSED]).update(
        committed_due_date=F("due_date"))
    po.filter(status__in=[P.IN_PRODUCTION, P.FINISHED, P.CLOSED]).update(started_at=F("created_at"))
    po.filter(status__in=[P.FINISHED, P.CLOSED]).update(finished_at=F("updated_at"))
    email = Supplier.objects.filter(pk=OuterRef("supplier_id")).values("email")[:1]
    po.update(email_to=Coalesce(Subquery(email), F("email_to")))
    product = SalesOrderLine.objects.filter(pk=OuterRef("order_line_id"))
    ProductionOrderLine.objects.update(
        spec=Coalesce(Subquery(product.values("product__spec")[:1]), F("spec")),
        surface_finish=Coalesce(Subquery(product.values("product__surface_finish")[:1]), F("surface_finish")))

def _costs() -> None:
    """Every production order's cost (own workshops book theirs too, or the order's profit
    would count its goods as free): unit cost = selling price × rate × a share between 80 and
    97 % by production order — with the export rebate and freight most orders earn 8–25 %, a few
    less — amount = qty × unit cost rounded per line, total = the sum of the lines."""
    price = SalesOrderLine.objects.filter(pk=OuterRef("order_line_id")).values("unit_price")[:1]
    lines_all = ProductionOrderLine.objects.all()
    money4 = DecimalField(max_digits=18, decimal_places=4)
    # By the production order's place in the demo, not its id: PostgreSQL's sequences go on counting
    # across rolled-back transactions, so the ids (and the orders that lose money) would depend on
    # what ran before. Counted from 1, as the ids of a fresh database are.
    first = ProductionOrder.objects.aggregate(first=Min("pk"))["first"] or 1
    share = COST_SHARE + Mod((F("production_order_id") - first + 1) * 37, COST_SPREAD) * Decimal("0.01")
    for currency, rate in CNY_PER.items():
        lines = lines_all.filter(production_order__sales_order__currency_id=currency)
        lines.update(unit_cost=Round(ExpressionWrapper(Subquery(price) * rate * share, output_field=money4), 4))
    lines_all.exclude(production_order__sales_order__currency_id__in=list(CNY_PER)).update(
        unit_cost=Round(ExpressionWrapper(Subquery(price) * CNY_PER["USD"] * share, output_field=money4), 4))
    lines_all.update(amount=Round(ExpressionWrapper(F("quantity") * F("unit_cost"), output_field=money4), 2))
    total = (ProductionOrderLine.objects.filter(production_order=OuterRef("pk")).order_by()
             .values("production_order").annotate(s=Sum("amount")).values("s")[:1])
    ProductionOrder.objects.update(total_cost=Coalesce(Subquery(total), Decimal("0")))


def _latest(status: str, *, order_status: str, besides: list[int] = ()) -> list[int]:
    return list(ProductionOrder.objects.filter(status=status, sales_order__status=order_status)
                .exclude(sales_order_id__in=besides).order_by("-id").values_list("pk", flat=True)[:SPECIAL])


def _make_drafts(ct: int, besides: list[int]) -> int:
    """Recently released, not yet issued: the planner still completes them."""
    ids = _latest(P.ISSUED, order_status=SalesOrder.Status.IN_PRODUCTION, besides=besides)[: SPECIAL // 2]
    ProductionOrder.objects.filter(pk__in=ids).update(status=P.DRAFT, issued_at=None)
    Event.objects.filter(content_type_id=ct, object_id__in=ids, verb=Event.Verb.STATE_CHANGED).delete()
    return len(ids)


def _hold(ct: int, planner, events: list[Event], besides: list[int]) -> int:
    ids = (_latest(P.ACCEPTED, order_status=SalesOrder.Status.IN_PRODUCTION, besides=besides)[: SPECIAL // 3]
           + _latest(P.IN_PRODUCTION, order_status=SalesOrder.Status.IN_PRODUCTION, besides=besides)[: SPECIAL // 3])
    rows = list(ProductionOrder.objects.filter(pk__in=ids).values_list("pk", "number", "status", "updated_at"))
    for n, (pk, number, status, updated) in enumerate(rows):
        reason = HOLD_REASONS[n % len(HOLD_REASONS)]
        ProductionOrder.objects.filter(pk=pk).update(status=P.ON_HOLD, held_from=status, status_reason=reason,
                                                     version=F("version") + 1)
        events.append(Event(content_type_id=ct, object_id=pk, object_repr=number, actor=planner,
                            created_at=min(updated + dt.timedelta(minutes=30), timezone.now()), verb=Event.Verb.STATE_CHANGED,
                            kind=ProductionOrderHeld.kind, changes={"status": {"old": status, "new": P.ON_HOLD}},
                            reason=reason))
    return len(rows)


def _override(ct: int, manager, events: list[Event]) -> int:
    ids = _latest(P.IN_PRODUCTION, order_status=SalesOrder.Status.IN_PRODUCTION)[: SPECIAL // 4]
    rows = list(ProductionOrder.objects.filter(pk__in=ids).values_list("pk", "number", "started_at"))
    ProductionOrder.objects.filter(pk__in=ids).update(first_article_override=True,
                                                      first_article_override_reason=OVERRIDE_REASON)
    for pk, number, started in rows:
        events.append(Event(content_type_id=ct, object_id=pk, object_repr=number, actor=manager,
                            created_at=(started or timezone.now()) - dt.timedelta(minutes=10),
                            verb=Event.Verb.OVERRIDE, reason=OVERRIDE_REASON,
                            kind=FirstArticleRuleOverridden.kind, params={"user": str(manager)},
                            changes={"first_article_override": {"old": "0", "new": "1"}}))
    return len(rows)
