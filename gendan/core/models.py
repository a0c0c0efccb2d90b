"""Core tables: currencies, document number sequences, the working-day calendar, the event
(audit) log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """An editable document. ``version`` grows by one on every save through a service;
    an edit submitted with an older version is refused (409) instead of overwriting."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class BilingualNameMixin:
    """For models with ``name_zh`` / ``name_en``: ``display_name`` follows the UI language."""

    @property
    def display_name(self) -> str:
        zh, en = getattr(self, "name_zh", ""), getattr(self, "name_en", "")
        if (get_language() or "zh-hans").startswith("zh"):
            return zh or en
        return en or zh


class Currency(BilingualNameMixin, models.Model):
    """A currency the company trades in. Minor units follow ISO 4217 (core.money.CURRENCIES)."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=40)
    minor_unit = models.PositiveSmallIntegerField(_("decimal places"))
    symbol = models.CharField(_("symbol"), max_length=6)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")

    def __str__(self) -> str:
        return self.code


class Sequence(models.Model):
    """A per-document-type number sequence, e.g. ``SO{YY}{MM}-{SEQ}`` → ``SO2611-0001``.

    Placeholders: ``{PREFIX}``, ``{YYYY}``, ``{YY}``, ``{MM}``, ``{SEQ}`` (zero padded to
    ``padding``). Numbers are allocated by ``core.numbering.number_next`` inside the
    document's own transaction, so a rolled-back document gives its number back.
    """

    class Reset(models.TextChoices):
        NEVER = "never", _("never")
        YEARLY = "yearly", _("every year")
        MONTHLY = "monthly", _("every month")

    code = models.SlugField(_("document type"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    prefix = models.CharField(_("prefix"), max_length=20, blank=True)
    pattern = models.CharField(_("pattern"), max_length=60, default="{PREFIX}{YY}{MM}-{SEQ}")
    padding = models.PositiveSmallIntegerField(_("counter digits"), default=4)
    reset = models.CharField(_("counter reset"), max_length=10, choices=Reset.choices, default=Reset.MONTHLY)

    class Meta:
        ordering = ["code"]
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return self.code


class SequenceCounter(models.Model):
    """The last number given out by a sequence in one period (``2026``, ``2026-11`` or ``all``)."""

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="counters")
    period = models.CharField(max_length=7)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sequence", "period"], name="uniq_sequence_period")]

    def __str__(self) -> str:
        return f"{self.sequence_id} {self.period}: {self.last_value}"


class CalendarDay(models.Model):
    """A day that breaks the weekly rule: a public holiday on a weekday, or a make-up
    working day (调休) on a weekend. Weekends themselves come from ``GENDAN_WEEKEND_DAYS``;
    ``core.calendar`` counts working days with both."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday (no work)")
        WORKDAY = "workday", _("make-up working day (调休)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        # The table keeps the name it had when the calendar belonged to the T&A (the model
        # moved to core without moving its rows: core 0004, tracking 0004).
        db_table = "tracking_calendarday"
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class Event(models.Model):
    """One change to a business object: who, when, what (old → new) and why.

    Written by ``core.events.event_record`` in the same transaction as the change.
    The timeline of any object reads these rows newest first.
    """

    class Verb(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("edited")
        STATE_CHANGED = "state_changed", _("status changed")
        DELETED = "deleted", _("deleted")
        ATTACHED = "attached", _("file attached")
        DETACHED = "detached", _("file removed")
        NOTE = "note", _("note")
        OVERRIDE = "override", _("rule overridden")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("time"), db_index=True)
    verb = models.CharField(_("action"), max_length=20, choices=Verb.choices)
    # {"field": {"label": "...", "old": "...", "new": "..."}}; labels are stored as field
    # names and translated when shown, values as display strings.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # What happened, rendered when shown in the reader's language: the kind's registered text
    # (core.events.event_kind_register) filled with ``params``. ``message`` holds text that is
    # not translated (and, for rows written before kinds existed, the text as it was written).
    kind = models.CharField(_("kind"), max_length=60, blank=True, default="")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    message = models.CharField(_("summary"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"], name="event_object_time")]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.object_repr} {self.verb} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def text(self) -> str:
        """The message in the active language (see ``core.events.event_message``)."""
        from gendan.core.events import event_message  # events.py imports this module

        return event_message(self)


class FormSubmission(models.Model):
    """A page form's one-time token, claimed when the form is posted (``core.once``): a second
    post of the same form (a double click, a reload, a retry after a timeout) does not run the
    use case again but shows what the first one did. The database's unique key decides, so it
    holds with any number of workers. Rows older than a day are dropped."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(_("path"), max_length=300)
    redirect_to = models.CharField(_("result"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return f"{self.path} {self.token[:8]}"


class SavedListView(models.Model):
    """A person's saved view of a list page ("my late orders from Europe"): the filters, the
    sort, the columns shown and the grouping, stored as the list's query string. Only its owner
    sees it; at most one per list is the owner's default (opened when the list is opened bare)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_list_views")
    list_key = models.CharField(_("list"), max_length=80)
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("query"), max_length=2000, blank=True)
    is_default = models.BooleanField(_("my default"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved list view")
        verbose_name_plural = _("saved list views")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["user", "list_key"], name="core_savedlist_user_list")]
        constraints = [
            models.UniqueConstraint(fields=["user", "list_key", "name"], name="core_savedlist_unique_name"),
            models.UniqueConstraint(fields=["user", "list_key"], condition=models.Q(is_default=True),
                                    name="core_savedlist_one_default"),
        ]

    def __str__(self) -> str:
        return self.name
