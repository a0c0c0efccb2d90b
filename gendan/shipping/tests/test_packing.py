"""Cartons and their weights (shipping.packing): full cartons, and a last part carton that
weighs what it holds — the numbers the packing list, the B/L check and the containers share."""

from decimal import Decimal as D

from gendan.shipping.packing import carton_parts, gross_kg, line_cartons


def test_full_cartons_only():
    (part,) = carton_parts(D("1200"), None, 24, D("9"), D("10.5"))
    assert (part.cartons, part.pcs, part.quantity, part.gross_kg, part.net_kg) == (50, D(24), D(1200), D("525.00"),
                                                                                   D("450.00"))


def test_a_part_carton_weighs_its_tare_and_its_share_of_the_net_weight():
    full, part = carton_parts(D("1000"), None, 24, D("8.4"), D("9.6"))
    assert (full.cartons, full.quantity, part.cartons, part.pcs) == (41, D(984), 1, D(16))
    assert part.nw == D("5.600") and part.gw == D("6.800")  # tare 1.2 kg + 16/24 of 8.4 kg
    assert gross_kg(D("1000"), None, 24, D("8.4"), D("9.6")) == D("393.60") + D("6.80")


def test_without_a_net_weight_a_part_carton_counts_as_a_full_one():
    _full, part = carton_parts(D("25"), 2, 24, None, D("10"))
    assert part.gw == D("10") and gross_kg(D("25"), 2, 24, None, D("10")) == D("20.00")


def test_cartons_counted_differently_from_the_product_are_taken_as_counted():
    (part,) = carton_parts(D("100"), 4, 24, D("8"), D("9"))  # packed 25 a carton on this order
    assert (part.cartons, part.pcs) == (4, D(25))
    assert line_cartons(D("1000"), type("P", (), {"units_per_carton": 24})()) == 42
    assert gross_kg(D("10"), None, None, None, None) is None
