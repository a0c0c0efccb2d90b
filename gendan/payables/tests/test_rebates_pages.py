"""The rebate and profit pages and API: zh / en, roles (403 / 404), bad input 400 naming the field,
the profit panel only for roles that may see cost, Excel numbers numeric and as shown."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.payables.models import TaxRebate
from gendan.payables.services.rebates import rebate_record
from gendan.payables.tests.test_rebates_world import declaration_no, factory_invoice, make_order
from tests.factories import UserFactory
from tests.xlsx_export import export_rows

pytestmark = pytest.mark.django_db


def _xlsx(response) -> list[list]:
    return export_rows(response)


def _send(client, method: str, url: str, body=None):
    if method == "get":
        return client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    return getattr(client, method)(url, data=json.dumps(body if body is not None else {}),
                                   content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def world():
    w = make_order()
    factory_invoice(w)
    blocked = make_order(finance=w.finance)
    factory_invoice(blocked, vat=False)
    rebate = rebate_record(actor=w.finance, shipment_id=w.shipment.pk, declaration_no=declaration_no(30),
                           declared_on=timezone.localdate())
    waiting = rebate_record(actor=w.finance, shipment_id=blocked.shipment.pk, declaration_no=declaration_no(31),
                            declared_on=timezone.localdate())
    return w, blocked, rebate, waiting


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_in_both_languages(world, client_for, language):
    w, blocked, rebate, waiting = world
    w.finance.language = language
    w.finance.save(update_fields=["language"])
    client = client_for(w.finance)
    for url in (reverse("payables:rebate_list"), reverse("payables:rebate_blocked"), reverse("payables:rebate_add"),
                reverse("payables:rebate_detail", args=[rebate.pk]), reverse("payables:rebate_detail", args=[waiting.pk]),
                reverse("payables:profit_report"), w.order.get_absolute_url()):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
    page = client.get(reverse("payables:rebate_blocked"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "Dongguan One" in page or "东莞一厂" in page
    if language == "zh-hans":
        assert "出口退税" in client.get(reverse("payables:rebate_list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_list_excel_is_what_is_shown_and_numeric(world, client_for):
    w, _blocked, rebate, _waiting = world
    client = client_for(w.finance)
    rows = _xlsx(client.get(reverse("payables:rebate_list") + "?status=ready&export=xlsx"))
    assert len(rows) == 2  # header + the one ready rebate
    assert rows[1][0] == rebate.declaration_no
    assert isinstance(rows[1][6], (int, float)) and Decimal(str(rows[1][6])) == Decimal("1000")
    blocked_rows = _xlsx(client.get(reverse("payables:rebate_blocked") + "?export=xlsx"))
    assert blocked_rows[1][4] in ("Dongguan One", "东莞一厂") and isinstance(blocked_rows[1][7], int)


def test_form_refuses_bad_declaration_with_400(world, client_for):
    w, _blocked, rebate, _waiting = world
    third = make_order(finance=w.finance)
    client = client_for(w.finance)
    response = client.post(reverse("payables:rebate_add"), {"shipment": third.shipment.pk, "declaration_no": "123",
                                                              "declared_on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    response = client.post(reverse("payables:rebate_add"), {"shipment": third.shipment.pk,
                                                              "declaration_no": rebate.declaration_no,
                                                              "declared_on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert not TaxRebate.objects.filter(shipment=third.shipment).exists()


def test_roles_on_pages(world, client_for):
    w, _blocked, rebate, _waiting = world
    qc = client_for(UserFactory(roles=["qc"], language="en"))
    assert qc.get(reverse("payables:rebate_list")).status_code == 403
    assert qc.get(reverse("payables:rebate_detail", args=[rebate.pk])).status_code == 404
    stranger = client_for(UserFactory(roles=["merchandiser"], language="en"))
    assert stranger.get(reverse("payables:rebate_detail", args=[rebate.pk])).status_code == 404
    merch = client_for(w.merch)
    response = merch.post(reverse("payables:rebate_file", args=[rebate.pk]),
                          {"filed_on": timezone.localdate().isoformat(), "version": rebate.version})
    assert response.status_code == 403
    rebate.refresh_from_db()
    assert rebate.status == TaxRebate.Status.READY


def test_profit_panel_only_for_roles_that_see_cost(world, client_for):
    w, *_rest = world
    url = w.order.get_absolute_url() + "?tab=money"
    assert 'data-testid="profit-panel"' in client_for(w.finance).get(url).content.decode()
    assert 'data-testid="profit-panel"' in client_for(w.merch).get(url).content.decode()
    planner = UserFactory(roles=["production_planner"], language="en")
    response = client_for(planner).get(url)
    assert response.status_code == 200 and 'data-testid="profit-panel"' not in response.content.decode()
    sales = UserFactory(roles=["sales"], language="en")
    assert 'profit-panel' not in client_for(sales).get(url).content.decode()
    assert client_for(planner).get(reverse("payables:profit_report")).status_code == 403


def test_order_cost_from_the_panel(world, client_for):
    w, *_rest = world
    client = client_for(w.finance)
    url = reverse("payables:order_cost_add", args=[w.order.pk])
    bad = client.post(url, {"kind": "commission", "currency": "USD", "amount": "-3",
                            "incurred_on": timezone.localdate().isoformat()})
    assert bad.status_code == 400 and not w.order.extra_costs.exists()
    ok = client.post(url, {"kind": "commission", "currency": "USD", "amount": "30",
                           "incurred_on": timezone.localdate().isoformat()})
    assert ok.status_code == 302 and w.order.extra_costs.count() == 1
    assert client_for(w.merch).post(url, {"kind": "commission", "currency": "USD", "amount": "30",
                                          "incurred_on": timezone.localdate().isoformat()}).status_code == 403


def test_profit_report_excel_numeric_and_totals(world, client_for):
    w, *_rest = world
    client = client_for(w.finance)
    rows = _xlsx(client.get(reverse("payables:profit_report") + "?group_by=customer&export=xlsx"))
    body, total = rows[1:-1], rows[-1]
    assert len(body) == 2
    for col in (1, 2, 3, 4, 5, 7):
        assert all(isinstance(r[col], (int, float)) for r in [*body, total])
        assert Decimal(str(total[col])) == sum(Decimal(str(r[col])) for r in body)


def test_api(world, client_for):
    w, blocked, rebate, waiting = world
    api = client_for(w.finance)
    listed = _send(api, "get", "/api/v1/rebates/?status=waiting").json()
    assert [r["id"] for r in listed["results"]] == [waiting.pk]
    detail = _send(api, "get", f"/api/v1/rebates/{waiting.pk}/").json()
    assert detail["missing"][0]["supplier_name"] in ("Dongguan One", "东莞一厂")
    refused = _send(api, "post", f"/api/v1/rebates/{waiting.pk}/file/", {"filed_on": timezone.localdate().isoformat()})
    assert refused.status_code == 409 and refused.json()["code"] == "rebate_vat_missing"
    filed = _send(api, "post", f"/api/v1/rebates/{rebate.pk}/file/", {"filed_on": timezone.localdate().isoformat(),
                                                                     "version": rebate.version})
    assert filed.status_code == 200 and filed.json()["status"] == "filed"
    for amount in ("-1", "1e40", "99999999999999999999"):
        bad = _send(api, "post", f"/api/v1/rebates/{rebate.pk}/receive/",
                    {"amount": amount, "received_on": timezone.localdate().isoformat()})
        assert bad.status_code == 400 and "amount" in bad.json()["fields"], amount
    got = _send(api, "post", f"/api/v1/rebates/{rebate.pk}/receive/",
                {"amount": "1000.00", "received_on": timezone.localdate().isoformat()})
    assert got.json()["status"] == "received" and got.json()["difference"] == "0.00"
    third = make_order(finance=w.finance)
    bad_no = _send(api, "post", "/api/v1/rebates/", {"shipment": third.shipment.pk, "declaration_no": "12",
                                                     "declared_on": timezone.localdate().isoformat()})
    assert bad_no.status_code == 400 and "declaration_no" in bad_no.json()["fields"]
    created = _send(api, "post", "/api/v1/rebates/", {"shipment": third.shipment.pk,
                                                      "declaration_no": declaration_no(32),
                                                      "declared_on": timezone.localdate().isoformat()})
    assert created.status_code == 201
    profit = _send(api, "get", f"/api/v1/order-profits/{w.order.pk}/").json()
    assert {line["key"] for line in profit["lines"]} >= {"selling", "production", "rebate"}
    report = _send(api, "get", "/api/v1/profit-report/?group_by=month").json()
    assert report["total"]["orders"] == sum(r["orders"] for r in report["rows"])
    qc = client_for(UserFactory(roles=["qc"], language="en"))
    assert _send(qc, "get", "/api/v1/rebates/").status_code == 403
    assert _send(qc, "get", f"/api/v1/order-profits/{w.order.pk}/").status_code == 403
    assert _send(qc, "get", "/api/v1/profit-report/").status_code == 403
    merch = client_for(w.merch)
    assert _send(merch, "post", f"/api/v1/rebates/{waiting.pk}/file/",
                 {"filed_on": timezone.localdate().isoformat()}).status_code in (403, 404)


def test_lists_read_in_bounded_queries(world, client_for, django_assert_max_num_queries):
    w, *_rest = world
    client = client_for(w.finance)
    for n in (40, 41):
        extra = make_order(finance=w.finance)
        factory_invoice(extra, vat=n == 40)
        rebate_record(actor=w.finance, shipment_id=extra.shipment.pk, declaration_no=declaration_no(n),
                      declared_on=timezone.localdate())
    with django_assert_max_num_queries(25):
        assert client.get(reverse("payables:rebate_list")).status_code == 200
    with django_assert_max_num_queries(25):
        response = client.get(reverse("payables:rebate_blocked"))
    assert response.content.decode().count("data-factory=") == 2
