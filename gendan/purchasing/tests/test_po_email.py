"""Issue 11: a purchase order sent to the supplier is e-mailed to it, with its PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.parties.models import Contact
from gendan.purchasing.models import PurchaseOrder
from gendan.purchasing.services.orders import purchase_order_create, purchase_order_send
from tests.smtp import smtp  # noqa: F401

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _po(w):
    return purchase_order_create(actor=w.buyer, supplier=w.plastics, currency="CNY", lines=[
        {"material": w.body, "quantity": "360.5", "unit_price": "14.2", "eta": TODAY() + dt.timedelta(days=9)}])


def test_sending_a_purchase_order_emails_its_pdf_to_the_supplier(derived, smtp, client_for,  # noqa: F811
                                                                   django_capture_on_commit_callbacks):
    w = derived
    w.plastics.email = "sales@plastics.example"
    w.plastics.save(update_fields=["email"])
    Contact.objects.create(supplier=w.plastics, name="王经理", email="wang@plastics.example", is_primary=True)
    po = _po(w)
    with django_capture_on_commit_callbacks(execute=True):
        purchase_order_send(actor=w.buyer, purchase_order_id=po.pk)
    message = smtp.wait_for(1)[0]
    to = message["To"].replace(" ", "").split(",")
    assert to[0] == "sales@plastics.example" and "wang@plastics.example" in to  # the supplier, then its contacts
    assert len(to) == len(set(to))
    assert po.number in message["Subject"]
    pdf = next(part for part in message.iter_attachments())
    assert pdf.get_filename() == f"{po.number}.pdf" and pdf.get_content().startswith(b"%PDF")
    po.refresh_from_db()
    assert po.email_sent_at is not None and po.email_error == ""
    page = client_for(w.buyer).get(po.get_absolute_url()).content.decode()
    assert "wang@plastics.example" in page


def test_a_mail_server_down_leaves_the_order_sent_and_says_why(derived, smtp, client_for,  # noqa: F811
                                                               django_capture_on_commit_callbacks):
    w = derived
    w.plastics.email = "sales@plastics.example"
    w.plastics.save(update_fields=["email"])
    po = _po(w)
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        purchase_order_send(actor=w.buyer, purchase_order_id=po.pk)
    po.refresh_from_db()
    assert po.status == PurchaseOrder.Status.SENT and po.email_sent_at is None and po.email_error
    assert "the e-mail failed" in client_for(w.buyer).get(po.get_absolute_url()).content.decode()
