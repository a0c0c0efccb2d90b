"""Daily progress rules: forwards only (a correction needs a reason), never above the ordered
quantity, no future dates or dates before the production order; the last stage is the produced quantity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.errors import ValidationFailed
from gendan.core.models import Event
from gendan.planning.models import ProgressEntry
from gendan.planning.services.progress import ProgressInput, progress_save

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

TODAY = timezone.localdate


def _save(actor, line, stage, qty, *, days_ago=0, reason="", finish=None):
    return progress_save(actor=actor, entries=[ProgressInput(
        line_id=line.pk, stage=stage, date=TODAY() - dt.timedelta(days=days_ago), cumulative_quantity=qty,
        reason=reason, expected_finish=finish)])


def test_progress_goes_forwards_and_a_correction_needs_a_reason(people, mug_line):
    _save(people.planner, mug_line, "cutting", "300", days_ago=2)
    _save(people.planner, mug_line, "cutting", "500", days_ago=1)
    with pytest.raises(ValidationFailed, match="can't go backwards: 400 is below the 500"):
        _save(people.planner, mug_line, "cutting", "400")
    assert not ProgressEntry.objects.filter(date=TODAY()).exists()
    _save(people.planner, mug_line, "cutting", "400", reason="Recount: 100 cut pieces were scrap")
    entry = ProgressEntry.objects.get(date=TODAY())
    assert entry.cumulative_quantity == Decimal("400") and entry.correction_reason.startswith("Recount")


@pytest.mark.parametrize(("qty", "days_ago", "message"), [
    ("1001", 0, "more than the 1000 ordered"),
    ("-5", 0, "may not be negative"),
    ("abc", 0, "as a number"),
    ("10", -1, "is in the future"),
    ("10", 30, "before production order"),
])
def test_refused_entries_save_nothing(people, mug_line, qty, days_ago, message):
    with pytest.raises(ValidationFailed, match=message):
        _save(people.planner, mug_line, "cutting", qty, days_ago=days_ago)
    assert ProgressEntry.objects.count() == 0


def test_an_unknown_stage_is_refused(people, mug_line):
    with pytest.raises(ValidationFailed, match="is not a stage of this product"):
        _save(people.planner, mug_line, "welding", "10")


def test_the_last_stage_is_the_produced_quantity(people, mug_line):
    _save(people.planner, mug_line, "assembly", "800")
    mug_line.refresh_from_db()
    assert mug_line.produced_quantity == 0
    _save(people.planner, mug_line, "packing", "600", finish=TODAY() + dt.timedelta(days=5))
    mug_line.refresh_from_db()
    assert mug_line.produced_quantity == Decimal("600")
    order_events = Event.objects.filter(object_id=mug_line.production_order.sales_order_id,
                                        content_type__model="salesorder", changes__has_key="produced_quantity")
    assert order_events.count() == 1


def test_the_same_entry_twice_changes_nothing(people, mug_line):
    first = _save(people.planner, mug_line, "packing", "100")
    again = _save(people.planner, mug_line, "packing", "100")
    assert len(first.saved) == 1 and again.saved == [] and again.unchanged == 1
    assert ProgressEntry.objects.count() == 1


def test_a_category_with_its_own_stages_uses_them(people, production_order, mug_line):
    from gendan.catalog.models import Product, ProductCategory
    from gendan.planning.models import StageDefinition

    category = ProductCategory.objects.create(code="ceramics", name_zh="陶瓷", name_en="Ceramics")
    StageDefinition.objects.bulk_create([
        StageDefinition(category=category, code="forming", name_zh="成型", name_en="forming", sequence=1),
        StageDefinition(category=category, code="glazing", name_zh="上釉", name_en="glazing", sequence=2),
        StageDefinition(category=category, code="firing", name_zh="烧制", name_en="firing", sequence=3)])
    from gendan.sales.models import SalesOrderLine

    product = Product.objects.create(code="MUG-350", name_en="Ceramic mug 350 ml", category=category)
    SalesOrderLine.objects.filter(pk=mug_line.order_line_id).update(product=product)  # given: a catalogue product
    with pytest.raises(ValidationFailed, match="its stages are forming, glazing, firing"):
        _save(people.planner, mug_line, "packing", "10")
    _save(people.planner, mug_line, "firing", "10")
    mug_line.refresh_from_db()
    assert mug_line.produced_quantity == Decimal("10")


def test_only_planners_record_progress(people, mug_line):
    from gendan.core.errors import NotAllowed

    for user in (people.merch, people.qc, people.sales):
        with pytest.raises(NotAllowed):
            _save(user, mug_line, "cutting", "10")
    assert ProgressEntry.objects.count() == 0
    _save(people.manager, mug_line, "cutting", "10")
    assert ProgressEntry.objects.count() == 1


def test_the_expected_finish_becomes_the_production_finished_forecast(people, production_order, mug_line):
    from gendan.tracking.models import OrderMilestone

    milestone = OrderMilestone.objects.filter(order=production_order.sales_order, key="production_finished").first()
    if milestone is None:
        pytest.skip("no T&A plan with a production_finished milestone for this order")
    finish = TODAY() + dt.timedelta(days=11)
    _save(people.planner, mug_line, "assembly", "300", finish=finish)
    milestone.refresh_from_db()
    assert milestone.expected_date == finish
