"""Milestones fed by events cannot be ticked by hand against the facts (issue 11, defect 3):
"ex-factory" of an order on hold and not shipped, "ETD" with a date in the future. A milestone
another module completes (the goods left, the vessel sailed, the deposit came in …) follows
that module; nothing is done in the future; a milestone no event completes is ticked by hand
as before."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.api.tests.conftest import ApiClient, obtain_token
from gendan.core.errors import BusinessError, ValidationFailed
from gendan.sales.services.lifecycle import order_hold
from gendan.tracking.hooks import Milestone, milestone_reached
from gendan.tracking.models import OrderMilestone
from gendan.tracking.services import milestones as svc
from gendan.tracking.tests.conftest import make_confirmed, make_in_production
from tests.factories import ship_everything

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def ms(order, key) -> OrderMilestone:
    return OrderMilestone.objects.get(order=order, key=key)


def test_ex_factory_of_an_order_on_hold_cannot_be_ticked_on_the_board(people, client_for):
    order = make_in_production(people)
    order_hold(actor=people.manager, order_id=order.pk, reason="Customer asks to wait")
    ex_factory = ms(order, "ex_factory")
    response = client_for(people.merch).post(f"/tracking/milestones/{ex_factory.pk}/complete/", {
        "version": ex_factory.version, "reason": "done", "next": "/tracking/board/"})
    assert response.status_code == 409
    assert "“Ex-factory” is completed when the goods leave the warehouse" in response.content.decode()
    ex_factory.refresh_from_db()
    assert (ex_factory.status, ex_factory.actual_date, ex_factory.version) == ("open", None, 1)


def test_the_api_refuses_a_fact_by_hand_with_its_code_and_names_the_event(people):
    order = make_confirmed(people)
    etd = ms(order, "etd")
    answer = ApiClient(obtain_token(people.merch)).post(f"milestones/{etd.pk}/complete/", {"reason": "sailed"})
    assert answer.status_code == 409 and answer.json()["code"] == "completed_by_event"
    assert "on board" in answer.json()["message"]
    deposit = ms(order, "deposit_received")
    with pytest.raises(BusinessError) as exc:
        svc.milestone_complete(actor=people.manager, milestone_id=deposit.pk, reason="paid")
    assert "finance records the deposit" in str(exc.value.message)


def test_the_shipment_completes_ex_factory_and_etd_itself(people):
    order = make_in_production(people)
    ship_everything(order, actor=people.merch, finance=people.finance)
    assert ms(order, "ex_factory").status == "done" and ms(order, "ex_factory").completed_event_id


def test_nothing_is_done_in_the_future_by_hand_or_by_an_event(people):
    order = make_confirmed(people)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    own = ms(order, "quality_check_in")  # no event completes it: people tick it
    answer = ApiClient(obtain_token(people.merch)).post(f"milestones/{own.pk}/complete/", {
        "on": tomorrow.isoformat(), "reason": "ahead"})
    assert answer.status_code == 400 and "on" in answer.json()["fields"]
    with pytest.raises(ValidationFailed):
        svc.milestone_complete(actor=people.merch, milestone_id=own.pk, on=tomorrow, reason="ahead")
    # An event telling a date still to come sets where the milestone is heading, not its actual date.
    milestone_reached(order=order, key=Milestone.ETD, actor=people.merch, on=tomorrow + dt.timedelta(days=5))
    etd = ms(order, "etd")
    assert (etd.status, etd.actual_date, etd.expected_date) == ("open", None, tomorrow + dt.timedelta(days=5))


def test_a_milestone_no_event_completes_is_still_ticked_by_hand(people):
    order = make_confirmed(people)
    own = ms(order, "quality_check_in")
    svc.milestone_complete(actor=people.merch, milestone_id=own.pk, reason="Called the buyer early")
    assert ms(order, "quality_check_in").status == "done"


def test_the_order_page_says_what_completes_a_fact_instead_of_a_done_button(people, client_for):
    order = make_confirmed(people)
    page = client_for(people.merch).get(order.get_absolute_url() + "?tab=all").content.decode()
    ex_factory, check_in = ms(order, "ex_factory"), ms(order, "quality_check_in")
    assert f'data-testid="completed-by-{ex_factory.pk}"' in page
    assert f'data-testid="complete-{ex_factory.pk}"' not in page
    assert f'data-testid="completed-by-{check_in.pk}"' not in page


def test_the_board_marks_a_fact_automatic_instead_of_offering_done(people, client_for):
    order = make_confirmed(people)
    OrderMilestone.objects.filter(order=order, key="booking").update(completes_on="")  # a company's own way
    page = client_for(people.merch).get("/tracking/board/?days=60").content.decode()
    pi, booking = ms(order, "pi_confirmed"), ms(order, "booking")
    assert f'data-testid="completed-by-{pi.pk}"' in page and f'data-testid="complete-{pi.pk}"' not in page
    assert "Done when the PI or contract is issued on the order." in page
    assert f'data-testid="complete-{booking.pk}"' in page
