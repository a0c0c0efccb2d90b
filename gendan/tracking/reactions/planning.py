"""What the T&A does when planning records progress, schedules or reports an exception: the
production and ex-factory milestones' forecasts follow (``tracking.hooks``), in the same
transaction."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.core.domain_events import subscribe
from gendan.planning.events import ExFactoryExpected, ProductionProgressRecorded, ScheduleChanged
from gendan.tracking.hooks import Milestone, milestone_forecast


def on_progress_recorded(event: ProductionProgressRecorded) -> None:
    """The factory's latest expected finish is the forecast of "production finished"."""
    if event.expected_finish is None:
        return
    milestone_forecast(order=event.order, key=Milestone.PRODUCTION_FINISHED, actor=event.actor,
                       on=event.expected_finish, reason=_("Expected finish of %(po)s from the daily progress") % {
                           "po": event.production_order.number})


def on_schedule_changed(event: ScheduleChanged) -> None:
    """The schedule's first and last day are the forecasts of "production started" / "finished"."""
    milestone_forecast(order=event.order, key=Milestone.PRODUCTION_STARTED, actor=event.actor,
                       on=event.first_day, reason=event.reason)
    milestone_forecast(order=event.order, key=Milestone.PRODUCTION_FINISHED, actor=event.actor,
                       on=event.last_day, reason=event.reason)


def on_ex_factory_expected(event: ExFactoryExpected) -> None:
    """A production exception's new ex-factory date is the ex-factory milestone's forecast (from
    which the T&A drafts the delay notice when it passes the promised date)."""
    milestone_forecast(order=event.order, key=Milestone.EX_FACTORY, actor=event.actor, on=event.on,
                       reason=event.reason)


subscribe(ProductionProgressRecorded, on_progress_recorded)
subscribe(ScheduleChanged, on_schedule_changed)
subscribe(ExFactoryExpected, on_ex_factory_expected)
