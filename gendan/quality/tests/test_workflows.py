"""The workflow tables of quality (quality.workflows: inspections, first articles, samples) hold:
every move a table forbids is refused with 409 through the real service and changes nothing.
(That each edge names a service that exists, and that the tables equal docs/workflows/, is
checked for every workflow in core.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.core.events import timeline_for
from gendan.quality import services
from gendan.quality.models import FirstArticle, FirstArticleItem, Inspection, Sample
from gendan.quality.workflows import FIRST_ARTICLE, INSPECTION, SAMPLE
from gendan.sales.tests.conftest import make_in_production
from tests.workflow_harness import assert_forbidden_edges_refused

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def order(people):
    return make_in_production(people, requires_first_article=True)


def _put(obj, state: str):
    """Put ``obj`` in ``state`` (the test's starting point, not a step of the workflow)."""
    type(obj).objects.filter(pk=obj.pk).update(status=state)
    obj.refresh_from_db()
    return obj


def test_inspection(people, order):
    def make(state: str) -> Inspection:
        return _put(services.inspection_book(
            actor=people.merch, order_id=order.pk, kind="final", party="third_party", inspector="SGS Shenzhen",
            planned_on=TODAY() + dt.timedelta(days=3), lot_size=1000), state)

    def result(inspection, critical: int):
        return services.inspection_record_result(actor=people.qc, inspection_id=inspection.pk, inspected_on=TODAY(),
                                                 critical=critical, major=0, minor=0)

    I = Inspection.Status  # noqa: E741
    tried = assert_forbidden_edges_refused(INSPECTION, make=make, attempt={
        I.PASSED: lambda inspection: result(inspection, 0),
        I.FAILED: lambda inspection: result(inspection, 1),
        I.CANCELLED: lambda inspection: services.inspection_cancel(actor=people.qc, inspection_id=inspection.pk,
                                                                   reason="The customer cancelled it"),
    })
    assert tried == 6  # passed, failed and cancelled are final; nothing books an inspection again


def test_first_article(people, order):
    production_order = order.production_orders.get()

    def make(state: str) -> FirstArticle:
        first_article = FirstArticle.objects.create(
            production_order=production_order, sales_order=order, created_by=people.qc, status=state,
            round_no=FirstArticle.objects.count() + 1)
        FirstArticleItem.objects.create(first_article=first_article, position=1, topic="barcodes", result="pass")
        return first_article

    F = FirstArticle.Status
    tried = assert_forbidden_edges_refused(FIRST_ARTICLE, make=make, attempt={
        F.APPROVED: lambda fa: services.first_article_sign(actor=people.qc, first_article_id=fa.pk, side="qc"),
        F.REJECTED: lambda fa: services.first_article_reject(actor=people.qc, first_article_id=fa.pk,
                                                             reason="Logo blurred"),
    })
    assert tried == 2  # approved and rejected are final; the next round is a new first article


def test_sample(people, order):
    def make(state: str) -> Sample:
        return _put(services.sample_request(actor=people.merch, order_id=order.pk, kind="pp", quantity=3,
                                            requested_on=TODAY() + dt.timedelta(days=10)), state)

    S = Sample.Status
    tried = assert_forbidden_edges_refused(SAMPLE, make=make, attempt={
        S.SENT: lambda sample: services.sample_send(actor=people.merch, sample_id=sample.pk, sent_on=TODAY()),
        S.APPROVED: lambda sample: services.sample_sign(actor=people.qc, sample_id=sample.pk, department="qc",
                                                        verdict="approved"),
        S.REJECTED: lambda sample: services.sample_sign(actor=people.qc, sample_id=sample.pk, department="qc",
                                                        verdict="rejected", comment="Colour too dark"),
        S.CANCELLED: lambda sample: services.sample_cancel(actor=people.merch, sample_id=sample.pk,
                                                           reason="The customer dropped the colour"),
    })
    assert tried == 9  # nothing makes a sample "requested" again


def test_a_sample_no_longer_needed_is_cancelled_with_the_reason(people, order):
    sample = services.sample_request(actor=people.merch, order_id=order.pk, kind="lab_dip", quantity=2,
                                     requested_on=TODAY() + dt.timedelta(days=5))
    sample = services.sample_cancel(actor=people.merch, sample_id=sample.pk, reason="The customer dropped the colour",
                                    expected_version=sample.version)
    assert sample.status == Sample.Status.CANCELLED
    [event] = [e for e in timeline_for(sample) if e.changes.get("status")]
    assert event.reason == "The customer dropped the colour" and event.changes["status"]["new"] == "cancelled"
