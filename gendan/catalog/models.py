"""Products: what is sold, how it is packed, its colour × size variants and its bill of materials."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.errors import CoreError
from gendan.core.models import BilingualNameMixin, VersionedModel
from gendan.parties.models import code_validator

_POSITIVE = [MinValueValidator(Decimal("0.01"), message=_("Must be greater than zero."))]
CBM_PLACES = Decimal("0.0001")
CARTON_DIMENSIONS = ("carton_length_cm", "carton_width_cm", "carton_height_cm")
# A variant's sort_order encodes its matrix cell; larger than any matrix side.
MATRIX_STRIDE = 1000


def plain_decimal(value: Decimal) -> str:
    """Return the decimal without padding zeros, for people to read: 12.500 → "12.5", 12.000 → "12"."""
    return format(value.normalize(), "f")


class ProductCategory(BilingualNameMixin, models.Model):
    """A product category; T&A templates and production stages are chosen per category."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)

    class Meta:
        ordering = ["code"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")

    def __str__(self) -> str:
        return self.display_name


class Product(BilingualNameMixin, VersionedModel):
    """An item the company sells, makes or buys: a finished product, a semi-finished part,
    a component / material or a packing item, with its export carton."""

    class Kind(models.TextChoices):
        FINISHED = "finished", _("finished product")
        SEMI_FINISHED = "semi_finished", _("semi-finished")
        COMPONENT = "component", _("component / material")
        PACKAGING = "packaging", _("packaging")

    class Unit(models.TextChoices):
        PCS = "pcs", _("pcs")
        SET = "set", _("set")
        PAIR = "pair", _("pair")
        KG = "kg", _("kg")
        M = "m", _("m")
        ROLL = "roll", _("roll")

    code = models.CharField(_("item no."), max_length=40, unique=True, validators=[code_validator])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FINISHED)
    category = models.ForeignKey(ProductCategory, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="products", verbose_name=_("category"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    series = models.CharField(_("series"), max_length=60, blank=True)
    model_no = models.CharField(_("model"), max_length=60, blank=True)
    spec = models.CharField(_("specification"), max_length=200, blank=True)
    size = models.CharField(_("size"), max_length=60, blank=True)
    colour = models.CharField(_("colour"), max_length=60, blank=True)
    material = models.CharField(_("material"), max_length=120, blank=True)
    surface_finish = models.CharField(_("surface finish"), max_length=120, blank=True)
    selling_points = models.TextField(_("selling points"), blank=True)
    hs_code = models.CharField(
        _("HS code"), max_length=10, blank=True,
        validators=[RegexValidator(r"^\d{6}(\d{2}(\d{2})?)?$", _("An HS code has 6, 8 or 10 digits."))],
    )
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.PCS)
    # Packing (one export carton)
    units_per_carton = models.PositiveIntegerField(
        _("units per carton"), null=True, blank=True,
        validators=[MinValueValidator(1, message=_("A carton holds at least one unit."))],
    )
    carton_length_cm = models.DecimalField(_("carton length (cm)"), max_digits=7, decimal_places=1, null=True,
                                           blank=True, validators=_POSITIVE)
    carton_width_cm = models.DecimalField(_("carton width (cm)"), max_digits=7, decimal_places=1, null=True,
                                          blank=True, validators=_POSITIVE)
    carton_height_cm = models.DecimalField(_("carton height (cm)"), max_digits=7, decimal_places=1, null=True,
                                           blank=True, validators=_POSITIVE)
    net_weight_kg = models.DecimalField(_("N.W. per carton (kg)"), max_digits=8, decimal_places=3, null=True,
                                        blank=True, validators=_POSITIVE)
    gross_weight_kg = models.DecimalField(_("G.W. per carton (kg)"), max_digits=8, decimal_places=3, null=True,
                                          blank=True, validators=_POSITIVE)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [models.Index(fields=["kind", "code"], name="product_kind_code"),
                   models.Index(fields=["category", "code"], name="product_category_code")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gross_weight_kg__isnull=True) | models.Q(net_weight_kg__isnull=True)
                | models.Q(gross_weight_kg__gte=models.F("net_weight_kg")),
                name="product_gw_not_below_nw",
            ),
        ]

    # What may appear as a component in another product's bill of materials.
    BOM_COMPONENT_KINDS = (Kind.COMPONENT, Kind.PACKAGING, Kind.SEMI_FINISHED)

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}".strip()

    @property
    def can_be_component(self) -> bool:
        return self.kind in self.BOM_COMPONENT_KINDS

    def get_absolute_url(self) -> str:
        return reverse("catalog:product_detail", args=[self.pk])

    @property
    def carton_cbm(self) -> Decimal | None:
        """Volume of one carton in m³ (L × W × H cm / 1 000 000), to 4 decimals."""
        if not (self.carton_length_cm and self.carton_width_cm and self.carton_height_cm):
            return None
        volume = self.carton_length_cm * self.carton_width_cm * self.carton_height_cm / Decimal(1_000_000)
        return volume.quantize(CBM_PLACES, rounding=ROUND_HALF_UP)

    @property
    def carton_dimensions(self) -> str:
        """The carton as "L × W × H" in cm without padding zeros ("60 × 40 × 38.5"), or ""."""
        if self.carton_cbm is None:
            return ""
        return " × ".join(plain_decimal(getattr(self, name)) for name in CARTON_DIMENSIONS)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if not (self.name_zh.strip() or self.name_en.strip()):
            errors["name_zh"] = _("Enter the name in Chinese or in English (or both).")
        if self.net_weight_kg is not None and self.gross_weight_kg is not None \
                and self.gross_weight_kg < self.net_weight_kg:
            # a rule between two fields: the API answers it with its own code (values_inconsistent)
            errors["gross_weight_kg"] = ValidationError(
                _("G.W. (%(gw)s kg) cannot be less than N.W. (%(nw)s kg).") % {
                    "gw": plain_decimal(self.gross_weight_kg), "nw": plain_decimal(self.net_weight_kg)},
                code=CoreError.VALUES_INCONSISTENT)
        dims = {name: getattr(self, name) for name in CARTON_DIMENSIONS}
        if any(d is not None for d in dims.values()) and not all(d is not None for d in dims.values()):
            for name, value in dims.items():
                if value is None:
                    errors[name] = _("Give all three carton dimensions (L × W × H) or none.")
        if errors:
            raise ValidationError(errors)


class ProductVariant(models.Model):
    """One colour × size cell of a product's matrix."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    colour = models.CharField(_("colour"), max_length=60)
    size = models.CharField(_("size"), max_length=30)
    sku = models.CharField(_("SKU"), max_length=60, blank=True)
    barcode = models.CharField(
        _("barcode"), max_length=14, blank=True,
        validators=[RegexValidator(r"^\d{8}(\d{4,6})?$", _("A barcode (EAN/UPC/GTIN) has 8, 12, 13 or 14 digits."))],
    )
    # Where the cell sits in the matrix as the user typed it:
    # colour position × MATRIX_STRIDE + size position (see ``matrix_position``).
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["product", "sort_order", "colour", "size"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.UniqueConstraint(fields=["product", "colour", "size"], name="uniq_variant_cell"),
            # A SKU or a barcode names exactly one item in the whole company (GS1: one GTIN, one item).
            models.UniqueConstraint(fields=["sku"], condition=~models.Q(sku=""), name="uniq_variant_sku",
                                    violation_error_message=_("This SKU is already used by another variant.")),
            models.UniqueConstraint(fields=["barcode"], condition=~models.Q(barcode=""), name="uniq_variant_barcode",
                                    violation_error_message=_("This barcode is already used by another variant.")),
        ]

    def __str__(self) -> str:
        return f"{self.product.code} {self.colour}/{self.size}"

    @property
    def cell_label(self) -> str:
        return f"{self.colour} / {self.size}"

    @property
    def matrix_position(self) -> tuple[int, int]:
        """Return (colour position, size position): the row and column of this cell in the matrix."""
        return divmod(self.sort_order, MATRIX_STRIDE)


class BomLine(models.Model):
    """One component or packing item of a product, per unit of the product, with scrap %."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="bom_lines",
                                verbose_name=_("product"))
    component = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="used_in",
                                  verbose_name=_("component"))
    quantity = models.DecimalField(_("quantity per unit"), max_digits=12, decimal_places=4,
                                   validators=[MinValueValidator(Decimal("0.0001"),
                                                                 message=_("Must be greater than zero."))])
    scrap_percent = models.DecimalField(_("scrap %"), max_digits=5, decimal_places=2, default=Decimal("0"),
                                        validators=[MinValueValidator(Decimal("0")),
                                                    MaxValueValidator(Decimal("100"))])
    note = models.CharField(_("note"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["product", "sort_order", "id"]
        verbose_name = _("BOM line")
        verbose_name_plural = _("BOM lines")
        constraints = [
            models.UniqueConstraint(fields=["product", "component"], name="uniq_bom_component"),
            models.CheckConstraint(condition=~models.Q(product=models.F("component")), name="bom_not_self"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="bom_quantity_positive"),
            models.CheckConstraint(condition=models.Q(scrap_percent__gte=0, scrap_percent__lte=100),
                                   name="bom_scrap_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.product.code} ← {self.component.code} × {self.quantity}"

    @property
    def gross_quantity(self) -> Decimal:
        """Quantity per unit including scrap: qty × (1 + scrap % / 100)."""
        return (self.quantity * (1 + self.scrap_percent / 100)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


class VariantName(models.Model):
    """The English name of a colour or size word as people type it on variants and order lines
    ("白" → "White"), so an English document prints "White" and a Chinese one "白". One entry serves
    every product and order; names not listed fall back to the built-in dictionary
    (``catalog.variant_names``), then to the name as typed."""

    class Axis(models.TextChoices):
        COLOUR = "colour", _("colour")
        SIZE = "size", _("size")

    axis = models.CharField(_("colour or size"), max_length=8, choices=Axis.choices, default=Axis.COLOUR)
    name = models.CharField(_("name as typed"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["axis", "name"]
        verbose_name = _("colour / size name")
        verbose_name_plural = _("colour / size names")
        constraints = [models.UniqueConstraint(fields=["axis", "name"], name="uniq_variant_name")]

    def __str__(self) -> str:
        return f"{self.name} = {self.name_en}"
