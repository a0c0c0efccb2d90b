"""The shipment page's "documents" section and the products' export data page, through HTTP:
generate, regenerate with a note, the files downloaded through the documents app, what is
missing with the way to fill it in; 403 for a role without the permission, 404 outside the
user's orders, a cancelled shipment's button disabled with the reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.exportdocs.models import ProductExportData, ShipmentDocument
from gendan.exportdocs.services.documents import document_set_generate
from gendan.exportdocs.tests.documents_setup import shipped
from gendan.sales.tests import conftest as sales_fixtures
from gendan.shipping.services.plan import shipment_cancel

pytestmark = pytest.mark.django_db
people = sales_fixtures.people
_english_messages = sales_fixtures._english_messages


def page(client, shipment) -> str:
    response = client.get(reverse("shipping:shipment_detail", args=[shipment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def generate_url(shipment) -> str:
    return reverse("exportdocs:documents_generate", args=[shipment.pk])


def test_the_merchandiser_generates_the_set_and_downloads_it(people, client_for):
    _order, shipment, _lc = shipped(people)
    client = client_for(people.merch)
    html = page(client, shipment)
    assert 'data-testid="shipment-documents"' in html and 'data-action="generate_documents"' in html
    response = client.post(generate_url(shipment), {})
    assert response.status_code == 302 and response.url.endswith("#section-documents")
    invoice = ShipmentDocument.objects.get(shipment=shipment, kind="commercial_invoice")
    html = page(client, shipment)
    assert invoice.number in html and 'data-testid="document-pdf"' in html and 'data-testid="document-xlsx"' in html
    assert 'data-testid="documents-missing"' in html and "MUG-350: origin criterion" in html
    download = client.get(reverse("documents:attachment_download", args=[invoice.pdf_id]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # another team's merchandiser does not get the file
    other = client_for(people.other_merch)
    assert other.get(reverse("documents:attachment_download", args=[invoice.pdf_id])).status_code == 404


def test_regenerating_after_a_change_needs_the_note(people, client_for):
    order, shipment, _lc = shipped(people)
    document_set_generate(by=people.merch, shipment=shipment)
    order.shipping_marks = "NORDLICHT\nPO-4711\nHAMBURG\nC/NO. 1-43"
    order.save(update_fields=["shipping_marks"])
    client = client_for(people.merch)
    assert 'data-testid="document-outdated"' in page(client, shipment)
    key = f"documents-{shipment.pk}"
    response = client.post(generate_url(shipment), {f"{key}-note": ""})
    assert response.status_code == 400 and "Give the reason" in response.content.decode()
    response = client.post(generate_url(shipment), {f"{key}-note": "carton count written in the marks"})
    assert response.status_code == 302
    invoice = ShipmentDocument.objects.get(shipment=shipment, kind="commercial_invoice", is_current=True)
    assert invoice.version == 2
    assert 'data-testid="documents-previous"' in page(client, shipment)


def test_the_warehouse_sees_the_set_but_may_not_generate_and_another_team_finds_nothing(people, client_for):
    _order, shipment, _lc = shipped(people)
    warehouse = client_for(people.warehouse)
    html = page(warehouse, shipment)
    assert 'data-testid="shipment-documents"' in html and 'data-action="generate_documents"' not in html
    assert warehouse.post(generate_url(shipment), {}).status_code == 403
    assert client_for(people.other_merch).post(generate_url(shipment), {}).status_code == 404
    assert not ShipmentDocument.objects.exists()


def test_a_cancelled_shipment_shows_why_nothing_is_made(people, client_for):
    _order, shipment, _lc = shipped(people, ship=False)
    shipment_cancel(actor=people.merch, shipment_id=shipment.pk, reason="customer moved it to the next vessel")
    client = client_for(people.merch)
    html = page(client, shipment)
    assert 'data-why="generate_documents"' in html and "is cancelled" in html
    assert client.post(generate_url(shipment), {}).status_code == 409
    assert not ShipmentDocument.objects.exists()


def test_the_export_data_page_lists_what_is_missing_and_saves_it(people, client_for):
    _order, shipment, _lc = shipped(people)
    url = reverse("exportdocs:export_data", args=[shipment.pk])
    client = client_for(people.merch)
    html = client.get(url).content.decode()
    assert 'data-product="MUG-350"' in html and "6912001000" in html and 'data-testid="export-data-missing"' in html
    mug = shipment.lines.get(order_line__line_no=1).order_line.product
    bad = client.post(url, {"product": mug.pk, f"p{mug.pk}-origin_criterion": "XX", f"p{mug.pk}-rebate_rate_pct": "130"})
    assert bad.status_code == 400 and not ProductExportData.objects.exists()
    response = client.post(url, {"product": mug.pk, f"p{mug.pk}-customs_name_zh": "陶瓷杯",
                                 f"p{mug.pk}-declaration_elements": "1|0|陶瓷|家用|无品牌", f"p{mug.pk}-origin_criterion": "wo",
                                 f"p{mug.pk}-rebate_rate_pct": "13"})
    assert response.status_code == 302
    data = ProductExportData.objects.get(product=mug)
    assert (data.origin_criterion, str(data.rebate_rate_pct)) == ("WO", "13.00")
    assert client_for(people.warehouse).post(url, {"product": mug.pk}).status_code == 403
    assert client_for(people.other_merch).get(url).status_code == 404


def test_the_section_reads_in_chinese(people, client_for):
    _order, shipment, _lc = shipped(people)
    document_set_generate(by=people.merch, shipment=shipment)
    people.merch.language = "zh-hans"
    people.merch.save(update_fields=["language"])
    html = page(client_for(people.merch), shipment)
    assert "出口单据" in html and "单据缺少" in html and "MUG-350：原产地标准" in html
