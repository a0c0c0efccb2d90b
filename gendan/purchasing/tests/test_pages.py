"""Purchasing pages through HTTP: who sees and does what, forms that refuse bad input and
change nothing, stale pages (409), the shortage list and the sales order's Materials panel."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.purchasing.models import MaterialRequirement, PurchaseOrder
from gendan.purchasing.services.orders import purchase_order_create, purchase_order_send
from gendan.purchasing.services.requirements import requirement_update

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _po(w, **extra):
    return purchase_order_create(actor=w.buyer, supplier=w.plastics, currency="CNY", lines=[
        {"material": w.body, "quantity": "360.5", "unit_price": "14.2", "eta": TODAY() + dt.timedelta(days=9)},
        {"material": w.switch, "quantity": "1005", "unit_price": "0.83", "eta": None}], **extra)


def _form_data(w, **overrides):
    data = {"supplier": w.plastics.pk, "currency": "CNY", "over_receipt_percent": "0", "notes": "",
            "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "60",
            "lines-0-material": w.body.pk, "lines-0-quantity": "360.5", "lines-0-unit_price": "14.2",
            "lines-0-eta": (TODAY() + dt.timedelta(days=9)).isoformat(), "lines-0-covers": "",
            "lines-1-material": w.switch.pk, "lines-1-quantity": "1005", "lines-1-unit_price": "0.83",
            "lines-1-eta": "", "lines-1-covers": "",
            "lines-2-material": "", "lines-2-quantity": "", "lines-2-unit_price": "", "lines-2-eta": "",
            "lines-2-covers": ""}
    data.update(overrides)
    return data


def test_purchasing_creates_a_purchase_order_through_the_form(derived, client_for, django_assert_max_num_queries):
    w = derived
    response = client_for(w.buyer).post(reverse("purchasing:purchase_order_create"), _form_data(w))
    po = PurchaseOrder.objects.get()
    assert response.status_code == 302 and response.url == po.get_absolute_url()
    assert po.total_amount == Decimal("5119.10") + Decimal("834.15")
    client = client_for(w.buyer)
    with django_assert_max_num_queries(24):  # page frame + order, lines, coverage, receipts, notes, timeline
        page = client.get(po.get_absolute_url()).content.decode()
    assert po.number in page and "CNY 5,953.25" in page and 'data-action="send"' in page


@pytest.mark.parametrize("overrides, message", [
    ({"lines-0-quantity": "-3"}, "more than 0"),
    ({"lines-0-eta": "2001-01-01"}, "before the order date"),
    ({"lines-0-eta": "2026-02-31"}, "Enter a valid date"),
    ({"lines-0-material": "", "lines-0-quantity": "", "lines-1-material": "", "lines-1-quantity": ""},
     "at least one line"),
])
def test_bad_purchase_order_input_is_refused_with_the_reason_and_nothing_saved(derived, client_for, overrides,
                                                                               message):
    w = derived
    response = client_for(w.buyer).post(reverse("purchasing:purchase_order_create"), _form_data(w, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PurchaseOrder.objects.exists()


@pytest.mark.parametrize("role", ["merch", "planner", "sales", "qc"])
def test_roles_without_purchasing_rights_change_nothing(derived, client_for, role):
    w = derived
    po = _po(w)
    client = client_for(getattr(w, role))
    assert client.post(reverse("purchasing:purchase_order_create"), _form_data(w)).status_code in (403, 404)
    assert client.post(reverse("purchasing:purchase_order_send", args=[po.pk]),
                       {"version": po.version}).status_code in (403, 404)
    assert client.post(reverse("purchasing:requirement_edit", args=[w.body_req.pk]), {
        "supplier": w.plastics.pk, "eta": TODAY().isoformat()}).status_code in (403, 404)
    po.refresh_from_db()
    assert po.status == PurchaseOrder.Status.DRAFT and PurchaseOrder.objects.count() == 1
    assert MaterialRequirement.objects.get(pk=w.body_req.pk).supplier is None


def test_who_sees_the_purchasing_pages(derived, client_for):
    w = derived
    po = _po(w)
    for user in (w.buyer, w.manager, w.merch, w.planner):
        client = client_for(user)
        assert client.get(reverse("purchasing:purchase_order_list")).status_code == 200, user
        assert client.get(po.get_absolute_url()).status_code == 200, user
        assert client.get(reverse("purchasing:requirement_list", args=[w.production_order.pk])).status_code == 200
    for user in (w.sales, w.qc, w.finance):
        client = client_for(user)
        assert client.get(reverse("purchasing:purchase_order_list")).status_code == 403
        assert client.get(po.get_absolute_url()).status_code == 404
        assert client.get(reverse("purchasing:shortage_list")).status_code == 403
    # a merchandiser of another team sees neither the order's materials nor the purchase order for it
    other = client_for(w.other_merch)
    assert other.get(po.get_absolute_url()).status_code == 404
    assert other.get(reverse("purchasing:requirement_list", args=[w.production_order.pk])).status_code == 404
    nav = client_for(w.merch).get(reverse("purchasing:purchase_order_list")).content.decode()
    assert reverse("purchasing:purchase_order_list") in nav


def test_send_with_a_stale_version_is_409_and_changes_nothing(derived, client_for):
    w = derived
    po = _po(w)
    client = client_for(w.buyer)
    response = client.post(reverse("purchasing:purchase_order_send", args=[po.pk]), {"version": po.version + 5})
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    po.refresh_from_db()
    assert po.status == PurchaseOrder.Status.DRAFT
    assert client.post(reverse("purchasing:purchase_order_send", args=[po.pk]),
                       {"version": po.version}).status_code == 302
    po.refresh_from_db()
    assert po.status == PurchaseOrder.Status.SENT


def test_supplier_confirmation_needs_an_eta_on_every_line(derived, client_for):
    w = derived
    po = _po(w)
    page = client_for(w.buyer).get(po.get_absolute_url()).content.decode()
    assert 'data-action="confirm"' not in page  # a draft is sent first
    purchase_order_send(actor=w.buyer, purchase_order_id=po.pk)
    po.refresh_from_db()
    page = client_for(w.buyer).get(po.get_absolute_url()).content.decode()
    assert 'data-action="confirm"' in page and 'data-action="receive"' in page
    body_line, switch_line = po.lines.order_by("line_no")
    url = reverse("purchasing:purchase_order_confirm", args=[po.pk])
    refused = client_for(w.buyer).post(url, {"version": po.version})
    assert refused.status_code == 400 and "lines 2 have none" in refused.content.decode()
    eta = TODAY() + dt.timedelta(days=20)
    done = client_for(w.buyer).post(url, {"version": po.version, f"confirm-eta_{switch_line.pk}": eta.isoformat()})
    assert done.status_code == 302
    po.refresh_from_db()
    assert po.status == PurchaseOrder.Status.CONFIRMED
    assert MaterialRequirement.objects.get(pk=w.switch_req.pk).eta == eta


def test_receive_form_refuses_over_receipt_and_records_a_partial_delivery(derived, client_for):
    w = derived
    po = _po(w)
    purchase_order_send(actor=w.buyer, purchase_order_id=po.pk)
    po.refresh_from_db()
    body_line, switch_line = po.lines.order_by("line_no")
    client = client_for(w.buyer)
    url = reverse("purchasing:purchase_order_receive", args=[po.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"version": po.version, "received_on": TODAY().isoformat(),
                                f"qty_{body_line.pk}": "400", f"qty_{switch_line.pk}": ""})
    assert refused.status_code == 400 and "would exceed the order" in refused.content.decode()
    body_line.refresh_from_db()
    assert body_line.received_quantity == 0
    done = client.post(url, {"version": po.version, "received_on": TODAY().isoformat(),
                             f"qty_{body_line.pk}": "100", f"qty_{switch_line.pk}": ""})
    assert done.status_code == 302
    po.refresh_from_db()
    assert po.status == PurchaseOrder.Status.PARTLY_RECEIVED
    assert MaterialRequirement.objects.get(pk=w.body_req.pk).received_quantity == 100
    stale = client.post(url, {"version": 1, "received_on": TODAY().isoformat(), f"qty_{body_line.pk}": "1"})
    assert stale.status_code == 409


def test_bom_confirm_and_requirement_edit_through_the_pages(released, client_for):
    w = released
    url = reverse("purchasing:requirement_list", args=[w.production_order.pk])
    page = client_for(w.merch).get(url).content.decode()
    assert 'data-action="confirm_bom"' in page
    assert client_for(w.merch).post(reverse("purchasing:bom_confirm", args=[w.production_order.pk])).status_code == 302
    again = client_for(w.merch).post(reverse("purchasing:bom_confirm", args=[w.production_order.pk]))
    assert again.status_code == 409 and "already confirmed" in again.content.decode()
    requirement = MaterialRequirement.objects.get(component=w.body)
    edit = reverse("purchasing:requirement_edit", args=[requirement.pk])
    late = requirement.need_date + dt.timedelta(days=3)
    response = client_for(w.buyer).post(edit, {"version": requirement.version, "supplier": w.plastics.pk,
                                               "eta": late.isoformat(), "purchaser": w.buyer.pk})
    assert response.status_code == 302
    stale = client_for(w.buyer).post(edit, {"version": requirement.version, "supplier": w.cartons.pk, "eta": ""})
    assert stale.status_code == 409
    requirement.refresh_from_db()
    assert requirement.supplier == w.plastics and requirement.eta == late


def test_shortage_list_and_order_panel_say_who_to_chase(derived, client_for, django_assert_max_num_queries):
    w = derived
    requirement_update(actor=w.buyer, requirement_id=w.body_req.pk, expected_version=None, supplier=w.plastics,
                       eta=w.body_req.need_date + dt.timedelta(days=6))
    client = client_for(w.buyer)
    with django_assert_max_num_queries(20):  # page frame + count, rows, suppliers, contacts
        page = client.get(reverse("purchasing:shortage_list")).content.decode()
    assert "ABS-01" in page and "ETA after the need date" in page and "王经理 13800138000" in page
    assert "SW-01" not in page  # not needed yet and not late
    assert "ABS-01" in client.get(reverse("purchasing:shortage_list") + "?mine=on").content.decode()
    assert "ABS-01" not in client_for(w.manager).get(reverse("purchasing:shortage_list") + "?mine=on").content.decode()
    export = client.get(reverse("purchasing:shortage_list") + "?export=xlsx")
    assert export.status_code == 200
    order_page = client_for(w.merch).get(w.order.get_absolute_url() + "?tab=all").content.decode()
    assert 'data-testid="materials-panel"' in order_page
    assert "ETA after the need date" in order_page and "王经理 13800138000" in order_page and "BOM confirmed" in order_page


def test_purchase_order_list_filters_late_orders(derived, client_for, django_assert_max_num_queries):
    w = derived
    late = _po(w)
    purchase_order_send(actor=w.buyer, purchase_order_id=late.pk)
    late.lines.filter(line_no=1).update(eta=TODAY() - dt.timedelta(days=2))
    on_time = _po(w)
    client = client_for(w.buyer)
    with django_assert_max_num_queries(16):  # page frame (session, user, nav badges) + list
        page = client.get(reverse("purchasing:purchase_order_list") + "?late=on").content.decode()
    assert late.number in page and on_time.number not in page


@pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                    reason="poppler-utils (pdftotext, pdffonts) not installed")
def test_purchase_contract_pdf_in_chinese_with_the_total_in_capitals_and_embedded_fonts(derived, client_for,
                                                                                        tmp_path):
    w = derived
    po = _po(w)
    response = client_for(w.buyer).get(reverse("purchasing:purchase_order_pdf", args=[po.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "po.pdf"
    path.write_bytes(response.content)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                                             capture_output=True, text=True).stdout)
    assert "采购合同" in text and po.number in text and "惠州立新塑胶原料行" in text
    # 360.5 × 14.20 = 5 119.10; 1 005 × 0.83 = 834.15; total 5 953.25
    assert "¥5,953.25" in text and "人民币伍仟玖佰伍拾叁元贰角伍分" in text
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert all(" yes " in row for row in fonts.splitlines()[2:] if row.strip())
    assert client_for(w.sales).get(reverse("purchasing:purchase_order_pdf", args=[po.pk])).status_code == 404
