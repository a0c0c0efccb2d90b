"""The production stages of a product category, or the default set when it has none."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import get_language

from gendan.planning.models import DEFAULT_STAGES, StageDefinition


@dataclass(frozen=True)
class Stage:
    code: str
    name_zh: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en


DEFAULT = [Stage(code, zh, en) for code, zh, en in DEFAULT_STAGES]


def stages_by_category(category_ids: Iterable[int | None]) -> dict[int | None, list[Stage]]:
    """Return the stages of each category id (``None``: no category → the default set), in one query."""
    wanted = {pk for pk in category_ids if pk is not None}
    found: dict[int | None, list[Stage]] = {}
    for row in StageDefinition.objects.filter(category_id__in=wanted).order_by("category_id", "sequence", "pk"):
        found.setdefault(row.category_id, []).append(Stage(row.code, row.name_zh, row.name_en))
    return {pk: found.get(pk, DEFAULT) for pk in [*wanted, None]}


def line_category_id(line) -> int | None:
    """The product category of a production order line (via its sales order line's product)."""
    product = getattr(line.order_line, "product", None)
    return product.category_id if product is not None else None
