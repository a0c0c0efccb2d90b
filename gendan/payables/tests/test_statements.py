"""Monthly supplier statements (对账单): the figures, closing = opening + invoiced − paid on
random data, reissue, the reply (a month not yet closed is not confirmed; disputes first
settled), the e-mail over real SMTP with the PDF (read by pdftotext) and the Excel (openpyxl)."""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gendan.core.errors import BusinessError, NotAllowed, ValidationFailed
from gendan.parties.models import Supplier
from gendan.payables.models import StatementDispute, SupplierInvoice, SupplierPayment, SupplierStatement
from gendan.payables.pdf_statement import statement_pdf
from gendan.payables.selectors.statements import (
    balance_before,
    next_month,
    open_disputes,
    statement_balance_check,
    statement_figures,
)
from gendan.payables.services.invoices import supplier_invoice_record
from gendan.payables.services.payments import supplier_payment_record
from gendan.payables.services.statements import dispute_settle, statement_issue, statement_reply
from gendan.payables.tests.invoices_setup import (
    english,  # noqa: F401 (fixture)
    invoice_data,
    make_world,
    receive_and_inspect,
)
from gendan.payables.xlsx_payables import statement_xlsx_bytes
from tests.factories import SupplierFactory, UserFactory
from tests.smtp import attachments
from tests.smtp import smtp as smtp_fixture  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def pdf_text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout \
        .decode()


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def last_month() -> dt.date:
    return (this_month() - dt.timedelta(days=1)).replace(day=1)


@pytest.fixture
def w():
    return make_world()


@pytest.mark.dates
def test_closing_is_opening_plus_invoiced_minus_paid_on_random_ledgers(db):
    """Random invoices and payments over four months, for two suppliers and two currencies:
    each month's closing = opening + invoiced − paid, equals the next month's opening and the
    balance computed straight from the rows; each frozen statement adds up."""
    rng = random.Random(20260311)
    buyer, finance = UserFactory(roles=["purchasing"]), UserFactory(roles=["finance"])
    suppliers = [SupplierFactory(kind="forwarder"), SupplierFactory(kind="courier")]
    today = timezone.localdate()
    first = (this_month() - dt.timedelta(days=80)).replace(day=1)
    for n in range(40):
        supplier = rng.choice(suppliers)
        currency = rng.choice(["CNY", "USD"])
        day = first + dt.timedelta(days=rng.randrange((today - first).days + 1))
        amount = Decimal(rng.randrange(1, 10_000_000)) / 100
        inv = supplier_invoice_record(actor=buyer, data={
            "supplier": supplier.pk, "kind": "service", "service_kind": "freight", "supplier_invoice_no": f"R{n}",
            "currency": currency, "amount": str(amount), "invoice_date": day.isoformat()})
        for _ in range(rng.randrange(3)):
            if inv.open_amount <= 0:
                break
            pay = min(inv.open_amount, Decimal(rng.randrange(1, int(inv.amount * 100) + 1)) / 100)
            paid_on = day + dt.timedelta(days=rng.randrange((today - day).days + 1))
            supplier_payment_record(actor=finance, invoice_id=inv.pk, data={"amount": str(pay), "paid_on": paid_on})
            inv.refresh_from_db()
    months = [first]
    while months[-1] < this_month():
        months.append(next_month(months[-1]))
    for supplier in suppliers:
        for currency in ("CNY", "USD"):
            previous = None
            for month in months:
                f = statement_figures(supplier_id=supplier.pk, month=month, currency=currency)
                assert f.closing == f.opening + f.invoiced - f.paid
                if previous is not None:
                    assert f.opening == previous
                assert f.closing == balance_before(supplier_id=supplier.pk, currency=currency,
                                                   day=next_month(month))
                previous = f.closing
            invoices = SupplierInvoice.objects.filter(supplier=supplier, currency_id=currency)
            paid = SupplierPayment.objects.filter(invoice__in=invoices)
            assert previous == sum((i.amount for i in invoices), Decimal(0)) - sum((p.amount for p in paid),
                                                                                  Decimal(0))
            statement = statement_issue(actor=buyer, supplier_id=supplier.pk, month=months[-2], currency=currency)
            assert statement_balance_check(statement)


def test_the_statement_of_a_factory_shows_deliveries_invoices_and_payments(w):
    receive_and_inspect(w)
    invoice = supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={"amount": "300.00",
                                                                         "bank_reference": "BOC-77"})
    statement = statement_issue(actor=w.buyer, supplier_id=w.factory.pk, month=this_month())
    assert statement.number.startswith("SS") and statement.status == "issued"
    assert statement.opening_balance == 0
    assert statement.invoiced_amount == Decimal("802.40") and statement.paid_amount == Decimal("300.00")
    assert statement.closing_balance == Decimal("502.40")
    assert statement.delivered_amount == Decimal("802.40")  # 1 000 × 0.80 + 3 × 0.80
    kinds = sorted(x["kind"] for x in statement.lines)
    assert kinds == ["delivery", "delivery", "invoice", "payment"]
    assert statement_balance_check(statement)
    # frozen: a later invoice does not change it
    supplier_invoice_record(actor=w.buyer, data=invoice_data(w, supplier_invoice_no="DG-2", amount="5.00",
                                                             tax_amount="0"))
    statement.refresh_from_db()
    assert statement.invoiced_amount == Decimal("802.40")


def test_pdf_and_excel_carry_the_figures(w):
    invoice = supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    supplier_payment_record(actor=w.finance, invoice_id=invoice.pk, data={"amount": "300.00"})
    statement = statement_issue(actor=w.buyer, supplier_id=w.factory.pk, month=this_month())
    text = pdf_text(statement_pdf(statement, language="zh"))
    for expected in (statement.number, "对账单", "STATEMENT", "期末余额", "502.40", "802.40", "300.00",
                     invoice.number, "DG-0001", "东莞一厂"):
        assert expected in text, expected
    assert "期末余额" not in pdf_text(statement_pdf(statement, language="en"))
    ws = load_workbook(io.BytesIO(statement_xlsx_bytes(statement))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("statement no.", statement.number)
    values = {r[0]: r[1] for r in rows[:9]}
    assert values["closing balance"] == 502.4 and values["opening balance"] == 0
    lines = [r for r in rows[11:] if r[0]]
    assert {r[0] for r in lines} == {x["ref"] for x in statement.lines}


@pytest.mark.dates
def test_a_month_not_yet_closed_is_not_confirmed_and_disputes_are_settled_first(w, clock):
    invoice = supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    statement = statement_issue(actor=w.buyer, supplier_id=w.factory.pk, month=this_month())
    with pytest.raises(ValidationFailed) as exc:
        statement_reply(actor=w.buyer, statement_id=statement.pk, outcome="confirmed")
    assert exc.value.code == "statement_month_open"
    assert statement.month.strftime("%Y-%m") in exc.value.message
    statement.refresh_from_db()
    assert statement.status == "issued"
    # disputes may come at once; an unknown line and a missing reason are refused whole
    with pytest.raises(ValidationFailed) as exc:
        statement_reply(actor=w.buyer, statement_id=statement.pk, outcome="disputed", disputes=[
            {"line_ref": invoice.number, "reason": "price per unit is 0.78"}, {"line_ref": "NOPE", "reason": "x"}])
    assert exc.value.code == "statement_line_unknown" and "disputes.1.line_ref" in exc.value.fields
    assert not StatementDispute.objects.exists()
    statement_reply(actor=w.buyer, statement_id=statement.pk, outcome="disputed", note="see lines", disputes=[
        {"line_ref": invoice.number, "amount": "22.40", "reason": "price per unit is 0.78"}])
    statement.refresh_from_db()
    assert statement.status == "disputed"
    assert [d.line_ref for d in open_disputes()] == [invoice.number]
    clock.move_to(timezone.make_aware(dt.datetime.combine(next_month(this_month()), dt.time(9))))
    with pytest.raises(BusinessError) as exc:
        statement_reply(actor=w.buyer, statement_id=statement.pk, outcome="confirmed")
    assert exc.value.code == "statement_disputes_open" and invoice.number in exc.value.message
    dispute = statement.disputes.get()
    with pytest.raises(NotAllowed):
        dispute_settle(actor=w.merch, dispute_id=dispute.pk, settlement="credit note")
    dispute_settle(actor=w.manager, dispute_id=dispute.pk, settlement="factory sends a credit note of 22.40")
    assert not open_disputes().exists()
    statement_reply(actor=w.buyer, statement_id=statement.pk, outcome="confirmed", note="signed and stamped")
    statement.refresh_from_db()
    assert statement.status == "confirmed" and statement.replied_by == w.buyer
    with pytest.raises(BusinessError) as exc:  # a confirmed statement is not reissued
        statement_issue(actor=w.buyer, supplier_id=w.factory.pk, month=statement.month)
    assert exc.value.code == "statement_not_live"


def test_reissue_supersedes_and_settles_the_old_disputes(w):
    invoice = supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    first = statement_issue(actor=w.buyer, supplier_id=w.factory.pk, month=this_month())
    statement_reply(actor=w.buyer, statement_id=first.pk, outcome="disputed", disputes=[
        {"line_ref": invoice.number, "reason": "not our invoice amount"}])
    second = statement_issue(actor=w.buyer, supplier_id=w.factory.pk, month=this_month())
    first.refresh_from_db()
    assert first.status == "superseded" and second.status == "issued" and second.number != first.number
    dispute = first.disputes.get()
    assert dispute.settled_at is not None and second.number in dispute.settlement
    with pytest.raises(BusinessError) as exc:
        statement_reply(actor=w.buyer, statement_id=first.pk, outcome="disputed",
                        disputes=[{"line_ref": invoice.number, "reason": "again"}])
    assert exc.value.code == "statement_not_live"


@pytest.mark.parametrize("month", ["2099-01", "2026-13", "", "abc"])
def test_bad_months_are_refused(w, month):
    with pytest.raises(ValidationFailed) as exc:
        statement_issue(actor=w.buyer, supplier_id=w.factory.pk, month=month)
    assert "month" in exc.value.fields
    assert not SupplierStatement.objects.exists()


def test_roles_issue_statements(w):
    for role in ("merchandiser", "manager", "sales"):
        with pytest.raises(NotAllowed):
            statement_issue(actor=UserFactory(roles=[role]), supplier_id=w.factory.pk, month=last_month())
    assert statement_issue(actor=w.finance, supplier_id=w.factory.pk, month=last_month())


@pytest.mark.usefixtures("smtp_fixture")
def test_the_statement_is_emailed_to_the_suppliers_contacts_over_smtp(w, request, django_capture_on_commit_callbacks):
    smtp = request.getfixturevalue("smtp_fixture")
    supplier_invoice_record(actor=w.buyer, data=invoice_data(w))
    with django_capture_on_commit_callbacks(execute=True):
        statement = statement_issue(actor=w.buyer, supplier_id=w.factory.pk, month=this_month(), send=True)
    message = smtp.wait_for(1)[0]
    assert message["To"] == "account@dg-one.example.com"
    assert statement.number in message["Subject"]
    files = attachments(message)
    assert [f[0] for f in files] == [f"{statement.number}.pdf", f"{statement.number}.xlsx"]
    assert statement.number in pdf_text(files[0][2])
    statement.refresh_from_db()
    assert statement.status == "sent" and statement.email_sent_at is not None


def test_a_mail_server_down_is_recorded_and_a_supplier_without_address_is_refused(
        w, request, django_capture_on_commit_callbacks):
    smtp = request.getfixturevalue("smtp_fixture")
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        statement = statement_issue(actor=w.buyer, supplier_id=w.factory.pk, month=this_month(), send=True)
    statement.refresh_from_db()
    assert statement.status == "issued" and statement.email_error
    bare = SupplierFactory(kind=Supplier.Kind.MATERIAL_SUPPLIER, email="")
    with pytest.raises(ValidationFailed) as exc:
        statement_issue(actor=w.buyer, supplier_id=bare.pk, month=this_month(), send=True)
    assert exc.value.code == "statement_no_recipient"
    assert not SupplierStatement.objects.filter(supplier=bare).exists()
