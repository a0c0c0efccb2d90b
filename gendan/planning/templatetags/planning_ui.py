"""Template helpers of the planning pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def cell(context, row, stage_code: str) -> dict | None:
    """The progress grid cell of ``row`` for ``stage_code`` (None: not a stage of that line)."""
    for item in row.cells:
        if item["stage"].code == stage_code:
            key = f"{row.line.pk}-{stage_code}"
            posted = context.get("posted") or {}
            return {**item, "error": (context.get("errors") or {}).get(key),
                    "posted": posted.get(f"q-{key}") if posted else None}
    return None
