"""Demo T&A: a plan for every confirmed demo order (≈ 20 milestones each, 2 M for 100 000
orders), with the milestones the order's story already passed done on the story's dates,
forecasts and risk computed as ``plan_refresh`` would, the company's 2026–2027 holidays,
a few communications with follow-ups and a weekly production meeting.

Uses the same scheduling and forecasting functions as the services, with explicit ids so
predecessors can be linked in one pass of plain inserts.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.roles import Role
from gendan.core.calendar import WorkCalendar
from gendan.core.models import CalendarDay
from gendan.demo.sales import BATCH, insert_rows
from gendan.quality.models import FirstArticle, Inspection, Sample
from gendan.sales.models import SalesOrder
from gendan.tracking.defaults import templates_sync
from gendan.tracking.hooks import Milestone, milestone_forecast, milestone_reached, milestone_reopened
from gendan.tracking.models import (
    ActionItem,
    Communication,
    Meeting,
    MilestoneTemplate,
    OrderMilestone,
    OrderPlan,
)
from gendan.tracking.scheduling import Point, Step, forecast, schedule
from gendan.tracking.services.plans import AFTER_SALES, plan_risk

S = SalesOrder.Status
# The orders whose plan is closed, and the reason on the milestones it skipped (``plan_close``).
# the reasons are written in the company's language, as the services write them (gettext at the time)
ENDED = {S.COMPLETED: _("order completed"), S.CLOSED: _("order closed"), S.CANCELLED: _("order cancelled")}
DAY = dt.timedelta(days=1)

# Holidays and make-up working days as published for 2026 (国务院办公厅 notice); companies
# maintain their own calendar on the calendar page — this only makes the demo realistic.
HOLIDAYS_2026 = [
    ("2026-01-01", "2026-01-03", "元旦"), ("2026-02-15", "2026-02-23", "春节"), ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"), ("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-25", "2026-09-27", "中秋节"), ("2026-10-01", "2026-10-07", "国庆节"),
    ("2027-01-01", "2027-01-03", "元旦"),
]
MAKE_UP_2026 = [("2026-01-04", "元旦调休"), ("2026-02-14", "春节调休"), ("2026-02-28", "春节调休"),
                ("2026-05-09", "劳动节调休"), ("2026-09-20", "国庆节调休"), ("2026-10-10", "国庆节调休")]

PLAN_COLUMNS = ["id", "order_id", "template_id", "promised_ex_factory", "predicted_ex_factory", "risk",
                "risk_kind", "risk_params", "is_active", "refreshed_on", "created_at", "updated_at", "version"]
MS_COLUMNS = ["id", "plan_id", "order_id", "sequence", "key", "name_zh", "name_en", "owner_role", "owner_id",
              "anchor", "offset_days", "day_kind", "predecessor_id", "completes_on", "required", "status",
              "planned_date", "expected_date", "forecast_date", "actual_date", "skip_reason", "version"]


def _calendar() -> None:
    rows = []
    for start, end, name in HOLIDAYS_2026:
        day, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        while day <= last:
            rows.append(CalendarDay(date=day, kind=CalendarDay.Kind.HOLIDAY, name=name))
            day += DAY
    rows += [CalendarDay(date=dt.date.fromisoformat(d), kind=CalendarDay.Kind.WORKDAY, name=n) for d, n in MAKE_UP_2026]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)


def _done_dates(story, today: dt.date) -> dict[str, dt.date]:
    """When the story passed each milestone (only dates up to today count)."""
    d = story.days
    confirmed = d.get("confirmed")
    got: dict[str, dt.date] = {}
    if not confirmed:
        return got
    got["po_received"] = confirmed
    got["pi_confirmed"] = confirmed + DAY * (story.index % 3)
    if "pay_deposit" in d and story.pattern != "deposit_part":
        got["deposit_received"] = d["pay_deposit"]
    if "release" in d:
        got["production_released"] = d["release"]
        got["bom_confirmed"] = d["release"] + 2 * DAY
        got["material_etas_confirmed"] = d["release"] + 3 * DAY
    if "production" in d and story.started:
        got["materials_in"] = d["production"] - DAY
        got["pp_sample_approved"] = d["production"] - DAY
        got["first_article_approved"] = d["production"]
        got["production_started"] = d["production"]
        got["inline_inspection"] = d["production"] + 10 * DAY
    if "ready" in d:
        got["production_finished"] = d["ready"] - DAY
        got["final_inspection"] = d["ready"]
        got["booking"] = d["ready"] - 5 * DAY
    first = story.shipments[0] if "ship0" in d else None  # its sailing: gendan.demo.sales._sail
    if first is not None:
        got["ex_factory"] = d["ship0"]
        got["etd"] = first.on_board or first.etd or d["ship0"] + DAY  # not done while the vessel has not sailed
        if first.advice_sent:
            got["shipping_advice"] = timezone.localdate(first.advice_sent)
        elif first.mode == "truck":  # a domestic delivery: the customer is told when it leaves
            got["shipping_advice"] = d["ship0"]
        if story.level >= 4:
            got["documents_sent"] = d["ship0"] + 6 * DAY
    if "pay_balance" in d or "pay_after" in d:
        if story.pattern == "paid":
            got["balance_received"] = d.get("pay_balance") or d["pay_after"]
    if first is not None:  # the check-ins were made when they fell due, unless that was this fortnight
        eta = first.eta or d["ship0"] + DAY + 30 * DAY
        if eta + 21 * DAY <= today:
            got["quality_check_in"] = eta + (7 + story.index % 3) * DAY
        if eta + 35 * DAY <= today:
            got["reorder_check_in"] = eta + (21 + story.index % 5) * DAY
    return {k: v for k, v in got.items() if v <= today}


# What an order's state says it went through (what money says — deposit, balance — is not here).
PASSED_BY_LEVEL = [
    (1, ("po_received", "pi_confirmed")),
    (2, ("production_released", "bom_confirmed", "material_etas_confirmed", "materials_in", "pp_sample_approved",
         "first_article_approved", "production_started", "inline_inspection")),
    (3, ("production_finished", "final_inspection", "booking")),
    (4, ("documents_sent", "quality_check_in", "reorder_check_in")),
]


def _passed(story) -> set[str]:
    """The milestones the story's state implies are behind it: the ones its dates do not name
    are done on their planned day (a merchandiser ticks them when they fall due), so only what
    the story leaves open — a deposit not paid, an order not yet released — is overdue."""
    keys = {key for level, ks in PASSED_BY_LEVEL if story.level >= level for key in ks}
    if not story.started:  # released, its materials still coming
        keys -= set(PASSED_BY_LEVEL[1][1][3:])
    if "ship0" in story.days:
        keys |= {"ex_factory", "shipping_advice"}
    return keys


def seed(ctx) -> None:
    templates_sync()
    _calendar()
    stories = [s for s in ctx.data.get("order_stories", []) if s.confirmed and s.order_id]
    if not stories:
        return
    today = timezone.localdate()
    templates = {}
    for t in MilestoneTemplate.objects.filter(is_default=True):
        steps = list(t.steps.all())
        templates[t.kind] = (t, steps, {s.key: s.predecessor_key for s in steps})
    calendar = WorkCalendar(today - dt.timedelta(days=800), today + dt.timedelta(days=400))
    salespeople = dict(SalesOrder.objects.filter(pk__in=[s.order_id for s in stories])
                       .values_list("pk", "salesperson_id"))
    next_plan = (OrderPlan.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    next_ms = (OrderMilestone.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    plans, milestones, risks = [], [], {"on_track": 0, "at_risk": 0, "late": 0}
    now = timezone.now()
    for story in stories:
        kind = "domestic" if story.customer.country == "CN" else "export"
        template, steps, after = templates[kind]
        first = story.shipments[0] if "ship0" in story.days else None
        etd = ((first.on_board or first.etd or story.days["ship0"] + DAY) if first is not None
               else story.ex_factory + dt.timedelta(days=template.etd_after_ex_factory))
        anchors = {"order_date": story.days["confirmed"], "ex_factory": story.ex_factory, "etd": etd,
                   "eta": etd + dt.timedelta(days=template.transit_days), "delivery": story.ex_factory + 3 * DAY}
        planned = schedule([Step.of(s) for s in steps], anchors, calendar)
        done = _done_dates(story, today)
        passed = _passed(story)
        # The balance is planned when the terms make it due (30 or 60 days after shipment for some),
        # not when the template's two weeks after sailing say: finance's payment plan knows it.
        due = next((i.due_date for i in story.plan if i.kind == "balance"), None)
        if due and due > planned["balance_received"]:
            planned["balance_received"] = due
        cancelled = story.state == S.CANCELLED
        # As ``plan_close`` leaves a plan whose order ended: open milestones skipped with the reason
        # (a completed or closed order keeps its after-sales check-ins), no risk.
        ended = ENDED.get(story.state, "")
        plan_id = next_plan
        next_plan += 1
        ids = {s.key: next_ms + i for i, s in enumerate(steps)}
        next_ms += len(steps)
        rows = []
        for s in steps:
            status, actual, reason = "open", done.get(s.key), ""
            if actual:
                status = "done"
            elif s.key == "deposit_received" and not story.deposit:
                status, reason = "skipped", str(_("no deposit in the payment terms"))
            elif ended and (cancelled or s.key not in AFTER_SALES):
                status, reason = "skipped", str(ended)
            elif story.level >= 4 and s.key in ("inline_inspection", "first_article_approved"):
                status, reason = "skipped", str(_("not needed for this order"))
            elif s.key in passed and planned[s.key] < today:  # the order is past it: done when it fell due
                status, actual = "done", planned[s.key]
            owner = {Role.MERCHANDISER: story.merchandiser_id,
                     Role.SALES: salespeople.get(story.order_id) or story.merchandiser_id}.get(s.owner_role)
            rows.append(OrderMilestone(
                pk=ids[s.key], plan_id=plan_id, order_id=story.order_id, sequence=s.sequence, key=s.key,
                name_zh=s.name_zh, name_en=s.name_en, owner_role=s.owner_role, owner_id=owner, anchor=s.anchor,
                offset_days=s.offset_days, day_kind=s.day_kind, completes_on=s.completes_on, required=s.required,
                status=status, planned_date=planned[s.key], actual_date=actual, skip_reason=reason,
                expected_date=None,
                predecessor_id=ids.get(s.predecessor_key)))
        forecasts = forecast([Point(m.key, after[m.key], m.planned_date, m.expected_date, m.actual_date, m.status,
                                    m.anchor)
                              for m in rows], today)
        for m in rows:
            m.forecast_date = forecasts[m.key]
        active = not ended
        # Assessed as a plan not (yet) active: that only skips the per-order question of a missed
        # booking cut-off (tracking.cutoffs), which no demo order has — the bookings written so far
        # are those of shipments that left, their cut-offs met; the open orders' come later, their
        # cut-offs ahead (gendan.demo.shipping.plans).
        plan = OrderPlan(promised_ex_factory=story.ex_factory, predicted_ex_factory=story.ex_factory,
                         is_active=False)
        predicted, risk, why_kind, why_params = (plan_risk(plan, rows, today) if active
                                                 else (story.ex_factory, "on_track", "", {}))
        risks[risk] += 1
        plans.append((plan_id, story.order_id, template.pk, story.ex_factory, predicted, risk, why_kind, why_params, active,
                      today, now, now, 1))
        milestones.extend((m.pk, plan_id, m.order_id, m.sequence, m.key, m.name_zh, m.name_en, m.owner_role,
                           m.owner_id, m.anchor, m.offset_days, m.day_kind, m.predecessor_id, m.completes_on,
                           m.required, m.status, m.planned_date, m.expected_date, m.forecast_date, m.actual_date,
                           m.skip_reason, 1) for m in rows)
        if len(milestones) >= BATCH * 20:
            _flush(plans, milestones)
    _flush(plans, milestones)
    _reset_sequences()
    ctx.say(f"  {len(stories)} T&A plans ({risks['on_track']} on track, {risks['at_risk']} at risk, "
            f"{risks['late']} late)")
    _communications_and_meeting(ctx, stories, today)


def follow(ctx) -> None:
    """Run after the production, purchasing, quality and planning demo steps: tell the plans what
    those steps recorded, through the same hooks their services call (a few hundred orders)."""
    today = timezone.localdate()
    calls = _reinspections(today) + _material_slips(ctx, today)
    inspections = list(Inspection.objects.filter(status__in=["passed", "booked"]).select_related("sales_order")
                       .order_by("planned_on"))
    for inspection in inspections:
        key = Milestone.FINAL_INSPECTION if inspection.kind == "final" else Milestone.INLINE_INSPECTION
        if inspection.status == "passed" and inspection.inspected_on:
            milestone_reached(order=inspection.sales_order, key=key, actor=None, on=inspection.inspected_on)
        elif inspection.planned_on >= today:
            milestone_forecast(order=inspection.sales_order, key=key, actor=None, on=inspection.planned_on,
                               reason=inspection.number)
        calls += 1
    for article in FirstArticle.objects.filter(status="approved").select_related("sales_order"):
        day = timezone.localdate(article.qc_signed_at) if article.qc_signed_at else today
        milestone_reached(order=article.sales_order, key=Milestone.FIRST_ARTICLE_APPROVED, actor=None,
                          on=min(day, today))
        calls += 1
    for sample in Sample.objects.filter(kind="pp", status="approved").select_related("sales_order"):
        milestone_reached(order=sample.sales_order, key=Milestone.PP_SAMPLE_APPROVED, actor=None,
                          on=min(timezone.localdate(sample.updated_at), today))
        calls += 1
    ctx.say(f"  T&A told of {calls} inspections, first articles and samples")


def _reinspections(today: dt.date) -> int:
    """A final inspection that failed reopens the order's milestone, expected on the day its
    re-inspection is booked (the ex-factory date may follow): the reason is on the timeline."""
    booked = list(Inspection.objects.filter(kind="final", status="booked", reinspection_of__isnull=False,
                                            planned_on__gte=today)
                  .select_related("sales_order", "reinspection_of").order_by("planned_on", "pk"))
    for inspection in booked:
        failed = inspection.reinspection_of
        milestone_reopened(order=inspection.sales_order, key=Milestone.FINAL_INSPECTION, actor=None,
                           reason=f"{failed.number}: {failed.result_notes or 'failed'}"[:300])
        milestone_forecast(order=inspection.sales_order, key=Milestone.FINAL_INSPECTION, actor=None,
                           on=inspection.planned_on, reason=f"{inspection.number} 复验 / re-inspection")
    return len(booked)


SLIPPED_EVERY = 4  # of the orders whose materials are due within ten days, one in four waits longer


def _material_slips(ctx, today: dt.date) -> int:
    """A material supplier moved its ETA: the materials milestone is expected later, production
    start and ex-factory follow (``milestone_forecast``, as purchasing's supplier-ETA update calls it)."""
    due = list(OrderMilestone.objects.filter(
        key=Milestone.MATERIALS_IN, status="open", plan__is_active=True, order__status=S.IN_PRODUCTION,
        planned_date__gte=today, planned_date__lte=today + 10 * DAY).select_related("order").order_by("order_id"))
    slipped = due[::SLIPPED_EVERY]
    for n, milestone in enumerate(slipped):
        new = milestone.planned_date + (5 + (milestone.order_id + n) % 8) * DAY
        milestone_forecast(order=milestone.order, key=Milestone.MATERIALS_IN, actor=None, on=new,
                           reason=SLIP_REASONS[n % len(SLIP_REASONS)] % {"day": new.isoformat()})
    if slipped:
        ctx.say(f"  {len(slipped)} material ETAs moved by their suppliers")
    return len(slipped)


SLIP_REASONS = ["面料供应商来函：染色返工，新到料日期 %(day)s / Fabric supplier: dyeing redone, new ETA %(day)s",
                "包材供应商纸箱缺料，新交期 %(day)s / Carton supplier short of board, new ETA %(day)s",
                "五金件海关查验延误，预计 %(day)s 到厂 / Hardware held at customs, expected %(day)s"]


INBOUND = ["客户询问出货日期，要求本周回复 / Buyer asks for the shipping date, reply this week",
           "客户要求修改唛头：增加条码 / Buyer wants the barcode added to the shipping marks",
           "客户确认产前样颜色 OK，尺寸待确认 / PP sample colour OK, size to be confirmed",
           "客户催要验货报告 / Buyer asks for the inspection report"]
OUTBOUND = ["已回复客户：预计出厂日期不变 / Replied: ex-factory date unchanged",
            "已发产前样照片给客户确认 / Sent PP sample photos for approval",
            "电话告知客户订金已收到，已安排生产 / Called: deposit received, production scheduled"]


def _communications_and_meeting(ctx, stories, today: dt.date) -> None:
    """A few contacts per open order of the first 200 (some inbound ones still to answer, some
    follow-ups due), and next Monday's production meeting with its action items."""
    open_stories = [s for s in stories if s.state in (S.CONFIRMED, S.IN_PRODUCTION, S.READY) and s.merchandiser_id]
    open_stories = open_stories[-200:]
    calendar = WorkCalendar(today - dt.timedelta(days=30), today + dt.timedelta(days=30))
    now = timezone.now()
    rows = []
    for i, story in enumerate(open_stories):
        when = now - dt.timedelta(days=i % 6, hours=i % 9)
        day = timezone.localtime(when).date()
        inbound = Communication(
            customer_id=story.customer.pk, order_id=story.order_id, channel="email" if i % 3 else "wechat",
            direction="in", contact_name="Buyer", occurred_at=when, summary=INBOUND[i % len(INBOUND)],
            reply_due=calendar.add_working_days(day, 0), owner_id=story.merchandiser_id)
        rows.append(inbound)
        if i % 4:  # answered the same day
            rows.append(Communication(
                customer_id=story.customer.pk, order_id=story.order_id, channel="email", direction="out",
                contact_name="Buyer", occurred_at=when + dt.timedelta(hours=2), summary=OUTBOUND[i % len(OUTBOUND)],
                follow_up_date=today + dt.timedelta(days=i % 5) if i % 5 == 1 else None,
                owner_id=story.merchandiser_id))
    Communication.objects.bulk_create(rows, batch_size=BATCH)
    answered = []
    for inbound, reply in zip(rows, rows[1:], strict=False):
        if inbound.direction == "in" and reply.direction == "out" and reply.order_id == inbound.order_id:
            inbound.replied_by = reply
            answered.append(inbound)
    Communication.objects.bulk_update(answered, ["replied_by"], batch_size=BATCH)
    planner = ctx.users.get("planner") or ctx.users["admin"]
    merch = ctx.users.get("merch") or planner
    monday = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
    starts = timezone.make_aware(dt.datetime.combine(monday, dt.time(9, 0)))
    meeting = Meeting.objects.create(title="每周生产会议 / Weekly production meeting", starts_at=starts,
                                     location="二楼会议室", organiser=planner,
                                     agenda="1. 本周出货\n2. 缺料与延误订单\n3. 验货安排")
    attendees = [u for u in (planner, merch, ctx.users.get("buyer"), ctx.users.get("qc"), ctx.users.get("gm")) if u]
    meeting.attendees.set(attendees)
    last = Meeting.objects.create(title="每周生产会议 / Weekly production meeting", organiser=planner,
                                  starts_at=starts - dt.timedelta(days=7), location="二楼会议室", status="held",
                                  minutes="缺料订单逐一确认交期；验货排期见附表。", notice_sent_at=starts - dt.timedelta(days=8))
    last.attendees.set(attendees)
    late = [s for s in open_stories if s.state == S.IN_PRODUCTION][:2]
    ActionItem.objects.bulk_create([
        ActionItem(meeting=last, order_id=late[0].order_id if late else None, owner=merch,
                   description="与客户确认新的出货日期 / Agree the new ship date with the buyer",
                   due_date=today - dt.timedelta(days=1)),
        ActionItem(meeting=last, order_id=late[1].order_id if len(late) > 1 else None,
                   owner=ctx.users.get("buyer") or planner,
                   description="催供应商确认面料交期 / Chase the fabric supplier for the ETA",
                   due_date=today + dt.timedelta(days=2)),
    ])
    ctx.say(f"  {len(rows)} communications, 2 meetings")


def _flush(plans: list, milestones: list) -> None:
    # Plans first: the milestones' foreign keys point at them (checked at once on PostgreSQL
    # only at commit, on SQLite at commit too — but keep the natural order).
    insert_rows(OrderPlan, PLAN_COLUMNS, plans)
    insert_rows(OrderMilestone, MS_COLUMNS, milestones)
    plans.clear()
    milestones.clear()


def _reset_sequences() -> None:
    """Explicit ids were inserted: move PostgreSQL's id sequences past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [OrderPlan, OrderMilestone]):
            cursor.execute(sql)
