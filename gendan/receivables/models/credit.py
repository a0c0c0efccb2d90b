"""Credit and dunning (催款): each customer's credit limit and hold, the dunning levels finance
configures, each daily run and the reminders it sent, and the amounts in dispute that are never
dunned."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan.core.models import VersionedModel

__all__ = ["CustomerCredit", "CreditLimitApproval", "DunningLevel", "DunningRun", "DunningNotice", "Dispute"]

MONEY = {"max_digits": 18, "decimal_places": 2}


class CustomerCredit(VersionedModel):
    """A customer's credit: the limit finance grants and the hold the last dunning level puts on.

    While ``on_hold`` the customer's new orders cannot be confirmed, and goods and original
    documents are not released (gates registered on the order), until finance lifts it."""

    customer = models.OneToOneField("parties.Customer", on_delete=models.CASCADE, related_name="credit",
                                    verbose_name=_("customer"))
    credit_limit = models.DecimalField(_("credit limit"), null=True, blank=True,
                                       validators=[MinValueValidator(Decimal("0"))], **MONEY,
                                       help_text=_("Empty: no limit."))
    limit_currency = models.ForeignKey("core.Currency", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("limit currency"))
    dunning_level = models.PositiveSmallIntegerField(_("dunning level"), default=0)
    last_dunned_on = models.DateField(_("last reminder"), null=True, blank=True)
    on_hold = models.BooleanField(_("credit hold"), default=False)
    hold_since = models.DateTimeField(_("on hold since"), null=True, blank=True)
    hold_reason = models.CharField(_("reason for the hold"), max_length=300, blank=True)
    lifted_at = models.DateTimeField(_("hold lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("hold lifted by"))
    lift_reason = models.CharField(_("reason for lifting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("customer credit")
        verbose_name_plural = _("customer credit")
        indexes = [models.Index(fields=["on_hold"], name="credit_on_hold")]
        permissions = [("hold_customercredit", _("Can put a customer on credit hold and lift it"))]

    def __str__(self) -> str:
        return str(self.customer)


class CreditLimitApproval(models.Model):
    """A manager lets one order be confirmed over the customer's credit limit, with a reason.
    It covers the exposure it was given for; a larger exposure needs a new approval."""

    order = models.ForeignKey("sales.SalesOrder", on_delete=models.CASCADE, related_name="credit_approvals",
                              verbose_name=_("order"))
    exposure = models.DecimalField(_("exposure approved"), **MONEY)
    credit_limit = models.DecimalField(_("credit limit"), **MONEY)
    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    reason = models.CharField(_("reason"), max_length=300)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"))

    class Meta:
        ordering = ["-approved_at"]
        verbose_name = _("credit limit approval")
        verbose_name_plural = _("credit limit approvals")

    def __str__(self) -> str:
        return f"{self.order} {self.exposure}"


class DunningLevel(models.Model):
    """One level of reminders: from how many days overdue, the text in both languages, and what
    it does (e-mail the customer's finance contact, a task on the merchandiser's and the
    salesperson's board, escalate to the manager, put the customer on credit hold)."""

    level = models.PositiveSmallIntegerField(_("level"), unique=True)
    days_overdue = models.PositiveSmallIntegerField(_("from days overdue"))
    subject_zh = models.CharField(_("subject (Chinese)"), max_length=200)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_zh = models.TextField(_("text (Chinese)"))
    body_en = models.TextField(_("text (English)"))
    email_customer = models.BooleanField(_("e-mail the customer"), default=True)
    board_task = models.BooleanField(_("task on the merchandiser's and salesperson's board"), default=False)
    escalate_manager = models.BooleanField(_("escalate to the manager"), default=False)
    credit_hold = models.BooleanField(_("put on credit hold"), default=False)

    class Meta:
        ordering = ["level"]
        verbose_name = _("dunning level")
        verbose_name_plural = _("dunning levels")

    def __str__(self) -> str:
        return f"{self.level}: {self.days_overdue}"


class DunningRun(models.Model):
    """One dunning run (daily from ``chase_run``, or started by finance): at most one a day."""

    run_on = models.DateField(_("run on"), unique=True)
    started_at = models.DateTimeField(_("started at"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("started by"))
    customers_count = models.PositiveIntegerField(_("customers overdue"), default=0)
    notices_count = models.PositiveIntegerField(_("reminders"), default=0)
    holds_count = models.PositiveIntegerField(_("put on hold"), default=0)

    class Meta:
        ordering = ["-run_on"]
        verbose_name = _("dunning run")
        verbose_name_plural = _("dunning runs")

    def __str__(self) -> str:
        return str(self.run_on)


class DunningNotice(models.Model):
    """The one reminder a run sends a customer, at the highest level any of its overdue amounts
    reached. ``items`` lists the instalments it covers: plan item, order, amount, due date."""

    run = models.ForeignKey(DunningRun, on_delete=models.CASCADE, related_name="notices", verbose_name=_("run"))
    customer = models.ForeignKey("parties.Customer", on_delete=models.PROTECT, related_name="dunning_notices",
                                 verbose_name=_("customer"))
    level = models.PositiveSmallIntegerField(_("level"))
    overdue = models.JSONField(_("overdue per currency"), default=dict)
    oldest_due_date = models.DateField(_("oldest due date"))
    days_overdue = models.PositiveIntegerField(_("days overdue"))
    items = models.JSONField(_("instalments"), default=list)
    language = models.CharField(_("language"), max_length=8, default="en")
    sent_to = models.CharField(_("sent to"), max_length=400, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    email_sent_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_error = models.CharField(_("email error"), max_length=300, blank=True)
    resolved_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        ordering = ["-run__run_on", "-level"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["run", "customer"], name="uniq_notice_per_run")]
        indexes = [models.Index(fields=["customer", "-id"], name="notice_customer")]

    def __str__(self) -> str:
        return f"{self.customer} L{self.level}"


class Dispute(models.Model):
    """An amount of an instalment the customer disputes (a complaint, a price question …):
    never dunned while open, and shown on the ledger and the aging."""

    plan_item = models.ForeignKey("finance.PaymentPlanItem", on_delete=models.CASCADE, related_name="disputes",
                                  verbose_name=_("instalment"))
    amount = models.DecimalField(_("amount in dispute"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    reason = models.CharField(_("reason"), max_length=300)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"))
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("settled by"))
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settlement = models.CharField(_("how it was settled"), max_length=300, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        indexes = [models.Index(fields=["plan_item"], condition=models.Q(settled_at__isnull=True),
                                name="dispute_open")]

    def __str__(self) -> str:
        return f"{self.plan_item} {self.amount}"
