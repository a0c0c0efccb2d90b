"""First articles and samples through the services, and what they do to the order's T&A plan:
the first-article gate for mass production, approval by QC and sales, sample rounds with
department sign-offs, comments due three working days after receipt, the shipping-sample warning."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.core.calendar import add_working_days
from gendan.core.errors import BusinessError, NotAllowed, TransitionNotAllowed, ValidationFailed
from gendan.quality import rules
from gendan.quality.models import Sample
from gendan.quality.services import (
    DEFAULT_CHECKLIST,
    first_article_check_items,
    first_article_create,
    first_article_reject,
    first_article_sign,
    inspection_book,
    inspection_record_result,
    sample_receive,
    sample_request,
    sample_send,
    sample_sign,
)
from gendan.sales.tests.conftest import make_in_production

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
TODAY = timezone.localdate


def milestone(order, key):
    return order.milestones.filter(key=key).first()


def check_all(w, fa, result="pass"):
    return first_article_check_items(actor=w.qc, first_article_id=fa.pk,
                                     results={i.pk: (result, "ok" if result != "fail" else "logo blurred")
                                              for i in fa.items.all()})


def test_first_article_gate_until_qc_and_sales_signed(people):
    order = make_in_production(people, requires_first_article=True)
    production_order = order.production_orders.get()
    check = rules.first_article_check(production_order)
    assert not check and check.code == "gate_first_article"
    assert "First article rule" in check.reason and "no first article has been submitted" in check.reason
    fa = first_article_create(actor=people.merch, production_order_id=production_order.pk)
    assert [i.topic for i in fa.items.all()] == DEFAULT_CHECKLIST
    with pytest.raises(BusinessError) as exc:
        first_article_sign(actor=people.qc, first_article_id=fa.pk, side="qc")
    assert exc.value.code == "checklist_incomplete"
    check_all(people, fa)
    with pytest.raises(NotAllowed):
        first_article_sign(actor=people.merch, first_article_id=fa.pk, side="qc")
    first_article_sign(actor=people.qc, first_article_id=fa.pk, side="qc")
    check = rules.first_article_check(production_order)
    assert not check and "sales' signature" in check.reason
    fa = first_article_sign(actor=people.merch, first_article_id=fa.pk, side="sales")
    assert fa.status == "approved"
    assert rules.first_article_check(production_order)
    assert milestone(order, "first_article_approved").status == "done"


def test_failed_check_is_rejected_and_a_new_round_follows(people):
    order = make_in_production(people, requires_first_article=True)
    production_order = order.production_orders.get()
    fa = first_article_create(actor=people.merch, production_order_id=production_order.pk, topics=["printing"])
    with pytest.raises(ValidationFailed):  # a fail needs a comment
        first_article_check_items(actor=people.qc, first_article_id=fa.pk, results={fa.items.get().pk: ("fail", "")})
    check_all(people, fa, "fail")
    with pytest.raises(BusinessError) as exc:
        first_article_sign(actor=people.qc, first_article_id=fa.pk, side="qc")
    assert exc.value.code == "checklist_failed"
    with pytest.raises(ValidationFailed):
        first_article_create(actor=people.merch, production_order_id=production_order.pk)  # one is open
    first_article_reject(actor=people.qc, first_article_id=fa.pk, reason="logo blurred, reprint")
    with pytest.raises(TransitionNotAllowed):
        first_article_reject(actor=people.qc, first_article_id=fa.pk, reason="again")
    second = first_article_create(actor=people.merch, production_order_id=production_order.pk)
    assert second.round_no == 2
    assert not rules.first_article_check(production_order)


def test_orders_without_the_requirement_pass_the_first_article_gate(people):
    order = make_in_production(people)
    assert rules.first_article_check(order.production_orders.get())


def test_pp_sample_rounds_sign_offs_and_milestone(people):
    order = make_in_production(people)
    sample = sample_request(actor=people.merch, order_id=order.pk, kind="pp", quantity=3,
                            requested_on=TODAY() + dt.timedelta(days=5), needs_engineering=True)
    sent_on = TODAY() - dt.timedelta(days=4)
    sample, warning = sample_send(actor=people.merch, sample_id=sample.pk, sent_on=sent_on, courier="DHL",
                                  tracking_no="JD0001")
    assert sample.status == "sent" and warning == ""
    received = TODAY() - dt.timedelta(days=1)
    with pytest.raises(ValidationFailed):
        sample_receive(actor=people.merch, sample_id=sample.pk, received_on=sent_on - dt.timedelta(days=1))
    sample_receive(actor=people.merch, sample_id=sample.pk, received_on=received, comments="colour too dark")
    assert sample.rounds.get().comments_due_on == add_working_days(received, 3)
    with pytest.raises(NotAllowed):
        sample_sign(actor=people.merch, sample_id=sample.pk, department="qc", verdict="approved")
    with pytest.raises(ValidationFailed):
        sample_sign(actor=people.merch, sample_id=sample.pk, department="sales", verdict="rejected")  # no comment
    sample = sample_sign(actor=people.merch, sample_id=sample.pk, department="sales", verdict="rejected",
                         comment="Pantone 186C, not 187C")
    assert sample.status == "rejected"
    sample, _w = sample_send(actor=people.merch, sample_id=sample.pk, sent_on=TODAY())
    assert sample.rounds.count() == 2
    with pytest.raises(ValidationFailed) as exc:  # round 2 not received yet: nothing to sign
        sample_sign(actor=people.merch, sample_id=sample.pk, department="sales", verdict="approved")
    assert exc.value.code == "not_received"
    sample_receive(actor=people.merch, sample_id=sample.pk, received_on=TODAY())
    sample_sign(actor=people.merch, sample_id=sample.pk, department="sales", verdict="approved")
    sample = sample_sign(actor=people.qc, sample_id=sample.pk, department="qc", verdict="approved")
    assert sample.status == "sent"  # engineering still to sign
    sample = sample_sign(actor=people.qc, sample_id=sample.pk, department="engineering", verdict="approved")
    assert sample.status == "approved"
    assert milestone(order, "pp_sample_approved").status == "done"


def test_shipping_sample_before_the_final_inspection_warns_but_goes(people):
    order = make_in_production(people)
    sample = sample_request(actor=people.merch, order_id=order.pk, kind="shipping", quantity=2,
                            requested_on=TODAY())
    sample, warning = sample_send(actor=people.merch, sample_id=sample.pk, sent_on=TODAY())
    assert sample.status == "sent" and "final inspection" in warning
    inspection = inspection_book(actor=people.merch, order_id=order.pk, kind="final", party="internal",
                                 inspector="QC", planned_on=TODAY(), lot_size=500)
    inspection_record_result(actor=people.qc, inspection_id=inspection.pk, inspected_on=TODAY(), critical=0,
                             major=0, minor=0)
    later = sample_request(actor=people.merch, order_id=order.pk, kind="shipping", quantity=2, requested_on=TODAY())
    assert sample_send(actor=people.merch, sample_id=later.pk, sent_on=TODAY())[1] == ""


def test_bad_sample_input_is_refused(people):
    order = make_in_production(people)
    for kwargs in ({"kind": "fancy"}, {"quantity": 0}, {"quantity": "lots"},
                   {"requested_on": TODAY() - dt.timedelta(days=1)}, {"requested_on": "31.12.2026"}):
        data = {"kind": "pp", "quantity": 2, "requested_on": TODAY(), **kwargs}
        with pytest.raises(ValidationFailed):
            sample_request(actor=people.merch, order_id=order.pk, **data)
    with pytest.raises(NotAllowed):
        sample_request(actor=people.planner, order_id=order.pk, kind="pp", quantity=2, requested_on=TODAY())
    assert not Sample.objects.exists()


def test_final_inspection_pass_completes_the_milestone(people):
    order = make_in_production(people)
    inspection = inspection_book(actor=people.merch, order_id=order.pk, kind="final", party="customer",
                                 inspector="buyer's QA", planned_on=TODAY() + dt.timedelta(days=1), lot_size=800)
    assert milestone(order, "final_inspection").forecast_date == TODAY() + dt.timedelta(days=1)
    inspection_record_result(actor=people.qc, inspection_id=inspection.pk, inspected_on=TODAY(), critical=0,
                             major=1, minor=2)
    done = milestone(order, "final_inspection")
    assert done.status == "done" and done.actual_date == TODAY()
