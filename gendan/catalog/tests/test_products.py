"""Creating and editing products through the services: packing rules, versions, events."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.catalog.models import Product
from gendan.catalog.services import product_create, product_update
from gendan.catalog.tests.factories import ProductCategoryFactory, ProductFactory
from gendan.core.errors import ConflictError, NotAllowed, ValidationFailed
from gendan.core.models import Event

pytestmark = pytest.mark.django_db


def kettle(**overrides) -> dict:
    data = {
        "code": "ek-1701", "kind": Product.Kind.FINISHED, "name_zh": "电热水壶", "name_en": "Electric kettle",
        "series": "Nordic", "model_no": "EK-1701", "spec": "1.7 L 1500 W", "size": "22 × 16 × 25 cm",
        "colour": "white", "material": "SUS304 + PP", "surface_finish": "matt spray",
        "selling_points": "Auto shut-off\nBoil-dry protection", "hs_code": "8516.79.90", "unit": Product.Unit.PCS,
        "units_per_carton": 6, "carton_length_cm": Decimal("60"), "carton_width_cm": Decimal("40"),
        "carton_height_cm": Decimal("38.5"), "net_weight_kg": Decimal("9.6"), "gross_weight_kg": Decimal("11.2"),
    }
    data.update(overrides)
    return data


def events_of(product: Product):
    return Event.objects.filter(object_id=product.pk, content_type__model="product")


class TestCreate:
    def test_saves_every_field_and_records_the_creation(self, merchandiser):
        category = ProductCategoryFactory(code="appliance")
        product = product_create(actor=merchandiser, data=kettle(category=category))

        product.refresh_from_db()
        assert product.code == "EK-1701"  # item numbers are kept in capitals
        assert product.hs_code == "85167990"  # dots typed by the user are dropped
        assert product.category == category
        assert (product.units_per_carton, product.net_weight_kg, product.gross_weight_kg) == (
            6, Decimal("9.600"), Decimal("11.200"))
        assert product.carton_cbm == Decimal("0.0924")  # 60 × 40 × 38.5 cm
        assert product.version == 1
        event = events_of(product).get()
        assert (event.verb, event.actor) == (Event.Verb.CREATED, merchandiser)

    def test_packing_is_optional(self, merchandiser):
        data = {"code": "SCREW-M4", "kind": Product.Kind.COMPONENT, "name_zh": "螺丝"}
        product = product_create(actor=merchandiser, data=data)
        assert product.carton_cbm is None

    def test_a_role_without_add_permission_is_refused(self, warehouse_user):
        with pytest.raises(NotAllowed):
            product_create(actor=warehouse_user, data=kettle())
        assert not Product.objects.exists()


class TestCbm:
    @pytest.mark.parametrize(
        ("dims", "cbm"),
        [
            (("60", "40", "40"), Decimal("0.0960")),
            (("33.3", "22.2", "11.1"), Decimal("0.0082")),  # 0.008205786 → 4 places
            (("120", "80", "100"), Decimal("0.9600")),
            (("45.5", "30.5", "35.5"), Decimal("0.0493")),  # 0.04926… rounds half up
        ],
    )
    def test_carton_volume_in_cubic_metres(self, dims, cbm):
        length, width, height = (Decimal(d) for d in dims)
        product = ProductFactory.build(carton_length_cm=length, carton_width_cm=width, carton_height_cm=height)
        assert product.carton_cbm == cbm

    def test_no_volume_without_all_three_dimensions(self):
        assert ProductFactory.build(carton_height_cm=None).carton_cbm is None


BAD_INPUT = [
    pytest.param({"carton_length_cm": Decimal("0")}, "carton_length_cm", "Must be greater than zero.", id="zero-length"),
    pytest.param({"carton_width_cm": Decimal("-40")}, "carton_width_cm", "Must be greater than zero.",
                 id="negative-width"),
    pytest.param({"carton_height_cm": Decimal("0")}, "carton_height_cm", "Must be greater than zero.",
                 id="zero-height"),
    pytest.param({"net_weight_kg": Decimal("0")}, "net_weight_kg", "Must be greater than zero.", id="zero-nw"),
    pytest.param({"gross_weight_kg": Decimal("-1")}, "gross_weight_kg", "Must be greater than zero.",
                 id="negative-gw"),
    pytest.param({"net_weight_kg": Decimal("12"), "gross_weight_kg": Decimal("11.5")}, "gross_weight_kg",
                 "G.W. (11.5 kg) cannot be less than N.W. (12 kg).", id="gw-below-nw"),
    pytest.param({"units_per_carton": 0}, "units_per_carton", "A carton holds at least one unit.",
                 id="zero-units"),
    pytest.param({"hs_code": "85167"}, "hs_code", "An HS code has 6, 8 or 10 digits.", id="hs-5-digits"),
    pytest.param({"hs_code": "8516AB"}, "hs_code", "An HS code has 6, 8 or 10 digits.", id="hs-letters"),
    pytest.param({"hs_code": "851679901"}, "hs_code", "An HS code has 6, 8 or 10 digits.", id="hs-9-digits"),
    pytest.param({"carton_width_cm": None}, "carton_width_cm",
                 "Give all three carton dimensions (L × W × H) or none.", id="partial-dimensions"),
    pytest.param({"name_zh": "", "name_en": ""}, "name_zh", "Enter the name in Chinese or in English (or both).",
                 id="no-name"),
    pytest.param({"code": ""}, "code", "Enter the item no.", id="no-item-no"),
    pytest.param({"code": "EK 1701"}, "code", "Use capital letters, digits", id="item-no-with-blank"),
]


class TestBadInput:
    @pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
    def test_create_is_refused_with_a_field_message_and_nothing_saved(self, merchandiser, overrides, field, message):
        with pytest.raises(ValidationFailed) as exc:
            product_create(actor=merchandiser, data=kettle(**overrides))
        assert any(message in m for m in exc.value.fields[field]), exc.value.fields
        assert not Product.objects.exists()
        assert not Event.objects.exists()

    def test_partial_dimensions_name_each_missing_one(self, merchandiser):
        with pytest.raises(ValidationFailed) as exc:
            product_create(actor=merchandiser, data=kettle(carton_width_cm=None, carton_height_cm=None))
        assert set(exc.value.fields) == {"carton_width_cm", "carton_height_cm"}

    def test_duplicate_item_no_is_refused(self, merchandiser):
        ProductFactory(code="EK-1701")
        with pytest.raises(ValidationFailed) as exc:
            product_create(actor=merchandiser, data=kettle(code="ek-1701 "))
        assert exc.value.fields["code"] == ["The item no. “EK-1701” is already used by another product."]
        assert Product.objects.count() == 1

    @pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
    def test_edit_is_refused_and_the_product_is_unchanged(self, merchandiser, overrides, field, message):
        product = ProductFactory(code="EK-1701", name_zh="电热水壶", name_en="Electric kettle")
        before = {f.attname: getattr(product, f.attname) for f in Product._meta.concrete_fields}
        with pytest.raises(ValidationFailed) as exc:
            product_update(actor=merchandiser, product_id=product.pk, data=overrides, expected_version=1)
        assert any(message in m for m in exc.value.fields[field]), exc.value.fields
        product.refresh_from_db()
        assert {f.attname: getattr(product, f.attname) for f in Product._meta.concrete_fields} == before
        assert not Event.objects.exists()


class TestUpdate:
    def test_changes_are_saved_with_old_and_new_values_on_the_timeline(self, merchandiser):
        product = ProductFactory(units_per_carton=6, gross_weight_kg=Decimal("10.5"), colour="white")
        product, changes = product_update(
            actor=merchandiser, product_id=product.pk, expected_version=1, reason="customer asked for 8 per carton",
            data={"units_per_carton": 8, "gross_weight_kg": Decimal("13.2"), "colour": "white"},
        )
        assert changes == {"units_per_carton": {"old": "6", "new": "8"},
                           "gross_weight_kg": {"old": "10.5", "new": "13.2"}}
        product.refresh_from_db()
        assert (product.units_per_carton, product.gross_weight_kg, product.version) == (8, Decimal("13.2"), 2)
        event = events_of(product).get()
        assert event.verb == Event.Verb.UPDATED
        assert event.changes == changes
        assert event.reason == "customer asked for 8 per carton"

    def test_a_stale_version_is_refused_with_409_and_nothing_changes(self, merchandiser):
        product = ProductFactory(units_per_carton=6)
        product_update(actor=merchandiser, product_id=product.pk, expected_version=1, data={"units_per_carton": 8})
        with pytest.raises(ConflictError) as exc:
            product_update(actor=merchandiser, product_id=product.pk, expected_version=1,
                           data={"units_per_carton": 12})
        assert exc.value.status == 409
        assert "your version 1, now 2" in str(exc.value.message)
        product.refresh_from_db()
        assert (product.units_per_carton, product.version) == (8, 2)

    def test_saving_without_a_change_writes_nothing(self, merchandiser):
        product = ProductFactory(units_per_carton=6, gross_weight_kg=Decimal("10.5"))
        # A form gives 10.5 where the database holds 10.500: the same weight, not a change.
        _product, changes = product_update(actor=merchandiser, product_id=product.pk, expected_version=1,
                                           data={"units_per_carton": 6, "gross_weight_kg": Decimal("10.5")})
        assert changes == {}
        product.refresh_from_db()
        assert product.version == 1
        assert not Event.objects.exists()

    def test_the_item_no_may_not_take_another_products(self, merchandiser):
        ProductFactory(code="EK-1")
        product = ProductFactory(code="EK-2")
        with pytest.raises(ValidationFailed) as exc:
            product_update(actor=merchandiser, product_id=product.pk, expected_version=1, data={"code": "ek-1"})
        assert "already used" in exc.value.fields["code"][0]
        product.refresh_from_db()
        assert product.code == "EK-2"

    def test_a_view_only_role_cannot_edit(self, warehouse_user):
        product = ProductFactory(units_per_carton=6)
        with pytest.raises(NotAllowed):
            product_update(actor=warehouse_user, product_id=product.pk, expected_version=1,
                           data={"units_per_carton": 1})
        product.refresh_from_db()
        assert product.units_per_carton == 6
