"""The order's T&A plan follows the materials: BOM confirmed, every ETA known, the latest ETA
as the "materials in" forecast (a late one puts the order at risk), everything received."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.purchasing.services.orders import purchase_order_create, purchase_order_send
from gendan.purchasing.services.receipts import goods_receive
from gendan.purchasing.services.requirements import requirement_update
from gendan.tracking.hooks import Milestone

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _milestone(order, key):
    from gendan.tracking.models import OrderMilestone

    return OrderMilestone.objects.get(order=order, key=key)


def test_bom_confirmation_completes_the_bom_milestone(derived):
    milestone = _milestone(derived.order, Milestone.BOM_CONFIRMED)
    assert milestone.status == "done" and milestone.actual_date == timezone.localdate()


def test_every_eta_known_confirms_the_etas_and_forecasts_materials_in_at_the_latest(derived):
    w = derived
    first = timezone.localdate() + dt.timedelta(days=5)
    requirement_update(actor=w.buyer, requirement_id=w.body_req.pk, expected_version=None, supplier=w.plastics,
                       eta=first)
    assert _milestone(w.order, Milestone.MATERIAL_ETAS_CONFIRMED).status == "open"  # the switch has no ETA yet
    latest = w.switch_req.need_date + dt.timedelta(days=6)  # after the need date: late
    requirement_update(actor=w.buyer, requirement_id=w.switch_req.pk, expected_version=None, supplier=w.cartons,
                       eta=latest)
    assert _milestone(w.order, Milestone.MATERIAL_ETAS_CONFIRMED).status == "done"
    materials_in = _milestone(w.order, Milestone.MATERIALS_IN)
    assert materials_in.forecast_date == latest
    assert materials_in.forecast_date > materials_in.planned_date
    w.order.plan.refresh_from_db()
    assert w.order.plan.risk != "on_track"


def test_everything_received_completes_materials_in(derived):
    w = derived
    po = purchase_order_create(actor=w.buyer, supplier=w.plastics, currency="CNY", lines=[
        {"material": w.body, "quantity": "360.5", "unit_price": "14", "eta": timezone.localdate()},
        {"material": w.switch, "quantity": "1005", "unit_price": "1", "eta": timezone.localdate()}])
    purchase_order_send(actor=w.buyer, purchase_order_id=po.pk)
    body, switch = po.lines.order_by("line_no")
    goods_receive(actor=w.buyer, purchase_order_id=po.pk, received_on=timezone.localdate(),
                  quantities={body.pk: "360.5"})
    assert _milestone(w.order, Milestone.MATERIALS_IN).status == "open"
    goods_receive(actor=w.buyer, purchase_order_id=po.pk, received_on=timezone.localdate(),
                  quantities={switch.pk: "1005"})
    milestone = _milestone(w.order, Milestone.MATERIALS_IN)
    assert milestone.status == "done" and milestone.actual_date == timezone.localdate()
