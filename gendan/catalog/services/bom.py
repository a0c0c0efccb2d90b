"""Bills of materials: components and packaging per unit of a product, with scrap %."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.catalog import events
from gendan.catalog.models import BomLine, Product
from gendan.catalog.selectors import product_queryset
from gendan.catalog.services.access import (
    PERM_BOM_ADD,
    PERM_BOM_CHANGE,
    PERM_BOM_DELETE,
    locked_product,
)
from gendan.catalog.services.values import fit_decimal
from gendan.core.errors import ValidationFailed
from gendan.core.events import event_record, field_value
from gendan.core.guards import require
from gendan.core.models import Event

BOM_FIELDS = ("component", "quantity", "scrap_percent", "note")


def _lock_bom_structure() -> None:
    """Serialise changes to the BOM graph, so two concurrent additions cannot close a loop that
    neither saw. SQLite's write transactions are already exclusive (IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('gendan.catalog.bom'))")


def bom_path(*, start_id: int, target_id: int) -> list[int] | None:
    """Return the product ids from ``start_id`` down to ``target_id`` following BOM lines
    (start uses … uses target), or ``None`` if start does not use target at any depth.

    Breadth first, one query per BOM level, so the path found is a shortest one.
    """
    parents: dict[int, int | None] = {start_id: None}
    frontier = [start_id]
    while frontier and target_id not in parents:
        next_frontier = []
        edges = BomLine.objects.filter(product_id__in=frontier).values_list("product_id", "component_id")
        for parent, child in edges:
            if child not in parents:
                parents[child] = parent
                next_frontier.append(child)
        frontier = next_frontier
    if target_id not in parents:
        return None
    path = [target_id]
    while parents[path[-1]] is not None:
        path.append(parents[path[-1]])
    return path[::-1]


def _decimal(name: str, value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return fit_decimal(BomLine, name, number) if number.is_finite() else None


def _bom_line_validate(line: BomLine, *, product: Product, component: Product | None,
                       kept_component_id: int | None = None) -> None:
    """Collect every refusal for ``line`` at once: quantity, scrap %, kind of component,
    the product itself, an inactive or already listed component, a loop at any depth.

    ``kept_component_id``: the line's component before an edit; it may stay even if inactive.
    """
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    quantity, scrap = line.quantity, line.scrap_percent
    if quantity is None or quantity <= 0:
        add("quantity", _("The quantity per unit must be a number greater than zero."))
    if scrap is None or not Decimal(0) <= scrap <= Decimal(100):
        add("scrap_percent", _("Scrap must be a number from 0 to 100 %."))
    if component is None:
        add("component", _("Choose the component."))
    elif component.pk == product.pk:
        add("component", _("A product cannot be a component of itself."))
    elif not component.can_be_component:
        add("component", _("%(code)s is a %(kind)s; a bill of materials takes components, packaging "
                           "and semi-finished items.") % {"code": component.code,
                                                          "kind": component.get_kind_display()})
    elif not component.is_active and component.pk != kept_component_id:
        add("component", _("%(code)s is inactive and cannot be added.") % {"code": component.code})
    elif BomLine.objects.filter(product=product, component=component).exclude(pk=line.pk).exists():
        add("component", _("%(code)s is already on this bill of materials; change its quantity instead.")
            % {"code": component.code})
    else:
        path = bom_path(start_id=component.pk, target_id=product.pk)
        if path is not None:
            codes = dict(Product.objects.filter(pk__in=path).values_list("pk", "code"))
            loop = " → ".join([product.code, *(codes[pk] for pk in path)])
            add("component", _("%(component)s cannot go into %(product)s: it already contains %(product)s, "
                               "which would make a loop (%(loop)s).")
                % {"component": component.code, "product": product.code, "loop": loop})
    if not errors:
        try:
            line.clean_fields(exclude=["product", "component", "sort_order"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    add(name, message)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


def _bom_component(actor: User, component: Product | int | None) -> Product | None:
    if component is None or component == "":
        return None
    pk = component.pk if isinstance(component, Product) else component
    try:
        return product_queryset(actor).select_related(None).filter(pk=pk).first()
    except (ValueError, TypeError):  # not an id at all
        return None


def _bom_snapshot(line: BomLine) -> dict[str, str]:
    return {name: field_value(line, name) for name in BOM_FIELDS}


def _bom_changes(before: dict[str, str], line: BomLine) -> dict[str, dict[str, str]]:
    return {
        f"bom.{name}": {"old": before.get(name, ""), "new": field_value(line, name), "model": "catalog.bomline"}
        for name in BOM_FIELDS if before.get(name, "") != field_value(line, name)
    }


def bom_line_add(
    *, actor: User, product_id: int, component: Product | int | None, quantity: Decimal | str,
    scrap_percent: Decimal | str = Decimal("0"), note: str = "",
) -> BomLine:
    """Put ``component`` on the product's bill of materials, ``quantity`` per unit of the product
    plus ``scrap_percent`` waste. Refused: quantity ≤ 0, scrap outside 0–100, the product itself,
    a finished product, a component already listed, or a loop (A uses B uses … A)."""
    require(actor, PERM_BOM_ADD)
    with transaction.atomic():
        product = locked_product(actor, product_id)
        _lock_bom_structure()
        comp = _bom_component(actor, component)
        line = BomLine(product=product, component=comp, quantity=_decimal("quantity", quantity),
                       scrap_percent=_decimal("scrap_percent", scrap_percent), note=(note or "").strip())
        _bom_line_validate(line, product=product, component=comp)
        last = product.bom_lines.order_by("-sort_order").values_list("sort_order", flat=True).first()
        line.sort_order = (last or 0) + 1
        line.save()
        event_record(actor=actor, obj=product, verb=Event.Verb.UPDATED, changes=_bom_changes({}, line),
                     kind=events.BOM_LINE_ADDED, params={"code": comp.code})
    return line


def bom_line_update(
    *, actor: User, product_id: int, line_id: int, data: Mapping[str, Any]
) -> tuple[BomLine, dict]:
    """Change a BOM line's component, quantity, scrap % or note, with the same rules as adding it."""
    require(actor, PERM_BOM_CHANGE)
    unknown = set(data) - set(BOM_FIELDS)
    if unknown:
        raise TypeError(f"Not BOM line fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        product = locked_product(actor, product_id)
        _lock_bom_structure()
        line = _bom_line_of(product, line_id)
        before = _bom_snapshot(line)
        kept_component_id = line.component_id
        comp = line.component
        if "component" in data:
            comp = _bom_component(actor, data["component"])
            line.component = comp
        for name in ("quantity", "scrap_percent"):
            if name in data:
                setattr(line, name, _decimal(name, data[name]))
        if "note" in data:
            line.note = (data["note"] or "").strip()
        _bom_line_validate(line, product=product, component=comp, kept_component_id=kept_component_id)
        changes = _bom_changes(before, line)
        if not changes:
            return line, {}
        line.save()
        event_record(actor=actor, obj=product, verb=Event.Verb.UPDATED, changes=changes,
                     kind=events.BOM_LINE_EDITED, params={"code": comp.code})
    return line, changes


def bom_line_remove(*, actor: User, product_id: int, line_id: int) -> None:
    """Take a line off the product's bill of materials (the component itself stays)."""
    require(actor, PERM_BOM_DELETE)
    with transaction.atomic():
        product = locked_product(actor, product_id)
        line = _bom_line_of(product, line_id)
        before = _bom_snapshot(line)
        code = line.component.code
        line.delete()
        changes = {f"bom.{name}": {"old": old, "new": "", "model": "catalog.bomline"}
                   for name, old in before.items() if old}
        event_record(actor=actor, obj=product, verb=Event.Verb.UPDATED, changes=changes,
                     kind=events.BOM_LINE_REMOVED, params={"code": code})


def _bom_line_of(product: Product, line_id: int) -> BomLine:
    try:
        return product.bom_lines.select_related("component").get(pk=line_id)
    except (BomLine.DoesNotExist, ValueError, TypeError):
        raise Http404("No such BOM line.") from None
