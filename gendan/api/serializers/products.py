from __future__ import annotations

from rest_framework import serializers

from gendan.api.fields import IdField
from gendan.api.serializers.common import ModelInput, VersionRequiredMixin
from gendan.catalog.models import BomLine, Product, ProductCategory, ProductVariant
from gendan.catalog.services import PRODUCT_FIELDS


class ProductInput(ModelInput):
    category = serializers.PrimaryKeyRelatedField(queryset=ProductCategory.objects.all(), required=False,
                                                  allow_null=True)

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
