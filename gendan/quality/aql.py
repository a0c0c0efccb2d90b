"""AQL sampling plans: ISO 2859-1 (= ANSI/ASQ Z1.4, MIL-STD-105E), single sampling, normal inspection.

``sampling_plan(lot_size, aql, level)`` returns ``(sample size, Ac, Re)``: inspect that many
pieces; the lot is accepted with at most Ac defects of the class and rejected with Re or more.

Table I gives the sample size code letter for the lot size and inspection level; Table II-A
gives Ac/Re per code letter and AQL, with arrows where no plan fits: ↓ take the first plan
below the arrow, ↑ the first plan above — and then that plan's sample size, not the code
letter's. When the sample would be the whole lot or more, every piece is inspected (100 %).
Source: /work/shared/reference/DOMAIN.md §7.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

LEVELS = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")

# Table I: (upper lot size, code letters for S-1, S-2, S-3, S-4, I, II, III); None = no upper bound.
_TABLE_I: list[tuple[int | None, str]] = [
    (8, "AAAAAAB"),
    (15, "AAAAABC"),
    (25, "AABBBCD"),
    (50, "ABBCCDE"),
    (90, "BBCCCEF"),
    (150, "BBCDDFG"),
    (280, "BCDEEGH"),
    (500, "BCDEFHJ"),
    (1200, "CCEFGJK"),
    (3200, "CDEGHKL"),
    (10000, "CDFGJLM"),
    (35000, "CDFHKMN"),
    (150000, "DEGJLNP"),
    (500000, "DEGJMPQ"),
    (None, "DEHKNQR"),
]

CODE_LETTERS = "ABCDEFGHJKLMNPQR"
SAMPLE_SIZES = dict(zip(CODE_LETTERS, (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000),
                        strict=True))

# Table II-A follows one diagonal: each AQL column starts with ↓, then from the code letter of its
# first plan reads 0/1, ↑, ↓, 1/2, 2/3, 3/4, 5/6, 7/8, 10/11, 14/15, 21/22, and ↑ to the bottom.
FIRST_PLAN = {"0.065": "L", "0.10": "K", "0.15": "J", "0.25": "H", "0.40": "G", "0.65": "F",
              "1.0": "E", "1.5": "D", "2.5": "C", "4.0": "B", "6.5": "A"}
_DIAGONAL: list[tuple[int, int] | str] = [(0, 1), "up", "down", (1, 2), (2, 3), (3, 4), (5, 6), (7, 8),
                                          (10, 11), (14, 15), (21, 22)]
AQLS = tuple(FIRST_PLAN)  # every AQL the table here covers, tightest first


def _cell(aql: str, letter: str) -> tuple[int, int] | str:
    """Table II-A cell: ``(Ac, Re)`` or the arrow ``"up"`` / ``"down"``."""
    offset = CODE_LETTERS.index(letter) - CODE_LETTERS.index(FIRST_PLAN[aql])
    if offset < 0:
        return "down"
    if offset >= len(_DIAGONAL):
        return "up"
    return _DIAGONAL[offset]


def code_letter(lot_size: int, level: str = "II") -> str:
    """Table I: the sample size code letter for ``lot_size`` at inspection ``level``."""
    column = LEVELS.index(level)
    for upper, letters in _TABLE_I:
        if upper is None or lot_size <= upper:
            return letters[column]
    raise AssertionError("unreachable: the last row has no upper bound")


def normalise_aql(aql) -> str:
    """Return the table's spelling of ``aql`` ("2.5", "0.10", "1.0"…); ValueError if not in the table."""
    try:
        value = Decimal(str(aql).strip())
    except (InvalidOperation, ValueError):
        value = None
    for key in AQLS:
        if value is not None and value.is_finite() and Decimal(key) == value:
            return key
    raise ValueError(_("AQL “%(aql)s” is not in the sampling table; use one of %(list)s.")
                     % {"aql": aql, "list": ", ".join(AQLS)})


def sampling_plan(lot_size: int, aql: str, level: str = "II") -> tuple[int, int, int]:
    """Return ``(sample size, Ac, Re)`` for a lot of ``lot_size`` pieces, normal single sampling.

    Raises ``ValueError`` for a lot size that is not a whole number ≥ 2, an AQL outside the
    table or an unknown inspection level.
    """
    if isinstance(lot_size, bool) or not isinstance(lot_size, int) or lot_size < 2:
        raise ValueError(_("The lot size must be a whole number of at least 2 pieces (got “%(lot)s”).")
                         % {"lot": lot_size})
    if level not in LEVELS:
        raise ValueError(_("Inspection level “%(level)s” is unknown; use one of %(list)s.")
                         % {"level": level, "list": ", ".join(LEVELS)})
    key = normalise_aql(aql)
    index = CODE_LETTERS.index(code_letter(lot_size, level))
    cell = _cell(key, CODE_LETTERS[index])
    if cell in ("up", "down"):
        step = 1 if cell == "down" else -1
        while isinstance(cell, str):  # follow the arrow to the first plan in its direction
            index += step
            cell = _cell(key, CODE_LETTERS[index])
    accept, reject = cell
    sample = SAMPLE_SIZES[CODE_LETTERS[index]]
    return min(sample, lot_size), accept, reject
