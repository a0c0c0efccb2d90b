"""Money in: the payment plan of each order (deposit, balance), payment requests sent to the
customer, and receipts recorded by finance and allocated to orders.

Only finance records receipts (``finance.add_receipt``). A receipt is the net amount that
reached the bank, in its own currency; bank charges deducted on the way are recorded
explicitly, and an allocation to an order in another currency carries its exchange rate.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.models import TimeStampedModel
from gendan.sales.terms import due_event_text

MONEY = {"max_digits": 18, "decimal_places": 2}
RATE = {"max_digits": 18, "decimal_places": 8}


class PaymentPlanItem(models.Model):
    """One instalment the customer owes on an order, derived from its payment terms."""

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("deposit")
        BALANCE = "balance", _("balance")

    order = models.ForeignKey("sales.SalesOrder", on_delete=models.CASCADE, related_name="plan_items")
    kind = models.CharField(_("instalment"), max_length=8, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_rule = models.CharField(_("due when"), max_length=40, blank=True)
    received_amount = models.DecimalField(_("received"), default=Decimal("0"), **MONEY)
    requested_at = models.DateTimeField(_("last requested"), null=True, blank=True)

    class Meta:
        ordering = ["order", "kind"]
        verbose_name = _("payment plan item")
        verbose_name_plural = _("payment plan")
        constraints = [models.UniqueConstraint(fields=["order", "kind"], name="uniq_plan_item")]
        indexes = [models.Index(fields=["due_date"], name="plan_due_date")]

    def __str__(self) -> str:
        return f"{self.order} {self.kind} {self.amount}"

    @property
    def open_amount(self) -> Decimal:
        return max(self.amount - self.received_amount, Decimal("0"))

    @property
    def is_paid(self) -> bool:
        return self.received_amount >= self.amount

    @property
    def due_event(self) -> str:
        """When it falls due, in the reader's language (stored as a key in ``due_rule``)."""
        return due_event_text(self.due_rule)

    @due_event.setter
    def due_event(self, key: str) -> None:
        self.due_rule = key


class PaymentRequest(models.Model):
    """A notice to the customer to pay the deposit or the balance (打款通知), emailed with the PI."""

    order = models.ForeignKey("sales.SalesOrder", on_delete=models.CASCADE, related_name="payment_requests")
    kind = models.CharField(_("instalment"), max_length=8, choices=PaymentPlanItem.Kind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    sent_to = models.CharField(_("sent to"), max_length=400)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    document = models.ForeignKey("sales.OrderDocument", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("attached PI"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"))
    email_sent_at = models.DateTimeField(_("email sent at"), null=True, blank=True)
    email_error = models.CharField(_("email error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")

    def __str__(self) -> str:
        return f"{self.order} {self.kind} {self.amount}"


class Receipt(TimeStampedModel):
    """Money received from a customer, as finance sees it on the bank statement."""

    number = models.CharField(_("receipt no."), max_length=30, unique=True)
    customer = models.ForeignKey("parties.Customer", on_delete=models.PROTECT, related_name="receipts",
                                 verbose_name=_("customer"))
    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    amount = models.DecimalField(_("amount received"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    bank_charges = models.DecimalField(_("bank charges deducted"), default=Decimal("0"),
                                       validators=[MinValueValidator(Decimal("0"))], **MONEY)
    received_on = models.DateField(_("value date"))
    bank_reference = models.CharField(_("bank reference"), max_length=80)
    payer_name = models.CharField(_("payer as on the statement"), max_length=160, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    allocated_amount = models.DecimalField(_("allocated"), default=Decimal("0"), **MONEY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        indexes = [models.Index(fields=["customer", "-received_on"], name="receipt_customer_date")]
        constraints = [
            # SQLite evaluates the sum in floating point (11.01 + 5.00 < 16.01 there), so the
            # last line of defence allows half a cent; the service checks exactly, in Decimal.
            models.CheckConstraint(
                condition=models.Q(allocated_amount__lte=models.F("amount") + models.F("bank_charges")
                                   + models.Value(Decimal("0.005"))),
                name="receipt_not_overallocated",
            ),
            # One bank reference is one transfer: the same reference twice on the account that
            # received it is the same money posted twice. Gendan keeps one receiving account per
            # currency, so the account is the currency; references compare without case.
            models.UniqueConstraint(Upper("bank_reference"), "currency", name="receipt_bank_reference_once"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("finance:receipt_detail", args=[self.pk])

    @property
    def gross_amount(self) -> Decimal:
        """What the customer paid: the net amount received plus the charges banks deducted."""
        return self.amount + self.bank_charges

    @property
    def unallocated_amount(self) -> Decimal:
        return self.gross_amount - self.allocated_amount


class ReceiptAllocation(models.Model):
    """Part of a receipt applied to one order, in the receipt's and in the order's currency."""

    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="allocations")
    order = models.ForeignKey("sales.SalesOrder", on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("amount (receipt currency)"), validators=[MinValueValidator(Decimal("0.01"))],
                                 **MONEY)
    exchange_rate = models.DecimalField(_("exchange rate"), default=Decimal("1"), **RATE,
                                        help_text=_("Order currency per one unit of the receipt currency."))
    order_amount = models.DecimalField(_("amount (order currency)"), **MONEY)
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    allocated_at = models.DateTimeField(_("allocated at"))

    class Meta:
        ordering = ["receipt", "id"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        indexes = [models.Index(fields=["order"], name="allocation_order")]

    def __str__(self) -> str:
        return f"{self.receipt} → {self.order}: {self.amount}"


class ExchangeRate(models.Model):
    """The rate finance books for a currency from a day on (记账汇率): CNY per one unit.

    The ledger's CNY equivalents, the statements and the order profit convert at the rate valid
    on the day of the movement (the latest ``valid_from`` on or before it)."""

    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    valid_from = models.DateField(_("valid from"))
    cny_per_unit = models.DecimalField(_("CNY per unit"), validators=[MinValueValidator(Decimal("0.00000001"))],
                                       **RATE)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("set by"))
    set_at = models.DateTimeField(_("set at"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["currency", "-valid_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="uniq_exchange_rate_day"),
            models.CheckConstraint(condition=models.Q(cny_per_unit__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency_id} {self.valid_from} {self.cny_per_unit}"
