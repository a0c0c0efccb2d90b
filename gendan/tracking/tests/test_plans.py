"""An order's T&A plan through its life: generated on confirmation (backwards from the
ex-factory date), the too-late warning before confirming, milestones completed by the
order's own events (idempotently), by people (with the predecessor rule), rescheduled with
the forecast moving down the chain and the risk following, re-planned after a change order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone, translation

from gendan.core.calendar import working_days_between
from gendan.core.errors import ConflictError, NotAllowed, ValidationFailed
from gendan.core.events import timeline_for
from gendan.core.models import Event
from gendan.tracking.hooks import Milestone, milestone_reached
from gendan.tracking.models import OrderMilestone, OrderPlan
from gendan.tracking.services import milestones as svc
from gendan.tracking.services.plans import plan_preview, plans_refresh_stale
from gendan.tracking.tests.conftest import make_confirmed, make_draft, pay, record_confirmations

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def ms(order, key) -> OrderMilestone:
    return OrderMilestone.objects.get(order=order, key=key)


def by_hand(order, key) -> OrderMilestone:
    """The milestone as a company's own template has it: no event completes it, people tick it."""
    OrderMilestone.objects.filter(order=order, key=key).update(completes_on="")
    return ms(order, key)


def test_confirming_an_order_makes_its_plan_backwards_from_the_ex_factory_date(people):
    order = make_confirmed(people)
    plan = OrderPlan.objects.get(order=order)
    keys = list(plan.milestones.values_list("key", flat=True))
    assert keys[:4] == ["po_received", "pi_confirmed", "deposit_received", "production_released"]
    assert "quality_check_in" in keys and "reorder_check_in" in keys  # after-sales check-ins
    x = order.ex_factory_date
    assert ms(order, "ex_factory").planned_date == x
    assert ms(order, "final_inspection").planned_date == x - dt.timedelta(days=1)
    assert ms(order, "materials_in").planned_date == x - dt.timedelta(days=33)
    etd = x + dt.timedelta(days=4)
    assert ms(order, "quality_check_in").planned_date == etd + dt.timedelta(days=30 + 7)  # ETA + 7
    assert ms(order, "reorder_check_in").planned_date == etd + dt.timedelta(days=30 + 21)  # ETA + 21
    # The order's merchandiser owns the merchandiser's milestones; finance's are the department's.
    assert ms(order, "booking").owner == people.merch
    assert ms(order, "deposit_received").owner is None and ms(order, "deposit_received").owner_role == "finance"
    # Confirmation itself completed the first milestone, linked to the confirmation event.
    first = ms(order, "po_received")
    assert first.status == "done" and first.actual_date == timezone.localdate()
    assert first.completed_event.verb == Event.Verb.STATE_CHANGED
    assert plan.risk == OrderPlan.Risk.ON_TRACK and plan.predicted_ex_factory == x
    assert any(e.text.startswith("T&A plan created") for e in timeline_for(order))


def test_the_draft_shows_which_milestones_are_impossible_before_confirming(people):
    today = timezone.localdate()
    order = make_draft(people, ex_factory_date=today + dt.timedelta(days=20))  # far too short for 75 days
    preview = plan_preview(order, today=today)
    late = {row["step"].key: row["late_by"] for row in preview["impossible"]}
    forecasts = {row["step"].key: row["forecast"] for row in preview["rows"]}
    x = order.ex_factory_date
    # Materials were due 33 days before ex-factory (13 days ago); they can come in at the
    # earliest the day after their ETAs are confirmed, at the end of the chain from the order.
    assert late["materials_in"] == (forecasts["material_etas_confirmed"] + dt.timedelta(days=1)
                                    - (x - dt.timedelta(days=33))).days > 13
    # The PP sample and everything counted back from ex-factory slip with the materials.
    assert late["pp_sample_approved"] == late["materials_in"] == late["ex_factory"]
    assert "deposit_received" not in late and "po_received" not in late
    roomy = make_draft(people, po="PO-ROOMY", ex_factory_date=today + dt.timedelta(days=90))
    assert plan_preview(roomy, today=today)["impossible"] == []


def test_the_orders_own_events_complete_milestones_once(people):
    from gendan.production.services.release import order_release_production
    from gendan.sales.services.documents import document_issue

    order = make_confirmed(people)
    document_issue(actor=people.merch, order_id=order.pk, kind="pi")
    assert ms(order, "pi_confirmed").status == "done"
    pay(people, order, str(order.deposit_amount))
    deposit = ms(order, "deposit_received")
    assert deposit.status == "done" and deposit.actual_date == timezone.localdate()
    order_release_production(actor=people.merch, order_id=order.pk, assignments=[
        {"supplier": people.factory, "due_date": order.ex_factory_date}])
    released = ms(order, "production_released")
    assert released.status == "done" and released.completed_event is not None
    # The same event again (a module calling twice) changes nothing.
    before = (released.version, released.actual_date, Event.objects.count())
    milestone_reached(order=order, key=Milestone.PRODUCTION_RELEASED, actor=people.merch,
                      on=timezone.localdate() + dt.timedelta(days=1))
    released.refresh_from_db()
    assert (released.version, released.actual_date, Event.objects.count()) == before


def test_an_order_without_a_deposit_skips_the_deposit_milestone(people):
    order = make_confirmed(people, payment_method="lc_sight", deposit_percent=Decimal("0"))
    deposit = ms(order, "deposit_received")
    assert deposit.status == "skipped" and "no deposit" in deposit.skip_reason


def test_completing_before_the_predecessor_needs_a_reason_and_refusal_saves_nothing(people):
    order = make_confirmed(people)
    booking = by_hand(order, "booking")  # after production start, which is open
    with pytest.raises(ValidationFailed) as exc:
        svc.milestone_complete(actor=people.merch, milestone_id=booking.pk)
    assert exc.value.code == "predecessor_open"
    assert "Production start" in str(exc.value.message)
    booking.refresh_from_db()
    assert booking.status == "open" and booking.version == 1
    svc.milestone_complete(actor=people.merch, milestone_id=booking.pk, reason="Forwarder booked early for CNY")
    booking.refresh_from_db()
    assert booking.status == "done" and booking.completed_by == people.merch
    event = Event.objects.filter(object_id=order.pk, reason="Forwarder booked early for CNY").get()
    assert "Booking" in event.text


def test_rescheduling_moves_the_chain_and_the_orders_risk(people):
    order = make_confirmed(people)
    plan = OrderPlan.objects.get(order=order)
    assert plan.risk == "on_track"
    materials = ms(order, "materials_in")
    with pytest.raises(ValidationFailed):
        svc.milestone_reschedule(actor=people.merch, milestone_id=materials.pk,
                                 expected_date=materials.planned_date + dt.timedelta(days=10), reason="  ")
    with pytest.raises(ValidationFailed) as exc:
        svc.milestone_reschedule(actor=people.merch, milestone_id=materials.pk, expected_date="31/12/2026",
                                 reason="fabric late")
    assert "YYYY-MM-DD" in str(exc.value.message)
    materials.refresh_from_db()
    assert materials.expected_date is None
    # Purchasing hears the fabric comes 10 days late: everything after it moves 10 days.
    svc.milestone_reschedule(actor=people.merch, milestone_id=materials.pk,
                             expected_date=materials.planned_date + dt.timedelta(days=10),
                             reason="Fabric mill delayed dyeing")
    plan.refresh_from_db()
    assert ms(order, "pp_sample_approved").forecast_date == ms(order, "pp_sample_approved").planned_date + \
        dt.timedelta(days=10)
    assert ms(order, "ex_factory").forecast_date == order.ex_factory_date + dt.timedelta(days=10)
    assert plan.risk == "late" and plan.predicted_ex_factory == order.ex_factory_date + dt.timedelta(days=10)
    assert "10 days after the promised date" in plan.why
    timeline = list(Event.objects.filter(object_id=order.pk, reason="Fabric mill delayed dyeing"))
    assert timeline and "Materials in house" in timeline[0].text
    assert any("after the promised date" in e.text for e in timeline_for(order))


def test_a_stale_milestone_edit_is_refused(people):
    order = make_confirmed(people)
    m = ms(order, "pi_confirmed")
    svc.milestone_note(actor=people.merch, milestone_id=m.pk, note="Customer reads PI tomorrow",
                       expected_version=1)
    with pytest.raises(ConflictError):
        svc.milestone_complete(actor=people.merch, milestone_id=m.pk, expected_version=1)
    m.refresh_from_db()
    assert m.status == "open" and "Customer reads PI tomorrow" in m.notes


def test_only_the_owner_the_merchandiser_or_a_manager_may_update(people):
    order = make_confirmed(people)
    deposit = ms(order, "deposit_received")
    with pytest.raises(NotAllowed):
        svc.milestone_complete(actor=people.qc, milestone_id=deposit.pk)  # QC is not finance
    with pytest.raises(Http404):  # another team's merchandiser does not even see the order
        svc.milestone_complete(actor=people.other_merch, milestone_id=deposit.pk)
    deposit.refresh_from_db()
    assert deposit.status == "open"
    svc.milestone_note(actor=people.finance, milestone_id=deposit.pk, note="Chased buyer's AP",
                       follow_up_date=timezone.localdate() + dt.timedelta(days=2))


def test_a_change_order_re_plans_open_milestones_and_keeps_actual_dates(people):
    from gendan.sales.services.revisions import order_revise, order_revision_apply

    order = make_confirmed(people)
    done = ms(order, "po_received")
    new_x = order.ex_factory_date + dt.timedelta(days=14)
    order_revise(actor=people.merch, order_id=order.pk, data={"ex_factory_date": new_x},
                 lines=None, reason="Customer moved the ship window")
    record_confirmations(people, order)
    order_revision_apply(actor=people.merch, order_id=order.pk)
    assert ms(order, "ex_factory").planned_date == new_x
    assert ms(order, "materials_in").planned_date == new_x - dt.timedelta(days=33)
    again = ms(order, "po_received")
    assert (again.status, again.actual_date, again.planned_date) == ("done", done.actual_date, done.planned_date)
    plan = OrderPlan.objects.get(order=order)
    assert plan.promised_ex_factory == new_x and plan.risk == "on_track"


def test_the_daily_refresh_makes_an_unfinished_milestone_push_its_successors(people):
    # Room enough that a five-day slip is a risk, not a delay, even when a long holiday follows the order.
    order = make_confirmed(people, ex_factory_date=timezone.localdate() + dt.timedelta(days=90))
    pi = ms(order, "pi_confirmed")
    later = pi.planned_date + dt.timedelta(days=5)  # five days after PI was due, still not done
    assert plans_refresh_stale(today=later) == 1
    assert plans_refresh_stale(today=later) == 0  # once a day
    plan = OrderPlan.objects.get(order=order)
    assert plan.risk == "at_risk" and "overdue" in plan.why
    deposit = ms(order, "deposit_received")
    assert deposit.forecast_date == deposit.planned_date + dt.timedelta(days=5)


def test_cancelling_skips_the_open_milestones(people):
    from gendan.sales.services.lifecycle import order_cancel

    order = make_confirmed(people)
    order_cancel(actor=people.merch, order_id=order.pk, reason="Buyer went bankrupt")
    assert not OrderMilestone.objects.filter(order=order, status="open").exists()
    assert OrderPlan.objects.get(order=order).is_active is False


def test_the_reason_for_a_risk_is_shown_in_each_readers_language(people):
    """The plan stores why as a kind and its parameters, not as text in the language of whoever
    (or whichever nightly run) refreshed it: the same plan reads in Chinese and in English."""
    order = make_confirmed(people, ex_factory_date=timezone.localdate() + dt.timedelta(days=90))
    later = ms(order, "pi_confirmed").planned_date + dt.timedelta(days=5)
    with translation.override("zh-hans"):  # the nightly run happens to work in Chinese
        plans_refresh_stale(today=later)
    plan = OrderPlan.objects.get(order=order)
    with translation.override("en"):
        english = plan.why
    with translation.override("zh-hans"):
        chinese = plan.why
    assert "overdue" in english and not any("\u4e00" <= ch <= "\u9fff" for ch in english)
    assert "overdue" not in chinese and any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
    assert plan.risk_reason == ""  # no frozen text


@pytest.mark.dates
def test_material_etas_are_confirmed_three_working_days_after_the_bom(people):
    """Seed 001 第五篇 三: within three days of the BOM the purchaser checks every material's arrival."""
    order = make_confirmed(people, ex_factory_date=timezone.localdate() + dt.timedelta(days=90))
    bom, etas = ms(order, "bom_confirmed"), ms(order, "material_etas_confirmed")
    assert working_days_between(bom.planned_date, etas.planned_date) == 3
