"""Unified social credit code (GB 32100-2015), DOMAIN §8.3."""

from __future__ import annotations

import pytest

from gendan.parties.credit_code import ALPHABET, WEIGHTS, check_character, is_valid, normalise

VERIFIED = ["91350200776049653A", "91440101MA5CJQ4N59", "91350213678251743X", "913502000728319549",
            "123502001549897397"]


@pytest.mark.parametrize("code", VERIFIED)
def test_verified_codes_pass(code):
    assert is_valid(code)


def test_legacy_pilot_region_code_fails_the_check():
    assert not is_valid("91350203M0001QAY9B")


def test_weights_are_powers_of_three_mod_31():
    assert WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert len(ALPHABET) == 31


@pytest.mark.parametrize("code", VERIFIED)
def test_every_other_check_character_is_refused(code):
    wrong = [c for c in ALPHABET if c != code[17]]
    assert not any(is_valid(code[:17] + c) for c in wrong)


@pytest.mark.parametrize("code", VERIFIED)
def test_a_single_mistyped_character_is_caught(code):
    for position in range(17):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            typo = code[:position] + replacement + code[position + 1:]
            assert not is_valid(typo), typo


@pytest.mark.parametrize("bad", ["", "9135020077604965", "91350200776049653A0", "91350200776049653"])
def test_wrong_length_fails(bad):
    assert not is_valid(bad)


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_outside_the_alphabet_fail(letter):
    # Put the forbidden letter in the body and give it every possible check character.
    body = "9135020077604965" + letter
    assert not any(is_valid(body + c) for c in ALPHABET)


@pytest.mark.parametrize(
    "typed",
    ["91350200776049653a", " 91350200776049653A ", "9135 0200 7760 4965 3A", "91440101ma5cjq4n59",
     "9144\t0101MA5C\nJQ4N59"],
)
def test_lowercase_and_spaces_are_normalised(typed):
    assert is_valid(typed)
    assert normalise(typed) in VERIFIED


@pytest.mark.parametrize("not_text", [None, 913502000728319549, b"913502000728319549"])
def test_non_text_is_not_a_code(not_text):
    assert not is_valid(not_text)


def test_check_character_computes_the_18th_character():
    assert [check_character(code[:17]) for code in VERIFIED] == [code[17] for code in VERIFIED]
