"""Container numbers (柜号) by ISO 6346: the owner code (three letters), the equipment category
identifier (U freight container, J detachable equipment, Z trailer or chassis), six digits of
serial number and the check digit computed from the ten characters before it.

The check digit: each letter has a value from 10 upwards that skips the multiples of 11
(A = 10, B = 12 … K = 21, L = 23 … U = 32, V = 34 … Z = 38), each digit its own value; the
value of the character at position i (0 to 9) is multiplied by 2**i; the sum modulo 11, and a
remainder of 10 written as 0. Pure functions, no database.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_PATTERN = re.compile(r"^[A-Z]{3}[UJZ]\d{6}\d$")
CATEGORIES = "UJZ"


def _letter_values() -> dict[str, int]:
    values, value = {}, 10
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if value % 11 == 0:
            value += 1
        values[letter] = value
        value += 1
    return values


_VALUES = _letter_values() | {str(d): d for d in range(10)}


def normalize(value: object) -> str:
    """The number as it is written on the container, without spaces, dashes or slashes, in
    capitals ("csqu 305438-3" → "CSQU3054383")."""
    return re.sub(r"[\s\-/.]", "", str(value or "")).upper()


def check_digit(first_ten: str) -> int:
    """Return the check digit of owner code + category + serial number (ten characters).
    Raise ``ValueError`` when the ten characters are not three letters, U / J / Z and six digits."""
    text = normalize(first_ten)
    if not re.fullmatch(r"[A-Z]{3}[UJZ]\d{6}", text):
        raise ValueError(f"not an ISO 6346 owner code, category and serial number: {first_ten!r}")
    total = sum(_VALUES[char] * 2**position for position, char in enumerate(text))
    return total % 11 % 10


def problem(value: object) -> str | None:
    """Why ``value`` is not a valid container number (a translated sentence), or ``None``."""
    text = normalize(value)
    if not text:
        return _("Enter the container no. (e.g. CSQU3054383).")
    if len(text) != 11 or not _PATTERN.match(text):
        return _("“%(value)s” is not a container no.: 3 letters of the owner, U, J or Z, 6 digits and the check "
                 "digit (e.g. CSQU3054383).") % {"value": str(value)[:20]}
    expected = check_digit(text[:10])
    if int(text[10]) != expected:
        return _("Container no. %(value)s: the check digit is wrong (%(found)s; by ISO 6346 it would be "
                 "%(expected)s). Check the number on the door.") % {
            "value": text, "found": text[10], "expected": expected}
    return None


def validate(value: object) -> bool:
    """Whether ``value`` is a container number with the right check digit."""
    return problem(value) is None
