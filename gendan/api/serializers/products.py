from __future__ import annotations

from rest_framework import serializers

from gendan.api.fields import IdField
from gendan.api.serializers.common import CODE_PATTERN, NAME_RULES, ModelInput, VersionRequiredMixin
from gendan.catalog.models import CARTON_DIMENSIONS, BomLine, Product, ProductCategory, ProductVariant
from gendan.catalog.services import PRODUCT_FIELDS

# The carton's L × W × H (each above zero, stated by the fields): the three together or none of them —
# all three numbers, all three null (no carton) or none sent (an edit keeps the stored ones).
CARTON_RULES = {"anyOf": [
    {"not": {"anyOf": [{"required": [name]} for name in CARTON_DIMENSIONS]}},
    {"required": list(CARTON_DIMENSIONS), "properties": {name: {"type": "string"} for name in CARTON_DIMENSIONS}},
    # (all null: none is a number; an ``enum`` of null would be taken for a choice set by spectacular)
    {"required": list(CARTON_DIMENSIONS),
     "not": {"anyOf": [{"properties": {name: {"type": "string"}}} for name in CARTON_DIMENSIONS]}},
]}
_RULES_IN_WORDS = {"properties": {
    "code": {"pattern": CODE_PATTERN},
    # 6, 8 or 10 digits (the service also takes them with dots or blanks between: "8516.79.90")
    "hs_code": {"pattern": r"^([0-9]{6}([0-9]{2}([0-9]{2})?)?)?$"},
    "gross_weight_kg": {"description": "Not less than net_weight_kg (a rule between two fields, checked by the "
                                       "service: `values_inconsistent`)."},
    **{name: {"description": "Give all three carton dimensions (L × W × H) or none."} for name in CARTON_DIMENSIONS},
}}


def _product_rules(*, partial: bool) -> dict:
    """A new product has a name in Chinese or in English; an edit keeps the stored one when it sends none."""
    return {**_RULES_IN_WORDS, "allOf": [CARTON_RULES] if partial else [NAME_RULES, CARTON_RULES]}


class ProductInput(ModelInput):
    category = serializers.PrimaryKeyRelatedField(queryset=ProductCategory.objects.all(), required=False,
                                                  allow_null=True)

    request_schema_rules = staticmethod(_product_rules)

    class Meta:
        model = Product
        fields = list(PRODUCT_FIELDS)


class ProductUpdateInput(VersionRequiredMixin, ProductInput):
    version = IdField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)

    class Meta(ProductInput.Meta):
        fields = [*PRODUCT_FIELDS, "version", "reason"]


class ProductListOut(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code", allow_null=True, default=None)
    carton_cbm = serializers.DecimalField(max_digits=12, decimal_places=4, read_only=True, allow_null=True)

    class Meta:
        model = Product
        fields = ["id", "code", "kind", "category", "name_zh", "name_en", "model_no", "unit", "hs_code",
                  "units_per_carton", "carton_cbm", "is_active", "version"]


class VariantOut(serializers.ModelSerializer):
    class Meta:
        model = ProductVariant
        fields = ["id", "colour", "size", "sku", "barcode"]


class BomLineOut(serializers.ModelSerializer):
    component = serializers.SerializerMethodField()

    class Meta:
        model = BomLine
        fields = ["id", "component", "quantity", "scrap_percent", "note"]

    def get_component(self, line) -> dict:
        return {"id": line.component_id, "code": line.component.code}


class ProductOut(ProductListOut):
    variants = VariantOut(many=True, read_only=True)
    bom_lines = BomLineOut(many=True, read_only=True)

    class Meta(ProductListOut.Meta):
        fields = ["id", *PRODUCT_FIELDS, "carton_cbm", "version", "created_at", "updated_at", "variants",
                  "bom_lines"]
