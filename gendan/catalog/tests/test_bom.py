"""Bills of materials: components and packaging per unit, scrap, and no loops at any depth."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.catalog.models import BomLine
from gendan.catalog.services import bom_line_add, bom_line_remove, bom_line_update, bom_path
from gendan.catalog.tests.factories import (
    BomLineFactory,
    ComponentFactory,
    PackagingFactory,
    ProductFactory,
    SemiFinishedFactory,
)
from gendan.core.errors import NotAllowed, ValidationFailed
from gendan.core.models import Event

pytestmark = pytest.mark.django_db


def product_events(product):
    return Event.objects.filter(object_id=product.pk, content_type__model="product")


class TestAdd:
    def test_a_component_is_added_per_unit_with_its_scrap(self, merchandiser):
        kettle = ProductFactory(code="EK-1")
        abs_resin = ComponentFactory(code="MT-ABS")
        line = bom_line_add(actor=merchandiser, product_id=kettle.pk, component=abs_resin.pk,
                            quantity="0.35", scrap_percent="3", note="housing")

        line.refresh_from_db()
        assert (line.component, line.quantity, line.scrap_percent) == (abs_resin, Decimal("0.35"), Decimal("3"))
        assert line.gross_quantity == Decimal("0.3605")  # 0.35 × 1.03
        event = product_events(kettle).get()
        assert event.text == "BOM line added: MT-ABS"
        assert event.changes["bom.quantity"] == {"old": "", "new": "0.35", "model": "catalog.bomline"}

    @pytest.mark.parametrize(
        ("quantity", "scrap", "gross"),
        [("2", "5", "2.1000"), ("0.1667", "0", "0.1667"), ("0.1667", "3", "0.1717"), ("1", "100", "2.0000")],
    )
    def test_gross_quantity_includes_scrap(self, merchandiser, quantity, scrap, gross):
        kettle = ProductFactory()
        line = bom_line_add(actor=merchandiser, product_id=kettle.pk, component=PackagingFactory(),
                            quantity=quantity, scrap_percent=scrap)
        assert line.gross_quantity == Decimal(gross)

    def test_lines_keep_the_order_they_were_added_in(self, merchandiser):
        kettle = ProductFactory()
        codes = ["PK-CTN", "PK-BOX", "MT-ABS"]
        for code in codes:
            bom_line_add(actor=merchandiser, product_id=kettle.pk, component=PackagingFactory(code=code), quantity=1)
        assert [line.component.code for line in kettle.bom_lines.order_by("sort_order")] == codes


class TestRefused:
    @pytest.fixture
    def kettle(self):
        return ProductFactory(code="EK-1")

    def refused(self, actor, product, field, message, **kwargs):
        """Adding is refused with ``message`` on ``field``; no line and no event is written."""
        kwargs.setdefault("quantity", "1")
        lines_before = set(BomLine.objects.values_list("pk", flat=True))
        with pytest.raises(ValidationFailed) as exc:
            bom_line_add(actor=actor, product_id=product.pk, **kwargs)
        assert any(message in m for m in exc.value.fields[field]), exc.value.fields
        assert set(BomLine.objects.values_list("pk", flat=True)) == lines_before
        assert not product_events(product).exists()

    @pytest.mark.parametrize("quantity", ["0", "-1", "", "abc", "NaN", "Infinity"])
    def test_quantity_must_be_positive(self, merchandiser, kettle, quantity):
        self.refused(merchandiser, kettle, "quantity", "The quantity per unit must be a number greater than zero.",
                     component=ComponentFactory(), quantity=quantity)

    @pytest.mark.parametrize("scrap", ["-0.5", "100.01", "250"])
    def test_scrap_must_be_0_to_100(self, merchandiser, kettle, scrap):
        self.refused(merchandiser, kettle, "scrap_percent", "Scrap must be a number from 0 to 100 %.",
                     component=ComponentFactory(), scrap_percent=scrap)

    def test_too_many_decimal_places(self, merchandiser, kettle):
        self.refused(merchandiser, kettle, "quantity", "no more than 4 decimal places",
                     component=ComponentFactory(), quantity="0.123456")

    def test_a_product_is_not_its_own_component(self, merchandiser):
        housing = SemiFinishedFactory(code="SF-1")
        self.refused(merchandiser, housing, "component", "A product cannot be a component of itself.",
                     component=housing)

    def test_a_finished_product_is_not_a_component(self, merchandiser, kettle):
        other = ProductFactory(code="EK-2")
        self.refused(merchandiser, kettle, "component",
                     "EK-2 is a finished product; a bill of materials takes components, packaging and "
                     "semi-finished items.", component=other)

    def test_an_inactive_component_cannot_be_added(self, merchandiser, kettle):
        self.refused(merchandiser, kettle, "component", "MT-OLD is inactive and cannot be added.",
                     component=ComponentFactory(code="MT-OLD", is_active=False))

    def test_the_same_component_twice(self, merchandiser, kettle):
        resin = ComponentFactory(code="MT-ABS")
        BomLineFactory(product=kettle, component=resin)
        self.refused(merchandiser, kettle, "component",
                     "MT-ABS is already on this bill of materials; change its quantity instead.", component=resin)

    def test_a_missing_component(self, merchandiser, kettle):
        self.refused(merchandiser, kettle, "component", "Choose the component.", component=None)

    def test_a_direct_loop(self, merchandiser):
        housing, insert = SemiFinishedFactory(code="SF-HOUSING"), SemiFinishedFactory(code="SF-INSERT")
        BomLineFactory(product=housing, component=insert)
        self.refused(merchandiser, insert, "component",
                     "SF-HOUSING cannot go into SF-INSERT: it already contains SF-INSERT, which would make a loop "
                     "(SF-INSERT → SF-HOUSING → SF-INSERT).", component=housing)

    def test_a_loop_three_levels_deep(self, merchandiser):
        a, b, c, d = (SemiFinishedFactory(code=f"SF-{x}") for x in "ABCD")
        BomLineFactory(product=a, component=b)
        BomLineFactory(product=b, component=c)
        BomLineFactory(product=c, component=d)
        # D would use A, which uses B, which uses C, which uses D.
        self.refused(merchandiser, d, "component",
                     "SF-A cannot go into SF-D: it already contains SF-D, which would make a loop "
                     "(SF-D → SF-A → SF-B → SF-C → SF-D).", component=a)

    def test_sharing_a_component_is_not_a_loop(self, merchandiser):
        """A diamond (kettle uses housing and resin; housing uses resin) is fine."""
        kettle, housing, resin = ProductFactory(), SemiFinishedFactory(), ComponentFactory()
        BomLineFactory(product=kettle, component=housing)
        BomLineFactory(product=housing, component=resin)
        bom_line_add(actor=merchandiser, product_id=kettle.pk, component=resin, quantity="0.1")
        assert kettle.bom_lines.count() == 2

    def test_a_view_only_role_cannot_add(self, warehouse_user, kettle):
        with pytest.raises(NotAllowed):
            bom_line_add(actor=warehouse_user, product_id=kettle.pk, component=ComponentFactory(), quantity=1)
        assert not kettle.bom_lines.exists()


def test_bom_path_finds_the_chain_at_any_depth():
    a, b, c, other = SemiFinishedFactory(), SemiFinishedFactory(), SemiFinishedFactory(), ComponentFactory()
    BomLineFactory(product=a, component=b)
    BomLineFactory(product=b, component=c)
    BomLineFactory(product=a, component=other)
    assert bom_path(start_id=a.pk, target_id=c.pk) == [a.pk, b.pk, c.pk]
    assert bom_path(start_id=c.pk, target_id=a.pk) is None


class TestUpdateAndRemove:
    def test_quantity_and_scrap_change_with_old_and_new_on_the_timeline(self, merchandiser):
        line = BomLineFactory(quantity=Decimal("2"), scrap_percent=Decimal("1"))
        line, changes = bom_line_update(actor=merchandiser, product_id=line.product_id, line_id=line.pk,
                                        data={"quantity": Decimal("2.5"), "scrap_percent": Decimal("1")})
        assert changes == {"bom.quantity": {"old": "2", "new": "2.5", "model": "catalog.bomline"}}
        line.refresh_from_db()
        assert line.gross_quantity == Decimal("2.5250")
        assert product_events(line.product).get().text == f"BOM line edited: {line.component.code}"

    def test_changing_the_component_into_a_loop_is_refused(self, merchandiser):
        a, b, c = SemiFinishedFactory(code="SF-A"), SemiFinishedFactory(code="SF-B"), SemiFinishedFactory(code="SF-C")
        BomLineFactory(product=a, component=b)
        line = BomLineFactory(product=b, component=c)
        with pytest.raises(ValidationFailed) as exc:
            bom_line_update(actor=merchandiser, product_id=b.pk, line_id=line.pk, data={"component": a.pk})
        assert "(SF-B → SF-A → SF-B)" in exc.value.fields["component"][0]
        line.refresh_from_db()
        assert line.component == c

    def test_an_inactive_component_may_stay_on_its_line(self, merchandiser):
        line = BomLineFactory(component=ComponentFactory(is_active=False), quantity=Decimal("1"))
        line, _changes = bom_line_update(actor=merchandiser, product_id=line.product_id, line_id=line.pk,
                                         data={"quantity": Decimal("3")})
        assert line.quantity == Decimal("3")

    def test_bad_quantity_on_edit_changes_nothing(self, merchandiser):
        line = BomLineFactory(quantity=Decimal("2"))
        with pytest.raises(ValidationFailed):
            bom_line_update(actor=merchandiser, product_id=line.product_id, line_id=line.pk,
                            data={"quantity": Decimal("0")})
        line.refresh_from_db()
        assert line.quantity == Decimal("2")

    def test_remove_takes_the_line_off_and_keeps_the_component(self, merchandiser):
        line = BomLineFactory(component=PackagingFactory(code="PK-CTN"))
        bom_line_remove(actor=merchandiser, product_id=line.product_id, line_id=line.pk)
        assert not BomLine.objects.filter(pk=line.pk).exists()
        assert line.component.__class__.objects.filter(code="PK-CTN").exists()
        event = product_events(line.product).get()
        assert event.text == "BOM line removed: PK-CTN"
        assert event.changes["bom.component"]["new"] == ""

    def test_a_line_of_another_product_is_not_found(self, merchandiser):
        from django.http import Http404

        line = BomLineFactory()
        other = ProductFactory()
        with pytest.raises(Http404):
            bom_line_remove(actor=merchandiser, product_id=other.pk, line_id=line.pk)
        assert BomLine.objects.filter(pk=line.pk).exists()

    def test_a_view_only_role_cannot_remove(self, warehouse_user):
        line = BomLineFactory()
        with pytest.raises(NotAllowed):
            bom_line_remove(actor=warehouse_user, product_id=line.product_id, line_id=line.pk)
        assert BomLine.objects.filter(pk=line.pk).exists()
