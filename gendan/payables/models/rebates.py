"""Export tax rebates (出口退税): per shipment, the customs declaration, the VAT invoices of its
goods from the factories, the rebate expected (per HS code's rate) and received."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan.core.models import VersionedModel

__all__ = ["TaxRebate"]

MONEY = {"max_digits": 18, "decimal_places": 2}


class TaxRebate(VersionedModel):
    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for VAT invoices")
        READY = "ready", _("ready to file")
        FILED = "filed", _("filed with the tax office")
        RECEIVED = "received", _("received")

    shipment = models.OneToOneField("shipping.Shipment", on_delete=models.PROTECT, related_name="tax_rebate",
                                    verbose_name=_("shipment"))
    declaration_no = models.CharField(_("customs declaration no."), max_length=18, unique=True)
    declared_on = models.DateField(_("declaration date"))
    expected_amount = models.DecimalField(_("rebate expected (CNY)"), default=Decimal("0"), **MONEY)
    received_amount = models.DecimalField(_("rebate received (CNY)"), default=Decimal("0"), **MONEY)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))

    class Meta:
        ordering = ["-declared_on", "-id"]
        verbose_name = _("export tax rebate")
        verbose_name_plural = _("export tax rebates")
        indexes = [models.Index(fields=["status"], name="rebate_status")]

    def __str__(self) -> str:
        return self.declaration_no
