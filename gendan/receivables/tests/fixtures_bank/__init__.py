"""Sample bank statement files (as banks export them) and the world the bank tests share."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).parent


def sample(name: str) -> bytes:
    return (HERE / name).read_bytes()


def upload(data: bytes, name: str = "statement.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def make_bank_world(make_user):
    """Finance, a manager and a merchandiser; three customers each with one confirmed order of
    mug_lines() (USD 1,236.01: deposit 370.80, balance 865.21)."""
    from gendan.parties.models import PaymentMethod
    from tests.factories import CustomerFactory, SalesOrderFactory

    w = SimpleNamespace()
    w.finance = make_user("finance", username="bankfin", language="en")
    w.finance2 = make_user("finance", username="bankfin2", language="en")
    w.manager = make_user("manager", username="bankman", language="en")
    w.merch = make_user("merchandiser", username="bankmerch", language="en")
    common = {"merchandiser": w.merch, "payment_method": PaymentMethod.TT_DEPOSIT_BALANCE,
              "deposit_percent": Decimal("30"), "default_currency_id": "USD"}
    w.nord = CustomerFactory(code="NORD", name_en="Nordlicht Home GmbH", **common)
    w.lake = CustomerFactory(code="LAKE", name_en="Lakeside Trading LLC", name_zh="湖畔贸易有限公司", **common)
    w.harb = CustomerFactory(code="HARB", name_en="Harbour & Co. Ltd", **common)
    w.nord_order = SalesOrderFactory(customer=w.nord, actor=w.merch, customer_po_no="PO-4711", confirmed=True)
    w.lake_order = SalesOrderFactory(customer=w.lake, actor=w.merch, customer_po_no="LT-2026-88", confirmed=True)
    w.harb_order = SalesOrderFactory(customer=w.harb, actor=w.merch, customer_po_no="HB-77", confirmed=True)
    return w
