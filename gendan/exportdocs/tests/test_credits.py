"""The credit register (信用证登记): a credit as advised, linked to its L/C orders; bad input is
refused with every field named and nothing saved."""

from __future__ import annotations

import pytest

from gendan.core.errors import ConflictError, ValidationFailed
from gendan.core.models import Event
from gendan.exportdocs.models import LetterOfCredit
from gendan.exportdocs.selectors.credits import credit_check_data, credit_drawn, credit_undrawn
from gendan.exportdocs.services.credits import credit_cancel, credit_register, credit_update
from gendan.exportdocs.tests.credits_setup import credit_data, lc_order
from gendan.sales.tests import conftest as sales_fixtures
from tests.factories import SalesOrderFactory

pytestmark = pytest.mark.django_db
people = sales_fixtures.people
_english_messages = sales_fixtures._english_messages


@pytest.fixture
def order(people):
    return lc_order(people)


def test_a_credit_is_registered_with_its_defaults_and_on_the_orders_timeline(people, order):
    data = credit_data(order)
    credit = credit_register(by=people.merch, data=data)
    assert credit.status == LetterOfCredit.Status.RECEIVED
    assert credit.presentation_days == 21 and credit.insurance_pct == 110
    assert list(credit.orders.all()) == [order]
    assert credit.documents_required[0] == {"kind": "commercial_invoice", "originals": 3, "copies": 3, "note": ""}
    event = Event.objects.filter(kind="exportdocs.credit_received", object_id=order.pk,
                                 content_type__model="salesorder").get()
    assert event.params["no"] == "LC-2026-0001" and event.params["amount"] == "USD 1,236.01"
    assert event.params["latest"] == data["latest_shipment_date"]
    check = credit_check_data(credit)
    assert check["documents_required"] == ["commercial_invoice", "bill_of_lading", "packing_list"]
    assert check["amount"] == "1236.01" and check["presentation_days"] == 21
    assert credit_drawn(credit) == 0 and credit_undrawn(credit) == order.total_amount


@pytest.mark.parametrize(("changes", "field", "code"), [
    ({"expiry_date": "2026-01-01"}, "expiry_date", "expiry_before_latest_shipment"),
    ({"amount_tolerance_pct": "150"}, "amount_tolerance_pct", "tolerance_too_large"),
    ({"documents_required": [{"kind": "packing_list"}, {"kind": "horoscope", "originals": 1}]},
     "documents_required.1.kind", "unknown_document_kind"),
    ({"documents_required": [{"kind": "packing_list", "originals": 11}]}, "documents_required.0.originals",
     "validation_failed"),
    ({"latest_shipment_date": "1999-12-31"}, "latest_shipment_date", "invalid_date"),
    ({"amount": "1e20"}, "amount", "validation_failed"),
    ({"amount": "12.345"}, "amount", "validation_failed"),
])
def test_bad_input_is_refused_and_nothing_saved(people, order, changes, field, code):
    with pytest.raises(ValidationFailed) as exc:
        credit_register(by=people.merch, data=credit_data(order, **changes))
    assert exc.value.code == code and field in exc.value.fields
    assert not LetterOfCredit.objects.exists()
    assert not Event.objects.filter(kind="exportdocs.credit_received").exists()


def test_every_bad_field_is_named_at_once(people, order):
    with pytest.raises(ValidationFailed) as exc:
        credit_register(by=people.merch, data=credit_data(order, expiry_date="2026-01-01",
                                                          amount_tolerance_pct="150", number=""))
    assert {"expiry_date", "amount_tolerance_pct", "number"} <= set(exc.value.fields)


def test_an_order_of_another_customer_or_not_by_lc_is_not_linked(people, order):
    other = lc_order(people, customer=people.customer, payment_method="tt_deposit_balance", deposit_percent="30")
    with pytest.raises(ValidationFailed) as exc:
        credit_register(by=people.merch, data=credit_data(order, orders=[order.pk, other.pk]))
    assert exc.value.code == "order_not_by_credit" and "not by L/C" in exc.value.fields["orders"][0]
    foreign = SalesOrderFactory(customer=people.other_customer, actor=people.manager, confirmer=people.manager,
                                state="confirmed", payment_method="lc_sight", deposit_percent="0")
    with pytest.raises(ValidationFailed) as exc:
        credit_register(by=people.manager, data=credit_data(order, orders=[order.pk, foreign.pk]))
    assert exc.value.code == "order_not_by_credit" and "not of the credit's customer" in exc.value.fields["orders"][0]
    assert not LetterOfCredit.objects.exists()


def test_the_number_is_once_per_issuing_bank(people, order):
    credit_register(by=people.merch, data=credit_data(order))
    with pytest.raises(ValidationFailed) as exc:
        credit_register(by=people.merch, data=credit_data(order, number="lc-2026-0001"))
    assert exc.value.code == "credit_number_taken"
    assert credit_register(by=people.merch, data=credit_data(order, issuing_bank="HSBC Hamburg")).pk


def test_an_edit_is_versioned_and_sends_an_examined_credit_back_to_examination(people, order):
    credit = credit_register(by=people.merch, data=credit_data(order))
    credit = credit_update(by=people.merch, credit=credit, version=1, data={"amount": "1300.00"})
    assert credit.version == 2 and credit.amount == 1300
    event = Event.objects.filter(kind="exportdocs.credit_updated", object_id=order.pk,
                                 content_type__model="salesorder").get()
    assert event.changes["amount"]["old"] == "1236.01" and event.changes["amount"]["new"] == "1300"
    with pytest.raises(ConflictError):
        credit_update(by=people.merch, credit=credit, version=1, data={"amount": "1400"})
    with pytest.raises(ValidationFailed):
        credit_update(by=people.merch, credit=credit, version=2, data={"expiry_date": "2026-01-01"})
    credit.refresh_from_db()
    assert credit.amount == 1300 and credit.version == 2


def test_a_credit_never_drawn_is_cancelled_with_a_reason(people, order):
    credit = credit_register(by=people.merch, data=credit_data(order))
    with pytest.raises(ValidationFailed):
        credit_cancel(by=people.merch, credit=credit, reason="")
    credit = credit_cancel(by=people.merch, credit=credit, reason="replaced by LC-0002")
    assert credit.status == LetterOfCredit.Status.CANCELLED


def test_warehouse_may_not_register(people, order):
    from gendan.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        credit_register(by=people.warehouse, data=credit_data(order))


def test_the_bl_consignee_follows_the_credits_46a_note(people, order):
    from gendan.shipping.services.bills import consignee_expected, notify_expected

    customer_party = consignee_expected(order)
    assert customer_party.startswith(order.customer.name_en)
    credit_register(by=people.merch, data=credit_data(order, documents_required=[
        {"kind": "bill_of_lading", "originals": 3,
         "note": "Full set clean on board B/L made out to order of Deutsche Bank AG, Hamburg; notify applicant."}]))
    assert consignee_expected(order) == "TO ORDER OF DEUTSCHE BANK AG, HAMBURG"
    assert notify_expected(order) == customer_party


def test_the_checks_credit_input_is_one_the_check_reads(people, order):
    from gendan.shipping.document_check import check_presentation

    credit = credit_register(by=people.merch, data=credit_data(order, about=True, quantity="1000",
                                                               quantity_unit="PCS", documents_required=[
        {"kind": "commercial_invoice", "originals": 3}, {"kind": "shipping_advice", "originals": 1},
        {"kind": "test_report", "originals": 1}, {"kind": "draft", "originals": 2}]))
    data = credit_check_data(credit)
    assert data["documents_required"] == ["commercial_invoice", "draft"] and data["about"] is True
    result = check_presentation({"credit": data, "presentation_date": "2026-03-20", "documents": {}})
    assert {d["code"] for d in result["discrepancies"]} == {"DOCUMENT_MISSING"}


def test_a_flood_of_order_ids_or_documents_is_refused_without_a_huge_query(people):
    order = lc_order(people)
    with pytest.raises(ValidationFailed) as refused:
        credit_register(by=people.merch, data=credit_data(order, orders=list(range(1, 50_001))))
    assert "orders" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        credit_register(by=people.merch, data=credit_data(order, documents_required=["packing_list"] * 5_000))
    assert "documents_required" in refused.value.fields
    assert not LetterOfCredit.objects.exists()


def test_a_credit_that_does_not_exist_is_not_found(people):
    from django.http import Http404

    with pytest.raises(Http404):
        credit_update(by=people.merch, credit=2**62, version=1, data={"notes": "x"})
