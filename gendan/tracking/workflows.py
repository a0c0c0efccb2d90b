"""The allowed state changes of the T&A's records, one service per transition.

Read with docs/workflows/tna.md (milestones) and docs/workflows/communications-and-reminders.md
(meetings, delay notices); a test keeps those tables equal to these. A transition not in a
table is refused with ``TransitionNotAllowed`` (409).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.core.workflow import Workflow
from gendan.tracking.models import DelayNotice, Meeting, OrderMilestone

MS = OrderMilestone.Status
M = Meeting.Status
D = DelayNotice.Status

_SERVICES = "gendan.tracking.services."

# A milestone is completed by a person or, automatically, when another app reports what it
# completes (``milestones_complete_from_event``); it is skipped by a person or when the order is
# cancelled, completed or closed (``plan_close``; a completed or closed order keeps its after-sales
# check-ins). Nothing a person does reopens it; the one exception, outside this
# table (a "done" milestone is not open for edits), is the T&A undoing its own automatic
# completion when what completed it was undone (``milestones_reopen_from_event``: the order's
# last confirmed booking cancelled reopens "booking").
MILESTONE = Workflow("milestone", OrderMilestone, label=_("milestone"), doc="tna", transitions={
    (MS.OPEN, MS.DONE): _SERVICES + "milestones.milestone_complete",
    (MS.OPEN, MS.SKIPPED): _SERVICES + "milestones.milestone_skip",
})

# Minutes of a held meeting may be completed later (more action items): an edit, not a transition.
MEETING = Workflow("meeting", Meeting, label=_("meeting"), doc="communications-and-reminders", transitions={
    (M.PLANNED, M.HELD): _SERVICES + "meetings.meeting_minutes_record",
    (M.PLANNED, M.CANCELLED): _SERVICES + "meetings.meeting_cancel",
})

# A later forecast updates the draft's dates (``delay_notice_draft``): an edit, not a transition.
DELAY_NOTICE = Workflow("delay_notice", DelayNotice, label=_("delay notice"), doc="communications-and-reminders",
                        transitions={
                            (D.DRAFT, D.SENT): _SERVICES + "delay_notices.delay_notice_send",
                            (D.DRAFT, D.DISCARDED): _SERVICES + "delay_notices.delay_notice_discard",
                        })


def open_states(workflow: Workflow) -> set[str]:
    """The states from which ``workflow`` still allows a move (until then the record may be edited)."""
    return {old for old, _new in workflow.transitions}


def is_open(workflow: Workflow, obj) -> bool:
    """Whether ``obj`` may still move on (and, until then, be edited)."""
    return workflow.state_of(obj) in open_states(workflow)
