"""The sales order's "ship" page (``sales/orders/<id>/ship/``): date, B/L, vessel, ETD / ETA and
the quantity per line; ``order_ship`` decides."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from gendan.sales.views.order_actions import order_action_page
from gendan.shipping.forms import ShipForm
from gendan.shipping.services import order_ship


@login_required
def order_ship_page(request, pk: int):
    def call(order, form):
        data = form.cleaned_data
        return order_ship(
            actor=request.user, order_id=order.pk, shipped_on=data["shipped_on"],
            quantities={k: v for k, v in form.quantities().items() if v}, bl_no=data.get("bl_no", ""),
            vessel_voyage=data.get("vessel_voyage", ""), etd=data.get("etd"), eta=data.get("eta"),
            notes=data.get("notes", ""), expected_version=data.get("version"))

    return order_action_page(request, pk, perm="sales.ship_salesorder",
                             form_factory=lambda order, data: ShipForm(data, order=order),
                             call=call, template="shipping/order_ship.html", success=_("Shipment recorded."))
