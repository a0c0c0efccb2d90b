"""The demo's bank statement step: a small statement imported through the service, one line
confirmed (receipt and allocation), one set aside, the others open with proposals."""

from __future__ import annotations

import io
import random
from types import SimpleNamespace

import pytest

from gendan.demo import receivables_bank
from gendan.receivables.models import BankStatement
from gendan.receivables.tests.fixtures_bank import make_bank_world

pytestmark = pytest.mark.django_db


def test_the_demo_imports_one_small_statement_once(make_user):
    w = make_bank_world(make_user)
    out = io.StringIO()
    ctx = SimpleNamespace(users={"finance": w.finance}, rng=random.Random(1), say=out.write)
    receivables_bank.seed(ctx)
    statement = BankStatement.objects.get()
    statuses = list(statement.lines.order_by("line_no").values_list("status", flat=True))
    assert statuses == ["recorded", "open", "open", "ignored"]
    recorded = statement.lines.get(line_no=1)
    assert recorded.receipt.allocations.count() == 1
    receivables_bank.seed(ctx)  # run again: nothing more
    assert BankStatement.objects.count() == 1
    assert "1 confirmed, 1 set aside" in out.getvalue()
