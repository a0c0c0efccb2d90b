"""Inspections through the services: booking (plan from the customer's AQLs, emails, T&A date),
results (pass/fail from the plan, re-inspection), the inspection gate on shipment and its override."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.errors import (
    BusinessError,
    ConflictError,
    NotAllowed,
    TransitionNotAllowed,
    ValidationFailed,
)
from gendan.core.events import timeline_for
from gendan.core.models import Event
from gendan.quality.models import Inspection, QualityProfile
from gendan.quality.services import (
    inspection_book,
    inspection_cancel,
    inspection_record_result,
    quality_profile_update,
)
from gendan.sales.services.lifecycle import order_override_gate
from gendan.sales.tests.conftest import make_in_production, pay
from gendan.shipping.services import order_ship
from tests.factories import png_upload

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def book(w, order, *, kind="final", lot=1000, actor=None, on=None, **extra):
    return inspection_book(actor=actor or w.merch, order_id=order.pk, kind=kind, party="third_party",
                           inspector="SGS Shenzhen", planned_on=on or TODAY() + dt.timedelta(days=3), lot_size=lot,
                           **extra)


def result(w, inspection, critical=0, major=0, minor=0, **extra):
    return inspection_record_result(actor=w.qc, inspection_id=inspection.pk, inspected_on=TODAY(), critical=critical,
                                    major=major, minor=minor, **extra)


def ship_all(w, order):
    order.refresh_from_db()
    return order_ship(actor=w.merch, order_id=order.pk, shipped_on=TODAY(),
                      quantities={line.pk: line.quantity for line in order.lines.all()})


def test_booking_takes_the_plan_from_the_customers_aqls(people):
    order = make_in_production(people)
    inspection = book(people, order, lot=1000)
    # Default profile: critical 0, major 2.5, minor 4.0, level II. Lot 1000 → J, n 80: 2.5 → 5/6, 4.0 → 7/8.
    assert (inspection.sample_size, inspection.critical_accept, inspection.major_accept,
            inspection.minor_accept) == (80, 0, 5, 7)
    assert inspection.number.startswith("QC") and inspection.status == "booked"
    quality_profile_update(actor=people.qc, customer_id=people.customer.pk,
                           data={"major_aql": "1.0", "minor_aql": "2.5", "critical_aql": "0"})
    inline = book(people, order, kind="inline", lot=1000)
    assert (inline.sample_size, inline.major_accept, inline.minor_accept) == (80, 2, 5)
    assert any(inspection.number in e.text for e in timeline_for(order))


def test_booking_emails_planner_qc_merchandiser_and_customer(people, smtp, django_capture_on_commit_callbacks):
    order = make_in_production(people)
    with django_capture_on_commit_callbacks(execute=True):
        inspection = book(people, order)
    messages = smtp.wait_for(2)
    staff, customer = (d.rcpt_tos for d in sorted(smtp.deliveries, key=lambda d: "buyer" in d.rcpt_tos[0]))
    assert set(staff) == {people.planner.email, people.qc.email, people.merch.email}
    assert customer == ("buyer@nordlicht.example",)  # the customer does not see our staff list
    customer_mail = next(m for m in messages if m["To"] == "buyer@nordlicht.example")
    assert inspection.number in customer_mail.get_content() and "SGS Shenzhen" in customer_mail.get_content()
    staff_mail = next(m for m in messages if m["To"] != "buyer@nordlicht.example")
    assert order.number in staff_mail["Subject"]


def test_a_rollback_sends_no_email(people, smtp, django_capture_on_commit_callbacks):
    order = make_in_production(people)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed):
        book(people, order, lot=1)
    assert smtp.deliveries == []


@pytest.mark.dates
def test_bad_bookings_are_refused_and_save_nothing(people):
    order = make_in_production(people)
    with pytest.raises(ValidationFailed) as exc:
        book(people, order, on=TODAY() - dt.timedelta(days=1))
    assert "past" in exc.value.message
    with pytest.raises(ValidationFailed):
        book(people, order, lot=-5)
    with pytest.raises(ValidationFailed):
        book(people, order, lot="many")
    with pytest.raises(ValidationFailed) as exc:
        book(people, order, lot=5000)  # the order has 1003 pieces
    assert "larger than the order" in exc.value.message
    with pytest.raises(ValidationFailed):
        book(people, order, kind="halfway")
    with pytest.raises(NotAllowed):
        book(people, order, actor=people.planner)
    assert not Inspection.objects.exists()
    book(people, order)
    with pytest.raises(ValidationFailed) as exc:
        book(people, order)
    assert exc.value.code == "already_booked"


@pytest.mark.dates
def test_failed_inspection_books_a_linked_reinspection_then_passes(people):
    order = make_in_production(people)
    first = book(people, order, lot=1000)
    failed = result(people, first, major=6, minor=2, photos=[png_upload("scratch.png")])
    assert failed.status == "failed" and failed.major_found == 6
    again = failed.reinspections.get()
    assert again.status == "booked" and again.lot_size == 1000 and again.sample_size == 80
    assert again.planned_on > TODAY()
    passed = result(people, again, major=5, minor=7)
    assert passed.status == "passed"
    assert any(e.text.startswith(f"{again.number} passed") for e in timeline_for(order))


def test_one_critical_defect_fails_when_none_is_allowed(people):
    order = make_in_production(people)
    assert result(people, book(people, order), critical=1).status == "failed"


def test_result_refused_when_defects_exceed_the_sample(people):
    order = make_in_production(people)
    inspection = book(people, order, lot=1000)
    with pytest.raises(ValidationFailed) as exc:
        result(people, inspection, minor=81)
    assert exc.value.code == "defects_exceed_sample" and "minor" in exc.value.fields
    with pytest.raises(ValidationFailed):
        inspection_record_result(actor=people.qc, inspection_id=inspection.pk, critical=0, major=0, minor=0,
                                 inspected_on=TODAY() + dt.timedelta(days=2))
    with pytest.raises(ValidationFailed):
        result(people, inspection, major=-1)
    inspection.refresh_from_db()
    assert inspection.status == "booked" and inspection.major_found is None


def test_stale_result_is_refused_with_409(people):
    order = make_in_production(people)
    inspection = book(people, order)
    result(people, inspection, expected_version=inspection.version)
    with pytest.raises(ConflictError):
        result(people, inspection, expected_version=inspection.version)


def test_only_qc_enters_results_and_only_booked_ones(people):
    order = make_in_production(people)
    inspection = book(people, order)
    with pytest.raises(NotAllowed):
        inspection_record_result(actor=people.merch, inspection_id=inspection.pk, inspected_on=TODAY(), critical=0,
                                 major=0, minor=0)
    inspection_cancel(actor=people.merch, inspection_id=inspection.pk, reason="factory delayed")
    with pytest.raises(TransitionNotAllowed):
        result(people, inspection)


def test_shipment_waits_for_a_passed_final_inspection(people):
    QualityProfile.objects.create(customer=people.customer, requires_final_inspection=True)
    order = make_in_production(people)
    assert order.requires_final_inspection
    pay(people, order, str(order.total_amount - order.received_amount), reference="FT2")
    with pytest.raises(BusinessError) as exc:
        ship_all(people, order)
    assert exc.value.code == "gate_final_inspection" and "Inspection rule" in exc.value.message
    assert "no final inspection is booked" in exc.value.message
    inspection = book(people, order)
    result(people, inspection, major=9)
    with pytest.raises(BusinessError) as exc:
        ship_all(people, order)
    assert f"{inspection.number} failed; re-inspection" in exc.value.message
    result(people, Inspection.objects.get(status="booked"))
    assert ship_all(people, order).number


def test_manager_overrides_the_inspection_rule_with_a_reason(people):
    QualityProfile.objects.create(customer=people.customer, requires_final_inspection=True)
    order = make_in_production(people)
    pay(people, order, str(order.total_amount - order.received_amount), reference="FT2")
    with pytest.raises(NotAllowed):
        order_override_gate(actor=people.merch, order_id=order.pk, gate="inspection", reason="customer waived it")
    with pytest.raises(ValidationFailed):
        order_override_gate(actor=people.manager, order_id=order.pk, gate="inspection", reason="")
    order = order_override_gate(actor=people.manager, order_id=order.pk, gate="inspection",
                                reason="customer waived the inspection by email")
    assert order.inspection_gate_override
    event = Event.objects.filter(object_id=order.pk, verb="override").latest("id")
    assert event.reason == "customer waived the inspection by email"
    assert ship_all(people, order).number


def test_orders_without_the_requirement_ship_as_before(people):
    order = make_in_production(people)
    order.refresh_from_db()
    assert not order.requires_final_inspection  # no quality profile: the rule is off
    pay(people, order, str(order.total_amount - order.received_amount), reference="FT2")
    assert ship_all(people, order).number
    assert Decimal(order.total_amount) > 0


def test_booking_stands_when_the_mail_server_is_down(people, smtp, django_capture_on_commit_callbacks):
    order = make_in_production(people)
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        inspection = book(people, order)
    assert Inspection.objects.filter(pk=inspection.pk, status="booked").exists()
    assert any("Booking email" in e.text for e in timeline_for(inspection))


def test_failed_result_after_an_overridden_shipment_books_no_reinspection(people):
    QualityProfile.objects.create(customer=people.customer, requires_final_inspection=True)
    order = make_in_production(people)
    pay(people, order, str(order.total_amount - order.received_amount), reference="FT2")
    inspection = book(people, order)
    order_override_gate(actor=people.manager, order_id=order.pk, gate="inspection", reason="shipped on approval")
    ship_all(people, order)
    assert result(people, inspection, major=9).status == "failed"
    assert not inspection.reinspections.exists()


def test_the_order_list_finds_orders_waiting_for_their_final_inspection(people, client_for):
    from gendan.sales.selectors import order_list

    QualityProfile.objects.create(customer=people.customer, requires_final_inspection=True)
    waiting = make_in_production(people)
    assert [o.pk for o in order_list(user=people.merch, filters={"blocked": "inspection"})] == [waiting.pk]
    inspection = book(people, waiting)
    result(people, inspection)  # passed
    assert not order_list(user=people.merch, filters={"blocked": "inspection"}).exists()
    page = client_for(people.merch).get("/sales/orders/", {"blocked": "inspection"})
    assert page.status_code == 200 and waiting.number not in page.content.decode()
