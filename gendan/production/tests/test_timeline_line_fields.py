"""A production order's timeline names the changed line field as people read it: "第 1 行 单位成本",
not ``line 1 unit_cost``."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from gendan.core.events import change_rows
from gendan.core.models import Event
from gendan.production.models import ProductionOrder, ProductionOrderLine
from gendan.purchasing.models import PurchaseOrder

pytestmark = pytest.mark.django_db


def _rows(model, changes):
    return change_rows(Event(content_type=ContentType.objects.get_for_model(model), changes=changes))


def test_a_line_field_change_shows_the_line_and_the_field_label():
    with translation.override("zh-hans"):
        rows = _rows(ProductionOrder, {"line 1 unit_cost": {"old": "", "new": "2.60"}})
        label = str(ProductionOrderLine._meta.get_field("unit_cost").verbose_name)
        assert rows == [{"field": f"{translation.gettext('line %(n)d') % {'n': 1}} {label}", "old": "", "new": "2.60"}]
        assert "unit_cost" not in rows[0]["field"] and "line" not in rows[0]["field"]


def test_a_purchase_line_eta_change_is_named_too():
    with translation.override("en"):
        rows = _rows(PurchaseOrder, {"line 3.eta": {"old": "2026-03-01", "new": "2026-03-09"}})
    assert rows[0]["field"].startswith("line 3 ") and rows[0]["field"].split()[-1] != "eta"
