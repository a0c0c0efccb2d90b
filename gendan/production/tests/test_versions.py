"""Issue 11: a change order re-issues the production orders it touches as new versions, and the
factory's re-acknowledgement is recorded (``production.services.versions``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from gendan.core.errors import BusinessError
from gendan.production import services
from gendan.production.models import ProductionOrder, ProductionOrderVersion
from gendan.production.tests.conftest import due
from gendan.production.workflows import VERSION
from gendan.sales.models import SalesOrder
from tests.workflow_harness import assert_forbidden_edges_refused

pytestmark = pytest.mark.django_db
P = ProductionOrder.Status
V = ProductionOrderVersion.Reack


def _issued(people, order, *, accept=True) -> ProductionOrder:
    po = order.production_orders.get()
    services.production_order_update(actor=people.planner, production_order_id=po.pk,
                                     data={"email_to": "orders@dongguan-factory.example"},
                                     lines={line.pk: {"unit_cost": "0.80"} for line in po.lines.all()})
    po = services.production_order_issue(actor=people.planner, production_order_id=po.pk)
    if accept:
        po = services.production_order_accept(actor=people.planner, production_order_id=po.pk,
                                              committed_due_date=due(40))
    return po


def _lines(order, *, mugs=None, red=None, price=None) -> list[dict]:
    """The order's lines as a change order sends them, with the mugs' red cell or price changed."""
    out = []
    for line in order.lines.order_by("line_no").prefetch_related("cells"):
        data = {"product": line.product, "description": line.description, "unit": line.unit,
                "unit_price": price if (price is not None and line.line_no == 1) else line.unit_price}
        cells = [{"colour": c.colour, "size": c.size,
                  "quantity": str(red) if (red is not None and c.colour == "Red") else str(c.quantity)}
                 for c in line.cells.all()]
        if cells:
            data["cells"] = cells
        else:
            data["quantity"] = str(line.quantity)
        out.append(data)
    return out


def _apply(people, order, *, lines=None, data=None, reason="Customer adds 200 red mugs", approve=False):
    from gendan.sales.services.revisions import order_revise, order_revision_apply, order_revision_approve
    from tests.factories import record_confirmations

    order_revise(actor=people.merch, order_id=order.pk, data=data or {}, lines=lines, reason=reason)
    if approve:  # a lower amount loosens the money terms: a manager approves it
        order_revision_approve(actor=people.manager, order_id=order.pk, reason="Customer's budget was cut")
    record_confirmations(order, actor=people.merch)
    return order_revision_apply(actor=people.merch, order_id=order.pk)


def test_a_price_change_flags_the_production_order_without_reissuing_it(people, order_with_mug):
    po = _issued(people, order_with_mug)
    _apply(people, order_with_mug, lines=_lines(order_with_mug, price=Decimal("1.30")), reason="Customer pays more")
    po.refresh_from_db()
    assert po.status == P.ACCEPTED and po.doc_version == 1 and not po.versions.exists()
    assert po.change_flag == "Order revision 1 changed: Customer pays more"
    with translation.override("zh-hans"):
        assert "Customer pays more" in po.change_flag and "Order revision" not in po.change_flag


def test_a_quantity_change_reissues_version_2_with_its_changes_and_pdf(people, order_with_mug):
    po = _issued(people, order_with_mug)
    _apply(people, order_with_mug, lines=_lines(order_with_mug, red=800))
    po.refresh_from_db()
    assert po.status == P.AWAITING_REACK and po.reack_from == P.ACCEPTED and po.doc_version == 2
    mugs = po.lines.get(order_line__line_no=1)
    assert mugs.quantity == Decimal("1200") and mugs.amount == Decimal("960.00")
    version = po.versions.get()
    assert version.reack_status == V.AWAITING and version.revision_no == 1 and version.pdf.read().startswith(b"%PDF")
    changes = {(c["line"], c["field"]): (c["old"], c["new"]) for c in version.changes}
    assert changes[(1, "quantity")] == ("1,000", "1,200") and changes[(1, "amount")] == ("800.00", "960.00")
    assert (1, "unit_price") not in changes  # the customer's price is not the factory's business
    with translation.override("zh-hans"):
        assert any("数量" in text and "1,000 → 1,200" in text
                   for text in services.versions.change_lines(version.changes))
    # While it waits, neither accepting again nor starting is possible.
    for step in (lambda: services.production_order_accept(actor=people.planner, production_order_id=po.pk,
                                                          committed_due_date=due(30)),
                 lambda: services.production_order_start(actor=people.planner, production_order_id=po.pk)):
        with pytest.raises(BusinessError) as refused:
            step()
        assert refused.value.status == 409 and refused.value.code == "awaiting_reack"


def test_an_own_workshops_costed_order_is_reissued_with_its_total_following_the_lines(people, mug, workshop):
    """An own workshop's production order has no currency but books its costs (CNY, as its edit
    does): re-issued with more mugs, its total follows its lines and its PDF renders (it used to
    keep the old total, and the PDF refused lines that did not add up — the change order failed)."""
    from tests.factories import SalesOrderFactory, mug_lines

    lines = mug_lines()
    lines[0]["product"] = mug
    order = SalesOrderFactory(customer=people.customer, actor=people.merch, finance=people.finance,
                              supplier=workshop, in_production=True, lines=lines)
    po = _issued(people, order)
    assert po.currency_id is None and po.total_cost > 0
    _apply(people, order, lines=_lines(order, red=800))
    po.refresh_from_db()
    assert po.doc_version == 2 and po.total_cost == sum(line.amount for line in po.lines.all())
    assert po.versions.get().pdf.read().startswith(b"%PDF")


def test_in_production_it_is_never_lowered_below_what_is_produced_and_goes_back_to_production(
        people, order_with_mug, first_article_ok):
    po = _issued(people, order_with_mug)
    po = services.production_order_start(actor=people.planner, production_order_id=po.pk)
    po.lines.filter(order_line__line_no=1).update(produced_quantity=Decimal("900"))
    _apply(people, order_with_mug, lines=_lines(order_with_mug, red=100), reason="Customer takes fewer red mugs",
           approve=True)
    po.refresh_from_db()
    assert po.status == P.AWAITING_REACK and po.reack_from == P.IN_PRODUCTION
    assert po.lines.get(order_line__line_no=1).quantity == Decimal("900")  # not 500: 900 are made
    changes = {c["field"]: (c["old"], c["new"]) for c in po.versions.get().changes if c["line"] == 1}
    assert changes["kept_at_produced"] == ("500", "900") and changes["quantity"] == ("1,000", "900")
    order = SalesOrder.objects.get(pk=order_with_mug.pk)
    assert order.production_status == SalesOrder.ProductionStatus.IN_PROGRESS  # still counts as started
    po = services.production_order_reacknowledge(actor=people.merch, production_order_id=po.pk)
    assert po.status == P.IN_PRODUCTION and po.committed_due_date == due(40)  # the date did not move


def test_the_ex_factory_date_moves_the_due_date_and_the_factorys_new_date_is_recorded(people, order_with_mug):
    from gendan.tracking.models import OrderMilestone

    po = _issued(people, order_with_mug)
    old_due = po.due_date
    _apply(people, order_with_mug, data={"ex_factory_date": order_with_mug.ex_factory_date + dt.timedelta(days=7)},
           reason="Customer moves the date")
    po.refresh_from_db()
    assert po.due_date == old_due + dt.timedelta(days=7) and po.status == P.AWAITING_REACK
    assert {c["field"] for c in po.versions.get().changes} >= {"due_date", "ex_factory_date"}
    with pytest.raises(BusinessError) as past:
        services.production_order_reacknowledge(actor=people.merch, production_order_id=po.pk,
                                                committed_due_date=timezone.localdate() - dt.timedelta(days=1))
    assert past.value.status == 400
    with pytest.raises(BusinessError) as stale:
        services.production_order_reacknowledge(actor=people.merch, production_order_id=po.pk,
                                                expected_version=po.version - 1)
    assert stale.value.status == 409
    po = services.production_order_reacknowledge(actor=people.merch, production_order_id=po.pk,
                                                 committed_due_date=due(47), note="by phone")
    assert po.status == P.ACCEPTED and po.committed_due_date == due(47)
    assert po.versions.get().reack_status == V.ACCEPTED
    milestone = OrderMilestone.objects.filter(order=order_with_mug, key="production_finished").first()
    assert milestone is None or milestone.forecast_date == due(47)


def test_a_refusal_stays_open_and_is_escalated_at_once(people, order_with_mug):
    from gendan.tracking.selectors import board_for

    po = _issued(people, order_with_mug)
    _apply(people, order_with_mug, lines=_lines(order_with_mug, red=800))
    with pytest.raises(BusinessError) as short:
        services.production_order_reack_refuse(actor=people.merch, production_order_id=po.pk, reason="no")
    assert short.value.status == 400
    with pytest.raises(Http404):  # another team's merchandiser does not see it
        services.production_order_reack_refuse(actor=people.other_merch, production_order_id=po.pk,
                                               reason="Factory cannot make 1 200 by then")
    assert not [i for i in board_for(user=people.merch).export_items if i.kind == "production_reack"]  # not yet due
    po = services.production_order_reack_refuse(actor=people.merch, production_order_id=po.pk,
                                                reason="Factory cannot make 1 200 by then")
    assert po.status == P.AWAITING_REACK and po.versions.get().reack_status == V.REFUSED
    [item] = [i for i in board_for(user=people.merch).export_items if i.kind == "production_reack"]
    assert "refused version 2" in item.label and item.detail == "Factory cannot make 1 200 by then" and item.late
    with pytest.raises(BusinessError) as twice:
        services.production_order_reack_refuse(actor=people.merch, production_order_id=po.pk, reason="still no")
    assert twice.value.status == 409
    po = services.production_order_reacknowledge(actor=people.merch, production_order_id=po.pk,
                                                 committed_due_date=due(50))
    assert po.status == P.ACCEPTED
    assert not [i for i in board_for(user=people.merch).export_items if i.kind == "production_reack"]
    with pytest.raises(BusinessError) as again:  # nothing waits any more
        services.production_order_reacknowledge(actor=people.merch, production_order_id=po.pk)
    assert again.value.status == 409


def test_the_version_workflow_refuses_every_forbidden_edge(people, order_with_mug):
    po = _issued(people, order_with_mug)
    _apply(people, order_with_mug, lines=_lines(order_with_mug, red=800))
    po.refresh_from_db()

    def make(state):
        number = po.versions.count() + 2
        ProductionOrder.objects.filter(pk=po.pk).update(
            status=P.AWAITING_REACK if state in (V.AWAITING, V.REFUSED) else P.ACCEPTED, doc_version=number)
        return ProductionOrderVersion.objects.create(production_order=po, number=number, created_by=people.planner,
                                                     reack_status=state)

    tried = assert_forbidden_edges_refused(VERSION, make=make, attempt={
        V.ACCEPTED: lambda v: services.production_order_reacknowledge(actor=people.merch, production_order_id=po.pk),
        V.REFUSED: lambda v: services.production_order_reack_refuse(actor=people.merch, production_order_id=po.pk,
                                                                    reason="Factory says no"),
    })
    assert tried == 3  # accepted → refused, superseded → accepted, superseded → refused


def test_the_page_shows_the_versions_and_records_the_answer(people, order_with_mug, client_for):
    po = _issued(people, order_with_mug)
    _apply(people, order_with_mug, lines=_lines(order_with_mug, red=800))
    po.refresh_from_db()
    client = client_for(people.merch)
    html = client.get(po.get_absolute_url()).content.decode()
    assert 'data-testid="versions"' in html and "Version 2 — supersedes version 1" in html
    assert "1,000 → 1,200" in html and 'data-action="reack_accept"' in html
    pdf = client.get(reverse("production:production_order_version_pdf", args=[po.pk, 2]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("production:production_order_version_pdf", args=[po.pk, 3])).status_code == 404
    refused = client.post(reverse("production:production_order_action", args=[po.pk, "reack_refuse"]),
                          {"version": po.version, "reack_refuse-reason": "x"})
    assert refused.status_code == 400
    answer = client.post(reverse("production:production_order_action", args=[po.pk, "reack_accept"]),
                         {"version": po.version, "reack_accept-committed_due_date": due(44).isoformat()})
    assert answer.status_code == 302
    po.refresh_from_db()
    assert po.status == P.ACCEPTED and po.committed_due_date == due(44)
    order_page = client.get(order_with_mug.get_absolute_url()).content.decode()
    assert 'data-testid="awaiting-reack"' not in order_page
