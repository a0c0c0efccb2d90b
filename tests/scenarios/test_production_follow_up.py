"""Scenario: following an order's production from the release to the factory to the shipment.

Reads like the merchandiser's weeks after the deposit (seed 001 第五篇): the customer's quality
terms ask for a first article and a final inspection; the order is released to an outsourced
factory, which accepts it with a committed date; the BOM is confirmed and the materials are
bought, confirmed with ETAs and received; the PP sample is approved by sales and QC; mass
production waits for the first article, then starts; the factory's daily progress sheet is
imported (a sheet with a wrong row is refused whole, the corrected one goes in); production
finishes; the final inspection fails, the re-inspection passes, and only then do the goods ship.
Every step goes through the services; the T&A plan and the order's timeline tell the story.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from gendan.core.errors import BusinessError
from gendan.sales.tests.conftest import people, record_confirmations  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
TODAY = timezone.localdate
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def days(n: int) -> dt.date:
    return TODAY() + dt.timedelta(days=n)


def milestone(order, key):
    from gendan.tracking.models import OrderMilestone

    return OrderMilestone.objects.get(order=order, key=key)


def done(order, *keys) -> dict[str, str]:
    return {key: milestone(order, key).status for key in keys}


def progress_sheet(rows) -> SimpleUploadedFile:
    """The factory's 每日生产进度表: the app's own template, its example row replaced by ``rows``."""
    from gendan.planning.services.imports import progress_template

    wb = load_workbook(io.BytesIO(progress_template()))
    ws = wb.active
    ws.delete_rows(2)  # the example row
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("进度-东莞一厂.xlsx", out.getvalue(), content_type=XLSX)


@pytest.fixture
def world(people, make_user):  # noqa: F811
    """The order people, a buyer, a material supplier and a mug whose BOM has a handle and a glaze."""
    from gendan.catalog.models import Product
    from gendan.catalog.services import bom_line_add
    from gendan.catalog.tests.factories import ComponentFactory, ProductFactory
    from gendan.parties.models import Supplier
    from tests.factories import SupplierFactory

    w = people
    w.buyer = make_user("purchasing", username="buyer", language="en")
    w.materials = SupplierFactory(code="MAT1", kind=Supplier.Kind.MATERIAL_SUPPLIER, name_zh="景德镇瓷料行")
    w.mug = ProductFactory(code="MUG-350", name_en="Ceramic mug 350 ml")
    w.handle = ComponentFactory(code="HDL-01", name_en="Handle")
    w.glaze = ComponentFactory(code="GLZ-RED", name_en="Red glaze", unit=Product.Unit.KG)
    bom_line_add(actor=w.merch, product_id=w.mug.pk, component=w.handle, quantity="1", scrap_percent="2")
    bom_line_add(actor=w.merch, product_id=w.mug.pk, component=w.glaze, quantity="0.0125", scrap_percent="4")
    return w


def test_production_follow_up_from_release_to_shipment(world):
    from gendan.core.events import timeline_for
    from gendan.planning.services.imports import progress_import_confirm, progress_import_preview
    from gendan.production import services as production
    from gendan.production.models import ProductionOrder, ProductionOrderLine
    from gendan.production.services.release import order_release_production
    from gendan.purchasing.models import MaterialRequirement
    from gendan.purchasing.services.orders import (
        purchase_order_confirm,
        purchase_order_create,
        purchase_order_send,
    )
    from gendan.purchasing.services.receipts import goods_receive
    from gendan.purchasing.services.requirements import bom_confirm, requirements_derive
    from gendan.quality import services as quality
    from gendan.quality.models import Inspection
    from gendan.sales.models import SalesOrder
    from gendan.sales.services import confirmations
    from gendan.sales.services import orders as order_services
    from gendan.sales.tests.conftest import pay
    from gendan.shipping.services import order_ship

    w = world

    # --- The customer's quality terms: first article before production, final inspection before shipment.
    quality.quality_profile_update(actor=w.qc, customer_id=w.customer.pk,
                                   data={"requires_first_article": True, "requires_final_inspection": True})
    order = order_services.order_create(
        actor=w.merch, customer_id=w.customer.pk,
        data={"customer_po_no": "PO-5150", "customer_po_date": TODAY(), "ex_factory_date": days(60)},
        lines=[{"product": w.mug, "description": "Ceramic mug 350 ml", "unit_price": Decimal("1.235"),
                "cells": [{"colour": "Red", "size": "M", "quantity": "600"},
                          {"colour": "Blue", "size": "M", "quantity": "400"}]},
               {"description": "Gift box", "unit_price": Decimal("0.335"), "quantity": "3"}])
    assert order.requires_first_article and order.requires_final_inspection  # taken from the profile
    record_confirmations(w, order)
    order = confirmations.order_confirm(actor=w.merch, order_id=order.pk)
    pay(w, order, str(order.deposit_amount))
    order = order_release_production(actor=w.merch, order_id=order.pk, assignments=[
        {"supplier": w.factory, "due_date": order.ex_factory_date}])
    assert order.status == SalesOrder.Status.IN_PRODUCTION

    # --- The factory gets the production order and commits to a date.
    po = order.production_orders.get()
    po = production.production_order_update(
        actor=w.planner, production_order_id=po.pk, data={"email_to": "orders@dongguan-factory.example"},
        lines={line.pk: {"unit_cost": "0.80"} for line in po.lines.all()})
    po = production.production_order_issue(actor=w.planner, production_order_id=po.pk)
    assert po.status == ProductionOrder.Status.ISSUED and po.pdf
    po = production.production_order_accept(actor=w.planner, production_order_id=po.pk,
                                            committed_due_date=days(45))
    assert po.status == ProductionOrder.Status.ACCEPTED and po.committed_due_date == days(45)
    assert milestone(order, "production_finished").forecast_date == days(45)

    # --- Materials: the BOM is confirmed, the requirements follow from it (1 000 mugs + scrap).
    bom_confirm(actor=w.merch, production_order_id=po.pk, note="checked with the factory's engineer")
    requirements = {r.component.code: r for r in requirements_derive(actor=w.merch, production_order=po)}
    assert {code: r.required_quantity for code, r in requirements.items()} == {
        "HDL-01": Decimal("1020"), "GLZ-RED": Decimal("13")}
    assert MaterialRequirement.objects.filter(production_order=po).count() == 2  # deriving again adds nothing
    purchase = purchase_order_create(actor=w.buyer, supplier=w.materials, currency="CNY", lines=[
        {"material": w.handle, "quantity": "1020", "unit_price": "0.15", "eta": None},
        {"material": w.glaze, "quantity": "13", "unit_price": "42", "eta": None}])
    purchase = purchase_order_send(actor=w.buyer, purchase_order_id=purchase.pk)
    assert done(order, "bom_confirmed", "material_etas_confirmed") == {
        "bom_confirmed": "done", "material_etas_confirmed": "open"}  # ordered, but no ETA yet
    handle_line, glaze_line = purchase.lines.order_by("line_no")
    purchase_order_confirm(actor=w.buyer, purchase_order_id=purchase.pk,
                           etas={handle_line.pk: days(7), glaze_line.pk: days(10)})
    assert milestone(order, "material_etas_confirmed").status == "done"
    assert milestone(order, "materials_in").forecast_date == days(10)
    goods_receive(actor=w.buyer, purchase_order_id=purchase.pk, received_on=TODAY(),
                  quantities={handle_line.pk: "1020", glaze_line.pk: "13"})
    assert done(order, "bom_confirmed", "material_etas_confirmed", "materials_in") == dict.fromkeys(
        ("bom_confirmed", "material_etas_confirmed", "materials_in"), "done")

    # --- The PP sample goes to the customer and comes back signed by sales and QC.
    sample = quality.sample_request(actor=w.merch, order_id=order.pk, kind="pp", quantity=3,
                                    requested_on=days(5), production_order_id=po.pk)
    sample, warning = quality.sample_send(actor=w.merch, sample_id=sample.pk, sent_on=TODAY(), courier="DHL",
                                          tracking_no="JD0001")
    assert warning == ""
    quality.sample_receive(actor=w.merch, sample_id=sample.pk, received_on=TODAY(), comments="colour as agreed")
    quality.sample_sign(actor=w.merch, sample_id=sample.pk, department="sales", verdict="approved")
    sample = quality.sample_sign(actor=w.qc, sample_id=sample.pk, department="qc", verdict="approved")
    assert sample.status == "approved"
    assert milestone(order, "pp_sample_approved").status == "done"

    # --- Mass production waits for the first article.
    with pytest.raises(BusinessError) as refused:
        production.production_order_start(actor=w.planner, production_order_id=po.pk)
    assert refused.value.code == "gate_first_article" and refused.value.status == 409
    assert "no first article has been submitted yet" in refused.value.message
    first_article = quality.first_article_create(actor=w.merch, production_order_id=po.pk)
    quality.first_article_check_items(actor=w.qc, first_article_id=first_article.pk,
                                      results={i.pk: ("pass", "ok") for i in first_article.items.all()})
    quality.first_article_sign(actor=w.qc, first_article_id=first_article.pk, side="qc")
    with pytest.raises(BusinessError, match="sales' signature"):  # QC alone is not enough
        production.production_order_start(actor=w.planner, production_order_id=po.pk)
    first_article = quality.first_article_sign(actor=w.merch, first_article_id=first_article.pk, side="sales")
    assert first_article.status == "approved"
    po = production.production_order_start(actor=w.planner, production_order_id=po.pk)
    assert po.status == ProductionOrder.Status.IN_PRODUCTION
    assert done(order, "first_article_approved", "production_started") == {
        "first_article_approved": "done", "production_started": "done"}

    # --- The factory's daily progress sheet: one wrong row and nothing goes in, the row is named.
    mugs, boxes = 1, 2  # the order's lines: the mugs and the gift boxes
    bad = [[po.number, mugs, "裁剪", TODAY(), 1000, None, None],
           [po.number, mugs, "包装", TODAY(), 1200, None, None],  # more than the 1 000 ordered
           [po.number, boxes, "包装", TODAY(), 3, None, None]]
    preview = progress_import_preview(actor=w.planner, upload=progress_sheet(bad))
    assert not preview.ok and preview.batch is None
    [error] = preview.errors
    assert (error.row, error.column) == (3, "累计完成数量")
    assert "more than the 1000 ordered" in error.message
    assert [line.produced_quantity for line in ProductionOrderLine.objects.filter(production_order=po)] == [0, 0]
    # The corrected sheet: every stage of the mugs done, the gift boxes packed.
    good = [[po.number, mugs, stage, TODAY(), 1000, None, None] for stage in ("裁剪", "组装", "喷涂", "包装")]
    good.append([po.number, boxes, "packing", TODAY().isoformat(), 3, None, None])
    preview = progress_import_preview(actor=w.planner, upload=progress_sheet(good))
    assert preview.ok, preview.errors
    batch = progress_import_confirm(actor=w.planner, token=preview.batch.token)
    assert batch.imported_count == 5
    produced = ProductionOrderLine.objects.filter(production_order=po).select_related("order_line")
    assert all(line.produced_quantity == line.quantity for line in produced)
    assert {line.order_line.line_no: line.produced_quantity for line in produced} == {
        mugs: Decimal("1000"), boxes: Decimal("3")}
    po = production.production_order_finish(actor=w.planner, production_order_id=po.pk)
    assert po.status == ProductionOrder.Status.FINISHED
    order.refresh_from_db()
    assert order.production_status == SalesOrder.ProductionStatus.FINISHED
    assert milestone(order, "production_finished").status == "done"

    # --- Final inspection: too many major defects, it fails and the re-inspection is booked.
    inspection = quality.inspection_book(actor=w.merch, order_id=order.pk, kind="final", party="third_party",
                                         inspector="SGS Shenzhen", planned_on=TODAY(), lot_size=1003,
                                         production_order_ids=[po.pk])
    assert (inspection.sample_size, inspection.major_accept) == (80, 5)  # lot 1 003, level II, major AQL 2.5
    failed = quality.inspection_record_result(actor=w.qc, inspection_id=inspection.pk, inspected_on=TODAY(),
                                              critical=0, major=6, minor=2, notes="glaze drips on the handle")
    assert failed.status == Inspection.Status.FAILED
    again = failed.reinspections.get()
    assert again.status == Inspection.Status.BOOKED and again.planned_on > TODAY()
    assert milestone(order, "final_inspection").status != "done"

    # The balance is paid (the terms want it before the goods leave), yet the goods may not ship.
    order.refresh_from_db()
    pay(w, order, str(order.total_amount - order.received_amount), reference="FT2")
    order.refresh_from_db()
    assert order.payment_status == SalesOrder.PaymentStatus.PAID
    everything = {line.pk: line.quantity for line in order.lines.all()}
    with pytest.raises(BusinessError) as refused:
        order_ship(actor=w.merch, order_id=order.pk, shipped_on=TODAY(), quantities=everything)
    assert refused.value.code == "gate_final_inspection"
    assert f"{failed.number} failed; re-inspection {again.number} is booked" in refused.value.message
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.IN_PRODUCTION and not order.shipments.exists()

    # --- The re-inspection passes; the goods ship and, being paid, the order completes.
    passed = quality.inspection_record_result(actor=w.qc, inspection_id=again.pk, inspected_on=TODAY(),
                                              critical=0, major=2, minor=3)
    assert passed.status == Inspection.Status.PASSED
    assert milestone(order, "final_inspection").status == "done"
    shipment = order_ship(actor=w.merch, order_id=order.pk, shipped_on=TODAY(),
                                         quantities=everything, bl_no="COSU5150", vessel_voyage="CSCL VENUS 014E")
    order.refresh_from_db()
    assert order.shipment_status == SalesOrder.ShipmentStatus.SHIPPED
    assert order.status == SalesOrder.Status.COMPLETED

    # The order's timeline tells the story: the failed and the passed inspection, then the shipment.
    messages = [e.text for e in reversed(timeline_for(order))]  # in the reader's language (English here)
    assert any(m.startswith(f"{failed.number} failed") for m in messages)
    assert any(m.startswith(f"{passed.number} passed") for m in messages)
    assert any(shipment.number in m and "COSU5150" in m for m in messages)
    told = [next(i for i, m in enumerate(messages) if needle in m)
            for needle in ("BOM of", "PP sample", "First article #1", f"{passed.number} passed", shipment.number)]
    assert told == sorted(told)
