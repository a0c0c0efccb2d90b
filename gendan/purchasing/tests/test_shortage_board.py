"""Issue 11: material shortages reach the chase board of the purchaser and the merchandiser."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.purchasing.models import MaterialRequirement
from gendan.tracking.selectors import board_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _shortages(user):
    return [i for i in board_for(user=user).export_items if i.kind == "material_shortage"]


def test_a_late_eta_is_on_the_purchasers_and_the_merchandisers_board(derived):
    w = derived
    need = TODAY() + dt.timedelta(days=10)
    MaterialRequirement.objects.filter(pk=w.body_req.pk).update(need_date=need, eta=need + dt.timedelta(days=4),
                                                                purchaser=w.buyer)
    MaterialRequirement.objects.filter(pk=w.switch_req.pk).update(need_date=need + dt.timedelta(days=20),
                                                                  eta=need + dt.timedelta(days=5))
    buyer, merch = _shortages(w.buyer), _shortages(w.merch)
    assert len(buyer) == 1 and len(merch) == 1  # one row per production order
    item = buyer[0]
    assert item.label == f"1 material short for {w.production_order.number}" and item.late
    assert item.due == need and item.order == w.production_order.sales_order
    assert f"latest ETA {(need + dt.timedelta(days=4)).isoformat()}" in item.detail
    assert _shortages(w.qc) == [] and _shortages(w.sales) == []

    MaterialRequirement.objects.filter(pk=w.body_req.pk).update(eta=need - dt.timedelta(days=1))
    assert _shortages(w.buyer) == [] and _shortages(w.merch) == []  # the supplier moved the ETA forward
