"""What a production order's steps tell the rest of the house (production.events): the step's
note on the sales order reads in the reader's language, and the T&A's milestone is linked to the
production order's status-change row, the event's own row."""

from __future__ import annotations

import pytest
from django.utils import translation

from gendan.core.events import timeline_for
from gendan.production import services
from gendan.production.events import ORDER_STEP, ProductionStarted
from gendan.production.tests.conftest import due
from gendan.tracking.keys import Milestone

pytestmark = pytest.mark.django_db


def test_a_step_reads_in_the_readers_language_and_completes_the_milestone_with_its_row(
        people, order_with_mug, first_article_ok):
    po = order_with_mug.production_orders.get()
    services.production_order_update(actor=people.planner, production_order_id=po.pk,
                                     lines={line.pk: {"unit_cost": "1.5"} for line in po.lines.all()})
    services.production_order_issue(actor=people.planner, production_order_id=po.pk)
    services.production_order_accept(actor=people.planner, production_order_id=po.pk, committed_due_date=due(20))
    services.production_order_start(actor=people.planner, production_order_id=po.pk)

    note = next(e for e in timeline_for(order_with_mug) if e.kind == ORDER_STEP and e.params["new"]["_c"][2] == "issued")
    with translation.override("en"):
        assert note.text == f"Production order {po.number} (FAC1): draft → issued"
    with translation.override("zh-hans"):
        assert note.text.startswith(f"生产单 {po.number}（FAC1）：") and "draft" not in note.text

    started = timeline_for(po, limit=None).get(kind=ProductionStarted.kind)
    assert started.changes == {"status": {"old": "accepted", "new": "in_production"}}
    milestone = order_with_mug.milestones.filter(completes_on=Milestone.PRODUCTION_STARTED).first()
    assert milestone.status == "done" and milestone.completed_event_id == started.pk
