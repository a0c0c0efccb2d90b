"""Production orders: the instruction to an own workshop (生产通知单) or an outsourced factory
(购销合同 / 外协采购清单) to make (part of) a sales order. Created by production release; the
follow-up (materials, samples, progress, inspections) is built on these records."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.models import VersionedModel

QTY = {"max_digits": 14, "decimal_places": 3}
PRICE = {"max_digits": 18, "decimal_places": 4}
MONEY = {"max_digits": 18, "decimal_places": 2}


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
    # Set when an order revision changed something this production order makes.
    change_flag = models.CharField(_("changed by order revision"), max_length=300, blank=True)
    change_revision_no = models.PositiveSmallIntegerField(_("revision that changed it"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("production order")
        verbose_name_plural = _("production orders")
        indexes = [models.Index(fields=["sales_order", "status"], name="prodorder_order_status"),
                   models.Index(fields=["supplier", "status", "due_date"], name="prodorder_supplier_due")]

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

    class Meta:
        ordering = ["production_order", "order_line__line_no"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="prodline_qty_positive"),
            models.CheckConstraint(condition=models.Q(produced_quantity__lte=models.F("quantity")),
                                   name="prodline_not_overproduced"),
        ]

    def __str__(self) -> str:
        return f"{self.production_order} / {self.order_line.line_no}"
