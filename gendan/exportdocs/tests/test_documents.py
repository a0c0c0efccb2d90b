"""The document set of a shipment: generated from the shipment, numbered once, versioned only
when the content changes, under an L/C as the credit says."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.core.errors import BusinessError, NotAllowed, ValidationFailed
from gendan.core.models import Event
from gendan.exportdocs.models import ProductExportData, ShipmentDocument
from gendan.exportdocs.services.documents import document_set_generate
from gendan.exportdocs.tests.documents_setup import shipped
from gendan.sales.tests import conftest as sales_fixtures
from gendan.shipping.models import ShipmentLine
from gendan.shipping.services.bills import bill_expected
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
people = sales_fixtures.people
_english_messages = sales_fixtures._english_messages


def current(shipment) -> dict[str, ShipmentDocument]:
    return {d.kind: d for d in ShipmentDocument.objects.filter(shipment=shipment, is_current=True)}


def test_the_invoice_is_the_shipped_quantities_at_the_order_prices(people):
    order, shipment, _lc = shipped(people)
    result = document_set_generate(by=people.merch, shipment=shipment)
    docs = current(shipment)
    assert set(docs) == {"commercial_invoice", "packing_list", "shipping_marks", "origin_data", "customs_data"}
    assert [d.kind for d in result.made][:2] == ["commercial_invoice", "packing_list"]
    invoice = docs["commercial_invoice"].data
    lines = invoice["lines"]
    assert [(ln["quantity"], ln["unit_price"], ln["amount"]) for ln in lines] == [
        ("1000", "1.235", "1235.00"), ("3", "0.335", "1.01")]
    shipped_qty = {ln.order_line_id: ln.quantity for ln in ShipmentLine.objects.filter(shipment=shipment)}
    assert {ln["order_line_id"]: Decimal(ln["quantity"]) for ln in lines} == shipped_qty
    assert Decimal(invoice["total"]) == sum(Decimal(ln["amount"]) for ln in lines) == Decimal("1236.01")
    assert invoice["total"] == str(order.total_amount)
    assert invoice["amount_in_words"] == "SAY US DOLLARS ONE THOUSAND TWO HUNDRED THIRTY-SIX AND CENTS ONE ONLY"
    assert [c["colour"] for c in lines[0]["cells"]] == ["Red", "Blue"]
    assert invoice["number"].startswith("CI")
    # one number for the whole set
    assert {d.number for d in docs.values()} == {invoice["number"]}
    assert all(d.version == 1 and d.pdf_id for d in docs.values())
    assert docs["commercial_invoice"].xlsx_id and docs["packing_list"].xlsx_id
    assert invoice["made_out_to"] == "Nordlicht Handels GmbH"
    assert invoice["marks"].startswith("NORDLICHT")
    assert Event.objects.filter(kind="exportdocs.documents_generated", object_id=order.pk).count() == 1


def test_packing_list_cartons_run_on_and_total_what_the_invoice_says(people):
    _order, shipment, _lc = shipped(people)
    document_set_generate(by=people.merch, shipment=shipment)
    docs = current(shipment)
    packing, invoice = docs["packing_list"].data, docs["commercial_invoice"].data
    ranges = [(ln["carton_from"], ln["carton_to"], ln["cartons"], ln["pcs_per_carton"], ln["quantity"])
              for ln in packing["lines"]]
    # 1 000 mugs at 24 a carton: 41 full cartons and a last one holding 16; 3 gift boxes in one carton
    assert ranges == [(1, 41, 41, "24", "984"), (42, 42, 1, "16", "16"), (43, 43, 1, "3", "3")]
    assert packing["lines"][1]["partial"] and packing["lines"][1]["nw_per_carton"] == "5.6"
    assert packing["packages"] == sum(ln["cartons"] for ln in packing["lines"]) == 43
    for total, column in (("gross_weight_kg", "gw_total"), ("net_weight_kg", "nw_total"), ("cbm", "cbm")):
        assert Decimal(packing[total]) == sum(Decimal(ln[column]) for ln in packing["lines"]), total
        assert invoice[total] == packing[total]
    assert packing["packages"] == invoice["packages"]
    assert packing["gross_weight_kg"] == "401.5"  # 41 × 9.6 + (9.6 − 8.4 + 5.6) + (5.8 − 5 + 0.3)
    # What the B/L must say (shipping) is the packing list's weight, part cartons included: 单单一致.
    assert bill_expected(shipment)["gross_kg"] == Decimal(packing["gross_weight_kg"])
    assert docs["customs_data"].data["lines"][0]["hs_code"] == "6912001000"
    assert docs["origin_data"].data["lines"][0]["hs_code6"] == "691200"


def test_what_is_missing_is_listed_never_refused(people):
    _order, shipment, _lc = shipped(people)
    result = document_set_generate(by=people.merch, shipment=shipment)
    fields = {(m["product_code"], m["field"]) for m in result.missing}
    assert ("MUG-350", "origin_criterion") in fields and ("BOX-G", "declaration_elements") in fields
    assert current(shipment)["origin_data"].data["lines"][0]["origin_criterion"] == "—"
    for product in {ln.order_line.product for ln in shipment.lines.all()}:
        ProductExportData.objects.create(product=product, customs_name_zh="陶瓷杯", origin_criterion="WO",
                                         declaration_elements="1|0|陶瓷|家用|无品牌")
    result = document_set_generate(by=people.merch, shipment=shipment, note="export data of the products added")
    assert result.missing == []
    assert {d.kind for d in result.made} == {"origin_data", "customs_data"}


def test_generating_again_without_a_change_makes_no_new_version(people):
    _order, shipment, _lc = shipped(people)
    document_set_generate(by=people.merch, shipment=shipment)
    result = document_set_generate(by=people.merch, shipment=shipment)
    assert result.made == [] and "commercial_invoice" in result.unchanged
    assert ShipmentDocument.objects.filter(shipment=shipment).count() == 5


def test_a_change_makes_version_2_with_a_note_and_version_1_not_current(people):
    order, shipment, _lc = shipped(people)
    document_set_generate(by=people.merch, shipment=shipment)
    first = current(shipment)["commercial_invoice"]
    order.shipping_marks = "NORDLICHT\nPO-4711\nHAMBURG\nC/NO. 1-43"
    order.save(update_fields=["shipping_marks"])
    with pytest.raises(ValidationFailed) as exc:
        document_set_generate(by=people.merch, shipment=shipment)
    assert exc.value.code == "reason_required" and "note" in exc.value.fields
    assert ShipmentDocument.objects.filter(shipment=shipment).count() == 5  # nothing half-saved
    result = document_set_generate(by=people.merch, shipment=shipment, note="marks: carton count written out")
    made = {d.kind: d for d in result.made}
    assert set(made) >= {"commercial_invoice", "packing_list", "shipping_marks"}
    invoice = made["commercial_invoice"]
    assert (invoice.version, invoice.number, invoice.change_note) == (2, first.number, "marks: carton count "
                                                                                       "written out")
    first.refresh_from_db()
    assert not first.is_current
    assert current(shipment)["commercial_invoice"].pk == invoice.pk


def test_under_a_credit_the_documents_say_what_the_credit_says(people):
    order, shipment, credit = shipped(people, credit=True, incoterm="CIF", incoterm_place="Hamburg")
    document_set_generate(by=people.merch, shipment=shipment)
    docs = current(shipment)
    assert set(docs) == {"commercial_invoice", "packing_list", "shipping_marks", "beneficiary_certificate", "draft",
                         "insurance_declaration", "origin_data", "customs_data"}
    invoice = docs["commercial_invoice"].data
    assert invoice["made_out_to"] == credit.applicant
    assert invoice["issuer"] == credit.beneficiary
    assert invoice["goods_description"].startswith("CERAMIC MUGS AND GIFT BOXES")
    assert invoice["credit_number"] == "LC-DB-7788"
    draft = docs["draft"].data
    assert (draft["amount"], draft["currency"], draft["drawee"], draft["tenor"]) == (
        invoice["total"], "USD", "Deutsche Bank AG, Hamburg", "AT SIGHT")
    assert draft["amount_in_words"].startswith("SAY US DOLLARS") and draft["amount_in_words"].endswith("ONLY")
    insurance = docs["insurance_declaration"].data
    # 1 236.01 × 110 % = 1 359.611, rounded up to the whole dollar
    assert (insurance["insured_amount"], insurance["insurance_pct"]) == ("1360.00", "110")
    certificate = docs["beneficiary_certificate"].data
    assert certificate["text"] == "WE HEREBY CERTIFY THAT ONE SET OF COPIES WAS FAXED TO THE APPLICANT"


def test_a_usance_credit_draws_at_its_days_and_its_cover(people):
    _order, shipment, _credit = shipped(people, credit=True, incoterm="CIP", incoterm_place="Hamburg",
                                        credit_changes={"tenor": "usance", "usance_days": 60,
                                                        "usance_from": "bl_date", "insurance_pct": Decimal("120"),
                                                        "documents_required": []})
    document_set_generate(by=people.merch, shipment=shipment)
    docs = current(shipment)
    assert "beneficiary_certificate" not in docs
    assert docs["draft"].data["tenor"] == "AT 60 DAYS AFTER B/L DATE"
    assert docs["insurance_declaration"].data["insured_amount"] == "1484.00"  # 1 483.212 up


def test_a_domestic_customer_gets_chinese_documents(people):
    customer = CustomerFactory(code="HZ", name_zh="杭州贸易有限公司", name_en="Hangzhou Trading", country="CN",
                               salesperson=people.sales, merchandiser=people.merch, team=people.customer.team,
                               default_currency_id="USD")
    _order, shipment, _lc = shipped(people, customer=customer)
    document_set_generate(by=people.merch, shipment=shipment)
    invoice = current(shipment)["commercial_invoice"]
    assert invoice.language == "zh"
    assert invoice.data["made_out_to"] == "杭州贸易有限公司"
    assert invoice.data["amount_in_words_zh"]== "美元壹仟贰佰叁拾陆元零壹分"


def test_documents_of_a_planned_shipment_are_drafts(people):
    _order, shipment, _lc = shipped(people, ship=False)
    document_set_generate(by=people.merch, shipment=shipment)
    assert current(shipment)["commercial_invoice"].data["provisional"] is True


def test_a_cancelled_shipment_gets_no_documents(people):
    from gendan.shipping.services.plan import shipment_cancel

    _order, shipment, _lc = shipped(people, ship=False)
    shipment_cancel(actor=people.merch, shipment_id=shipment.pk, reason="customer moved it to the next vessel")
    with pytest.raises(BusinessError) as exc:
        document_set_generate(by=people.merch, shipment=shipment)
    assert exc.value.code == "documents_shipment_cancelled" and exc.value.status == 409
    assert not ShipmentDocument.objects.exists()


def test_the_warehouse_may_not_and_another_team_does_not_find_it(people):
    from django.http import Http404

    _order, shipment, _lc = shipped(people)
    with pytest.raises(NotAllowed):
        document_set_generate(by=people.warehouse, shipment=shipment)
    with pytest.raises(Http404):
        document_set_generate(by=people.other_merch, shipment=shipment)
    assert not ShipmentDocument.objects.exists()


def test_only_kinds_of_the_set_are_made(people):
    _order, shipment, _lc = shipped(people)
    with pytest.raises(ValidationFailed) as exc:
        document_set_generate(by=people.merch, shipment=shipment, kinds=["draft"])
    assert exc.value.code == "document_not_in_set"
    result = document_set_generate(by=people.merch, shipment=shipment, kinds=["packing_list"])
    assert [d.kind for d in result.made] == ["packing_list"]


@pytest.mark.parametrize(("country", "form"), [("VN", "form_e"), ("TH", "form_e"), ("JP", "rcep"), ("AU", "rcep"),
                                               ("DE", "general"), ("US", "general")])
def test_the_certificate_of_origin_form_follows_the_destination(country, form):
    from gendan.exportdocs.selectors.documents import origin_form

    assert origin_form(country) == form


def test_the_insured_amount_is_rounded_up_to_the_whole_unit():
    from gendan.exportdocs.selectors.documents import insured_amount

    assert insured_amount(Decimal("1000.00"), Decimal("110")) == Decimal("1100")
    assert insured_amount(Decimal("1236.01"), Decimal("110")) == Decimal("1360")
    assert insured_amount(Decimal("1236.01"), Decimal("120")) == Decimal("1484")


def test_a_collection_draws_on_the_buyer(people):
    _order, shipment, _lc = shipped(people, payment_method="dp")
    document_set_generate(by=people.merch, shipment=shipment)
    draft = current(shipment)["draft"].data
    assert draft["drawee"].startswith("Nordlicht Handels GmbH") and draft["tenor"] == "AT SIGHT"
    assert draft["drawn_under"] == "DOCUMENTS AGAINST PAYMENT" and draft["credit_number"] == ""
