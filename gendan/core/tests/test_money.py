from decimal import Decimal

import pytest

from gendan.core.money import (
    Money,
    MoneyError,
    amount_in_chinese_capitals,
    amount_in_words_en,
    check_precision,
    format_money,
    line_amount,
    quantum,
    round_money,
    sum_amounts,
    to_decimal,
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


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("12345.6"), "USD", "USD 12,345.60"),
        (Decimal("1234567.891"), "EUR", "EUR 1,234,567.89"),
        (Decimal("0.005"), "USD", "USD 0.01"),  # half up, like the printed line
        (Decimal("1234.5"), "JPY", "JPY 1,235"),  # yen has no decimals
        (Decimal("-1500"), "CNY", "CNY -1,500.00"),
        (Decimal("0"), "GBP", "GBP 0.00"),
    ],
)
def test_format_money_uses_the_currencys_decimals_and_thousands(amount, currency, expected):
    assert format_money(amount, currency) == expected


def test_money_prints_as_formatted_amount():
    assert str(Money(Decimal("1409.5"), "USD")) == "USD 1,409.50"


def test_format_money_refuses_unknown_currency_and_floats():
    with pytest.raises(MoneyError):
        format_money(Decimal("1"), "XYZ")
    with pytest.raises(MoneyError, match="floating-point"):
        format_money(1.1, "USD")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1,234.50", Decimal("1234.50")), (" 12 ", Decimal("12")), (7, Decimal("7")), (Decimal("0.1"), Decimal("0.1"))],
)
def test_to_decimal_reads_typed_amounts(raw, expected):
    assert to_decimal(raw) == expected


@pytest.mark.parametrize("bad", ["abc", "", "Infinity", None, True, 0.1, [1]])
def test_to_decimal_refuses_what_is_not_an_exact_number(bad):
    with pytest.raises(MoneyError):
        to_decimal(bad)


def test_money_refuses_unknown_currency_and_floats():
    with pytest.raises(MoneyError):
        Money(Decimal("1"), "XYZ")
    with pytest.raises(MoneyError):
        Money(0.1, "USD")


def test_money_rounds_to_the_minor_unit():
    assert Money(Decimal("2.345"), "USD").rounded() == Money(Decimal("2.35"), "USD")
    assert Money(Decimal("99.5"), "JPY").rounded().amount == Decimal("100")


def test_quantum_follows_iso_minor_units():
    assert quantum("USD") == Decimal("0.01")
    assert quantum("JPY") == Decimal("1")
    assert quantum("usd") == Decimal("0.01")
