"""Builders of the credits tests: an L/C order (1 000 mugs + 3 gift boxes, USD 1 236.01, FOB
Ningbo → Hamburg, ex-factory in 60 days) and the credit data that fits it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gendan.documents.pdf.company import company
from tests.factories import SalesOrderFactory


def lc_order(w, *, customer=None, state="confirmed", **extra):
    """A confirmed order of ``w.customer`` paid by L/C at sight, no deposit."""
    data = {"payment_method": "lc_sight", "deposit_percent": "0", "port_of_loading": "Ningbo",
            "port_of_destination": "Hamburg", "incoterm": "FOB", **extra}
    return SalesOrderFactory(customer=customer or w.customer, actor=w.merch, confirmer=w.merch, state=state,
                             **data)


def credit_data(order, **changes) -> dict:
    """A workable credit for ``order``: its amount, ports, Incoterm; shipment by ex-factory + 20
    days, expiry 21 days later."""
    latest = order.ex_factory_date + dt.timedelta(days=20)
    data = {
        "number": "LC-2026-0001", "issuing_bank": "Deutsche Bank AG, Hamburg", "advising_bank": "Bank of China",
        "applicant": f"{order.customer.name_en}, Hamburg", "beneficiary": str(company()["beneficiary"]),
        "currency": order.currency_id, "amount": str(order.total_amount), "about": False,
        "goods_description": "CERAMIC MUGS AND GIFT BOXES", "incoterm": "FOB", "incoterm_place": "Ningbo",
        "port_of_loading": "Ningbo", "port_of_discharge": "Hamburg",
        "latest_shipment_date": latest.isoformat(), "expiry_date": (latest + dt.timedelta(days=21)).isoformat(),
        "partial_shipments": "allowed", "transhipment": "allowed",
        "documents_required": [{"kind": "commercial_invoice", "originals": 3, "copies": 3},
                               {"kind": "bill_of_lading", "originals": 3, "copies": 0},
                               {"kind": "packing_list", "originals": 1, "copies": 2}],
        "received_on": timezone.localdate().isoformat(), "orders": [order.pk], "customer": order.customer_id,
    }
    data.update(changes)
    return data
