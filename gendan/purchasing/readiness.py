"""The materials of production orders as the production schedule needs them: how many are
still open, the latest ETA among them, how many have none (``production.materials``)."""

from __future__ import annotations

from django.db.models import Count, Max, Q

from gendan.production.materials import MaterialsDue
from gendan.purchasing.models import MaterialRequirement

R = MaterialRequirement.Status


def materials_due(production_order_ids: list[int]) -> dict[int, MaterialsDue]:
    rows = (MaterialRequirement.objects.filter(production_order_id__in=production_order_ids)
            .exclude(status=R.RECEIVED).values("production_order_id")
            .annotate(n=Count("id"), latest=Max("eta"), missing=Count("id", filter=Q(eta__isnull=True))))
    return {r["production_order_id"]: MaterialsDue(r["n"], r["latest"], r["missing"]) for r in rows}
