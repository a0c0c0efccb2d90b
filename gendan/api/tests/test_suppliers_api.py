"""Suppliers through the API: the supplier page's list filters, create and edit through
``parties.services`` — who may (403, nothing saved), the code and credit-code rules (400), a
stale version (409, nothing changed) and the timeline row of each change."""

from __future__ import annotations

import pytest

from gendan.core.events import timeline_for
from gendan.parties.models import Supplier
from gendan.sales.tests.conftest import people  # noqa: F401  (the order people: planner, qc, warehouse …)
from tests.factories import ContactFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_supplier_list_filters_and_paginates(api_for, people):  # noqa: F811
    SupplierFactory(code="MAT1", kind="material_supplier", name_en="Clay Works", is_active=False)
    ContactFactory(supplier=people.factory, email="boss@fac1.example", is_primary=True)
    api = api_for(people.planner)
    body = api.get("suppliers/").json()
    assert body["count"] == 3 and [r["code"] for r in body["results"]] == ["FAC1", "FWD1", "MAT1"]
    assert [r["code"] for r in api.get("suppliers/", {"kind": "forwarder"}).json()["results"]] == ["FWD1"]
    assert [r["code"] for r in api.get("suppliers/", {"q": "clay", "active": "0"}).json()["results"]] == ["MAT1"]
    detail = api.get(f"suppliers/{people.factory.pk}/").json()
    assert detail["name_zh"] == "东莞一厂" and detail["contacts"][0]["email"] == "boss@fac1.example"
    bad = api.get("suppliers/", {"kind": "shipyard", "active": "yes"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"kind", "active"}
    assert api.get("suppliers/999999/").status_code == 404
    # the warehouse sees no suppliers on the pages: none in the API either
    assert api_for(people.warehouse).get("suppliers/").status_code == 403


def test_create_numbers_the_supplier_and_records_it(api_for, people):  # noqa: F811
    api = api_for(people.merch)
    response = api.post("suppliers/", {"kind": "outsourced_factory", "name_zh": "宁波二厂", "country": "CN",
                                       "daily_capacity": 5000, "credit_code": "91350100 M000100Y43"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"].startswith("S") or body["code"]  # numbered by the sequence
    supplier = Supplier.objects.get(pk=body["id"])
    assert supplier.credit_code == "91350100M000100Y43" and supplier.daily_capacity == 5000
    assert [e.verb for e in timeline_for(supplier)] == ["created"]


def test_who_may_not_create_changes_nothing_and_bad_input_is_named(api_for, people):  # noqa: F811
    before = Supplier.objects.count()
    refused = api_for(people.sales).post("suppliers/", {"kind": "forwarder", "name_en": "Fast Freight",
                                                        "country": "CN"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    api = api_for(people.merch)
    nameless = api.post("suppliers/", {"kind": "forwarder", "country": "CN"})
    assert nameless.status_code == 400 and "name_zh" in nameless.json()["fields"]
    bad = api.post("suppliers/", {"kind": "forwarder", "name_en": "X", "country": "CN",
                                  "credit_code": "91350100M000100Y44"})
    assert bad.status_code == 400 and "GB 32100" in bad.json()["fields"]["credit_code"][0]
    duplicate = api.post("suppliers/", {"code": "fac1", "kind": "forwarder", "name_en": "X", "country": "CN"})
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "duplicate_code"
    wrong_type = api.post("suppliers/", {"kind": "shipyard", "name_en": "X", "country": "XX"})
    assert wrong_type.status_code == 400 and {"kind", "country"} <= set(wrong_type.json()["fields"])
    assert Supplier.objects.count() == before


def test_edit_needs_the_current_version(api_for, people):  # noqa: F811
    supplier = people.factory
    api = api_for(people.merch)
    edited = api.patch(f"suppliers/{supplier.pk}/", {"version": supplier.version, "city": "Dongguan",
                                                     "reason": "moved"})
    assert edited.status_code == 200, edited.json()
    assert edited.json()["city"] == "Dongguan" and edited.json()["version"] == supplier.version + 1
    event = timeline_for(supplier).first()
    assert event.verb == "updated" and event.reason == "moved" and event.changes["city"]["new"] == "Dongguan"
    stale = api.patch(f"suppliers/{supplier.pk}/", {"version": supplier.version, "city": "Shenzhen"})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    missing_version = api.patch(f"suppliers/{supplier.pk}/", {"city": "Shenzhen"})
    assert missing_version.status_code == 400 and "version" in missing_version.json()["fields"]
    assert api_for(people.qc).patch(f"suppliers/{supplier.pk}/", {"version": supplier.version + 1,
                                                                  "city": "Shenzhen"}).status_code == 403
    supplier.refresh_from_db()
    assert supplier.city == "Dongguan"
