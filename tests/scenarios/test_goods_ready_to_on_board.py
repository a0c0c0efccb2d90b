"""Scenario: from "final inspection passed" to "on board" and the B/L released (issue 12).

Reads like the merchandiser's and the warehouse's week (seed 000 §12–13, 20; 002 (四); 003 订仓装船):
the goods pass the final inspection, the merchandiser plans the shipment and sends the shipping
notice to the factory and the warehouse, books space with the forwarder, looks at the loading
plan; the warehouse receives the finished goods, loads and seals the container and lets it leave;
the merchandiser checks the forwarder's B/L draft (one wrong figure found), confirms the
corrected one, the B/L is issued, the shipping advice goes to the customer, and the original B/L
is released only once the balance is in. The T&A's booking, ex-factory, ETD and shipping advice
complete on their own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from gendan.core.errors import BusinessError
from gendan.parties.models import PaymentMethod, Supplier
from gendan.quality.models import QualityProfile
from gendan.quality.services import inspection_book, inspection_record_result
from gendan.sales.models import SalesOrder
from gendan.shipping.loading import load_plan, recommend_containers
from gendan.shipping.models import BillOfLading, Container, Shipment
from gendan.shipping.selectors import order_line_stock, shipment_cartons
from gendan.shipping.services.advice import advice_send
from gendan.shipping.services.bills import (
    bill_confirm,
    bill_draft_receive,
    bill_expected,
    bill_issue,
    bill_release,
)
from gendan.shipping.services.bookings import booking_confirm, booking_request
from gendan.shipping.services.notices import notice_issue
from gendan.shipping.services.plan import shipment_plan
from gendan.shipping.services.warehouse import (
    container_load,
    container_seal,
    container_start,
    goods_receive,
    shipment_depart,
)
from gendan.tracking.hooks import Milestone
from gendan.tracking.models import OrderMilestone
from tests.clock import at, on_day
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    SalesOrderFactory,
    SupplierFactory,
    UserFactory,
    pay,
)
from tests.smtp import smtp  # noqa: F401  (the real SMTP server fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

CONTAINER_NO = "CSQU3054383"  # a real ISO 6346 number: owner CSQ, category U, check digit 3


def _day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _mail_to(server, address: str):
    """The last message the SMTP server delivered to ``address``, and its plain text."""
    message = next(d.message for d in reversed(server.deliveries) if address in d.rcpt_tos)
    return message, message.get_body(("plain",)).get_content()


def _milestone(order, key) -> OrderMilestone:
    return OrderMilestone.objects.get(plan__order=order, key=key)


@pytest.fixture
def world(make_user):
    from gendan.catalog.models import Product

    merch = make_user("merchandiser")
    customer = CustomerFactory(merchandiser=merch, payment_method=PaymentMethod.TT_AGAINST_BL_COPY,
                               deposit_percent=Decimal("30"), default_currency_id="USD",
                               port_of_loading="Ningbo", port_of_destination="Hamburg")
    ContactFactory(customer=customer, name="Mr. Jansen", email="import@jansen.example", is_primary=True)
    QualityProfile.objects.create(customer=customer, requires_final_inspection=True)
    forwarder = SupplierFactory(kind=Supplier.Kind.FORWARDER, code="FWD-SEA")
    ContactFactory(supplier=forwarder, name="Ms. Chen", email="ops@fwd.example", is_primary=True)
    factory = SupplierFactory(kind=Supplier.Kind.OUTSOURCED_FACTORY, code="FAC-CER")
    ContactFactory(supplier=factory, name="Mr. Wu", email="wu@factory.example", is_primary=True)
    mug = Product.objects.create(
        code="MUG-350", name_en="Ceramic mug 350 ml", name_zh="陶瓷杯 350 ml", units_per_carton=24,
        carton_length_cm=Decimal("60"), carton_width_cm=Decimal("40"), carton_height_cm=Decimal("30"),
        net_weight_kg=Decimal("9"), gross_weight_kg=Decimal("10.5"))
    box = Product.objects.create(
        code="GIFT-BOX", name_en="Gift box", name_zh="礼盒", units_per_carton=50, carton_length_cm=Decimal("50"),
        carton_width_cm=Decimal("35"), carton_height_cm=Decimal("25"), net_weight_kg=Decimal("5"),
        gross_weight_kg=Decimal("6"))
    finance = make_user("finance")
    order = SalesOrderFactory(customer=customer, actor=merch, in_production=True, finance=finance, supplier=factory,
                              lines=[{"product": mug, "description": "Ceramic mug 350 ml",
                                      "unit_price": Decimal("1.2"), "quantity": "1200"},
                                     {"product": box, "description": "Gift box", "unit_price": Decimal("0.5"),
                                      "quantity": "500"}])
    return {"merch": merch, "finance": finance, "qc": make_user("qc"), "warehouse": make_user("warehouse"),
            "manager": make_user("manager"), "order": order, "forwarder": forwarder, "factory": factory}


def test_from_final_inspection_to_the_bl_released(world, smtp, django_capture_on_commit_callbacks):  # noqa: F811
    w, order = world, world["order"]
    merch, warehouse = w["merch"], w["warehouse"]
    UserFactory(roles=["warehouse"], email="store@gendan.example", language="zh-hans")
    lines = {line.line_no: line for line in order.lines.order_by("line_no")}
    day = {n: _day(n) for n in range(40)}  # the days of this story, from today

    # 1. The final inspection passes: until then no container may be started.
    inspection = inspection_book(actor=merch, order_id=order.pk, kind="final", party="third_party",
                                 inspector="SGS Ningbo", planned_on=day[0], lot_size=1700)
    inspection_record_result(actor=w["qc"], inspection_id=inspection.pk, inspected_on=day[0],
                             critical=0, major=0, minor=1)

    # 2. The shipping plan: everything in one sea shipment, FCL, leaving in three days.
    shipment = shipment_plan(actor=merch, order_id=order.pk, lines={lines[1].pk: "1200", lines[2].pk: "500"},
                             transport_mode=Shipment.Mode.SEA_FCL, planned_ex_factory=day[3])
    assert shipment.status == Shipment.Status.PLANNED
    assert {ln.order_line.line_no: ln.cartons for ln in shipment.lines.all()} == {1: 50, 2: 10}
    assert (shipment.port_of_loading, shipment.port_of_destination) == ("Ningbo", "Hamburg")

    # 3. The shipping notice to the factory and the warehouse: a numbered PDF, by email.
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_issue(actor=merch, shipment_id=shipment.pk, factory_id=w["factory"].pk)
    assert notice.revision == 1 and notice.attachment_id
    notice_mail, _text = _mail_to(smtp, "wu@factory.example")
    assert order.number in notice_mail["Subject"]
    assert any(part.get_content_type() == "application/pdf" for part in notice_mail.iter_attachments())
    _mail_to(smtp, "store@gendan.example")  # the warehouse has it too

    # 4. Booking with the forwarder, confirmed with its cut-offs: the T&A's "booking" is done.
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_request(actor=merch, order_id=order.pk, forwarder_id=w["forwarder"].pk,
                                  containers={"40GP": 1})
    booking = booking_confirm(actor=merch, booking_id=booking.pk, booking_no="COSU6123456789", carrier="COSCO",
                              vessel="CSCL VENUS", voyage="012E", etd=day[6], eta=day[36],
                              cy_cutoff=at(day[4], 17), si_cutoff=at(day[4], 12), vgm_cutoff=at(day[4], 12))
    assert booking.status == "confirmed"
    assert _milestone(order, Milestone.BOOKING).status == "done"

    # 5. The loading plan of the cartons that really go: one 20GP is enough for 60 cartons.
    cartons, _missing = shipment_cartons(shipment)
    assert sum(c["count"] for c in cartons) == 60
    plan = load_plan(cartons, "20GP")
    assert not plan["unplaced"] and len(plan["placed"]) == 60
    assert recommend_containers(cartons)["mix"] == {"20GP": 1}

    # 6. The next day the warehouse receives the finished goods (inspection passed): the mugs first.
    with on_day(day[1]):
        goods_receive(actor=warehouse, order_id=order.pk, order_line_id=lines[1].pk, quantity="1200", cartons=50,
                      received_on=day[1], source="factory", source_ref="DN-881", inspection="passed")
        with pytest.raises(BusinessError, match="check digit"):
            container_start(actor=warehouse, shipment_id=shipment.pk, container_no="CSQU3054384",
                            container_type="20GP")
        container = container_start(actor=warehouse, shipment_id=shipment.pk, container_no=CONTAINER_NO,
                                    container_type="20GP")
        shipment.refresh_from_db()
        assert shipment.status == Shipment.Status.LOADING
        goods = {lines[1].pk: {"cartons": 50, "quantity": "1200"}, lines[2].pk: {"cartons": 10, "quantity": "500"}}
        with pytest.raises(BusinessError):  # the gift boxes are not in yet: nothing of this load is saved
            container_load(actor=warehouse, container_id=container.pk, lines=goods)
        assert not container.lines.exists()
        goods_receive(actor=warehouse, order_id=order.pk, order_line_id=lines[2].pk, quantity="500", cartons=10,
                      received_on=day[1], source="factory", source_ref="DN-882", inspection="passed")
        assert order_line_stock([lines[2].pk])[lines[2].pk].received == Decimal("500")

    # 7. Loading day: the container is loaded, sealed with its VGM, and the goods leave.
    with on_day(day[3]):
        container = container_load(actor=warehouse, container_id=container.pk, lines=goods)
        with pytest.raises(BusinessError):  # not before the seal and the VGM
            shipment_depart(actor=warehouse, shipment_id=shipment.pk, shipped_on=day[3])
        container = container_seal(actor=warehouse, container_id=container.pk, seal_no="CN1234567", vgm_kg="3000")
        assert container.status == Container.Status.LOADED
        shipment = shipment_depart(actor=warehouse, shipment_id=shipment.pk, shipped_on=day[3])
    order.refresh_from_db()
    assert shipment.status == Shipment.Status.SHIPPED
    assert order.status == SalesOrder.Status.SHIPPED
    assert all(line.shipped_quantity == line.quantity for line in order.lines.all())
    ex_factory = _milestone(order, Milestone.EX_FACTORY)
    assert ex_factory.status == "done" and ex_factory.actual_date == day[3]

    # 8. The forwarder's B/L draft: one wrong figure (the gross weight) is found and listed.
    with on_day(day[5]):
        expected = bill_expected(shipment)
        assert expected["packages"] == 60
        assert Decimal(str(expected["gross_kg"])) == Decimal("585")  # 50 × 10.5 + 10 × 6
        draft = {k: v for k, v in expected.items() if k in (
            "shipper", "consignee", "notify_party", "port_of_loading", "port_of_discharge", "vessel", "voyage",
            "marks", "packages", "cbm", "containers")}
        bill = bill_draft_receive(actor=merch, shipment_id=shipment.pk, data={**draft, "gross_kg": "855"})
        assert [d["field"] for d in bill.differences] == ["gross_kg"]
        with pytest.raises(BusinessError):
            bill_confirm(actor=merch, bill_id=bill.pk)
        bill = bill_draft_receive(actor=merch, shipment_id=shipment.pk, data={**draft, "gross_kg": "585"})
        assert bill.draft_no == 2 and bill.differences == []
        bill = bill_confirm(actor=merch, bill_id=bill.pk)
        assert bill.status == BillOfLading.Status.CONFIRMED

    # 9. On board on the ETD: the B/L is issued and the T&A's "ETD" is done that day.
    with on_day(day[6]):
        bill = bill_issue(actor=merch, bill_id=bill.pk, bl_no="COSU6123456789", on_board_on=day[6])
        shipment.refresh_from_db()
        assert shipment.bl_no == "COSU6123456789" and shipment.on_board_on == day[6]
        etd = _milestone(order, Milestone.ETD)
        assert etd.status == "done" and etd.actual_date == day[6]

        # 10. The shipping advice to the customer: container, seal, vessel, B/L no.
        with django_capture_on_commit_callbacks(execute=True):
            advice_send(actor=merch, shipment_id=shipment.pk)
        _message, body = _mail_to(smtp, "import@jansen.example")
        for text in (CONTAINER_NO, "CN1234567", "COSU6123456789", "CSCL VENUS"):
            assert text in body
        assert _milestone(order, Milestone.SHIPPING_ADVICE).status == "done"

    # 11. The original B/L waits for the balance ("against copy of B/L"), then is released.
    with on_day(day[8]):
        with pytest.raises(BusinessError, match="Balance rule"):
            bill_release(actor=merch, bill_id=bill.pk, release_kind="telex")
        bill.refresh_from_db()
        assert bill.status == BillOfLading.Status.ISSUED
        order.refresh_from_db()
        pay(order, order.total_amount - order.received_amount, actor=w["finance"], reference="FT-BAL")
        bill = bill_release(actor=merch, bill_id=bill.pk, release_kind="telex")
    order.refresh_from_db()
    assert bill.status == BillOfLading.Status.RELEASED
    assert order.original_bl_released_at is not None
    assert order.status == SalesOrder.Status.COMPLETED
    assert len(mail.outbox) == 0  # every email went through the real SMTP server
