"""Material requirements: derived from the BOM with scrap, idempotent, following changes, and
the BOM / ETA / materials-in follow-up of the order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.catalog.models import BomLine
from gendan.core.errors import BusinessError, ConflictError, NotAllowed, ValidationFailed
from gendan.core.events import timeline_for
from gendan.production.models import ProductionOrderLine
from gendan.purchasing.models import BomConfirmation, MaterialRequirement
from gendan.purchasing.services.requirements import (
    bom_confirm,
    need_date_for,
    requirement_update,
    requirements_derive,
)

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
R = MaterialRequirement.Status


def test_confirming_the_bom_derives_one_requirement_per_component_with_scrap(derived):
    w = derived
    # 1 000 kettles × 0.35 kg × 1.03 scrap = 360.5 kg; 1 000 × 1 switch × 1.005 = 1 005 pcs
    assert w.body_req.required_quantity == Decimal("360.500")
    assert w.body_req.unit == "kg"
    assert w.switch_req.required_quantity == Decimal("1005")
    # needed when production starts: due date − 1 000 ÷ 200 a day = 5 days
    assert w.body_req.need_date == w.production_order.due_date - dt.timedelta(days=5)
    assert w.body_req.status == R.OPEN and w.body_req.eta is None
    assert BomConfirmation.objects.filter(production_order=w.production_order, confirmed_by=w.merch).exists()
    messages = [e.text for e in timeline_for(w.order)]
    assert any("BOM of" in m and "confirmed" in m for m in messages)
    assert any("+ABS-01 360.500" in m for m in messages)


def test_counted_units_are_rounded_up_to_whole_pieces(released):
    w = released
    line = BomLine.objects.get(product=w.kettle, component=w.switch)
    line.scrap_percent = Decimal("0.33")  # 1 003.3 switches → 1 004
    line.save()
    bom_confirm(actor=w.planner, production_order_id=w.production_order.pk)
    assert w.production_order.material_requirements.get(component=w.switch).required_quantity == Decimal("1004")


def test_deriving_again_changes_nothing(derived):
    w = derived
    before = list(MaterialRequirement.objects.values_list("pk", "required_quantity", "version"))
    events = timeline_for(w.order).count()
    requirements_derive(actor=w.buyer, production_order=w.production_order)
    assert list(MaterialRequirement.objects.values_list("pk", "required_quantity", "version")) == before
    assert timeline_for(w.order).count() == events


def test_deriving_after_a_change_updates_quantities_and_keeps_eta_and_receipts(derived):
    w = derived
    requirement_update(actor=w.buyer, requirement_id=w.switch_req.pk, expected_version=w.switch_req.version,
                       supplier=w.plastics, eta=timezone.localdate() + dt.timedelta(days=10))
    ProductionOrderLine.objects.filter(production_order=w.production_order).update(quantity=Decimal("1200"))
    requirements_derive(actor=w.buyer, production_order=w.production_order)
    switch = MaterialRequirement.objects.get(pk=w.switch_req.pk)
    assert switch.required_quantity == Decimal("1206")  # 1 200 × 1.005
    assert switch.eta == timezone.localdate() + dt.timedelta(days=10)
    assert switch.supplier == w.plastics
    assert MaterialRequirement.objects.get(pk=w.body_req.pk).required_quantity == Decimal("432.600")


def test_a_component_dropped_from_the_bom_is_deleted_unless_something_was_received(derived):
    from gendan.purchasing.services.orders import purchase_order_create, purchase_order_send
    from gendan.purchasing.services.receipts import goods_receive

    w = derived
    po = purchase_order_create(actor=w.buyer, supplier=w.plastics, currency="CNY", lines=[
        {"material": w.body, "quantity": "100", "unit_price": "14.2", "eta": None}])
    purchase_order_send(actor=w.buyer, purchase_order_id=po.pk)
    goods_receive(actor=w.buyer, purchase_order_id=po.pk, received_on=timezone.localdate(),
                  quantities={po.lines.get().pk: "100"})
    BomLine.objects.filter(product=w.kettle).delete()
    requirements_derive(actor=w.buyer, production_order=w.production_order)
    assert not MaterialRequirement.objects.filter(pk=w.switch_req.pk).exists()
    body = MaterialRequirement.objects.get(pk=w.body_req.pk)
    assert body.received_quantity == Decimal("100")
    assert body.required_quantity == 0
    assert "No longer in the BOM" in body.flag


def test_bom_cannot_be_confirmed_twice_nor_by_purchasing_or_sales(derived):
    w = derived
    with pytest.raises(BusinessError, match="already confirmed") as refused:
        bom_confirm(actor=w.merch, production_order_id=w.production_order.pk)
    assert refused.value.status == 409
    for user in (w.buyer, w.sales, w.qc):
        with pytest.raises(NotAllowed):
            bom_confirm(actor=user, production_order_id=w.production_order.pk)
    assert BomConfirmation.objects.count() == 1


def test_bom_confirm_refused_when_no_product_has_a_bom(released):
    w = released
    BomLine.objects.all().delete()
    with pytest.raises(BusinessError, match="BOM rule") as refused:
        bom_confirm(actor=w.merch, production_order_id=w.production_order.pk)
    assert refused.value.code == "no_bom" and refused.value.status == 409
    assert not BomConfirmation.objects.exists() and not MaterialRequirement.objects.exists()


def test_only_purchasing_sets_supplier_and_eta(derived):
    w = derived
    for user in (w.merch, w.planner, w.sales):
        with pytest.raises(NotAllowed):
            requirement_update(actor=user, requirement_id=w.body_req.pk, expected_version=None, supplier=w.plastics,
                               eta=timezone.localdate())
    assert MaterialRequirement.objects.get(pk=w.body_req.pk).supplier is None


def test_requirement_update_refuses_stale_version_and_wrong_supplier(derived):
    w = derived
    requirement_update(actor=w.buyer, requirement_id=w.body_req.pk, expected_version=w.body_req.version,
                       supplier=w.plastics, eta=timezone.localdate() + dt.timedelta(days=5))
    with pytest.raises(ConflictError):
        requirement_update(actor=w.buyer, requirement_id=w.body_req.pk, expected_version=w.body_req.version,
                           supplier=w.cartons, eta=None)
    with pytest.raises(ValidationFailed, match="material supplier"):
        requirement_update(actor=w.buyer, requirement_id=w.body_req.pk, expected_version=None, supplier=w.factory,
                           eta=None)
    body = MaterialRequirement.objects.get(pk=w.body_req.pk)
    assert body.supplier == w.plastics and body.eta == timezone.localdate() + dt.timedelta(days=5)


def test_an_eta_after_the_need_date_makes_the_requirement_short_and_shows_who_to_chase(derived):
    from gendan.purchasing.selectors import chase_phone, shortage_q, with_supplier_contacts

    w = derived
    late = w.body_req.need_date + dt.timedelta(days=4)
    requirement_update(actor=w.buyer, requirement_id=w.body_req.pk, expected_version=None, supplier=w.plastics,
                       eta=late)
    requirement_update(actor=w.buyer, requirement_id=w.switch_req.pk, expected_version=None, supplier=w.plastics,
                       eta=w.switch_req.need_date - dt.timedelta(days=3))
    short = list(with_supplier_contacts(MaterialRequirement.objects.filter(shortage_q())))
    assert [r.component for r in short] == [w.body]
    assert short[0].shortage_reason() == "ETA after the need date"
    assert chase_phone(short[0]) == "王经理 13800138000"
    assert short[0].purchaser == w.buyer
    # The order's timeline says which material and supplier moved
    assert any("ABS-01" in e.text and "MAT1" in e.text for e in timeline_for(w.order))


def test_an_eta_that_passed_without_the_goods_is_short(derived):
    from gendan.purchasing.selectors import shortage_q

    w = derived
    MaterialRequirement.objects.filter(pk=w.switch_req.pk).update(eta=timezone.localdate() - dt.timedelta(days=1))
    assert list(MaterialRequirement.objects.filter(shortage_q()).values_list("pk", flat=True)) == [w.switch_req.pk]


def test_need_date_uses_the_default_production_days_without_capacity(released):
    w = released
    w.factory.daily_capacity = None
    w.factory.save()
    w.production_order.refresh_from_db()
    assert need_date_for(w.production_order) == w.production_order.due_date - dt.timedelta(days=10)


def test_requirements_come_only_from_a_confirmed_bom(released):
    w = released
    with pytest.raises(BusinessError, match="confirm the BOM") as refused:
        requirements_derive(actor=w.buyer, production_order=w.production_order)
    assert refused.value.code == "bom_not_confirmed" and refused.value.status == 409
    assert not MaterialRequirement.objects.exists()
