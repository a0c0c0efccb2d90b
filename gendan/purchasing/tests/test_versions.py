"""Issue 11: a change order re-issues the purchase orders of the materials whose requirement
changed (BOM × the new quantity) as new versions, never below what was received, and the
supplier's re-acknowledgement is recorded (``purchasing.services.versions``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.api.tests.conftest import ApiClient, obtain_token
from gendan.core.errors import BusinessError
from gendan.purchasing.models import PurchaseOrder, PurchaseOrderVersion
from gendan.purchasing.services.orders import purchase_order_create, purchase_order_send
from gendan.purchasing.services.receipts import goods_receive
from gendan.purchasing.services.versions import purchase_order_reack_refuse, purchase_order_reacknowledge
from gendan.purchasing.workflows import VERSION
from tests.smtp import smtp  # noqa: F401
from tests.workflow_harness import assert_forbidden_edges_refused

pytestmark = pytest.mark.django_db
V = PurchaseOrderVersion.Reack
TODAY = timezone.localdate


def _switches_bought(w) -> PurchaseOrder:
    """The production order issued to the factory; its 1 005 switches bought and sent."""
    from gendan.production import services as production

    po = w.production_order
    production.production_order_update(actor=w.planner, production_order_id=po.pk,
                                       data={"email_to": "orders@factory.example"},
                                       lines={line.pk: {"unit_cost": "5"} for line in po.lines.all()})
    production.production_order_issue(actor=w.planner, production_order_id=po.pk)
    purchase = purchase_order_create(actor=w.buyer, supplier=w.plastics, currency="CNY", lines=[
        {"material": w.switch, "quantity": "1005", "unit_price": "2.10", "eta": TODAY() + dt.timedelta(days=9)}])
    return purchase_order_send(actor=w.buyer, purchase_order_id=purchase.pk)


def _change_quantity(w, quantity: str, *, approve: bool = False):
    from gendan.sales.services.revisions import order_revise, order_revision_apply, order_revision_approve
    from tests.factories import record_confirmations

    line = w.order.lines.get()
    order_revise(actor=w.merch, order_id=w.order.pk, data={}, reason="Customer changes the quantity",
                 lines=[{"product": w.kettle, "description": line.description, "unit": line.unit,
                         "unit_price": line.unit_price, "quantity": quantity}])
    if approve:
        order_revision_approve(actor=w.manager, order_id=w.order.pk, reason="The customer's budget was cut")
    record_confirmations(w.order, actor=w.merch)
    order_revision_apply(actor=w.merch, order_id=w.order.pk)


def test_more_kettles_order_more_switches_as_version_2_emailed_to_the_supplier(
        derived, smtp, django_capture_on_commit_callbacks):  # noqa: F811
    w = derived
    w.plastics.email = "sales@plastics.example"
    w.plastics.save(update_fields=["email"])
    purchase = _switches_bought(w)
    with django_capture_on_commit_callbacks(execute=True):
        _change_quantity(w, "1200")
    purchase.refresh_from_db()
    line = purchase.lines.get()
    assert line.quantity == Decimal("1206") and line.amount == Decimal("2532.60")  # 1 200 × 1.005
    assert purchase.total_amount == Decimal("2532.60") and purchase.doc_version == 2
    assert purchase.status == PurchaseOrder.Status.SENT  # its status does not change
    version = purchase.versions.get()
    assert {(c["field"], c["old"], c["new"]) for c in version.changes} >= {
        ("quantity", "1,005", "1,206"), ("total_amount", "2,110.50", "2,532.60")}
    assert line.coverages.get().quantity == Decimal("1206")
    message = next(m for m in smtp.wait_for(1) if "Version 2" in m["Subject"])
    assert "sales@plastics.example" in message["To"] and purchase.number in message["Subject"]
    assert "1,005 → 1,206" in message.get_body().get_content()
    assert next(message.iter_attachments()).get_filename() == f"{purchase.number}-v2.pdf"


def test_fewer_kettles_never_lower_the_order_below_what_was_received_and_say_so(derived):
    w = derived
    purchase = _switches_bought(w)
    line = purchase.lines.get()
    goods_receive(actor=w.buyer, purchase_order_id=purchase.pk, received_on=TODAY(), quantities={line.pk: "800"})
    _change_quantity(w, "500", approve=True)  # 503 switches needed now, 800 are in
    line.refresh_from_db()
    assert line.quantity == Decimal("800")  # not 503: what was received stays ordered
    changes = {c["field"]: (c["old"], c["new"]) for c in PurchaseOrderVersion.objects.get(
        purchase_order=purchase).changes}
    assert changes["quantity"] == ("1,005", "800") and changes["kept_at_received"] == ("503", "800")


def test_the_suppliers_answer_and_its_refusals(derived, client_for):
    from gendan.tracking.selectors import board_for

    w = derived
    purchase = _switches_bought(w)
    with pytest.raises(BusinessError) as nothing:  # no version yet
        purchase_order_reacknowledge(actor=w.buyer, purchase_order_id=purchase.pk)
    assert nothing.value.status == 409
    _change_quantity(w, "1200")
    with pytest.raises(BusinessError) as role:
        purchase_order_reacknowledge(actor=w.merch, purchase_order_id=purchase.pk)
    assert role.value.status == 403
    with pytest.raises(BusinessError) as short:
        purchase_order_reack_refuse(actor=w.buyer, purchase_order_id=purchase.pk, reason="no")
    assert short.value.status == 400
    with pytest.raises(BusinessError) as past:
        purchase_order_reacknowledge(actor=w.buyer, purchase_order_id=purchase.pk,
                                     new_eta=TODAY() - dt.timedelta(days=2))
    assert past.value.status == 400
    answer = ApiClient(obtain_token(w.buyer)).post(f"purchase-orders/{purchase.pk}/reacknowledge/", {
        "new_eta": (TODAY() - dt.timedelta(days=2)).isoformat()})
    assert (answer.status_code, answer.json()["code"], list(answer.json()["fields"])) == (
        400, "date_in_past", ["new_eta"])
    version = purchase_order_reack_refuse(actor=w.buyer, purchase_order_id=purchase.pk,
                                          reason="Only 1 100 switches before June")
    assert version.reack_status == V.REFUSED
    [item] = [i for i in board_for(user=w.buyer).export_items if i.kind == "purchase_reack"]
    assert purchase.number in item.label and "refused" in item.label
    page = client_for(w.buyer).get(purchase.get_absolute_url()).content.decode()
    assert 'data-testid="versions"' in page and "1,005 → 1,206" in page and 'data-action="reack_accept"' in page
    answer = client_for(w.buyer).post(reverse("purchasing:purchase_order_reack", args=[purchase.pk, "accept"]), {
        "reack_accept-new_eta": (TODAY() + dt.timedelta(days=12)).isoformat(), "reack_accept-note": "agreed"})
    assert answer.status_code == 302
    version.refresh_from_db()
    assert version.reack_status == V.ACCEPTED and purchase.lines.get().eta == TODAY() + dt.timedelta(days=12)
    assert not [i for i in board_for(user=w.buyer).export_items if i.kind == "purchase_reack"]
    again = client_for(w.buyer).post(reverse("purchasing:purchase_order_reack", args=[purchase.pk, "refuse"]),
                                     {"reack_refuse-reason": "changed their mind"})
    assert again.status_code == 409


def test_the_version_workflow_refuses_every_forbidden_edge(derived):
    w = derived
    purchase = _switches_bought(w)

    def make(state):
        number = purchase.versions.count() + 2
        return PurchaseOrderVersion.objects.create(purchase_order=purchase, number=number, created_by=w.buyer,
                                                   reack_status=state)

    tried = assert_forbidden_edges_refused(VERSION, make=make, attempt={
        V.ACCEPTED: lambda v: purchase_order_reacknowledge(actor=w.buyer, purchase_order_id=purchase.pk),
        V.REFUSED: lambda v: purchase_order_reack_refuse(actor=w.buyer, purchase_order_id=purchase.pk,
                                                         reason="Supplier says no"),
    })
    assert tried == 3  # accepted → refused, superseded → accepted, superseded → refused
