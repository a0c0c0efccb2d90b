"""The chase board's layout choices through HTTP (issue 11): each order's group folds (a
<details open> with its count), and ``?compact=1`` shows one line per milestone — name, order,
due, owner — kept by the filters and the toggle, in the query string only."""

from __future__ import annotations

import re

import pytest

from gendan.tracking.services.plans import plans_refresh_stale
from gendan.tracking.tests.conftest import make_confirmed
from tests.clock import on_day, working_days_ago

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def late_order(people):
    with on_day(working_days_ago(6)):
        order = make_confirmed(people)
    plans_refresh_stale()
    return order


def test_groups_fold_with_their_count_and_compact_mode_lives_in_the_query_string(people, client_for):
    order = late_order(people)
    client = client_for(people.merch)

    full = client.get("/tracking/board/?days=30").content.decode()
    groups = re.findall(r'<details class="board-group" open><summary><h3>([^<]*) <span class="count" '
                        r'data-testid="group-count">(\d+)</span>', full)
    assert groups and groups[0][0].startswith(order.number)
    assert 'class="chase-row compact"' not in full
    assert 'href="?days=30&amp;compact=1" data-testid="board-density"' in full

    compact = client.get("/tracking/board/?days=30&compact=1").content.decode()
    rows = re.findall(r'class="chase-row compact" id="ms-(\d+)"', compact)
    assert rows and len(rows) == sum(int(n) for n in re.findall(r'data-testid="group-count">(\d+)</span>', compact))
    assert '<input type="hidden" name="compact" value="1">' in compact  # "Show" keeps the mode
    assert 'href="?days=30" data-testid="board-density"' in compact
    # a refused action comes back to the board as it was filtered, compact included
    assert "next\" value=\"/tracking/board/?days=30&amp;compact=1\"" in compact
