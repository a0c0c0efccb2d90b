"""The shipping notice (出货通知): a numbered PDF the factory and the warehouse read — order no.,
PO, goods with their colour × size breakdown, cartons, shipping marks (main and side, "C/NO.
n/N"), ports, mode, ex-factory date — in an embedded font; emailed after commit to the factory's
contacts and the warehouse (a real SMTP server); a second version lists what changed."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from gendan.catalog.models import Product
from gendan.core.errors import BusinessError, NotAllowed, ValidationFailed
from gendan.core.models import Event
from gendan.parties.models import Supplier
from gendan.sales.models import SalesOrder
from gendan.shipping.models import ShippingNotice
from gendan.shipping.services.notices import notice_issue
from gendan.shipping.services.plan import shipment_cancel, shipment_plan, shipment_update
from tests.factories import ContactFactory, SalesOrderFactory, SupplierFactory
from tests.smtp import attachments, smtp  # noqa: F401  (a real SMTP server)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                       reason="poppler-utils (pdftotext, pdffonts) not installed"),
]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "pdf"


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def pdf_of(notice, name: str) -> tuple[str, str]:
    """(text, pdffonts output) of the notice's stored PDF; a copy and page images for a person."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    with notice.attachment.file.open("rb") as fh:
        path.write_bytes(fh.read())
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "70", "-png", str(path), str(ARTIFACTS / name)], check=True, timeout=60)
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True, timeout=60).stdout
    return text, fonts


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def order(people):
    """A mug order in colours (red 600, blue 400) whose product has its export carton, ±5 %."""
    w = people
    mug = Product.objects.create(code="MUG-350", name_en="Ceramic mug 350 ml", name_zh="陶瓷杯", units_per_carton=24,
                                 carton_length_cm=Decimal("60"), carton_width_cm=Decimal("40"),
                                 carton_height_cm=Decimal("30"), net_weight_kg=Decimal("9"),
                                 gross_weight_kg=Decimal("10.5"))
    order = SalesOrderFactory(
        customer=w.customer, actor=w.merch, confirmed=True, port_of_loading="Ningbo", port_of_destination="Hamburg",
        shipping_marks="NORDLICHT\nPO NO.: PO-4711\nHAMBURG\nC/NO.: 1-UP\nMADE IN CHINA", lines=[
            {"product": mug, "description": "Ceramic mug 350 ml", "unit_price": Decimal("1.235"),
             "cells": [{"colour": "Red", "size": "M", "quantity": "600"},
                       {"colour": "Blue", "size": "M", "quantity": "400"}]}])
    SalesOrder.objects.filter(pk=order.pk).update(quantity_tolerance_percent=Decimal("5"))
    ContactFactory(supplier=w.factory, name="Mr. Wu", email="wu@factory1.example", is_primary=True)
    w.warehouse.email = "warehouse@gendan.example"
    w.warehouse.save(update_fields=["email"])
    return order


def plan(w, order, red="600", blue="400", **extra):
    cells = {c.colour: c.pk for c in order.lines.get().cells.all()}
    return shipment_plan(actor=w.merch, order_id=order.pk, lines={}, cells={cells["Red"]: red, cells["Blue"]: blue},
                         transport_mode="sea_fcl", planned_ex_factory=days(20), **extra)


def test_the_notice_renders_emails_and_a_second_version_lists_the_change(people, order, smtp,  # noqa: F811
                                                                          django_capture_on_commit_callbacks):
    w = people
    shipment = plan(w, order)
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_issue(actor=w.merch, shipment_id=shipment.pk, factory_id=w.factory.pk)
    assert notice.number.startswith("SN") and notice.revision == 1 and notice.factory == w.factory
    text, fonts = pdf_of(notice, "shipping-notice-v1")
    page = flat(text)
    for expected in (order.number, "PO-4711", shipment.number, "出货通知", "SHIPPINGNOTICE", "Hamburg", "Ningbo",
                     "NORDLICHT", "MADEINCHINA", "C/NO.:1-UP", "本批共42箱",  # 1000 / 24 → 42 cartons
                     "Ceramicmug350ml", "Red", "Blue", "600", "400", "1,000", "42", "海运整柜",
                     "ITEMNO.:MUG-350", "QTY:24PCS/CTN", "N.W.:9KGS", "G.W.:10.5KGS", "MEAS.:60×40×30CM",
                     "441KGS", "3.024", days(20).strftime("%Y年%-m月%-d日")):
        assert flat(expected) in page, expected
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(" yes " in row for row in rows)  # every font embedded

    message = smtp.wait_for(1)[0]
    assert sorted(a.strip() for a in message["To"].split(",")) == ["warehouse@gendan.example", "wu@factory1.example"]
    assert notice.number in message["Subject"] and order.number in message["Subject"]
    files = attachments(message)
    assert [(name, kind) for name, kind, _data in files] == [(f"{notice.number}-v1.pdf", "application/pdf")]
    assert files[0][2].startswith(b"%PDF-")
    notice.refresh_from_db()
    assert notice.email_sent_at is not None and notice.email_error == ""
    row = Event.objects.get(kind="shipping.notice_issued")
    assert row.object_id == order.pk and row.params["snapshot"]["lines"]["1"].startswith("1000 (42 CTNS)")

    updated = shipment_update(actor=w.merch, shipment_id=shipment.pk, data={
        "cells": {c.pk: ("500" if c.colour == "Red" else "400") for c in order.lines.get().cells.all()},
        "planned_ex_factory": days(27)})
    assert updated.notice_outdated is True
    with pytest.raises(ValidationFailed) as refused:  # a second version says why
        notice_issue(actor=w.merch, shipment_id=shipment.pk)
    assert refused.value.code == "reason_required" and "change_note" in refused.value.fields
    with django_capture_on_commit_callbacks(execute=True):
        second = notice_issue(actor=w.merch, shipment_id=shipment.pk, change_note="Customer cut red to 500")
    assert (second.number, second.revision, second.factory) == (notice.number, 2, w.factory)  # same people
    text, _fonts = pdf_of(second, "shipping-notice-v2")
    page = flat(text)
    for expected in ("第2版，取代第1版", "Customer cut red to 500", "变更内容", "Line1", "Red/M600", "Red/M500",
                     days(20).isoformat(), days(27).isoformat(), "本批共38箱"):
        assert flat(expected) in page, expected
    message = smtp.wait_for(2)[1]
    assert "v2" in message["Subject"] and "Customer cut red to 500" in message.get_body().get_content()
    from gendan.shipping.selectors import notice_outdated
    assert notice_outdated(updated) is False
    assert list(ShippingNotice.objects.values_list("revision", flat=True)) == [2, 1]


def test_a_mail_server_down_is_recorded_on_the_notice(people, order, smtp,  # noqa: F811
                                                      django_capture_on_commit_callbacks):
    w = people
    shipment = plan(w, order)
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_issue(actor=w.merch, shipment_id=shipment.pk, factory_id=w.factory.pk)
    notice.refresh_from_db()
    assert notice.email_sent_at is None and notice.email_error
    assert notice.attachment is not None  # the notice itself stands


def test_refusals(people, order):
    w = people
    shipment = plan(w, order)
    with pytest.raises(NotAllowed):
        notice_issue(actor=w.warehouse, shipment_id=shipment.pk)
    with pytest.raises(ValidationFailed) as refused:
        notice_issue(actor=w.merch, shipment_id=shipment.pk, factory_id=w.forwarder.pk)
    assert refused.value.code == "not_a_factory" and list(refused.value.fields) == ["factory"]
    with pytest.raises(ValidationFailed) as refused:
        notice_issue(actor=w.merch, shipment_id=shipment.pk, factory_id="abc")
    assert refused.value.code == "not_a_factory"
    workshop = SupplierFactory(code="WS1", kind=Supplier.Kind.OWN_WORKSHOP)
    assert notice_issue(actor=w.merch, shipment_id=shipment.pk, factory_id=workshop.pk).factory == workshop
    shipment_cancel(actor=w.merch, shipment_id=shipment.pk, reason="Order moved")
    with pytest.raises(BusinessError) as refused:
        notice_issue(actor=w.merch, shipment_id=shipment.pk, change_note="after cancelling")
    assert refused.value.status == 409 and refused.value.code == "notice_not_issuable"
    assert ShippingNotice.objects.count() == 1


def test_nobody_to_send_to_is_recorded(people, confirmed, django_capture_on_commit_callbacks):
    w = people
    box = confirmed.lines.get(line_no=2)
    shipment = shipment_plan(actor=w.merch, order_id=confirmed.pk, lines={box.pk: "3"}, transport_mode="courier",
                             planned_ex_factory=days(5))
    w.warehouse.email = ""
    w.warehouse.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_issue(actor=w.merch, shipment_id=shipment.pk)
    notice.refresh_from_db()
    assert notice.factory is None and "Nobody to send it to" in notice.email_error
