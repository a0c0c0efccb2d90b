"""Statements of account: closing = opening + movements on random ledgers for any period split
(property test, Decimal); open items add up to the closing balance; the page in zh / en, the
PDF (pdftotext shows the closing balance), the Excel (openpyxl reads the numbers), the e-mail
with the PDF attached, the monthly run once per customer and month; bad periods refused."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.finance.models import ExchangeRate
from gendan.finance.rates import RateBook
from gendan.finance.services import receipt_record
from gendan.parties.models import Customer
from gendan.receivables.models import StatementSend
from gendan.receivables.pdf_statement import render_statement_pdf
from gendan.receivables.selectors.ledger import INSTALMENT, ON_ACCOUNT, PAYMENT, Entry, LedgerFacts
from gendan.receivables.services.statements import (
    first_working_day,
    statement_build,
    statements_monthly_due,
)
from tests.factories import ContactFactory, CustomerFactory, SalesOrderFactory, finance_user

BASE_DAY = dt.date(2026, 1, 1)
CENTS = st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c) / 100)


@st.composite
def random_ledgers(draw):
    """Orders with one or two instalments, payments to them (never more than the order owes at
    the time it was paid, or more: a credit on the order), money on account; in 1–2 currencies."""
    entries, plan_items = [], []
    n_orders = draw(st.integers(min_value=0, max_value=6))
    for order_id in range(1, n_orders + 1):
        currency = draw(st.sampled_from(["USD", "EUR"]))
        day = BASE_DAY + dt.timedelta(days=draw(st.integers(0, 120)))
        for kind in draw(st.sampled_from([["deposit", "balance"], ["balance"]])):
            amount = draw(CENTS)
            due = day + dt.timedelta(days=draw(st.integers(0, 90)))
            item_id = len(plan_items) + 1
            plan_items.append({"id": item_id, "day": day, "order_id": order_id, "kind": kind, "amount": amount,
                               "due_date": due, "due_rule": "oa:30", "currency": currency,
                               "order_number": f"SO{order_id}", "customer_po_no": "PO", "disputed": Decimal("0")})
            entries.append(Entry(day=day, kind=INSTALMENT, currency=currency, debit=amount, order_id=order_id,
                                 order_number=f"SO{order_id}", plan_item_id=item_id, instalment=kind, due_date=due))
        for n in range(draw(st.integers(0, 3))):
            entries.append(Entry(day=day + dt.timedelta(days=draw(st.integers(0, 150))), kind=PAYMENT,
                                 currency=currency, credit=draw(CENTS), order_id=order_id, order_number=f"SO{order_id}",
                                 receipt_number=f"R{order_id}-{n}", seq=n))
    for n in range(draw(st.integers(0, 2))):
        entries.append(Entry(day=BASE_DAY + dt.timedelta(days=draw(st.integers(0, 200))), kind=ON_ACCOUNT,
                             currency=draw(st.sampled_from(["USD", "EUR"])), credit=draw(CENTS),
                             receipt_number=f"A{n}", seq=10**9 + n))
    return entries, plan_items


def _facts(entries, plan_items) -> LedgerFacts:
    return LedgerFacts(customer=Customer(code="C1", name_en="Test"), entries=entries, plan_items=plan_items,
                       rates=RateBook())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=random_ledgers(), cut=st.integers(0, 300), span=st.integers(0, 300))
def test_closing_is_opening_plus_movements_for_any_split(ledger, cut, span):
    entries, plan_items = ledger
    start = BASE_DAY + dt.timedelta(days=cut - 20)
    middle = start + dt.timedelta(days=span // 2)
    end = start + dt.timedelta(days=span)
    whole = statement_build(customer=Customer(code="C1"), start=start, end=end, facts=_facts(entries, plan_items),
                            bounds=(30, 60, 90))
    first = statement_build(customer=Customer(code="C1"), start=start, end=middle,
                            facts=_facts(entries, plan_items), bounds=(30, 60, 90))
    second = statement_build(customer=Customer(code="C1"), start=middle + dt.timedelta(days=1), end=end,
                             facts=_facts(entries, plan_items), bounds=(30, 60, 90))
    for statement in (whole, first, second):
        for c in statement.currencies:
            assert isinstance(c.closing, Decimal)
            assert c.closing == c.opening + sum((e.debit for e in c.movements), Decimal(0)) - sum(
                (e.credit for e in c.movements), Decimal(0))
            assert c.closing == c.opening + c.debit - c.credit
            assert c.open_total == c.closing  # the open items explain the balance, to the cent
            if c.movements:
                assert c.movements[-1].balance == c.closing
    by = {c.currency: c for c in whole.currencies}
    for c in second.currencies:  # the second half opens where the first closed
        before = next((f for f in first.currencies if f.currency == c.currency), None)
        assert c.opening == (before.closing if before else Decimal(0))
        if c.currency in by:
            assert c.closing == by[c.currency].closing
    for currency, c in by.items():
        expected = sum((e.amount for e in entries if e.currency == currency and e.day <= end), Decimal(0))
        assert c.closing == expected


# --- with the database ----------------------------------------------------------------------


@pytest.fixture
def book(db, make_user):
    merch = make_user("merchandiser", language="en")
    customer = CustomerFactory(merchandiser=merch, name_zh="测试客户")
    ContactFactory(customer=customer, email="ap@customer.example", is_primary=True)
    first = SalesOrderFactory(customer=customer, confirmed=True)
    second = SalesOrderFactory(customer=customer, confirmed=True, customer_po_no="PO-4712")
    fin = finance_user()
    receipt_record(actor=fin, customer_id=customer.pk, currency="USD", amount="365.80", bank_charges="5.00",
                   received_on=timezone.localdate(), bank_reference="FT-DEP-1",
                   allocations=[{"order_id": first.pk, "amount": "370.80"}])
    ExchangeRate.objects.create(currency_id="USD", valid_from=timezone.localdate() - dt.timedelta(days=30),
                                cny_per_unit=Decimal("7.1"), set_by=fin, set_at=timezone.now())
    return {"merch": merch, "customer": customer, "orders": [first, second], "finance": fin}


def _url(book, **params):
    today = timezone.localdate()
    query = {"start": (today - dt.timedelta(days=40)).isoformat(), "end": today.isoformat(), **params}
    return f"/receivables/customers/{book['customer'].pk}/statement/?" + "&".join(f"{k}={v}" for k, v in query.items())



@pytest.mark.django_db
@pytest.mark.dates
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_statement_page(book, client_for, language):
    book["finance"].language = language
    book["finance"].save()
    response = client_for(book["finance"]).get(_url(book))
    assert response.status_code == 200
    text = response.content.decode()
    assert "2,101.22" in text  # 2 472.02 owed − 370.80 paid
    assert "对账" in text or language == "en"


@pytest.mark.django_db
@pytest.mark.dates
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_statement_pdf_renders_with_the_closing_balance(book, client_for, lang, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    response = client_for(book["finance"]).get(_url(book, format="pdf", lang=lang))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "soa.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "USD 2,101.22" in text
    assert "STATEMENT OF" in text and book["customer"].code in text
    if lang == "zh":
        assert "期末余额" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "Helvetica" not in fonts and "yes" in fonts  # every font embedded


@pytest.mark.django_db
@pytest.mark.dates
def test_statement_excel_has_the_numbers(book, client_for):
    from openpyxl import load_workbook

    response = client_for(book["merch"]).get(_url(book, format="xlsx"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [tuple(r) for r in wb.active.iter_rows(values_only=True)]
    closing = [r for r in rows if "Closing balance" in r]
    assert closing and Decimal(str(closing[0][-1])) == Decimal("2101.22")
    debits = [Decimal(str(r[4])) for r in rows if len(r) > 4 and isinstance(r[4], (int, float, Decimal))
              and r[2] != "Closing balance"]
    assert sum(debits) == Decimal("2472.02")


@pytest.mark.django_db
@pytest.mark.dates
def test_statement_emailed_on_demand_with_the_pdf(book, client_for, django_capture_on_commit_callbacks):
    client = client_for(book["finance"])
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/receivables/customers/{book['customer'].pk}/statement/",
                               {"start": (today - dt.timedelta(days=40)).isoformat(), "end": today.isoformat()})
    assert response.status_code == 302
    send = StatementSend.objects.get(customer=book["customer"])
    assert send.trigger == "on_demand" and send.email_sent_at is not None
    assert send.closing_balance == {"USD": "2101.22"}
    [message] = mail.outbox
    assert message.to == ["ap@customer.example"]
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")


@pytest.mark.django_db
@pytest.mark.dates
def test_only_finance_sends(book, client_for):
    today = timezone.localdate()
    response = client_for(book["merch"]).post(f"/receivables/customers/{book['customer'].pk}/statement/",
                                              {"start": today.isoformat(), "end": today.isoformat()})
    assert response.status_code == 403
    assert not StatementSend.objects.exists()


@pytest.mark.django_db
@pytest.mark.dates
@pytest.mark.parametrize("case, field", [("reversed", "start"), ("not a date", "start"), ("future", "end"),
                                         ("too long", "start"), ("missing", "end")])
def test_bad_periods_are_refused_naming_the_field(book, client_for, case, field):
    today = timezone.localdate()
    start, end = {
        "reversed": (today, today - dt.timedelta(days=5)),
        "not a date": ("abc", today),
        "future": (today, today + dt.timedelta(days=1)),
        "too long": (today - dt.timedelta(days=4 * 366), today),
        "missing": (today, ""),
    }[case]
    response = client_for(book["finance"]).get(
        f"/receivables/customers/{book['customer'].pk}/statement/?start={start}&end={end}")
    assert response.status_code == 400
    assert response.context["form"].errors.get(field)


@pytest.mark.django_db
@pytest.mark.dates
def test_monthly_run_once_per_customer_and_month(book, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    nxt = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    first = first_working_day(nxt.year, nxt.month)
    assert statements_monthly_due(today=first + dt.timedelta(days=1)) == []
    with django_capture_on_commit_callbacks(execute=True):
        sent = statements_monthly_due(today=first)
    assert len(sent) == 1
    send = StatementSend.objects.get(pk=sent[0])
    assert send.trigger == "monthly" and send.period_end == nxt - dt.timedelta(days=1)
    assert send.period_start == (nxt - dt.timedelta(days=1)).replace(day=1)
    assert len(mail.outbox) == 1
    assert statements_monthly_due(today=first) == []  # a second run the same day: nothing
    assert StatementSend.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.dates
def test_chase_run_calls_the_monthly_statements(book):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("chase_run", stdout=out)
    assert "monthly statement(s) of account" in out.getvalue()


@pytest.mark.django_db
def test_pdf_refuses_a_statement_that_does_not_add_up(book):
    from gendan.documents.pdf.layout import RenderError

    statement = statement_build(customer=book["customer"], start=dt.date(2026, 1, 1), end=timezone.localdate())
    statement.currencies[0].closing += Decimal("0.01")
    with pytest.raises(RenderError):
        render_statement_pdf(statement)
