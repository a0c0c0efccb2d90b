"""The shipment page's "check & dispatch" section: each discrepancy beside its document and field,
the manager's acceptance form (a merchandiser's post refused with the rule, nothing saved), the
dispatch form once nothing is open, the refusal shown on the page; scope 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gendan.exportdocs.models import DiscrepancyAcceptance, DocumentDispatch
from gendan.exportdocs.services.dispatch import dispatch_result, documents_dispatch
from gendan.exportdocs.tests.builders import days, shipped_with_set
from gendan.shipping.tests import conftest as shipping_fixtures

pytestmark = pytest.mark.django_db

people, forwarder = shipping_fixtures.people, shipping_fixtures.forwarder
_english_messages = shipping_fixtures._english_messages

ACCEPT = {"accept-code": "PACKAGES_CONFLICT", "accept-document": "bill_of_lading", "accept-field": "packages",
          "accept-reason": "the forwarder counted the pallets; the bank is told"}


def page(client, shipment) -> str:
    response = client.get(reverse("shipping:shipment_detail", args=[shipment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_section_shows_the_check_and_a_manager_accepts(people, forwarder, client_for):
    w = people
    _order, shipment = shipped_with_set(w, bill={"packages": "120"})
    merch = client_for(w.merch)
    html = page(merch, shipment)
    assert 'data-testid="dispatch-section"' in html and 'data-testid="not-compliant"' in html
    assert 'data-code="PACKAGES_CONFLICT" data-document="bill_of_lading" data-field="packages"' in html
    assert 'data-action="accept"' not in html  # a merchandiser has no accept form
    assert 'disabled aria-disabled="true" data-action="dispatch"' in html

    url = reverse("exportdocs:discrepancy_accept", args=[shipment.pk])
    response = merch.post(url, ACCEPT)
    assert response.status_code == 403 and "No one loosens a gate alone" in response.content.decode()
    assert not DiscrepancyAcceptance.objects.exists()

    manager = client_for(w.manager)
    assert 'data-action="accept"' in page(manager, shipment)
    response = manager.post(url, ACCEPT)
    assert response.status_code == 302
    html = page(merch, shipment)
    assert 'data-testid="accepted-by"' in html and "the forwarder counted the pallets" in html
    assert 'data-form="dispatch"' in html
    # counts for the documents the set holds (and "other"), the B/L's originals as issued
    assert 'name="dispatch-originals_packing_list"' in html and 'name="dispatch-originals_other"' in html
    assert 'name="dispatch-originals_fumigation_certificate"' not in html

    response = merch.post(reverse("exportdocs:dispatch", args=[shipment.pk]), {
        "dispatch-sent_on": days(0).isoformat(), "dispatch-courier": "DHL", "dispatch-awb_no": "1234567890",
        "dispatch-originals_commercial_invoice": "3", "dispatch-copies_commercial_invoice": "3",
        "dispatch-originals_bill_of_lading": "0", "dispatch-copies_bill_of_lading": "3"})
    assert response.status_code == 302, response.content.decode()[:2000]
    dispatch = DocumentDispatch.objects.get()
    assert dispatch.channel == "courier" and dispatch.awb_no == "1234567890"
    assert f'data-dispatch="{dispatch.pk}"' in page(merch, shipment)
    # the order's timeline tells it, with the channel's label
    order_page = merch.get(reverse("sales:order_detail", args=[shipment.order_id])).content.decode()
    assert f"Documents of shipment {shipment.number} sent by courier to the customer" in order_page
    assert "Discrepancy PACKAGES_CONFLICT of shipment" in order_page


def test_a_refused_dispatch_is_shown_on_the_page(people, forwarder, client_for):
    w = people
    _order, shipment = shipped_with_set(w)
    merch = client_for(w.merch)
    response = merch.post(reverse("exportdocs:dispatch", args=[shipment.pk]), {
        "dispatch-sent_on": days(0).isoformat(), "dispatch-courier": "DHL", "dispatch-awb_no": "1234567890",
        "dispatch-originals_bill_of_lading": "3", "dispatch-copies_bill_of_lading": "3"})
    assert response.status_code == 409
    assert 'data-testid="dispatch-error"' in response.content.decode()
    assert not DocumentDispatch.objects.exists()


def test_other_team_gets_404(people, forwarder, client_for):
    w = people
    _order, shipment = shipped_with_set(w, bill={"packages": "120"})
    other = client_for(w.other_merch)
    assert other.post(reverse("exportdocs:discrepancy_accept", args=[shipment.pk]), ACCEPT).status_code == 404
    assert other.post(reverse("exportdocs:dispatch", args=[shipment.pk]), {}).status_code == 404


def test_certificates_on_the_page(people, forwarder, client_for):
    w = people
    _order, shipment = shipped_with_set(w)
    merch = client_for(w.merch)
    response = merch.post(reverse("exportdocs:certificate_add", args=[shipment.pk]), {
        "certificate-kind": "certificate_of_origin", "certificate-origin_form": "general",
        "certificate-issuer": "CCPIT Ningbo", "certificate-needed_by": days(2).isoformat()})
    assert response.status_code == 302
    certificate = shipment.certificates.get()
    html = page(merch, shipment)
    assert f'data-certificate="{certificate.pk}"' in html and 'data-action="certificate_receive"' in html
    fake = SimpleUploadedFile("co.pdf", b"just text\n", content_type="application/pdf")
    response = merch.post(reverse("exportdocs:certificate_receive", args=[certificate.pk]), {
        f"receive-{certificate.pk}-received_on": days(0).isoformat(),
        f"receive-{certificate.pk}-certificate_no": "CCPIT-1", f"receive-{certificate.pk}-file": fake,
        f"receive-{certificate.pk}-packages": "85"})
    assert response.status_code == 400 and "PDF" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == "needed"


def test_refused_presentation_on_the_merchandisers_board(people, forwarder, client_for):
    w = people
    order, shipment = shipped_with_set(w, payment_method="dp")
    dispatch = documents_dispatch(by=w.merch, shipment=shipment, channel="bank_collection", sent_on=days(0),
                                  documents=[{"kind": "commercial_invoice", "originals": 3, "copies": 3}],
                                  bank="Bank of China, Ningbo Branch")
    dispatch_result(by=w.finance, dispatch=dispatch, status="refused", result_on=days(0),
                    bank_discrepancies="Invoice not signed")
    html = client_for(w.merch).get(reverse("tracking:board")).content.decode()
    assert 'data-export="presentation_refused"' in html and "Invoice not signed" in html and order.number in html


def test_paid_collection_links_finance_to_the_receipt(people, forwarder, client_for):
    w = people
    _order, shipment = shipped_with_set(w, payment_method="dp")
    dispatch = documents_dispatch(by=w.merch, shipment=shipment, channel="bank_collection", sent_on=days(0),
                                  documents=[{"kind": "commercial_invoice", "originals": 3, "copies": 3}],
                                  bank="Bank of China, Ningbo Branch")
    finance = client_for(w.finance)
    response = finance.post(reverse("exportdocs:dispatch_result", args=[dispatch.pk]), {
        f"result-{dispatch.pk}-status": "paid", f"result-{dispatch.pk}-result_on": days(0).isoformat(),
        f"result-{dispatch.pk}-version": dispatch.version})
    assert response.status_code == 302
    html = page(finance, shipment)
    assert reverse("finance:receipt_create") + f"?customer={shipment.order.customer_id}" in html
    assert 'data-testid="record-receipt"' in page(client_for(w.merch), shipment)
