"""factory_boy factories for products. Tests arrange data with these; the actions under
test go through the services or HTTP."""

from __future__ import annotations

from decimal import Decimal

import factory

from gendan.catalog.models import MATRIX_STRIDE, BomLine, Product, ProductCategory, ProductVariant


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat{n}")
    name_zh = factory.Sequence(lambda n: f"类别{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    """A finished product with a complete export carton (60 × 40 × 40 cm = 0.096 m³)."""

    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"P{n:05d}")
    kind = Product.Kind.FINISHED
    name_zh = factory.Sequence(lambda n: f"电热水壶{n}")
    name_en = factory.Sequence(lambda n: f"Electric kettle {n}")
    series = "Classic"
    model_no = factory.Sequence(lambda n: f"EK-{n}")
    hs_code = "851679"
    units_per_carton = 6
    carton_length_cm = Decimal("60")
    carton_width_cm = Decimal("40")
    carton_height_cm = Decimal("40")
    net_weight_kg = Decimal("9.000")
    gross_weight_kg = Decimal("10.500")


class ComponentFactory(ProductFactory):
    kind = Product.Kind.COMPONENT
    code = factory.Sequence(lambda n: f"C{n:05d}")
    name_zh = factory.Sequence(lambda n: f"物料{n}")
    name_en = factory.Sequence(lambda n: f"Material {n}")
    units_per_carton = None
    carton_length_cm = carton_width_cm = carton_height_cm = None
    net_weight_kg = gross_weight_kg = None


class PackagingFactory(ComponentFactory):
    kind = Product.Kind.PACKAGING
    code = factory.Sequence(lambda n: f"PK{n:05d}")
    name_zh = "纸箱"
    name_en = "Carton"


class SemiFinishedFactory(ComponentFactory):
    kind = Product.Kind.SEMI_FINISHED
    code = factory.Sequence(lambda n: f"SF{n:05d}")


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductVariant

    product = factory.SubFactory(ProductFactory)
    colour = "Red"
    size = factory.Sequence(lambda n: f"S{n}")
    sort_order = factory.Sequence(lambda n: n % MATRIX_STRIDE)


class BomLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BomLine

    product = factory.SubFactory(ProductFactory)
    component = factory.SubFactory(ComponentFactory)
    quantity = Decimal("1")
    scrap_percent = Decimal("0")
