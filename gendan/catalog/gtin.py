"""GS1 barcodes (EAN-8, UPC-A, EAN-13, GTIN-14): the last digit is a check digit over the others."""

from __future__ import annotations

GTIN_LENGTHS = (8, 12, 13, 14)


def gtin_check_digit(body: str) -> int:
    """Return the check digit for ``body`` (the digits without the check digit).

    GS1: from the right, weigh the digits 3, 1, 3, 1 …; the check digit brings the sum
    up to a multiple of ten.
    """
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def gtin_is_valid(code: str) -> bool:
    """Return whether ``code`` is a GTIN of a known length whose check digit is right."""
    if not code.isdigit() or len(code) not in GTIN_LENGTHS:
        return False
    return gtin_check_digit(code[:-1]) == int(code[-1])


def gtin_with_check_digit(body: str) -> str:
    """Return ``body`` followed by its check digit (for generated barcodes)."""
    return body + str(gtin_check_digit(body))
