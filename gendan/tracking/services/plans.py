"""Order plans: choose the template, generate the plan on confirmation (scheduled backwards
from the ex-factory date), preview it before confirming, re-plan after a change order or a
shipment, and refresh forecasts and risk.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gendan.accounts.roles import Role
from gendan.core.calendar import WorkCalendar
from gendan.core.events import bilingual, event_kinds, event_record, render_params, tr
from gendan.core.models import Event
from gendan.sales.models import SalesOrder
from gendan.tracking import cutoffs, events
from gendan.tracking.keys import Milestone as Key
from gendan.tracking.models import MilestoneTemplate, OrderMilestone, OrderPlan
from gendan.tracking.scheduling import Point, Step, forecast, schedule
from gendan.tracking.services.delay_notices import delay_notice_draft
from gendan.tracking.workflows import MILESTONE, is_open

MS = OrderMilestone.Status


def template_kind(order) -> str:
    return MilestoneTemplate.Kind.DOMESTIC if order.customer.country == "CN" else MilestoneTemplate.Kind.EXPORT


def _order_category_id(order) -> int | None:
    # The lines' categories alone, not the lines and their products (in the lines' order: the
    # first met wins a tie, as before). One order's lines: by line number, the default ordering
    # without its join to the order's own ordering (the order is the same for every line).
    categories = Counter(order.lines.filter(product__category__isnull=False).order_by("line_no")
                         .values_list("product__category_id", flat=True))
    return categories.most_common(1)[0][0] if categories else None


def template_for(order) -> MilestoneTemplate | None:
    """The most specific active template of the order's kind: customer + category, customer,
    category, then the kind's default."""
    category_id = _order_category_id(order)
    candidates = MilestoneTemplate.objects.filter(
        Q(customer=order.customer_id) | Q(customer__isnull=True),
        Q(category=category_id) | Q(category__isnull=True),
        kind=template_kind(order), is_active=True,
    )

    def score(t: MilestoneTemplate) -> tuple:
        return (t.customer_id is not None, t.category_id is not None, t.is_default, -t.pk)

    ranked = [t for t in candidates if t.customer_id or t.category_id or t.is_default]
    return max(ranked, key=score) if ranked else None


def anchors_for(order, template: MilestoneTemplate, *, etd: dt.date | None = None,
                eta: dt.date | None = None) -> dict[str, dt.date]:
    """The dates the template's offsets count from. The order date is the day the order was
    confirmed (today for a draft: the day it would be); ETD and ETA are estimates until the
    goods ship; the delivery date is the requested one, else three days after ex-factory."""
    ex_factory = order.ex_factory_date
    etd = etd or ex_factory + dt.timedelta(days=template.etd_after_ex_factory)
    confirmed = timezone.localdate(order.confirmed_at) if order.confirmed_at else timezone.localdate()
    return {
        "order_date": confirmed,
        "ex_factory": ex_factory,
        "etd": etd,
        "eta": eta or etd + dt.timedelta(days=template.transit_days),
        "delivery": order.requested_delivery_date or ex_factory + dt.timedelta(days=3),
    }


def _shipment_dates(order) -> tuple[dt.date | None, dt.date | None]:
    # Only shipments that left (a planned one has no date yet); the on-board date is the real ETD.
    shipments = [s for s in order.shipments.all() if s.shipped_on]
    if not shipments:
        return None, None
    first = min(shipments, key=lambda s: (s.shipped_on, s.pk))
    return first.on_board_on or first.etd or first.shipped_on, first.eta


def default_owner(order, role: str):
    """Who owns a milestone of ``role`` on ``order``: the order's merchandiser or salesperson;
    for other departments nobody in particular — the whole department sees it on its board."""
    if role == Role.MERCHANDISER:
        return order.merchandiser
    if role == Role.SALES:
        return order.salesperson or order.merchandiser
    return None


def _calendar_for(dates) -> WorkCalendar:
    dates = [d for d in dates if d]
    return WorkCalendar(min(dates) - dt.timedelta(days=60), max(dates) + dt.timedelta(days=120))


def plan_preview(order, *, today: dt.date | None = None) -> dict:
    """What the plan would be if the order were confirmed now, and which milestones are
    already impossible (their plan is in the past, or their predecessors cannot be done in
    time) and by how many days. Nothing is saved."""
    today = today or timezone.localdate()
    template = template_for(order)
    if template is None:
        return {"template": None, "rows": [], "impossible": []}
    steps = list(template.steps.all())
    anchors = anchors_for(order, template)
    planned = schedule([Step.of(s) for s in steps], anchors, _calendar_for(anchors.values()))
    # At confirmation the order itself is the first milestone reached.
    points = [Point(s.key, s.predecessor_key, planned[s.key], None,
                    today if s.completes_on == "po_received" else None,
                    MS.DONE if s.completes_on == "po_received" else MS.OPEN, s.anchor) for s in steps]
    forecasts = forecast(points, today)
    rows, impossible = [], []
    for step in steps:
        late_by = (forecasts[step.key] - planned[step.key]).days
        row = {"step": step, "planned": planned[step.key], "forecast": forecasts[step.key],
               "late_by": max(0, late_by) if step.completes_on != "po_received" else 0}
        rows.append(row)
        if row["late_by"] > 0:
            impossible.append(row)
    return {"template": template, "rows": rows, "impossible": impossible}


def plan_generate(*, order, actor, today: dt.date | None = None) -> OrderPlan | None:
    """Create ``order``'s plan from its template. Call inside the confirming transaction
    (the order is locked). An order that already has a plan keeps it."""
    plan = plan_generate_with_milestones(order=order, actor=actor, today=today)[0]
    plan_cutoff_forget(plan)
    return plan


def plan_generate_with_milestones(*, order, actor, today: dt.date | None = None
                                  ) -> tuple[OrderPlan | None, list[OrderMilestone] | None]:
    """``plan_generate``, with the milestones it made as they stand (``None`` when the order
    kept its plan or no template fits): a caller that completes one at once reads none again.
    A plan made here keeps its order's missed cut-off for that completion's refresh; the caller
    calls ``plan_cutoff_forget`` once it is done."""
    if OrderPlan.objects.filter(order=order).exists():
        return order.plan, None
    template = template_for(order)
    if template is None:
        return None, None
    today = today or timezone.localdate()
    steps = list(template.steps.all())
    anchors = anchors_for(order, template)
    planned = schedule([Step.of(s) for s in steps], anchors, _calendar_for(anchors.values()))
    plan = OrderPlan.objects.create(order=order, template=template, promised_ex_factory=order.ex_factory_date,
                                    predicted_ex_factory=order.ex_factory_date, refreshed_on=today)
    plan._cutoff_kept = {}  # see _missed_cutoff
    # L/C, O/A, D/P…: no deposit to wait for — its milestone is made skipped.
    no_deposit = order.deposit_amount <= 0
    skip_reason = _("no deposit in the payment terms")[:300] if no_deposit else ""
    milestones = OrderMilestone.objects.bulk_create([
        OrderMilestone(plan=plan, order=order, sequence=s.sequence, key=s.key, name_zh=s.name_zh, name_en=s.name_en,
                       owner_role=s.owner_role, owner=default_owner(order, s.owner_role), anchor=s.anchor,
                       offset_days=s.offset_days, day_kind=s.day_kind, completes_on=s.completes_on,
                       required=s.required, planned_date=planned[s.key], forecast_date=planned[s.key],
                       **({"status": MS.SKIPPED, "skip_reason": skip_reason}
                          if no_deposit and s.completes_on == "deposit_received" else {}))
        for s in steps
    ])
    if any(s.predecessor_key for s in steps):
        if any(m.pk is None for m in milestones):  # a backend that does not return ids
            milestones = list(plan.milestones.all())
        by_key = {m.key: m for m in milestones}
        after = {s.key: s.predecessor_key for s in steps}
        for m in milestones:
            m.predecessor = by_key.get(after[m.key])
        _save_predecessors([m for m in milestones if m.predecessor])
    event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, kind=events.PLAN_CREATED,
                 params={"template": template.name, "n": len(milestones), "date": order.ex_factory_date.isoformat()})
    plan_refresh(plan=plan, today=today, actor=None, milestones=milestones)
    return plan, milestones


def plan_replan(*, order, actor, reason: str, today: dt.date | None = None) -> OrderPlan | None:
    """Recompute the planned dates of open milestones from the order's current dates (after a
    change order moved the ex-factory date, or the shipment fixed ETD / ETA). Done milestones
    keep their dates. Call inside a transaction."""
    try:
        plan = OrderPlan.objects.select_for_update().get(order=order)
    except OrderPlan.DoesNotExist:
        return None
    today = today or timezone.localdate()
    milestones = list(plan.milestones.all())
    template = plan.template or template_for(order) or MilestoneTemplate(etd_after_ex_factory=4, transit_days=30)
    etd, eta = _shipment_dates(order)
    anchors = anchors_for(order, template, etd=etd, eta=eta)
    by_id = {m.pk: m for m in milestones}
    steps = [Step(m.key, m.anchor, m.offset_days, m.day_kind,
                  by_id[m.predecessor_id].key if m.predecessor_id in by_id else "", m.display_name)
             for m in milestones]
    planned = schedule(steps, anchors, _calendar_for(anchors.values()))
    moved = []
    for m in milestones:
        if is_open(MILESTONE, m) and m.planned_date != planned[m.key]:
            m.planned_date = planned[m.key]
            moved.append(m)
    if moved:
        OrderMilestone.objects.bulk_update(moved, ["planned_date"])
    promised_changed = plan.promised_ex_factory != order.ex_factory_date
    if moved or promised_changed:
        plan.promised_ex_factory = order.ex_factory_date
        plan.save(update_fields=["promised_ex_factory", "updated_at"])
        event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, reason=reason, kind=events.PLAN_REPLANNED,
                     params={"n": len(moved)})
    plan_refresh(plan=plan, today=today, actor=actor, milestones=milestones)
    return plan


def _assess(plan: OrderPlan, milestones: list[OrderMilestone], today: dt.date) -> tuple[dt.date, str, str, dict]:
    """(predicted ex-factory date, risk, why as an event kind, its parameters)."""
    ex_factory = next((m for m in milestones if m.key == "ex_factory"), None)
    if ex_factory is None:
        before = [m for m in milestones if m.anchor in ("order_date", "previous", "ex_factory")]
        predicted = max([plan.promised_ex_factory, *[m.forecast_date for m in before if m.anchor == "ex_factory"]])
    else:
        predicted = ex_factory.forecast_date
    shipped = ex_factory is not None and not is_open(MILESTONE, ex_factory)
    if predicted > plan.promised_ex_factory and not shipped:  # once the goods left, lateness is history
        days = (predicted - plan.promised_ex_factory).days
        return predicted, OrderPlan.Risk.LATE, events.RISK_LATE, {"date": predicted.isoformat(), "days": days}
    missed = _missed_cutoff(plan) if plan.is_active and not shipped else None
    if missed is not None:  # an exception on the T&A: the goods may miss the booked vessel
        return predicted, OrderPlan.Risk.AT_RISK, events.RISK_CUTOFF_MISSED, {
            "cutoff": tr(cutoffs.LABEL_MSGIDS[missed.field]), "no": missed.booking.booking_no or "—",
            "forwarder": missed.booking.forwarder.code, "at": missed.at.strftime("%Y-%m-%d %H:%M")}
    open_ms = [m for m in milestones if is_open(MILESTONE, m)]
    overdue = [m for m in open_ms if m.date_due < today]
    if overdue:
        first = min(overdue, key=lambda m: m.date_due)
        return predicted, OrderPlan.Risk.AT_RISK, events.RISK_OVERDUE, {
            "n": len(overdue), "name": bilingual(first.name_zh, first.name_en), "date": first.date_due.isoformat()}
    slipping = [m for m in open_ms if m.forecast_date > m.planned_date]
    if slipping:
        worst = max(slipping, key=lambda m: m.slip_days())
        return predicted, OrderPlan.Risk.AT_RISK, events.RISK_SLIPPING, {
            "name": bilingual(worst.name_zh, worst.name_en), "days": worst.slip_days()}
    return predicted, OrderPlan.Risk.ON_TRACK, events.RISK_ON_TRACK, {}


def _order_state(plan: OrderPlan) -> SalesOrder:
    """The plan's order as the cut-off check reads it (its state): the order in hand, else that
    state alone — a milestone completed by another app's event comes with a plan read without
    its order, and reading the whole order row was the costliest step of that completion."""
    if OrderPlan.order.is_cached(plan):
        return plan.order
    return SalesOrder.objects.only("status", "shipment_status").get(pk=plan.order_id)


def _missed_cutoff(plan: OrderPlan):
    """``cutoffs.missed_cutoff_for`` of the plan's order. A plan just made keeps the answer for its
    order's state until ``plan_cutoff_forget``: confirming refreshes it twice — once made, then when
    "PO received" is completed — and books no vessel in between (one query fewer)."""
    state = _order_state(plan)
    kept = plan.__dict__.get("_cutoff_kept")
    key = (state.pk, state.status, state.shipment_status)
    if kept is not None and kept.get("key") == key:
        return kept["missed"]
    missed = cutoffs.missed_cutoff_for(state)
    if kept is not None:
        kept.update(key=key, missed=missed)
    return missed


def plan_cutoff_forget(plan: OrderPlan | None) -> None:
    """Stop keeping the missed cut-off of a plan just made (``_missed_cutoff``): later refreshes ask again."""
    if plan is not None:
        plan.__dict__.pop("_cutoff_kept", None)


def _text(kind: str, params: dict) -> str:
    return _(event_kinds()[kind]) % render_params(params)


def plan_assess(plan: OrderPlan, milestones: list[OrderMilestone], today: dt.date) -> tuple[dt.date, str, str]:
    """Return (predicted ex-factory date, risk, why — in the active language, empty when on
    track) from milestones whose forecasts are current."""
    predicted, risk, kind, params = _assess(plan, milestones, today)
    return predicted, risk, "" if risk == OrderPlan.Risk.ON_TRACK else _text(kind, params)


def plan_risk(plan: OrderPlan, milestones: list[OrderMilestone], today: dt.date) -> tuple[dt.date, str, str, dict]:
    """Return (predicted ex-factory date, risk, why as a kind, its parameters) — what a plan
    stores, so the reason is shown in each reader's language (``OrderPlan.why``)."""
    predicted, risk, kind, params = _assess(plan, milestones, today)
    return (predicted, risk, "", {}) if risk == OrderPlan.Risk.ON_TRACK else (predicted, risk, kind, params)


def plan_refresh(*, plan: OrderPlan, today: dt.date | None = None, actor=None,
                 milestones: list[OrderMilestone] | None = None) -> OrderPlan:
    """Recompute every forecast and the order's risk; save what changed. When the predicted
    ex-factory date passes the promised one, draft a delay notice for the merchandiser."""
    today = today or timezone.localdate()
    milestones = milestones if milestones is not None else list(plan.milestones.all())
    by_id = {m.pk: m for m in milestones}
    points = [Point(m.key, by_id[m.predecessor_id].key if m.predecessor_id in by_id else "", m.planned_date,
                    m.expected_date, m.actual_date, m.status, m.anchor) for m in milestones]
    forecasts = forecast(points, today)
    changed = []
    for m in milestones:
        if m.forecast_date != forecasts[m.key]:
            m.forecast_date = forecasts[m.key]
            changed.append(m)
    if changed:
        _save_forecasts(changed)
    predicted, risk, why_kind, why_params = _assess(plan, milestones, today)
    if not plan.is_active:  # the order completed, closed or was cancelled: nothing is at risk
        risk, why_kind, why_params = OrderPlan.Risk.ON_TRACK, events.RISK_ON_TRACK, {}
    stored = ("", {}) if risk == OrderPlan.Risk.ON_TRACK else (why_kind, why_params)
    was_predicted, was_risk = plan.predicted_ex_factory, plan.risk
    if (predicted, risk, *stored, "", today) != (
            plan.predicted_ex_factory, plan.risk, plan.risk_kind, plan.risk_params, plan.risk_reason,
            plan.refreshed_on):
        plan.predicted_ex_factory, plan.risk, plan.refreshed_on = predicted, risk, today
        plan.risk_kind, plan.risk_params, plan.risk_reason = *stored, ""
        plan.save(update_fields=["predicted_ex_factory", "risk", "risk_kind", "risk_params", "risk_reason",
                                 "refreshed_on", "updated_at"])
    if risk != was_risk and actor is not None:
        event_record(actor=actor, obj=plan.order, verb=Event.Verb.NOTE,
                     changes={"risk": {"old": was_risk, "new": risk, "model": "tracking.orderplan"}},
                     kind=why_kind, params=why_params)
    if predicted > plan.promised_ex_factory and predicted != was_predicted:
        _draft_delay_notice(plan, predicted, plan.why)
    return plan


def _save_predecessors(milestones: list[OrderMilestone]) -> None:
    """Link the new milestones to their predecessors: one prepared UPDATE run for every row
    (``executemany``, one statement for the ORM's query count). ``bulk_update`` would build a
    CASE expression with a branch per row, which costs more in Python than the statements
    (bench/README.md, "Side by side with Tryton")."""
    meta, quote = OrderMilestone._meta, connection.ops.quote_name
    sql = (f"UPDATE {quote(meta.db_table)} SET {quote(meta.get_field('predecessor').column)} = %s "
           f"WHERE {quote(meta.pk.column)} = %s")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(m.predecessor_id, m.pk) for m in milestones])


def _save_forecasts(changed: list[OrderMilestone]) -> None:
    """Write the new forecast dates: one plain UPDATE per date when they share one or two (the
    usual case: a milestone done moves those after it alike), else one bulk_update — whose
    CASE over every row costs more to build than two small statements."""
    by_date: dict[dt.date, list[int]] = {}
    for m in changed:
        by_date.setdefault(m.forecast_date, []).append(m.pk)
    if len(by_date) > 2:
        OrderMilestone.objects.bulk_update(changed, ["forecast_date"])
        return
    for day, ids in by_date.items():
        OrderMilestone.objects.filter(pk__in=ids).update(forecast_date=day)


def _draft_delay_notice(plan: OrderPlan, predicted: dt.date, why: str) -> None:
    late = [m for m in plan.milestones.all() if is_open(MILESTONE, m) and m.forecast_date > m.planned_date]
    reason = "; ".join(f"{m.display_name} +{m.slip_days()}" for m in sorted(late, key=lambda m: m.sequence)[:3])
    delay_notice_draft(order=plan.order, new_date=predicted, reason=reason or why)


def plans_refresh_stale(*, today: dt.date | None = None, batch: int = 500) -> int:
    """Refresh the forecasts and risk of every open plan not yet refreshed today (a daily job:
    an open milestone that was due yesterday makes its successors slip today). Returns how
    many plans were refreshed."""
    today = today or timezone.localdate()
    count = 0
    while True:
        ids = list(OrderPlan.objects.filter(is_active=True, refreshed_on__lt=today).values_list("pk", flat=True)[:batch])
        if not ids:
            return count
        with transaction.atomic():
            # Orders first, then plans, each in id order: the order services' own lock order.
            order_ids = list(OrderPlan.objects.filter(pk__in=ids).values_list("order_id", flat=True))
            list(SalesOrder.objects.select_for_update().filter(pk__in=order_ids).order_by("pk").values_list("pk"))
            plans = (OrderPlan.objects.select_for_update().filter(pk__in=ids).select_related("order")
                     .order_by("pk"))
            milestones: dict[int, list] = {}
            for m in OrderMilestone.objects.filter(plan__in=ids).order_by("plan", "sequence"):
                milestones.setdefault(m.plan_id, []).append(m)
            for plan in plans:
                plan_refresh(plan=plan, today=today, milestones=milestones.get(plan.pk, []))
                count += 1


# Milestones that belong after the order's end: the customer's check-ins after arrival. A
# completed or closed order keeps them on the board; a cancelled one has no goods to ask about.
AFTER_SALES = (Key.QUALITY_CHECK_IN, Key.REORDER_CHECK_IN)


class PlanEnd:
    """Why a plan closes: the order completed (shipped and paid), was closed or was cancelled."""

    COMPLETED = "completed"
    CLOSED = "closed"
    CANCELLED = "cancelled"


def plan_close_reason(end: str, reason: str = "") -> str:
    """The reason written on each milestone the plan's end skips, in the active language."""
    if end == PlanEnd.CANCELLED:
        return (_("order cancelled: %(reason)s") % {"reason": reason})[:300]
    if end == PlanEnd.COMPLETED:
        return _("order completed")
    return _("order closed")


def plan_close(*, order, actor, end: str, reason: str = "") -> None:
    """The order completed, was closed or was cancelled: its plan stops counting. Its open
    milestones are skipped with that reason (the after-sales check-ins stay open unless the
    order was cancelled), its risk is cleared and the timeline says so. Idempotent."""
    plan = OrderPlan.objects.select_for_update().filter(order=order).first()
    if plan is None:
        return
    open_ = plan.milestones.filter(status__in=MILESTONE.sources(MS.SKIPPED))
    if end != PlanEnd.CANCELLED:
        open_ = open_.exclude(key__in=AFTER_SALES)
    why = plan_close_reason(end, reason)
    skipped = open_.update(status=MS.SKIPPED, skip_reason=why, version=F("version") + 1)
    was_active = plan.is_active
    plan.is_active = False
    plan.risk = OrderPlan.Risk.ON_TRACK
    plan.risk_kind, plan.risk_params, plan.risk_reason = "", {}, ""
    plan.save(update_fields=["is_active", "risk", "risk_kind", "risk_params", "risk_reason", "updated_at"])
    if was_active or skipped:
        event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, kind=events.PLAN_CLOSED,
                     params={"n": skipped, "why": _CLOSE_TEXT[end]})


_CLOSE_TEXT = {PlanEnd.COMPLETED: tr(gettext_noop("order completed")),
               PlanEnd.CLOSED: tr(gettext_noop("order closed")),
               PlanEnd.CANCELLED: tr(gettext_noop("order cancelled"))}
