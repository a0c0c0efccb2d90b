"""Creating and editing products (item data and export carton)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.catalog.errors import CatalogError
from gendan.catalog.models import Product
from gendan.catalog.selectors import product_queryset
from gendan.catalog.services.access import PERM_PRODUCT_ADD, PERM_PRODUCT_CHANGE
from gendan.catalog.services.values import fit_decimal
from gendan.core.errors import ValidationFailed
from gendan.core.guards import require
from gendan.core.services import model_create, model_update

PRODUCT_FIELDS = (
    "code", "kind", "category", "name_zh", "name_en", "series", "model_no", "spec", "size", "colour",
    "material", "surface_finish", "selling_points", "hs_code", "unit", "is_active",
    "units_per_carton", "carton_length_cm", "carton_width_cm", "carton_height_cm",
    "net_weight_kg", "gross_weight_kg",
)


def normalize_item_no(value: str | None) -> str:
    """Item numbers are stored in capitals without surrounding blanks ("ab-1 " → "AB-1")."""
    return (value or "").strip().upper()


def normalize_hs_code(value: str | None) -> str:
    """HS codes are often written with dots or blanks ("8516.79.90"); store the digits only."""
    return "".join(ch for ch in (value or "") if ch not in ". \t")


def _product_data(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"Not product fields: {', '.join(sorted(unknown))}")
    data = dict(data)
    if "code" in data:
        data["code"] = normalize_item_no(data["code"])
    if "hs_code" in data:
        data["hs_code"] = normalize_hs_code(data["hs_code"])
    return {name: fit_decimal(Product, name, value) for name, value in data.items()}


def _duplicate_item_no(code: str) -> ValidationFailed:
    msg = _("The item no. “%(code)s” is already used by another product.") % {"code": code}
    return ValidationFailed(msg, code=CatalogError.DUPLICATE_CODE, fields={"code": msg})


def _check_item_no(code: str, *, exclude_pk: int | None = None) -> None:
    if not code:
        msg = _("Enter the item no.")
        raise ValidationFailed(msg, fields={"code": msg})
    if Product.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise _duplicate_item_no(code)


def product_create(*, actor: User, data: Mapping[str, Any]) -> Product:
    """Create a product from ``data`` (field name → value, see ``PRODUCT_FIELDS``).

    Refused with field messages: missing or duplicate item no., no name, malformed HS code,
    carton dimensions or weights ≤ 0, only some of L × W × H, G.W. below N.W., 0 units per carton.
    """
    require(actor, PERM_PRODUCT_ADD)
    product = Product(**_product_data(data))
    with transaction.atomic():
        _check_item_no(product.code)
        try:
            with transaction.atomic():
                model_create(actor=actor, obj=product)
        except IntegrityError:  # a concurrent insert took the item no. between check and save
            raise _duplicate_item_no(product.code) from None
    return product


def product_update(
    *, actor: User, product_id: int, data: Mapping[str, Any], expected_version: int | None, reason: str = ""
) -> tuple[Product, dict]:
    """Edit a product. ``expected_version`` is the version the user loaded: a stale one is
    refused with ``ConflictError`` (409). Returns the product and its ``{field: {old, new}}``."""
    require(actor, PERM_PRODUCT_CHANGE)
    data = _product_data(data)
    if "code" in data:
        _check_item_no(data["code"], exclude_pk=product_id)
    try:
        return model_update(
            actor=actor, queryset=product_queryset(actor).select_related(None), pk=product_id,
            expected_version=expected_version, data=data, reason=reason,
        )
    except (Product.DoesNotExist, ValueError, TypeError):
        raise Http404("No such product.") from None
