"""The chase board through HTTP: what each person sees (their own milestones, their
department's unassigned ones, only orders in their scope), one-click complete, reschedule
and note with their refusals (nothing saved), the badge, the team view, the order list's
risk filter, and a query count that does not grow with the board."""

from __future__ import annotations

import datetime as dt

import pytest

from gendan.tracking.models import OrderMilestone, OrderPlan
from gendan.tracking.selectors import board_for
from gendan.tracking.services.plans import plans_refresh_stale
from gendan.tracking.tests.conftest import make_confirmed
from tests.clock import on_day, today, working_days_ago

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def ms(order, key) -> OrderMilestone:
    return OrderMilestone.objects.get(order=order, key=key)


def confirmed_ago(people, working_days: int, *args, **kwargs):
    """An order entered and confirmed ``working_days`` working days ago (the clock goes back
    for it), its plan then refreshed today as the nightly job would."""
    with on_day(working_days_ago(working_days)):
        order = make_confirmed(people, *args, **kwargs)
    plans_refresh_stale()
    return order


def test_each_person_sees_their_own_and_their_departments_milestones_in_scope(people, client_for):
    # PI confirmed is due 2 working days after the order: confirmed 4 working days ago, it is 2 days late.
    mine = confirmed_ago(people, 4)
    theirs = confirmed_ago(people, 4, people.other_customer, actor=people.other_sales, po="PO-OTHER")
    board = board_for(user=people.merch)
    overdue = {(m.order_id, m.key) for m in board.overdue}
    assert ms(mine, "pi_confirmed").planned_date == working_days_ago(2)
    assert (mine.pk, "pi_confirmed") in overdue  # the merchandiser's own, 2 days late
    assert all(order_id == mine.pk for order_id, _k in overdue)  # not the other team's order
    assert all(m.owner_role != "finance" for m in board.overdue + board.upcoming + board.due_today)
    finance = board_for(user=people.finance, horizon_days=14)
    keys = {(m.order_id, m.key) for m in finance.overdue + finance.due_today + finance.upcoming}
    assert (mine.pk, "deposit_received") in keys and (theirs.pk, "deposit_received") in keys  # finance sees all
    assert all(m.owner_role == "finance" for m in finance.overdue + finance.due_today + finance.upcoming)
    response = client_for(people.merch).get("/tracking/board/")
    assert response.status_code == 200
    assert mine.number in response.content.decode() and theirs.number not in response.content.decode()


def test_the_board_costs_the_same_number_of_queries_for_5_or_50_orders(people, client_for,
                                                                       django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people.merch)
    for i in range(5):
        confirmed_ago(people, 3, po=f"PO-A{i}")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/tracking/board/?days=30").status_code == 200
    for i in range(45):
        make_confirmed(people, po=f"PO-B{i}")
    OrderPlan.objects.update(refreshed_on=today() - dt.timedelta(days=1))
    plans_refresh_stale()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/tracking/board/?days=30")
    page = response.content.decode()
    assert page.count('class="chase-row"') >= 30 and "Show all" in page  # the rest is one click away


def test_one_click_complete_and_reschedule_from_the_board(people, client_for):
    order = make_confirmed(people)
    client = client_for(people.merch)
    OrderMilestone.objects.filter(pk=ms(order, "pi_confirmed").pk).update(completes_on="")  # ticked by hand
    pi = ms(order, "pi_confirmed")
    response = client.post(f"/tracking/milestones/{pi.pk}/complete/", {"version": pi.version, "next": "/tracking/board/"})
    assert response.status_code == 302 and response["Location"] == "/tracking/board/"
    pi.refresh_from_db()
    assert pi.status == "done" and pi.completed_by == people.merch
    booking = ms(order, "booking")
    new_date = booking.planned_date + dt.timedelta(days=3)
    response = client.post(f"/tracking/milestones/{booking.pk}/reschedule/",
                           {"version": booking.version, "expected_date": new_date.isoformat(),
                            "reason": "Forwarder has no space that week"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.expected_date == new_date


def test_refused_board_actions_say_why_keep_the_input_and_save_nothing(people, client_for):
    order = make_confirmed(people)
    client = client_for(people.merch)
    booking = ms(order, "booking")
    later = (booking.planned_date + dt.timedelta(days=3)).isoformat()
    # Without a reason.
    response = client.post(f"/tracking/milestones/{booking.pk}/reschedule/",
                           {"version": booking.version, "expected_date": later, "reason": ""})
    assert response.status_code == 400
    assert "Give the reason for rescheduling" in response.content.decode()
    assert f'value="{later}"' in response.content.decode()  # what was typed is still there
    # A date in an impossible format.
    response = client.post(f"/tracking/milestones/{booking.pk}/reschedule/",
                           {"version": booking.version, "expected_date": "2027-02-30", "reason": "moved"})
    assert response.status_code == 400 and "is not a date" in response.content.decode()
    # Completing by hand what a booking confirmation completes.
    response = client.post(f"/tracking/milestones/{booking.pk}/complete/", {"version": booking.version})
    assert response.status_code == 409 and "is completed when a booking is confirmed" in response.content.decode()
    # A stale page.
    response = client.post(f"/tracking/milestones/{booking.pk}/note/", {"version": 99, "note": "x"})
    assert response.status_code == 409
    booking.refresh_from_db()
    assert (booking.status, booking.expected_date, booking.notes, booking.version) == ("open", None, "", 1)


def test_a_refusal_on_the_order_page_shows_the_order_page_with_the_message_on_its_row(people, client_for):
    order = make_confirmed(people)
    booking = ms(order, "booking")
    later = (booking.planned_date + dt.timedelta(days=3)).isoformat()
    response = client_for(people.merch).post(f"/tracking/milestones/{booking.pk}/reschedule/", {
        "version": booking.version, "expected_date": later, "reason": "", "from": "order",
        "next": order.get_absolute_url()})
    page = response.content.decode()
    assert response.status_code == 400 and response.templates[0].name == "sales/order_detail.html"
    assert 'data-testid="row-error"' in page and "Give the reason for rescheduling" in page
    assert f'value="{later}"' in page  # what was typed is still there
    stale = client_for(people.merch).post(f"/tracking/milestones/{booking.pk}/note/", {
        "version": 99, "note": "x", "from": "order"})
    assert stale.status_code == 409 and 'data-testid="row-error"' in stale.content.decode()
    booking.refresh_from_db()
    assert (booking.expected_date, booking.notes, booking.version) == (None, "", 1)


def test_other_roles_and_teams_cannot_touch_a_milestone(people, client_for):
    order = make_confirmed(people)
    deposit = ms(order, "deposit_received")
    assert client_for(people.other_merch).post(f"/tracking/milestones/{deposit.pk}/complete/").status_code == 404
    assert client_for(people.qc).post(f"/tracking/milestones/{deposit.pk}/complete/").status_code == 403
    deposit.refresh_from_db()
    assert deposit.status == "open" and deposit.version == 1


def test_the_badge_counts_my_overdue_items_and_managers_see_the_team(people, client_for):
    order = confirmed_ago(people, 10)
    expected = len(board_for(user=people.merch).overdue)
    page = client_for(people.merch).get("/sales/orders/").content.decode()
    assert f'<span class="count">{expected}</span>' in page and expected > 0
    team = client_for(people.manager).get("/tracking/team/")
    assert team.status_code == 200 and str(people.merch) in team.content.decode()
    assert client_for(people.merch).get("/tracking/team/").status_code == 403
    other = client_for(people.manager).get(f"/tracking/board/?user={people.merch.pk}")
    assert other.status_code == 200 and order.number in other.content.decode()
    assert client_for(people.sales).get(f"/tracking/board/?user={people.merch.pk}").status_code == 403


def test_the_order_list_filters_by_risk(people, client_for):
    on_time = make_confirmed(people, po="PO-ONTIME")
    late = make_confirmed(people, po="PO-LATE")
    from gendan.tracking.services.milestones import milestone_reschedule

    final = ms(late, "final_inspection")
    milestone_reschedule(actor=people.merch, milestone_id=final.pk, reason="Lab test of the glaze failed",
                         expected_date=late.ex_factory_date + dt.timedelta(days=6))
    assert OrderPlan.objects.get(order=late).risk == "late"
    page = client_for(people.merch).get("/sales/orders/?risk=late").content.decode()
    assert late.number in page and on_time.number not in page


def test_the_order_page_shows_the_plan_and_the_draft_the_too_late_warning(people, client_for):
    from gendan.tracking.tests.conftest import make_draft

    order = make_confirmed(people)
    page = client_for(people.merch).get(order.get_absolute_url() + "?tab=all").content.decode()
    assert 'data-testid="tna-chart"' in page and 'data-testid="plan-risk"' in page
    tight = make_draft(people, po="PO-TIGHT", ex_factory_date=today() + dt.timedelta(days=15))
    page = client_for(people.merch).get(tight.get_absolute_url() + "?tab=all").content.decode()
    assert 'data-testid="plan-impossible"' in page and "Materials in house" in page


def test_a_department_milestone_can_be_taken_by_someone_of_that_department(people, client_for):
    order = make_confirmed(people)
    deposit = ms(order, "deposit_received")
    assert client_for(people.qc).post(f"/tracking/milestones/{deposit.pk}/take/",
                                      {"version": deposit.version}).status_code == 403
    deposit.refresh_from_db()
    assert deposit.owner is None
    # Look far enough ahead: before a long holiday the deposit falls due more than two weeks away.
    horizon = max(14, (deposit.planned_date - today()).days)
    board = client_for(people.finance).get(f"/tracking/board/?days={horizon}").content.decode()
    assert f'data-testid="take-{deposit.pk}"' in board
    response = client_for(people.finance).post(f"/tracking/milestones/{deposit.pk}/take/", {"version": deposit.version})
    assert response.status_code == 302
    deposit.refresh_from_db()
    assert deposit.owner == people.finance


def test_a_large_department_queue_is_counted_up_to_a_cap_and_paged(people, client_for, monkeypatch):
    from gendan.tracking import selectors

    for i in range(3):
        confirmed_ago(people, 20, po=f"PO-Q{i}")  # three overdue deposits for finance
    monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 2)
    board = board_for(user=people.finance, limit=1)
    assert board.counts["overdue"] == 2 and "overdue" in board.capped  # "2+"
    assert len(board.overdue) == 1 and board.overdue[0].owner_role == "finance"
    monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 1000)
    exact = board_for(user=people.finance)
    assert not exact.capped and exact.counts["overdue"] == len(exact.overdue) >= 3
    assert selectors.overdue_count(people.finance) == exact.counts["overdue"]


def _badge(client, path="/accounts/profile/") -> int:
    import re

    page = client.get(path).content.decode()
    return int(re.search(r'data-testid="chase-badge"[^>]*>[^<]*<span class="count">(\d+)</span>', page).group(1))


def test_the_badge_is_counted_once_a_minute_and_at_once_after_the_users_own_change(
        people, client_for, clock, django_assert_max_num_queries, settings):
    from gendan.tracking.selectors import overdue_count

    settings.GENDAN_CHASE_BADGE_SECONDS = settings.GENDAN_SESSION_REFRESH_SECONDS = 60  # production's

    order = confirmed_ago(people, 4)  # its PI confirmation is the merchandiser's, 2 days late
    client = client_for(people.merch)
    before = _badge(client)
    assert before == overdue_count(people.merch) >= 1
    with django_assert_max_num_queries(50) as first:
        client.get("/accounts/profile/")
    counts = [q for q in first.captured_queries if "COUNT(" in q["sql"] and "tracking_" in q["sql"]]
    assert not counts  # kept in the session: no counting on the next pages
    # The user's own change (any POST) is seen on the very next page, on whichever server.
    OrderMilestone.objects.filter(pk=ms(order, "pi_confirmed").pk).update(completes_on="")  # ticked by hand
    pi = ms(order, "pi_confirmed")
    client.post(f"/tracking/milestones/{pi.pk}/complete/", {"version": pi.version})
    assert _badge(client) == before - 1 == overdue_count(people.merch)
    # Someone else's: within the minute.
    confirmed_ago(people, 4, po="PO-LATER")
    assert _badge(client) == before - 1
    clock.shift(settings.GENDAN_CHASE_BADGE_SECONDS + 1)
    assert _badge(client) == overdue_count(people.merch) == before
    # Another user signing in on the same browser never sees the previous one's count.
    client.force_login(people.finance)
    assert _badge(client) == overdue_count(people.finance) != before
