"""Supplier invoices (against a production order, a purchase order, or a service), their VAT
invoices (增值税专用发票), payments to suppliers (finance only) and the monthly supplier
statement (对账单) with the supplier's reply."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.models import TimeStampedModel, VersionedModel

__all__ = ["SupplierInvoice", "VatInvoice", "SupplierPayment", "SupplierStatement", "StatementDispute"]

MONEY = {"max_digits": 18, "decimal_places": 2}


class SupplierInvoice(VersionedModel):
    class Kind(models.TextChoices):
        PRODUCTION = "production", _("goods from a factory")
        MATERIALS = "materials", _("materials")
        SERVICE = "service", _("service")

    class ServiceKind(models.TextChoices):
        FREIGHT = "freight", _("freight and forwarder charges")
        COURIER = "courier", _("courier")
        INSPECTION = "inspection", _("inspection")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PAID = "paid", _("paid")
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("our reference"), max_length=30, unique=True)
    supplier = models.ForeignKey("parties.Supplier", on_delete=models.PROTECT, related_name="invoices",
                                 verbose_name=_("supplier"))
    supplier_invoice_no = models.CharField(_("supplier's invoice no."), max_length=60)
    kind = models.CharField(_("for"), max_length=12, choices=Kind.choices)
    service_kind = models.CharField(_("service"), max_length=12, choices=ServiceKind.choices, blank=True)
    production_order = models.ForeignKey("production.ProductionOrder", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="supplier_invoices",
                                         verbose_name=_("production order"))
    purchase_order = models.ForeignKey("purchasing.PurchaseOrder", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="supplier_invoices", verbose_name=_("purchase order"))
    sales_order = models.ForeignKey("sales.SalesOrder", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="supplier_invoices", verbose_name=_("order"),
                                    help_text=_("The order the cost belongs to (filled from the production "
                                                "order; chosen for services)."))
    shipment = models.ForeignKey("shipping.Shipment", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="supplier_invoices", verbose_name=_("shipment"))
    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    amount = models.DecimalField(_("amount incl. VAT"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    tax_amount = models.DecimalField(_("of which VAT"), default=Decimal("0"),
                                     validators=[MinValueValidator(Decimal("0"))], **MONEY)
    invoice_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"))
    vat_required = models.BooleanField(_("VAT special invoice expected"), default=True)
    paid_amount = models.DecimalField(_("paid"), default=Decimal("0"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))

    class Meta:
        ordering = ["-invoice_date", "-id"]
        verbose_name = _("supplier invoice")
        verbose_name_plural = _("supplier invoices")
        permissions = [("pay_supplierinvoice", "Can record payments to suppliers")]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "supplier_invoice_no"], name="uniq_supplier_invoice_no"),
            models.CheckConstraint(condition=models.Q(paid_amount__lte=models.F("amount")),
                                   name="supplier_invoice_not_overpaid"),
            models.CheckConstraint(condition=models.Q(tax_amount__lte=models.F("amount")),
                                   name="supplier_invoice_tax_within_amount"),
        ]
        indexes = [
            models.Index(fields=["supplier", "invoice_date"], name="supplier_invoice_date"),
            models.Index(fields=["due_date"], condition=models.Q(status="open"), name="supplier_invoice_open_due"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("payables:invoice_detail", args=[self.pk])

    @property
    def open_amount(self) -> Decimal:
        return self.amount - self.paid_amount


class VatInvoice(models.Model):
    """A VAT special invoice (增值税专用发票) received for a supplier invoice: its number is
    unique (a number used twice is the same paper counted twice); the rebate of a shipment
    needs the VAT invoices of its goods."""

    supplier_invoice = models.ForeignKey(SupplierInvoice, on_delete=models.PROTECT, related_name="vat_invoices",
                                         verbose_name=_("supplier invoice"))
    number = models.CharField(_("VAT invoice no."), max_length=30, unique=True)
    issued_on = models.DateField(_("issued on"))
    net_amount = models.DecimalField(_("amount excl. VAT"), validators=[MinValueValidator(Decimal("0.01"))],
                                     **MONEY)
    tax_rate = models.DecimalField(_("VAT rate %"), max_digits=5, decimal_places=2, default=Decimal("13"),
                                   validators=[MinValueValidator(0), MaxValueValidator(100)])
    tax_amount = models.DecimalField(_("VAT"), validators=[MinValueValidator(Decimal("0"))], **MONEY)
    rebate = models.ForeignKey("payables.TaxRebate", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="vat_invoices", verbose_name=_("used for the rebate of"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("VAT invoice")
        verbose_name_plural = _("VAT invoices")

    def __str__(self) -> str:
        return self.number


class SupplierPayment(models.Model):
    """Money paid to a supplier against one invoice; recorded by finance only. A factory's balance
    is paid only after its goods passed inspection and were received, unless overridden with a
    reason (``override_reason``)."""

    invoice = models.ForeignKey(SupplierInvoice, on_delete=models.PROTECT, related_name="payments",
                                verbose_name=_("supplier invoice"))
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    paid_on = models.DateField(_("paid on"))
    bank_reference = models.CharField(_("bank reference"), max_length=80, blank=True)
    override_reason = models.CharField(_("reason for paying before inspection and receipt"), max_length=300,
                                       blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("payment to a supplier")
        verbose_name_plural = _("payments to suppliers")
        indexes = [models.Index(fields=["paid_on"], name="supplier_payment_date")]

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount}"


class SupplierStatement(TimeStampedModel):
    """The monthly statement (对账单) of one supplier in one currency: what was delivered,
    invoiced, paid and is open in the month, frozen when issued (``lines`` and the totals), sent
    to the supplier, and the supplier's reply. Only a month that has ended can be confirmed."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("issued")
        SENT = "sent", _("sent to the supplier")
        CONFIRMED = "confirmed", _("confirmed by the supplier")
        DISPUTED = "disputed", _("disputed")
        SUPERSEDED = "superseded", _("replaced by a new issue")

    number = models.CharField(_("statement no."), max_length=30, unique=True)
    supplier = models.ForeignKey("parties.Supplier", on_delete=models.PROTECT, related_name="statements",
                                 verbose_name=_("supplier"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    opening_balance = models.DecimalField(_("opening balance"), **MONEY)
    delivered_amount = models.DecimalField(_("delivered"), **MONEY)
    invoiced_amount = models.DecimalField(_("invoiced"), **MONEY)
    paid_amount = models.DecimalField(_("paid"), **MONEY)
    closing_balance = models.DecimalField(_("closing balance"), **MONEY)
    lines = models.JSONField(_("lines"), default=list)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ISSUED)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))
    sent_to = models.CharField(_("sent to"), max_length=400, blank=True)
    email_sent_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_error = models.CharField(_("email error"), max_length=300, blank=True)
    replied_at = models.DateTimeField(_("reply recorded at"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("reply recorded by"))
    reply_note = models.CharField(_("supplier's reply"), max_length=400, blank=True)

    class Meta:
        ordering = ["-month", "supplier"]
        verbose_name = _("supplier statement")
        verbose_name_plural = _("supplier statements")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "month", "currency"],
                                    condition=~models.Q(status="superseded"), name="uniq_live_supplier_statement"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("payables:statement_detail", args=[self.pk])


class StatementDispute(models.Model):
    """A line of a supplier statement the supplier disputes; on the purchasing board until settled."""

    statement = models.ForeignKey(SupplierStatement, on_delete=models.CASCADE, related_name="disputes",
                                  verbose_name=_("statement"))
    line_ref = models.CharField(_("line"), max_length=60)
    amount = models.DecimalField(_("amount in dispute"), **MONEY)
    reason = models.CharField(_("reason"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("settled by"))
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settlement = models.CharField(_("how it was settled"), max_length=300, blank=True)

    class Meta:
        ordering = ["statement", "id"]
        verbose_name = _("disputed line")
        verbose_name_plural = _("disputed lines")
        indexes = [models.Index(fields=["settled_at"], name="statement_dispute_open")]

    def __str__(self) -> str:
        return f"{self.statement} {self.line_ref}"
