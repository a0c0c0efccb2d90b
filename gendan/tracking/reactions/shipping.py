"""What the T&A does when goods ship (``shipping.events``), in the same transaction: the
first shipment fixes ETD / ETA, so the milestones after shipment are re-planned from the real
dates; "ex-factory" and "ETD" are completed, linked to the shipment's row on the order."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.core.domain_events import subscribe
from gendan.shipping.events import Shipped
from gendan.tracking.hooks import Milestone, milestone_reached
from gendan.tracking.services.plans import plan_replan


def on_shipped(event: Shipped) -> None:
    order, shipment = event.order, event.shipment
    plan_replan(order=order, actor=event.actor, reason=_("shipment %(no)s") % {"no": shipment.number})
    milestone_reached(order=order, key=Milestone.EX_FACTORY, actor=event.actor, event=event.record,
                      on=shipment.shipped_on)
    milestone_reached(order=order, key=Milestone.ETD, actor=event.actor, event=event.record,
                      on=shipment.etd or shipment.shipped_on)


subscribe(Shipped, on_shipped)
