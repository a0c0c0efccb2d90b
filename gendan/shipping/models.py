"""Shipments: what left the factory for an order (partial shipments allowed), with B/L and
sailing data. The full export document set (invoice, packing list, CO …) builds on these."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.models import TimeStampedModel

QTY = {"max_digits": 14, "decimal_places": 3}


class Shipment(TimeStampedModel):
    number = models.CharField(_("shipment no."), max_length=30, unique=True)
    order = models.ForeignKey("sales.SalesOrder", on_delete=models.PROTECT, related_name="shipments",
                              verbose_name=_("sales order"))
    shipped_on = models.DateField(_("shipment date"))
    bl_no = models.CharField(_("B/L no."), max_length=60, blank=True)
    vessel_voyage = models.CharField(_("vessel / voyage"), max_length=120, blank=True)
    etd = models.DateField(_("ETD"), null=True, blank=True)
    eta = models.DateField(_("ETA"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))

    class Meta:
        ordering = ["-shipped_on", "-id"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        indexes = [models.Index(fields=["order", "-shipped_on"], name="shipment_order_date")]
        constraints = [
            models.CheckConstraint(condition=models.Q(eta__isnull=True) | models.Q(etd__isnull=True)
                                   | models.Q(eta__gte=models.F("etd")), name="shipment_eta_after_etd"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("sales:order_detail", args=[self.order_id]) + f"#shipment-{self.pk}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("sales.SalesOrderLine", on_delete=models.PROTECT, related_name="shipment_lines",
                                   verbose_name=_("order line"))
    quantity = models.DecimalField(_("quantity"), validators=[MinValueValidator(0)], **QTY)

    class Meta:
        ordering = ["shipment", "order_line__line_no"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="shipline_qty_positive")]

    def __str__(self) -> str:
        return f"{self.shipment} / {self.order_line.line_no}: {self.quantity}"
