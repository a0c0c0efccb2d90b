"""What the T&A does when quality records something (``quality.events``): a booked inspection's
date becomes the forecast of its milestone; a passed inspection, the approved first article and
the approved PP sample complete theirs — in the same transaction, linked to the order's row of
the event (``event.record``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.core.domain_events import subscribe
from gendan.quality.events import FirstArticleApproved, InspectionBooked, InspectionPassed, SampleApproved
from gendan.quality.models import Inspection, Sample
from gendan.tracking.hooks import Milestone, milestone_forecast, milestone_reached

# The milestone each kind of inspection completes when it passes.
MILESTONE = {Inspection.Kind.INLINE: Milestone.INLINE_INSPECTION, Inspection.Kind.FINAL: Milestone.FINAL_INSPECTION}


def on_inspection_booked(event: InspectionBooked) -> None:
    inspection = event.inspection
    milestone_forecast(order=event.order, key=MILESTONE[inspection.kind], actor=event.actor, on=inspection.planned_on,
                       reason=_("inspection %(no)s booked") % {"no": inspection.number})


def on_inspection_passed(event: InspectionPassed) -> None:
    inspection = event.inspection
    milestone_reached(order=event.order, key=MILESTONE[inspection.kind], actor=event.actor, event=event.record,
                      on=inspection.inspected_on)


def on_first_article_approved(event: FirstArticleApproved) -> None:
    milestone_reached(order=event.order, key=Milestone.FIRST_ARTICLE_APPROVED, actor=event.actor, event=event.record)


def on_sample_approved(event: SampleApproved) -> None:
    if event.sample.kind == Sample.Kind.PP:
        milestone_reached(order=event.order, key=Milestone.PP_SAMPLE_APPROVED, actor=event.actor, event=event.record)


subscribe(InspectionBooked, on_inspection_booked)
subscribe(InspectionPassed, on_inspection_passed)
subscribe(FirstArticleApproved, on_first_article_approved)
subscribe(SampleApproved, on_sample_approved)
