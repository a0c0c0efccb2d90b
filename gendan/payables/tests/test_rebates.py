"""Export tax rebates: the formula with numbers worked by hand, a missing VAT invoice blocks and
names the factory, declaration numbers, amounts, the status steps, roles, and the chase e-mail
over real SMTP."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone, translation

from gendan.core.errors import BusinessError, NotAllowed, ValidationFailed
from gendan.core.models import Event
from gendan.payables.models import TaxRebate, VatInvoice
from gendan.payables.selectors.rebates import blocked_rebates, rebate_compute
from gendan.payables.services.rebates import (
    rebate_chase,
    rebate_check,
    rebate_file,
    rebate_receive,
    rebate_record,
)
from gendan.payables.tests.test_rebates_world import declaration_no, factory_invoice, make_order, vat_invoice
from tests.factories import UserFactory
from tests.smtp import smtp  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_expected_rebate_by_hand():
    w = make_order()
    factory_invoice(w)
    comp = rebate_compute(w.shipment)
    assert not comp.missing
    lines = {line.hs_code: line for line in comp.lines}
    assert lines["6912001000"].net_amount == Decimal("7079.64")
    assert lines["6912001000"].rebate == Decimal("920.35")
    assert lines["4819100000"].net_amount == Decimal("884.96")
    assert lines["4819100000"].rebate == Decimal("79.65")
    assert comp.expected == Decimal("1000.00")
    assert comp.net_amount == Decimal("7964.60")

    rebate = rebate_record(actor=w.finance, shipment_id=w.shipment.pk, declaration_no=declaration_no(1),
                           declared_on=timezone.localdate())
    assert rebate.status == TaxRebate.Status.READY
    assert rebate.expected_amount == Decimal("1000.00")
    assert VatInvoice.objects.filter(rebate=rebate).count() == 1


def test_partial_shipment_takes_its_share_and_the_next_needs_its_own_vat_invoice():
    w = make_order(ship={1: "500", 2: "0"})
    factory_invoice(w)
    comp = rebate_compute(w.shipment)
    # shipped cost 500 × 8 = 4 000 of 9 000: 7 964.60 × 4/9 = 3 539.822… → 3 539.82 × 13 % = 460.1766 → 460.18
    assert [(line.hs_code, line.net_amount, line.rebate) for line in comp.lines] == [
        ("6912001000", Decimal("3539.82"), Decimal("460.18"))]
    first = rebate_record(actor=w.finance, shipment_id=w.shipment.pk, declaration_no=declaration_no(2),
                          declared_on=timezone.localdate())
    assert first.expected_amount == Decimal("460.18")
    from gendan.shipping.services import order_ship

    rest = order_ship(actor=w.merch, order_id=w.order.pk, shipped_on=timezone.localdate(),
                      quantities={line.pk: line.open_quantity for line in w.order.lines.all() if line.open_quantity})
    second = rebate_record(actor=w.finance, shipment_id=rest.pk, declaration_no=declaration_no(3),
                           declared_on=timezone.localdate())
    assert second.status == TaxRebate.Status.WAITING  # the only VAT invoice serves the first rebate


def test_missing_vat_invoice_blocks_and_names_the_factory():
    w = make_order()
    factory_invoice(w, vat=False)
    rebate = rebate_record(actor=w.merch, shipment_id=w.shipment.pk, declaration_no=declaration_no(4),
                           declared_on=timezone.localdate() - dt.timedelta(days=3))
    assert rebate.status == TaxRebate.Status.WAITING
    assert rebate.expected_amount == Decimal("0.00")
    with pytest.raises(BusinessError) as exc:
        rebate_file(actor=w.finance, rebate_id=rebate.pk, filed_on=timezone.localdate())
    assert exc.value.code == "rebate_vat_missing"
    assert "Dongguan One" in str(exc.value.message) and w.production_order.number in str(exc.value.message)
    blocked = blocked_rebates(user=w.finance, today=timezone.localdate())
    assert [(b.rebate.pk, b.days, [m.supplier_name for m in b.missing]) for b in blocked] == [
        (rebate.pk, 3, ["Dongguan One"])]
    # the VAT invoice arrives: checked again, ready, expected as by hand
    invoice = w.production_order.supplier_invoices.get()
    vat_invoice(invoice, net="7964.60", tax="1035.40")
    rebate = rebate_check(actor=w.merch, rebate_id=rebate.pk)
    assert rebate.status == TaxRebate.Status.READY and rebate.expected_amount == Decimal("1000.00")
    assert blocked_rebates(user=w.finance) == []


def test_no_vat_expected_does_not_block():
    w = make_order()
    factory_invoice(w, vat=False, vat_required=False, tax="0")
    rebate = rebate_record(actor=w.finance, shipment_id=w.shipment.pk, declaration_no=declaration_no(5),
                           declared_on=timezone.localdate())
    assert rebate.status == TaxRebate.Status.READY and rebate.expected_amount == Decimal("0.00")


def test_file_and_receive_with_a_difference():
    w = make_order()
    factory_invoice(w)
    rebate = rebate_record(actor=w.finance, shipment_id=w.shipment.pk, declaration_no=declaration_no(6),
                           declared_on=timezone.localdate() - dt.timedelta(days=4))
    rebate = rebate_file(actor=w.finance, rebate_id=rebate.pk, filed_on=timezone.localdate() - dt.timedelta(days=2),
                         version=rebate.version)
    assert rebate.status == TaxRebate.Status.FILED
    with pytest.raises(BusinessError) as stale:
        rebate_receive(actor=w.finance, rebate_id=rebate.pk, amount="990.00", received_on=timezone.localdate(),
                       version=rebate.version - 1)
    assert stale.value.status == 409
    rebate = rebate_receive(actor=w.finance, rebate_id=rebate.pk, amount="990.00", received_on=timezone.localdate(),
                            version=rebate.version)
    assert rebate.status == TaxRebate.Status.RECEIVED
    assert rebate.received_amount - rebate.expected_amount == Decimal("-10.00")
    kinds = list(Event.objects.filter(object_id=w.order.pk, kind__startswith="payables.rebate_")
                 .values_list("kind", flat=True))
    assert {"payables.rebate_recorded", "payables.rebate_filed", "payables.rebate_received"} <= set(kinds)


@pytest.mark.parametrize("number", ["12345", "22312026000000000A", "2231202600000000001", ""])
def test_declaration_no_must_be_18_digits(number):
    w = make_order()
    with pytest.raises(ValidationFailed) as exc:
        rebate_record(actor=w.finance, shipment_id=w.shipment.pk, declaration_no=number,
                      declared_on=timezone.localdate())
    assert exc.value.code == "declaration_no_invalid" and "declaration_no" in exc.value.fields
    assert not TaxRebate.objects.exists()


def test_declaration_no_used_once():
    w = make_order()
    other = make_order(finance=w.finance)
    rebate_record(actor=w.finance, shipment_id=w.shipment.pk, declaration_no=declaration_no(7),
                  declared_on=timezone.localdate())
    with pytest.raises(ValidationFailed) as exc:
        rebate_record(actor=w.finance, shipment_id=other.shipment.pk, declaration_no=declaration_no(7),
                      declared_on=timezone.localdate())
    assert exc.value.code == "declaration_no_taken" and w.shipment.number in str(exc.value.message)
    assert TaxRebate.objects.count() == 1


def test_future_date_and_unshipped_shipment_refused():
    w = make_order()
    with pytest.raises(ValidationFailed) as exc:
        rebate_record(actor=w.finance, shipment_id=w.shipment.pk, declaration_no=declaration_no(8),
                      declared_on=timezone.localdate() + dt.timedelta(days=1))
    assert "declared_on" in exc.value.fields
    with pytest.raises(Http404):
        rebate_record(actor=w.finance, shipment_id=99999999999999999999, declaration_no=declaration_no(8),
                      declared_on=timezone.localdate())


@pytest.mark.parametrize("amount", ["-5", "0", "1e30", "12.345", "abc", "1000000000000"])
def test_received_amount_refused(amount):
    w = make_order()
    factory_invoice(w)
    rebate = rebate_record(actor=w.finance, shipment_id=w.shipment.pk, declaration_no=declaration_no(9),
                           declared_on=timezone.localdate())
    rebate_file(actor=w.finance, rebate_id=rebate.pk, filed_on=timezone.localdate())
    with pytest.raises(ValidationFailed) as exc:
        rebate_receive(actor=w.finance, rebate_id=rebate.pk, amount=amount, received_on=timezone.localdate())
    assert "amount" in exc.value.fields
    rebate.refresh_from_db()
    assert rebate.status == TaxRebate.Status.FILED


def test_roles():
    w = make_order()
    factory_invoice(w)
    qc = UserFactory(roles=["qc"], language="en")
    with pytest.raises(NotAllowed):
        rebate_record(actor=qc, shipment_id=w.shipment.pk, declaration_no=declaration_no(10),
                      declared_on=timezone.localdate())
    rebate = rebate_record(actor=w.merch, shipment_id=w.shipment.pk, declaration_no=declaration_no(10),
                           declared_on=timezone.localdate())
    with pytest.raises(NotAllowed):  # a merchandiser records, finance files
        rebate_file(actor=w.merch, rebate_id=rebate.pk, filed_on=timezone.localdate())
    stranger = UserFactory(roles=["merchandiser"], language="en")
    with pytest.raises(Http404):  # another merchandiser's order: not found
        rebate_check(actor=stranger, rebate_id=rebate.pk)


def test_chase_the_factory_by_email(smtp):  # noqa: F811
    w = make_order()
    factory_invoice(w, vat=False)
    rebate = rebate_record(actor=w.merch, shipment_id=w.shipment.pk, declaration_no=declaration_no(11),
                           declared_on=timezone.localdate())
    with pytest.raises(BusinessError):
        rebate_chase(actor=UserFactory(roles=["qc"], language="en"), rebate_id=rebate.pk)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        events = rebate_chase(actor=w.merch, rebate_id=rebate.pk)
    assert len(events) == 1
    message = smtp.wait_for(1)[0]
    assert message["To"] == "account@dg-one.example.com"
    assert w.production_order.number in message["Subject"]
    body = message.get_body().get_content()
    assert rebate.declaration_no in body and "增值税专用发票" in body


@pytest.mark.dates
def test_blocked_rebate_on_the_board_of_the_merchandiser_and_purchasing():
    from gendan.tracking.rebate_chase import VAT_INVOICE_DAYS, rebate_items

    w = make_order()
    factory_invoice(w, vat=False)
    today = timezone.localdate()
    rebate = rebate_record(actor=w.merch, shipment_id=w.shipment.pk, declaration_no=declaration_no(12),
                           declared_on=today - dt.timedelta(days=VAT_INVOICE_DAYS + 1))
    items = rebate_items(user=w.merch, today=today, limit=20)
    assert [(i.kind, i.late, i.order.pk) for i in items] == [("rebate_vat_missing", True, w.order.pk)]
    assert "Dongguan One" in items[0].label and f"{VAT_INVOICE_DAYS + 1} days" in items[0].detail
    buyer = UserFactory(roles=["purchasing"], language="en")
    assert len(rebate_items(user=buyer, today=today, limit=20)) == 1
    assert rebate_items(user=UserFactory(roles=["merchandiser"], language="en"), today=today, limit=20) == []
    vat_invoice(w.production_order.supplier_invoices.get(), net="7964.60", tax="1035.40")
    rebate_check(actor=w.merch, rebate_id=rebate.pk)
    assert rebate_items(user=w.merch, today=today, limit=20) == []


def test_a_vat_invoice_recorded_by_the_invoices_part_makes_the_rebate_ready():
    from gendan.payables.services.invoices import vat_invoice_record

    w = make_order()
    invoice = factory_invoice(w, vat=False)
    rebate = rebate_record(actor=w.finance, shipment_id=w.shipment.pk, declaration_no=declaration_no(13),
                           declared_on=timezone.localdate())
    assert rebate.status == TaxRebate.Status.WAITING
    vat_invoice_record(actor=w.finance, invoice_id=invoice.pk,
                       data={"number": "44001234", "issued_on": timezone.localdate().isoformat(),
                             "net_amount": "7964.60", "tax_rate": "13", "tax_amount": "1035.40"})
    rebate.refresh_from_db()
    assert rebate.status == TaxRebate.Status.READY and rebate.expected_amount == Decimal("1000.00")
    assert Event.objects.filter(kind="payables.rebate_checked", object_id=w.order.pk).exists()
