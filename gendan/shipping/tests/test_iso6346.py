"""Container numbers by ISO 6346: the check digit of real numbers, and what is refused."""

from __future__ import annotations

import pytest

from gendan.shipping import iso6346


@pytest.mark.parametrize("number", [
    "CSQU3054383",  # the example of ISO 6346 itself
    "BICU1234565",  # the BIC's example
    "MSKU9070323",  # Maersk
    "ABCU1234560",  # a remainder of 10 is written 0
])
def test_real_numbers_pass(number):
    assert iso6346.check_digit(number[:10]) == int(number[10])
    assert iso6346.validate(number) and iso6346.problem(number) is None


def test_written_with_spaces_and_dashes_or_in_small_letters_still_passes():
    assert iso6346.normalize("csqu 305438-3") == "CSQU3054383"
    assert iso6346.validate("csqu 305438-3")


@pytest.mark.parametrize(("number", "expected"), [("CSQU3054384", 3), ("MSKU9070321", 3), ("BICU1234560", 5)])
def test_a_wrong_check_digit_is_refused_with_the_right_one_named(number, expected):
    assert not iso6346.validate(number)
    message = iso6346.problem(number)
    assert "check digit" in message and f"it would be {expected}" in message


@pytest.mark.parametrize("number", ["", "CSQU305438", "CSQU30543833", "CSQX3054383", "C5QU3054383",
                                    "CSQU30543B3", "集装箱1234567", None])
def test_what_is_not_shaped_like_a_container_number_is_refused(number):
    assert not iso6346.validate(number)
    assert iso6346.problem(number)


def test_the_categories_j_and_z_are_container_numbers_too():
    for category in "JZ":
        ten = f"CSQ{category}305438"
        assert iso6346.validate(ten + str(iso6346.check_digit(ten)))


def test_check_digit_refuses_what_is_not_ten_characters_of_the_right_shape():
    with pytest.raises(ValueError):
        iso6346.check_digit("CSQU30543")
