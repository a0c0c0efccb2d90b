"""Inspections with AQL sampling, samples and first-article approvals (seed 001 第一篇 2–3,
第五篇 六–八), and each customer's quality profile (AQLs, which gates its orders need)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.models import TimeStampedModel, VersionedModel
from gendan.quality.aql import AQLS, LEVELS

NO_DEFECT = "0"  # critical AQL "0": no critical defect allowed (Ac 0 / Re 1 on the same sample)
AQL_CHOICES = [(NO_DEFECT, _("0 — none allowed")), *[(a, a) for a in AQLS]]
LEVEL_CHOICES = [(level, level) for level in LEVELS]


class QualityProfile(VersionedModel):
    """A customer's quality terms: the AQL per defect class and the gates its orders get by default.
    Usual consumer-goods practice: critical 0, major 2.5, minor 4.0 at general level II."""

    customer = models.OneToOneField("parties.Customer", on_delete=models.CASCADE, related_name="quality_profile",
                                    verbose_name=_("customer"))
    critical_aql = models.CharField(_("critical AQL"), max_length=6, choices=AQL_CHOICES, default=NO_DEFECT)
    major_aql = models.CharField(_("major AQL"), max_length=6, choices=AQL_CHOICES, default="2.5")
    minor_aql = models.CharField(_("minor AQL"), max_length=6, choices=AQL_CHOICES, default="4.0")
    inspection_level = models.CharField(_("inspection level"), max_length=4, choices=LEVEL_CHOICES, default="II")
    requires_final_inspection = models.BooleanField(_("orders need a passed final inspection before shipment"),
                                                    default=True)
    requires_first_article = models.BooleanField(_("orders need first article approval before production"),
                                                 default=False)
    notes = models.TextField(_("quality requirements"), blank=True)

    class Meta:
        verbose_name = _("quality profile")
        verbose_name_plural = _("quality profiles")

    def __str__(self) -> str:
        return str(self.customer)


class Inspection(VersionedModel):
    """An inline or final inspection of (part of) an order, booked for a date, then its result."""

    class Kind(models.TextChoices):
        INLINE = "inline", _("inline inspection (中期验货)")
        FINAL = "final", _("final inspection (尾期验货)")

    class Party(models.TextChoices):
        CUSTOMER = "customer", _("customer's inspector")
        THIRD_PARTY = "third_party", _("third-party inspection company")
        INTERNAL = "internal", _("our QC")

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")  # date fixed, waiting for the inspection
        PASSED = "passed", _("passed")  # every defect class within its Ac
        FAILED = "failed", _("failed")  # a class reached its Re: a re-inspection is booked
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("inspection no."), max_length=30, unique=True)
    sales_order = models.ForeignKey("sales.SalesOrder", on_delete=models.PROTECT, related_name="inspections",
                                    verbose_name=_("sales order"))
    production_orders = models.ManyToManyField("production.ProductionOrder", blank=True, related_name="inspections",
                                               verbose_name=_("production orders"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    party = models.CharField(_("inspected by"), max_length=12, choices=Party.choices)
    inspector = models.CharField(_("inspector"), max_length=120)
    planned_on = models.DateField(_("inspection date"))
    lot_size = models.PositiveIntegerField(_("lot size (pieces)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    # The sampling plan, fixed at booking from the customer's profile.
    inspection_level = models.CharField(_("inspection level"), max_length=4, default="II")
    critical_aql = models.CharField(_("critical AQL"), max_length=6, default=NO_DEFECT)
    major_aql = models.CharField(_("major AQL"), max_length=6, default="2.5")
    minor_aql = models.CharField(_("minor AQL"), max_length=6, default="4.0")
    sample_size = models.PositiveIntegerField(_("sample size"))
    critical_accept = models.PositiveIntegerField(_("critical Ac"))
    major_accept = models.PositiveIntegerField(_("major Ac"))
    minor_accept = models.PositiveIntegerField(_("minor Ac"))
    # The result.
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    critical_found = models.PositiveIntegerField(_("critical defects"), null=True, blank=True)
    major_found = models.PositiveIntegerField(_("major defects"), null=True, blank=True)
    minor_found = models.PositiveIntegerField(_("minor defects"), null=True, blank=True)
    result_notes = models.TextField(_("findings"), blank=True)
    reinspection_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="reinspections", verbose_name=_("re-inspection of"))
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("booked by"))
    result_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("result entered by"))

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        permissions = [("record_inspection_result", "Can enter inspection results (QC)")]
        indexes = [models.Index(fields=["sales_order", "kind", "status"], name="inspection_order_kind"),
                   models.Index(fields=["-planned_on", "-id"], name="inspection_list_sort"),
                   models.Index(fields=["status", "planned_on"], name="inspection_status_date")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("quality:inspection_detail", args=[self.pk])

    def plan_rows(self) -> list[dict]:
        """Per defect class: AQL, Ac, Re, found, and whether it is within the plan."""
        rows = []
        for cls, label in (("critical", _("critical")), ("major", _("major")), ("minor", _("minor"))):
            accept, found = getattr(self, f"{cls}_accept"), getattr(self, f"{cls}_found")
            rows.append({"key": cls, "label": label, "aql": getattr(self, f"{cls}_aql"), "accept": accept,
                         "reject": accept + 1, "found": found,
                         "ok": None if found is None else found <= accept})
        return rows


class FirstArticle(VersionedModel):
    """First article approval (首件确认) of a production order: the first pieces off the line
    checked against the customer's requirements, signed by QC and by sales."""

    class Status(models.TextChoices):
        OPEN = "open", _("being checked")
        APPROVED = "approved", _("approved")  # QC and sales signed, no item failed
        REJECTED = "rejected", _("rejected")  # a new first article is needed

    production_order = models.ForeignKey("production.ProductionOrder", on_delete=models.PROTECT,
                                         related_name="first_articles", verbose_name=_("production order"))
    sales_order = models.ForeignKey("sales.SalesOrder", on_delete=models.PROTECT, related_name="first_articles",
                                    verbose_name=_("sales order"))
    round_no = models.PositiveSmallIntegerField(_("round"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    requirements = models.TextField(_("customer requirements"), blank=True)
    qc_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("signed by QC"))
    qc_signed_at = models.DateTimeField(_("QC signed at"), null=True, blank=True)
    sales_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("signed by sales"))
    sales_signed_at = models.DateTimeField(_("sales signed at"), null=True, blank=True)
    reject_reason = models.CharField(_("reason for rejecting"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("first article")
        verbose_name_plural = _("first articles")
        permissions = [("sign_firstarticle_qc", "Can sign first articles for QC"),
                       ("sign_firstarticle_sales", "Can sign first articles for sales")]
        indexes = [models.Index(fields=["production_order", "status"], name="firstarticle_po_status")]

    def __str__(self) -> str:
        return _("%(po)s first article #%(n)s") % {"po": self.production_order, "n": self.round_no}

    def get_absolute_url(self) -> str:
        return reverse("quality:first_article_detail", args=[self.pk])


class CheckResult(models.TextChoices):
    PENDING = "pending", _("not checked yet")
    PASS = "pass", _("pass")
    FAIL = "fail", _("fail")
    NOT_APPLICABLE = "na", _("not applicable")


class FirstArticleItem(models.Model):
    first_article = models.ForeignKey(FirstArticle, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("no."))
    topic = models.CharField(_("check"), max_length=100)
    result = models.CharField(_("result"), max_length=8, choices=CheckResult.choices, default=CheckResult.PENDING)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["first_article", "position"]
        constraints = [models.UniqueConstraint(fields=["first_article", "position"], name="firstarticle_item_pos")]

    def __str__(self) -> str:
        return self.topic


class Sample(VersionedModel):
    """A sample for the customer or for the factory: requested, sent (in rounds), signed off."""

    class Kind(models.TextChoices):
        PP = "pp", _("pre-production sample (产前样)")
        SHIPPING = "shipping", _("shipping sample (船头板)")
        LAB_DIP = "lab_dip", _("lab dip (色卡)")
        SIZE_SET = "size_set", _("size set (齐码样)")
        OTHER = "other", _("other sample")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")  # to be made / sent
        SENT = "sent", _("sent, waiting for comments")  # a round is out
        APPROVED = "approved", _("approved")  # every required department signed off
        REJECTED = "rejected", _("rejected")  # comments received: another round is needed
        CANCELLED = "cancelled", _("cancelled")

    sales_order = models.ForeignKey("sales.SalesOrder", on_delete=models.PROTECT, related_name="samples",
                                    verbose_name=_("sales order"))
    production_order = models.ForeignKey("production.ProductionOrder", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="samples",
                                         verbose_name=_("production order"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity requested"))
    requested_on = models.DateField(_("needed by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    needs_engineering = models.BooleanField(_("engineering sign-off needed"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        permissions = [("sign_sample_sales", "Can sign off samples for sales (colour, text, position)"),
                       ("sign_sample_qc", "Can sign off samples for QC (structure, size, function)"),
                       ("sign_sample_engineering", "Can sign off samples for engineering")]
        indexes = [models.Index(fields=["sales_order", "kind", "status"], name="sample_order_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.sales_order}"

    def get_absolute_url(self) -> str:
        return reverse("quality:sample_detail", args=[self.pk])


class SampleRound(TimeStampedModel):
    """One dispatch of the sample: sent (courier, tracking no.), received, commented, due back."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="rounds")
    round_no = models.PositiveSmallIntegerField(_("round"))
    sent_on = models.DateField(_("sent on"))
    courier = models.CharField(_("courier"), max_length=60, blank=True)
    tracking_no = models.CharField(_("courier no."), max_length=60, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    comments_due_on = models.DateField(_("comments due"), null=True, blank=True)  # 3 working days after receipt
    comments = models.TextField(_("comments"), blank=True)

    class Meta:
        ordering = ["sample", "round_no"]
        constraints = [models.UniqueConstraint(fields=["sample", "round_no"], name="sample_round_no")]

    def __str__(self) -> str:
        return f"{self.sample} #{self.round_no}"


class SampleSignoff(models.Model):
    """A department's verdict on a round: sales (colour, text, position), QC (structure, size,
    function), engineering where needed."""

    class Department(models.TextChoices):
        SALES = "sales", _("sales: colour, text, position")
        QC = "qc", _("QC: structure, size, function")
        ENGINEERING = "engineering", _("engineering")

    class Verdict(models.TextChoices):
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    round = models.ForeignKey(SampleRound, on_delete=models.CASCADE, related_name="signoffs")
    department = models.CharField(_("department"), max_length=12, choices=Department.choices)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("signed by"))
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        ordering = ["round", "signed_at"]
        constraints = [models.UniqueConstraint(fields=["round", "department"], name="sample_signoff_once")]

    def __str__(self) -> str:
        return f"{self.round} {self.department}"
