"""The T&A's workflow tables (tracking/workflows.py) hold: every move the table forbids — to a
milestone, a meeting, a delay notice — is refused with 409 through the real service, and leaves
the record, its version and every timeline as they were. (That each edge names a service that
exists, and that the tables equal the docs, is checked for every workflow in core.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.tracking.models import DelayNotice, Meeting, OrderMilestone
from gendan.tracking.services import delay_notices, meetings, milestones
from gendan.tracking.workflows import DELAY_NOTICE, MEETING, MILESTONE
from tests.workflow_harness import assert_forbidden_edges_refused

pytestmark = pytest.mark.django_db

MS, M, D = OrderMilestone.Status, Meeting.Status, DelayNotice.Status


def test_milestone(people, confirmed):
    merch = people.merch
    fresh = iter(confirmed.plan.milestones.filter(status=MS.OPEN).exclude(key="deposit_received").order_by("-sequence"))

    def make(state):
        milestone = next(fresh)
        if state == MS.DONE:
            milestones.milestone_complete(actor=merch, milestone_id=milestone.pk, reason="done ahead of its turn")
        elif state == MS.SKIPPED:
            milestones.milestone_skip(actor=merch, milestone_id=milestone.pk, reason="not needed for this order")
        milestone.refresh_from_db()
        return milestone

    tried = assert_forbidden_edges_refused(MILESTONE, make=make, attempt={
        MS.DONE: lambda m: milestones.milestone_complete(actor=merch, milestone_id=m.pk, reason="done after all"),
        MS.SKIPPED: lambda m: milestones.milestone_skip(actor=merch, milestone_id=m.pk, reason="not needed after all"),
    })
    assert tried == 2  # done → skipped, skipped → done; nothing reopens a milestone


def test_meeting(people):
    planner = people.planner

    def make(state):
        meeting = meetings.meeting_create(
            actor=planner, title="Weekly production meeting", attendee_ids=[people.merch.pk],
            starts_at=timezone.now() + dt.timedelta(days=1))
        if state == M.HELD:
            meetings.meeting_minutes_record(actor=planner, meeting_id=meeting.pk, minutes="Orders reviewed.")
        elif state == M.CANCELLED:
            meetings.meeting_cancel(actor=planner, meeting_id=meeting.pk, reason="Public holiday")
        meeting.refresh_from_db()
        return meeting

    tried = assert_forbidden_edges_refused(MEETING, make=make, attempt={
        M.HELD: lambda m: meetings.meeting_minutes_record(actor=planner, meeting_id=m.pk, minutes="Late minutes."),
        M.CANCELLED: lambda m: meetings.meeting_cancel(actor=planner, meeting_id=m.pk, reason="Not needed"),
    })
    assert tried == 2  # held → cancelled, cancelled → held


def test_delay_notice(people, confirmed):
    merch = people.merch

    def make(state):
        DelayNotice.objects.filter(order=confirmed, status=D.DRAFT).delete()  # one draft per order
        notice = delay_notices.delay_notice_draft(
            order=confirmed, new_date=confirmed.ex_factory_date + dt.timedelta(days=7), reason="The glaze failed.")
        if state == D.SENT:
            delay_notices.delay_notice_send(actor=merch, notice_id=notice.pk, subject=notice.subject,
                                            body=notice.body, expected_version=notice.version)
        elif state == D.DISCARDED:
            delay_notices.delay_notice_discard(actor=merch, notice_id=notice.pk, reason="Recovered by overtime")
        notice.refresh_from_db()
        return notice

    tried = assert_forbidden_edges_refused(DELAY_NOTICE, make=make, attempt={
        D.SENT: lambda n: delay_notices.delay_notice_send(actor=merch, notice_id=n.pk, subject=n.subject,
                                                          body=n.body, expected_version=n.version),
        D.DISCARDED: lambda n: delay_notices.delay_notice_discard(actor=merch, notice_id=n.pk,
                                                                  reason="Not needed"),
    })
    assert tried == 2  # sent → discarded, discarded → sent
