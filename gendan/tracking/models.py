"""T&A (Time & Action): milestone templates, every order's plan, the chase board's other
items (communications with a follow-up, meeting action items), delay notices and the
reminders' bookkeeping. The working-day calendar lives in ``core`` (``core.calendar``).

A plan is generated from a template when the order is confirmed, scheduled backwards from
the ex-factory date. Each milestone keeps three dates — planned (fixed at generation, moved
only by re-planning), forecast (where it is heading now) and actual (when it was done) —
and the plan keeps the order's risk, so lists can filter on it without reading milestones.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gendan.accounts.roles import Role
from gendan.core.events import event_kinds, render_params
from gendan.core.models import BilingualNameMixin, TimeStampedModel, VersionedModel
from gendan.tracking.facts import completed_by
from gendan.tracking.keys import Milestone as Key

# --- templates ---------------------------------------------------------------------------


class Anchor(models.TextChoices):
    PREVIOUS = "previous", _("the milestone it follows")
    ORDER_DATE = "order_date", _("order date")
    EX_FACTORY = "ex_factory", _("ex-factory date")
    ETD = "etd", _("ETD")
    ETA = "eta", _("ETA")
    DELIVERY = "delivery", _("delivery date")


class DayKind(models.TextChoices):
    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")


class CompletesOn(models.TextChoices):
    """Events that complete a milestone by themselves (``tracking.hooks``)."""

    PO_RECEIVED = Key.PO_RECEIVED, _("order confirmed")
    PI_CONFIRMED = Key.PI_CONFIRMED, _("PI / contract issued")
    DEPOSIT_RECEIVED = Key.DEPOSIT_RECEIVED, _("deposit received")
    PRODUCTION_RELEASED = Key.PRODUCTION_RELEASED, _("production released")
    BOM_CONFIRMED = Key.BOM_CONFIRMED, _("BOM confirmed")
    MATERIAL_ETAS_CONFIRMED = Key.MATERIAL_ETAS_CONFIRMED, _("material ETAs confirmed")
    MATERIALS_IN = Key.MATERIALS_IN, _("materials in")
    PP_SAMPLE_APPROVED = Key.PP_SAMPLE_APPROVED, _("PP sample approved")
    FIRST_ARTICLE_APPROVED = Key.FIRST_ARTICLE_APPROVED, _("first article approved")
    PRODUCTION_STARTED = Key.PRODUCTION_STARTED, _("production started")
    INLINE_INSPECTION = Key.INLINE_INSPECTION, _("inline inspection passed")
    PRODUCTION_FINISHED = Key.PRODUCTION_FINISHED, _("production finished")
    FINAL_INSPECTION = Key.FINAL_INSPECTION, _("final inspection passed")
    BOOKING = Key.BOOKING, _("booking made")
    EX_FACTORY = Key.EX_FACTORY, _("goods left the factory")
    ETD = Key.ETD, _("shipped")
    SHIPPING_ADVICE = Key.SHIPPING_ADVICE, _("shipping advice sent")
    DOCUMENTS_SENT = Key.DOCUMENTS_SENT, _("documents sent")
    BALANCE_RECEIVED = Key.BALANCE_RECEIVED, _("balance received")
    CLOSED = Key.CLOSED, _("order closed")


class MilestoneTemplate(VersionedModel):
    """An ordered list of milestones for a kind of order. The most specific active template
    wins: customer + category, customer, category, then the default of the order's kind."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("export")
        DOMESTIC = "domestic", _("domestic")

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.EXPORT)
    customer = models.ForeignKey("parties.Customer", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="milestone_templates", verbose_name=_("customer"))
    category = models.ForeignKey("catalog.ProductCategory", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="milestone_templates", verbose_name=_("product category"))
    is_default = models.BooleanField(_("default for its kind"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    transit_days = models.PositiveSmallIntegerField(
        _("expected transit days (ETD → ETA)"), default=30,
        help_text=_("Until the goods ship, ETA-anchored milestones assume this transit time."))
    etd_after_ex_factory = models.PositiveSmallIntegerField(
        _("days from ex-factory to ETD"), default=4,
        help_text=_("Until the shipment is booked, ETD-anchored milestones assume this gap."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("milestone template")
        verbose_name_plural = _("milestone templates")
        constraints = [models.UniqueConstraint(fields=["kind"], condition=Q(is_default=True),
                                               name="uniq_default_template_per_kind")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tracking:template_detail", args=[self.pk])


class TemplateStep(BilingualNameMixin, models.Model):
    template = models.ForeignKey(MilestoneTemplate, on_delete=models.CASCADE, related_name="steps")
    sequence = models.PositiveSmallIntegerField(_("order"))
    key = models.SlugField(_("key"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    owner_role = models.CharField(_("owner role"), max_length=20, choices=Role.choices)
    anchor = models.CharField(_("anchor"), max_length=12, choices=Anchor.choices)
    offset_days = models.SmallIntegerField(_("offset (days)"))
    day_kind = models.CharField(_("counted in"), max_length=10, choices=DayKind.choices, default=DayKind.CALENDAR)
    predecessor_key = models.SlugField(_("after"), max_length=40, blank=True)
    completes_on = models.CharField(_("completed automatically by"), max_length=30, choices=CompletesOn.choices,
                                    blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["template", "sequence"]
        verbose_name = _("template milestone")
        verbose_name_plural = _("template milestones")
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="uniq_template_step_key")]

    def __str__(self) -> str:
        return f"{self.template} / {self.key}"


# --- plans -------------------------------------------------------------------------------


class OrderPlan(VersionedModel):
    """An order's T&A plan and its risk, kept up to date by ``tracking.services``."""

    class Risk(models.TextChoices):
        ON_TRACK = "on_track", _("on track")
        AT_RISK = "at_risk", _("at risk")
        LATE = "late", _("late")

    order = models.OneToOneField("sales.SalesOrder", on_delete=models.CASCADE, related_name="plan",
                                 verbose_name=_("sales order"))
    template = models.ForeignKey(MilestoneTemplate, null=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("template"))
    promised_ex_factory = models.DateField(_("promised ex-factory date"))
    predicted_ex_factory = models.DateField(_("predicted ex-factory date"))
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, default=Risk.ON_TRACK)
    # Why the order is at risk, shown in the reader's language: a registered text (core.events
    # kinds, tracking.events.RISK_*) and its parameters. ``risk_reason`` is the text as it was
    # written by plans refreshed before kinds were stored; shown only when there is no kind.
    risk_kind = models.CharField(_("why (kind)"), max_length=60, blank=True, default="")
    risk_params = models.JSONField(_("why (parameters)"), default=dict, blank=True)
    risk_reason = models.CharField(_("why"), max_length=300, blank=True)
    is_active = models.BooleanField(_("open"), default=True)  # false once the order is closed or cancelled
    refreshed_on = models.DateField(_("forecast as of"))

    class Meta:
        verbose_name = _("T&A plan")
        verbose_name_plural = _("T&A plans")
        indexes = [models.Index(fields=["risk", "is_active"], name="plan_risk_active")]

    def __str__(self) -> str:
        return f"T&A {self.order}"

    @property
    def why(self) -> str:
        """Why the order is at risk, in the active language (empty when on track)."""
        if self.risk == self.Risk.ON_TRACK:
            return ""
        text = event_kinds().get(self.risk_kind) if self.risk_kind else None
        if text:
            try:
                return gettext(text) % render_params(self.risk_params)
            except (KeyError, ValueError, TypeError):  # a text changed since the plan was refreshed
                pass
        return self.risk_reason


class OrderMilestone(BilingualNameMixin, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        SKIPPED = "skipped", _("skipped")

    plan = models.ForeignKey(OrderPlan, on_delete=models.CASCADE, related_name="milestones")
    # Denormalised from the plan so the chase board reads one table with one index.
    order = models.ForeignKey("sales.SalesOrder", on_delete=models.CASCADE, related_name="milestones",
                              verbose_name=_("sales order"))
    sequence = models.PositiveSmallIntegerField(_("order"))
    key = models.SlugField(_("key"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    owner_role = models.CharField(_("owner role"), max_length=20, choices=Role.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="milestones", verbose_name=_("owner"))
    anchor = models.CharField(_("anchor"), max_length=12, choices=Anchor.choices)
    offset_days = models.SmallIntegerField(_("offset (days)"))
    day_kind = models.CharField(_("counted in"), max_length=10, choices=DayKind.choices, default=DayKind.CALENDAR)
    predecessor = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("after"))
    completes_on = models.CharField(_("completed automatically by"), max_length=30, choices=CompletesOn.choices,
                                    blank=True)
    required = models.BooleanField(_("required"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    planned_date = models.DateField(_("planned"))
    # The date the owner (or a module: material ETA, booked inspection…) now expects; null = as planned.
    expected_date = models.DateField(_("expected"), null=True, blank=True)
    forecast_date = models.DateField(_("forecast"))
    actual_date = models.DateField(_("actual"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("completed by"))
    completed_event = models.ForeignKey("core.Event", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("completed by event"))
    skip_reason = models.CharField(_("reason for skipping"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    follow_up_date = models.DateField(_("follow up on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["plan", "sequence"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="uniq_plan_milestone_key")]
        indexes = [
            # The chase board: a person's (or an unassigned department's) open milestones by date.
            models.Index(fields=["owner", "planned_date", "expected_date"],
                         condition=Q(status="open", owner__isnull=False), name="ms_open_owner_date"),
            # Department queues (unassigned milestones of a role), read by date ranges: the board's
            # sections and the navigation badge count and page through these without the table.
            models.Index(fields=["owner_role", "planned_date", "order", "sequence", "forecast_date"],
                         condition=Q(status="open", owner__isnull=True, expected_date__isnull=True),
                         name="ms_queue_planned"),
            models.Index(fields=["owner_role", "expected_date", "order", "sequence", "forecast_date", "planned_date"],
                         condition=Q(status="open", owner__isnull=True, expected_date__isnull=False),
                         name="ms_queue_expected"),
            models.Index(fields=["follow_up_date"], condition=Q(status="open", follow_up_date__isnull=False),
                         name="ms_open_follow_up"),
            models.Index(fields=["order", "sequence"], name="ms_order_seq"),
            # One milestone of given orders (e.g. their "documents sent"): SQLite, without
            # statistics, otherwise takes the key's index and reads that milestone of every order.
            models.Index(fields=["order", "key"], name="ms_order_key"),
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.display_name}"

    @property
    def date_due(self):
        """The date the owner works to: the expected date when one was given, else the plan."""
        return self.expected_date or self.planned_date

    def slip_days(self) -> int:
        """How many days the forecast is behind the plan (0 when on time or early)."""
        return max(0, (self.forecast_date - self.planned_date).days)

    @property
    def completed_by_event(self) -> str:
        """What completes this milestone by itself (``tracking.facts``), in the active language;
        "" when a person marks it done."""
        return completed_by(self.completes_on)


# --- other chase items -------------------------------------------------------------------


class Communication(TimeStampedModel):
    """One contact with a customer (or a supplier about an order): the communication log."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        PHONE = "phone", _("phone")
        FAX = "fax", _("fax")
        WECHAT = "wechat", _("WeChat")
        VISIT = "visit", _("visit")
        MEETING = "meeting", _("meeting")
        NOTE = "note", _("internal note")  # written on the order's chatter, for colleagues only

    class Direction(models.TextChoices):
        INBOUND = "in", _("from the customer")
        OUTBOUND = "out", _("to the customer")
        INTERNAL = "int", _("internal")  # a note: neither asks nor answers the customer

    customer = models.ForeignKey("parties.Customer", on_delete=models.CASCADE, related_name="communications",
                                 verbose_name=_("customer"))
    order = models.ForeignKey("sales.SalesOrder", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="communications", verbose_name=_("sales order"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    contact = models.ForeignKey("parties.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("contact"))
    contact_name = models.CharField(_("contact person"), max_length=80, blank=True)
    occurred_at = models.DateTimeField(_("when"))
    summary = models.TextField(_("summary"))
    follow_up_date = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(_("follow-up done"), null=True, blank=True)
    # An inbound message must be answered the same working day (seed 001 第四篇).
    reply_due = models.DateField(_("reply due"), null=True, blank=True)
    replied_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("answered by"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="communications",
                              verbose_name=_("recorded by"))

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("communication")
        verbose_name_plural = _("communications")
        indexes = [
            models.Index(fields=["owner", "follow_up_date"],
                         condition=Q(follow_up_date__isnull=False, follow_up_done_at__isnull=True),
                         name="comm_open_follow_up"),
            models.Index(fields=["owner", "reply_due"], condition=Q(reply_due__isnull=False, replied_by__isnull=True),
                         name="comm_unanswered"),
            models.Index(fields=["customer", "occurred_at"], name="comm_customer_time"),
            models.Index(fields=["order", "occurred_at"], name="comm_order_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


class Meeting(TimeStampedModel):
    """A meeting with minutes, e.g. the weekly production meeting (seed 001 第一篇 6)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("place"), max_length=120, blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="meetings",
                                       verbose_name=_("attendees"))
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    notice_sent_at = models.DateTimeField(_("notice sent"), null=True, blank=True)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("organiser"))

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["status", "notice_sent_at", "starts_at"], name="meeting_notice_due")]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("tracking:meeting_detail", args=[self.pk])


class ActionItem(TimeStampedModel):
    """A decision of a meeting: who does what by when. Open items are on the owner's board."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items",
                                verbose_name=_("meeting"))
    order = models.ForeignKey("sales.SalesOrder", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="action_items", verbose_name=_("sales order"))
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items",
                              verbose_name=_("owner"))
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["owner", "due_date"], condition=Q(done_at__isnull=True),
                                name="action_open_owner_due")]

    def __str__(self) -> str:
        return self.description


class DelayNotice(TimeStampedModel):
    """A letter telling the customer the goods will be late: drafted by Gendan when the
    predicted ex-factory date passes the promised one, reviewed and sent by the merchandiser."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")
        DISCARDED = "discarded", _("discarded")

    order = models.ForeignKey("sales.SalesOrder", on_delete=models.CASCADE, related_name="delay_notices",
                              verbose_name=_("sales order"))
    promised_date = models.DateField(_("promised ex-factory date"))
    new_date = models.DateField(_("new ex-factory date"))
    reason = models.TextField(_("reason"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("letter"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    sent_to = models.CharField(_("sent to"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    email_error = models.CharField(_("email error"), max_length=300, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("sent by"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("delay notice")
        verbose_name_plural = _("delay notices")
        constraints = [models.UniqueConstraint(fields=["order"], condition=Q(status="draft"),
                                               name="uniq_draft_delay_notice")]

    def __str__(self) -> str:
        return f"{self.order} → {self.new_date:%Y-%m-%d}"


# --- reminders ---------------------------------------------------------------------------


class ChasePreference(models.Model):
    """How a person wants their reminders. No row = the defaults from settings."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chase_preference")
    digest_enabled = models.BooleanField(_("daily digest email"), default=True)
    digest_time = models.TimeField(_("send the digest at"), null=True, blank=True)
    horizon_days = models.PositiveSmallIntegerField(_("look ahead (days)"), default=7)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.user)


class ReminderLog(models.Model):
    """One reminder sent: a digest (per user per day), an escalation (per manager per day) or
    a meeting notice. The unique key makes the reminder jobs safe to run twice."""

    class Kind(models.TextChoices):
        DIGEST = "digest", _("daily digest")
        ESCALATION = "escalation", _("escalation")
        MEETING_NOTICE = "meeting_notice", _("meeting notice")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=80)  # "digest:<user>:<date>", "escalations:<manager>:<date>", "meeting:<id>"
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="uniq_reminder")]

    def __str__(self) -> str:
        return self.key


class Mention(models.Model):
    """A colleague named with @ in a note or message on an order's chatter: an item on their
    chase board (and in their digest) until they open it."""

    communication = models.ForeignKey(Communication, on_delete=models.CASCADE, related_name="mentions",
                                      verbose_name=_("communication"))
    order = models.ForeignKey("sales.SalesOrder", on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("sales order"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions",
                             verbose_name=_("mentioned"))
    mentioned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("mentioned by"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    seen_at = models.DateTimeField(_("seen"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [models.UniqueConstraint(fields=["communication", "user"], name="mention_once_per_person")]
        indexes = [models.Index(fields=["user", "created_at"], condition=Q(seen_at__isnull=True),
                                name="mention_unseen")]

    def __str__(self) -> str:
        return f"@{self.user} · {self.order}"

    def get_absolute_url(self) -> str:
        return reverse("tracking:mention_open", args=[self.pk])
