"""Material requirements derived from the products' BOMs, and purchase orders for materials.

A production order needs materials: one ``MaterialRequirement`` per component of the BOMs of
what it makes (quantity × BOM quantity per unit × (1 + scrap %)). Purchasing covers the
requirements with ``PurchaseOrder`` lines (``PurchaseCoverage``), chases the suppliers for
ETAs (``SupplierProgressNote``) and records the goods received (``GoodsReceipt``), which
fill the covered requirements' received quantity, oldest need first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.core.models import VersionedModel
from gendan.core.versions import ReissuedVersion

QTY = {"max_digits": 14, "decimal_places": 3}
PRICE = {"max_digits": 18, "decimal_places": 4}
MONEY = {"max_digits": 18, "decimal_places": 2}
ZERO = Decimal("0")


class BomConfirmation(models.Model):
    """The engineering-confirmed BOM of a production order (BOM 确认, order + 2 days): from
    then on its material requirements are derived and purchasing may order."""

    production_order = models.OneToOneField("production.ProductionOrder", on_delete=models.CASCADE,
                                            related_name="bom_confirmation", verbose_name=_("production order"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("BOM confirmed at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("BOM confirmation")
        verbose_name_plural = _("BOM confirmations")

    def __str__(self) -> str:
        return f"BOM {self.production_order}"


class MaterialRequirement(VersionedModel):
    """What one production order needs of one material, and where it stands."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")  # nothing ordered from a supplier yet
        ORDERED = "ordered", _("ordered")  # covered by a purchase order that went to the supplier
        PARTLY_RECEIVED = "partly_received", _("partly received")
        RECEIVED = "received", _("received")  # received ≥ required

    production_order = models.ForeignKey("production.ProductionOrder", on_delete=models.CASCADE,
                                         related_name="material_requirements", verbose_name=_("production order"))
    component = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="requirements",
                                  verbose_name=pgettext_lazy("purchasing", "material"))
    required_quantity = models.DecimalField(_("required"), **QTY)
    unit = models.CharField(_("unit"), max_length=8, default="pcs")
    supplier = models.ForeignKey("parties.Supplier", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="material_requirements", verbose_name=_("supplier"))
    purchaser = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("purchaser"))
    need_date = models.DateField(_("needed by"))
    eta = models.DateField(_("material ETA"), null=True, blank=True)
    received_quantity = models.DecimalField(_("received"), default=ZERO, **QTY)
    arrived_on = models.DateField(_("last arrival"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    # Set when re-deriving finds the BOM no longer needs this material (or less than received):
    # a requirement with receipts is never deleted, purchasing decides what to do with the goods.
    flag = models.CharField(_("flag"), max_length=300, blank=True)

    class Meta:
        ordering = ["need_date", "production_order_id", "component__code"]
        verbose_name = _("material requirement")
        verbose_name_plural = _("material requirements")
        permissions = [("confirm_bom", _("Can confirm a production order's BOM"))]
        constraints = [
            models.UniqueConstraint(fields=["production_order", "component"], name="uniq_requirement_component"),
            models.CheckConstraint(condition=models.Q(required_quantity__gte=0), name="requirement_qty_not_negative"),
            models.CheckConstraint(condition=models.Q(received_quantity__gte=0),
                                   name="requirement_received_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "need_date"], name="requirement_status_need"),
                   models.Index(fields=["component", "status"], name="requirement_component_status")]

    def __str__(self) -> str:
        return f"{self.production_order} · {self.component.code}"

    def get_absolute_url(self) -> str:
        return reverse("purchasing:requirement_list", args=[self.production_order_id])

    @property
    def outstanding_quantity(self) -> Decimal:
        return max(self.required_quantity - self.received_quantity, ZERO)

    def shortage_reason(self, today: dt.date | None = None) -> str:
        """Why this requirement is short (late ETA, overdue delivery), or "" when it is not."""
        today = today or timezone.localdate()
        if self.status == self.Status.RECEIVED:
            return ""
        if self.eta and self.eta > self.need_date:
            return str(_("ETA after the need date"))
        if self.eta and self.eta < today:
            return str(_("ETA passed, not all received"))
        if self.eta is None and self.need_date <= today:
            return str(_("needed now, no ETA"))
        return ""

    @property
    def is_short(self) -> bool:
        return bool(self.shortage_reason())


class PurchaseOrder(VersionedModel):
    """A purchase order for materials (采购合同) to one material supplier."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")  # being prepared, lines may change
        SENT = "sent", _("sent to supplier")
        CONFIRMED = "confirmed", _("confirmed by supplier")  # supplier committed the ETAs
        PARTLY_RECEIVED = "partly_received", _("partly received")
        RECEIVED = "received", _("received")  # every line received in full
        CLOSED = "closed", _("closed")  # settled, nothing more expected
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("purchase order no."), max_length=30, unique=True)
    supplier = models.ForeignKey("parties.Supplier", on_delete=models.PROTECT, related_name="purchase_orders",
                                 verbose_name=_("supplier"))
    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"), default="CNY")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    order_date = models.DateField(_("order date"), default=timezone.localdate)
    purchaser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("purchaser"))
    total_amount = models.DecimalField(_("total"), default=ZERO, **MONEY)
    over_receipt_percent = models.DecimalField(
        _("over-receipt tolerance %"), max_digits=5, decimal_places=2, default=ZERO,
        help_text=_("How much more than ordered the warehouse may accept per line (0: never more)."))
    notes = models.TextField(_("notes"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_to = models.CharField(_("e-mailed to"), max_length=400, blank=True)
    email_sent_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_error = models.CharField(_("email error"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed by supplier at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # The document's version: 1 when sent, +1 each time a change order re-issues it.
    doc_version = models.PositiveSmallIntegerField(_("document version"), default=1)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        indexes = [models.Index(fields=["status", "supplier"], name="purchase_status_supplier"),
                   models.Index(fields=["supplier", "-id"], name="purchase_supplier_id")]
        constraints = [
            models.CheckConstraint(condition=models.Q(over_receipt_percent__gte=0, over_receipt_percent__lte=100),
                                   name="purchase_tolerance_0_100"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("purchasing:purchase_order_detail", args=[self.pk])


class PurchaseOrderLine(models.Model):
    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveSmallIntegerField(_("line"))
    material = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="purchase_lines",
                                 verbose_name=pgettext_lazy("purchasing", "material"))
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit = models.CharField(_("unit"), max_length=8, default="pcs")
    unit_price = models.DecimalField(_("unit price"), **PRICE)
    amount = models.DecimalField(_("amount"), **MONEY)
    eta = models.DateField(pgettext_lazy("purchasing", "ETA"), null=True, blank=True)
    received_quantity = models.DecimalField(_("received"), default=ZERO, **QTY)

    class Meta:
        ordering = ["purchase_order", "line_no"]
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        constraints = [
            models.UniqueConstraint(fields=["purchase_order", "line_no"], name="uniq_purchase_line_no"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="purchase_line_qty_positive"),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="purchase_line_price_not_negative"),
            models.CheckConstraint(condition=models.Q(received_quantity__gte=0),
                                   name="purchase_line_received_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.purchase_order} / {self.line_no}"

    @property
    def outstanding_quantity(self) -> Decimal:
        return max(self.quantity - self.received_quantity, ZERO)


class PurchaseCoverage(models.Model):
    """Part of a purchase order line bought for one material requirement."""

    line = models.ForeignKey(PurchaseOrderLine, on_delete=models.CASCADE, related_name="coverages")
    requirement = models.ForeignKey(MaterialRequirement, on_delete=models.PROTECT, related_name="coverages",
                                    verbose_name=_("material requirement"))
    quantity = models.DecimalField(_("covered"), **QTY)
    received_quantity = models.DecimalField(_("received"), default=ZERO, **QTY)

    class Meta:
        ordering = ["line", "requirement__need_date", "requirement_id"]
        constraints = [
            models.UniqueConstraint(fields=["line", "requirement"], name="uniq_coverage"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="coverage_qty_positive"),
            models.CheckConstraint(condition=models.Q(received_quantity__lte=models.F("quantity")),
                                   name="coverage_not_over_received"),
        ]

    def __str__(self) -> str:
        return f"{self.line} → {self.requirement}"


class GoodsReceipt(models.Model):
    """Goods received (收货) against a purchase order, one row per delivery."""

    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="receipts")
    received_on = models.DateField(_("received on"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")

    def __str__(self) -> str:
        return f"{self.purchase_order} {self.received_on:%Y-%m-%d}"


class GoodsReceiptLine(models.Model):
    receipt = models.ForeignKey(GoodsReceipt, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipt_lines")
    quantity = models.DecimalField(_("quantity received"), **QTY)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="receipt_line_qty_positive")]

    def __str__(self) -> str:
        return f"{self.receipt} / {self.line.line_no}: {self.quantity}"


class SupplierProgressNote(models.Model):
    """What the supplier said when chased (跟催): a note, optionally a new ETA."""

    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="progress_notes")
    line = models.ForeignKey(PurchaseOrderLine, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="progress_notes", verbose_name=_("line"),
                             help_text=_("Empty: the note is about every open line."))
    noted_on = models.DateField(_("date"))
    text = models.TextField(_("what the supplier said"))
    new_eta = models.DateField(_("new ETA"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-noted_on", "-id"]
        verbose_name = _("supplier progress note")
        verbose_name_plural = _("supplier progress notes")

    def __str__(self) -> str:
        return f"{self.purchase_order} {self.noted_on:%Y-%m-%d}"


class PurchaseOrderVersion(ReissuedVersion):
    """A re-issue of a sent purchase order after a change order changed what its materials'
    requirements need (BOM × the new quantity): version 2, 3 … (version 1 is the order as sent),
    what changed line by line (old → new), its PDF, the e-mail to the supplier and the supplier's
    re-acknowledgement (``purchasing.workflows.VERSION``). ``changes``: [{"line": n, "material": code,
    "field": "quantity" | "amount" | "total_amount" | "kept_at_received", "old": str, "new": str}]."""

    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="versions",
                                       verbose_name=_("purchase order"))
    pdf = models.FileField(_("PDF"), upload_to="purchasing/%Y/%m/", blank=True)
    reack_reason = models.CharField(_("supplier's answer"), max_length=300, blank=True)
    new_eta = models.DateField(_("new ETA"), null=True, blank=True)

    class Meta:
        ordering = ["purchase_order", "-number"]
        verbose_name = _("purchase order version")
        verbose_name_plural = _("purchase order versions")
        constraints = [models.UniqueConstraint(fields=["purchase_order", "number"], name="uniq_purchase_version")]
        indexes = [models.Index(fields=["reack_status", "created_at"], name="purchversion_reack_created")]

    def __str__(self) -> str:
        return f"{self.purchase_order} v{self.number}"


# What a version's change rows name (``PurchaseOrderVersion.changes[].field``), in the reader's language.
VERSION_FIELDS = {
    "quantity": _("quantity"),
    "amount": _("amount"),
    "total_amount": _("total"),
    "kept_at_received": _("not lowered below what was already received"),
    "line_removed": _("line removed"),
    "only_line_kept": _("not removed: the purchase order's only line (cancel the purchase order instead)"),
}
