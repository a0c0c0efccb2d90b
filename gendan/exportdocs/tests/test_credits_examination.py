"""审证 and 改证: a credit examined against its order finds what must change; the bank's
amendment, accepted, fixes it and the credit is examined again at once; a refused amendment
leaves the credit as it was. And the ship gate: an L/C order ships only under a workable credit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gendan.core.errors import BusinessError, NotAllowed, TransitionNotAllowed, ValidationFailed
from gendan.core.models import Event
from gendan.exportdocs.models import CreditAmendment, LetterOfCredit
from gendan.exportdocs.services.amendments import (
    amendment_accept,
    amendment_receive,
    amendment_refuse,
    amendment_request,
)
from gendan.exportdocs.services.credits import credit_register
from gendan.exportdocs.services.examination import credit_examine
from gendan.exportdocs.tests.credits_setup import credit_data, lc_order
from gendan.sales.tests import conftest as sales_fixtures
from gendan.shipping.services.plan import shipment_plan

pytestmark = pytest.mark.django_db
people = sales_fixtures.people
_english_messages = sales_fixtures._english_messages

S = LetterOfCredit.Status


def codes(findings, *, amendment=True):
    return {f["code"] for f in findings if f["amendment"] or not amendment}


@pytest.fixture
def planned_twice(people):
    """An L/C order whose shipping plan has two shipments of the gift boxes."""
    order = lc_order(people)
    box = order.lines.get(line_no=2)
    for qty in ("1", "2"):
        shipment_plan(actor=people.merch, order_id=order.pk, lines={box.pk: qty},
                      planned_ex_factory=order.ex_factory_date)
    return order


def troubled_credit(w, order):
    """Short by 236.01, shipment by the ex-factory date, partial shipments prohibited, and an
    inspection certificate to be signed by the applicant."""
    return credit_register(by=w.merch, data=credit_data(
        order, amount="1000.00", latest_shipment_date=order.ex_factory_date.isoformat(),
        partial_shipments="prohibited",
        documents_required=[{"kind": "commercial_invoice", "originals": 3},
                            {"kind": "inspection_certificate", "originals": 1,
                             "note": "Inspection certificate signed by applicant's representative"}]))


def test_examination_finds_the_points_to_amend(people, planned_twice):
    credit = troubled_credit(people, planned_twice)
    findings = credit_examine(by=people.merch, credit=credit)
    assert codes(findings) == {"amount_short", "latest_shipment_too_early", "partial_prohibited", "soft_clause"}
    short = next(f for f in findings if f["code"] == "amount_short")
    assert "USD 236.01" in short["message"] and short["field"] == "amount"
    credit.refresh_from_db()
    assert credit.status == S.AMENDMENT_NEEDED and credit.examined_by == people.merch
    assert credit.findings == findings
    assert Event.objects.filter(kind="exportdocs.credit_examined", content_type__model="salesorder",
                                object_id=planned_twice.pk).exists()


def test_an_accepted_amendment_fixes_the_credit_and_it_is_examined_again(people, planned_twice):
    order = planned_twice
    credit = troubled_credit(people, order)
    credit_examine(by=people.merch, credit=credit)
    requested = amendment_request(by=people.merch, credit=credit)
    assert "236.01" in requested.request_text and requested.status == CreditAmendment.Status.REQUESTED
    latest = (order.ex_factory_date + dt.timedelta(days=20)).isoformat()
    advised = amendment_receive(by=people.merch, credit=credit, changes={
        "amount": "1236.01", "latest_shipment_date": latest, "partial_shipments": "allowed",
        "documents_required": [{"kind": "commercial_invoice", "originals": 3}]})
    assert advised.pk == requested.pk and advised.status == CreditAmendment.Status.RECEIVED
    assert advised.changes["amount"] == {"from": "1000", "to": "1236.01", "shown": "1236.01"}
    credit.refresh_from_db()
    assert credit.amount == 1000  # advised, not yet accepted
    amendment_accept(by=people.merch, amendment=advised, version=credit.version)
    credit.refresh_from_db()
    assert credit.status == S.ACCEPTED and credit.amendment_no == 1
    assert credit.amount == Decimal("1236.01") and credit.latest_shipment_date.isoformat() == latest
    assert codes(credit.findings) == set()
    event = Event.objects.get(kind="exportdocs.amendment_accepted", content_type__model="salesorder")
    assert event.changes["amount"]["old"] == "1000" and event.changes["amount"]["new"] == "1236.01"


def test_a_refused_amendment_leaves_the_credit_as_it_was(people, planned_twice):
    credit = troubled_credit(people, planned_twice)
    credit_examine(by=people.merch, credit=credit)
    credit.refresh_from_db()
    advised = amendment_receive(by=people.merch, credit=credit, changes={"amount": "900"})
    with pytest.raises(ValidationFailed):
        amendment_refuse(by=people.merch, amendment=advised, reason="")
    amendment_refuse(by=people.merch, amendment=advised, reason="lowers the amount further")
    refused = LetterOfCredit.objects.get(pk=credit.pk)
    assert refused.amount == 1000 and refused.amendment_no == 0 and refused.status == S.AMENDMENT_NEEDED
    with pytest.raises(TransitionNotAllowed):
        amendment_accept(by=people.merch, amendment=advised)


def test_advised_changes_are_validated_like_the_register(people, planned_twice):
    credit = troubled_credit(people, planned_twice)
    with pytest.raises(ValidationFailed) as exc:
        amendment_receive(by=people.merch, credit=credit, changes={"colour": "red"})
    assert exc.value.code == "amendment_no_changes"
    with pytest.raises(ValidationFailed) as exc:
        amendment_receive(by=people.merch, credit=credit, changes={"expiry_date": "2026-01-02"})
    assert exc.value.code == "expiry_before_latest_shipment" and "changes.expiry_date" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        amendment_receive(by=people.merch, credit=credit, changes={"amount": "1000.00"})
    assert exc.value.code == "amendment_no_changes"
    assert not CreditAmendment.objects.exists()
    credit.refresh_from_db()
    assert credit.currency_id == "USD"


def test_nothing_to_amend_is_refused(people):
    order = lc_order(people)
    credit = credit_register(by=people.merch, data=credit_data(order))
    assert codes(credit_examine(by=people.merch, credit=credit)) == set()
    with pytest.raises(ValidationFailed) as exc:
        amendment_request(by=people.merch, credit=credit)
    assert exc.value.code == "nothing_to_amend"


def test_only_the_roles_that_examine_may(people):
    order = lc_order(people)
    credit = credit_register(by=people.finance, data=credit_data(order))
    with pytest.raises(NotAllowed):
        credit_examine(by=people.warehouse, credit=credit)


# --- the ship gate ------------------------------------------------------------------------


def test_an_lc_order_ships_only_under_a_workable_credit(people):
    from gendan.shipping.services import order_ship
    from tests.factories import release_to_production

    order = lc_order(people)
    order = release_to_production(order, actor=people.merch, finance=people.finance, supplier=people.factory)
    quantities = {line.pk: line.open_quantity for line in order.lines.all()}

    def ship():
        order.refresh_from_db()
        return order_ship(actor=people.merch, order_id=order.pk, shipped_on=order.ex_factory_date,
                          quantities=quantities)

    with pytest.raises(BusinessError) as exc:
        ship()
    assert exc.value.code == "gate_credit" and exc.value.status == 409
    assert "no credit is registered" in exc.value.message
    credit = credit_register(by=people.merch, data=credit_data(order, amount="1000"))
    credit_examine(by=people.merch, credit=credit)
    with pytest.raises(BusinessError) as exc:
        ship()
    assert "needs an amendment" in exc.value.message
    credit.refresh_from_db()
    amendment_receive(by=people.merch, credit=credit, changes={"amount": "1236.01"})
    amendment_accept(by=people.merch, amendment=credit.amendments.get(), version=credit.version)
    assert ship().pk
