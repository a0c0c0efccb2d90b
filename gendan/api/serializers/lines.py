"""Order and quotation lines as the API accepts them: the shape of ``sales.services.lines``
(see its docstring), with products referenced by id. Quantities and prices are passed on as
given; the service checks them and names the line in its messages (``lines[0].quantity``)."""

from __future__ import annotations

from drf_spectacular.drainage import get_override
from rest_framework import serializers

from gendan.api.fields import DecimalInput, PositiveDecimalInput, ScopedRelatedField, positive_decimal_pattern
from gendan.api.serializers.common import NOT_BLANK
from gendan.catalog.models import ProductVariant
from gendan.catalog.selectors import product_queryset
from gendan.parties.selectors import supplier_queryset
from gendan.sales.services.lines import MAX_LINES, MAX_QUANTITY, MAX_UNIT_PRICE, PRICE_PLACES, QTY_PLACES


def number_input(*, places: int, largest, allow_zero: bool = False, **kwargs) -> DecimalInput:
    """A ``DecimalInput`` whose schema states the service's rule: a number above zero (or not
    negative with ``allow_zero``) up to ``largest`` (999 999 999.999: 9 digits before the point),
    with at most ``places`` decimals, as text or as a whole JSON number. The server still only checks
    the type; the service's messages name the line."""
    return PositiveDecimalInput(places=places, whole_digits=len(str(int(largest))), allow_zero=allow_zero, **kwargs)


def number_schema(*, places: int, largest, allow_zero: bool = False) -> dict:
    """The JSON Schema of ``number_input``."""
    return get_override(number_input(places=places, largest=largest, allow_zero=allow_zero), "field")


def lines_rules(*, partial: bool = False) -> dict:
    """The document's ``lines`` (sent whole): at least one, at most ``MAX_LINES``."""
    return {"properties": {"lines": {"minItems": 1, "maxItems": MAX_LINES}}}


def _variant_queryset(user):
    return ProductVariant.objects.filter(product__in=product_queryset(user).values("pk"))


class CellInput(serializers.Serializer):
    """One colour × size cell of a line. Its schema asks for a quantity above zero: the service
    also takes 0 (or none) and leaves the cell out."""

    colour = serializers.CharField(max_length=60, allow_blank=True)
    size = serializers.CharField(max_length=30, allow_blank=True)
    quantity = number_input(places=QTY_PLACES, largest=MAX_QUANTITY, required=False, allow_null=True)
    variant = ScopedRelatedField(_variant_queryset, required=False, allow_null=True)

    request_schema_rules = {"required": ["quantity"], "properties": {
        "colour": {"pattern": NOT_BLANK}, "size": {"pattern": NOT_BLANK},
        "quantity": {"nullable": False}}}


class LineInput(serializers.Serializer):
    """One line: a product or a description (or both), a unit price, and either a ``quantity``
    above zero or colour × size ``cells`` (whose quantities make the line's). The service also takes
    both when the cells add up to the quantity, and fills an order line's missing price from the
    product's for the customer when it knows one."""

    product = ScopedRelatedField(product_queryset, required=False, allow_null=True)
    description = serializers.CharField(
        max_length=300, required=False, allow_blank=True,
        help_text="The goods; may be left out for a line with a product (its name is taken).")
    unit = serializers.CharField(max_length=8, required=False, allow_blank=True)
    unit_price = number_input(
        places=PRICE_PLACES, largest=MAX_UNIT_PRICE, allow_zero=True, required=False, allow_null=True,
        help_text="Not negative, at most 4 decimals. Quantity × unit price may not be more than "
                  "9,999,999,999,999.99 (a rule between two fields, checked by the service: "
                  "`values_inconsistent`).")
    quantity = number_input(places=QTY_PLACES, largest=MAX_QUANTITY, required=False, allow_null=True,
                            help_text="Above zero, at most 3 decimals; not sent with `cells`.")
    cells = CellInput(many=True, required=False,
                      help_text="Colour × size quantities instead of `quantity`: each colour / size pair once "
                                "(compared without case; `duplicate_item`), their sum at most the largest "
                                "quantity (`values_inconsistent`): rules between items, checked by the service.")

    request_schema_rules = {
        "required": ["unit_price"],
        "properties": {"unit_price": {"nullable": False}, "quantity": {"nullable": False},
                       "cells": {"uniqueItems": True}},
        "allOf": [
            # a product, or a description of the goods
            {"anyOf": [{"required": ["product"], "properties": {"product": {"type": "integer"}}},
                       {"required": ["description"], "properties": {"description": {"pattern": NOT_BLANK}}}]},
            # a quantity, or colour × size cells
            {"oneOf": [{"required": ["quantity"], "properties": {"cells": {"maxItems": 0}}},
                       {"required": ["cells"], "properties": {"cells": {"minItems": 1}},
                        "not": {"required": ["quantity"]}}]},
        ],
    }


class QuotationLineInput(LineInput):
    """A quotation line may carry the factory's cost; only roles that see cost may send it."""

    # The quotation service compares the cost as a Decimal: converted here.
    factory_cost = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True,
                                            help_text="Not negative, at most 9,999,999.9999.")
    cost_supplier = ScopedRelatedField(supplier_queryset, required=False, allow_null=True)

    request_schema_rules = {**LineInput.request_schema_rules, "properties": {
        **LineInput.request_schema_rules["properties"],
        "factory_cost": {"pattern": positive_decimal_pattern(places=PRICE_PLACES, whole_digits=7, allow_zero=True)}}}

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
