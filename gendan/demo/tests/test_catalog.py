"""The demo catalog: believable, valid data, loaded in bulk."""

from __future__ import annotations

import random
from io import StringIO

import pytest

from gendan.catalog.models import BomLine, Product, ProductVariant
from gendan.catalog.services import bom_path
from gendan.core.models import Event
from gendan.demo import catalog as demo
from gendan.demo.management.commands.seed_demo import DemoContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(make_user):
    ctx = DemoContext(rng=random.Random(7), out=StringIO(), customers=0, products=40,
                      users={"admin": make_user("admin")})
    demo.seed(ctx)
    return ctx


def test_finished_products_with_full_packing(seeded):
    finished = Product.objects.filter(kind=Product.Kind.FINISHED)
    assert finished.count() == 40
    assert set(finished.values_list("category__code", flat=True)) == {"home", "appliance", "bags", "furniture",
                                                                      "textiles"}
    for product in finished:
        product.full_clean()  # every rule a user's input must pass
        assert product.carton_cbm > 0
        assert product.gross_weight_kg > product.net_weight_kg
        assert product.hs_code and product.units_per_carton >= 1


def test_components_and_packaging_build_every_bom_without_loops(seeded):
    kinds = set(Product.objects.exclude(kind=Product.Kind.FINISHED).values_list("kind", flat=True))
    assert kinds == {Product.Kind.COMPONENT, Product.Kind.PACKAGING, Product.Kind.SEMI_FINISHED}
    for product in Product.objects.filter(kind=Product.Kind.FINISHED):
        lines = list(product.bom_lines.select_related("component"))
        assert len(lines) >= 3
        assert any(line.component.code.startswith("PK-CTN") for line in lines)  # every product ships in a carton
        assert all(line.component.can_be_component and line.quantity > 0 for line in lines)
    for line in BomLine.objects.all():
        assert bom_path(start_id=line.component_id, target_id=line.product_id) is None


def test_some_products_come_in_colour_and_size_variants_with_unique_codes(seeded):
    variants = list(ProductVariant.objects.all())
    assert variants and len({v.product_id for v in variants}) < 40
    assert len({v.sku for v in variants}) == len(variants)
    assert len({v.barcode for v in variants}) == len(variants)
    for variant in variants[:50]:
        variant.full_clean()


def test_created_events_are_recorded(seeded):
    assert Event.objects.filter(verb=Event.Verb.CREATED, content_type__model="product").count() == \
        Product.objects.count()
    assert "40 products" in seeded.out.getvalue()
