"""Purchase orders: numbering and money, coverage of requirements, the transition table,
goods received (partial, over-receipt refused, oldest need first) and supplier progress notes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.errors import (
    BusinessError,
    ConflictError,
    NotAllowed,
    TransitionNotAllowed,
    ValidationFailed,
)
from gendan.core.events import timeline_for
from gendan.purchasing.models import MaterialRequirement, PurchaseCoverage, PurchaseOrder
from gendan.purchasing.services.orders import (
    progress_note_add,
    purchase_order_cancel,
    purchase_order_close,
    purchase_order_confirm,
    purchase_order_create,
    purchase_order_send,
    purchase_order_update,
)
from gendan.purchasing.services.receipts import goods_receive
from gendan.purchasing.tests.conftest import make_order_in_production

pytestmark = pytest.mark.django_db
P = PurchaseOrder.Status
R = MaterialRequirement.Status
TODAY = timezone.localdate


def _po(w, **extra):
    lines = extra.pop("lines", None) or [
        {"material": w.body, "quantity": "360.5", "unit_price": "14.235", "eta": TODAY() + dt.timedelta(days=9)},
        {"material": w.switch, "quantity": "1005", "unit_price": "0.8333", "eta": None}]
    return purchase_order_create(actor=w.buyer, supplier=w.plastics, currency="CNY", lines=lines, **extra)


def test_create_numbers_rounds_per_line_and_totals_the_lines(derived):
    po = _po(derived)
    assert po.number.startswith("CG") and po.status == P.DRAFT
    amounts = list(po.lines.values_list("amount", flat=True))
    assert amounts == [Decimal("5131.72"), Decimal("837.47")]  # 5 131.7175 and 837.4665, rounded per line
    assert po.total_amount == sum(amounts) == Decimal("5969.19")


@pytest.mark.dates
def test_lines_cover_the_requirements_of_their_material_oldest_need_first(derived):
    w = derived
    order2, production2 = make_order_in_production(w, quantity="500", due_in_days=30)
    from gendan.purchasing.services.requirements import bom_confirm

    bom_confirm(actor=w.merch, production_order_id=production2.pk)
    later_body = w.body_req
    sooner_body = production2.material_requirements.get(component=w.body)  # 180.250 kg, needed sooner
    po = _po(w, lines=[{"material": w.body, "quantity": "400", "unit_price": "14", "eta": None}])
    covered = dict(PurchaseCoverage.objects.filter(line__purchase_order=po).values_list("requirement_id", "quantity"))
    assert covered == {sooner_body.pk: Decimal("180.250"), later_body.pk: Decimal("219.750")}
    # one line, two production orders of two sales orders: both timelines name the purchase order
    assert any(po.number in e.text for e in timeline_for(order2))
    assert any(po.number in e.text for e in timeline_for(w.order))


def test_explicit_coverage_is_never_above_the_line_quantity_nor_another_material(derived):
    w = derived
    with pytest.raises(ValidationFailed, match="covers 500 of requirements but orders only 300"):
        _po(w, lines=[{"material": w.body, "quantity": "300", "unit_price": "1", "eta": None,
                       "covers": [{"requirement": w.body_req.pk, "quantity": "500"}]}])
    with pytest.raises(ValidationFailed, match="not for this material"):
        _po(w, lines=[{"material": w.body, "quantity": "300", "unit_price": "1", "eta": None,
                       "covers": [{"requirement": w.switch_req.pk, "quantity": "10"}]}])
    assert not PurchaseOrder.objects.exists()


@pytest.mark.parametrize("line, message", [
    ({"quantity": "-5"}, "more than 0"),
    ({"quantity": "abc"}, "enter a number"),
    ({"unit_price": "-1"}, "0 or more"),
    ({"unit_price": "0.12345"}, "up to 4 decimals"),
    ({"eta": dt.date(2001, 1, 1)}, "before the order date"),
])
def test_bad_lines_are_refused_and_nothing_is_saved(derived, line, message):
    w = derived
    with pytest.raises(ValidationFailed, match=message):
        _po(w, lines=[{"material": w.body, "quantity": "10", "unit_price": "1", "eta": None, **line}])
    assert not PurchaseOrder.objects.exists()


def test_only_material_suppliers_and_only_purchasing(derived):
    w = derived
    with pytest.raises(ValidationFailed, match="material supplier"):
        purchase_order_create(actor=w.buyer, supplier=w.factory, currency="CNY",
                              lines=[{"material": w.body, "quantity": "1", "unit_price": "1"}])
    for user in (w.merch, w.planner, w.sales):
        with pytest.raises(NotAllowed):
            purchase_order_create(actor=user, supplier=w.plastics, currency="CNY",
                                  lines=[{"material": w.body, "quantity": "1", "unit_price": "1"}])
    assert not PurchaseOrder.objects.exists()


@pytest.mark.dates
def test_lifecycle_send_confirm_receive_in_two_deliveries_close(derived):
    w = derived
    po = _po(w)
    with pytest.raises(TransitionNotAllowed):
        purchase_order_close(actor=w.buyer, purchase_order_id=po.pk)
    po = purchase_order_send(actor=w.buyer, purchase_order_id=po.pk, expected_version=po.version)
    assert po.status == P.SENT
    assert set(MaterialRequirement.objects.values_list("status", flat=True)) == {R.ORDERED}
    # whom to chase: the supplier it was ordered from and the purchaser who ordered it
    assert set(MaterialRequirement.objects.values_list("supplier", "purchaser")) == {(w.plastics.pk, w.buyer.pk)}
    with pytest.raises(ValidationFailed, match="lines 2 have none"):
        purchase_order_confirm(actor=w.buyer, purchase_order_id=po.pk)
    body_line, switch_line = po.lines.order_by("line_no")
    eta = TODAY() + dt.timedelta(days=12)
    po = purchase_order_confirm(actor=w.buyer, purchase_order_id=po.pk, etas={switch_line.pk: eta})
    assert po.status == P.CONFIRMED
    switch = MaterialRequirement.objects.get(pk=w.switch_req.pk)
    assert switch.eta == eta  # the supplier's ETA reached the requirement
    assert MaterialRequirement.objects.get(pk=w.body_req.pk).eta == TODAY() + dt.timedelta(days=9)

    goods_receive(actor=w.buyer, purchase_order_id=po.pk, received_on=TODAY(),
                  quantities={body_line.pk: "200", switch_line.pk: ""})
    po.refresh_from_db()
    body = MaterialRequirement.objects.get(pk=w.body_req.pk)
    assert po.status == P.PARTLY_RECEIVED
    assert body.status == R.PARTLY_RECEIVED and body.received_quantity == Decimal("200")
    assert body.arrived_on == TODAY()

    goods_receive(actor=w.buyer, purchase_order_id=po.pk, received_on=TODAY(),
                  quantities={body_line.pk: "160.5", switch_line.pk: "1005"})
    po.refresh_from_db()
    assert po.status == P.RECEIVED
    assert set(MaterialRequirement.objects.values_list("status", flat=True)) == {R.RECEIVED}
    po = purchase_order_close(actor=w.buyer, purchase_order_id=po.pk)
    assert po.status == P.CLOSED
    verbs = [e.changes.get("status", {}).get("new") for e in timeline_for(po) if e.changes.get("status")]
    assert verbs == ["closed", "received", "partly_received", "confirmed", "sent"]


def test_over_receipt_is_refused_unless_within_the_tolerance(derived):
    w = derived
    po = _po(w, lines=[{"material": w.switch, "quantity": "1000", "unit_price": "1", "eta": None}])
    purchase_order_send(actor=w.buyer, purchase_order_id=po.pk)
    line = po.lines.get()
    with pytest.raises(ValidationFailed, match="would exceed the order"):
        goods_receive(actor=w.buyer, purchase_order_id=po.pk, received_on=TODAY(), quantities={line.pk: "1001"})
    with pytest.raises(ValidationFailed, match="cannot be negative"):
        goods_receive(actor=w.buyer, purchase_order_id=po.pk, received_on=TODAY(), quantities={line.pk: "-1"})
    with pytest.raises(ValidationFailed, match="in the future"):
        goods_receive(actor=w.buyer, purchase_order_id=po.pk, received_on=TODAY() + dt.timedelta(days=1),
                      quantities={line.pk: "1"})
    with pytest.raises(ValidationFailed, match="at least one line"):
        goods_receive(actor=w.buyer, purchase_order_id=po.pk, received_on=TODAY(), quantities={line.pk: "0"})
    line.refresh_from_db()
    assert line.received_quantity == 0 and not po.receipts.exists()

    tolerant = _po(w, over_receipt_percent="2", lines=[
        {"material": w.switch, "quantity": "5", "unit_price": "1", "eta": None,
         "covers": [{"requirement": w.switch_req.pk, "quantity": "5"}]}])
    purchase_order_send(actor=w.buyer, purchase_order_id=tolerant.pk)
    # the first order took 1 000 of the 1 005 switches; this one covers the last 5
    goods_receive(actor=w.buyer, purchase_order_id=tolerant.pk, received_on=TODAY(),
                  quantities={tolerant.lines.get().pk: "5.1"})
    assert tolerant.lines.get().received_quantity == Decimal("5.1")


def test_cancel_needs_a_reason_reopens_the_requirements_and_is_refused_after_receipts(derived):
    w = derived
    po = _po(w)
    purchase_order_send(actor=w.buyer, purchase_order_id=po.pk)
    with pytest.raises(ValidationFailed, match="reason for cancelling"):
        purchase_order_cancel(actor=w.buyer, purchase_order_id=po.pk, reason=" ")
    purchase_order_cancel(actor=w.buyer, purchase_order_id=po.pk, reason="Supplier out of ABS")
    assert set(MaterialRequirement.objects.values_list("status", flat=True)) == {R.OPEN}
    assert MaterialRequirement.objects.get(pk=w.body_req.pk).eta is None

    second = _po(w)
    purchase_order_send(actor=w.buyer, purchase_order_id=second.pk)
    goods_receive(actor=w.buyer, purchase_order_id=second.pk, received_on=TODAY(),
                  quantities={second.lines.first().pk: "1"})
    with pytest.raises(TransitionNotAllowed):
        purchase_order_cancel(actor=w.buyer, purchase_order_id=second.pk, reason="too late")


def test_short_close_needs_a_reason_and_frees_the_rest_for_a_new_order(derived):
    w = derived
    po = _po(w, lines=[{"material": w.switch, "quantity": "1005", "unit_price": "1", "eta": None}])
    purchase_order_send(actor=w.buyer, purchase_order_id=po.pk)
    goods_receive(actor=w.buyer, purchase_order_id=po.pk, received_on=TODAY(), quantities={po.lines.get().pk: "600"})
    with pytest.raises(ValidationFailed, match="reason for closing before everything was received"):
        purchase_order_close(actor=w.buyer, purchase_order_id=po.pk)
    purchase_order_close(actor=w.buyer, purchase_order_id=po.pk, reason="Supplier stopped the model")
    switch = MaterialRequirement.objects.get(pk=w.switch_req.pk)
    assert switch.status == R.PARTLY_RECEIVED and switch.received_quantity == 600
    again = _po(w, lines=[{"material": w.switch, "quantity": "405", "unit_price": "1", "eta": None}])
    assert PurchaseCoverage.objects.get(line__purchase_order=again).quantity == 405


def test_draft_edit_replaces_lines_and_refuses_stale_versions_and_sent_orders(derived):
    w = derived
    po = _po(w)
    purchase_order_update(actor=w.buyer, purchase_order_id=po.pk, expected_version=po.version, supplier=w.plastics,
                          currency="CNY", lines=[{"material": w.body, "quantity": "10", "unit_price": "2"}])
    po.refresh_from_db()
    assert po.total_amount == Decimal("20.00") and po.lines.count() == 1
    with pytest.raises(ConflictError):
        purchase_order_update(actor=w.buyer, purchase_order_id=po.pk, expected_version=1, supplier=w.plastics,
                              currency="CNY", lines=[{"material": w.body, "quantity": "99", "unit_price": "2"}])
    purchase_order_send(actor=w.buyer, purchase_order_id=po.pk)
    with pytest.raises(BusinessError, match="can no longer change") as refused:
        purchase_order_update(actor=w.buyer, purchase_order_id=po.pk, expected_version=None, supplier=w.plastics,
                              currency="CNY", lines=[{"material": w.body, "quantity": "99", "unit_price": "2"}])
    assert refused.value.status == 409  # the purchase order's state (not_editable)
    assert po.lines.get().quantity == 10


@pytest.mark.dates
def test_a_progress_note_with_a_new_eta_moves_the_requirements(derived):
    w = derived
    po = _po(w)
    purchase_order_send(actor=w.buyer, purchase_order_id=po.pk)
    new_eta = w.body_req.need_date + dt.timedelta(days=2)
    progress_note_add(actor=w.buyer, purchase_order_id=po.pk, noted_on=TODAY(),
                      text="模具坏了, 推迟两天", new_eta=new_eta)
    body = MaterialRequirement.objects.get(pk=w.body_req.pk)
    assert body.eta == new_eta and body.is_short
    assert any("new ETA" in e.text and "MAT1" in e.text for e in timeline_for(w.order))
    with pytest.raises(ValidationFailed, match="future"):
        progress_note_add(actor=w.buyer, purchase_order_id=po.pk, noted_on=TODAY() + dt.timedelta(days=3),
                          text="x")


@pytest.mark.dates
def test_a_delivery_fills_the_requirement_needed_first(derived):
    from gendan.purchasing.services.requirements import bom_confirm

    w = derived
    _order2, production2 = make_order_in_production(w, quantity="500", due_in_days=30)
    bom_confirm(actor=w.merch, production_order_id=production2.pk)
    sooner = production2.material_requirements.get(component=w.switch)  # 503 switches, needed first
    po = _po(w, lines=[{"material": w.switch, "quantity": "1508", "unit_price": "1", "eta": None}])
    purchase_order_send(actor=w.buyer, purchase_order_id=po.pk)
    goods_receive(actor=w.buyer, purchase_order_id=po.pk, received_on=TODAY(), quantities={po.lines.get().pk: "600"})
    sooner.refresh_from_db()
    later = MaterialRequirement.objects.get(pk=w.switch_req.pk)
    assert (sooner.received_quantity, sooner.status) == (503, R.RECEIVED)
    assert (later.received_quantity, later.status) == (97, R.PARTLY_RECEIVED)
