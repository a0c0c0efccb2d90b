"""Deposit and balance requests: recorded on the order, then emailed to the customer's main
contact with the current PI attached — received here by a real SMTP server (``tests/smtp.py``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from gendan.core.errors import ValidationFailed
from gendan.core.events import timeline_for
from gendan.finance.models import PaymentPlanItem, PaymentRequest
from gendan.finance.services import payment_request_send
from gendan.parties.models import PaymentMethod
from gendan.sales.models import OrderDocument
from gendan.sales.services.documents import document_issue
from gendan.sales.tests.conftest import make_confirmed, pay
from tests.factories import ContactFactory, CustomerFactory
from tests.smtp import attachments

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def issue_pi(w, order, **confirm):
    return document_issue(actor=w.merch, order_id=order.pk, kind=OrderDocument.Kind.PROFORMA_INVOICE, **confirm)


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.django_db(transaction=True)
def test_deposit_request_reaches_the_main_contact_with_the_current_pi(people, smtp):
    ContactFactory(customer=people.customer, email="accounts@nordlicht.example", is_primary=False)
    order = make_confirmed(people)
    issue_pi(people, order)
    pi = issue_pi(people, order, confirm_replace=True)  # re-issued: the current version is the one that goes out
    deposit = order.plan_items.get(kind="deposit")

    request = payment_request_send(actor=people.merch, order_id=order.pk, kind="deposit")

    # The service's transaction has committed, so the email has gone out.
    [message] = smtp.wait_for(1)
    assert smtp.deliveries[0].rcpt_tos == ("buyer@nordlicht.example",)
    assert message["To"] == "buyer@nordlicht.example"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert order.number in message["Subject"] and "PO-4711" in message["Subject"]
    body = body_of(message)
    assert "USD 370.80" in body  # 30 % of USD 1,236.01
    assert deposit.due_date.isoformat() in body
    assert pi.display_number in body
    [(name, content_type, data)] = attachments(message)
    assert (name, content_type) == (f"{pi.display_number}.pdf", "application/pdf")
    assert pi.display_number.endswith("-R1")
    assert data.startswith(b"%PDF")
    with pi.file.open("rb") as fh:
        assert data == fh.read()

    request.refresh_from_db()
    assert request.email_sent_at is not None and request.email_error == ""
    assert (request.amount, request.document, request.sent_to) == (Decimal("370.80"), pi, "buyer@nordlicht.example")
    deposit.refresh_from_db()
    assert deposit.requested_at == request.requested_at
    assert any("requested" in e.text and "370.80" in e.text for e in timeline_for(order))


def test_mail_server_down_the_request_is_recorded_and_the_error_kept(people, smtp,
                                                                    django_capture_on_commit_callbacks):
    order = make_confirmed(people)
    smtp.stop()

    with django_capture_on_commit_callbacks(execute=True):
        request = payment_request_send(actor=people.merch, order_id=order.pk, kind="deposit")  # does not raise

    request.refresh_from_db()
    assert request.email_sent_at is None
    assert request.email_error  # e.g. "[Errno 111] Connection refused", shown on the order
    assert PaymentRequest.objects.filter(order=order).count() == 1
    assert order.plan_items.get(kind="deposit").requested_at == request.requested_at
    assert not smtp.deliveries


def test_no_second_deposit_request_once_the_deposit_is_paid(people, smtp, django_capture_on_commit_callbacks):
    order = make_confirmed(people)
    with django_capture_on_commit_callbacks(execute=True):
        payment_request_send(actor=people.merch, order_id=order.pk, kind="deposit")
    smtp.wait_for(1)
    pay(people, order, str(order.deposit_amount))

    with pytest.raises(ValidationFailed, match="The deposit has been received.") as refused, \
            django_capture_on_commit_callbacks(execute=True) as callbacks:
        payment_request_send(actor=people.merch, order_id=order.pk, kind="deposit")
    assert refused.value.code == "request_not_possible"
    assert callbacks == []
    assert PaymentRequest.objects.filter(order=order).count() == 1

    # The balance is still open and can be asked for.
    with django_capture_on_commit_callbacks(execute=True):
        payment_request_send(actor=people.merch, order_id=order.pk, kind="balance")
    first, second = smtp.wait_for(2)
    assert "USD 865.21" in body_of(second) and "USD 865.21" not in body_of(first)
    assert len(smtp.deliveries) == 2


def test_a_customer_without_any_email_is_refused_with_what_to_do(people, smtp, django_capture_on_commit_callbacks):
    customer = CustomerFactory(email="", merchandiser=people.merch, default_currency_id="USD",
                               payment_method=PaymentMethod.TT_DEPOSIT_BALANCE, deposit_percent=Decimal("30"))
    ContactFactory(customer=customer, email="", phone="+49 40 555 0100", is_primary=True)
    order = make_confirmed(people, customer)

    with pytest.raises(ValidationFailed, match="add one to the customer or a contact"), \
            django_capture_on_commit_callbacks(execute=True):
        payment_request_send(actor=people.merch, order_id=order.pk, kind="deposit")
    assert not PaymentRequest.objects.filter(order=order).exists()
    assert order.plan_items.get(kind="deposit").requested_at is None
    assert not smtp.deliveries


def test_a_chinese_customer_gets_the_request_in_chinese(people, smtp, django_capture_on_commit_callbacks):
    customer = CustomerFactory(country="CN", name_en="", name_zh="上海华东商贸有限公司", email="caigou@huadong.example",
                               merchandiser=people.merch, default_currency_id="CNY",
                               payment_method=PaymentMethod.TT_DEPOSIT_BALANCE, deposit_percent=Decimal("30"))
    order = make_confirmed(people, customer)
    pi = issue_pi(people, order)

    with django_capture_on_commit_callbacks(execute=True):
        payment_request_send(actor=people.merch, order_id=order.pk, kind="deposit")

    [message] = smtp.wait_for(1)
    assert smtp.deliveries[0].rcpt_tos == ("caigou@huadong.example",)
    # Facts that read the same in any language.
    assert order.number in message["Subject"] and "PO-4711" in message["Subject"]
    body = body_of(message)
    assert "CNY 370.80" in body and "CNY 1,236.01" in body
    [(name, _type, data)] = attachments(message)
    assert name == f"{pi.display_number}.pdf" and data.startswith(b"%PDF")
    # Composed in Chinese: whatever the zh-hans catalogue says today, and the Chinese company name.
    with translation.override("zh-hans"):
        kind = str(PaymentPlanItem.Kind.DEPOSIT.label).capitalize()
        subject = _("%(kind)s request — order %(order)s / your PO %(po)s") % {
            "kind": kind, "order": order.number, "po": "PO-4711"}
        greeting = _("Dear customer,")
    # (Django folds a long encoded subject onto the next line; the parser keeps that space.)
    assert message["Subject"].strip() == subject
    assert body.startswith(greeting)
    assert settings.GENDAN_COMPANY_NAME["zh-hans"] in body
    assert settings.GENDAN_COMPANY_NAME["en"] not in body
