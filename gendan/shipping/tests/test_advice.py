"""The shipping advice (装船通知): sent to the customer's contacts over a real SMTP server once the
B/L is issued, with containers and seals, vessel, B/L no., dates, packages, weights, CBM and the
value of the goods; the T&A's "shipping advice" completes; re-sent and logged; refused before."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.core.errors import BusinessError, ValidationFailed
from gendan.core.models import Event
from gendan.parties.models import Contact, PaymentMethod
from gendan.shipping.models import Shipment
from gendan.shipping.services.advice import advice_goods, advice_send, advice_text
from gendan.shipping.tests.bills_setup import days, issued_bill, shipped_order
from gendan.tracking.hooks import Milestone
from gendan.tracking.models import OrderMilestone
from tests.smtp import smtp  # noqa: F401  (a real SMTP server)

pytestmark = pytest.mark.django_db


def milestone(order, key):
    return OrderMilestone.objects.get(plan__order=order, key=key)


def test_the_advice_reaches_the_customer_with_the_shipment_facts(people, smtp,  # noqa: F811
                                                                   django_capture_on_commit_callbacks):
    order, shipment = shipped_order(people)
    issued_bill(people, shipment)
    with django_capture_on_commit_callbacks(execute=True):
        advice_send(actor=people.merch, shipment_id=shipment.pk)
    message = smtp.wait_for(1)[0]
    assert message["To"] == "buyer@nordlicht.example"
    assert order.number in message["Subject"] and "COSU6123456780" in message["Subject"]
    body = message.get_content()
    for fact in ("CSQU3054383 / SEAL 123456, 40HQ", "B/L no.: COSU6123456780", "COSCO SHIPPING ARIES / 041E",
                 f"On board / ETD: {days(-1).isoformat()}", f"ETA: {days(30).isoformat()}", "Packages: 85 CTNS",
                 "Gross weight: 1102.5 KGS", "Measurement: 12.355 CBM", "Total value: USD 1,236.01",
                 "Ceramic mug 350 ml: 1000 pcs × USD 1.235 = USD 1,235.00"):
        assert fact in body, fact
    shipment.refresh_from_db()
    assert shipment.advice_sent_at is not None
    done = milestone(order, Milestone.SHIPPING_ADVICE)
    assert done.status == "done" and done.completed_event.kind == "shipping.advice_sent"

    # sent again (the customer lost it): a second email, a second row on the timeline
    with django_capture_on_commit_callbacks(execute=True):
        advice_send(actor=people.merch, shipment_id=shipment.pk)
    assert len(smtp.wait_for(2)) == 2
    assert Event.objects.filter(kind="shipping.advice_sent", object_id=order.pk).count() == 2


def test_the_value_is_shipped_quantity_times_unit_price(people):
    order, shipment = shipped_order(people)
    goods = advice_goods(shipment)
    assert [row["amount"] for row in goods["rows"]] == [Decimal("1235.00"), Decimal("1.01")]
    assert goods["total"] == Decimal("1236.01") and goods["currency"] == "USD"


def test_no_advice_before_the_bl_is_issued_nor_without_an_address(people):
    order, shipment = shipped_order(people)
    with pytest.raises(BusinessError) as refused:
        advice_send(actor=people.merch, shipment_id=shipment.pk)
    assert refused.value.code == "bill_not_issued" and refused.value.status == 409
    issued_bill(people, shipment)
    Contact.objects.filter(customer=order.customer).update(email="")
    with pytest.raises(ValidationFailed) as refused:
        advice_send(actor=people.merch, shipment_id=shipment.pk)
    assert refused.value.code == "no_advice_recipient"
    with pytest.raises(BusinessError) as refused:
        advice_send(actor=people.warehouse, shipment_id=shipment.pk)
    assert refused.value.status == 403


def test_an_air_shipment_advises_once_shipped(people, smtp, django_capture_on_commit_callbacks):  # noqa: F811
    order, shipment = shipped_order(people, mode=Shipment.Mode.AIR, container=False, booking=False,
                                    payment_method=PaymentMethod.TT_ADVANCE)
    with django_capture_on_commit_callbacks(execute=True):
        advice_send(actor=people.merch, shipment_id=shipment.pk)
    assert "Shipping advice" in smtp.wait_for(1)[0]["Subject"]


def test_a_mail_server_down_counts_nothing_as_sent(people, smtp, django_capture_on_commit_callbacks):  # noqa: F811
    order, shipment = shipped_order(people)
    issued_bill(people, shipment)
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        advice_send(actor=people.merch, shipment_id=shipment.pk)
    shipment.refresh_from_db()
    assert shipment.advice_sent_at is None
    assert milestone(order, Milestone.SHIPPING_ADVICE).status == "open"
    assert Event.objects.filter(kind="shipping.advice_failed", object_id=order.pk).exists()


def test_the_preview_is_the_email(people):
    order, shipment = shipped_order(people)
    issued_bill(people, shipment)
    shipment.refresh_from_db()
    subject, body = advice_text(shipment)
    assert subject.startswith("Shipping advice — order " + order.number)
    assert "Dear Nordlicht Handels GmbH," in body and "B/L no.: COSU6123456780" in body
