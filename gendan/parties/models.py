"""Customers, suppliers (own workshops, outsourced factories, material suppliers, forwarders,
couriers) and their contacts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.models import BilingualNameMixin, VersionedModel
from gendan.parties import credit_code
from gendan.parties.countries import COUNTRIES, country_name
from gendan.parties.errors import PartiesError

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9\-_.]*$", _("Use capital letters, digits, “-”, “_” or “.”, starting with a letter or digit.")
)


class Incoterm(models.TextChoices):
    """Incoterms® 2020 (DOMAIN §1)."""

    EXW = "EXW", _("EXW Ex Works")
    FCA = "FCA", _("FCA Free Carrier")
    CPT = "CPT", _("CPT Carriage Paid To")
    CIP = "CIP", _("CIP Carriage and Insurance Paid To")
    DAP = "DAP", _("DAP Delivered at Place")
    DPU = "DPU", _("DPU Delivered at Place Unloaded")
    DDP = "DDP", _("DDP Delivered Duty Paid")
    FAS = "FAS", _("FAS Free Alongside Ship")
    FOB = "FOB", _("FOB Free On Board")
    CFR = "CFR", _("CFR Cost and Freight")
    CIF = "CIF", _("CIF Cost, Insurance and Freight")


class PaymentMethod(models.TextChoices):
    """How the customer pays; the payment plan of an order is derived from it."""

    TT_ADVANCE = "tt_advance", _("T/T, full payment in advance")
    TT_DEPOSIT_BALANCE = "tt_deposit_balance", _("T/T deposit, balance before shipment")
    TT_AGAINST_BL_COPY = "tt_against_bl_copy", _("T/T deposit, balance against copy of B/L")
    LC_SIGHT = "lc_sight", _("L/C at sight")
    LC_USANCE = "lc_usance", _("L/C usance")
    DP = "dp", _("D/P documents against payment")
    DA = "da", _("D/A documents against acceptance")
    OA = "oa", _("O/A open account")


class PartyBase(BilingualNameMixin, VersionedModel):
    """Fields customers and suppliers share."""

    code = models.CharField(
        _("code"), max_length=20, unique=True, blank=True, validators=[code_validator],
        help_text=_("Leave empty to number it automatically."),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=sorted((k, v[1]) for k, v in COUNTRIES.items()))
    city = models.CharField(_("city"), max_length=80, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    fax = models.CharField(_("fax"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.CharField(_("website"), max_length=120, blank=True)
    bank_name = models.CharField(_("bank"), max_length=120, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=60, blank=True)
    bank_swift = models.CharField(
        _("SWIFT/BIC"), max_length=11, blank=True,
        validators=[RegexValidator(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$", _("A SWIFT/BIC has 8 or 11 characters."))],
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}".strip()

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def clean(self) -> None:
        super().clean()
        if not (self.name_zh.strip() or self.name_en.strip()):
            raise ValidationError({"name_zh": ValidationError(_("Enter the name in Chinese or in English (or both)."),
                                                              code=PartiesError.NAME_REQUIRED)})


class Customer(PartyBase):
    """A customer. Visible only to its salesperson, merchandiser, their team, the regional
    manager of its region, finance and admin (``parties.selectors.customer_scope``)."""

    short_name = models.CharField(
        _("short name / buyer code"), max_length=20, blank=True,
        help_text=_("Printed in the shipping marks, e.g. “ACME”."),
    )
    region = models.ForeignKey(
        "accounts.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="customers",
        verbose_name=_("region"),
    )
    delivery_address = models.TextField(_("delivery address"), blank=True)
    default_currency = models.ForeignKey(
        "core.Currency", on_delete=models.PROTECT, default="USD", verbose_name=_("currency"),
        limit_choices_to={"is_active": True},
    )
    payment_method = models.CharField(
        _("payment terms"), max_length=24, choices=PaymentMethod.choices, default=PaymentMethod.TT_DEPOSIT_BALANCE
    )
    deposit_percent = models.DecimalField(
        _("deposit %"), max_digits=5, decimal_places=2, default=Decimal("30"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    payment_days = models.PositiveSmallIntegerField(
        _("payment days"), default=0, validators=[MaxValueValidator(360)],
        help_text=_("Usance / D/A / O/A days; 0 for sight."),
    )
    payment_terms_note = models.CharField(_("payment terms note"), max_length=200, blank=True)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices, default=Incoterm.FOB)
    incoterm_place = models.CharField(_("Incoterm named place"), max_length=80, blank=True)
    port_of_loading = models.CharField(_("port of loading"), max_length=80, blank=True)
    port_of_destination = models.CharField(_("port of destination"), max_length=80, blank=True)
    special_requirements = models.TextField(
        _("special requirements"), blank=True,
        help_text=_("客户特殊规格: packing, labels, marks, testing — shown on every order of this customer."),
    )
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="sales_customers",
        verbose_name=_("salesperson"),
    )
    merchandiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="merchandised_customers", verbose_name=_("merchandiser"),
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="customers",
        verbose_name=_("team"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["salesperson", "code"], name="customer_sales_code"),
            models.Index(fields=["merchandiser", "code"], name="customer_merch_code"),
            models.Index(fields=["team", "code"], name="customer_team_code"),
            models.Index(fields=["region", "code"], name="customer_region_code"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("parties:customer_detail", args=[self.pk])

    @property
    def incoterm_text(self) -> str:
        """ICC usage formula: ``FOB Ningbo Incoterms® 2020``."""
        return f"{self.incoterm} {self.incoterm_place} Incoterms® 2020".replace("  ", " ")


class Supplier(PartyBase):
    """A supplier in the widest sense: own workshop, outsourced factory, material supplier,
    freight forwarder or courier."""

    class Kind(models.TextChoices):
        OWN_WORKSHOP = "own_workshop", _("own workshop")
        OUTSOURCED_FACTORY = "outsourced_factory", _("outsourced factory")
        MATERIAL_SUPPLIER = "material_supplier", _("material supplier")
        FORWARDER = "forwarder", _("freight forwarder")
        COURIER = "courier", _("courier")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True,
        help_text=_("统一社会信用代码, 18 characters, checked with the GB 32100 check character."),
    )
    credit_code_override = models.BooleanField(
        _("accept code without check"), default=False,
        help_text=_("For legacy pilot-region codes that fail the checksum; a reason is required."),
    )
    credit_code_override_reason = models.CharField(_("reason for accepting the code"), max_length=200, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=60, blank=True)
    main_products = models.CharField(_("main products / services"), max_length=200, blank=True)
    capacity_notes = models.TextField(
        _("capacity notes"), blank=True, help_text=_("Lines, daily capacity, lead times, peak seasons.")
    )
    daily_capacity = models.PositiveIntegerField(_("daily capacity (units)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        indexes = [models.Index(fields=["kind", "code"], name="supplier_kind_code")]

    def get_absolute_url(self) -> str:
        return reverse("parties:supplier_detail", args=[self.pk])

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the 18-character length check: codes are pasted with spaces.
        self.credit_code = credit_code.normalise(self.credit_code or "")
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        self.credit_code = credit_code.normalise(self.credit_code or "")
        errors = {}
        if self.credit_code and not credit_code.is_valid(self.credit_code):
            if not self.credit_code_override:
                errors["credit_code"] = ValidationError(_(
                    "This is not a valid unified social credit code (18 characters, check character "
                    "per GB 32100). If it is a legacy code, tick “accept code without check” and give a reason."
                ), code=PartiesError.CREDIT_CODE_CHECK)
            elif not self.credit_code_override_reason.strip():
                errors["credit_code_override_reason"] = ValidationError(
                    _("Give the reason for accepting a code that fails the check."), code=PartiesError.CREDIT_CODE_CHECK)
        if self.credit_code and len(self.credit_code) != 18:
            errors["credit_code"] = _("A unified social credit code has exactly 18 characters.")
        if errors:
            raise ValidationError(errors)


class Contact(models.Model):
    """A person at a customer or a supplier (exactly one of the two)."""

    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=80)
    title = models.CharField(_("job title"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    mobile = models.CharField(_("mobile"), max_length=60, blank=True)
    fax = models.CharField(_("fax"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    wechat = models.CharField(_("WeChat"), max_length=60, blank=True)
    is_primary = models.BooleanField(_("main contact"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(customer__isnull=False, supplier__isnull=True)
                           | models.Q(customer__isnull=True, supplier__isnull=False)),
                name="contact_one_party",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not any([self.phone, self.mobile, self.email, self.wechat, self.fax]):
            raise ValidationError(_("Give at least one way to reach the contact: phone, mobile, fax, email or WeChat."))
