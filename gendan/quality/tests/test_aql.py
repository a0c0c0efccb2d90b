"""AQL sampling plans against ISO 2859-1 Tables I and II-A as written out in DOMAIN.md §7.

The expectations come from the tables below, copied from the reference, never from the code
under test: Table II-A with its arrows, resolved here by walking the printed column.
"""

from __future__ import annotations

import pytest

from gendan.quality.aql import sampling_plan

# Table I — lot size ranges and code letters for S-1, S-2, S-3, S-4, I, II, III.
TABLE_I = """
2 8 A A A A A A B
9 15 A A A A A B C
16 25 A A B B B C D
26 50 A B B C C D E
51 90 B B C C C E F
91 150 B B C D D F G
151 280 B C D E E G H
281 500 B C D E F H J
501 1200 C C E F G J K
1201 3200 C D E G H K L
3201 10000 C D F G J L M
10001 35000 C D F H K M N
35001 150000 D E G J L N P
150001 500000 D E G J M P Q
500001 10000000 D E H K N Q R
"""
LEVELS = ["S-1", "S-2", "S-3", "S-4", "I", "II", "III"]
SAMPLE = {"A": 2, "B": 3, "C": 5, "D": 8, "E": 13, "F": 20, "G": 32, "H": 50, "J": 80, "K": 125, "L": 200,
          "M": 315, "N": 500, "P": 800, "Q": 1250, "R": 2000}

# Table II-A, normal single sampling: Ac/Re, v = use the first plan below, ^ = the first plan above.
AQL_COLUMNS = ["0.065", "0.10", "0.15", "0.25", "0.40", "0.65", "1.0", "1.5", "2.5", "4.0", "6.5"]
TABLE_II_A = """
A  v    v    v    v    v     v     v     v     v     v     0/1
B  v    v    v    v    v     v     v     v     v     0/1   ^
C  v    v    v    v    v     v     v     v     0/1   ^     v
D  v    v    v    v    v     v     v     0/1   ^     v     1/2
E  v    v    v    v    v     v     0/1   ^     v     1/2   2/3
F  v    v    v    v    v     0/1   ^     v     1/2   2/3   3/4
G  v    v    v    v    0/1   ^     v     1/2   2/3   3/4   5/6
H  v    v    v    0/1  ^     v     1/2   2/3   3/4   5/6   7/8
J  v    v    0/1  ^    v     1/2   2/3   3/4   5/6   7/8   10/11
K  v    0/1  ^    v    1/2   2/3   3/4   5/6   7/8   10/11 14/15
L  0/1  ^    v    1/2  2/3   3/4   5/6   7/8   10/11 14/15 21/22
M  ^    v    1/2  2/3  3/4   5/6   7/8   10/11 14/15 21/22 ^
N  v    1/2  2/3  3/4  5/6   7/8   10/11 14/15 21/22 ^     ^
P  1/2  2/3  3/4  5/6  7/8   10/11 14/15 21/22 ^     ^     ^
Q  2/3  3/4  5/6  7/8  10/11 14/15 21/22 ^     ^     ^     ^
R  3/4  5/6  7/8  10/11 14/15 21/22 ^    ^     ^     ^     ^
"""

# DOMAIN.md §7.2 "Resolved plans, level II, normal": lot range -> (n, Ac, Re) for AQL 2.5 and 4.0.
RESOLVED_II = [
    (9, 15, (5, 0, 1), (3, 0, 1)),
    (16, 25, (5, 0, 1), (3, 0, 1)),
    (26, 50, (5, 0, 1), (13, 1, 2)),
    (51, 90, (20, 1, 2), (13, 1, 2)),
    (91, 150, (20, 1, 2), (20, 2, 3)),
    (151, 280, (32, 2, 3), (32, 3, 4)),
    (281, 500, (50, 3, 4), (50, 5, 6)),
    (501, 1200, (80, 5, 6), (80, 7, 8)),
    (1201, 3200, (125, 7, 8), (125, 10, 11)),
    (3201, 10000, (200, 10, 11), (200, 14, 15)),
    (10001, 35000, (315, 14, 15), (315, 21, 22)),
    (35001, 150000, (500, 21, 22), (315, 21, 22)),
    (150001, 500000, (500, 21, 22), (315, 21, 22)),
    (500001, 2000000, (500, 21, 22), (315, 21, 22)),
]


def _table_i():
    rows = []
    for line in TABLE_I.strip().splitlines():
        low, high, *letters = line.split()
        rows.append((int(low), int(high), dict(zip(LEVELS, letters, strict=True))))
    return rows


def _table_ii_a():
    table = {}
    for line in TABLE_II_A.strip().splitlines():
        letter, *cells = line.split()
        table[letter] = dict(zip(AQL_COLUMNS, cells, strict=True))
    return table


def _resolve(letter: str, aql: str) -> tuple[int, int, int]:
    """Walk the printed column from ``letter`` along the arrows to a plan: (n, Ac, Re)."""
    table = _table_ii_a()
    letters = list(table)
    index = letters.index(letter)
    while table[letters[index]][aql] in ("v", "^"):
        index += 1 if table[letters[index]][aql] == "v" else -1
    ac, re = table[letters[index]][aql].split("/")
    return SAMPLE[letters[index]], int(ac), int(re)


@pytest.mark.parametrize("level", LEVELS)
def test_code_letter_for_every_lot_range_and_level(level):
    """Table I: both ends of every lot range give the code letter's sample size (or its plan)."""
    for low, high, letters in _table_i():
        for lot in (low, high):
            n, ac, re = _resolve(letters[level], "6.5")
            assert sampling_plan(lot, "6.5", level) == (min(n, lot), ac, re), (lot, level)


@pytest.mark.parametrize("aql", AQL_COLUMNS)
def test_every_code_letter_of_every_aql_column(aql):
    """Table II-A: each code letter (reached through a level II lot, R through level III) gives
    the printed plan, arrows followed, the sample size changing with the arrow."""
    representative = {letters["II"]: (high, "II") for low, high, letters in _table_i()}
    representative["R"] = (600_000, "III")
    assert len(representative) == 16
    for letter, (lot, level) in representative.items():
        n, ac, re = _resolve(letter, aql)
        assert sampling_plan(lot, aql, level) == (min(n, lot), ac, re), (letter, aql)


@pytest.mark.parametrize(("low", "high", "plan_25", "plan_40"), RESOLVED_II)
def test_resolved_level_ii_plans_for_the_usual_aqls(low, high, plan_25, plan_40):
    for lot in (low, high):
        assert sampling_plan(lot, "2.5") == plan_25
        assert sampling_plan(lot, "4.0") == plan_40


def test_spot_checks_from_independent_sources():
    assert sampling_plan(1000, "2.5") == (80, 5, 6)  # lot 501–1,200 → J, n = 80
    assert sampling_plan(300, "2.5") == (50, 3, 4)  # lot 300 → H
    assert sampling_plan(50, "0.65") == (20, 0, 1)  # D ↓ … F 0/1
    assert sampling_plan(400, "1.5") == (50, 2, 3)  # code H, AQL 1.5 → 2/3


def test_whole_lot_inspected_when_the_sample_would_exceed_it():
    # Lot 2–8 is code A; AQL 2.5 follows ↓ to C (n = 5), AQL 4.0 to B (n = 3).
    assert sampling_plan(4, "2.5") == (4, 0, 1)
    assert sampling_plan(5, "2.5") == (5, 0, 1)
    assert sampling_plan(8, "2.5") == (5, 0, 1)
    assert sampling_plan(2, "4.0") == (2, 0, 1)
    # Lot 30 at AQL 0.10: code D ↓ to K, n = 125 > 30 → all 30 pieces.
    assert sampling_plan(30, "0.10") == (30, 0, 1)


def test_aql_spellings_are_accepted():
    assert sampling_plan(1000, "4") == sampling_plan(1000, "4.0") == sampling_plan(1000, 4.0)
    assert sampling_plan(1000, "0.1") == sampling_plan(1000, "0.10")


@pytest.mark.parametrize("lot", [0, 1, -5, 2.5, "100", None, True])
def test_bad_lot_size_is_refused(lot):
    with pytest.raises(ValueError, match="lot size"):
        sampling_plan(lot, "2.5")


@pytest.mark.parametrize("aql", ["3.0", "0", "abc", "", "nan", "-2.5", "10"])
def test_aql_outside_the_table_is_refused(aql):
    with pytest.raises(ValueError, match="AQL"):
        sampling_plan(100, aql)


@pytest.mark.parametrize("level", ["IV", "ii", "S-5", ""])
def test_unknown_level_is_refused(level):
    with pytest.raises(ValueError, match="level"):
        sampling_plan(100, "2.5", level)
