"""Quotations and sales orders: lines with colour × size quantities, the customer's written and
verbal confirmations, revisions (change orders) and the PI / contract documents issued for them.

Money fields are Decimal: amounts (18, 2) rounded to the currency's minor unit per line, unit
prices (18, 4). An order's total is the sum of its rounded line amounts, always.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.models import TimeStampedModel, VersionedModel
from gendan.parties.models import Incoterm, PaymentMethod

MONEY = {"max_digits": 18, "decimal_places": 2}
PRICE = {"max_digits": 18, "decimal_places": 4}
QTY = {"max_digits": 14, "decimal_places": 3}
_NON_NEGATIVE = [MinValueValidator(Decimal("0"), message=_("May not be negative."))]
_PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class TradeTermsMixin(models.Model):
    """The commercial terms a quotation offers and an order agrees: currency, Incoterm, payment."""

    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, verbose_name=_("currency"),
                                 limit_choices_to={"is_active": True})
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices, default=Incoterm.FOB)
    incoterm_place = models.CharField(_("Incoterm named place"), max_length=80, blank=True)
    payment_method = models.CharField(_("payment terms"), max_length=24, choices=PaymentMethod.choices,
                                      default=PaymentMethod.TT_DEPOSIT_BALANCE)
    deposit_percent = models.DecimalField(_("deposit %"), max_digits=5, decimal_places=2, default=Decimal("30"),
                                          validators=_PERCENT)
    payment_days = models.PositiveSmallIntegerField(_("payment days"), default=0,
                                                    validators=[MaxValueValidator(360)])
    payment_terms_note = models.CharField(_("payment terms note"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def incoterm_text(self) -> str:
        return " ".join(p for p in (self.incoterm, self.incoterm_place, "Incoterms® 2020") if p)


# --- quotations ------------------------------------------------------------------------


class Quotation(TradeTermsMixin, VersionedModel):
    """An offer to a customer (报价单). Accepted, it becomes a sales order in one action."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")  # being prepared, may be edited
        SENT = "sent", _("sent")  # sent to the customer, waiting for the answer
        ACCEPTED = "accepted", _("accepted")  # customer said yes; an order was created from it
        REJECTED = "rejected", _("rejected")  # customer said no
        EXPIRED = "expired", _("expired")  # validity date passed without an answer

    number = models.CharField(_("quotation no."), max_length=30, unique=True)
    customer = models.ForeignKey("parties.Customer", on_delete=models.PROTECT, related_name="quotations",
                                 verbose_name=_("customer"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    quoted_on = models.DateField(_("date"))
    valid_until = models.DateField(_("valid until"))
    packing = models.TextField(_("packing"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    total_amount = models.DecimalField(_("total"), default=Decimal("0"), **MONEY)
    salesperson = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("salesperson"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("customer's answer"), max_length=300, blank=True)

    class Meta:
        ordering = ["-quoted_on", "-id"]
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        permissions = [("view_cost", "Can see factory cost and margin")]
        indexes = [models.Index(fields=["customer", "-quoted_on"], name="quotation_customer_date"),
                   models.Index(fields=["status", "valid_until"], name="quotation_status_valid")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("sales:quotation_detail", args=[self.pk])


class QuotationLine(models.Model):
    quotation = models.ForeignKey(Quotation, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveSmallIntegerField(_("line"))
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("product"))
    variant = models.ForeignKey("catalog.ProductVariant", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("variant"))
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), validators=_NON_NEGATIVE, **QTY)
    unit = models.CharField(_("unit"), max_length=8, default="pcs")
    unit_price = models.DecimalField(_("unit price"), validators=_NON_NEGATIVE, **PRICE)
    amount = models.DecimalField(_("amount"), **MONEY)
    # From the factory's quote (询价单); only roles that may see cost are shown it.
    factory_cost = models.DecimalField(_("factory cost per unit"), null=True, blank=True,
                                       validators=_NON_NEGATIVE, **PRICE)
    cost_supplier = models.ForeignKey("parties.Supplier", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("quoted by factory"))

    class Meta:
        ordering = ["quotation", "line_no"]
        constraints = [models.UniqueConstraint(fields=["quotation", "line_no"], name="uniq_quotation_line")]

    def __str__(self) -> str:
        return f"{self.quotation_id}/{self.line_no}"

    @property
    def margin_percent(self) -> Decimal | None:
        """(price − cost) / price × 100, to one decimal; None without a cost or a price."""
        if self.factory_cost is None or not self.unit_price:
            return None
        return ((self.unit_price - self.factory_cost) / self.unit_price * 100).quantize(Decimal("0.1"))


# --- sales orders --------------------------------------------------------------------


class SalesOrder(TradeTermsMixin, VersionedModel):
    """A customer's order, carried by its merchandiser from PO to last payment.

    ``status`` follows the transition table in ``sales/workflows.py``. The payment,
    production and shipment sub-states are derived from receipts, production orders and
    shipments by ``sales.services.order_refresh_substates`` — never typed in.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")  # entered, not yet confirmed with the customer
        CONFIRMED = "confirmed", _("confirmed")  # written + verbal confirmation; total fixed, numbered
        IN_PRODUCTION = "in_production", _("in production")  # production released
        READY = "ready", _("ready to ship")  # goods finished, waiting for shipment release / loading
        SHIPPED = "shipped", _("shipped")  # every line fully shipped
        COMPLETED = "completed", _("completed")  # shipped and paid in full
        CLOSED = "closed", _("closed")  # archived; nothing more to do
        ON_HOLD = "on_hold", _("on hold")  # paused with a reason; resumes to where it was
        CANCELLED = "cancelled", _("cancelled")  # with a reason, and a decision on any money received

    class PaymentStatus(models.TextChoices):
        NONE_DUE = "none_due", _("nothing due yet")
        DEPOSIT_DUE = "deposit_due", _("deposit due")
        DEPOSIT_PARTIAL = "deposit_partial", _("deposit partly received")
        DEPOSIT_RECEIVED = "deposit_received", _("deposit received")
        BALANCE_PARTIAL = "balance_partial", _("balance partly received")
        PAID = "paid", _("paid in full")
        OVERPAID = "overpaid", _("overpaid")

    class ProductionStatus(models.TextChoices):
        NOT_RELEASED = "not_released", _("not released")
        RELEASED = "released", _("released")
        IN_PROGRESS = "in_progress", _("in production")
        FINISHED = "finished", _("finished")

    class ShipmentStatus(models.TextChoices):
        NOT_SHIPPED = "not_shipped", _("not shipped")
        PARTIAL = "partial", _("partly shipped")
        SHIPPED = "shipped", _("fully shipped")

    class DepositDisposition(models.TextChoices):
        NONE = "", _("no money received")
        REFUND = "refund", _("refund to the customer")
        CREDIT = "credit", _("keep as credit for a later order")
        FORFEIT = "forfeit", _("retain (forfeited under the contract)")

    number = models.CharField(_("order no."), max_length=30, unique=True, null=True, blank=True)
    customer = models.ForeignKey("parties.Customer", on_delete=models.PROTECT, related_name="orders",
                                 verbose_name=_("customer"))
    customer_po_no = models.CharField(_("customer PO no."), max_length=60)
    customer_po_date = models.DateField(_("customer PO date"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    held_from = models.CharField(_("status before hold"), max_length=16, choices=Status.choices, blank=True)
    port_of_loading = models.CharField(_("port of loading"), max_length=80, blank=True)
    port_of_destination = models.CharField(_("port of destination"), max_length=80, blank=True)
    requested_delivery_date = models.DateField(_("requested delivery date"), null=True, blank=True)
    ex_factory_date = models.DateField(_("ex-factory date"))
    packing_requirements = models.TextField(_("packing requirements"), blank=True)
    shipping_marks = models.TextField(_("shipping marks"), blank=True)
    special_requirements = models.TextField(_("special requirements"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    merchandiser = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="merchandised_orders", verbose_name=_("merchandiser"))
    salesperson = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="sales_orders", verbose_name=_("salesperson"))
    quotation = models.OneToOneField(Quotation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="sales_order", verbose_name=_("quotation"))
    total_amount = models.DecimalField(_("total"), default=Decimal("0"), **MONEY)
    deposit_amount = models.DecimalField(_("deposit"), default=Decimal("0"), **MONEY)
    balance_amount = models.DecimalField(_("balance"), default=Decimal("0"), **MONEY)
    received_amount = models.DecimalField(_("received"), default=Decimal("0"), **MONEY)
    revision_no = models.PositiveSmallIntegerField(_("revision"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("confirmed by"))
    payment_status = models.CharField(_("payment"), max_length=16, choices=PaymentStatus.choices,
                                      default=PaymentStatus.NONE_DUE)
    production_status = models.CharField(_("production"), max_length=16, choices=ProductionStatus.choices,
                                         default=ProductionStatus.NOT_RELEASED)
    shipment_status = models.CharField(_("shipment"), max_length=16, choices=ShipmentStatus.choices,
                                       default=ShipmentStatus.NOT_SHIPPED)
    production_gate_override = models.BooleanField(_("deposit gate overridden"), default=False)
    shipment_gate_override = models.BooleanField(_("balance gate overridden"), default=False)
    # Quality gates the customer asks for (issue 5): first article before mass production,
    # final inspection passed before shipment. Overrides are a manager's, with a reason.
    requires_first_article = models.BooleanField(_("first article approval required"), default=False)
    requires_final_inspection = models.BooleanField(_("final inspection required before shipment"), default=False)
    inspection_gate_override = models.BooleanField(_("inspection gate overridden"), default=False)
    original_bl_released_at = models.DateTimeField(_("original B/L released"), null=True, blank=True)
    # "More or less" clause: each line may ship this much above or below its quantity (0–10 %).
    quantity_tolerance_percent = models.DecimalField(
        _("quantity tolerance (±%)"), max_digits=4, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(10)])
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    deposit_disposition = models.CharField(_("money received"), max_length=10, blank=True,
                                           choices=DepositDisposition.choices)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-customer_po_date", "-id"]
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        permissions = [
            ("confirm_salesorder", "Can confirm orders and record customer confirmations"),
            ("release_production", "Can release orders to production"),
            ("ship_salesorder", "Can release and record shipments"),
            ("override_gate", "Can override the deposit, balance and inspection gates with a reason"),
            ("close_salesorder", "Can close, hold and cancel orders"),
            ("request_payment", "Can send deposit and balance requests"),
        ]
        indexes = [
            models.Index(fields=["customer", "-customer_po_date"], name="order_customer_date"),
            models.Index(fields=["merchandiser", "status"], name="order_merch_status"),
            models.Index(fields=["status", "ex_factory_date"], name="order_status_exf"),
            models.Index(fields=["payment_status", "status"], name="order_payment_status"),
            models.Index(fields=["customer_po_no"], name="order_po_no"),
            models.Index(fields=["-customer_po_date", "-id"], name="order_po_date_desc"),  # the list's default
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_amount__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(condition=models.Q(deposit_amount__lte=models.F("total_amount")),
                                   name="order_deposit_within_total"),
            models.CheckConstraint(condition=models.Q(quantity_tolerance_percent__gte=0,
                                                      quantity_tolerance_percent__lte=10),
                                   name="order_tolerance_range"),
        ]

    def __str__(self) -> str:
        return self.number or f"{_('draft')} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("sales:order_detail", args=[self.pk])

    @property
    def outstanding_amount(self) -> Decimal:
        return max(self.total_amount - self.received_amount, Decimal("0"))


class SalesOrderLine(models.Model):
    """One product on an order. With variants, its quantity is the sum of its colour × size cells."""

    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveSmallIntegerField(_("line"))
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("product"))
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), validators=_NON_NEGATIVE, **QTY)
    unit = models.CharField(_("unit"), max_length=8, default="pcs")
    unit_price = models.DecimalField(_("unit price"), validators=_NON_NEGATIVE, **PRICE)
    amount = models.DecimalField(_("amount"), **MONEY)
    shipped_quantity = models.DecimalField(_("shipped"), default=Decimal("0"), **QTY)

    class Meta:
        ordering = ["order", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="uniq_order_line"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="order_line_qty_not_negative"),
            # The order's tolerance (at most 10 %) is checked by shipping; this is the hard ceiling.
            models.CheckConstraint(condition=models.Q(shipped_quantity__lte=models.F("quantity") * Decimal("1.1")),
                                   name="order_line_not_overshipped"),
        ]

    def __str__(self) -> str:
        return f"{self.order} / {self.line_no}"

    @property
    def open_quantity(self) -> Decimal:
        """What is still to ship of the quantity ordered (never below zero: a shipment within the
        order's tolerance may take more)."""
        return max(self.quantity - self.shipped_quantity, Decimal("0"))


class SalesOrderCell(models.Model):
    """Quantity of one colour × size cell of an order line (the matrix the customer orders in)."""

    line = models.ForeignKey(SalesOrderLine, on_delete=models.CASCADE, related_name="cells")
    variant = models.ForeignKey("catalog.ProductVariant", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    colour = models.CharField(_("colour"), max_length=60)
    size = models.CharField(_("size"), max_length=30)
    quantity = models.DecimalField(_("quantity"), validators=_NON_NEGATIVE, **QTY)

    class Meta:
        ordering = ["line", "id"]
        constraints = [models.UniqueConstraint(fields=["line", "colour", "size"], name="uniq_order_cell")]

    def __str__(self) -> str:
        return f"{self.colour}/{self.size} × {self.quantity}"


class Confirmation(models.Model):
    """The customer's confirmation of an order revision: written (PO / fax / email file) or verbal
    (the phone call the merchandiser made to check the written order, seed 000 §7)."""

    class Kind(models.TextChoices):
        WRITTEN = "written", _("written")
        VERBAL = "verbal", _("verbal (phone)")

    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="confirmations")
    revision_no = models.PositiveSmallIntegerField(_("revision"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    attachment = models.ForeignKey("documents.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("document"))
    contact_name = models.CharField(_("person confirming"), max_length=80, blank=True)
    phone_number = models.CharField(_("number called"), max_length=60, blank=True)
    confirmed_at = models.DateTimeField(_("when"))
    summary = models.TextField(_("what was confirmed"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["order", "revision_no", "confirmed_at"]
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="verbal") | models.Q(attachment__isnull=False),
                name="written_confirmation_has_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} r{self.revision_no} {self.kind}"

    def attachment_use(self) -> str:
        """How the file of a written confirmation is named when someone tries to remove it."""
        return _("the customer's written confirmation of order %(order)s (revision %(revision)d)") % {
            "order": self.order, "revision": self.revision_no}


class OrderRevision(TimeStampedModel):
    """A change to a confirmed order (change order). It holds the proposed order as a snapshot
    and a readable diff; it takes effect only after the customer confirms it in writing and
    by phone, and then re-issues the PI and flags the production orders it touches."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for customer confirmation")
        EFFECTIVE = "effective", _("in effect")
        WITHDRAWN = "withdrawn", _("withdrawn")

    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="revisions")
    revision_no = models.PositiveSmallIntegerField(_("revision"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason for the change"), max_length=300)
    snapshot = models.JSONField(_("proposed order"))
    diff = models.JSONField(_("changes"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    effective_at = models.DateTimeField(_("in effect since"), null=True, blank=True)
    # Four eyes on money terms (sales.money_terms): a change order that loosens them takes effect
    # only once a manager or finance other than the proposer approved it, with a reason.
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("money terms approved by"))
    approved_at = models.DateTimeField(_("money terms approved at"), null=True, blank=True)
    approval_reason = models.CharField(_("reason for the approval"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "revision_no"]
        verbose_name = _("order revision")
        verbose_name_plural = _("order revisions")
        permissions = [("approve_money_terms", "Can approve a change order that loosens the money terms")]
        constraints = [
            models.UniqueConstraint(fields=["order", "revision_no"], name="uniq_order_revision"),
            models.UniqueConstraint(fields=["order"], condition=models.Q(status="pending"),
                                    name="one_pending_revision_per_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order} rev. {self.revision_no}"


class OrderDocument(models.Model):
    """A numbered, versioned PDF issued for an order: proforma invoice (English) or 购销合同
    (Chinese, for domestic customers). Every revision re-issues it; old versions stay archived."""

    class Kind(models.TextChoices):
        PROFORMA_INVOICE = "pi", _("proforma invoice")
        SALES_CONTRACT = "contract", _("sales contract (购销合同)")

    order = models.ForeignKey(SalesOrder, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("document no."), max_length=30)
    version = models.PositiveSmallIntegerField(_("version"))
    revision_no = models.PositiveSmallIntegerField(_("order revision"))
    total_amount = models.DecimalField(_("total"), **MONEY)
    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", max_length=255)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        ordering = ["order", "kind", "-version"]
        verbose_name = _("order document")
        verbose_name_plural = _("order documents")
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="uniq_document_version"),
            models.UniqueConstraint(fields=["order", "kind"], condition=models.Q(is_current=True),
                                    name="one_current_document_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"

    @property
    def display_number(self) -> str:
        return self.number if self.version == 1 else f"{self.number}-R{self.version - 1}"
