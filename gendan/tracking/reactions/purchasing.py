"""What the T&A does when purchasing confirms a BOM or learns where an order's materials stand:
"BOM confirmed", "material ETAs confirmed" and "materials in" complete, or "materials in"
gets its forecast (``tracking.hooks``), in the same transaction."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.domain_events import subscribe
from gendan.purchasing.events import BomConfirmed, MaterialEtasConfirmed, MaterialsExpected, MaterialsReceived
from gendan.tracking.hooks import Milestone, milestone_forecast, milestone_reached


def on_bom_confirmed(event: BomConfirmed) -> None:
    """The last BOM of the order confirmed: "BOM confirmed" is done, linked to the event's row."""
    if event.all_confirmed:
        milestone_reached(order=event.order, key=Milestone.BOM_CONFIRMED, actor=event.actor, event=event.record,
                          on=timezone.localdate())


def on_material_etas_confirmed(event: MaterialEtasConfirmed) -> None:
    milestone_reached(order=event.order, key=Milestone.MATERIAL_ETAS_CONFIRMED, actor=event.actor)


def on_materials_received(event: MaterialsReceived) -> None:
    milestone_reached(order=event.order, key=Milestone.MATERIALS_IN, actor=event.actor, on=event.on)


def on_materials_expected(event: MaterialsExpected) -> None:
    """The latest ETA of what is missing is the forecast of "materials in"."""
    requirement = event.requirement
    milestone_forecast(order=event.order, key=Milestone.MATERIALS_IN, actor=event.actor, on=event.on, reason=_(
        "Material %(material)s from %(supplier)s, ETA %(eta)s (needed by %(need)s)") % {
        "material": str(requirement.component), "supplier": str(requirement.supplier or _("no supplier yet")),
        "eta": requirement.eta, "need": requirement.need_date})


subscribe(BomConfirmed, on_bom_confirmed)
subscribe(MaterialEtasConfirmed, on_material_etas_confirmed)
subscribe(MaterialsReceived, on_materials_received)
subscribe(MaterialsExpected, on_materials_expected)
