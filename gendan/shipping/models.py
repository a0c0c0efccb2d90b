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


class Shipment(VersionedModel):
    """One shipment of (part of) a sales order: planned (the shipping plan: lines and colour ×
    size quantities, transport mode, ports, planned ex-factory date), loading (the warehouse
    has started to fill its containers), shipped (the goods left the factory: ``shipped_on`` is
    the ex-factory date and the order lines' shipped quantities grew) or cancelled (a plan
    given up before the goods left). On-board date, B/L and shipping advice follow it. The
    steps are in ``shipping/workflows.py`` (docs/workflows/shipping.md)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        LOADING = "loading", _("loading")
        SHIPPED = "shipped", _("shipped (ex-factory)")
        CANCELLED = "cancelled", _("cancelled")

    class Mode(models.TextChoices):
        SEA_FCL = "sea_fcl", _("sea, full container (FCL)")
        SEA_LCL = "sea_lcl", _("sea, less than container (LCL)")
        AIR = "air", _("air")
        RAIL = "rail", _("rail")
        TRUCK = "truck", _("truck")
        COURIER = "courier", _("courier")

    number = models.CharField(_("shipment no."), max_length=30, unique=True)
    order = models.ForeignKey("sales.SalesOrder", on_delete=models.PROTECT, related_name="shipments",
                              verbose_name=_("sales order"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    transport_mode = models.CharField(_("transport mode"), max_length=10, choices=Mode.choices,
                                      default=Mode.SEA_FCL)
    port_of_loading = models.CharField(_("port of loading"), max_length=80, blank=True)
    port_of_destination = models.CharField(_("port of destination"), max_length=80, blank=True)
    planned_ex_factory = models.DateField(_("planned ex-factory date"), null=True, blank=True)
    # The ex-factory date: set when the goods leave (status shipped).
    shipped_on = models.DateField(_("ex-factory date"), null=True, blank=True)
    bl_no = models.CharField(_("B/L no."), max_length=60, blank=True)
    vessel_voyage = models.CharField(_("vessel / voyage"), max_length=120, blank=True)
    etd = models.DateField(_("ETD"), null=True, blank=True)
    eta = models.DateField(_("ETA"), null=True, blank=True)
    on_board_on = models.DateField(_("on-board date"), null=True, blank=True)
    # Shipping advice (装船通知) to the customer: when it is due (e.g. 48 h after the B/L date,
    # by the credit or the customer) and when it went.
    advice_due_at = models.DateTimeField(_("shipping advice due"), null=True, blank=True)
    advice_sent_at = models.DateTimeField(_("shipping advice sent"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    # Who let the goods leave the warehouse (``warehouse.shipment_depart``): set only for a
    # planned shipment that left from the warehouse's stock, so the stock of an order line
    # counts these lines as issued (a shipment recorded in one step by ``order_ship`` is not).
    departed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("let leave by"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        permissions = [("depart_shipment", "Can let a loaded shipment leave the factory (ex-factory)"),
                       ("release_billoflading", "Can release the B/L to the customer")]
        indexes = [models.Index(fields=["order", "-shipped_on"], name="shipment_order_date"),
                   models.Index(fields=["status", "planned_ex_factory"], name="shipment_status_exf"),
                   models.Index(fields=["status", "etd"], name="shipment_status_etd"),
                   # An order's shipments in a status (the board's documents to send): without
                   # it SQLite, which has no statistics, walks every shipped shipment by status.
                   models.Index(fields=["order", "status"], name="shipment_order_status"),
                   # The shipments list sorted by ETD, and its ETD-week filter without a status.
                   models.Index(fields=["etd"], name="shipment_etd")]
        constraints = [
            models.CheckConstraint(condition=models.Q(eta__isnull=True) | models.Q(etd__isnull=True)
                                   | models.Q(eta__gte=models.F("etd")), name="shipment_eta_after_etd"),
            models.CheckConstraint(condition=~models.Q(status="shipped") | models.Q(shipped_on__isnull=False),
                                   name="shipment_shipped_has_date"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("shipping:shipment_detail", args=[self.pk])


class ShipmentLine(models.Model):
    """An order line's quantity on a shipment: planned while the shipment is planned or
    loading, shipped once it left."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("sales.SalesOrderLine", on_delete=models.PROTECT, related_name="shipment_lines",
                                   verbose_name=_("order line"))
    quantity = models.DecimalField(_("quantity"), validators=[MinValueValidator(0)], **QTY)
    cartons = models.PositiveIntegerField(_("cartons"), null=True, blank=True)

    class Meta:
        ordering = ["shipment", "order_line__line_no"]
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")  # the timeline's label of a plan's changed lines
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="shipline_qty_positive"),
                       models.UniqueConstraint(fields=["shipment", "order_line"], name="uniq_shipment_order_line")]

    def __str__(self) -> str:
        return f"{self.shipment} / {self.order_line.line_no}: {self.quantity}"


class ShipmentCell(models.Model):
    """The colour × size quantity of a shipment line (of an order line ordered in a matrix)."""

    line = models.ForeignKey(ShipmentLine, on_delete=models.CASCADE, related_name="cells")
    order_cell = models.ForeignKey("sales.SalesOrderCell", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), **QTY)

    class Meta:
        ordering = ["line", "order_cell_id"]
        constraints = [models.UniqueConstraint(fields=["line", "order_cell"], name="uniq_shipment_cell"),
                       models.CheckConstraint(condition=models.Q(quantity__gte=0), name="shipcell_qty_not_negative")]

    def __str__(self) -> str:
        return f"{self.line} / {self.order_cell_id}: {self.quantity}"


class ShippingNotice(TimeStampedModel):
    """A version of the shipping notice (出货通知) of a shipment to the factory / workshop and the
    warehouse: the numbered PDF as it was sent. A change re-issues it as the next version."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="notices",
                                 verbose_name=_("shipment"))
    number = models.CharField(_("notice no."), max_length=30)
    revision = models.PositiveSmallIntegerField(_("version"), default=1)
    attachment = models.ForeignKey("documents.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("PDF"))
    factory = models.ForeignKey("parties.Supplier", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("factory"))
    recipients = models.TextField(_("sent to"), blank=True)
    change_note = models.TextField(_("what changed"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))
    email_sent_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_error = models.CharField(_("email error"), max_length=300, blank=True)

    class Meta:
        ordering = ["shipment", "-revision"]
        verbose_name = _("shipping notice")
        verbose_name_plural = _("shipping notices")
        constraints = [models.UniqueConstraint(fields=["shipment", "revision"], name="uniq_notice_revision")]

    def __str__(self) -> str:
        return f"{self.number} v{self.revision}"


class FinishedGoodsReceipt(TimeStampedModel):
    """Finished goods received into the warehouse (成品入库) for an order line: from the own
    workshop's production order or the outsourced factory's delivery, with the inspection
    result. A receipt entered by mistake is voided (with the reason), never deleted."""

    class Source(models.TextChoices):
        WORKSHOP = "workshop", _("own workshop")
        FACTORY = "factory", _("outsourced factory")

    class Inspection(models.TextChoices):
        PASSED = "passed", _("inspection passed")
        CONCESSION = "concession", _("accepted on concession")
        NOT_INSPECTED = "not_inspected", _("not inspected")

    number = models.CharField(_("receipt no."), max_length=30, unique=True)
    order = models.ForeignKey("sales.SalesOrder", on_delete=models.PROTECT, related_name="goods_receipts",
                              verbose_name=_("sales order"))
    order_line = models.ForeignKey("sales.SalesOrderLine", on_delete=models.PROTECT, related_name="goods_receipts",
                                   verbose_name=_("order line"))
    received_on = models.DateField(_("received on"))
    quantity = models.DecimalField(_("quantity"), **QTY)
    cartons = models.PositiveIntegerField(_("cartons"), default=0)
    source = models.CharField(_("from"), max_length=10, choices=Source.choices, default=Source.WORKSHOP)
    source_ref = models.CharField(_("production order / delivery note"), max_length=60, blank=True)
    inspection = models.CharField(_("inspection"), max_length=14, choices=Inspection.choices,
                                  default=Inspection.NOT_INSPECTED)
    location = models.CharField(_("location"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("received by"))
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.TextField(_("reason for voiding"), blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("finished goods receipt")
        verbose_name_plural = _("finished goods receipts")
        indexes = [models.Index(fields=["order", "order_line"], name="fg_receipt_order_line"),
                   models.Index(fields=["-received_on"], name="fg_receipt_date")]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="fg_receipt_qty_positive")]

    def __str__(self) -> str:
        return self.number


class Container(VersionedModel):
    """A container of a shipment being loaded (装柜): its number (ISO 6346, check digit
    verified), type, seal, the cartons loaded per order line and the verified gross mass
    (VGM, SOLAS). Loaded when the seal is on and the VGM declared."""

    class Status(models.TextChoices):
        LOADING = "loading", _("loading")
        LOADED = "loaded", _("loaded and sealed")
        CANCELLED = "cancelled", _("cancelled")

    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="containers",
                                 verbose_name=_("shipment"))
    container_no = models.CharField(_("container no."), max_length=11)
    container_type = models.CharField(_("container type"), max_length=6)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.LOADING)
    seal_no = models.CharField(_("seal no."), max_length=30, blank=True)
    tare_kg = models.DecimalField(_("tare (kg)"), max_digits=9, decimal_places=1, null=True, blank=True)
    vgm_kg = models.DecimalField(_("VGM (kg)"), max_digits=9, decimal_places=1, null=True, blank=True)
    loaded_at = models.DateTimeField(_("sealed at"), null=True, blank=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("loaded by"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["shipment", "id"]
        verbose_name = _("container")
        verbose_name_plural = _("containers")
        constraints = [
            models.UniqueConstraint(fields=["seal_no"], condition=~models.Q(seal_no="") & ~models.Q(status="cancelled"),
                                    name="uniq_live_seal_no"),
            models.UniqueConstraint(fields=["shipment", "container_no"], condition=~models.Q(status="cancelled"),
                                    name="uniq_shipment_container"),
        ]

    def __str__(self) -> str:
        return self.container_no


class ContainerLine(models.Model):
    """Cartons and pieces of an order line loaded into a container."""

    container = models.ForeignKey(Container, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("sales.SalesOrderLine", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("order line"))
    cartons = models.PositiveIntegerField(_("cartons"), default=0)
    quantity = models.DecimalField(_("quantity"), **QTY)
    gross_kg = models.DecimalField(_("G.W. (kg)"), max_digits=10, decimal_places=2, default=0)
    cbm = models.DecimalField(_("CBM"), max_digits=9, decimal_places=3, default=0)

    class Meta:
        ordering = ["container", "order_line_id"]
        constraints = [models.UniqueConstraint(fields=["container", "order_line"], name="uniq_container_line"),
                       models.CheckConstraint(condition=models.Q(quantity__gt=0), name="container_line_qty_positive")]

    def __str__(self) -> str:
        return f"{self.container} / {self.order_line_id}: {self.cartons} ctns"


class BillOfLading(VersionedModel):
    """The transport document of a shipment: ocean B/L, sea waybill or air waybill. The
    forwarder's draft is checked against the shipment (differences listed), confirmed, issued
    (no., on-board date, originals) and released to the customer — originals or telex /
    surrender — only when the terms allow (the order's gates on ``release_bl``)."""

    class Kind(models.TextChoices):
        OCEAN = "ocean", _("ocean bill of lading")
        SEA_WAYBILL = "sea_waybill", _("sea waybill")
        AIR_WAYBILL = "air_waybill", _("air waybill")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft received")
        CONFIRMED = "confirmed", _("draft confirmed")
        ISSUED = "issued", _("issued")
        RELEASED = "released", _("released to the customer")

    class Release(models.TextChoices):
        ORIGINALS = "originals", _("originals sent")
        TELEX = "telex", _("telex release")
        SURRENDER = "surrender", _("surrendered B/L")
        WAYBILL = "waybill", _("waybill (no originals)")

    shipment = models.OneToOneField(Shipment, on_delete=models.PROTECT, related_name="bill",
                                    verbose_name=_("shipment"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OCEAN)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    draft_no = models.PositiveSmallIntegerField(_("draft"), default=1)
    bl_no = models.CharField(_("B/L no."), max_length=60, blank=True)
    shipper = models.TextField(_("shipper"), blank=True)
    consignee = models.TextField(_("consignee"), blank=True)
    notify_party = models.TextField(_("notify party"), blank=True)
    port_of_loading = models.CharField(_("port of loading"), max_length=80, blank=True)
    port_of_discharge = models.CharField(_("port of discharge"), max_length=80, blank=True)
    place_of_delivery = models.CharField(_("place of delivery"), max_length=80, blank=True)
    vessel = models.CharField(_("vessel"), max_length=80, blank=True)
    voyage = models.CharField(_("voyage"), max_length=30, blank=True)
    marks = models.TextField(_("marks and numbers"), blank=True)
    description = models.TextField(_("description of goods"), blank=True)
    packages = models.PositiveIntegerField(_("packages"), null=True, blank=True)
    gross_kg = models.DecimalField(_("gross weight (kg)"), max_digits=11, decimal_places=2, null=True, blank=True)
    cbm = models.DecimalField(_("measurement (CBM)"), max_digits=9, decimal_places=3, null=True, blank=True)
    containers = models.TextField(_("containers and seals"), blank=True)
    freight = models.CharField(_("freight"), max_length=30, blank=True)
    # [{"field": "gross_kg", "expected": "...", "found": "..."}] from the last check of the draft
    differences = models.JSONField(_("differences"), default=list, blank=True)
    draft_received_on = models.DateField(_("draft received on"), null=True, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("checked by"))
    on_board_on = models.DateField(_("on-board date"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    originals = models.PositiveSmallIntegerField(_("originals issued"), default=3)
    release_kind = models.CharField(_("released as"), max_length=10, choices=Release.choices, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("released by"))

    class Meta:
        verbose_name = _("bill of lading")
        verbose_name_plural = _("bills of lading")
        indexes = [models.Index(fields=["status"], name="bill_status")]

    def __str__(self) -> str:
        return self.bl_no or f"{self.shipment} ({self.get_status_display()})"


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
