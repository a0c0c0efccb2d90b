from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from gendan.api.fields import IdField
from gendan.api.serializers.products import ProductInput, ProductListOut, ProductOut, ProductUpdateInput
from gendan.api.views.base import ApiViewSet
from gendan.catalog import selectors, services
from gendan.catalog.models import Product


class ProductFilterInput(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    kind = serializers.ChoiceField(choices=Product.Kind.choices, required=False)
    category = IdField(required=False)  # at most a 64-bit id: a bigger one was an OverflowError (500) on SQLite
    active = serializers.ChoiceField(choices=["1", "0"], required=False)


@extend_schema_view(
    list=extend_schema(parameters=[ProductFilterInput], responses=ProductListOut),
    retrieve=extend_schema(responses=ProductOut),
    create=extend_schema(request=ProductInput, responses={201: ProductOut}),
    partial_update=extend_schema(request=ProductUpdateInput, responses=ProductOut),
)
class ProductViewSet(ApiViewSet):
    """Products (not customer-scoped: whoever may view products sees them all)."""

    required_perms = {
        "list": ("catalog.view_product",),
        "retrieve": ("catalog.view_product",),
        "create": ("catalog.add_product",),
        "partial_update": ("catalog.change_product",),
    }

    def list(self, request):
        filters = self.parse(ProductFilterInput, data=request.query_params)
        search = filters.pop("q", "")
        return self.paginated(selectors.product_list(user=request.user, search=search, filters=filters),
                              ProductListOut)

    def retrieve(self, request, pk=None):
        return self.render(ProductOut, selectors.product_get_detail(user=request.user, pk=pk))

    def create(self, request):
        product = services.product_create(actor=request.user, data=self.parse(ProductInput))
        return self.render(ProductOut, selectors.product_get_detail(user=request.user, pk=product.pk), status=201)

    def partial_update(self, request, pk=None):
        selectors.product_get_for_user(user=request.user, pk=pk)
        data = dict(self.parse(ProductUpdateInput, partial=True))
        version, reason = data.pop("version"), data.pop("reason", "")
        services.product_update(actor=request.user, product_id=pk, data=data, expected_version=version,
                                reason=reason)
        return self.render(ProductOut, selectors.product_get_detail(user=request.user, pk=pk))
