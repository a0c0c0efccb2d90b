"""Importing a bank statement, the proposals, and finance's decisions: nothing is allocated
without a person; a confirmation records the receipt and its allocations or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from gendan.core.errors import BusinessError, NotAllowed, ValidationFailed
from gendan.core.models import Event
from gendan.finance.models import PaymentPlanItem, Receipt, ReceiptAllocation
from gendan.receivables.models import BankStatement, BankStatementLine
from gendan.receivables.selectors.bank import LIKELY, NONE, STRONG, WEAK, line_proposals, normalise_name
from gendan.receivables.services.bank import (
    bank_line_confirm,
    bank_line_link,
    bank_line_reopen,
    bank_line_set_aside,
    bank_statement_import,
)
from gendan.receivables.tests.fixtures_bank import make_bank_world, sample, upload
from tests.factories import pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank_world(make_user):
    return make_bank_world(make_user)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def imported(w, name="boc_usd_gbk.csv", data=None, currency="USD"):
    return bank_statement_import(actor=w.finance, upload=upload(data or sample(name), name), currency=currency)


def proposals_of(w, statement):
    lines = list(statement.lines.order_by("line_no"))
    found = line_proposals(lines, user=w.finance, currency=statement.currency_id)
    return [found[ln.pk] for ln in lines]


def test_import_stores_the_credit_lines_open_and_allocates_nothing(bank_world):
    w = bank_world
    result = imported(w)
    st = result.statement
    assert (st.layout, st.currency_id, st.lines_count, result.debits_skipped) == ("csv", "USD", 3, 1)
    assert list(st.lines.values_list("status", flat=True)) == ["open"] * 3
    assert not Receipt.objects.exists() and not ReceiptAllocation.objects.exists()
    assert Event.objects.filter(kind="receivables.bank_statement_imported").count() == 1


def test_the_same_file_twice_is_refused_and_nothing_is_saved(bank_world):
    w = bank_world
    imported(w)
    with pytest.raises(ValidationFailed) as refused:
        imported(w, data=sample("boc_usd_gbk.csv"), name="renamed.csv")
    assert refused.value.code == "bank_file_duplicate" and "already imported" in refused.value.message
    assert BankStatement.objects.count() == 1 and BankStatementLine.objects.count() == 3


def test_a_file_with_bad_rows_saves_nothing_and_lists_every_problem(bank_world):
    w = bank_world
    data = b"Date,Credit\n2026-02-30,5.00\n2026-03-01,abc\n2026-03-02,7.00\n"
    with pytest.raises(ValidationFailed) as refused:
        imported(w, data=data, name="bad.csv")
    assert refused.value.code == "bank_file_unreadable"
    assert [m.split(":")[0].split(",")[0] for m in refused.value.fields["file"]] == ["Row 2", "Row 3"]
    assert not BankStatement.objects.exists() and not BankStatementLine.objects.exists()


def test_an_unknown_layout_is_refused_with_the_column_named(bank_world):
    with pytest.raises(ValidationFailed) as refused:
        imported(bank_world, data=b"foo,bar\n1,2\n", name="x.csv")
    assert "Value date" in refused.value.message and "foo, bar" in refused.value.message


def test_an_unknown_currency_and_a_role_without_permission_are_refused(bank_world):
    w = bank_world
    with pytest.raises(ValidationFailed) as refused:
        imported(w, currency="XXX")
    assert "currency" in refused.value.fields
    with pytest.raises(NotAllowed):
        bank_statement_import(actor=w.merch, upload=upload(sample("boc_usd_gbk.csv")), currency="USD")
    assert not BankStatement.objects.exists()


def test_proposals_reference_exact_sum_and_charges(bank_world):
    w = bank_world
    nord, lake, unknown = proposals_of(w, imported(w).statement)
    # PO-4711 named, the payer is the customer, the amount is deposit + balance
    assert (nord.customer, nord.strength) == (w.nord, STRONG)
    assert [(a.order, a.amount) for a in nord.allocations] == [(w.nord_order, Decimal("1236.01"))]
    assert nord.bank_charges == 0
    assert any("customer PO PO-4711" in r for r in nord.reasons)
    assert any("sum of the open" in r for r in nord.reasons)
    # 840.21 received for a balance of 865.21: USD 25.00 of bank charges
    assert (lake.customer, lake.strength, lake.bank_charges) == (w.lake, STRONG, Decimal("25.00"))
    assert [(a.order, a.amount) for a in lake.allocations] == [(w.lake_order, Decimal("865.21"))]
    assert any("USD 25.00 less than the open" in r and "bank charges" in r for r in lake.reasons)
    assert (unknown.customer, unknown.strength, unknown.allocations) == (None, NONE, [])


def test_proposal_by_name_and_amount_alone_and_by_amount_alone(bank_world):
    w = bank_world
    harb, lake = proposals_of(w, imported(w, "cmb_usd.xlsx").statement)
    assert (harb.customer, harb.strength) == (w.harb, LIKELY)
    assert [(a.order, a.amount) for a in harb.allocations] == [(w.harb_order, Decimal("370.80"))]
    # the Chinese name, and the charges the statement gives make the deposit exactly
    assert (lake.customer, lake.bank_charges) == (w.lake, Decimal("20.00"))
    assert [a.amount for a in lake.allocations] == [Decimal("370.80")]
    # a payer nobody knows, an amount only one customer owes
    pay(w.nord_order, "370.80", actor=w.finance)
    pay(w.lake_order, "370.80", actor=w.finance)
    data = b"Date,Credit,Payer,Bank reference\n2026-03-10,865.21,J. SMITH PRIVATE,ZZ1\n"
    (only,) = proposals_of(w, imported(w, data=data, name="y.csv").statement)
    assert only.strength == NONE and only.customer is None  # two customers owe 865.21: no guess
    assert any("3 customers have an instalment of this amount" in r for r in only.reasons)
    pay(w.harb_order, "370.80", actor=w.finance)
    PaymentPlanItem.objects.filter(order=w.nord_order, kind="balance").update(received_amount=Decimal("100"))
    PaymentPlanItem.objects.filter(order=w.lake_order, kind="balance").update(received_amount=Decimal("100"))
    data = b"Date,Credit,Payer,Bank reference\n2026-03-10,865.21,J. SMITH PRIVATE,ZZ2\n"
    (only,) = proposals_of(w, imported(w, data=data, name="z.csv").statement)
    assert (only.customer, only.strength) == (w.harb, WEAK)
    assert any("only HARB" in r for r in only.reasons)


def test_an_order_number_without_dashes_is_found(bank_world):
    w = bank_world
    number = w.lake_order.number.replace("-", "")
    data = f"Date,Credit,Payer,Reference,Bank reference\n2026-03-10,1000.00,Someone,INV {number},R9\n".encode()
    (prop,) = proposals_of(w, imported(w, data=data, name="r.csv").statement)
    assert prop.customer == w.lake and prop.strength == LIKELY
    assert [(a.order, a.amount) for a in prop.allocations] == [(w.lake_order, Decimal("1000.00"))]


def test_a_line_already_recorded_is_marked_and_can_be_linked(bank_world):
    w = bank_world
    receipt = pay(w.nord_order, "1236.01", actor=w.finance, reference="BOC260302000118")
    st = imported(w).statement
    nord = proposals_of(w, st)[0]
    assert nord.already == receipt and "already recorded as receipt" in nord.reasons[0]
    line = st.lines.get(line_no=1)
    with pytest.raises(ValidationFailed) as refused:  # confirming would record it twice
        bank_line_confirm(actor=w.finance, line_id=line.pk, customer_id=w.nord.pk)
    assert refused.value.code == "duplicate_bank_reference"
    bank_line_link(actor=w.finance, line_id=line.pk)
    line.refresh_from_db()
    assert (line.status, line.receipt, line.decided_by) == ("recorded", receipt, w.finance)
    with pytest.raises(ValidationFailed) as refused:
        bank_line_link(actor=w.finance, line_id=st.lines.get(line_no=3).pk)
    assert refused.value.code == "bank_no_existing_receipt"


def test_confirm_records_the_receipt_allocates_and_updates_the_order(bank_world):
    w = bank_world
    st = imported(w).statement
    line = st.lines.get(line_no=2)
    receipt = bank_line_confirm(actor=w.finance, line_id=line.pk, customer_id=w.lake.pk, bank_charges="25.00",
                                allocations=[{"order_id": w.lake_order.pk, "amount": "865.21"}])
    assert (receipt.customer, receipt.amount, receipt.bank_charges, receipt.bank_reference) == (
        w.lake, Decimal("840.21"), Decimal("25.00"), "BOC260305000077")
    assert receipt.received_on.isoformat() == "2026-03-05" and receipt.payer_name == "Lakeside Trading LLC"
    assert list(receipt.allocations.values_list("order_id", "amount")) == [(w.lake_order.pk, Decimal("865.21"))]
    w.lake_order.refresh_from_db()
    assert w.lake_order.received_amount == Decimal("865.21")
    line.refresh_from_db()
    assert (line.status, line.receipt, line.decided_by, line.bank_charges) == (
        "recorded", receipt, w.finance, Decimal("25.00"))
    assert line.decided_at is not None
    assert Event.objects.filter(kind="receivables.bank_line_recorded").count() == 1
    # the other lines stay open: nothing was allocated for them
    assert list(st.lines.exclude(pk=line.pk).values_list("status", flat=True)) == ["open", "open"]


def test_a_refused_confirmation_saves_nothing(bank_world):
    w = bank_world
    line = imported(w).statement.lines.get(line_no=1)
    with pytest.raises(ValidationFailed) as refused:  # more than the order owes
        bank_line_confirm(actor=w.finance, line_id=line.pk, customer_id=w.nord.pk, bank_charges="500",
                          allocations=[{"order_id": w.nord_order.pk, "amount": "1736.01"}])
    assert "Allocation 1" in refused.value.message
    with pytest.raises(ValidationFailed):  # another customer's order
        bank_line_confirm(actor=w.finance, line_id=line.pk, customer_id=w.nord.pk,
                          allocations=[{"order_id": w.lake_order.pk, "amount": "10"}])
    with pytest.raises(ValidationFailed):  # bad values
        bank_line_confirm(actor=w.finance, line_id=line.pk, customer_id=w.nord.pk, bank_charges="abc")
    with pytest.raises(ValidationFailed):
        bank_line_confirm(actor=w.finance, line_id=line.pk, customer_id="x")
    assert not Receipt.objects.exists() and not ReceiptAllocation.objects.exists()
    line.refresh_from_db()
    assert line.status == "open" and line.receipt is None
    w.nord_order.refresh_from_db()
    assert w.nord_order.received_amount == 0


def test_a_second_confirmation_of_the_same_line_is_refused(bank_world):
    w = bank_world
    line = imported(w).statement.lines.get(line_no=1)
    bank_line_confirm(actor=w.finance, line_id=line.pk, customer_id=w.nord.pk,
                      allocations=[{"order_id": w.nord_order.pk, "amount": "1236.01"}])
    with pytest.raises(BusinessError) as refused:  # a colleague's page, loaded before
        bank_line_confirm(actor=w.finance2, line_id=line.pk, customer_id=w.nord.pk)
    assert refused.value.code == "bank_line_decided" and refused.value.status == 409
    with pytest.raises(BusinessError):
        bank_line_set_aside(actor=w.finance2, line_id=line.pk, note="duplicate")
    assert Receipt.objects.count() == 1


def test_set_aside_needs_a_reason_and_is_recorded(bank_world):
    w = bank_world
    line = imported(w).statement.lines.get(line_no=3)
    with pytest.raises(ValidationFailed):
        bank_line_set_aside(actor=w.finance, line_id=line.pk, note="x")
    with pytest.raises(NotAllowed):
        bank_line_set_aside(actor=w.manager, line_id=line.pk, note="not ours")
    bank_line_set_aside(actor=w.finance, line_id=line.pk, note="refund of a supplier")
    line.refresh_from_db()
    assert (line.status, line.note, line.decided_by) == ("ignored", "refund of a supplier", w.finance)
    assert Event.objects.filter(kind="receivables.bank_line_set_aside").count() == 1
    assert not Receipt.objects.exists()


def test_a_line_set_aside_by_mistake_reopens_with_a_reason_and_can_then_be_recorded(bank_world):
    w = bank_world
    line = imported(w).statement.lines.get(line_no=1)
    with pytest.raises(BusinessError) as refused:  # open: nothing to reopen
        bank_line_reopen(actor=w.finance, line_id=line.pk, reason="by mistake")
    assert refused.value.code == "bank_line_not_set_aside" and refused.value.status == 409
    bank_line_set_aside(actor=w.finance, line_id=line.pk, note="looked like interest")
    with pytest.raises(NotAllowed):
        bank_line_reopen(actor=w.manager, line_id=line.pk, reason="it is Nordlicht's payment")
    with pytest.raises(ValidationFailed):
        bank_line_reopen(actor=w.finance, line_id=line.pk, reason="")
    bank_line_reopen(actor=w.finance2, line_id=line.pk, reason="it is Nordlicht's payment")
    line.refresh_from_db()
    assert (line.status, line.note, line.decided_by) == ("open", "", None)
    reopened = Event.objects.get(kind="receivables.bank_line_reopened")
    assert reopened.actor == w.finance2 and "Nordlicht" in reopened.reason
    assert Event.objects.filter(kind="receivables.bank_line_set_aside").count() == 1  # the history stays
    bank_line_confirm(actor=w.finance, line_id=line.pk, customer_id=w.nord.pk,
                      allocations=[{"order_id": w.nord_order.pk, "amount": "1236.01"}])
    line.refresh_from_db()
    assert line.status == "recorded"
    with pytest.raises(BusinessError) as recorded:  # a recorded line is undone in finance, not here
        bank_line_reopen(actor=w.finance, line_id=line.pk, reason="by mistake")
    assert recorded.value.code == "bank_line_not_set_aside"


def test_proposals_of_a_page_take_a_fixed_number_of_queries(bank_world, django_assert_max_num_queries):
    w = bank_world
    rows = "".join(f"2026-03-0{1 + i % 9},{100 + i}.00,Payer {i},REF{i},PO-4711 SO2603-000{i % 3}\n" for i in range(50))
    st = imported(w, data=("Date,Credit,Payer,Bank reference,Reference\n" + rows).encode(), name="many.csv").statement
    lines = list(st.lines.all())
    with django_assert_max_num_queries(6):
        found = line_proposals(lines, user=w.finance, currency="USD")
    assert len(found) == 50


@pytest.mark.parametrize(("raw", "norm"), [("Nordlicht Home GmbH", "nordlicht home"),
                                           ("HARBOUR & CO., LTD.", "harbour"),
                                           ("湖畔贸易有限公司", "湖畔")])
def test_names_are_normalised(raw, norm):
    assert normalise_name(raw) == norm


@pytest.mark.parametrize(("payer", "code", "why"), [
    ("NORDLICHT HOME GMBH", "NORD", "is the customer's name"),
    ("Nordlicht Home GmbH Hamburg Branch", "NORD", "contains the customer's name"),
    ("Nordlict Home", "NORD", "is close to the customer's name"),
    ("浙江湖畔贸易有限公司", "LAKE", "contains the customer's name"),
    ("J. SMITH", None, ""),
])
def test_payer_names_are_matched_explainably(bank_world, payer, code, why):
    from gendan.receivables.selectors.bank import CustomerIndex

    found = CustomerIndex(bank_world.finance).match(payer)
    assert (found.customer.code if found else None) == code
    assert why in (found.reason if found else "")


def test_the_customer_code_in_the_remittance_names_the_customer(bank_world):
    from gendan.receivables.selectors.bank import CustomerIndex

    found = CustomerIndex(bank_world.finance).match("SOMEONE ELSE", "PAYMENT FOR HARB ORDER")
    assert found.customer == bank_world.harb and "customer code HARB" in found.reason
