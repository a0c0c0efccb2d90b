"""Production stages per product category are kept on a page by managers and planners (issue 11)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from gendan.catalog.models import ProductCategory
from gendan.core.events import timeline_for
from gendan.planning.models import ProgressEntry, StageDefinition
from gendan.planning.stages import stages_by_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return ProductCategory.objects.create(code="lamps", name_zh="灯具", name_en="Lamps")


def test_a_planner_gives_a_category_its_own_stages_and_edits_them(make_user, client_for, category):
    planner = make_user("production_planner")
    page = client_for(planner)
    url = reverse("planning:stage_category", args=[category.pk])
    overview = page.get(reverse("planning:stages")).content.decode()
    assert "裁剪" in overview and url in overview  # the default set, in the planner's language
    assert page.post(url, {"start_default": "1"}).status_code == 302
    assert [s.code for s in stages_by_category([category.pk])[category.pk]] == [
        "cutting", "assembly", "painting", "packing"]
    added = page.post(url, {"add": "1", "add-code": "wiring", "add-name_zh": "接线", "add-name_en": "wiring",
                            "add-sequence": "25"})
    assert added.status_code == 302
    wiring = StageDefinition.objects.get(category=category, code="wiring")
    moved = page.post(url, {"change": "1", "stage": wiring.pk, f"s{wiring.pk}-name_zh": "布线",
                            f"s{wiring.pk}-name_en": "wiring", f"s{wiring.pk}-sequence": "15"})
    assert moved.status_code == 302
    assert [s.code for s in stages_by_category([category.pk])[category.pk]] == [
        "cutting", "wiring", "assembly", "painting", "packing"]
    events = timeline_for(category, limit=10)
    assert events[0].actor == planner and events[0].changes["name_zh"] == {"old": "接线", "new": "布线"}
    duplicate = page.post(url, {"add": "1", "add-code": "wiring", "add-name_zh": "接线", "add-name_en": "wiring"})
    assert duplicate.status_code == 400 and "已有工序 wiring" in duplicate.content.decode()
    empty_name = page.post(url, {"change": "1", "stage": wiring.pk, f"s{wiring.pk}-name_zh": "",
                                 f"s{wiring.pk}-name_en": "wiring", f"s{wiring.pk}-sequence": "15"})
    assert empty_name.status_code == 400
    assert StageDefinition.objects.get(pk=wiring.pk).name_zh == "布线"


def test_a_stage_with_progress_stays(make_user, client_for, people, production_order):
    from gendan.catalog.models import Product

    line = production_order.lines.select_related("order_line").first()
    category = ProductCategory.objects.create(code="mugs", name_zh="杯子", name_en="Mugs")
    line.order_line.product = Product.objects.create(code="MUG-1", name_en="Mug", name_zh="杯", category=category)
    line.order_line.save(update_fields=["product"])
    stage = StageDefinition.objects.create(category=category, code="glazing", name_zh="上釉", name_en="glazing")
    spare = StageDefinition.objects.create(category=category, code="spare", name_zh="备用", name_en="spare")
    ProgressEntry.objects.create(line=line, production_order=production_order, stage="glazing",
                                 date=dt.date(2026, 3, 10), cumulative_quantity=Decimal("10"), recorded_by=people.planner)
    page = client_for(make_user("manager"))
    refused = page.post(reverse("planning:stage_delete", args=[stage.pk]), follow=True)
    assert "已记录过 1 次进度" in refused.content.decode() and StageDefinition.objects.filter(pk=stage.pk)
    page.post(reverse("planning:stage_delete", args=[spare.pk]))
    assert not StageDefinition.objects.filter(pk=spare.pk).exists()


def test_who_may_edit_the_stages(make_user, client_for, category):
    stage = StageDefinition.objects.create(category=category, code="cutting", name_zh="裁剪", name_en="cutting")
    url = reverse("planning:stage_category", args=[category.pk])
    merch = client_for(make_user("merchandiser"))
    assert merch.get(url).status_code == 200  # sees them
    assert merch.post(url, {"add": "1", "add-code": "x", "add-name_zh": "某", "add-name_en": "x"}).status_code == 403
    assert merch.post(reverse("planning:stage_delete", args=[stage.pk])).status_code == 403
    for role in ("sales", "finance"):
        assert client_for(make_user(role)).get(url).status_code == 403
    assert StageDefinition.objects.filter(category=category).count() == 1
