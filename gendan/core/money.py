"""Money: Decimal only, per-currency minor units, one explicit rounding mode.

Rules (DESIGN §5, RELIABILITY §3): every amount has a currency; a line amount is
rounded to the currency's minor unit, then lines are summed, so a document's total
always equals the sum of its printed lines. Rounding is ROUND_HALF_UP (Chinese
commercial practice, Odoo's default); it is named here once and used everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

ROUNDING = ROUND_HALF_UP


@dataclass(frozen=True)
class CurrencyInfo:
    code: str
    minor_unit: int  # ISO 4217 exponent: 2 for USD (cents), 0 for JPY
    name_zh: str
    name_en: str
    symbol: str
    words_major: str  # as printed in "SAY US DOLLARS … ONLY"
    words_minor: str  # "CENTS"; empty when minor_unit == 0


# ISO 4217 facts. The Currency table (core.models.Currency) is filled from this and
# says which of them the company uses; minor units are a property of the currency.
CURRENCIES: dict[str, CurrencyInfo] = {
    c.code: c
    for c in [
        CurrencyInfo("CNY", 2, "人民币", "Chinese Yuan", "¥", "CHINESE YUAN RENMINBI", "FEN"),
        CurrencyInfo("USD", 2, "美元", "US Dollar", "US$", "US DOLLARS", "CENTS"),
        CurrencyInfo("EUR", 2, "欧元", "Euro", "€", "EUROS", "CENTS"),
        CurrencyInfo("GBP", 2, "英镑", "Pound Sterling", "£", "POUNDS STERLING", "PENCE"),
        CurrencyInfo("JPY", 0, "日元", "Japanese Yen", "JP¥", "JAPANESE YEN", ""),
        CurrencyInfo("HKD", 2, "港币", "Hong Kong Dollar", "HK$", "HONG KONG DOLLARS", "CENTS"),
        CurrencyInfo("AUD", 2, "澳元", "Australian Dollar", "A$", "AUSTRALIAN DOLLARS", "CENTS"),
        CurrencyInfo("CAD", 2, "加元", "Canadian Dollar", "C$", "CANADIAN DOLLARS", "CENTS"),
        CurrencyInfo("CHF", 2, "瑞士法郎", "Swiss Franc", "CHF", "SWISS FRANCS", "CENTIMES"),
        CurrencyInfo("SGD", 2, "新加坡元", "Singapore Dollar", "S$", "SINGAPORE DOLLARS", "CENTS"),
    ]
}


class MoneyError(ValueError):
    """An amount that cannot be used as money (wrong type, negative, too precise)."""


def currency_info(code: str) -> CurrencyInfo:
    """Return the ISO facts for ``code``; raise ``MoneyError`` for an unknown currency."""
    try:
        return CURRENCIES[code.upper()]
    except (KeyError, AttributeError):
        raise MoneyError(_("Unknown currency “%(code)s”.") % {"code": code}) from None


def to_decimal(value: object) -> Decimal:
    """Return ``value`` as a finite Decimal. Floats are refused: they cannot hold cents exactly."""
    if isinstance(value, (bool, float)):
        raise MoneyError(_("Amounts must be exact decimals, not floating-point numbers."))
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (int, str)):
        try:
            result = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise MoneyError(_("“%(value)s” is not a number.") % {"value": value}) from None
    else:
        raise MoneyError(_("“%(value)s” is not a number.") % {"value": value})
    if not result.is_finite():
        raise MoneyError(_("“%(value)s” is not a number.") % {"value": value})
    return result


def quantum(currency: str) -> Decimal:
    """Return the smallest amount of ``currency`` (Decimal("0.01") for USD, Decimal("1") for JPY)."""
    return Decimal(1).scaleb(-currency_info(currency).minor_unit)


# Beyond this no amount of any document is stored (the money columns hold 16 digits before the
# decimal point); checked before quantize, which fails on a 30-digit number (InvalidOperation).
MAX_AMOUNT = Decimal("1e16")


def too_large(value: object) -> MoneyError:
    return MoneyError(_("%(value)s is too large.") % {"value": value})


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round ``amount`` to the currency's minor unit with the one rounding mode (HALF_UP).
    Raises ``MoneyError`` (never ``InvalidOperation``) for an amount beyond ``MAX_AMOUNT``."""
    value = to_decimal(amount)
    if abs(value) >= MAX_AMOUNT:
        raise too_large(amount)
    try:
        return value.quantize(quantum(currency), rounding=ROUNDING)
    except InvalidOperation:  # pragma: no cover - excluded by MAX_AMOUNT; kept as the last guard
        raise too_large(amount) from None


def line_amount(quantity: Decimal | int, unit_price: Decimal, currency: str) -> Decimal:
    """Return quantity × unit price rounded per line, as it is printed on the document."""
    return round_money(to_decimal(quantity) * to_decimal(unit_price), currency)


def sum_amounts(amounts, currency: str) -> Decimal:
    """Sum already-rounded line amounts; the result is exact in the currency's minor unit."""
    total = sum((to_decimal(a) for a in amounts), Decimal(0))
    return round_money(total, currency)


def check_precision(amount: Decimal, currency: str) -> Decimal:
    """Return ``amount`` unchanged if it fits the currency's minor unit; raise otherwise."""
    amount = to_decimal(amount)
    if amount != round_money(amount, currency):
        raise MoneyError(
            _("%(amount)s has more decimals than %(currency)s allows (%(places)d).")
            % {"amount": amount, "currency": currency, "places": currency_info(currency).minor_unit}
        )
    return amount


@dataclass(frozen=True)
class Money:
    """An amount in one currency. Adding different currencies is an error, never a silent sum."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_decimal(self.amount))
        currency_info(self.currency)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise MoneyError(
                _("Cannot add %(a)s and %(b)s amounts.") % {"a": self.currency, "b": other.currency}
            )
        return Money(self.amount + other.amount, self.currency)

    def rounded(self) -> Money:
        return Money(round_money(self.amount, self.currency), self.currency)

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)


def format_money(amount: Decimal, currency: str) -> str:
    """Return e.g. ``USD 12,345.60`` with the currency's decimals and thousands separators."""
    return f"{currency} {format_amount(amount, currency)}"


def format_amount(amount: Decimal, currency: str) -> str:
    """Return e.g. ``12,345.60``: the amount alone, for a text that names the currency itself."""
    places = currency_info(currency).minor_unit
    value = round_money(amount, currency)
    return f"{value:,.{places}f}"


def format_quantity(value: Decimal | int) -> str:
    """Return e.g. ``2,200`` for 2200.000 and ``12.5`` for 12.500: no trailing zeros, thousands separated."""
    number = to_decimal(value)
    text = f"{number:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- amount in words -----------------------------------------------------------------

_ONES = [
    "ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN",
    "ELEVEN", "TWELVE", "THIRTEEN", "FOURTEEN", "FIFTEEN", "SIXTEEN", "SEVENTEEN", "EIGHTEEN", "NINETEEN",
]
_TENS = ["", "", "TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY"]
_SCALES = ["", "THOUSAND", "MILLION", "BILLION", "TRILLION"]


def _words_below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words += [_ONES[hundreds], "HUNDRED"]
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    elif rest:
        words.append(_ONES[rest])
    return words


def integer_in_english(n: int) -> str:
    """Return a non-negative integer in English capitals: 1409 → ``ONE THOUSAND FOUR HUNDRED NINE``."""
    if n == 0:
        return "ZERO"
    groups: list[str] = []
    scale = 0
    while n:
        n, chunk = divmod(n, 1000)
        if chunk:
            if scale >= len(_SCALES):
                raise MoneyError(_("The amount is too large to write in words."))
            groups.insert(0, " ".join(_words_below_thousand(chunk) + ([_SCALES[scale]] if _SCALES[scale] else [])))
        scale += 1
    return " ".join(groups)


def _checked_amount(amount: object, places: int) -> Decimal:
    value = to_decimal(amount)
    if value < 0:
        raise MoneyError(_("The amount may not be negative."))
    if value >= MAX_AMOUNT:
        raise too_large(amount)
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise MoneyError(
            _("%(amount)s has more than %(places)d decimal places.") % {"amount": value, "places": places}
        )
    return value


def amount_in_words_en(amount: Decimal, currency: str = "USD") -> str:
    """Return the amount as printed on invoices: ``SAY US DOLLARS ONE HUNDRED AND CENTS FIFTY ONLY``.

    Refuses negative amounts and amounts finer than the currency's minor unit.
    """
    info = currency_info(currency)
    value = _checked_amount(amount, info.minor_unit)
    major = int(value)
    minor = int((value - major).scaleb(info.minor_unit))
    text = f"SAY {info.words_major} {integer_in_english(major)}"
    if minor:
        text += f" AND {info.words_minor} {integer_in_english(minor)}"
    return text + " ONLY"


_CN_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CN_POSITIONS = ["", "拾", "佰", "仟"]
_CN_GROUPS = ["", "万", "亿"]  # 元, 万, 亿 groups of four digits
_CN_MAX = Decimal(10) ** 12  # up to 9999 亿: far beyond any order


def amount_in_chinese_capitals(amount: Decimal) -> str:
    """Return a CNY amount in Chinese capitals per the PBOC settlement rules (DOMAIN §8.1).

    ``Decimal("1409.50")`` → ``人民币壹仟肆佰零玖元伍角``. Whole amounts end in 整; after 角
    整 is omitted; after 分 it is never written. A zero between digits is written once
    as 零; a zero 元 digit before a non-zero 角, or a zero 角 before a non-zero 分, is
    written as 零. Refuses negative amounts, floats and more than two decimals.
    """
    value = _checked_amount(amount, 2)
    if value >= _CN_MAX:
        raise MoneyError(_("The amount is too large to write in Chinese capitals."))
    cents = int(value.scaleb(2))
    integer, fraction = divmod(cents, 100)
    jiao, fen = divmod(fraction, 10)

    text = ""
    if integer:
        digits = str(integer)
        length = len(digits)
        pending_zero = False
        group_has_digit = False
        for index, char in enumerate(digits):
            place = length - 1 - index  # 0 = 元 place
            position, group = place % 4, place // 4
            digit = int(char)
            if digit == 0:
                pending_zero = True
            else:
                if pending_zero and text:
                    text += "零"
                pending_zero = False
                text += _CN_DIGITS[digit] + _CN_POSITIONS[position]
                group_has_digit = True
            if position == 0:
                if group_has_digit and group > 0:
                    text += _CN_GROUPS[group]
                # Zeros closing a group are not read before the next group's 仟
                # (壹拾万柒仟); a zero inside the next group still is (壹佰万零伍佰).
                pending_zero = False
                group_has_digit = False
        text += "元"
        if not jiao and not fen:
            return "人民币" + text + "整"
        if jiao and integer % 10 == 0:
            text += "零"
    if jiao:
        text += _CN_DIGITS[jiao] + "角"
    elif fen and integer:
        text += "零"
    if fen:
        text += _CN_DIGITS[fen] + "分"
    if not text:
        return "人民币零元整"
    return "人民币" + text
