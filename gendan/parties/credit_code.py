"""Unified social credit code (统一社会信用代码), GB 32100-2015 — DOMAIN §8.3.

18 characters from ``0-9 A-H J-N P-R T-U W-Y``; the 18th is a mod-31 check character
over the first 17 with weights 3^i mod 31.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28


def normalise(code: str) -> str:
    """Upper-case and strip spaces, as people paste codes from licences and letterheads."""
    return "".join(code.split()).upper()


def check_character(first17: str) -> str:
    """Return the check character for the first 17 characters (raises KeyError on bad ones)."""
    total = sum(_VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """Return True if ``code`` is a well-formed credit code with a correct check character."""
    if not isinstance(code, str):
        return False
    code = normalise(code)
    if len(code) != 18 or any(ch not in _VALUES for ch in code):
        return False
    return check_character(code[:17]) == code[17]
