"""Bank statements: a file exported from a receiving account (Excel, CSV or MT940), its credit
lines, and what finance did with each (a receipt recorded and allocated, or set aside). Nothing
is allocated without a person: the matches are proposals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["BankStatement", "BankStatementLine"]

MONEY = {"max_digits": 18, "decimal_places": 2}


class BankStatement(models.Model):
    class Layout(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel")
        MT940 = "mt940", _("MT940")

    filename = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(_("fingerprint"), max_length=64, unique=True)
    layout = models.CharField(_("layout"), max_length=8, choices=Layout.choices)
    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    account = models.CharField(_("account"), max_length=60, blank=True)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    lines_count = models.PositiveIntegerField(_("credit lines"), default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("imported by"))
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")

    def __str__(self) -> str:
        return self.filename


class BankStatementLine(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("to match")
        RECORDED = "recorded", _("receipt recorded")
        IGNORED = "ignored", _("set aside")

    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines",
                                  verbose_name=_("bank statement"))
    line_no = models.PositiveIntegerField(_("line"))
    value_date = models.DateField(_("value date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    bank_charges = models.DecimalField(_("bank charges"), default=0, **MONEY)
    payer_name = models.CharField(_("payer"), max_length=160, blank=True)
    reference = models.CharField(_("bank reference"), max_length=80, blank=True)
    remittance = models.CharField(_("remittance information"), max_length=400, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    receipt = models.ForeignKey("finance.Receipt", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("receipt"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["statement", "line_no"]
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        constraints = [models.UniqueConstraint(fields=["statement", "line_no"], name="uniq_statement_line")]
        indexes = [models.Index(fields=["status"], name="bank_line_status")]

    def __str__(self) -> str:
        return f"{self.statement} #{self.line_no}"
