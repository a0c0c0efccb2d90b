"""Issue 11: an overdue sample sign-off (3 working days after the round is received) is on the
chase board of each department that must still sign — and leaves it once that department signed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.core.calendar import add_working_days
from gendan.quality.services import sample_receive, sample_request, sample_send, sample_sign
from gendan.sales.tests.conftest import make_in_production
from gendan.tracking.selectors import board_for

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
TODAY = timezone.localdate


def _signoffs(user):
    return [i for i in board_for(user=user).export_items if i.kind == "sample_signoff"]


def test_sign_offs_due_are_on_the_board_of_who_must_sign(people):
    order = make_in_production(people)
    sample = sample_request(actor=people.merch, order_id=order.pk, kind="pp", quantity=3,
                            requested_on=TODAY() + dt.timedelta(days=5), needs_engineering=True)
    received = TODAY() - dt.timedelta(days=8)
    sample_send(actor=people.merch, sample_id=sample.pk, sent_on=received - dt.timedelta(days=2))
    sample_receive(actor=people.merch, sample_id=sample.pk, received_on=received)
    due = add_working_days(received, 3)
    assert due < TODAY()  # three working days have passed

    merch_items, qc_items = _signoffs(people.merch), _signoffs(people.qc)
    assert len(merch_items) == 1 and len(qc_items) == 1
    assert merch_items[0].late and merch_items[0].due == due and merch_items[0].order == order
    assert "sales" in merch_items[0].detail and "QC" not in merch_items[0].detail
    assert "QC" in qc_items[0].detail and "engineering" in qc_items[0].detail
    assert _signoffs(people.planner) == []  # planners sign nothing

    sample_sign(actor=people.merch, sample_id=sample.pk, department="sales", verdict="approved")
    assert _signoffs(people.merch) == []  # sales signed
    sample_sign(actor=people.qc, sample_id=sample.pk, department="qc", verdict="approved")
    left = _signoffs(people.qc)
    assert len(left) == 1 and "engineering" in left[0].detail and "QC:" not in left[0].detail


def test_a_round_not_yet_received_or_not_yet_due_is_not_chased(people):
    order = make_in_production(people)
    sample = sample_request(actor=people.merch, order_id=order.pk, kind="pp", quantity=3,
                            requested_on=TODAY() + dt.timedelta(days=5))
    sample_send(actor=people.merch, sample_id=sample.pk, sent_on=TODAY())
    assert _signoffs(people.merch) == []  # out with the courier
    sample_receive(actor=people.merch, sample_id=sample.pk, received_on=TODAY())
    due = add_working_days(TODAY(), 3)
    shown = _signoffs(people.merch)
    if (due - TODAY()).days <= 2:
        assert len(shown) == 1 and not shown[0].late
    else:
        assert shown == []  # more than two days ahead (a weekend or holiday in between)


def test_the_daily_digest_lists_what_the_board_holds_beyond_milestones(people):
    """The e-mail digest carries the board's other sections too (sign-offs, credits, documents,
    rebates, supplier statements, payments to chase), not only the milestones."""
    from django.utils import translation

    from gendan.tracking.services.reminders import digest_compose

    order = make_in_production(people)
    sample = sample_request(actor=people.merch, order_id=order.pk, kind="pp", quantity=3,
                            requested_on=TODAY() + dt.timedelta(days=5))
    received = TODAY() - dt.timedelta(days=8)
    sample_send(actor=people.merch, sample_id=sample.pk, sent_on=received - dt.timedelta(days=2))
    sample_receive(actor=people.merch, sample_id=sample.pk, received_on=received)
    with translation.override("en"):
        _subject, body = digest_compose(user=people.merch, board=board_for(user=people.merch), day=TODAY())
    assert "Samples, materials, credits, documents, rebates and supplier statements" in body
    assert f"Sign off the sample: pre-production sample (产前样), round 1 ({order.number}) · late" in body
