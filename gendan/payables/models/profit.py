"""The profit of each order (订单利润): the costs that do not come from a supplier invoice
(commissions, bank charges beyond receipts, other) and the estimate frozen at confirmation."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["OrderCost", "ProfitEstimate"]

MONEY = {"max_digits": 18, "decimal_places": 2}


class OrderCost(models.Model):
    class Kind(models.TextChoices):
        COMMISSION = "commission", _("commission")
        BANK = "bank", _("bank charges")
        FREIGHT = "freight", _("freight")
        OTHER = "other", _("other")

    order = models.ForeignKey("sales.SalesOrder", on_delete=models.PROTECT, related_name="extra_costs",
                              verbose_name=_("order"))
    kind = models.CharField(_("cost"), max_length=12, choices=Kind.choices)
    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    incurred_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["order", "incurred_on", "id"]
        verbose_name = _("order cost")
        verbose_name_plural = _("order costs")

    def __str__(self) -> str:
        return f"{self.order} {self.kind} {self.amount}"


class ProfitEstimate(models.Model):
    """The profit estimated when the order was confirmed (re-estimated when a change order is
    applied), in CNY; the actual profit is read from the costs as they arrive."""

    order = models.OneToOneField("sales.SalesOrder", on_delete=models.CASCADE, related_name="profit_estimate",
                                 verbose_name=_("order"))
    exchange_rate = models.DecimalField(_("CNY per unit"), max_digits=18, decimal_places=8)
    selling_cny = models.DecimalField(_("selling amount (CNY)"), **MONEY)
    cost_cny = models.DecimalField(_("costs (CNY)"), **MONEY)
    rebate_cny = models.DecimalField(_("tax rebate (CNY)"), **MONEY)
    profit_cny = models.DecimalField(_("profit (CNY)"), **MONEY)
    breakdown = models.JSONField(_("breakdown"), default=dict)
    estimated_at = models.DateTimeField(_("estimated at"))

    class Meta:
        verbose_name = _("profit estimate")
        verbose_name_plural = _("profit estimates")

    def __str__(self) -> str:
        return f"{self.order} {self.profit_cny}"
