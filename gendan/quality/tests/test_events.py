"""What quality tells the rest of the house (quality.events): an inspection's note on the order
reads in the reader's language, and the milestone it completes is linked to that row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from gendan.core.events import timeline_for
from gendan.quality.events import InspectionFailed, InspectionPassed
from gendan.quality.services import inspection_book, inspection_record_result
from gendan.sales.tests.conftest import make_in_production

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_inspection_results_read_in_the_readers_language_and_the_pass_completes_the_milestone(people):
    order = make_in_production(people)
    first = inspection_book(actor=people.merch, order_id=order.pk, kind="final", party="customer",
                            inspector="buyer's QA", planned_on=TODAY() + dt.timedelta(days=1), lot_size=1000)
    inspection_record_result(actor=people.qc, inspection_id=first.pk, inspected_on=TODAY(), critical=0, major=6,
                             minor=0)
    failed = timeline_for(order, limit=None).get(kind=InspectionFailed.kind)
    with translation.override("en"):
        assert failed.text == f"{first.number} failed: critical 0, major 6, minor 0 in 80 pieces (over the limit: major)"
    with translation.override("zh-hans"):
        assert failed.text.startswith(f"{first.number} 不合格") and "major" not in failed.text
    assert timeline_for(first, limit=None).filter(kind=InspectionFailed.kind).exists()  # the inspection's own row

    again = first.reinspections.get()
    inspection_record_result(actor=people.qc, inspection_id=again.pk, inspected_on=TODAY(), critical=0, major=1,
                             minor=0)
    passed = timeline_for(order, limit=None).get(kind=InspectionPassed.kind)
    milestone = order.milestones.filter(key="final_inspection").first()
    assert milestone.status == "done" and milestone.completed_event_id == passed.pk
