"""What the T&A writes on timelines: each entry is a kind and its parameters, shown in the
reader's language (``core.events``). A person's own words (a chase note, a communication's
summary, an action item) travel as parameters, as they were typed.

The texts are msgids (``gettext_noop``); core loads this module at start-up, so every kind is
known before the first timeline is shown.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from gendan.core.events import event_kind_register

# --- milestones (on the order's timeline) --------------------------------------------------------

MILESTONE_DONE = event_kind_register(
    "tracking.milestone_done", gettext_noop("T&A: “%(name)s” done %(date)s (planned %(planned)s)."))
MILESTONES_DONE_AUTOMATICALLY = event_kind_register(
    "tracking.milestones_done_automatically", gettext_noop("T&A: %(names)s done %(date)s (automatically)."))
MILESTONE_SKIPPED = event_kind_register("tracking.milestone_skipped", gettext_noop("T&A: “%(name)s” skipped."))
MILESTONE_EXPECTED = event_kind_register(
    "tracking.milestone_expected", gettext_noop("T&A: “%(name)s” now expected %(new)s (was %(old)s)."))
MILESTONE_NOTE = event_kind_register("tracking.milestone_note", gettext_noop("T&A note on “%(name)s”: %(note)s"))
MILESTONE_NOTE_FOLLOW_UP = event_kind_register(
    "tracking.milestone_note_follow_up",
    gettext_noop("T&A note on “%(name)s”: %(note)s (follow up %(date)s)"))
MILESTONE_ASSIGNED = event_kind_register(
    "tracking.milestone_assigned", gettext_noop("T&A: “%(name)s” given to %(owner)s."))

# --- the plan ------------------------------------------------------------------------------------

PLAN_CREATED = event_kind_register(
    "tracking.plan_created",
    gettext_noop("T&A plan created from “%(template)s”: %(n)d milestones, ex-factory %(date)s."))
PLAN_REPLANNED = event_kind_register(
    "tracking.plan_replanned",
    gettext_noop("T&A re-planned: %(n)d open milestones moved; done milestones keep their dates."))
PLAN_CLOSED = event_kind_register(
    "tracking.plan_closed", gettext_noop("T&A plan closed (%(why)s): %(n)d open milestones skipped."))
# The plan's risk changed; the text says why (also kept, rendered, as the plan's risk reason).
RISK_LATE = event_kind_register(
    "tracking.risk_late", gettext_noop("Predicted ex-factory %(date)s, %(days)d days after the promised date."))
RISK_OVERDUE = event_kind_register(
    "tracking.risk_overdue", gettext_noop("%(n)d overdue, the oldest “%(name)s” due %(date)s."))
RISK_SLIPPING = event_kind_register(
    "tracking.risk_slipping", gettext_noop("“%(name)s” expected %(days)d days after its plan."))
RISK_ON_TRACK = event_kind_register("tracking.risk_on_track", gettext_noop("T&A on track."))
# A booking cut-off passed while what it asks for is not done (``tracking.cutoffs``).
RISK_CUTOFF_MISSED = event_kind_register(
    "tracking.risk_cutoff_missed",
    gettext_noop("%(cutoff)s of booking %(no)s (%(forwarder)s) missed: %(at)s passed."))
# A milestone completed by another app's event reopened because that event was undone.
MILESTONE_REOPENED = event_kind_register(
    "tracking.milestone_reopened", gettext_noop("T&A: “%(name)s” reopened: %(why)s"))

# --- delay notices ---------------------------------------------------------------------------------

DELAY_NOTICE_DRAFTED = event_kind_register(
    "tracking.delay_notice_drafted", gettext_noop("Delay notice drafted: ex-factory %(promised)s → %(new)s"))
DELAY_NOTICE_SENT = event_kind_register(
    "tracking.delay_notice_sent", gettext_noop("Delay notice sent to %(to)s: ex-factory %(promised)s → %(new)s"))
DELAY_NOTICE_DISCARDED = event_kind_register("tracking.delay_notice_discarded", gettext_noop("Delay notice discarded"))

# --- meetings ------------------------------------------------------------------------------------

MEETING_PLANNED = event_kind_register(
    "tracking.meeting_planned", gettext_noop("Meeting planned for %(when)s with %(n)s attendees"))
MINUTES_RECORDED = event_kind_register(
    "tracking.minutes_recorded", gettext_noop("Minutes recorded, %(n)s new action items"))
ACTION_ITEM_ADDED = event_kind_register(
    "tracking.action_item_added", gettext_noop("Action from %(meeting)s: %(action)s — %(owner)s by %(due)s"))
ACTION_ITEM_DONE = event_kind_register("tracking.action_item_done", gettext_noop("Action done: %(action)s"))

# --- communications ----------------------------------------------------------------------------------

COMMUNICATION = event_kind_register(
    "tracking.communication", gettext_noop("%(channel)s %(direction)s%(who)s: %(summary)s"))
COMMUNICATION_ANSWERED = event_kind_register(
    "tracking.communication_answered", gettext_noop("Answered by %(channel)s %(when)s"))
FOLLOW_UP_DONE = event_kind_register(
    "tracking.follow_up_done", gettext_noop("Follow-up of %(date)s done: %(summary)s"))
# the order's chatter: an internal note, and the colleagues a note or message names with @
NOTE = event_kind_register("tracking.note", gettext_noop("Note: %(summary)s"))
MENTIONED = event_kind_register("tracking.mentioned", gettext_noop("Mentioned: %(people)s"))

# --- templates and the calendar ------------------------------------------------------------------

TEMPLATE_STEP_SAVED = event_kind_register("tracking.template_step_saved", gettext_noop("Milestone “%(name)s” saved."))
TEMPLATE_STEP_REMOVED = event_kind_register(
    "tracking.template_step_removed", gettext_noop("Milestone “%(name)s” removed."))
TEMPLATE_COPIED = event_kind_register("tracking.template_copied", gettext_noop("Copied from “%(name)s”."))
CALENDAR_DAY_SET = event_kind_register("tracking.calendar_day_set", gettext_noop("%(date)s %(kind)s %(name)s"))
