"""The shipment page's B/L and shipping-advice sections through HTTP: the draft typed as it
reads with the expected value beside each field, the difference highlighted, confirm (a reason
when differences remain), issue, release disabled with the balance rule's reason until the
balance is in, the advice previewed and sent; the order page's "Release original B/L"."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gendan.shipping.models import BillOfLading, Container, ContainerLine
from gendan.shipping.selectors import shipment_get_for_user
from gendan.shipping.tests.bills_setup import correct_draft, days, issued_bill, shipped_order
from gendan.shipping.views_bills import advice_section, bill_section
from tests.factories import pay

pytestmark = pytest.mark.django_db
BL = BillOfLading.Status


def _html(response) -> str:
    return response.content.decode()


def _page(client, shipment) -> str:
    response = client.get(reverse("shipping:shipment_detail", args=[shipment.pk]))
    assert response.status_code == 200
    return _html(response)


def _draft_post(**changes) -> dict:
    return {"draft-kind": "ocean", **{f"draft-{k}": v for k, v in correct_draft(**changes).items()}}


def _row(html: str, field: str) -> str:
    found = re.search(rf'<tr data-field="{field}"[^>]*>.*?</tr>', html, re.S)
    assert found, field
    return found.group(0)


def test_the_merchandiser_checks_confirms_and_issues_the_bill(people, client_for):
    order, shipment = shipped_order(people)
    merch = client_for(people.merch)
    html = _page(merch, shipment)
    assert 'data-testid="bill-section"' in html and 'data-action="bill_draft"' in html
    # the draft form starts empty; the expected value stands beside the field
    assert re.search(r'name="draft-gross_kg"[^>]*>', html) and 'value="1102.5"' not in html
    assert re.search(r'data-expected="gross_kg">[^<]*1102\.5', html)

    response = merch.post(reverse("shipping:bill_draft", args=[shipment.pk]), _draft_post(gross_kg="1120.5"))
    assert response.status_code == 302
    html = _page(merch, shipment)
    assert 'data-differs="1"' in _row(html, "gross_kg") and "1120.5" in _row(html, "gross_kg")
    assert "data-differs" not in _row(html, "consignee")
    bill = BillOfLading.objects.get()

    url = reverse("shipping:bill_confirm", args=[bill.pk])
    response = merch.post(url, {"confirm-version": bill.version})
    assert response.status_code == 400 and 'data-testid="bill-error"' in _html(response)
    assert "gross weight" in _html(response)
    response = merch.post(url, {"confirm-version": bill.version,
                                "confirm-accept_reason": "The forwarder weighed the pallets; customer agreed"})
    assert response.status_code == 302
    bill.refresh_from_db()
    assert bill.status == BL.CONFIRMED

    url = reverse("shipping:bill_issue", args=[bill.pk])
    response = merch.post(url, {"issue-bl_no": "COSU6123456780", "issue-on_board_on": days(2).isoformat(),
                                "issue-originals": "3", "issue-version": bill.version})
    assert response.status_code == 400 and "in the future" in _html(response)
    assert 'value="COSU6123456780"' in _html(response)  # the input kept
    response = merch.post(url, {"issue-bl_no": "COSU6123456780", "issue-on_board_on": days(-1).isoformat(),
                                "issue-originals": "3", "issue-version": bill.version})
    assert response.status_code == 302
    bill.refresh_from_db()
    assert bill.status == BL.ISSUED and bill.shipment.bl_no == "COSU6123456780"


def test_release_is_disabled_with_the_balance_rule_until_the_balance_is_in(people, client_for):
    order, shipment = shipped_order(people)
    bill = issued_bill(people, shipment)
    merch = client_for(people.merch)
    html = _page(merch, shipment)
    assert re.search(r'disabled aria-disabled="true" data-action="bill_release"', html)
    assert re.search(r'data-why="bill_release">Balance rule', html)
    response = merch.post(reverse("shipping:bill_release", args=[bill.pk]),
                          {"release-release_kind": "telex", "release-version": bill.version})
    assert response.status_code == 409
    assert BillOfLading.objects.get(pk=bill.pk).status == BL.ISSUED

    pay(order, order.total_amount - order.received_amount, actor=people.finance, reference="FT-BAL")
    html = _page(merch, shipment)
    assert 'data-form="bill-release"' in html
    response = merch.post(reverse("shipping:bill_release", args=[bill.pk]),
                          {"release-release_kind": "telex", "release-version": bill.version})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.original_bl_released_at is not None


def test_the_advice_is_previewed_and_sent(people, client_for, django_capture_on_commit_callbacks):
    order, shipment = shipped_order(people)
    merch = client_for(people.merch)
    html = _page(merch, shipment)
    assert re.search(r'data-why="advice_send">The shipping advice goes once the B/L', html)
    issued_bill(people, shipment)
    html = _page(merch, shipment)
    assert "CSQU3054383 / SEAL 123456, 40HQ" in html and 'data-testid="advice-body"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = merch.post(reverse("shipping:advice_send", args=[shipment.pk]))
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["buyer@nordlicht.example"] and "COSU6123456780" in mail.outbox[-1].body
    shipment.refresh_from_db()
    assert shipment.advice_sent_at is not None
    assert "Send the shipping advice again" in _page(merch, shipment)


def test_the_warehouse_sees_the_bill_but_has_no_forms(people, client_for):
    order, shipment = shipped_order(people)
    bill_html = _page(client_for(people.warehouse), shipment)
    assert 'data-testid="bill-section"' in bill_html and 'data-form="bill-draft"' not in bill_html
    response = client_for(people.warehouse).post(reverse("shipping:bill_draft", args=[shipment.pk]), _draft_post())
    assert response.status_code == 403 and not BillOfLading.objects.exists()
    response = client_for(people.other_merch).post(reverse("shipping:bill_draft", args=[shipment.pk]),
                                                   _draft_post())
    assert response.status_code == 404 and not BillOfLading.objects.exists()


def test_the_sections_read_in_chinese(people, client_for):
    order, shipment = shipped_order(people)
    people.merch.language = "zh-hans"
    people.merch.save(update_fields=["language"])
    html = _page(client_for(people.merch), shipment)
    assert "提单" in html and "装船通知" in html


def test_the_order_page_releases_the_bills(people, client_for):
    order, shipment = shipped_order(people)
    bill = issued_bill(people, shipment)
    pay(order, order.total_amount - order.received_amount, actor=people.finance, reference="FT-BAL")
    order.refresh_from_db()
    merch = client_for(people.merch)
    response = merch.post(reverse("shipping:order_release_bills", args=[order.pk]), {"version": order.version})
    assert response.status_code == 302
    bill.refresh_from_db()
    assert bill.status == BL.RELEASED and bill.release_kind == "originals"


def test_the_sections_read_a_fixed_number_of_queries(people, rf):
    """Three containers cost no more queries than one (no query per container or line)."""
    order, shipment = shipped_order(people)
    issued_bill(people, shipment)
    request = rf.get("/")
    request.user = people.merch

    def count() -> int:
        fresh = shipment_get_for_user(user=people.merch, pk=shipment.pk)
        with CaptureQueriesContext(connection) as queries:
            bill_section(request, fresh)
            advice_section(request, fresh)
        return len(queries)

    one = count()
    line = order.lines.order_by("line_no").first()
    for n, number in enumerate(("MSKU1234565", "BICU1234565"), start=2):
        box = Container.objects.create(shipment=shipment, container_no=number, container_type="20GP",
                                       status=Container.Status.LOADED, seal_no=f"S{n}", loaded_by=people.warehouse)
        ContainerLine.objects.create(container=box, order_line=line, cartons=1, quantity=Decimal(1),
                                     gross_kg=Decimal(10), cbm=Decimal("0.1"))
    assert count() == one
