from decimal import Decimal

import pytest

from gendan.core.money import (
    Money,
    MoneyError,
    amount_in_chinese_capitals,
    amount_in_words_en,
    check_precision,
    line_amount,
    round_money,
    sum_amounts,
)


@pytest.mark.parametrize(
    ("amount", "accepted"),
    [
        ("1409.50", {"人民币壹仟肆佰零玖元伍角"}),
        ("6007.14", {"人民币陆仟零柒元壹角肆分"}),
        ("1680.32", {"人民币壹仟陆佰捌拾元零叁角贰分", "人民币壹仟陆佰捌拾元叁角贰分"}),
        ("107000.53", {"人民币壹拾万柒仟元零伍角叁分", "人民币壹拾万零柒仟元伍角叁分"}),
        ("16409.02", {"人民币壹万陆仟肆佰零玖元零贰分"}),
        ("325.04", {"人民币叁佰贰拾伍元零肆分"}),
    ],
)
def test_chinese_capitals_match_the_pboc_examples(amount, accepted):
    assert amount_in_chinese_capitals(Decimal(amount)) in accepted


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0", "人民币零元整"),
        ("10", "人民币壹拾元整"),
        ("0.50", "人民币伍角"),
        ("0.05", "人民币伍分"),
        ("100000000", "人民币壹亿元整"),
        ("1000500", "人民币壹佰万零伍佰元整"),
        ("100010001", "人民币壹亿零壹万零壹元整"),
        ("20305000070.80", "人民币贰佰零叁亿零伍佰万零柒拾元零捌角"),
        ("1.500", "人民币壹元伍角"),
    ],
)
def test_chinese_capitals_zero_and_unit_rules(amount, expected):
    assert amount_in_chinese_capitals(Decimal(amount)) == expected


def test_after_fen_never_zheng_after_yuan_always():
    assert amount_in_chinese_capitals(Decimal("12.34")).endswith("分")
    assert amount_in_chinese_capitals(Decimal("12")).endswith("元整")


@pytest.mark.parametrize("bad", [Decimal("-1"), Decimal("1.005"), Decimal("NaN")])
def test_chinese_capitals_refuses_negative_and_over_precise(bad):
    with pytest.raises(MoneyError):
        amount_in_chinese_capitals(bad)


def test_floats_are_refused_with_a_clear_message():
    with pytest.raises(MoneyError, match="floating-point"):
        amount_in_chinese_capitals(1409.5)


def test_english_words():
    assert amount_in_words_en(Decimal("1409.50"), "USD") == (
        "SAY US DOLLARS ONE THOUSAND FOUR HUNDRED NINE AND CENTS FIFTY ONLY"
    )
    assert amount_in_words_en(Decimal("12"), "USD") == "SAY US DOLLARS TWELVE ONLY"
    assert amount_in_words_en(Decimal("1000000"), "JPY") == "SAY JAPANESE YEN ONE MILLION ONLY"
    with pytest.raises(MoneyError):
        amount_in_words_en(Decimal("10.5"), "JPY")  # yen has no minor unit
    with pytest.raises(MoneyError):
        amount_in_words_en(Decimal("-3"), "USD")


def test_rounding_is_half_up_per_currency():
    assert round_money(Decimal("2.345"), "USD") == Decimal("2.35")
    assert round_money(Decimal("2.5"), "JPY") == Decimal("3")
    assert line_amount(3, Decimal("0.335"), "USD") == Decimal("1.01")  # 1.005 → 1.01


def test_total_is_sum_of_rounded_lines():
    lines = [line_amount(3, Decimal("0.335"), "USD") for _ in range(3)]
    assert sum_amounts(lines, "USD") == Decimal("3.03")  # not round(3 × 1.005) = 3.02


def test_unknown_currency_and_precision():
    with pytest.raises(MoneyError, match="Unknown currency"):
        round_money(Decimal("1"), "XYZ")
    with pytest.raises(MoneyError):
        check_precision(Decimal("1.001"), "USD")
    assert check_precision(Decimal("1.10"), "USD") == Decimal("1.10")


def test_money_refuses_mixed_currencies():
    with pytest.raises(MoneyError):
        Money(Decimal("1"), "USD") + Money(Decimal("1"), "EUR")
    assert (Money(Decimal("1.10"), "USD") + Money(Decimal("2"), "USD")).amount == Decimal("3.10")
