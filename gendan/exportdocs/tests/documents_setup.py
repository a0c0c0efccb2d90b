"""Builders of the document-set tests: a 2-line order with real products (mugs by colour ×
size, 24 to a carton; gift boxes, 50 to a carton), shipped in full; optionally paid by an L/C
(registered and examined workable before the goods leave)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.catalog.tests.factories import ProductFactory
from gendan.documents.pdf.company import company
from gendan.exportdocs.models import LetterOfCredit
from gendan.sales.tests.conftest import make_in_production
from gendan.shipping.services import order_ship
from gendan.shipping.services.plan import shipment_plan

MARKS = "NORDLICHT\nPO-4711\nHAMBURG\nC/NO. 1-UP"


def products():
    mug = ProductFactory(code="MUG-350", name_en="Ceramic mug 350 ml", name_zh="陶瓷杯", hs_code="6912001000",
                         units_per_carton=24, carton_length_cm=Decimal("50"), carton_width_cm=Decimal("35"),
                         carton_height_cm=Decimal("30"), net_weight_kg=Decimal("8.400"),
                         gross_weight_kg=Decimal("9.600"))
    box = ProductFactory(code="BOX-G", name_en="Gift box", name_zh="礼品盒", hs_code="481910", units_per_carton=50,
                         carton_length_cm=Decimal("40"), carton_width_cm=Decimal("30"), carton_height_cm=Decimal("20"),
                         net_weight_kg=Decimal("5.000"), gross_weight_kg=Decimal("5.800"))
    return mug, box


def lines(mug, box) -> list[dict]:
    return [{"product": mug, "description": "Ceramic mug 350 ml", "unit_price": Decimal("1.235"),
             "cells": [{"colour": "Red", "size": "M", "quantity": "600"},
                       {"colour": "Blue", "size": "M", "quantity": "400"}]},
            {"product": box, "description": "Gift box", "unit_price": Decimal("0.335"), "quantity": "3"}]


def register_credit(order, **changes) -> LetterOfCredit:
    """A credit examined workable for ``order`` (written as the credits part would leave it)."""
    latest = order.ex_factory_date + dt.timedelta(days=20)
    data = {"number": "LC-DB-7788", "status": LetterOfCredit.Status.ACCEPTED, "customer": order.customer,
            "issuing_bank": "Deutsche Bank AG, Hamburg", "applicant": "NORDLICHT HANDELS GMBH\nHAMBURG, GERMANY",
            "beneficiary": str(company()["beneficiary"]).upper(), "currency_id": order.currency_id,
            "amount": order.total_amount, "goods_description": "CERAMIC MUGS AND GIFT BOXES",
            "incoterm": order.incoterm, "port_of_loading": "Ningbo", "port_of_discharge": "Hamburg",
            "latest_shipment_date": latest, "expiry_date": latest + dt.timedelta(days=21),
            "received_on": timezone.localdate(), "created_by": order.merchandiser,
            "documents_required": [{"kind": "commercial_invoice", "originals": 3},
                                   {"kind": "beneficiary_certificate", "originals": 1,
                                    "note": "certifying that one set of copies was faxed to the applicant"}]}
    data.update(changes)
    credit = LetterOfCredit.objects.create(**data)
    credit.orders.add(order)
    return credit


def shipped(w, *, customer=None, credit: bool = False, ship: bool = True, credit_changes=None, **extra):
    """(order, shipment, credit): the 2-line order, everything shipped today (or only planned
    when ``ship`` is false)."""
    mug, box = products()
    terms = ({"payment_method": "lc_sight", "deposit_percent": "0"} if credit
             else {"payment_method": "tt_against_bl_copy"})
    order = make_in_production(w, **{"lines": lines(mug, box), "shipping_marks": MARKS, "port_of_loading": "Ningbo",
                                     "port_of_destination": "Hamburg", **terms, **extra},
                               **({"customer": customer} if customer else {}))
    lc = register_credit(order, **(credit_changes or {})) if credit else None
    quantities = {line.pk: line.quantity for line in order.lines.all()}
    if ship:
        shipment = order_ship(actor=w.merch, order_id=order.pk, shipped_on=timezone.localdate(),
                              quantities=quantities)
    else:
        cells = {c.pk: c.quantity for line in order.lines.all() for c in line.cells.all()}
        shipment = shipment_plan(actor=w.merch, order_id=order.pk, lines=quantities, cells=cells,
                                 planned_ex_factory=order.ex_factory_date)
    order.refresh_from_db()
    return order, shipment, lc
