"""Shipments: what left the factory for an order (partial shipments allowed), with B/L and
sailing data. The full export document set (invoice, packing list, CO …) builds on these."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.models import TimeStampedModel, VersionedModel

QTY = {"max_digits": 14, "decimal_places": 3}
# How booked containers are listed (the types of ``shipping.loading``, then less than a container load).
CONTAINER_ORDER = ("20GP", "40GP", "40HQ", "45HQ", "LCL")


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


class Booking(VersionedModel):
    """A booking (订舱) of space on a vessel with a forwarder for (part of) a sales order: asked
    for (the request email with the cargo summary), confirmed by the forwarder (booking no.,
    vessel / voyage, ETD / ETA, the cut-offs, the containers), amended, or cancelled. The steps
    are in ``shipping/workflows.py`` and docs/workflows/shipping.md."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        CONFIRMED = "confirmed", _("confirmed")
        CANCELLED = "cancelled", _("cancelled")

    order = models.ForeignKey("sales.SalesOrder", on_delete=models.PROTECT, related_name="bookings",
                              verbose_name=_("sales order"))
    shipment = models.ForeignKey(Shipment, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings",
                                 verbose_name=_("shipment"))
    forwarder = models.ForeignKey("parties.Supplier", on_delete=models.PROTECT, related_name="bookings",
                                  verbose_name=_("forwarder"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_on = models.DateField(_("booking request date"))
    booking_no = models.CharField(_("booking no."), max_length=60, blank=True)
    carrier = models.CharField(_("carrier"), max_length=80, blank=True)
    vessel = models.CharField(_("vessel"), max_length=80, blank=True)
    voyage = models.CharField(_("voyage"), max_length=30, blank=True)
    port_of_loading = models.CharField(_("port of loading"), max_length=80, blank=True)
    port_of_destination = models.CharField(_("port of destination"), max_length=80, blank=True)
    etd = models.DateField(_("ETD"), null=True, blank=True)
    eta = models.DateField(_("ETA"), null=True, blank=True)
    cy_cutoff = models.DateTimeField(_("CY cut-off"), null=True, blank=True)
    si_cutoff = models.DateTimeField(_("SI cut-off"), null=True, blank=True)
    vgm_cutoff = models.DateTimeField(_("VGM cut-off"), null=True, blank=True)
    # {"40HQ": 1, "20GP": 2}: container type (shipping.loading.CONTAINER_TYPES or LCL) → count
    containers = models.JSONField(_("containers"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("request emailed at"), null=True, blank=True)
    email_error = models.CharField(_("email error"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "-requested_on", "-id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [models.Index(fields=["order", "status"], name="booking_order_status"),
                   models.Index(fields=["forwarder", "etd"], name="booking_forwarder_etd")]
        constraints = [
            models.CheckConstraint(condition=models.Q(eta__isnull=True) | models.Q(etd__isnull=True)
                                   | models.Q(eta__gte=models.F("etd")), name="booking_eta_after_etd"),
        ]

    def __str__(self) -> str:
        return self.booking_no or f"{self.order} / {self.forwarder.code}"

    @property
    def vessel_voyage(self) -> str:
        return " / ".join(p for p in (self.vessel, self.voyage) if p)

    @property
    def containers_text(self) -> str:
        """"2 × 20GP, 1 × 40HQ": smallest type first (PostgreSQL's jsonb keeps no key order)."""
        rank = {kind: n for n, kind in enumerate(CONTAINER_ORDER)}
        items = sorted((self.containers or {}).items(), key=lambda item: (rank.get(item[0], 99), item[0]))
        return ", ".join(f"{count} × {kind}" for kind, count in items)

    def get_absolute_url(self) -> str:
        return reverse("sales:order_detail", args=[self.order_id]) + f"#booking-{self.pk}"
