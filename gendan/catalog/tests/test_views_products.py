"""Product pages through HTTP: the list (filters, sorting, Excel export), the product page,
the create and edit forms, and who may do what."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gendan.catalog.models import Product
from gendan.catalog.tests.factories import (
    BomLineFactory,
    ComponentFactory,
    PackagingFactory,
    ProductCategoryFactory,
    ProductFactory,
    VariantFactory,
)
from gendan.catalog.tests.html import controls, page, table
from tests.xlsx_export import export_rows

pytestmark = pytest.mark.django_db

LIST = reverse("catalog:product_list")
CREATE = reverse("catalog:product_create")
VIEW_ONLY_ROLES = ["sales", "finance", "production_planner", "purchasing", "qc", "warehouse"]


@pytest.fixture
def merch_client(client_for, merchandiser):
    return client_for(merchandiser)


def listed(response) -> list[str]:
    return [obj.code for obj, _cells in response.context["rows"]]


def xlsx_rows(response) -> list[list]:
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return export_rows(response)


class TestList:
    def test_lists_products_with_their_carton_volume(self, merch_client):
        ProductFactory(code="EK-1", carton_length_cm=Decimal("60"), carton_width_cm=Decimal("40"),
                       carton_height_cm=Decimal("40"))
        response = merch_client.get(LIST)
        assert response.status_code == 200
        assert listed(response) == ["EK-1"]
        row = dict(zip([str(c.label) for c in response.context["columns"]], response.context["rows"][0][1],
                       strict=True))
        assert row["CBM per carton"] == "0.0960"
        assert row["carton L × W × H (cm)"] == "60 × 40 × 40"

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("q=kettle", ["EK-1", "EK-2"]),  # English name
            ("q=保温杯", ["VF-1"]),  # Chinese name
            ("q=ek-2", ["EK-2"]),  # item no., any case
            ("q=GS-900", ["GS-1"]),  # model
            ("q=nordic", ["EK-2", "VF-1"]),  # series
            ("kind=packaging", ["PK-CTN"]),
            ("active=0", ["EK-2"]),
            ("active=1&kind=finished", ["EK-1", "GS-1", "VF-1"]),
            ("category=__appliance__", ["EK-1", "EK-2", "GS-1"]),
            ("q=kettle&active=1", ["EK-1"]),
        ],
    )
    def test_filters(self, merch_client, query, expected):
        appliance = ProductCategoryFactory(code="appliance")
        ProductFactory(code="EK-1", name_en="Electric kettle", category=appliance, series="Classic")
        ProductFactory(code="EK-2", name_en="Travel kettle", category=appliance, series="Nordic", is_active=False)
        ProductFactory(code="GS-1", name_en="Garment steamer", model_no="GS-900", category=appliance)
        ProductFactory(code="VF-1", name_zh="不锈钢保温杯", name_en="Vacuum flask", series="Nordic")
        PackagingFactory(code="PK-CTN")
        response = merch_client.get(f"{LIST}?{query.replace('__appliance__', str(appliance.pk))}")
        assert response.status_code == 200
        assert listed(response) == expected

    def test_sorted_by_carton_volume_both_ways(self, merch_client):
        ProductFactory(code="SMALL", carton_length_cm=Decimal("30"), carton_width_cm=Decimal("20"),
                       carton_height_cm=Decimal("20"))
        ProductFactory(code="LARGE", carton_length_cm=Decimal("120"), carton_width_cm=Decimal("80"),
                       carton_height_cm=Decimal("60"))
        ProductFactory(code="MEDIUM")
        ComponentFactory(code="NO-CARTON")
        assert listed(merch_client.get(f"{LIST}?sort=-carton_cbm")) == ["LARGE", "MEDIUM", "SMALL", "NO-CARTON"]
        assert listed(merch_client.get(f"{LIST}?sort=carton_cbm")) == ["NO-CARTON", "SMALL", "MEDIUM", "LARGE"]

    def test_sorted_by_name_descending(self, merch_client):
        for code, name in [("A-1", "Bowl"), ("A-2", "Apron"), ("A-3", "Cup")]:
            ProductFactory(code=code, name_en=name)
        assert listed(merch_client.get(f"{LIST}?sort=-name_en")) == ["A-3", "A-1", "A-2"]

    def test_excel_export_holds_exactly_the_filtered_list(self, merch_client):
        ProductFactory(code="EK-1", name_en="Electric kettle", units_per_carton=6)
        ProductFactory(code="EK-2", name_en="Travel kettle", units_per_carton=12, carton_length_cm=Decimal("45.5"),
                       carton_width_cm=Decimal("30.5"), carton_height_cm=Decimal("35.5"))
        ProductFactory(code="GS-1", name_en="Garment steamer")
        PackagingFactory(code="PK-CTN", name_en="Carton kettle")

        query = "q=kettle&kind=finished&sort=-code"
        shown = listed(merch_client.get(f"{LIST}?{query}"))
        rows = xlsx_rows(merch_client.get(f"{LIST}?{query}&export=xlsx"))

        header, *body = rows
        assert header[:3] == ["item no.", "name (Chinese)", "name (English)"]
        assert "CBM per carton" in header
        assert [r[0] for r in body] == shown == ["EK-2", "EK-1"]
        by_code = {r[0]: dict(zip(header, r, strict=True)) for r in body}
        assert by_code["EK-2"]["units per carton"] == 12
        assert Decimal(str(by_code["EK-2"]["CBM per carton"])) == Decimal("0.0493")
        assert Decimal(str(by_code["EK-1"]["CBM per carton"])) == Decimal("0.0960")

    def test_the_number_of_queries_does_not_grow_with_the_rows(self, merch_client):
        category = ProductCategoryFactory()
        ProductFactory.create_batch(3, category=category)
        merch_client.get(LIST)  # the user's roles and permissions are read on the first page, then kept
        with CaptureQueriesContext(connection) as few:
            assert merch_client.get(LIST).status_code == 200
        ProductFactory.create_batch(30, category=ProductCategoryFactory())
        ComponentFactory.create_batch(5)
        with CaptureQueriesContext(connection) as many:
            response = merch_client.get(LIST)
        assert len(listed(response)) == 38
        assert len(many.captured_queries) == len(few.captured_queries)

    def test_the_export_does_not_grow_in_queries_either(self, merch_client, django_assert_max_num_queries):
        ProductFactory.create_batch(40, category=ProductCategoryFactory())
        with django_assert_max_num_queries(10):
            assert len(xlsx_rows(merch_client.get(f"{LIST}?export=xlsx"))) == 41

    def test_a_user_without_a_catalog_role_gets_403(self, client_for, make_user):
        assert client_for(make_user()).get(LIST).status_code == 403


class TestDetail:
    def test_shows_the_product_its_packing_matrix_and_bom(self, merch_client):
        product = ProductFactory(code="BP-1", name_en="Laptop backpack", hs_code="4202929000", units_per_carton=20,
                                 carton_length_cm=Decimal("60"), carton_width_cm=Decimal("42"),
                                 carton_height_cm=Decimal("40"), net_weight_kg=Decimal("16.38"),
                                 gross_weight_kg=Decimal("17.28"), surface_finish="PU coating")
        for i, (colour, size) in enumerate([("Black", "S"), ("Black", "M"), ("Grey", "M")]):
            VariantFactory(product=product, colour=colour, size=size, sku=f"BP-1-{i}",
                           sort_order={"Black": 0, "Grey": 1000}[colour] + {"S": 0, "M": 1}[size])
        fabric = ComponentFactory(code="TX-OXFORD", name_en="600D Oxford fabric", unit=Product.Unit.M)
        BomLineFactory(product=product, component=fabric, quantity=Decimal("1.6"), scrap_percent=Decimal("6"))

        response = merch_client.get(product.get_absolute_url())

        assert response.status_code == 200
        text = response.content.decode()
        assert "4202929000" in text and "PU coating" in text
        packing = text.split('data-testid="packing"')[1].split("</dl>")[0]
        assert "60 × 42 × 40 cm" in packing
        assert "0.1008 m³" in packing  # 60 × 42 × 40 cm
        assert "16.38 kg" in packing and "17.28 kg" in packing
        assert table(response, "variant-matrix") == [
            ["colour \\ size", "S", "M"],
            ["Black", "✓ BP-1-0", "✓ BP-1-1"],
            ["Grey", "—", "✓ BP-1-2"],
        ]
        bom = table(response, "bom")
        assert bom[1][:6] == ["TX-OXFORD", "600D Oxford fabric", "component / material", "1.6 m", "6", "1.696 m"]

    def test_the_page_does_not_grow_in_queries_with_variants_and_bom_lines(self, merch_client):
        small, large = ProductFactory(), ProductFactory()
        VariantFactory(product=small)
        BomLineFactory(product=small)
        for i in range(12):
            VariantFactory(product=large, colour=f"C{i}", size="M")
            BomLineFactory(product=large, component=PackagingFactory())
        merch_client.get(small.get_absolute_url())  # the user's roles and permissions: read once, then kept
        counts = []
        for product in (small, large):
            with CaptureQueriesContext(connection) as ctx:
                assert merch_client.get(product.get_absolute_url()).status_code == 200
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1]

    def test_a_component_shows_where_it_is_used(self, merch_client):
        carton = PackagingFactory(code="PK-CTN")
        BomLineFactory(product=ProductFactory(code="EK-1"), component=carton)
        response = merch_client.get(carton.get_absolute_url())
        assert reverse("catalog:product_detail", args=[carton.used_in.get().product_id]) in page(response).links

    def test_a_user_without_view_permission_gets_404(self, client_for, make_user):
        product = ProductFactory()
        assert client_for(make_user()).get(product.get_absolute_url()).status_code == 404


class TestCreateAndEdit:
    def form_data(self, **overrides) -> dict:
        data = {
            "code": "ek-1701", "kind": "finished", "name_zh": "电热水壶", "name_en": "Electric kettle",
            "series": "Nordic", "model_no": "EK-1701", "hs_code": "8516.79", "unit": "pcs", "is_active": "on",
            "units_per_carton": "6", "carton_length_cm": "60", "carton_width_cm": "40", "carton_height_cm": "38.5",
            "net_weight_kg": "9.6", "gross_weight_kg": "11.2",
        }
        data.update(overrides)
        return data

    def test_the_form_has_a_basic_and_a_packing_section_with_default_ids(self, merch_client):
        response = merch_client.get(CREATE)
        assert response.status_code == 200
        ids = {c.get("id") for c in page(response).controls}
        for name in ["code", "kind", "category", "name_zh", "name_en", "series", "model_no", "spec", "size", "colour",
                     "material", "surface_finish", "selling_points", "hs_code", "unit", "is_active",
                     "units_per_carton", "carton_length_cm", "carton_width_cm", "carton_height_cm",
                     "net_weight_kg", "gross_weight_kg"]:
            assert f"id_{name}" in ids
        assert "Packing (one export carton)" in response.content.decode()

    def test_create_saves_and_opens_the_product(self, merch_client):
        response = merch_client.post(CREATE, self.form_data())
        product = Product.objects.get()
        assert response.status_code == 302
        assert response.url == product.get_absolute_url()
        assert (product.code, product.hs_code, product.carton_cbm) == ("EK-1701", "851679", Decimal("0.0924"))
        assert "Product saved." in merch_client.get(response.url).content.decode()

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"gross_weight_kg": "8"}, "G.W. (8 kg) cannot be less than N.W. (9.6 kg)."),
            ({"carton_height_cm": ""}, "Give all three carton dimensions (L × W × H) or none."),
            ({"carton_width_cm": "-40"}, "Must be greater than zero."),
            ({"units_per_carton": "0"}, "A carton holds at least one unit."),
            ({"hs_code": "85167"}, "An HS code has 6, 8 or 10 digits."),
        ],
    )
    def test_bad_input_is_shown_on_the_form_and_nothing_saved(self, merch_client, overrides, message):
        response = merch_client.post(CREATE, self.form_data(**overrides))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert controls(response, id="id_name_en")[0]["value"] == "Electric kettle"  # nothing typed is lost
        assert not Product.objects.exists()

    def test_a_duplicate_item_no_is_shown_on_the_form(self, merch_client):
        ProductFactory(code="EK-1701")
        response = merch_client.post(CREATE, self.form_data())
        assert response.status_code == 400
        assert "The item no. “EK-1701” is already used by another product." in response.content.decode()
        assert Product.objects.count() == 1

    def test_edit_saves_a_new_version(self, merch_client):
        product = ProductFactory(code="EK-1", units_per_carton=6)
        response = merch_client.post(reverse("catalog:product_edit", args=[product.pk]),
                                     self.form_data(code="EK-1", units_per_carton="8", version="1",
                                                    reason="customer wants 8"))
        assert response.status_code == 302
        product.refresh_from_db()
        assert (product.units_per_carton, product.version) == (8, 2)
        timeline = merch_client.get(product.get_absolute_url()).content.decode()
        assert "customer wants 8" in timeline

    def test_edit_with_a_stale_version_is_refused_with_409(self, merch_client, merchandiser):
        from gendan.catalog.services import product_update

        product = ProductFactory(code="EK-1", units_per_carton=6)
        url = reverse("catalog:product_edit", args=[product.pk])
        assert controls(merch_client.get(url), name="version")[0]["value"] == "1"
        product_update(actor=merchandiser, product_id=product.pk, expected_version=1, data={"units_per_carton": 4})
        response = merch_client.post(url, self.form_data(code="EK-1", units_per_carton="8", version="1"))
        assert response.status_code == 409
        assert "Someone else changed this record" in response.content.decode()
        product.refresh_from_db()
        assert product.units_per_carton == 4


class TestPermissions:
    def test_warehouse_cannot_create_or_edit_and_nothing_changes(self, client_for, warehouse_user):
        product = ProductFactory(code="EK-1", units_per_carton=6)
        client = client_for(warehouse_user)
        assert client.get(CREATE).status_code == 403
        assert client.post(CREATE, {"code": "NEW-1", "kind": "finished", "name_en": "x", "unit": "pcs"}
                           ).status_code == 403
        edit = reverse("catalog:product_edit", args=[product.pk])
        assert client.get(edit).status_code == 403
        assert client.post(edit, {"code": "EK-1", "kind": "finished", "name_en": "x", "unit": "pcs",
                                  "units_per_carton": "1", "version": "1"}).status_code == 403
        assert list(Product.objects.values_list("code", "units_per_carton", "version")) == [("EK-1", 6, 1)]

    @pytest.mark.parametrize("role", VIEW_ONLY_ROLES)
    def test_view_only_roles_see_the_product_but_no_edit_controls(self, client_for, make_user, role):
        product = ProductFactory()
        BomLineFactory(product=product)
        client = client_for(make_user(role, language="en"))
        response = client.get(product.get_absolute_url())
        assert response.status_code == 200
        links = page(response).links
        for name in ("catalog:product_edit", "catalog:product_variants"):
            assert reverse(name, args=[product.pk]) not in links
        assert not any("/bom/" in link for link in links)
        assert not controls(response, id="id_bom-component")
        assert "/bom/" not in response.content.decode()
        assert CREATE not in page(client.get(LIST)).links

    @pytest.mark.parametrize("role", ["merchandiser", "manager", "admin"])
    def test_editing_roles_see_the_controls(self, client_for, make_user, role):
        product = ProductFactory()
        line = BomLineFactory(product=product)
        response = client_for(make_user(role, language="en")).get(product.get_absolute_url())
        links = page(response).links
        assert reverse("catalog:product_edit", args=[product.pk]) in links
        assert reverse("catalog:product_variants", args=[product.pk]) in links
        assert reverse("catalog:bom_edit", args=[product.pk, line.pk]) in links
        assert controls(response, id="id_bom-component")
