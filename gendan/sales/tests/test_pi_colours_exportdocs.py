"""The shipment's documents follow the customer's language down to the colour too: the commercial
invoice and the side marks of an English-speaking customer say "White", not 白."""

from __future__ import annotations

import pytest

from gendan.exportdocs.models import ShipmentDocument
from gendan.exportdocs.selectors.documents import language_of
from gendan.exportdocs.services.documents import document_set_generate
from gendan.exportdocs.tests.documents_setup import shipped
from gendan.sales.models import SalesOrderCell

pytestmark = pytest.mark.django_db


def test_the_invoice_and_the_side_marks_print_english_colours(people):
    order, shipment, _lc = shipped(people)
    assert language_of(order.customer) == "en"
    SalesOrderCell.objects.filter(line__order=order, colour="Red").update(colour="白")
    SalesOrderCell.objects.filter(line__order=order, colour="Blue").update(colour="藏青")

    document_set_generate(by=people.merch, shipment=shipment)

    docs = {d.kind: d.data for d in ShipmentDocument.objects.filter(shipment=shipment, is_current=True)}
    assert [c["colour"] for c in docs["commercial_invoice"]["lines"][0]["cells"]] == ["White", "Navy"]
    assert docs["shipping_marks"]["side_marks"][0]["colours"] == ["White", "Navy"]
