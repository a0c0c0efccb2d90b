"""Production orders: the instruction to an own workshop (生产通知单) or an outsourced factory
(购销合同 / 外协采购清单) to make (part of) a sales order. Created by production release (and,
for quantity not yet allocated, by "add a production order"); the states are in
``production/workflows.py`` and docs/workflows/production-order.md. The follow-up (materials,
samples, progress, inspections) is built on these records by other apps."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gendan.core.models import VersionedModel
from gendan.core.versions import ReissuedVersion

QTY = {"max_digits": 14, "decimal_places": 3}
PRICE = {"max_digits": 18, "decimal_places": 4}
MONEY = {"max_digits": 18, "decimal_places": 2}


class Department(models.TextChoices):
    """Departments that sign a production order off (签字部门) or get a copy (分发部门), seed 001 §五."""

    MERCHANDISING = "merchandising", _("merchandising (业务/跟单)")
    ENGINEERING = "engineering", _("engineering (工程部)")
    PACKING_STORE = "packing_store", _("packing store (包材仓)")
    MATERIAL_STORE = "material_store", _("material store (电子仓)")
    FINISHED_STORE = "finished_store", _("finished goods store (整机仓)")
    WAREHOUSE = "warehouse", _("warehouse supervisor (仓库主管)")
    PRODUCTION = "production", _("production supervisor (生产主管)")
    QUALITY = "quality", _("quality supervisor (品质主管)")
    PURCHASING = "purchasing", _("purchasing supervisor (采购主管)")
    FINANCE = "finance", _("finance supervisor (财务主管)")
    MANAGEMENT = "management", _("general manager (总经理)")


# How the printed document names each department (documents are in Chinese whatever the UI language).
DEPARTMENT_ZH = {
    Department.MERCHANDISING: "业务", Department.ENGINEERING: "工程部", Department.PACKING_STORE: "包材仓",
    Department.MATERIAL_STORE: "电子仓", Department.FINISHED_STORE: "整机仓", Department.WAREHOUSE: "仓库主管",
    Department.PRODUCTION: "生产主管", Department.QUALITY: "品质主管", Department.PURCHASING: "采购主管",
    Department.FINANCE: "财务主管", Department.MANAGEMENT: "总经理",
}


class ProductionOrder(VersionedModel):
    class Kind(models.TextChoices):
        OWN_WORKSHOP = "own", _("own workshop (生产通知单)")
        OUTSOURCED = "outsourced", _("outsourced factory (外协)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")  # created by production release, being completed
        ISSUED = "issued", _("issued")  # sent to the workshop / factory
        ACCEPTED = "accepted", _("accepted by factory")  # factory committed to a due date
        IN_PRODUCTION = "in_production", _("in production")
        FINISHED = "finished", _("finished")  # all quantities produced
        CLOSED = "closed", _("closed")
        ON_HOLD = "on_hold", _("on hold")
        CANCELLED = "cancelled", _("cancelled")
        # a change order re-issued it as a new version: the factory has to acknowledge it again
        AWAITING_REACK = "awaiting_reack", _("awaiting re-acknowledgement")

    class Document(models.TextChoices):
        """What the printed order is called (seed 001 第五篇 四): a purchase contract for goods a
        factory makes, an outsourcing purchase list for work given out; own workshops get a notice."""

        PURCHASE_CONTRACT = "contract", _("purchase contract (购销合同)")
        OUTSOURCING_LIST = "outsourcing_list", _("outsourcing purchase list (外协采购清单)")

    number = models.CharField(_("production order no."), max_length=30, unique=True)
    sales_order = models.ForeignKey("sales.SalesOrder", on_delete=models.PROTECT, related_name="production_orders",
                                    verbose_name=_("sales order"))
    supplier = models.ForeignKey("parties.Supplier", on_delete=models.PROTECT, related_name="production_orders",
                                 verbose_name=_("workshop / factory"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    due_date = models.DateField(_("due date"))
    currency = models.ForeignKey("core.Currency", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    total_cost = models.DecimalField(_("amount"), default=Decimal("0"), **MONEY)
    notes = models.TextField(_("notes"), blank=True)
    # Set when an order revision changed something this production order makes: the revision's
    # number and its reason (the proposer's own words); ``change_flag`` says it in the reader's language.
    change_revision_no = models.PositiveSmallIntegerField(_("revision that changed it"), null=True, blank=True)
    change_reason = models.CharField(_("reason of the change order"), max_length=300, blank=True)
    # The issued document's version: 1 when issued, +1 each time a change order re-issues it.
    doc_version = models.PositiveSmallIntegerField(_("document version"), default=1)
    # The status it returns to once the factory re-acknowledges a re-issued version.
    reack_from = models.CharField(_("re-acknowledgement from"), max_length=16, choices=Status.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    document = models.CharField(_("document"), max_length=20, choices=Document.choices,
                                default=Document.PURCHASE_CONTRACT)
    sign_off = models.JSONField(_("sign-off departments"), default=list, blank=True)  # [Department]
    copy_to = models.JSONField(_("distribution (copies to)"), default=list, blank=True)  # [Department]
    email_to = models.TextField(_("email the issued order to"), blank=True,
                                help_text=_("One address per line: the factory and the people who get a copy."))
    committed_due_date = models.DateField(_("due date committed by the factory"), null=True, blank=True)
    # The status an order on hold returns to when it resumes.
    held_from = models.CharField(_("held from"), max_length=16, choices=Status.choices, blank=True)
    # Why it is on hold, cancelled, or finished short of the quantity.
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    first_article_override = models.BooleanField(_("first-article rule overridden"), default=False)
    first_article_override_reason = models.CharField(_("first-article override reason"), max_length=300, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("issued by"))
    started_at = models.DateTimeField(_("production started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("production finished"), null=True, blank=True)
    pdf = models.FileField(_("issued PDF"), upload_to="production/%Y/%m/", blank=True)
    email_sent_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_error = models.CharField(_("email error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("production order")
        verbose_name_plural = _("production orders")
        indexes = [models.Index(fields=["sales_order", "status"], name="prodorder_order_status"),
                   models.Index(fields=["supplier", "status", "due_date"], name="prodorder_supplier_due"),
                   models.Index(fields=["status", "due_date"], name="prodorder_status_due")]
        permissions = [
            ("override_first_article", _("May start production without an approved first article (with a reason)")),
            ("finish_short", _("May finish a production order short of its quantity (with a reason)")),
        ]

    @property
    def title_zh(self) -> str:
        """The printed document's title."""
        if self.kind == self.Kind.OWN_WORKSHOP:
            return "生产通知单"
        return "外协采购清单" if self.document == self.Document.OUTSOURCING_LIST else "购销合同"

    @property
    def due(self):
        """The date that counts: the factory's committed one once it accepted, else the requested one."""
        return self.committed_due_date or self.due_date

    @property
    def change_flag(self) -> str:
        """The change order's flag in the reader's language ("" when none changed it)."""
        if not self.change_revision_no:
            return ""
        return gettext("Order revision %(n)d changed: %(reason)s") % {"n": self.change_revision_no,
                                                                       "reason": self.change_reason}

    @property
    def sign_off_labels(self) -> list[str]:
        return [Department(d).label for d in self.sign_off if d in Department.values]

    @property
    def copy_to_labels(self) -> list[str]:
        return [Department(d).label for d in self.copy_to if d in Department.values]

    @property
    def email_recipients(self) -> list[str]:
        return [a.strip() for a in self.email_to.replace(",", "\n").replace(";", "\n").splitlines() if a.strip()]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("production:production_order_detail", args=[self.pk])


class ProductionOrderLine(models.Model):
    production_order = models.ForeignKey(ProductionOrder, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("sales.SalesOrderLine", on_delete=models.PROTECT, related_name="production_lines",
                                   verbose_name=_("order line"))
    quantity = models.DecimalField(_("quantity"), **QTY)
    produced_quantity = models.DecimalField(_("produced"), default=Decimal("0"), **QTY)
    unit_cost = models.DecimalField(_("unit cost"), null=True, blank=True, **PRICE)
    amount = models.DecimalField(_("amount"), default=Decimal("0"), **MONEY)
    # What the workshop must know beyond the product; prefilled from the product and the order.
    # (db_default: the demo inserts lines with raw INSERTs.)
    spec = models.CharField(_("specification"), max_length=200, blank=True, default="", db_default="")
    surface_finish = models.CharField(_("surface finish"), max_length=120, blank=True, default="", db_default="")
    packing_requirements = models.TextField(_("packing requirements"), blank=True, default="", db_default="")
    quality_requirements = models.TextField(_("quality requirements"), blank=True, default="", db_default="")

    class Meta:
        ordering = ["production_order", "order_line__line_no"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="prodline_qty_positive"),
            models.CheckConstraint(condition=models.Q(produced_quantity__lte=models.F("quantity")),
                                   name="prodline_not_overproduced"),
        ]

    def __str__(self) -> str:
        return f"{self.production_order} / {self.order_line.line_no}"

    @property
    def open_quantity(self) -> Decimal:
        return self.quantity - self.produced_quantity


class ProductionOrderVersion(ReissuedVersion):
    """A re-issue of a production order after a change order (version 2, 3 …; version 1 is the
    first issue, ``ProductionOrder.pdf``): what changed line by line (old → new), its PDF, the
    e-mail to the factory, and the factory's re-acknowledgement (``production.workflows.VERSION``).
    ``changes``: [{"line": n (0: the whole order), "field": key of VERSION_FIELDS, "old": str, "new": str}]."""

    production_order = models.ForeignKey(ProductionOrder, on_delete=models.CASCADE, related_name="versions",
                                         verbose_name=_("production order"))
    revision_no = models.PositiveSmallIntegerField(_("order revision"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="production/%Y/%m/", blank=True)
    reack_reason = models.CharField(_("factory's answer"), max_length=300, blank=True)
    committed_due_date = models.DateField(_("due date committed by the factory"), null=True, blank=True)

    class Meta:
        ordering = ["production_order", "-number"]
        verbose_name = _("production order version")
        verbose_name_plural = _("production order versions")
        constraints = [models.UniqueConstraint(fields=["production_order", "number"], name="uniq_prodorder_version")]
        indexes = [models.Index(fields=["reack_status", "created_at"], name="prodversion_reack_created")]

    def __str__(self) -> str:
        return f"{self.production_order} v{self.number}"


# What a version's change rows name (``ProductionOrderVersion.changes[].field``), in the reader's language.
VERSION_FIELDS = {
    "quantity": _("quantity"),
    "amount": _("amount"),
    "total_cost": _("total amount"),
    "due_date": _("due date"),
    "description": _("description"),
    "product_id": _("product"),
    "unit": _("unit"),
    "cell": _("colour / size"),
    "packing_requirements": _("packing requirements"),
    "shipping_marks": _("shipping marks"),
    "special_requirements": _("special requirements"),
    "ex_factory_date": _("ex-factory date"),
    "kept_at_produced": _("quantity kept at what is already produced"),
}
