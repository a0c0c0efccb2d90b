"""The demo's dunning and credit: levels, a few limits, one run whose board tasks are a few, one
customer on credit hold."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from gendan.accounts.models import User
from gendan.receivables.models import CustomerCredit, DunningLevel, DunningNotice, DunningRun
from gendan.tracking.selectors import board_for

pytestmark = pytest.mark.django_db


def test_demo_has_levels_limits_one_run_and_a_hold(settings):
    settings.GENDAN_DEMO_ALLOWED = True
    out = StringIO()
    call_command("seed_demo", orders=200, customers=20, products=20, seed=14, stdout=out)
    assert DunningLevel.objects.count() == 4
    assert DunningRun.objects.count() == 1
    assert CustomerCredit.objects.filter(credit_limit__isnull=False).count() >= 2
    assert 1 <= CustomerCredit.objects.filter(on_hold=True).count() <= 2  # the worst payers, not a third of them
    notices = DunningNotice.objects.count()
    merch = User.objects.get(username="merch")
    rows = len(board_for(user=merch).money_items)
    assert 1 <= notices <= 20 and rows <= 10
