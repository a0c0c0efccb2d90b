"""Error codes of the T&A: milestones, communications, meetings and delay notices.

Besides these the T&A answers with core's codes (``core.errors.CoreError``): ``forbidden``
(the role may not), ``not_found`` (missing, or another team's order), ``conflict`` (stale
``version``), ``transition_not_allowed`` (the workflow forbids the move: docs/workflows/tna.md,
communications-and-reminders.md), ``reason_required``, ``invalid_date`` and
``validation_failed``.
"""

from gendan.core.errors import ErrorCode, Kind


class TrackingError(ErrorCode):
    # milestones
    NOT_OPEN = "not_open", Kind.STATE, "the milestone is done or skipped: it no longer changes"
    NOT_OWNER = "not_owner", Kind.PERMISSION, (
        "only the milestone's owner (or its department when unassigned), the order's merchandiser or a manager")
    PREDECESSOR_OPEN = "predecessor_open", Kind.VALIDATION, (
        "completing a milestone before the one it follows needs a reason")
    COMPLETED_BY_EVENT = "completed_by_event", Kind.STATE, (
        "the milestone records a fact another module reports: it is completed by that event, not by hand")
    # meetings
    ACTION_DONE = "action_done", Kind.STATE, "the meeting's action item was already marked done"
    # communications
    NO_FOLLOW_UP = "no_follow_up", Kind.STATE, "the communication has no follow-up date to mark done"
    FOLLOW_UP_DONE = "follow_up_done", Kind.STATE, "the communication's follow-up was already marked done"
    # delay notices
    NO_RECIPIENT = "no_recipient", Kind.VALIDATION, (
        "the customer has no email address: add a contact with an email before sending")
