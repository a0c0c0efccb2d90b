"""Workshop lines, the production schedule, daily progress, production instructions and exceptions.

Progress (每日生产进度表) is recorded per production order line and stage as a cumulative
quantity on a date; the stages come from the product's category (``StageDefinition``) or the
default set. The schedule (生产排期) places production orders on work lines over days.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.models import TimeStampedModel, VersionedModel

QTY = {"max_digits": 14, "decimal_places": 3}

# Used for a product category without its own stages: (code, 中文, English).
DEFAULT_STAGES = [
    ("cutting", "裁剪", "cutting"),
    ("assembly", "组装", "assembly"),
    ("painting", "喷涂", "painting"),
    ("packing", "包装", "packing"),
]


class StageDefinition(models.Model):
    """A production stage of a product category, in order; the last one's quantity is the produced quantity."""

    category = models.ForeignKey("catalog.ProductCategory", on_delete=models.CASCADE, related_name="stages",
                                 verbose_name=_("product category"))
    code = models.SlugField(_("code"), max_length=30)
    name_zh = models.CharField(_("name (Chinese)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=40)
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=10)

    class Meta:
        ordering = ["category", "sequence", "pk"]
        verbose_name = _("production stage")
        verbose_name_plural = _("production stages")
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="stage_unique_code")]

    def __str__(self) -> str:
        return f"{self.name_zh} {self.name_en}"


class ProgressEntry(models.Model):
    """The cumulative quantity of one production order line done at one stage on one day."""

    line = models.ForeignKey("production.ProductionOrderLine", on_delete=models.CASCADE, related_name="progress",
                             verbose_name=_("production order line"))
    # Denormalised from the line: the progress page and the order panel read by production order.
    production_order = models.ForeignKey("production.ProductionOrder", on_delete=models.CASCADE,
                                         related_name="progress", verbose_name=_("production order"))
    stage = models.SlugField(_("stage"), max_length=30)
    date = models.DateField(_("date"))
    cumulative_quantity = models.DecimalField(_("cumulative quantity"), **QTY)
    expected_finish = models.DateField(_("expected finish"), null=True, blank=True)
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["line", "stage", "date"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        constraints = [
            models.UniqueConstraint(fields=["line", "stage", "date"], name="progress_one_per_day"),
            models.CheckConstraint(condition=models.Q(cumulative_quantity__gte=0), name="progress_not_negative"),
        ]
        indexes = [models.Index(fields=["production_order", "stage", "date"], name="progress_po_stage_date")]

    def __str__(self) -> str:
        return f"{self.production_order_id}/{self.line_id} {self.stage} {self.date}: {self.cumulative_quantity}"


class ProgressImport(models.Model):
    """An uploaded 每日生产进度表 between preview and confirm: the parsed rows stay on the server,
    keyed by a random token, so nothing the browser sends back can change them."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("previewed")  # parsed, waiting for the user's confirmation
        IMPORTED = "imported", _("imported")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.JSONField(default=list)  # [{"row": 2, "production_order": …, …}]
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    imported_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("progress import")
        verbose_name_plural = _("progress imports")

    def __str__(self) -> str:
        return self.file_name


class ImportJob(models.Model):
    """A large progress sheet (more rows than ``settings.GENDAN_IMPORT_BACKGROUND_ROWS``)
    checked or imported by the task worker; the import page polls its progress.

    A job goes queued → running → done, or failed when the worker could not finish (nothing is
    saved then). A check job that is done holds every row error, or the ``batch`` ready to be
    confirmed; an import job that is done imported its batch, or holds the errors that refused it."""

    class Kind(models.TextChoices):
        CHECK = "check", _("check")  # the uploaded rows are checked against the data (the preview)
        IMPORT = "import", _("import")  # a checked upload is saved, all or nothing (the confirmation)

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")  # waiting for the task worker
        RUNNING = "running", _("running")  # the worker is on it; rows_done says how far
        DONE = "done", _("done")  # finished: errors, or the batch ready / imported
        FAILED = "failed", _("failed")  # the worker stopped; message says why, nothing was saved

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=10, blank=True)  # of the person who uploaded: the messages' language
    rows = models.JSONField(default=list, blank=True)  # a check job's typed rows, as the preview keeps them
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": 2, "column": "日期", "message": …}]
    message = models.TextField(blank=True)
    batch = models.ForeignKey(ProgressImport, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("progress import job")
        verbose_name_plural = _("progress import jobs")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.kind}, {self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return min(100, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


class WorkLine(models.Model):
    """A production line of an own workshop or an outsourced factory, with its daily capacity."""

    workshop = models.ForeignKey("parties.Supplier", on_delete=models.PROTECT, related_name="work_lines",
                                 verbose_name=_("workshop / factory"))
    name = models.CharField(_("line"), max_length=60)
    capacity_per_day = models.PositiveIntegerField(_("capacity (units/day)"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["workshop__code", "name"]
        verbose_name = _("work line")
        verbose_name_plural = _("work lines")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "name"], name="workline_unique_name"),
            models.CheckConstraint(condition=models.Q(capacity_per_day__gt=0), name="workline_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.workshop.code} {self.name}"


class ScheduleEntry(VersionedModel):
    """A production order (or part of it) planned on a work line from ``start`` to ``end``."""

    production_order = models.ForeignKey("production.ProductionOrder", on_delete=models.CASCADE,
                                         related_name="schedule_entries", verbose_name=_("production order"))
    work_line = models.ForeignKey(WorkLine, on_delete=models.PROTECT, related_name="entries",
                                  verbose_name=_("line"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    quantity = models.DecimalField(_("quantity"), **QTY)
    # Why the span covers holidays / non-working days (required when it does).
    non_working_reason = models.CharField(_("reason for working on non-working days"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))

    class Meta:
        ordering = ["work_line", "start", "pk"]
        verbose_name = _("schedule entry")
        verbose_name_plural = _("schedule entries")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="schedule_end_after_start"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="schedule_quantity_positive"),
        ]
        indexes = [models.Index(fields=["work_line", "end", "start"], name="schedule_line_window"),
                   models.Index(fields=["start", "end"], name="schedule_window")]

    def __str__(self) -> str:
        return f"{self.production_order_id} @ {self.work_line_id} {self.start}–{self.end}"


class ProductionInstruction(TimeStampedModel):
    """生产指令 for one workshop and week: semi-finished (a week ahead, from the schedule) or
    finished goods (weekly, on Friday). ``content`` is the snapshot the PDF prints."""

    class Kind(models.TextChoices):
        SEMI_FINISHED = "semi", _("semi-finished instruction (半成品指令)")
        FINISHED = "finished", _("finished-goods instruction (成品指令)")

    number = models.CharField(_("instruction no."), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    workshop = models.ForeignKey("parties.Supplier", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("workshop / factory"))
    week_start = models.DateField(_("week from"))  # a Monday
    content = models.JSONField(default=list)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("generated by"))
    emailed_to = models.CharField(_("emailed to"), max_length=500, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_error = models.CharField(_("email error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-week_start", "kind", "workshop"]
        verbose_name = _("production instruction")
        verbose_name_plural = _("production instructions")
        constraints = [models.UniqueConstraint(fields=["kind", "workshop", "week_start"],
                                               name="instruction_one_per_week")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("planning:instruction_pdf", args=[self.pk])


class ProductionException(VersionedModel):
    """生产异常: something that stops or delays production, escalated to the manager."""

    class Kind(models.TextChoices):
        MATERIAL_SHORTAGE = "material", _("material shortage")
        QUALITY = "quality", _("quality problem")
        CAPACITY = "capacity", _("capacity")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        OPEN = "open", _("open")  # reported, the manager was told
        RESOLVED = "resolved", _("resolved")  # what was done is written down

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    description = models.TextField(_("what happened"))
    production_orders = models.ManyToManyField("production.ProductionOrder", related_name="exceptions",
                                               verbose_name=_("production orders"))
    sales_orders = models.ManyToManyField("sales.SalesOrder", related_name="production_exceptions",
                                          verbose_name=_("sales orders"))
    new_ex_factory_date = models.DateField(_("new ex-factory date"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("reported by"))
    escalated_to = models.CharField(_("escalated to"), max_length=500, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("resolved by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("production exception")
        verbose_name_plural = _("production exceptions")
        indexes = [models.Index(fields=["status", "created_at"], name="exception_status_created")]

    def __str__(self) -> str:
        return _("Exception #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("planning:exception_detail", args=[self.pk])
