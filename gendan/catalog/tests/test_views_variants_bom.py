"""The variant matrix editor and the BOM controls, through HTTP, as the merchandiser uses them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from gendan.catalog.models import BomLine, ProductVariant
from gendan.catalog.tests.factories import (
    BomLineFactory,
    ComponentFactory,
    PackagingFactory,
    ProductFactory,
    SemiFinishedFactory,
    VariantFactory,
)
from gendan.catalog.tests.html import controls, table

pytestmark = pytest.mark.django_db


@pytest.fixture
def merch_client(client_for, merchandiser):
    return client_for(merchandiser)


def cells_of(product) -> set[tuple[str, str]]:
    return set(ProductVariant.objects.filter(product=product).values_list("colour", "size"))


def grid_post(colours: list[str], sizes: list[str], ticked: dict, *, action="save", version=1, **extra) -> dict:
    """What the browser sends from a grid built for ``colours`` × ``sizes``: ``ticked`` maps
    (i, j) → {"sku": …, "barcode": …}."""
    data = {"colours": ", ".join(colours), "sizes": ", ".join(sizes), "version": str(version), "action": action,
            "grid_colours": colours, "grid_sizes": sizes}
    for (i, j), codes in ticked.items():
        data[f"cell-{i}-{j}"] = "1"
        data[f"sku-{i}-{j}"] = codes.get("sku", "")
        data[f"barcode-{i}-{j}"] = codes.get("barcode", "")
    data.update(extra)
    return data


class TestMatrixEditor:
    def test_type_lists_build_the_grid_tick_cells_save_and_see_the_matrix(self, merch_client):
        product = ProductFactory()
        url = reverse("catalog:product_variants", args=[product.pk])

        first = merch_client.get(url)
        assert first.status_code == 200
        assert controls(first, id="id_colours")[0]["tag"] == "textarea"
        assert controls(first, id="id_sizes")[0]["tag"] == "textarea"
        assert not controls(first, type="checkbox")  # no grid before the lists are typed

        built = merch_client.post(url, {"colours": "Red, Blue", "sizes": "S\nM\nL", "version": "1",
                                        "action": "build"})
        assert built.status_code == 200
        boxes = controls(built, type="checkbox")
        assert [b["aria-label"] for b in boxes] == ["Red / S", "Red / M", "Red / L", "Blue / S", "Blue / M", "Blue / L"]
        assert [b["name"] for b in boxes][:2] == ["cell-0-0", "cell-0-1"]
        assert not any("checked" in b for b in boxes)

        saved = merch_client.post(url, grid_post(["Red", "Blue"], ["S", "M", "L"], {
            (0, 0): {"sku": "EK-RD-S"}, (0, 1): {}, (1, 2): {"barcode": "6901234567892"}}))
        assert saved.status_code == 302
        assert saved.url == product.get_absolute_url() + "#variants"

        detail = merch_client.get(saved.url)
        assert "Variant matrix saved: 3 added, 0 removed." in detail.content.decode()
        assert table(detail, "variant-matrix") == [
            ["colour \\ size", "S", "M", "L"],
            ["Red", "✓ EK-RD-S", "✓", "—"],
            ["Blue", "—", "—", "✓ 6901234567892"],
        ]
        product.refresh_from_db()
        assert product.version == 2

    def test_reopening_shows_the_current_matrix_ticked(self, merch_client):
        product = ProductFactory()
        VariantFactory(product=product, colour="Red", size="M", sort_order=1, sku="R-M")
        VariantFactory(product=product, colour="Red", size="S", sort_order=0)
        response = merch_client.get(reverse("catalog:product_variants", args=[product.pk]))
        assert controls(response, id="id_colours")[0]["tag"] == "textarea"
        assert "Red" in response.content.decode().split('id="id_colours"')[1].split("</textarea>")[0]
        boxes = {b["aria-label"]: "checked" in b for b in controls(response, type="checkbox")}
        assert boxes == {"Red / S": True, "Red / M": True}
        assert controls(response, name="sku-0-1")[0]["value"] == "R-M"

    def test_unticking_a_cell_removes_that_variant(self, merch_client):
        product = ProductFactory()
        VariantFactory(product=product, colour="Red", size="S", sort_order=0)
        VariantFactory(product=product, colour="Red", size="M", sort_order=1)
        response = merch_client.post(reverse("catalog:product_variants", args=[product.pk]),
                                     grid_post(["Red"], ["S", "M"], {(0, 1): {}}))
        assert response.status_code == 302
        assert cells_of(product) == {("Red", "M")}

    def test_tick_all_ticks_every_cell_without_saving(self, merch_client):
        product = ProductFactory()
        response = merch_client.post(reverse("catalog:product_variants", args=[product.pk]),
                                     grid_post(["Red", "Blue"], ["S"], {}, action="tick_all"))
        assert response.status_code == 200
        assert all("checked" in b for b in controls(response, type="checkbox"))
        assert len(controls(response, type="checkbox")) == 2
        assert not cells_of(product)

    def test_lists_changed_after_building_the_grid_are_not_saved_blindly(self, merch_client):
        product = ProductFactory()
        data = grid_post(["Red", "Blue"], ["S"], {(1, 0): {}})
        data["colours"] = "Black, Red, Blue"  # typed after the grid was built: index 1 is now Red
        response = merch_client.post(reverse("catalog:product_variants", args=[product.pk]), data)
        assert response.status_code == 400
        assert "The colours or sizes changed since the grid was built" in response.content.decode()
        boxes = {b["aria-label"]: "checked" in b for b in controls(response, type="checkbox")}
        assert boxes == {"Black / S": False, "Red / S": False, "Blue / S": True}  # the tick stays on Blue
        assert not cells_of(product)

    @pytest.mark.parametrize(
        ("colours", "sizes", "message"),
        [
            ("Red, Blue, red", "S", "The colour “red” is listed twice."),
            ("Red", "S, M, S", "The size “S” is listed twice."),
            ("", "S", "This field is required."),
            (", ".join(f"C{i}" for i in range(41)), "S", "At most 40 colours, please (you gave 41)."),
        ],
    )
    def test_bad_lists_are_refused_on_their_field(self, merch_client, colours, sizes, message):
        product = ProductFactory()
        response = merch_client.post(reverse("catalog:product_variants", args=[product.pk]),
                                     {"colours": colours, "sizes": sizes, "version": "1", "action": "build"})
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not controls(response, type="checkbox")

    def test_a_bad_barcode_is_shown_and_nothing_saved(self, merch_client):
        product = ProductFactory()
        response = merch_client.post(reverse("catalog:product_variants", args=[product.pk]),
                                     grid_post(["Red"], ["S", "M"], {(0, 0): {}, (0, 1): {"barcode": "6901234567893"}}))
        assert response.status_code == 400
        assert "Red / M: the barcode 6901234567893 has a wrong check digit." in response.content.decode()
        assert controls(response, name="barcode-0-1")[0]["value"] == "6901234567893"  # kept for correcting
        assert not cells_of(product)

    def test_a_stale_matrix_is_refused_with_409(self, merch_client):
        product = ProductFactory(version=3)
        response = merch_client.post(reverse("catalog:product_variants", args=[product.pk]),
                                     grid_post(["Red"], ["S"], {(0, 0): {}}, version=2))
        assert response.status_code == 409
        assert "Someone else changed this record" in response.content.decode()
        assert not cells_of(product)

    def test_a_view_only_role_cannot_open_or_save_the_editor(self, client_for, warehouse_user):
        product = ProductFactory()
        client = client_for(warehouse_user)
        url = reverse("catalog:product_variants", args=[product.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, grid_post(["Red"], ["S"], {(0, 0): {}})).status_code == 403
        assert not cells_of(product)


class TestBomPages:
    def test_add_a_component_by_its_item_no(self, merch_client):
        product = ProductFactory()
        PackagingFactory(code="PK-CTN-M")
        response = merch_client.post(reverse("catalog:bom_add", args=[product.pk]), {
            "bom-component": "pk-ctn-m", "bom-quantity": "0.1667", "bom-scrap_percent": "2", "bom-note": "6 per carton"})
        assert response.status_code == 302
        assert response.url == product.get_absolute_url() + "#bom"
        line = BomLine.objects.get(product=product)
        assert (line.component.code, line.quantity, line.note) == ("PK-CTN-M", Decimal("0.1667"), "6 per carton")
        bom = table(merch_client.get(product.get_absolute_url()), "bom")
        assert bom[1][0] == "PK-CTN-M" and bom[1][5] == "0.17 pcs"  # 0.1667 × 1.02 = 0.170034 → 0.1700

    def test_the_add_form_suggests_components_and_packaging_only(self, merch_client):
        product = ProductFactory(code="EK-1")
        PackagingFactory(code="PK-CTN")
        SemiFinishedFactory(code="SF-HOUSING")
        ComponentFactory(code="MT-OLD", is_active=False)
        ProductFactory(code="EK-2")
        response = merch_client.get(product.get_absolute_url())
        assert [o.code for o in response.context["component_options"]] == ["PK-CTN", "SF-HOUSING"]

    def test_an_unknown_item_no_is_refused_on_the_field(self, merch_client):
        product = ProductFactory()
        response = merch_client.post(reverse("catalog:bom_add", args=[product.pk]),
                                     {"bom-component": "NOPE-1", "bom-quantity": "1", "bom-scrap_percent": "0"})
        assert response.status_code == 400
        assert "There is no product with item no. “NOPE-1”." in response.content.decode()
        assert not BomLine.objects.exists()

    def test_a_loop_is_refused_with_the_path(self, merch_client):
        a, b = SemiFinishedFactory(code="SF-A"), SemiFinishedFactory(code="SF-B")
        BomLineFactory(product=a, component=b)
        response = merch_client.post(reverse("catalog:bom_add", args=[b.pk]),
                                     {"bom-component": "SF-A", "bom-quantity": "1", "bom-scrap_percent": "0"})
        assert response.status_code == 400
        assert "(SF-B → SF-A → SF-B)" in response.content.decode()
        assert BomLine.objects.count() == 1

    def test_edit_a_line(self, merch_client):
        line = BomLineFactory(component=ComponentFactory(code="MT-ABS"), quantity=Decimal("0.35"))
        url = reverse("catalog:bom_edit", args=[line.product_id, line.pk])
        form = merch_client.get(url)
        assert controls(form, id="id_bom-component")[0]["value"] == "MT-ABS"
        response = merch_client.post(url, {"bom-component": "MT-ABS", "bom-quantity": "0.4",
                                           "bom-scrap_percent": "3", "bom-note": ""})
        assert response.status_code == 302
        line.refresh_from_db()
        assert (line.quantity, line.scrap_percent) == (Decimal("0.4"), Decimal("3"))

    def test_remove_a_line(self, merch_client):
        line = BomLineFactory()
        response = merch_client.post(reverse("catalog:bom_remove", args=[line.product_id, line.pk]))
        assert response.status_code == 302
        assert not BomLine.objects.filter(pk=line.pk).exists()

    def test_removing_needs_post(self, merch_client):
        line = BomLineFactory()
        assert merch_client.get(reverse("catalog:bom_remove", args=[line.product_id, line.pk])).status_code == 405
        assert BomLine.objects.filter(pk=line.pk).exists()

    def test_a_view_only_role_cannot_add_edit_or_remove(self, client_for, warehouse_user):
        line = BomLineFactory(quantity=Decimal("1"))
        client = client_for(warehouse_user)
        product_id = line.product_id
        assert client.post(reverse("catalog:bom_add", args=[product_id]),
                           {"bom-component": ComponentFactory().code, "bom-quantity": "1"}).status_code == 403
        assert client.post(reverse("catalog:bom_edit", args=[product_id, line.pk]),
                           {"bom-component": line.component.code, "bom-quantity": "9"}).status_code == 403
        assert client.post(reverse("catalog:bom_remove", args=[product_id, line.pk])).status_code == 403
        assert list(BomLine.objects.values_list("pk", "quantity")) == [(line.pk, Decimal("1"))]
