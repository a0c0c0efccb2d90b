"""Production order use cases through the services, against the database: the draft, each
transition and its refusals, allocation over several production orders, stale edits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.core.errors import (
    BusinessError,
    ConflictError,
    NotAllowed,
    TransitionNotAllowed,
    ValidationFailed,
)
from gendan.production import services
from gendan.production.models import Department, ProductionOrder
from gendan.production.selectors import order_quantities
from gendan.production.tests.conftest import due, release
from gendan.sales.models import SalesOrder

pytestmark = pytest.mark.django_db
P = ProductionOrder.Status
PS = SalesOrder.ProductionStatus


def _po(order) -> ProductionOrder:
    return order.production_orders.get()


def _ready(w, po, *, cost="1.2345") -> ProductionOrder:
    """Give every line of the draft a unit cost (what outsourced work needs to be issued)."""
    return services.production_order_update(
        actor=w.planner, production_order_id=po.pk,
        lines={line.pk: {"unit_cost": cost} for line in po.lines.all()})


def _issued(w, order) -> ProductionOrder:
    return services.production_order_issue(actor=w.planner, production_order_id=_ready(w, _po(order)).pk)


def _produce(po, qty=None) -> None:
    """What the planning app does from daily progress: write the produced quantity."""
    for line in po.lines.all():
        line.produced_quantity = line.quantity if qty is None else Decimal(qty)
        line.save(update_fields=["produced_quantity"])


def _started(w, order) -> ProductionOrder:
    po = _issued(w, order)
    po = services.production_order_accept(actor=w.planner, production_order_id=po.pk, committed_due_date=due(20))
    return services.production_order_start(actor=w.planner, production_order_id=po.pk)


def _order_messages(order) -> list[str]:
    from gendan.core.events import timeline_for

    return [e.text for e in timeline_for(order)]


def test_release_creates_a_draft_with_prefilled_lines_and_distribution(people, order_with_mug):
    po = _po(order_with_mug)
    assert po.status == P.DRAFT and po.kind == ProductionOrder.Kind.OUTSOURCED and po.currency_id == "CNY"
    mug_line = po.lines.get(order_line__line_no=1)
    assert (mug_line.spec, mug_line.surface_finish) == ("350 ml, Ø 8 cm", "glossy glaze")
    assert mug_line.packing_requirements == "每只彩盒，24只一外箱" and mug_line.quality_requirements == "AQL 2.5"
    assert Department.QUALITY in po.sign_off and Department.FINANCE in po.copy_to
    assert po.email_recipients == ["orders@dongguan-factory.example", people.merch.email]
    order_with_mug.refresh_from_db()
    assert order_with_mug.production_status == PS.RELEASED


def test_draft_edit_computes_amounts_per_line_and_the_total_as_their_sum(people, order_with_mug):
    po = _po(order_with_mug)
    mug_line, box_line = po.lines.order_by("order_line__line_no")
    po = services.production_order_update(
        actor=people.planner, production_order_id=po.pk, expected_version=po.version,
        data={"due_date": due(40), "email_to": "a@factory.example, b@factory.example", "copy_to": ["finance"]},
        lines={mug_line.pk: {"unit_cost": "1.2345", "surface_finish": "matt glaze"},
               box_line.pk: {"unit_cost": "0.3333"}})
    mug_line.refresh_from_db()
    box_line.refresh_from_db()
    assert mug_line.amount == Decimal("1234.50")  # 1000 × 1.2345
    assert box_line.amount == Decimal("1.00")  # 3 × 0.3333 = 0.9999 → rounded per line
    assert po.total_cost == Decimal("1235.50") == mug_line.amount + box_line.amount
    assert mug_line.surface_finish == "matt glaze"
    assert po.email_recipients == ["a@factory.example", "b@factory.example"] and po.copy_to == ["finance"]
    assert po.version == 2
    from gendan.core.events import timeline_for

    assert "total_cost" in timeline_for(po)[0].changes


def test_draft_edit_refuses_a_stale_version_and_bad_input(people, order_with_mug):
    po = _po(order_with_mug)
    services.production_order_update(actor=people.planner, production_order_id=po.pk, expected_version=1,
                                     data={"notes": "first edit"})
    with pytest.raises(ConflictError) as stale:
        services.production_order_update(actor=people.merch, production_order_id=po.pk, expected_version=1,
                                         data={"notes": "second edit from an old page"})
    assert stale.value.status == 409
    line = po.lines.first()
    for lines, field in [({line.pk: {"unit_cost": "-1"}}, "lines[0].unit_cost"),
                         ({line.pk: {"quantity": "abc"}}, "lines[0].quantity")]:
        with pytest.raises(ValidationFailed) as bad:
            services.production_order_update(actor=people.planner, production_order_id=po.pk, lines=lines)
        assert field in bad.value.fields
    with pytest.raises(ValidationFailed):
        services.production_order_update(actor=people.planner, production_order_id=po.pk,
                                         data={"email_to": "not an address"})
    po.refresh_from_db()
    assert po.notes == "first edit" and po.version == 2


def test_issue_needs_unit_costs_for_outsourced_work_then_stores_the_pdf_and_emails_it(people, order_with_mug, smtp):
    po = _po(order_with_mug)
    with pytest.raises(BusinessError) as refused:
        services.production_order_issue(actor=people.planner, production_order_id=po.pk)
    assert refused.value.code == "unit_cost_missing" and "line 1, 2" in refused.value.message
    po = _ready(people, po)
    with smtp_captured(smtp):
        po = services.production_order_issue(actor=people.planner, production_order_id=po.pk,
                                             expected_version=po.version)
    assert po.status == P.ISSUED and po.pdf.name.endswith(f"{po.number}.pdf") and po.issued_by == people.planner
    [delivery] = smtp.deliveries
    assert delivery.rcpt_tos == ("orders@dongguan-factory.example", people.merch.email)
    assert po.number in delivery.message["Subject"] and "购销合同" in delivery.message["Subject"]
    from tests.smtp import attachments

    [(name, content_type, content)] = attachments(delivery.message)
    assert name == f"{po.number}.pdf" and content_type == "application/pdf" and content.startswith(b"%PDF")
    po.refresh_from_db()
    assert po.email_sent_at is not None and po.email_error == ""
    assert any(po.number in m and "issued" in m for m in _order_messages(order_with_mug))


class smtp_captured:  # noqa: N801 (reads as a phrase in the test)
    """Run the on-commit email of the block (pytest-django keeps the test in one transaction)."""

    def __init__(self, server):
        self.server = server

    def __enter__(self):
        from django.test import TestCase

        self._ctx = TestCase.captureOnCommitCallbacks(execute=True)
        return self._ctx.__enter__()

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


def test_an_email_failure_is_recorded_and_the_order_stays_issued(people, order_with_mug, smtp):
    smtp.stop()
    po = _ready(people, _po(order_with_mug))
    with smtp_captured(smtp):
        services.production_order_issue(actor=people.planner, production_order_id=po.pk)
    po.refresh_from_db()
    assert po.status == P.ISSUED and po.email_sent_at is None and po.email_error


@pytest.mark.dates
def test_accept_records_the_committed_due_date(people, order_with_mug):
    po = _issued(people, order_with_mug)
    with pytest.raises(ValidationFailed):
        services.production_order_accept(actor=people.planner, production_order_id=po.pk, committed_due_date=due(-1))
    po = services.production_order_accept(actor=people.planner, production_order_id=po.pk,
                                          committed_due_date=due(25))
    assert po.status == P.ACCEPTED and po.committed_due_date == due(25) and po.due == due(25)
    with pytest.raises(TransitionNotAllowed):
        services.production_order_accept(actor=people.planner, production_order_id=po.pk, committed_due_date=due(30))


def test_start_follows_the_first_article_rule_and_a_managers_override(people, order_with_mug, first_article_refused):
    po = _issued(people, order_with_mug)
    po = services.production_order_accept(actor=people.planner, production_order_id=po.pk, committed_due_date=due(20))
    with pytest.raises(BusinessError) as refused:
        services.production_order_start(actor=people.planner, production_order_id=po.pk)
    assert refused.value.code == "gate_first_article" and refused.value.status == 409
    with pytest.raises(NotAllowed):
        services.production_order_override_first_article(actor=people.planner, production_order_id=po.pk,
                                                         reason="customer approved by photo")
    with pytest.raises(ValidationFailed):
        services.production_order_override_first_article(actor=people.manager, production_order_id=po.pk, reason="")
    po = services.production_order_override_first_article(actor=people.manager, production_order_id=po.pk,
                                                          reason="Customer approved the first article by photo")
    assert po.first_article_override and "photo" in po.first_article_override_reason
    po = services.production_order_start(actor=people.planner, production_order_id=po.pk)
    assert po.status == P.IN_PRODUCTION and po.started_at
    order_with_mug.refresh_from_db()
    assert order_with_mug.production_status == PS.IN_PROGRESS
    assert any("overridden" in m for m in _order_messages(order_with_mug))


def test_finish_when_all_produced_finishes_the_orders_production(people, order_with_mug, first_article_ok):
    po = _started(people, order_with_mug)
    _produce(po)
    po = services.production_order_finish(actor=people.planner, production_order_id=po.pk)
    assert po.status == P.FINISHED and po.status_reason == ""
    order_with_mug.refresh_from_db()
    assert order_with_mug.production_status == PS.FINISHED
    po = services.production_order_close(actor=people.planner, production_order_id=po.pk)
    assert po.status == P.CLOSED


def test_finishing_short_needs_a_manager_or_planner_and_a_reason(people, order_with_mug, first_article_ok):
    po = _started(people, order_with_mug)
    _produce(po, "2")
    with pytest.raises(NotAllowed) as merch:
        services.production_order_finish(actor=people.merch, production_order_id=po.pk, reason="good enough")
    assert "line 1: 2 of 1000" in merch.value.message
    with pytest.raises(ValidationFailed):
        services.production_order_finish(actor=people.planner, production_order_id=po.pk)
    po = services.production_order_finish(actor=people.planner, production_order_id=po.pk,
                                          reason="Customer accepts the short quantity")
    assert po.status == P.FINISHED and "Customer accepts" in po.status_reason


def test_hold_resumes_where_it_was_and_cancel_frees_the_quantity(people, order_with_mug, first_article_ok):
    po = _started(people, order_with_mug)
    with pytest.raises(ValidationFailed):
        services.production_order_hold(actor=people.planner, production_order_id=po.pk, reason="")
    po = services.production_order_hold(actor=people.planner, production_order_id=po.pk,
                                        reason="Customer checks the colour")
    assert po.status == P.ON_HOLD and po.held_from == P.IN_PRODUCTION
    order_with_mug.refresh_from_db()
    assert order_with_mug.production_status == PS.IN_PROGRESS  # held while running: still in production
    po = services.production_order_resume(actor=people.planner, production_order_id=po.pk)
    assert po.status == P.IN_PRODUCTION and po.held_from == ""
    _produce(po, "1")
    with pytest.raises(BusinessError) as produced:
        services.production_order_cancel(actor=people.planner, production_order_id=po.pk, reason="wrong factory")
    assert produced.value.code == "already_produced"
    _produce(po, "0")
    po = services.production_order_cancel(actor=people.planner, production_order_id=po.pk,
                                          reason="Factory cannot make the glaze")
    assert po.status == P.CANCELLED and po.status_reason == "Factory cannot make the glaze"
    rows = order_quantities(order_with_mug)
    assert [r.unallocated for r in rows] == [Decimal("1000"), Decimal("3")]


def test_a_transition_not_in_the_table_is_refused(people, order_with_mug):
    po = _po(order_with_mug)
    for call in (services.production_order_start, services.production_order_close,
                 services.production_order_resume):
        with pytest.raises(TransitionNotAllowed):
            call(actor=people.planner, production_order_id=po.pk)
    with pytest.raises(BusinessError) as stale:
        services.production_order_issue(actor=people.planner, production_order_id=po.pk, expected_version=99)
    assert stale.value.status == 409
    po.refresh_from_db()
    assert po.status == P.DRAFT


def test_an_order_is_split_over_two_factories_and_never_over_allocated(people, mug, workshop):
    from gendan.sales.tests.conftest import make_confirmed

    order = make_confirmed(people)
    mugs, boxes = order.lines.order_by("line_no")
    order = release(people, order, [{"supplier": workshop, "due_date": due(30), "lines": {mugs.pk: "600"}}])
    assert [(r.ordered, r.allocated, r.unallocated) for r in order_quantities(order)] == [
        (Decimal("1000"), Decimal("600"), Decimal("400")), (Decimal("3"), Decimal("0"), Decimal("3"))]
    with pytest.raises(ValidationFailed) as over:
        services.production_order_add(actor=people.planner, order_id=order.pk, supplier=people.factory,
                                      due_date=due(30), lines={mugs.pk: "401"})
    assert "more than the 400 still to be allocated (ordered 1,000)" in over.value.message
    assert "change order" in over.value.message
    second = services.production_order_add(actor=people.planner, order_id=order.pk, supplier=people.factory,
                                           due_date=due(35))
    assert {(line.order_line_id, line.quantity) for line in second.lines.all()} == {
        (mugs.pk, Decimal("400")), (boxes.pk, Decimal("3"))}
    with pytest.raises(BusinessError) as full:
        services.production_order_add(actor=people.planner, order_id=order.pk, supplier=people.factory,
                                      due_date=due(35))
    assert full.value.code == "fully_allocated"
    # Raising a draft's quantity beyond what is left is refused too.
    first = order.production_orders.get(supplier=workshop)
    with pytest.raises(ValidationFailed):
        services.production_order_update(actor=people.planner, production_order_id=first.pk,
                                         lines={first.lines.get().pk: {"quantity": "601"}})
    assert order.production_orders.count() == 2
    assert any("added" in m for m in _order_messages(order))


def test_the_orders_production_status_waits_for_every_production_order(people, workshop, first_article_ok):
    from gendan.sales.tests.conftest import make_confirmed

    order = make_confirmed(people)
    mugs, boxes = order.lines.order_by("line_no")
    order = release(people, order, [{"supplier": workshop, "due_date": due(30), "lines": {mugs.pk: "1000"}},
                                    {"supplier": people.factory, "due_date": due(30), "lines": {boxes.pk: "3"}}])
    own = order.production_orders.get(supplier=workshop)
    own = services.production_order_issue(actor=people.planner, production_order_id=own.pk)
    own = services.production_order_accept(actor=people.planner, production_order_id=own.pk, committed_due_date=due(9))
    own = services.production_order_start(actor=people.planner, production_order_id=own.pk)
    _produce(own)
    services.production_order_finish(actor=people.planner, production_order_id=own.pk)
    order.refresh_from_db()
    assert order.production_status == PS.IN_PROGRESS  # the boxes are not made yet
    boxes_po = order.production_orders.get(supplier=people.factory)
    services.production_order_cancel(actor=people.planner, production_order_id=boxes_po.pk,
                                      reason="boxes come from stock")
    order.refresh_from_db()
    assert order.production_status == PS.IN_PROGRESS  # 3 boxes are no longer on any production order


def test_adding_is_refused_unless_the_order_is_in_production(people):
    from gendan.sales.tests.conftest import make_confirmed

    order = make_confirmed(people)
    with pytest.raises(BusinessError) as refused:
        services.production_order_add(actor=people.planner, order_id=order.pk, supplier=people.factory,
                                      due_date=due(30))
    assert refused.value.code == "order_not_in_production"
    assert not order.production_orders.exists()


def test_roles_that_may_not_change_production_orders_change_nothing(people, order_with_mug, make_user):
    po = _po(order_with_mug)
    from django.http import Http404

    for user in (people.qc, people.finance, people.warehouse, people.sales):
        with pytest.raises(NotAllowed):
            services.production_order_update(actor=user, production_order_id=po.pk, data={"notes": "x"})
        with pytest.raises(NotAllowed):
            services.production_order_cancel(actor=user, production_order_id=po.pk, reason="not my job at all")
    with pytest.raises(Http404):  # another team's merchandiser does not even see it
        services.production_order_update(actor=people.other_merch, production_order_id=po.pk, data={"notes": "x"})
    po.refresh_from_db()
    assert po.version == 1 and po.notes == ""


def test_a_merchandiser_edits_only_the_orders_they_follow(people, order_with_mug, make_user):
    from gendan.accounts.models import Team

    colleague = make_user("merchandiser", username="colleague", team=Team.objects.get(name="Team A"))
    po = _po(order_with_mug)
    with pytest.raises(NotAllowed):
        services.production_order_update(actor=colleague, production_order_id=po.pk, data={"notes": "x"})
    po = services.production_order_update(actor=people.merch, production_order_id=po.pk, data={"notes": "mine"})
    assert po.notes == "mine"


@pytest.mark.dates
def test_the_ta_plan_follows_acceptance_start_and_finish(people, order_with_mug, first_article_ok):
    """The factory's committed date becomes the forecast of "production finished"; the first
    start and the last finish complete their milestones."""
    from gendan.tracking.hooks import Milestone

    def milestone(completes_on):
        return order_with_mug.milestones.filter(completes_on=completes_on).first()

    if milestone(Milestone.PRODUCTION_STARTED) is None:
        pytest.skip("the order's T&A plan has no production milestones")
    po = _issued(people, order_with_mug)
    services.production_order_accept(actor=people.planner, production_order_id=po.pk, committed_due_date=due(33))
    finished = milestone(Milestone.PRODUCTION_FINISHED)
    assert finished.expected_date == due(33)
    po = services.production_order_start(actor=people.planner, production_order_id=po.pk)
    assert milestone(Milestone.PRODUCTION_STARTED).status == "done"
    _produce(po)
    services.production_order_finish(actor=people.planner, production_order_id=po.pk)
    assert milestone(Milestone.PRODUCTION_FINISHED).status == "done"


def test_saving_the_draft_unchanged_records_no_edit(people, order_with_mug):
    po = _po(order_with_mug)
    same = services.production_order_update(
        actor=people.planner, production_order_id=po.pk,
        data={"sign_off": list(reversed(po.sign_off)), "copy_to": po.copy_to, "email_to": po.email_to,
              "due_date": po.due_date, "notes": ""},
        lines={line.pk: {"quantity": str(line.quantity), "spec": line.spec} for line in po.lines.all()})
    assert same.version == po.version == 1
