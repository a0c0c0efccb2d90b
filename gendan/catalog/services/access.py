"""Permissions and row access shared by the catalog services."""

from __future__ import annotations

from django.http import Http404

from gendan.accounts.models import User
from gendan.catalog.models import Product
from gendan.catalog.selectors import product_queryset

# --- who may do what (the pages show a button only where the service would allow it) ----

PERM_PRODUCT_ADD = "catalog.add_product"
PERM_PRODUCT_CHANGE = "catalog.change_product"
PERMS_VARIANTS = ("catalog.change_product", "catalog.add_productvariant", "catalog.change_productvariant",
                  "catalog.delete_productvariant")
PERM_BOM_ADD = "catalog.add_bomline"
PERM_BOM_CHANGE = "catalog.change_bomline"
PERM_BOM_DELETE = "catalog.delete_bomline"


def product_permissions(user: User) -> dict[str, bool]:
    """What ``user`` may do to products: the one answer used by pages and services alike."""
    return {
        "add": user.has_perm(PERM_PRODUCT_ADD),
        "change": user.has_perm(PERM_PRODUCT_CHANGE),
        "variants": user.has_perms(PERMS_VARIANTS),
        "bom_add": user.has_perm(PERM_BOM_ADD),
        "bom_change": user.has_perm(PERM_BOM_CHANGE),
        "bom_delete": user.has_perm(PERM_BOM_DELETE),
    }


def locked_product(actor: User, product_id: int) -> Product:
    """Return the product, row-locked for the rest of the transaction; 404 if the actor cannot see it."""
    try:
        # No joins: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
        return product_queryset(actor).select_related(None).select_for_update().get(pk=product_id)
    except (Product.DoesNotExist, ValueError, TypeError):
        raise Http404("No such product.") from None
