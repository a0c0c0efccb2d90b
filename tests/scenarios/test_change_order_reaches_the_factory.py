"""Scenario: a change order reaches the factory and the material supplier (issue 11).

The customer orders 1 000 mugs; the order is released to an outsourced factory, which accepts
it; the BOM is confirmed and the handles are bought from a material supplier (purchase order
sent). Then the customer asks for 1 200 mugs, ten days later. The change order is confirmed and
applied: the production order becomes version 2 (PDF "Version 2 — supersedes version 1", 1,200
mugs, the new due date) e-mailed to the factory, awaiting its re-acknowledgement; the handles'
purchase order becomes version 2 (1,224 handles) e-mailed to the supplier. Nobody answers for
two working days: both land on the merchandiser's board (and the buyer's) and in the digest; the
factory re-acknowledges with a new committed date — the T&A forecast follows —, the supplier
with a new ETA, and the board is clear again.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.sales.tests.conftest import people, record_confirmations  # noqa: F401 (fixture)
from tests.clock import on_day, working_days_from
from tests.smtp import smtp  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
TODAY = timezone.localdate


def days(n: int) -> dt.date:
    return TODAY() + dt.timedelta(days=n)


def pdf_text(content: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def world(people, make_user):  # noqa: F811
    from gendan.catalog.models import Product
    from gendan.catalog.services import bom_line_add
    from gendan.catalog.tests.factories import ComponentFactory, ProductFactory
    from gendan.parties.models import Contact, Supplier
    from tests.factories import SupplierFactory

    w = people
    w.buyer = make_user("purchasing", username="buyer", language="en", email="buyer@gendan.example")
    w.materials = SupplierFactory(code="MAT1", kind=Supplier.Kind.MATERIAL_SUPPLIER, name_zh="景德镇瓷料行",
                                  email="sales@materials.example")
    w.factory.email = "orders@dongguan-factory.example"
    w.factory.save(update_fields=["email"])
    Contact.objects.create(supplier=w.factory, name="李厂长", email="li@dongguan-factory.example", is_primary=True)
    w.mug = ProductFactory(code="MUG-350", name_en="Ceramic mug 350 ml")
    w.handle = ComponentFactory(code="HDL-01", name_en="Handle")
    w.glaze = ComponentFactory(code="GLZ-RED", name_en="Red glaze", unit=Product.Unit.KG)
    bom_line_add(actor=w.merch, product_id=w.mug.pk, component=w.handle, quantity="1", scrap_percent="2")
    bom_line_add(actor=w.merch, product_id=w.mug.pk, component=w.glaze, quantity="0.0125", scrap_percent="4")
    return w


def test_a_change_order_reissues_the_production_order_and_the_purchase_order(
        world, smtp, tmp_path, client_for, django_capture_on_commit_callbacks):  # noqa: F811
    from gendan.core.events import timeline_for
    from gendan.production import services as production
    from gendan.production.models import ProductionOrder
    from gendan.production.services.release import order_release_production
    from gendan.production.services.versions import production_order_reacknowledge
    from gendan.purchasing.models import PurchaseOrderVersion
    from gendan.purchasing.services.orders import purchase_order_create, purchase_order_send
    from gendan.purchasing.services.requirements import bom_confirm
    from gendan.purchasing.services.versions import purchase_order_reacknowledge
    from gendan.sales.services import confirmations
    from gendan.sales.services import orders as order_services
    from gendan.sales.services.revisions import order_revise, order_revision_apply
    from gendan.sales.tests.conftest import pay
    from gendan.tracking.models import OrderMilestone
    from gendan.tracking.selectors import board_for
    from gendan.tracking.services.reminders import digest_compose

    w = world
    order = order_services.order_create(
        actor=w.merch, customer_id=w.customer.pk,
        data={"customer_po_no": "PO-6160", "customer_po_date": TODAY(), "ex_factory_date": days(60)},
        lines=[{"product": w.mug, "description": "Ceramic mug 350 ml", "unit_price": Decimal("1.235"),
                "cells": [{"colour": "Red", "size": "M", "quantity": "600"},
                          {"colour": "Blue", "size": "M", "quantity": "400"}]}])
    record_confirmations(w, order)
    order = confirmations.order_confirm(actor=w.merch, order_id=order.pk)
    pay(w, order, str(order.deposit_amount))
    order = order_release_production(actor=w.merch, order_id=order.pk, assignments=[
        {"supplier": w.factory, "due_date": days(50)}])
    po = order.production_orders.get()
    production.production_order_update(actor=w.planner, production_order_id=po.pk,
                                       data={"email_to": "planning@gendan.example"},
                                       lines={line.pk: {"unit_cost": "0.80"} for line in po.lines.all()})
    with django_capture_on_commit_callbacks(execute=True):
        production.production_order_issue(actor=w.planner, production_order_id=po.pk)
    production.production_order_accept(actor=w.planner, production_order_id=po.pk, committed_due_date=days(45))
    bom_confirm(actor=w.merch, production_order_id=po.pk, note="checked")
    purchase = purchase_order_create(actor=w.buyer, supplier=w.materials, currency="CNY", lines=[
        {"material": w.handle, "quantity": "1020", "unit_price": "0.15", "eta": days(20)}])
    with django_capture_on_commit_callbacks(execute=True):
        purchase_order_send(actor=w.buyer, purchase_order_id=purchase.pk)
    assert len(smtp.wait_for(2)) == 2  # the production order to the factory, the purchase order to the supplier

    # --- The customer wants 1 200 mugs (200 more red), ten days later.
    order_revise(actor=w.merch, order_id=order.pk, reason="Customer adds 200 red mugs and moves the date",
                 data={"ex_factory_date": days(70)},
                 lines=[{"product": w.mug, "description": "Ceramic mug 350 ml", "unit_price": Decimal("1.235"),
                         "cells": [{"colour": "Red", "size": "M", "quantity": "800"},
                                   {"colour": "Blue", "size": "M", "quantity": "400"}]}])
    record_confirmations(w, order)
    with django_capture_on_commit_callbacks(execute=True):
        order_revision_apply(actor=w.merch, order_id=order.pk)

    # The production order: version 2, 1 200 mugs, due ten days later, awaiting the factory.
    po = ProductionOrder.objects.get(pk=po.pk)
    assert po.status == ProductionOrder.Status.AWAITING_REACK and po.doc_version == 2
    assert po.lines.get().quantity == Decimal("1200") and po.due_date == days(60)
    assert po.total_cost == Decimal("960.00")
    version = po.versions.get()
    assert {(c["line"], c["field"], c["old"], c["new"]) for c in version.changes} >= {
        (1, "quantity", "1,000", "1,200"), (1, "cell", "600", "800"), (0, "due_date", days(50).isoformat(),
                                                                        days(60).isoformat())}
    text = pdf_text(version.pdf.read(), tmp_path, "po-v2")
    assert "Version 2 — supersedes version 1" in text and "1,200" in text and "第 2 版" in text

    # The factory and the supplier get their new versions by e-mail, with the PDF.
    mails = smtp.wait_for(4)[2:]
    to_factory = next(m for m in mails if po.number in m["Subject"])
    assert "li@dongguan-factory.example" in to_factory["To"]
    assert "Version 2" in to_factory["Subject"]
    attachment = next(to_factory.iter_attachments())
    assert attachment.get_filename() == f"{po.number}-v2.pdf" and attachment.get_content().startswith(b"%PDF")
    assert "1,000 → 1,200" in to_factory.get_body().get_content()
    to_supplier = next(m for m in mails if purchase.number in m["Subject"])
    assert "sales@materials.example" in to_supplier["To"]
    pv = PurchaseOrderVersion.objects.get(purchase_order=purchase)
    assert pv.number == 2 and pv.purchase_order.lines.get().quantity == Decimal("1224")  # 1 200 × 1.02
    assert "1,020 → 1,224" in to_supplier.get_body().get_content()
    assert "Version 2 — supersedes version 1" in pdf_text(pv.pdf.read(), tmp_path, "purchase-v2")

    # Both timelines tell it, and the order page says what waits.
    assert any("version 2 e-mailed to the factory" in e.text for e in timeline_for(order))
    assert any("Version 2 issued" in e.text and "1,000 → 1,200" in e.text for e in timeline_for(po))
    page = client_for(w.merch).get(order.get_absolute_url()).content.decode()
    assert "1 production order awaiting re-acknowledgement" in page

    # --- Two working days pass without an answer (on the company calendar, whatever the clock: at the
    # default one Wed → Fri is not yet late, Monday is).
    with on_day(working_days_from(TODAY(), 2)):
        assert not [i for i in board_for(user=w.merch).export_items if i.kind == "production_reack"]
    with on_day(working_days_from(TODAY(), 3)):
        merch_items = {i.kind for i in board_for(user=w.merch).export_items}
        assert {"production_reack", "purchase_reack"} <= merch_items
        buyer_items = [i for i in board_for(user=w.buyer).export_items if i.kind == "purchase_reack"]
        assert buyer_items and purchase.number in buyer_items[0].label
        _subject, body = digest_compose(user=w.merch, board=board_for(user=w.merch), day=TODAY())
        assert f"Re-acknowledgement of {po.number} version 2 awaited" in body

        # The factory re-acknowledges, committing to a later date; the supplier gives a new ETA.
        po = production_order_reacknowledge(actor=w.merch, production_order_id=po.pk, committed_due_date=days(55),
                                            note="李厂长 confirmed by phone")
        assert po.status == ProductionOrder.Status.ACCEPTED and po.committed_due_date == days(55)
        assert OrderMilestone.objects.get(order=order, key="production_finished").forecast_date == days(55)
        purchase_order_reacknowledge(actor=w.buyer, purchase_order_id=purchase.pk, new_eta=days(25))
        assert purchase.lines.get().eta == days(25)
        assert not {i.kind for i in board_for(user=w.merch).export_items} & {"production_reack", "purchase_reack"}
