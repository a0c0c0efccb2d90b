"""Bookings (订舱) through the services: request (the email to the forwarder with the cargo
summary) → confirm (the T&A's "booking" done, the ETD forecast moved) → amend → cancel, and
every refusal: coded, naming the field, nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.http import Http404
from django.utils import timezone

from gendan.core.errors import BusinessError, ConflictError, NotAllowed, ValidationFailed
from gendan.core.models import Event
from gendan.parties.models import Supplier
from gendan.shipping.models import Booking
from gendan.shipping.services import booking_cancel, booking_confirm, booking_request, booking_update
from gendan.shipping.workflows import BOOKING
from gendan.tracking.hooks import Milestone
from gendan.tracking.models import OrderMilestone
from tests.factories import SalesOrderFactory, SupplierFactory
from tests.workflow_harness import assert_forbidden_edges_refused

pytestmark = pytest.mark.django_db
B = Booking.Status


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def at(day: dt.date, hour: int = 17) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def request(w, order, **extra) -> Booking:
    kwargs = {"actor": w.merch, "order_id": order.pk, "forwarder_id": w.forwarder.pk, "containers": {"40HQ": 1}}
    return booking_request(**(kwargs | extra))


def confirm(w, booking, **extra) -> Booking:
    kwargs = {"actor": w.merch, "booking_id": booking.pk, "booking_no": "COSU6123456780", "carrier": "COSCO",
              "vessel": "COSCO SHIPPING ARIES", "voyage": "041E", "etd": days(30), "eta": days(58),
              "cy_cutoff": at(days(27)), "si_cutoff": at(days(26), 12), "vgm_cutoff": at(days(27), 12)}
    return booking_confirm(**(kwargs | extra))


def milestone(order, key):
    return OrderMilestone.objects.get(plan__order=order, key=key)


def test_request_confirm_completes_booking_and_moves_the_etd_forecast(people, in_production, forwarder,
                                                                       django_capture_on_commit_callbacks):
    w, order = people, in_production
    with django_capture_on_commit_callbacks(execute=True):
        booking = request(w, order, containers={"40hq": 1, "20GP": "2"}, notes="Fragile: ceramics")
    assert booking.status == B.REQUESTED and booking.containers == {"40HQ": 1, "20GP": 2}
    assert booking.port_of_loading == order.port_of_loading
    booking.refresh_from_db()
    assert booking.email_sent_at is not None and booking.email_error == ""
    sent = mail.outbox[-1]
    assert sent.to == ["ops@fwd1.example"]
    assert order.number in sent.subject and order.number in sent.body
    assert "Ceramic mug 350 ml: 1000" in sent.body and "2 × 20GP, 1 × 40HQ" in sent.body
    assert "Fragile: ceramics" in sent.body

    booking = confirm(w, booking)
    assert booking.status == B.CONFIRMED and booking.version == 2 and booking.confirmed_at
    done = milestone(order, Milestone.BOOKING)
    assert done.status == "done" and done.actual_date == timezone.localdate()
    assert done.completed_event.kind == "shipping.booking_confirmed"
    assert milestone(order, Milestone.ETD).date_due == days(30)

    amended = booking_update(actor=w.merch, booking_id=booking.pk, data={"etd": days(33), "eta": days(61)},
                             expected_version=2)
    assert amended.version == 3 and milestone(order, Milestone.ETD).date_due == days(33)
    row = Event.objects.filter(kind="shipping.booking_amended").get()
    assert row.changes["etd"] == {"old": days(30).isoformat(), "new": days(33).isoformat(),
                                  "model": "shipping.booking"}


def test_the_email_carries_cartons_cbm_and_gross_weight_when_the_product_has_them(
        people, forwarder, django_capture_on_commit_callbacks):
    from gendan.catalog.models import Product

    w = people
    mug = Product.objects.create(code="MUG-350", name_en="Ceramic mug 350 ml", name_zh="陶瓷杯", units_per_carton=24,
                                 carton_length_cm=Decimal("60"), carton_width_cm=Decimal("40"),
                                 carton_height_cm=Decimal("30"), net_weight_kg=Decimal("9"),
                                 gross_weight_kg=Decimal("10.5"))
    order = SalesOrderFactory(customer=w.customer, actor=w.merch, confirmed=True, lines=[
        {"product": mug, "unit_price": Decimal("1.2"), "quantity": "1000"}])
    with django_capture_on_commit_callbacks(execute=True):
        request(w, order)
    body = mail.outbox[-1].body
    # 1000 / 24 → 42 cartons × 0.072 m³ = 3.024 CBM, × 10.5 kg = 441 kg
    assert "42 CTNS" in body and "3.024 CBM" in body and "G.W. 441 KGS" in body


def test_a_forwarder_without_an_email_address_is_shown_not_hidden(people, confirmed,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = request(people, confirmed)
    booking.refresh_from_db()
    assert booking.email_sent_at is None and "FWD1" in booking.email_error and not mail.outbox


@pytest.mark.parametrize("kind", [Supplier.Kind.OUTSOURCED_FACTORY, Supplier.Kind.COURIER])
def test_a_supplier_that_is_not_a_forwarder_is_refused(people, confirmed, kind):
    factory = SupplierFactory(kind=kind)
    with pytest.raises(ValidationFailed) as caught:
        request(people, confirmed, forwarder_id=factory.pk)
    assert caught.value.code == "not_a_forwarder" and "forwarder" in caught.value.fields
    assert not Booking.objects.exists()


@pytest.mark.parametrize(("containers", "field"), [
    ({}, "containers"), ({"40HQ": 0}, "containers.40HQ"), ({"20GP": -1}, "containers.20GP"),
    ({"20GP": "1.5"}, "containers.20GP"), ({"53FT": 1}, "containers.53FT"),
    ({"40HQ": "1e999999999"}, "containers.40HQ"), ({"40HQ": "NaN"}, "containers.40HQ"),
    ({"40HQ": "Infinity"}, "containers.40HQ"), ({"40HQ": "9" * 40}, "containers.40HQ")])
def test_container_counts_must_be_whole_and_positive(people, confirmed, containers, field):
    with pytest.raises(ValidationFailed) as caught:
        request(people, confirmed, containers=containers)
    assert caught.value.code == "invalid_containers" and field in caught.value.fields
    assert not Booking.objects.exists()


def test_an_id_beyond_64_bits_is_not_found_not_a_server_error(people, confirmed):
    with pytest.raises(ValidationFailed) as caught:
        request(people, confirmed, forwarder_id="9" * 30)
    assert caught.value.code == "not_a_forwarder"
    with pytest.raises(Http404):
        booking_cancel(actor=people.merch, booking_id="9" * 30, reason="customer moved the order")
    assert not Booking.objects.exists()


def test_a_draft_order_is_not_booked(people):
    draft = SalesOrderFactory(customer=people.customer, actor=people.merch)
    with pytest.raises(BusinessError) as caught:
        request(people, draft)
    assert caught.value.code == "order_not_bookable" and caught.value.status == 409


@pytest.mark.parametrize(("extra", "code", "field"), [
    (lambda: {"eta": days(20)}, "eta_before_etd", "eta"),
    (lambda: {"cy_cutoff": at(days(31), 9)}, "cutoff_after_etd", "cy_cutoff"),
    (lambda: {"vgm_cutoff": at(days(32))}, "cutoff_after_etd", "vgm_cutoff"),
    (lambda: {"etd": days(-8), "eta": days(20), "cy_cutoff": None, "si_cutoff": None, "vgm_cutoff": None},
     "etd_long_past", "etd"),
    (lambda: {"etd": "2027-02-30"}, "invalid_date", "etd"),
    (lambda: {"si_cutoff": "2027-13-01T10:00"}, "invalid_date", "si_cutoff"),
    (lambda: {"booking_no": " "}, "validation_failed", "booking_no"),
], ids=["eta-before-etd", "cy-after-etd", "vgm-after-etd", "etd-long-past", "impossible-date",
        "impossible-cutoff", "no-booking-no"])
def test_wrong_sailing_data_is_refused_naming_the_field(people, confirmed, extra, code, field):
    booking = request(people, confirmed)
    with pytest.raises(ValidationFailed) as caught:
        confirm(people, booking, **extra())
    assert caught.value.code == code and field in caught.value.fields
    booking.refresh_from_db()
    assert booking.status == B.REQUESTED and booking.version == 1 and booking.booking_no == ""
    assert milestone(confirmed, Milestone.BOOKING).status != "done"


def test_a_stale_version_is_refused(people, confirmed):
    booking = confirm(people, request(people, confirmed))
    booking_update(actor=people.merch, booking_id=booking.pk, data={"vessel": "EVER GIVEN"}, expected_version=2)
    with pytest.raises(ConflictError) as caught:
        booking_update(actor=people.merch, booking_id=booking.pk, data={"vessel": "MSC ANNA"}, expected_version=2)
    assert caught.value.status == 409
    assert Booking.objects.get().vessel == "EVER GIVEN"


def test_an_amendment_keeps_the_rules(people, confirmed):
    booking = confirm(people, request(people, confirmed))
    with pytest.raises(ValidationFailed) as caught:
        booking_update(actor=people.merch, booking_id=booking.pk, data={"etd": days(25)})
    assert caught.value.code == "cutoff_after_etd"  # the cut-offs of day 27 would be after it
    assert Booking.objects.get().etd == days(30)


def test_cancel_needs_a_reason(people, confirmed):
    booking = request(people, confirmed)
    with pytest.raises(ValidationFailed) as caught:
        booking_cancel(actor=people.merch, booking_id=booking.pk, reason="no")
    assert caught.value.code == "reason_required"
    assert Booking.objects.get().status == B.REQUESTED
    cancelled = booking_cancel(actor=people.merch, booking_id=booking.pk, reason="Customer moved the ETD")
    assert cancelled.status == B.CANCELLED and cancelled.cancel_reason == "Customer moved the ETD"
    with pytest.raises(BusinessError) as caught:
        booking_update(actor=people.merch, booking_id=booking.pk, data={"vessel": "X"})
    assert caught.value.status == 409


@pytest.mark.parametrize("role", ["qc", "warehouse", "finance", "sales"])
def test_a_role_without_the_permission_is_refused_and_nothing_changes(people, confirmed, role):
    user = getattr(people, role)
    with pytest.raises(NotAllowed):
        request(people, confirmed, actor=user)
    booking = request(people, confirmed)
    for call in (lambda: confirm(people, booking, actor=user),
                 lambda: booking_cancel(actor=user, booking_id=booking.pk, reason="Not my booking"),
                 lambda: booking_update(actor=user, booking_id=booking.pk, data={"vessel": "X"})):
        with pytest.raises(NotAllowed) as caught:
            call()
        assert caught.value.status == 403
    booking.refresh_from_db()
    assert booking.status == B.REQUESTED and booking.version == 1 and Booking.objects.count() == 1


def test_the_manager_books_too(people, confirmed):
    booking = confirm(people, request(people, confirmed, actor=people.manager), actor=people.manager)
    assert booking.status == B.CONFIRMED


def test_forbidden_edges_are_refused(people, confirmed):
    template = request(people, confirmed)

    def make(state: str) -> Booking:
        return Booking.objects.create(order=confirmed, forwarder=people.forwarder, requested_on=template.requested_on,
                                      containers={"40HQ": 1}, requested_by=people.merch, status=state,
                                      booking_no="B1" if state != B.REQUESTED else "", vessel="V", etd=days(30))

    tried = assert_forbidden_edges_refused(BOOKING, make=make, attempt={
        B.CONFIRMED: lambda b: confirm(people, b),
        B.CANCELLED: lambda b: booking_cancel(actor=people.merch, booking_id=b.pk, reason="Space not needed"),
    })
    assert tried == 1  # cancelled → confirmed (nothing moves a booking back to "requested")
    # the same step twice is refused as well
    for state, step in ((B.CONFIRMED, lambda b: confirm(people, b)),
                        (B.CANCELLED, lambda b: booking_cancel(actor=people.merch, booking_id=b.pk,
                                                               reason="Space not needed"))):
        booking = make(state)
        with pytest.raises(BusinessError) as caught:
            step(booking)
        assert caught.value.status == 409 and Booking.objects.get(pk=booking.pk).version == 1


def test_the_timeline_in_both_languages(people, confirmed):
    from django.utils import translation

    from gendan.core.events import event_message

    confirm(people, request(people, confirmed))
    row = Event.objects.get(kind="shipping.booking_confirmed")
    with translation.override("en"):
        english = event_message(row)
    with translation.override("zh-hans"):
        chinese = event_message(row)
    assert english.startswith("Booking COSU6123456780 confirmed by FWD1: COSCO SHIPPING ARIES / 041E, ETD ")
    assert chinese.startswith("订舱 COSU6123456780 已由 FWD1 确认")
    assert "截关 " in chinese


def test_after_sailing_other_fields_may_still_be_amended(people, confirmed, time_machine):
    booking = confirm(people, request(people, confirmed))
    time_machine.move_to(timezone.now() + dt.timedelta(days=45))
    amended = booking_update(actor=people.merch, booking_id=booking.pk, data={"carrier": "COSCO SHIPPING Lines"})
    assert amended.carrier == "COSCO SHIPPING Lines" and amended.etd < timezone.localdate() - dt.timedelta(days=7)
