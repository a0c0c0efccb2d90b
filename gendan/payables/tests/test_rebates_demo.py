"""The demo's tax rebates: bounded, most received, a few blocked by a missing VAT invoice (on the
blocked list), amounts that agree with the formula; commissions and profit estimates."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from gendan.payables.models import OrderCost, ProfitEstimate, TaxRebate
from gendan.payables.selectors.rebates import rebates_compute

pytestmark = pytest.mark.django_db


def test_demo_rebates():
    out = io.StringIO()
    call_command("seed_demo", orders=200, customers=20, products=20, seed=2611, stdout=out)
    rebates = list(TaxRebate.objects.select_related("shipment"))
    assert 0 < len(rebates) <= 60
    statuses = [r.status for r in rebates]
    assert statuses.count("waiting") >= 1
    assert statuses.count("received") >= statuses.count("waiting")
    assert all(len(r.declaration_no) == 18 and r.declaration_no.isdigit() for r in rebates)
    comps = rebates_compute([r.shipment_id for r in rebates], rebate_of={r.shipment_id: r.pk for r in rebates})
    for r in rebates:
        if r.status in ("waiting", "ready"):
            assert comps[r.shipment_id].expected == r.expected_amount
        assert (r.status == "waiting") == bool(comps[r.shipment_id].missing)
    assert OrderCost.objects.filter(kind="commission").exists()
    assert ProfitEstimate.objects.exists()
