"""The colour × size variant matrix: the user lists colours and sizes and ticks the cells that exist."""

from __future__ import annotations

import pytest

from gendan.catalog.gtin import gtin_is_valid, gtin_with_check_digit
from gendan.catalog.models import ProductVariant
from gendan.catalog.selectors import variant_matrix
from gendan.catalog.services import MAX_MATRIX_SIDE, product_variants_set_matrix
from gendan.catalog.tests.factories import ProductFactory
from gendan.core.errors import ConflictError, NotAllowed, ValidationFailed
from gendan.core.models import Event

pytestmark = pytest.mark.django_db

EAN_A = "6901234567892"
EAN_B = "4006381333931"


def cells_of(product) -> set[tuple[str, str]]:
    return set(ProductVariant.objects.filter(product=product).values_list("colour", "size"))


def save(actor, product, colours, sizes, cells, version=None):
    product.refresh_from_db()
    return product_variants_set_matrix(
        actor=actor, product_id=product.pk, colours=colours, sizes=sizes, cells=cells,
        expected_version=product.version if version is None else version,
    )


def matrix_events(product):
    return Event.objects.filter(object_id=product.pk, content_type__model="product", verb=Event.Verb.UPDATED)


class TestCreateAndChange:
    def test_ticked_cells_become_variants_with_their_codes(self, merchandiser):
        product = ProductFactory()
        change = save(merchandiser, product, ["Red", "Blue"], ["S", "M", "L"], {
            ("Red", "S"): {"sku": "EK-RD-S", "barcode": EAN_A},
            ("Red", "M"): {},
            ("Blue", "M"): {"sku": "EK-BL-M"},
            ("Blue", "L"): {"barcode": EAN_B},
        })

        assert cells_of(product) == {("Red", "S"), ("Red", "M"), ("Blue", "M"), ("Blue", "L")}
        assert ProductVariant.objects.get(product=product, colour="Red", size="S").barcode == EAN_A
        assert change.added == ["Red / S", "Red / M", "Blue / M", "Blue / L"]
        product.refresh_from_db()
        assert product.version == 2
        event = matrix_events(product).get()
        assert event.changes["variants"] == {"old": "", "new": "Red / S, Red / M, Blue / M, Blue / L"}
        assert "4 added, 0 removed" in event.text

    def test_the_matrix_keeps_the_typed_order_of_colours_and_sizes(self, merchandiser):
        product = ProductFactory()
        save(merchandiser, product, ["Red", "Blue"], ["XL", "S", "M"], {("Red", "M"), ("Blue", "XL"), ("Blue", "S")})

        matrix = variant_matrix(list(product.variants.all()))
        assert matrix.colours == ["Red", "Blue"]
        assert matrix.sizes == ["XL", "S", "M"]
        grid = [[cell.size if cell else None for cell in row.cells] for row in matrix.rows]
        assert grid == [[None, None, "M"], ["XL", "S", None]]

    def test_unticking_removes_and_ticking_adds_in_one_event(self, merchandiser):
        product = ProductFactory()
        save(merchandiser, product, ["Red", "Blue"], ["S", "M"], {("Red", "S"), ("Red", "M"), ("Blue", "S")})
        kept = ProductVariant.objects.get(product=product, colour="Red", size="S")

        change = save(merchandiser, product, ["Red", "Blue", "Black"], ["S", "M"],
                      {("Red", "S"), ("Blue", "S"), ("Black", "M")})

        assert cells_of(product) == {("Red", "S"), ("Blue", "S"), ("Black", "M")}
        assert ProductVariant.objects.get(product=product, colour="Red", size="S").pk == kept.pk  # kept, not re-made
        assert (change.added, change.removed) == (["Black / M"], ["Red / M"])
        event = matrix_events(product).first()
        assert event.changes["variants"] == {"old": "Red / M", "new": "Black / M"}
        product.refresh_from_db()
        assert product.version == 3

    def test_codes_of_kept_cells_change_and_may_be_swapped(self, merchandiser):
        product = ProductFactory()
        save(merchandiser, product, ["Red"], ["S", "M"],
             {("Red", "S"): {"sku": "A", "barcode": EAN_A}, ("Red", "M"): {"sku": "B", "barcode": EAN_B}})

        change = save(merchandiser, product, ["Red"], ["S", "M"],
                      {("Red", "S"): {"sku": "B", "barcode": EAN_B}, ("Red", "M"): {"sku": "A", "barcode": EAN_A}})

        codes = {v.size: (v.sku, v.barcode) for v in product.variants.all()}
        assert codes == {"S": ("B", EAN_B), "M": ("A", EAN_A)}
        assert change.recoded == ["Red / S", "Red / M"]
        event = matrix_events(product).first()
        assert event.changes["variants.sku"] == {"old": "Red / S: A; Red / M: B", "new": "Red / S: B; Red / M: A",
                                                 "model": "catalog.productvariant"}

    def test_saving_the_same_matrix_again_changes_nothing(self, merchandiser):
        product = ProductFactory()
        save(merchandiser, product, ["Red"], ["S"], {("Red", "S"): {"sku": "A"}})
        change = save(merchandiser, product, ["Red"], ["S"], {("Red", "S"): {"sku": "A"}})
        assert not change
        product.refresh_from_db()
        assert product.version == 2
        assert matrix_events(product).count() == 1

    def test_no_ticked_cell_removes_every_variant(self, merchandiser):
        product = ProductFactory()
        save(merchandiser, product, ["Red"], ["S", "M"], {("Red", "S"), ("Red", "M")})
        change = save(merchandiser, product, ["Red"], ["S", "M"], set())
        assert change.removed == ["Red / S", "Red / M"]
        assert not product.variants.exists()


def assert_refused(actor, product, colours, sizes, cells, field, message):
    before = cells_of(product)
    product.refresh_from_db()
    version = product.version
    with pytest.raises(ValidationFailed) as exc:
        save(actor, product, colours, sizes, cells)
    assert any(message in m for m in exc.value.fields[field]), exc.value.fields
    assert cells_of(product) == before
    product.refresh_from_db()
    assert product.version == version


class TestBadInput:
    @pytest.fixture
    def product(self, merchandiser):
        product = ProductFactory()
        save(merchandiser, product, ["Red"], ["S"], {("Red", "S")})
        return product

    def test_empty_colour_name(self, merchandiser, product):
        assert_refused(merchandiser, product, ["Red", " "], ["S"], {("Red", "S")}, "colours",
                       "A colour name may not be empty.")

    def test_empty_size_name(self, merchandiser, product):
        assert_refused(merchandiser, product, ["Red"], ["S", ""], {("Red", "S")}, "sizes",
                       "A size name may not be empty.")

    def test_duplicate_colour_ignoring_case(self, merchandiser, product):
        assert_refused(merchandiser, product, ["Red", "Blue", "red"], ["S"], {("Blue", "S")}, "colours",
                       "The colour “red” is listed twice.")

    def test_duplicate_size(self, merchandiser, product):
        assert_refused(merchandiser, product, ["Red"], ["S", "M", "S"], {("Red", "M")}, "sizes",
                       "The size “S” is listed twice.")

    def test_more_than_the_largest_matrix(self, merchandiser, product):
        colours = [f"Colour {i}" for i in range(MAX_MATRIX_SIDE + 1)]
        assert_refused(merchandiser, product, colours, ["S"], set(), "colours",
                       f"At most {MAX_MATRIX_SIDE} colours, please (you gave {MAX_MATRIX_SIDE + 1}).")

    def test_a_size_longer_than_stored(self, merchandiser, product):
        assert_refused(merchandiser, product, ["Red"], ["X" * 31], set(), "sizes", "longer than 30 characters")

    def test_a_cell_outside_the_lists(self, merchandiser, product):
        assert_refused(merchandiser, product, ["Red"], ["S"], {("Red", "S"), ("Green", "S")}, "cells",
                       "These cells are not in the lists of colours and sizes: Green / S.")

    def test_a_barcode_with_a_wrong_check_digit(self, merchandiser, product):
        assert_refused(merchandiser, product, ["Red"], ["S", "M"], {("Red", "M"): {"barcode": "6901234567893"}},
                       "barcode", "Red / M: the barcode 6901234567893 has a wrong check digit.")

    def test_a_barcode_of_the_wrong_length(self, merchandiser, product):
        assert_refused(merchandiser, product, ["Red"], ["S"], {("Red", "S"): {"barcode": "12345"}},
                       "barcode", "Red / S: a barcode (EAN/UPC/GTIN) has 8, 12, 13 or 14 digits.")

    def test_the_same_sku_on_two_cells(self, merchandiser, product):
        assert_refused(merchandiser, product, ["Red"], ["S", "M"],
                       {("Red", "S"): {"sku": "EK-1"}, ("Red", "M"): {"sku": "EK-1"}},
                       "sku", "EK-1 is given to more than one cell: Red / S, Red / M.")

    def test_a_barcode_of_another_product(self, merchandiser, product):
        other = ProductFactory(code="OTHER-1")
        save(merchandiser, other, ["Black"], ["L"], {("Black", "L"): {"barcode": EAN_A}})
        assert_refused(merchandiser, product, ["Red"], ["S"], {("Red", "S"): {"barcode": EAN_A}},
                       "barcode", f"{EAN_A} is already used by OTHER-1 Black / L.")

    def test_a_stale_version_is_refused(self, merchandiser, product):
        with pytest.raises(ConflictError):
            save(merchandiser, product, ["Red"], ["S", "M"], {("Red", "M")}, version=1)
        assert cells_of(product) == {("Red", "S")}

    def test_a_view_only_role_is_refused(self, warehouse_user, product):
        with pytest.raises(NotAllowed):
            save(warehouse_user, product, ["Red"], ["S", "M"], {("Red", "M")})
        assert cells_of(product) == {("Red", "S")}


@pytest.mark.parametrize(
    ("code", "valid"),
    [("6901234567892", True), ("4006381333931", True), ("96385074", True), ("036000291452", True),
     ("10614141000415", True), ("6901234567893", False), ("690123456789", False), ("ABCDEFGH", False)],
)
def test_gtin_check_digit(code, valid):
    assert gtin_is_valid(code) is valid


def test_generated_barcodes_carry_a_valid_check_digit():
    assert gtin_with_check_digit("690123456789") == "6901234567892"


def test_a_cell_used_on_a_quotation_cannot_be_removed(merchandiser):
    """Later documents point at variants; the matrix keeps those cells (and says where they are used)."""
    import datetime as dt
    from decimal import Decimal

    from gendan.sales.models import Quotation, QuotationLine
    from tests.factories import CustomerFactory

    product = ProductFactory()
    save(merchandiser, product, ["Red"], ["S", "M"], {("Red", "S"), ("Red", "M")})
    quotation = Quotation.objects.create(number="QT-1", customer=CustomerFactory(), quoted_on=dt.date(2026, 11, 1),
                                         valid_until=dt.date(2026, 12, 1), created_by=merchandiser,
                                         currency_id="USD")
    QuotationLine.objects.create(quotation=quotation, line_no=1, product=product, description="kettle red M",
                                 variant=ProductVariant.objects.get(product=product, size="M"),
                                 quantity=Decimal("100"), unit_price=Decimal("5"), amount=Decimal("500"))

    assert_refused(merchandiser, product, ["Red"], ["S", "M"], {("Red", "S")}, "cells",
                   "These cells are used elsewhere and cannot be removed: Red / M (quotation line). Tick them again.")


def test_reordering_colours_is_saved_and_shown_in_the_new_order(merchandiser):
    product = ProductFactory()
    save(merchandiser, product, ["Red", "Blue"], ["S"], {("Red", "S"), ("Blue", "S")})
    change = save(merchandiser, product, ["Blue", "Red"], ["S"], {("Red", "S"), ("Blue", "S")})
    assert change.reordered and not (change.added or change.removed)
    assert variant_matrix(list(product.variants.all())).colours == ["Blue", "Red"]
    assert matrix_events(product).first().text == "Variant matrix: rows and columns reordered."
