"""Letters of credit and the export documents of a shipment.

- ``LetterOfCredit`` (信用证): the credit as advised, linked to the orders it pays; examined on
  arrival against the orders (审证) and amended (``CreditAmendment``, 改证) until workable.
- ``ShipmentDocument``: one version of a document of a shipment's set (commercial invoice,
  packing list, …) generated from the shipment — its data (the fields the document check reads)
  and its PDF / Excel files — numbered and versioned, never typed twice.
- ``CertificateItem``: a certificate others issue (C/O, inspection, fumigation, test report),
  tracked as an item of the set: needed by, applied, received (with the file), checked.
- ``DiscrepancyAcceptance``: a manager's acceptance of one discrepancy of a set, with a reason.
- ``DocumentDispatch`` (寄单 / 交单): the set sent by courier to the customer, or presented to the
  bank under the credit or for collection (D/P, D/A), with its result (paid, accepted, refused).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.models import TimeStampedModel, VersionedModel

MONEY = {"max_digits": 16, "decimal_places": 2}
QTY = {"max_digits": 14, "decimal_places": 3}
PERCENT = {"max_digits": 5, "decimal_places": 2}


class DocumentKind(models.TextChoices):
    """The documents of an export set, as the credit (46A) requires them and as Gendan makes or
    tracks them. The values are the kinds of ``gendan.shipping.document_check``."""

    COMMERCIAL_INVOICE = "commercial_invoice", _("commercial invoice")
    PACKING_LIST = "packing_list", _("packing list")
    BILL_OF_LADING = "bill_of_lading", _("bill of lading")
    INSURANCE = "insurance", _("insurance policy / certificate")
    CERTIFICATE_OF_ORIGIN = "certificate_of_origin", _("certificate of origin")
    DRAFT = "draft", _("draft (bill of exchange)")
    BENEFICIARY_CERTIFICATE = "beneficiary_certificate", _("beneficiary's certificate")
    INSPECTION_CERTIFICATE = "inspection_certificate", _("inspection certificate")
    SHIPPING_ADVICE = "shipping_advice", _("shipping advice")
    SHIPPING_MARKS = "shipping_marks", _("shipping marks")
    INSURANCE_DECLARATION = "insurance_declaration", _("insurance declaration")
    ORIGIN_DATA = "origin_data", _("certificate of origin data")
    CUSTOMS_DATA = "customs_data", _("customs declaration data")
    COLLECTION_INSTRUCTION = "collection_instruction", _("collection instruction")
    FUMIGATION_CERTIFICATE = "fumigation_certificate", _("fumigation certificate")
    TEST_REPORT = "test_report", _("test report")
    OTHER = "other", _("other document")


class LetterOfCredit(VersionedModel):
    """A documentary credit as advised by the bank (MT700 fields), in force with its accepted
    amendments (``amendment_no``). Received → examined: workable (accepted) or an amendment is
    needed; closed when fully drawn or expired; cancelled if never used."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received, to examine")
        AMENDMENT_NEEDED = "amendment_needed", _("amendment needed")
        ACCEPTED = "accepted", _("examined, workable")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    class Shipments(models.TextChoices):
        ALLOWED = "allowed", _("allowed")
        PROHIBITED = "prohibited", _("prohibited")

    class Tenor(models.TextChoices):
        SIGHT = "sight", _("at sight")
        USANCE = "usance", _("usance")

    class UsanceFrom(models.TextChoices):
        BL_DATE = "bl_date", _("after B/L date")
        SIGHT = "sight", _("after sight")
        INVOICE_DATE = "invoice_date", _("after invoice date")

    number = models.CharField(_("L/C no."), max_length=40)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    customer = models.ForeignKey("parties.Customer", on_delete=models.PROTECT, related_name="credits",
                                 verbose_name=_("customer"))
    orders = models.ManyToManyField("sales.SalesOrder", related_name="credits", blank=True,
                                    verbose_name=_("orders"))
    issuing_bank = models.CharField(_("issuing bank"), max_length=160)
    advising_bank = models.CharField(_("advising bank"), max_length=160, blank=True)
    confirming_bank = models.CharField(_("confirming bank"), max_length=160, blank=True)
    applicant = models.TextField(_("applicant"))
    beneficiary = models.TextField(_("beneficiary"))
    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    # Art. 30a: "about" gives ±10 %; an explicit tolerance (39A, e.g. 5/5) overrides it.
    about = models.BooleanField(_("\"about\" (±10 %)"), default=False)
    amount_tolerance_pct = models.DecimalField(
        _("amount tolerance ±%"), null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)], **PERCENT)
    quantity = models.DecimalField(_("quantity"), null=True, blank=True, **QTY)
    quantity_unit = models.CharField(_("quantity unit"), max_length=12, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=16, decimal_places=4, null=True, blank=True)
    goods_description = models.TextField(_("description of goods (45A)"))
    incoterm = models.CharField(_("Incoterm"), max_length=3, blank=True)
    incoterm_place = models.CharField(_("Incoterm named place"), max_length=80, blank=True)
    port_of_loading = models.CharField(_("port of loading (44E)"), max_length=80, blank=True)
    port_of_discharge = models.CharField(_("port of discharge (44F)"), max_length=80, blank=True)
    latest_shipment_date = models.DateField(_("latest shipment date (44C)"))
    expiry_date = models.DateField(_("expiry date (31D)"))
    expiry_place = models.CharField(_("place of expiry"), max_length=80, blank=True)
    presentation_days = models.PositiveSmallIntegerField(
        _("presentation period (days)"), default=21, validators=[MinValueValidator(1), MaxValueValidator(365)])
    partial_shipments = models.CharField(_("partial shipments (43P)"), max_length=10, choices=Shipments.choices,
                                         default=Shipments.ALLOWED)
    transhipment = models.CharField(_("transhipment (43T)"), max_length=10, choices=Shipments.choices,
                                    default=Shipments.ALLOWED)
    # 46A: [{"kind": "commercial_invoice", "originals": 3, "copies": 3, "note": "signed …"}]
    documents_required = models.JSONField(_("documents required (46A)"), default=list, blank=True)
    additional_conditions = models.TextField(_("additional conditions (47A)"), blank=True)
    charges = models.TextField(_("charges (71B)"), blank=True)
    tenor = models.CharField(_("tenor"), max_length=8, choices=Tenor.choices, default=Tenor.SIGHT)
    usance_days = models.PositiveSmallIntegerField(_("usance days"), default=0,
                                                   validators=[MaxValueValidator(720)])
    usance_from = models.CharField(_("usance counted from"), max_length=14, choices=UsanceFrom.choices,
                                   blank=True)
    insurance_pct = models.DecimalField(_("insurance cover %"), default=Decimal("110"),
                                        validators=[MinValueValidator(100), MaxValueValidator(200)], **PERCENT)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    received_on = models.DateField(_("received on"))
    amendment_no = models.PositiveSmallIntegerField(_("amendments accepted"), default=0)
    # The last examination (审证): [{"code", "field", "message", "amendment": bool}] and when / by whom.
    findings = models.JSONField(_("examination findings"), default=list, blank=True)
    examined_at = models.DateTimeField(_("examined at"), null=True, blank=True)
    examined_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("examined by"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("letter of credit")
        verbose_name_plural = _("letters of credit")
        permissions = [("examine_letterofcredit", "Can examine a letter of credit and decide on amendments")]
        constraints = [
            models.UniqueConstraint(fields=["issuing_bank", "number"], name="uniq_credit_bank_number"),
            models.CheckConstraint(condition=models.Q(expiry_date__gte=models.F("latest_shipment_date")),
                                   name="credit_expiry_after_shipment"),
        ]
        indexes = [models.Index(fields=["status", "expiry_date"], name="credit_status_expiry"),
                   models.Index(fields=["customer", "-received_on"], name="credit_customer")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("exportdocs:credit_detail", args=[self.pk])

    @property
    def tolerance_pct(self) -> Decimal:
        """The amount tolerance in force: the explicit one, else 10 for "about", else 0."""
        if self.amount_tolerance_pct is not None:
            return self.amount_tolerance_pct
        return Decimal("10") if self.about else Decimal("0")


class CreditAmendment(TimeStampedModel):
    """An amendment of a credit (改证): requested from the customer after the examination, then
    advised by the bank with its changes and accepted (the credit takes the changes, a new
    version) or refused by us (Art. 10: the credit stays as it was)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested from the customer")
        RECEIVED = "received", _("advised by the bank, to decide")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")

    credit = models.ForeignKey(LetterOfCredit, on_delete=models.CASCADE, related_name="amendments",
                               verbose_name=_("letter of credit"))
    sequence = models.PositiveSmallIntegerField(_("amendment no."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    # What we asked for (from the findings) and what the bank advised: {"field": {"from": …, "to": …}}
    request_text = models.TextField(_("what we asked for"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    received_on = models.DateField(_("advised on"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))

    class Meta:
        ordering = ["credit", "sequence"]
        verbose_name = _("L/C amendment")
        verbose_name_plural = _("L/C amendments")
        constraints = [models.UniqueConstraint(fields=["credit", "sequence"], name="uniq_credit_amendment")]

    def __str__(self) -> str:
        return f"{self.credit} / {self.sequence}"


class ProductExportData(models.Model):
    """What the export documents need of a product beyond the catalog: the customs declaration
    elements (申报要素), the origin criterion for preferential certificates, the rebate rate."""

    product = models.OneToOneField("catalog.Product", on_delete=models.CASCADE, related_name="export_data",
                                   verbose_name=_("product"))
    customs_name_zh = models.CharField(_("customs name (Chinese)"), max_length=120, blank=True)
    declaration_elements = models.TextField(_("declaration elements (申报要素)"), blank=True)
    origin_criterion = models.CharField(_("origin criterion"), max_length=12, blank=True)
    rebate_rate_pct = models.DecimalField(_("export rebate rate %"), null=True, blank=True,
                                          validators=[MinValueValidator(0), MaxValueValidator(100)], **PERCENT)

    class Meta:
        verbose_name = _("product export data")
        verbose_name_plural = _("product export data")

    def __str__(self) -> str:
        return str(self.product)


class ShipmentDocument(TimeStampedModel):
    """One version of a generated document of a shipment's set. ``data`` holds the fields as
    printed — for the kinds the document check reads, exactly its input shape (e.g. a commercial
    invoice's issuer, made_out_to, currency, lines, total, packages, weights, marks) — so the
    check, the PDF and the Excel file can never disagree. A new version makes the previous one
    not current."""

    shipment = models.ForeignKey("shipping.Shipment", on_delete=models.PROTECT, related_name="export_documents",
                                 verbose_name=_("shipment"))
    kind = models.CharField(_("document"), max_length=24, choices=DocumentKind.choices)
    number = models.CharField(_("document no."), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    language = models.CharField(_("language"), max_length=8, default="en")
    document_date = models.DateField(_("date"))
    data = models.JSONField(_("content"), default=dict)
    pdf = models.ForeignKey("documents.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+", verbose_name=_("PDF"))
    xlsx = models.ForeignKey("documents.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("Excel"))
    is_current = models.BooleanField(_("current"), default=True)
    change_note = models.TextField(_("what changed"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))

    class Meta:
        ordering = ["shipment", "kind", "-version"]
        verbose_name = _("shipment document")
        verbose_name_plural = _("shipment documents")
        constraints = [
            models.UniqueConstraint(fields=["shipment", "kind", "version"], name="uniq_shipdoc_version"),
            models.UniqueConstraint(fields=["shipment", "kind"], condition=models.Q(is_current=True),
                                    name="uniq_shipdoc_current"),
        ]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"


class CertificateItem(VersionedModel):
    """A certificate a third party issues for a shipment (C/O by CCPIT or customs, inspection,
    fumigation, test report): needed by, applied, received (with its file and the data the check
    compares, e.g. a C/O's goods description, packages, marks, signed), checked."""

    class Status(models.TextChoices):
        NEEDED = "needed", _("to apply for")
        APPLIED = "applied", _("applied for")
        RECEIVED = "received", _("received")
        CHECKED = "checked", _("checked")

    class Form(models.TextChoices):
        GENERAL = "general", _("general C/O (non-preferential)")
        FORM_E = "form_e", _("FORM E (China–ASEAN)")
        RCEP = "rcep", _("RCEP")
        FORM_B = "form_b", _("FORM B (APTA)")
        GSP_A = "gsp_a", _("GSP FORM A")
        OTHER_FTA = "other_fta", _("other FTA certificate")

    shipment = models.ForeignKey("shipping.Shipment", on_delete=models.PROTECT, related_name="certificates",
                                 verbose_name=_("shipment"))
    kind = models.CharField(_("certificate"), max_length=24, choices=DocumentKind.choices)
    origin_form = models.CharField(_("form"), max_length=10, choices=Form.choices, blank=True)
    issuer = models.CharField(_("issued by"), max_length=160, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEEDED)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    certificate_no = models.CharField(_("certificate no."), max_length=60, blank=True)
    attachment = models.ForeignKey("documents.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("file"))
    # As read on the certificate received: {"goods_description", "packages", "marks", "signed", …}
    data = models.JSONField(_("content"), default=dict, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("checked by"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["shipment", "needed_by", "id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [models.Index(fields=["status", "needed_by"], name="certificate_status_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} / {self.shipment}"


class DiscrepancyAcceptance(TimeStampedModel):
    """A manager accepts one discrepancy of a shipment's set (by its code, document and field)
    with a reason, so dispatch may go ahead; a new document version does not undo it only while
    the same discrepancy remains."""

    shipment = models.ForeignKey("shipping.Shipment", on_delete=models.CASCADE, related_name="accepted_discrepancies",
                                 verbose_name=_("shipment"))
    code = models.CharField(_("discrepancy"), max_length=40)
    document = models.CharField(_("document"), max_length=24)
    field = models.CharField(_("field"), max_length=60)
    message = models.TextField(_("as found"), blank=True)
    reason = models.TextField(_("reason"))
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("accepted by"))

    class Meta:
        ordering = ["shipment", "id"]
        verbose_name = _("accepted discrepancy")
        verbose_name_plural = _("accepted discrepancies")
        constraints = [models.UniqueConstraint(fields=["shipment", "code", "document", "field"],
                                               name="uniq_discrepancy_acceptance")]

    def __str__(self) -> str:
        return f"{self.shipment}: {self.code}"


class DocumentDispatch(VersionedModel):
    """The documents of a shipment sent (寄单 / 交单): by courier to the customer (originals, after
    the balance where the terms require it), presented to the bank under the credit (a drawing:
    ``amount`` counts against the credit), or sent to the bank for collection (D/P, D/A) with the
    collection instruction. The bank's result is recorded: paid, accepted (usance / D/A) or
    refused with the bank's discrepancies (they go to the chase board)."""

    class Channel(models.TextChoices):
        COURIER = "courier", _("by courier to the customer")
        BANK_CREDIT = "bank_credit", _("to the bank under the L/C")
        BANK_COLLECTION = "bank_collection", _("to the bank for collection (D/P, D/A)")

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        PAID = "paid", _("paid")
        ACCEPTED = "accepted", _("accepted, payment at maturity")
        REFUSED = "refused", _("refused with discrepancies")
        WITHDRAWN = "withdrawn", _("withdrawn")

    number = models.CharField(_("dispatch no."), max_length=30, unique=True)
    shipment = models.ForeignKey("shipping.Shipment", on_delete=models.PROTECT, related_name="dispatches",
                                 verbose_name=_("shipment"))
    credit = models.ForeignKey(LetterOfCredit, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="presentations", verbose_name=_("letter of credit"))
    channel = models.CharField(_("sent"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    # [{"kind": "commercial_invoice", "number": "CI…", "originals": 3, "copies": 3}]
    documents = models.JSONField(_("documents and counts"), default=list)
    currency = models.ForeignKey("core.Currency", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    amount = models.DecimalField(_("amount"), default=Decimal("0"), **MONEY)
    sent_on = models.DateField(_("sent on"))
    courier = models.CharField(_("courier company"), max_length=80, blank=True)
    awb_no = models.CharField(_("AWB no."), max_length=60, blank=True)
    tracking_url = models.URLField(_("tracking"), max_length=300, blank=True)
    bank = models.CharField(_("bank"), max_length=160, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=60, blank=True)
    collection_terms = models.CharField(_("collection terms"), max_length=4, blank=True)  # "D/P" / "D/A"
    instruction = models.ForeignKey("documents.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("collection instruction"))
    result_on = models.DateField(_("result on"), null=True, blank=True)
    maturity_date = models.DateField(_("maturity date"), null=True, blank=True)
    paid_amount = models.DecimalField(_("amount paid"), null=True, blank=True, **MONEY)
    bank_discrepancies = models.TextField(_("bank's discrepancies"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("sent by"))

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("document dispatch")
        verbose_name_plural = _("document dispatches")
        indexes = [models.Index(fields=["status", "sent_on"], name="dispatch_status_sent"),
                   models.Index(fields=["credit", "status"], name="dispatch_credit")]

    def __str__(self) -> str:
        return self.number
