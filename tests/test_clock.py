"""The suite's pinned clock: every test starts at ``GENDAN_TEST_NOW``, the clock ticks, the
process clock is UTC and the company's clock is Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import DEFAULT_TEST_NOW, test_now
from tests.clock import at, on_day, today


def test_every_test_starts_at_the_pinned_instant_and_the_clock_ticks():
    start = timezone.now()
    assert dt.timedelta(0) <= start - test_now() < dt.timedelta(seconds=30)
    time.sleep(0.01)
    assert timezone.now() > start


def test_the_process_clock_is_utc_and_the_company_clock_is_shanghai():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert time.localtime().tm_gmtoff == 0 and time.strftime("%Z") == "UTC"
    assert dt.date.today() == dt.datetime.now(dt.UTC).date()
    assert today() == timezone.localtime(timezone.now()).date()


def test_the_default_instant_is_a_working_wednesday_whose_utc_date_is_the_day_before():
    default = dt.datetime.fromisoformat(DEFAULT_TEST_NOW)
    local = default.astimezone(timezone.get_default_timezone())
    assert local.weekday() == 2
    assert default.astimezone(dt.UTC).date() == local.date() - dt.timedelta(days=1)


def test_on_day_moves_the_company_date_and_comes_back():
    before = today()
    with on_day(before - dt.timedelta(days=3), hour=10):
        assert today() == before - dt.timedelta(days=3)
        assert timezone.localtime().hour == 10
    assert today() == before
    assert at(before, 9).utcoffset() == dt.timedelta(hours=8)


@pytest.mark.time_machine(dt.datetime(2030, 1, 2, 3, 4, tzinfo=dt.UTC))
def test_a_test_can_pin_its_own_instant():
    assert timezone.now().date() == dt.date(2030, 1, 2)
