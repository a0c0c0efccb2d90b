"""Order and quotation lines as the API accepts them: the shape of ``sales.services.lines``
(see its docstring), with products referenced by id. Quantities and prices are passed on as
given; the service checks them and names the line in its messages (``lines[0].quantity``)."""

from __future__ import annotations

from rest_framework import serializers

from gendan.api.fields import DecimalInput, ScopedRelatedField
from gendan.catalog.models import ProductVariant
from gendan.catalog.selectors import product_queryset
from gendan.parties.selectors import supplier_queryset


def _variant_queryset(user):
    return ProductVariant.objects.filter(product__in=product_queryset(user).values("pk"))


class CellInput(serializers.Serializer):
    colour = serializers.CharField(max_length=60, allow_blank=True)
    size = serializers.CharField(max_length=30, allow_blank=True)
    quantity = DecimalInput(required=False, allow_null=True)
    variant = ScopedRelatedField(_variant_queryset, required=False, allow_null=True)


class LineInput(serializers.Serializer):
    """One line: a product (optional) with a quantity, or with colour × size ``cells``."""

    product = ScopedRelatedField(product_queryset, required=False, allow_null=True)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=8, required=False, allow_blank=True)
    unit_price = DecimalInput(required=False, allow_null=True)
    quantity = DecimalInput(required=False, allow_null=True)
    cells = CellInput(many=True, required=False)


class QuotationLineInput(LineInput):
    """A quotation line may carry the factory's cost; only roles that see cost may send it."""

    # The quotation service compares the cost as a Decimal: converted here.
    factory_cost = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True)
    cost_supplier = ScopedRelatedField(supplier_queryset, required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and not request.user.has_perm("sales.view_cost"):
            self.fields.pop("factory_cost")
            self.fields.pop("cost_supplier")


def lines_for_service(lines: list[dict]) -> list[dict]:
    """Plain dicts in the service's line format."""
    return [{**line, "cells": [dict(cell) for cell in line.get("cells", [])]} for line in lines]


class LineCellOut(serializers.Serializer):
    id = serializers.IntegerField()
    colour = serializers.CharField()
    size = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    variant = serializers.IntegerField(source="variant_id", allow_null=True)
