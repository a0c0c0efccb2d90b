"""Dunning on the chase board and from chase_run: the merchandiser's and salesperson's board
shows the customer's open reminder (level 2 and up) until it is paid; chase_run runs the dunning
once a day."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from gendan.receivables.models import DunningRun
from gendan.receivables.services.dunning import dunning_run
from gendan.receivables.tests.credit_setup import confirmed_order, customer_with_contacts, make_overdue
from gendan.tracking.selectors import board_for
from tests.factories import pay

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(make_user):
    return {"merch": make_user("merchandiser"), "sales": make_user("sales"), "finance": make_user("finance"),
            "other": make_user("merchandiser")}


def test_board_shows_dunning_tasks_until_paid(people, clock, django_capture_on_commit_callbacks):
    customer = customer_with_contacts(people)
    order = confirmed_order(people, customer)
    item = make_overdue(order, days=16)
    light = customer_with_contacts(people)
    make_overdue(confirmed_order(people, light), days=3)  # level 1: no board task
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        dunning_run(today)
    for who in ("merch", "sales"):
        items = board_for(user=people[who], today=today).money_items
        assert [(i.customer, i.level) for i in items] == [(customer, 2)], who
        assert order.number in items[0].detail
    assert board_for(user=people["other"], today=today).money_items == []
    pay(order, item.amount - item.received_amount, actor=people["finance"])
    with django_capture_on_commit_callbacks(execute=True):
        dunning_run(today + dt.timedelta(days=1))
    assert board_for(user=people["merch"], today=today).money_items == []


def test_board_page_lists_the_section(people, client, django_capture_on_commit_callbacks):
    customer = customer_with_contacts(people)
    make_overdue(confirmed_order(people, customer), days=20)
    with django_capture_on_commit_callbacks(execute=True):
        dunning_run(timezone.localdate())
    client.force_login(people["merch"])
    page = client.get("/tracking/board/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert b'data-testid="section-money"' in page.content and customer.code.encode() in page.content


def test_chase_run_runs_the_dunning_once_a_day(people, django_capture_on_commit_callbacks):
    make_overdue(confirmed_order(people, customer_with_contacts(people)), days=2)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("chase_run", stdout=out)
        call_command("chase_run", stdout=out)
    assert DunningRun.objects.count() == 1
    assert "dunning: 1 reminder(s)" in out.getvalue() and "dunning: already run today." in out.getvalue()
