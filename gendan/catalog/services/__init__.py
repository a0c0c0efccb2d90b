"""Writes of products, their colour × size variant matrix and their bills of materials.

Every write checks the actor's permission, validates before it saves, runs in one
transaction and leaves an event on the product's timeline. Refusals are
``ValidationFailed`` with messages per field; nothing is half-saved.

One module per subdomain; import the services from here.
"""

from gendan.catalog.services.access import (
    PERM_BOM_ADD,
    PERM_BOM_CHANGE,
    PERM_BOM_DELETE,
    PERM_PRODUCT_ADD,
    PERM_PRODUCT_CHANGE,
    PERMS_VARIANTS,
    product_permissions,
)
from gendan.catalog.services.bom import BOM_FIELDS, bom_line_add, bom_line_remove, bom_line_update, bom_path
from gendan.catalog.services.products import (
    PRODUCT_FIELDS,
    normalize_hs_code,
    normalize_item_no,
    product_create,
    product_update,
)
from gendan.catalog.services.variant_names import parse_variant_names, variant_names_save, variant_names_text
from gendan.catalog.services.variants import (
    MAX_MATRIX_SIDE,
    MatrixChange,
    matrix_axes_validate,
    product_variants_set_matrix,
)

__all__ = [
    "BOM_FIELDS", "MAX_MATRIX_SIDE", "PERMS_VARIANTS", "PERM_BOM_ADD", "PERM_BOM_CHANGE", "PERM_BOM_DELETE",
    "PERM_PRODUCT_ADD", "PERM_PRODUCT_CHANGE", "PRODUCT_FIELDS", "MatrixChange", "bom_line_add",
    "bom_line_remove", "bom_line_update", "bom_path", "matrix_axes_validate", "normalize_hs_code",
    "normalize_item_no", "product_create", "product_permissions", "product_update",
    "product_variants_set_matrix", "parse_variant_names", "variant_names_save", "variant_names_text",
]
