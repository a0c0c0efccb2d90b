"""Loose ends of the credits (issue 13): a credit closed from its page and the API (with the
reason; not by a role without exportdocs.change_letterofcredit, not out of scope); an advised
amendment that changes the documents required (46A) recorded from the page; the examination
reading the T&A's forecast ETD."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from gendan.core.models import Event
from gendan.exportdocs.forecasts import etd_forecasts
from gendan.exportdocs.models import LetterOfCredit
from gendan.exportdocs.services.credits import credit_register
from gendan.exportdocs.services.examination import credit_examine, credit_findings
from gendan.exportdocs.tests.credits_setup import credit_data, lc_order
from gendan.sales.tests import conftest as sales_fixtures
from gendan.tracking.keys import Milestone
from gendan.tracking.models import OrderMilestone

pytestmark = pytest.mark.django_db
people = sales_fixtures.people
_english_messages = sales_fixtures._english_messages
S = LetterOfCredit.Status


def _workable(people, **changes) -> LetterOfCredit:
    order = lc_order(people)
    credit = credit_register(by=people.merch, data=credit_data(order, **changes))
    credit_examine(by=people.merch, credit=credit)
    credit.refresh_from_db()
    return credit


# --- 1. close a credit from its page and the API ----------------------------------------------


def test_the_credit_page_closes_a_credit_with_the_reason(people, client_for):
    credit = _workable(people)
    assert credit.status == S.ACCEPTED
    merch = client_for(people.merch)
    page = merch.get(credit.get_absolute_url()).content.decode()
    assert reverse("exportdocs:credit_close", args=[credit.pk]) in page and "Close the credit" in page
    url = reverse("exportdocs:credit_close", args=[credit.pk])
    refused = merch.post(url, {"reason": "", "version": credit.version})
    assert refused.status_code == 400 and "reason" in refused.content.decode().lower()
    credit.refresh_from_db()
    assert credit.status == S.ACCEPTED
    response = merch.post(url, {"reason": "fully drawn", "version": credit.version})
    assert response.status_code == 302 and response.url == credit.get_absolute_url()
    credit.refresh_from_db()
    assert credit.status == S.CLOSED
    page = merch.get(credit.get_absolute_url()).content.decode()
    assert "fully drawn" in page and url not in page  # on the timeline; no more close form
    assert Event.objects.filter(kind="exportdocs.credit_closed", object_id=credit.pk).exists()


def test_closing_is_refused_to_roles_without_the_permission_and_out_of_scope(people, client_for):
    credit = _workable(people)
    url = reverse("exportdocs:credit_close", args=[credit.pk])
    warehouse = client_for(people.warehouse)
    assert url not in warehouse.get(credit.get_absolute_url()).content.decode()
    assert warehouse.post(url, {"reason": "x", "version": credit.version}).status_code == 403
    assert client_for(people.other_merch).post(url, {"reason": "x", "version": credit.version}).status_code == 404
    status, _body = _api(warehouse, f"/api/v1/credits/{credit.pk}/close/", {"reason": "x"})
    assert status == 403
    status, _body = _api(client_for(people.other_merch), f"/api/v1/credits/{credit.pk}/close/", {"reason": "x"})
    assert status == 404
    credit.refresh_from_db()
    assert credit.status == S.ACCEPTED


def _api(client, url: str, body: dict):
    response = client.post(url, data=json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    return response.status_code, response.json() if response.content else None


def test_the_api_closes_a_credit_with_the_reason_and_the_version(people, client_for):
    credit = _workable(people)
    api = client_for(people.merch)
    url = f"/api/v1/credits/{credit.pk}/close/"
    status, body = _api(api, url, {"version": credit.version})
    assert status == 400 and body["fields"]
    status, body = _api(api, url, {"reason": "expired undrawn", "version": credit.version - 1})
    assert status == 409
    status, body = _api(api, url, {"reason": "expired undrawn", "version": credit.version})
    assert status == 200 and body["status"] == "closed" and body["version"] == credit.version + 1
    status, body = _api(api, url, {"reason": "again", "version": body["version"]})
    assert status == 409  # a closed credit is not closed twice


# --- 2. an amendment changing the documents required (46A) from the page --------------------


def test_the_page_records_an_amendment_that_changes_the_documents_required(people, client_for):
    credit = _workable(people)
    merch = client_for(people.merch)
    page = merch.get(credit.get_absolute_url()).content.decode()
    assert "commercial_invoice 3 3\nbill_of_lading 3 0\npacking_list 1 2" in page.replace("\r", "")  # prefilled
    lines = "commercial_invoice 3 3\nbill_of_lading 3 0\npacking_list 1 2\nbeneficiary_certificate 1 0 signed in ink"
    url = reverse("exportdocs:amendment_receive", args=[credit.pk])
    bad = merch.post(url, {"documents_required": lines + "\nhoroscope 1", "version": credit.version})
    assert bad.status_code == 400 and "horoscope" in bad.content.decode()
    assert not credit.amendments.exists()
    response = merch.post(url, {"documents_required": lines, "version": credit.version})
    assert response.status_code == 302
    amendment = credit.amendments.get()
    assert list(amendment.changes) == ["documents_required"]
    page = merch.get(credit.get_absolute_url()).content.decode()
    assert "beneficiary_certificate 1/0 (signed in ink)" in page
    credit.refresh_from_db()
    assert merch.post(reverse("exportdocs:amendment_accept", args=[credit.pk, amendment.pk]),
                      {"version": credit.version}).status_code == 302
    credit.refresh_from_db()
    assert credit.documents_required[-1] == {"kind": "beneficiary_certificate", "originals": 1, "copies": 0,
                                             "note": "signed in ink"}
    assert len(credit.documents_required) == 4


def test_lines_left_as_they_are_change_nothing_beside_the_other_fields(people, client_for):
    credit = _workable(people)
    merch = client_for(people.merch)
    unchanged = "commercial_invoice 3 3\nbill_of_lading 3 0\npacking_list 1 2"
    response = merch.post(reverse("exportdocs:amendment_receive", args=[credit.pk]), {
        "field_0": "charges", "value_0": "All charges outside China for the applicant",
        "documents_required": unchanged, "version": credit.version})
    assert response.status_code == 302
    assert list(credit.amendments.get().changes) == ["charges"]


# --- 4. the examination reads the T&A's forecast ETD ---------------------------------------


def test_an_order_whose_forecast_etd_slipped_past_the_latest_shipment_gets_the_finding(people):
    order = lc_order(people)
    credit = credit_register(by=people.merch, data=credit_data(order))
    assert "latest_shipment_too_early" not in {f["code"] for f in credit_findings(credit)}
    etd = OrderMilestone.objects.get(order=order, key=Milestone.ETD)  # the T&A generated on confirmation
    slipped = credit.latest_shipment_date + dt.timedelta(days=5)
    OrderMilestone.objects.filter(pk=etd.pk).update(forecast_date=slipped)
    assert etd_forecasts([order]) == {order.pk: slipped}
    findings = {f["code"]: f for f in credit_findings(credit)}
    assert "latest_shipment_too_early" in findings and findings["latest_shipment_too_early"]["amendment"]
    assert slipped.isoformat() in findings["latest_shipment_too_early"]["message"]
    credit_examine(by=people.merch, credit=credit)
    credit.refresh_from_db()
    assert credit.status == S.AMENDMENT_NEEDED
