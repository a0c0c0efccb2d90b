"""Reads of products, their variant matrix and bills of materials. Pages, exports, search and
attachments all come through here.

Products are not customer-scoped: whoever holds ``catalog.view_product`` sees every product.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import DecimalField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from gendan.accounts.models import User
from gendan.catalog.models import BomLine, Product, ProductCategory, ProductVariant
from gendan.documents.models import Attachment
from gendan.documents.services import attachments_for


def product_queryset(user: User) -> QuerySet[Product]:
    """All products ``user`` may see (none without ``catalog.view_product``), with their category."""
    if not user.is_authenticated or not user.has_perm("catalog.view_product"):
        return Product.objects.none()
    return Product.objects.select_related("category")


def product_list(*, user: User, search: str = "", filters: dict | None = None) -> QuerySet[Product]:
    """The product list: search by item no., names, model or series; filter by kind, category
    and active (``"1"`` / ``"0"``). Carries ``cbm_sort`` so the list can be sorted by carton volume."""
    volume = DecimalField(max_digits=24, decimal_places=3)
    qs = product_queryset(user).annotate(
        # No carton counts as 0, so it sorts the same on SQLite and PostgreSQL (their NULLs differ).
        cbm_sort=Coalesce(
            ExpressionWrapper(F("carton_length_cm") * F("carton_width_cm") * F("carton_height_cm"),
                              output_field=volume),
            Value(0), output_field=volume,
        )
    )
    filters = filters or {}
    search = (search or "").strip()
    if search:
        qs = qs.filter(
            Q(code__icontains=search) | Q(name_zh__icontains=search) | Q(name_en__icontains=search)
            | Q(model_no__icontains=search) | Q(series__icontains=search)
        )
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("active") in ("1", "0"):
        qs = qs.filter(is_active=filters["active"] == "1")
    return qs


def product_get_for_user(*, user: User, pk: int) -> Product:
    """Return the product if ``user`` may see it; "missing" and "not allowed" are the same 404."""
    try:
        return product_queryset(user).get(pk=pk)
    except (Product.DoesNotExist, ValueError, TypeError):
        raise Http404("No such product.") from None


def product_get_detail(*, user: User, pk: int) -> Product:
    """Like ``product_get_for_user``, with the variants and BOM lines (and their components)
    loaded in two more queries, whatever their number."""
    try:
        return product_queryset(user).prefetch_related(
            Prefetch("variants", queryset=ProductVariant.objects.order_by("sort_order", "colour", "size")),
            Prefetch("bom_lines", queryset=BomLine.objects.select_related("component").order_by("sort_order", "id")),
        ).get(pk=pk)
    except (Product.DoesNotExist, ValueError, TypeError):
        raise Http404("No such product.") from None


def product_used_in(*, user: User, product: Product, limit: int = 50) -> list[BomLine]:
    """The BOM lines of other products that use ``product`` as a component ("where used")."""
    visible = product_queryset(user).values("pk")
    return list(
        BomLine.objects.filter(component=product, product__in=visible)
        .select_related("product").order_by("product__code")[:limit]
    )


def bom_component_candidates(*, user: User) -> QuerySet[Product]:
    """Products that may be put on a bill of materials: active components, packing items and
    semi-finished parts."""
    return product_queryset(user).filter(kind__in=Product.BOM_COMPONENT_KINDS, is_active=True).order_by("code")


def product_categories() -> QuerySet[ProductCategory]:
    return ProductCategory.objects.all()


def product_photos(product: Product) -> list:
    """The product's photo attachments, newest first (shown as thumbnails on the product page)."""
    return [a for a in attachments_for(product).filter(kind=Attachment.Kind.PHOTO) if a.is_image]


# --- the variant matrix ------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixRow:
    colour: str
    cells: list[ProductVariant | None]  # one per size, None where that colour has no such size


@dataclass(frozen=True)
class VariantMatrix:
    colours: list[str]
    sizes: list[str]
    rows: list[MatrixRow]

    @property
    def count(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell is not None)

    def __bool__(self) -> bool:
        return bool(self.rows)


def variant_matrix(variants: list[ProductVariant]) -> VariantMatrix:
    """Arrange a product's variants as colour rows × size columns, in the order the user typed
    the colours and sizes (kept in each variant's ``sort_order``)."""
    colour_pos: dict[str, int] = {}
    size_pos: dict[str, int] = {}
    for v in variants:
        row, col = v.matrix_position
        colour_pos[v.colour] = min(row, colour_pos.get(v.colour, row))
        size_pos[v.size] = min(col, size_pos.get(v.size, col))
    colours = sorted(colour_pos, key=lambda c: (colour_pos[c], c))
    sizes = sorted(size_pos, key=lambda s: (size_pos[s], s))
    by_cell = {(v.colour, v.size): v for v in variants}
    rows = [MatrixRow(colour=c, cells=[by_cell.get((c, s)) for s in sizes]) for c in colours]
    return VariantMatrix(colours=colours, sizes=sizes, rows=rows)
