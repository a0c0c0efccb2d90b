"""The list pages' Excel exports as a merchandiser opens them: the list's name, the filters and the
time on top, Chinese headers in a Chinese session, numbers as numbers, dates as dates, totals
per currency, composite page text ("1200 / 1200") as separate numeric columns."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from gendan.core.xlsx import HEADER_ROW, MONEY
from gendan.production.views import ProductionOrderListView
from gendan.sales.views.orders import OrderListView
from tests.factories import CustomerFactory, SalesOrderFactory
from tests.xlsx_export import export_rows, export_sheet, export_totals

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def merch(make_user):
    return make_user("merchandiser", language="zh-hans")


@pytest.fixture
def customer(merch):
    return CustomerFactory(merchandiser=merch)


def test_order_export_in_a_chinese_session(merch, customer, client_for):
    first = SalesOrderFactory(customer=customer)
    second = SalesOrderFactory(customer=customer, customer_po_no="PO-4712")
    SalesOrderFactory(customer=customer, confirmed=True)  # filtered out

    response = client_for(merch).get(reverse("sales:order_list"), {"status": "draft", "export": "xlsx"})

    assert response.status_code == 200
    sheet = export_sheet(response)
    with translation.override("zh-hans"):
        title, status_label, draft = "销售订单", "状态", "草稿"
        expected_headers = [str(c.label) for c in OrderListView.columns if c.default or c.key == "currency_id"]
    assert sheet["A1"].value == title
    assert sheet["A2"].value == f"筛选条件：{status_label}: {draft}"
    assert sheet["A3"].value.startswith("导出于 2026-03-11 07:30")  # the pinned clock, company time
    assert str(merch) in sheet["A3"].value
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"

    header, *rows = export_rows(response)
    assert header == expected_headers
    assert all(CJK.search(h) for h in header), header  # no English header left in a Chinese session
    assert sorted(r[0] for r in rows) == sorted([str(first), str(second)])

    keys = [c.key for c in OrderListView.columns if c.default or c.key == "currency_id"]
    total_col = header.index(expected_headers[keys.index("total_amount")])
    data_cell = sheet.cell(HEADER_ROW + 1, total_col + 1)
    assert data_cell.data_type == "n" and data_cell.number_format == MONEY
    po_date = sheet.cell(HEADER_ROW + 1, header.index(str(expected_headers[3])) + 1)
    assert po_date.is_date and po_date.value.date() == first.customer_po_date

    (totals,) = export_totals(response)
    assert "USD" in totals
    assert Decimal(str(totals[total_col])) == first.total_amount + second.total_amount == Decimal("2472.02")
    assert CJK.search(totals[0])  # 合计 …


def test_production_export_splits_produced_and_quantity_into_numbers(make_user, client_for):
    planner = make_user("merchandiser", language="en")
    order = SalesOrderFactory(customer=CustomerFactory(merchandiser=planner), in_production=True)

    response = client_for(planner).get(reverse("production:production_order_list"), {"export": "xlsx"})

    assert response.status_code == 200
    header, *rows = export_rows(response)
    keys = [c.key for c in ProductionOrderListView().export_columns()]
    assert "produced / quantity" not in header
    assert {"produced", "quantity", "currency", "amount"} <= set(header)
    assert rows and all(isinstance(r[keys.index("qty")], (int, float)) for r in rows)
    assert sum(r[keys.index("qty")] for r in rows) == sum(line.quantity for line in order.lines.all())
    assert all(r[keys.index("produced_qty")] == 0 for r in rows)
    (totals,) = export_totals(response)
    assert totals[keys.index("qty")] == sum(r[keys.index("qty")] for r in rows)
    assert export_sheet(response)["A2"].value == "Filters: none (every row you may see)"


def test_the_filters_are_written_in_words_with_the_sort(make_user, client_for):
    merch = make_user("merchandiser", language="en")
    customer = CustomerFactory(merchandiser=merch)
    SalesOrderFactory(customer=customer)

    response = client_for(merch).get(reverse("sales:order_list"), {
        "customer": customer.code, "po_from": "2026-03-01", "status": "", "sort": "-total_amount", "export": "xlsx"})

    assert export_sheet(response)["A2"].value == (
        f"Filters: customer: {customer}; PO date from: 2026-03-01; sorted by: total, descending")
    assert len(export_rows(response)) == 2
