"""The ledger and aging settings. The ledger itself is not stored: every amount due is an
instalment of finance's payment plan (``finance.PaymentPlanItem``) and every payment a receipt
and its allocations, so the ledger, the statement and the aging are read from them and can
never disagree with the order page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["AgingPolicy", "StatementSend"]

DEFAULT_BOUNDS = "30,60,90"


class AgingPolicy(models.Model):
    """The aging buckets finance works with (one row): the upper bounds in days overdue of the
    buckets after "not due", e.g. "30,60,90" → not due / 1–30 / 31–60 / 61–90 / > 90."""

    bounds = models.CharField(_("bucket limits (days overdue)"), max_length=60, default=DEFAULT_BOUNDS)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("aging buckets")
        verbose_name_plural = _("aging buckets")

    def __str__(self) -> str:
        return self.bounds


class StatementSend(models.Model):
    """A statement of account e-mailed to a customer (on demand or by the monthly run)."""

    class Trigger(models.TextChoices):
        ON_DEMAND = "on_demand", _("on demand")
        MONTHLY = "monthly", _("monthly run")

    customer = models.ForeignKey("parties.Customer", on_delete=models.PROTECT, related_name="statement_sends",
                                 verbose_name=_("customer"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    trigger = models.CharField(_("sent by"), max_length=10, choices=Trigger.choices)
    sent_to = models.CharField(_("sent to"), max_length=400)
    language = models.CharField(_("language"), max_length=8, default="en")
    closing_balance = models.JSONField(_("closing balance per currency"), default=dict)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"))
    email_sent_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_error = models.CharField(_("email error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("statement sent")
        verbose_name_plural = _("statements sent")
        constraints = [
            # the monthly run sends one statement per customer and month, however often it runs
            models.UniqueConstraint(fields=["customer", "period_end"], condition=models.Q(trigger="monthly"),
                                    name="uniq_monthly_statement"),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.period_start}–{self.period_end}"
