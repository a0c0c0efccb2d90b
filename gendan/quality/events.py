"""What quality tells the rest of the house: typed domain events (``core.domain_events``),
published by ``quality.services`` inside the transaction that made the change.

An event's row (``event.record``) is the note on the sales order's timeline; the inspection,
first article or sample gets a row of the same kind on its own timeline (``params()`` are the
same). Both render in the reader's language. The T&A reacts in
``tracking/reactions/quality.py`` (inspection dates become forecasts; passed inspections, the
approved first article and the approved PP sample complete milestones).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent
from gendan.core.events import choice, event_kind_register, tr
from gendan.core.models import Event
from gendan.quality.models import FirstArticle, Inspection, Sample, SampleSignoff
from gendan.sales.models import SalesOrder


@dataclass(kw_only=True)
class QualityEvent(DomainEvent):
    """Something quality recorded for sales order ``order``; its row is a note on the order's timeline."""

    verb: ClassVar[str] = Event.Verb.NOTE
    order: SalesOrder


# --- inspections ---------------------------------------------------------------------------


@dataclass(kw_only=True)
class InspectionEvent(QualityEvent):
    inspection: Inspection

    def _found(self) -> dict:
        i = self.inspection
        return {"no": i.number, "c": i.critical_found, "ma": i.major_found, "mi": i.minor_found, "n": i.sample_size}


@dataclass(kw_only=True)
class InspectionBooked(InspectionEvent):
    """An inline or final inspection was booked for ``inspection.planned_on`` (a re-inspection too)."""

    kind = "quality.inspection_booked"
    text = gettext_noop("%(kind)s %(no)s booked for %(date)s: %(party)s %(inspector)s, lot %(lot)s, sample %(n)s")

    def params(self) -> dict:
        i = self.inspection
        return {"kind": choice(Inspection, "kind", i.kind), "no": i.number, "date": i.planned_on.isoformat(),
                "party": choice(Inspection, "party", i.party), "inspector": i.inspector, "lot": i.lot_size,
                "n": i.sample_size}


@dataclass(kw_only=True)
class InspectionPassed(InspectionEvent):
    """Every defect class was within its Ac (on ``inspection.inspected_on``)."""

    kind = "quality.inspection_passed"
    text = gettext_noop("%(no)s passed: critical %(c)s, major %(ma)s, minor %(mi)s in %(n)s pieces")

    def params(self) -> dict:
        return self._found()


# The defect classes' names as msgids (the inspection's plan rows name them the same way).
DEFECT_CLASSES = {"critical": gettext_noop("critical"), "major": gettext_noop("major"),
                  "minor": gettext_noop("minor")}


@dataclass(kw_only=True)
class InspectionFailed(InspectionEvent):
    """A defect class reached its Re; the re-inspection is booked next (``InspectionBooked``)."""

    kind = "quality.inspection_failed"
    text = gettext_noop(
        "%(no)s failed: critical %(c)s, major %(ma)s, minor %(mi)s in %(n)s pieces (over the limit: %(over)s)")

    def params(self) -> dict:
        over = [tr(DEFECT_CLASSES[row["key"]]) for row in self.inspection.plan_rows() if row["ok"] is False]
        return {**self._found(), "over": over}


@dataclass(kw_only=True)
class InspectionCancelled(InspectionEvent):
    kind = "quality.inspection_cancelled"
    text = gettext_noop("%(no)s cancelled")

    def params(self) -> dict:
        return {"no": self.inspection.number}


INSPECTION_BOOKING_EMAIL_FAILED = event_kind_register(
    "quality.inspection_booking_email_failed", gettext_noop("Booking email to %(to)s failed: %(error)s"))


# --- first articles ------------------------------------------------------------------------


@dataclass(kw_only=True)
class FirstArticleEvent(QualityEvent):
    first_article: FirstArticle

    def params(self) -> dict:
        return {"po": self.first_article.production_order.number, "n": self.first_article.round_no}


@dataclass(kw_only=True)
class FirstArticleOpened(FirstArticleEvent):
    kind = "quality.first_article_opened"
    text = gettext_noop("First article #%(n)s of %(po)s opened: %(items)s")
    topics: list[str]

    def params(self) -> dict:
        return {**super().params(), "items": ", ".join(self.topics)}


@dataclass(kw_only=True)
class FirstArticleSigned(FirstArticleEvent):
    """QC or sales (``side``) signed the checked first article; the other signature is missing."""

    kind = "quality.first_article_signed"
    text = gettext_noop("%(po)s first article #%(n)s signed by %(who)s (%(user)s)")
    side: str

    def params(self) -> dict:
        who = tr(gettext_noop("QC")) if self.side == "qc" else tr(gettext_noop("sales"))
        return {**super().params(), "who": who, "user": str(self.actor)}


@dataclass(kw_only=True)
class FirstArticleApproved(FirstArticleSigned):
    """The second signature: the first article is approved, mass production may start."""

    kind = "quality.first_article_approved"
    text = gettext_noop("%(po)s first article #%(n)s signed by %(who)s (%(user)s) — approved")


@dataclass(kw_only=True)
class FirstArticleRejected(FirstArticleEvent):
    kind = "quality.first_article_rejected"
    text = gettext_noop("%(po)s first article #%(n)s rejected")


# --- samples -------------------------------------------------------------------------------


@dataclass(kw_only=True)
class SampleEvent(QualityEvent):
    sample: Sample

    def params(self) -> dict:
        return {"kind": choice(Sample, "kind", self.sample.kind), "order": str(self.order)}


@dataclass(kw_only=True)
class SampleRequested(SampleEvent):
    kind = "quality.sample_requested"
    text = gettext_noop("%(kind)s requested: %(qty)s pcs by %(date)s")

    def params(self) -> dict:
        return {"kind": choice(Sample, "kind", self.sample.kind), "qty": self.sample.quantity,
                "date": self.sample.requested_on.isoformat()}


@dataclass(kw_only=True)
class SampleSent(SampleEvent):
    """A round of the sample went out (``reason``: the warning of a shipping sample sent early)."""

    kind = "quality.sample_sent"
    text = gettext_noop("%(kind)s · %(order)s round %(n)s sent %(date)s %(courier)s %(no)s")
    round_no: int
    sent_on: dt.date
    courier: str = ""
    tracking_no: str = ""

    def params(self) -> dict:
        return {**super().params(), "n": self.round_no, "date": self.sent_on.isoformat(), "courier": self.courier,
                "no": self.tracking_no}


@dataclass(kw_only=True)
class SampleReceived(SampleEvent):
    """The round was received; comments are due by ``comments_due_on``. On the sample's timeline only."""

    kind = "quality.sample_received"
    text = gettext_noop("%(kind)s · %(order)s round %(n)s received %(date)s; comments due %(due)s")
    round_no: int
    received_on: dt.date
    comments_due_on: dt.date

    def subject(self):
        return self.sample

    def params(self) -> dict:
        return {**super().params(), "n": self.round_no, "date": self.received_on.isoformat(),
                "due": self.comments_due_on.isoformat()}


@dataclass(kw_only=True)
class SampleSignedOff(SampleEvent):
    """A department signed the current round off (``reason``: its comment); the sample's state
    is unchanged until every required department approved or one rejected."""

    kind = "quality.sample_signed_off"
    text = gettext_noop("%(kind)s · %(order)s round %(n)s: %(dept)s %(verdict)s")
    round_no: int
    department: str
    verdict: str

    def params(self) -> dict:
        return {**super().params(), "n": self.round_no, "dept": choice(SampleSignoff, "department", self.department),
                "verdict": choice(SampleSignoff, "verdict", self.verdict)}


@dataclass(kw_only=True)
class SampleApproved(SampleSignedOff):
    """The last required department approved: the sample is approved."""

    kind = "quality.sample_approved"


@dataclass(kw_only=True)
class SampleRejected(SampleSignedOff):
    """A department rejected the round: another round follows."""

    kind = "quality.sample_rejected"


@dataclass(kw_only=True)
class SampleCancelled(SampleEvent):
    kind = "quality.sample_cancelled"
    text = gettext_noop("%(kind)s · %(order)s cancelled")


# --- customer AQLs -------------------------------------------------------------------------

QUALITY_PROFILE_UPDATED = event_kind_register(
    "quality.profile_updated",
    gettext_noop("Quality profile: critical %(c)s, major %(ma)s, minor %(mi)s, level %(l)s"))
