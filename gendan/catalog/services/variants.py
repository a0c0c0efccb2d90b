"""The colour × size variant matrix of a product."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.accounts.models import User
from gendan.catalog import events
from gendan.catalog.errors import CatalogError
from gendan.catalog.gtin import gtin_is_valid
from gendan.catalog.models import MATRIX_STRIDE, Product, ProductVariant
from gendan.catalog.services.access import PERMS_VARIANTS, locked_product
from gendan.core.errors import ValidationFailed
from gendan.core.events import event_record
from gendan.core.guards import require
from gendan.core.models import Event
from gendan.core.services import check_version

MAX_MATRIX_SIDE = 40
_AXES = {
    # field, max length, messages
    "colours": (ProductVariant._meta.get_field("colour").max_length, {
        "empty": gettext_lazy("A colour name may not be empty."),
        "duplicate": gettext_lazy("The colour “%(name)s” is listed twice."),
        "too_long": gettext_lazy("The colour “%(name)s” is longer than %(max)s characters."),
        "too_many": gettext_lazy("At most %(max)s colours, please (you gave %(count)s)."),
    }),
    "sizes": (ProductVariant._meta.get_field("size").max_length, {
        "empty": gettext_lazy("A size name may not be empty."),
        "duplicate": gettext_lazy("The size “%(name)s” is listed twice."),
        "too_long": gettext_lazy("The size “%(name)s” is longer than %(max)s characters."),
        "too_many": gettext_lazy("At most %(max)s sizes, please (you gave %(count)s)."),
    }),
}


def matrix_axes_validate(*, colours: Iterable[str], sizes: Iterable[str]) -> tuple[list[str], list[str]]:
    """Return the colour and size names, stripped. Refuse empty, over-long or duplicate names
    (``Red`` and ``red`` are the same colour) and more than ``MAX_MATRIX_SIDE`` of either."""
    result: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    for axis, values in (("colours", colours), ("sizes", sizes)):
        max_length, msgs = _AXES[axis]
        names = [str(v).strip() for v in values]
        problems = []
        if len(names) > MAX_MATRIX_SIDE:
            problems.append(str(msgs["too_many"]) % {"max": MAX_MATRIX_SIDE, "count": len(names)})
        if any(not n for n in names):
            problems.append(str(msgs["empty"]))
        seen: set[str] = set()
        for name in names:
            if len(name) > max_length:
                problems.append(str(msgs["too_long"]) % {"name": name, "max": max_length})
            if name and name.casefold() in seen:
                problems.append(str(msgs["duplicate"]) % {"name": name})
            seen.add(name.casefold())
        if problems:
            errors[axis] = problems
        result[axis] = names
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return result["colours"], result["sizes"]


@dataclass(frozen=True)
class MatrixChange:
    """What a save of the variant matrix did, as cell labels ("Red / S")."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    recoded: list[str] = field(default_factory=list)  # kept cells whose SKU or barcode changed
    reordered: bool = False

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.recoded or self.reordered)


def _cell_label(colour: str, size: str) -> str:
    return f"{colour} / {size}"


def _matrix_cells(cells, colours: list[str], sizes: list[str]) -> dict[tuple[str, str], dict[str, str]]:
    """Normalise ``cells`` (a set of (colour, size) or a dict of them → {"sku", "barcode"}) and
    refuse cells outside the typed colours and sizes."""
    items = cells.items() if isinstance(cells, Mapping) else ((cell, {}) for cell in cells)
    result = {}
    unknown = []
    for (colour, size), codes in items:
        colour, size = str(colour).strip(), str(size).strip()
        if colour not in colours or size not in sizes:
            unknown.append(_cell_label(colour, size))
            continue
        codes = codes or {}
        result[(colour, size)] = {
            "sku": str(codes.get("sku") or "").strip(),
            "barcode": str(codes.get("barcode") or "").replace(" ", "").strip(),
        }
    if unknown:
        msg = _("These cells are not in the lists of colours and sizes: %(cells)s.") % {"cells": ", ".join(unknown)}
        raise ValidationFailed(msg, fields={"cells": msg})
    return result


def _matrix_codes_validate(product: Product, cells: dict[tuple[str, str], dict[str, str]]) -> None:
    """Refuse malformed SKUs / barcodes and any used twice, in this matrix or by another product."""
    errors: dict[str, list[str]] = {"sku": [], "barcode": []}
    sku_max = ProductVariant._meta.get_field("sku").max_length
    by_code: dict[str, dict[str, list[str]]] = {"sku": {}, "barcode": {}}
    for (colour, size), codes in cells.items():
        label = _cell_label(colour, size)
        sku, barcode = codes["sku"], codes["barcode"]
        if len(sku) > sku_max:
            errors["sku"].append(_("%(cell)s: the SKU is longer than %(max)s characters.")
                                 % {"cell": label, "max": sku_max})
        if barcode and not gtin_is_valid(barcode):
            if barcode.isdigit() and len(barcode) in (8, 12, 13, 14):
                errors["barcode"].append(_("%(cell)s: the barcode %(code)s has a wrong check digit.")
                                         % {"cell": label, "code": barcode})
            else:
                errors["barcode"].append(_("%(cell)s: a barcode (EAN/UPC/GTIN) has 8, 12, 13 or 14 digits.")
                                         % {"cell": label})
        for kind, code in (("sku", sku), ("barcode", barcode)):
            if code:
                by_code[kind].setdefault(code, []).append(label)
    for kind, used in by_code.items():
        for code, labels in used.items():
            if len(labels) > 1:
                errors[kind].append(_("%(code)s is given to more than one cell: %(cells)s.")
                                    % {"code": code, "cells": ", ".join(labels)})
        if used:
            taken = (ProductVariant.objects.filter(**{f"{kind}__in": list(used)}).exclude(product=product)
                     .select_related("product").order_by(kind))
            for other in taken:
                errors[kind].append(_("%(code)s is already used by %(product)s %(cell)s.") % {
                    "code": getattr(other, kind), "product": other.product.code, "cell": other.cell_label})
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


def product_variants_set_matrix(
    *,
    actor: User,
    product_id: int,
    colours: Iterable[str],
    sizes: Iterable[str],
    cells: set[tuple[str, str]] | Mapping[tuple[str, str], Mapping[str, str]],
    expected_version: int | None,
) -> MatrixChange:
    """Make the product's variants exactly the ticked ``cells`` of the ``colours`` × ``sizes`` grid.

    ``cells`` is a set of (colour, size), or a dict of them to ``{"sku": …, "barcode": …}``.
    Cells no longer ticked are removed, new ones added, SKU/barcode of kept ones updated, all in
    one transaction; the product's version goes up by one and one event lists what changed.
    The order of ``colours`` and ``sizes`` is the order of the matrix's rows and columns.
    """
    require(actor, *PERMS_VARIANTS)
    colours, sizes = matrix_axes_validate(colours=colours, sizes=sizes)
    wanted = _matrix_cells(cells, colours, sizes)
    colour_pos = {c: i for i, c in enumerate(colours)}
    size_pos = {s: j for j, s in enumerate(sizes)}
    with transaction.atomic():
        product = locked_product(actor, product_id)
        check_version(product, expected_version)
        _matrix_codes_validate(product, wanted)
        existing = {(v.colour, v.size): v for v in product.variants.all()}
        existing_order = {v.pk: v.sort_order for v in existing.values()}
        removed = [v for cell, v in existing.items() if cell not in wanted]
        added, dirty, recoded, old_codes = [], [], [], {}
        reordered = False
        for (colour, size), codes in wanted.items():
            sort_order = colour_pos[colour] * MATRIX_STRIDE + size_pos[size]
            variant = existing.get((colour, size))
            if variant is None:
                added.append(ProductVariant(product=product, colour=colour, size=size, sort_order=sort_order,
                                            sku=codes["sku"], barcode=codes["barcode"]))
                continue
            if (variant.sku, variant.barcode) != (codes["sku"], codes["barcode"]):
                old_codes[variant.pk] = (variant.sku, variant.barcode)
                variant.sku, variant.barcode = codes["sku"], codes["barcode"]
                recoded.append(variant)
            if variant.sort_order != sort_order:
                variant.sort_order = sort_order
                reordered = True
            if variant.pk in old_codes or variant.sort_order != existing_order[variant.pk]:
                dirty.append(variant)
        change = MatrixChange(
            added=[v.cell_label for v in sorted(added, key=lambda v: v.sort_order)],
            removed=[v.cell_label for v in sorted(removed, key=lambda v: v.sort_order)],
            recoded=[v.cell_label for v in sorted(recoded, key=lambda v: v.sort_order)],
            reordered=reordered,
        )
        if not change:
            return change
        if removed:
            _refuse_removing_used(removed)
            ProductVariant.objects.filter(pk__in=[v.pk for v in removed]).delete()
        if recoded:
            # Free the old codes first, so two cells may swap their SKUs or barcodes.
            ProductVariant.objects.filter(pk__in=[v.pk for v in recoded]).update(sku="", barcode="")
        if dirty:
            ProductVariant.objects.bulk_update(dirty, ["sku", "barcode", "sort_order"], batch_size=500)
        if added:
            ProductVariant.objects.bulk_create(added, batch_size=500)
        product.version += 1
        product.save(update_fields=["version", "updated_at"])
        event_record(actor=actor, obj=product, verb=Event.Verb.UPDATED,
                     changes=_matrix_event_changes(change, recoded, old_codes),
                     **_matrix_event_kind(change))
    return change


def _refuse_removing_used(variants: list[ProductVariant]) -> None:
    """Refuse to remove variants that other records still point at (quotation lines, order
    cells …): they keep their history, so the cell must stay in the matrix."""
    collector = Collector(using=router.db_for_write(ProductVariant))
    try:
        collector.collect(variants)
    except (ProtectedError, RestrictedError) as exc:
        blocking = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    else:
        return
    by_pk = {v.pk: v for v in variants}
    used: dict[int, set[str]] = {}
    for obj in blocking:
        for f in obj._meta.concrete_fields:
            if f.is_relation and f.related_model is ProductVariant and getattr(obj, f.attname) in by_pk:
                used.setdefault(getattr(obj, f.attname), set()).add(str(obj._meta.verbose_name))
    cells = ", ".join(f"{by_pk[pk].cell_label} ({', '.join(sorted(names))})"
                      for pk, names in sorted(used.items(), key=lambda item: by_pk[item[0]].sort_order))
    msg = _("These cells are used elsewhere and cannot be removed: %(cells)s. Tick them again.") % {"cells": cells}
    raise ValidationFailed(msg, code=CatalogError.IN_USE, fields={"cells": msg})


def _matrix_event_kind(change: MatrixChange) -> dict:
    if not (change.added or change.removed or change.recoded):
        return {"kind": events.VARIANT_MATRIX_REORDERED}
    return {"kind": events.VARIANT_MATRIX_SAVED, "params": {
        "added": len(change.added), "removed": len(change.removed), "recoded": len(change.recoded)}}


def _matrix_event_changes(change: MatrixChange, recoded: list[ProductVariant], old_codes: dict) -> dict:
    """The matrix event's changes: cells removed (old) → added (new), then SKU and barcode changes."""
    changes: dict[str, dict[str, str]] = {}
    if change.added or change.removed:
        changes["variants"] = {"old": ", ".join(change.removed), "new": ", ".join(change.added)}
    for index, name in enumerate(("sku", "barcode")):
        moved = [(v.cell_label, old_codes[v.pk][index], getattr(v, name)) for v in recoded
                 if old_codes[v.pk][index] != getattr(v, name)]
        if moved:
            changes[f"variants.{name}"] = {
                "old": "; ".join(f"{cell}: {old}" for cell, old, _new in moved),
                "new": "; ".join(f"{cell}: {new}" for cell, _old, new in moved),
                "model": "catalog.productvariant",
            }
    return changes
