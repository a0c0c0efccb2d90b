"""The suite's pinned clock: every test starts at ``GENDAN_TEST_NOW``, the clock ticks, the
process clock is UTC and the company's clock is Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import DEFAULT_TEST_NOW, test_now
from tests.clock import CLOCKS, at, company_calendar, on_day, today


@pytest.mark.dates
def test_every_test_starts_at_the_pinned_instant_and_the_clock_ticks(fixed_clock):
    start = timezone.now()
    assert dt.timedelta(0) <= start - (fixed_clock or test_now()) < dt.timedelta(seconds=30)
    time.sleep(0.01)
    assert timezone.now() > start


@pytest.mark.dates
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


@pytest.mark.dates
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


# --- the fixed clocks of `make test-clocks` and the company calendar ---------------------------


def _company_day(name: str) -> dt.datetime:
    return dt.datetime.fromisoformat(CLOCKS[name]).astimezone(ZoneInfo(settings.TIME_ZONE))


def test_each_fixed_clock_is_the_instant_its_name_says():
    calendar = company_calendar()
    saturday = dt.datetime.fromisoformat(CLOCKS["saturday-in-shanghai"])
    assert (saturday.astimezone(dt.UTC).weekday(), saturday.astimezone(dt.UTC).hour) == (4, 23)  # Friday 23:xx UTC
    assert _company_day("saturday-in-shanghai").weekday() == 5
    eve = _company_day("spring-festival-eve").date()
    assert calendar.get(eve, ("",))[0] == "workday" or eve.weekday() < 5  # worked
    assert calendar[eve + dt.timedelta(days=1)] == ("holiday", "春节")
    assert (_company_day("new-years-eve").month, _company_day("new-years-eve").day) == (12, 31)
    assert _company_day("leap-day").date() == dt.date(2028, 2, 29)
    tiaoxiu = _company_day("tiaoxiu-saturday").date()
    assert tiaoxiu.weekday() == 5 and calendar[tiaoxiu][0] == "workday"


def test_gendan_test_now_takes_the_name_of_a_fixed_clock(monkeypatch):
    monkeypatch.setenv("GENDAN_TEST_NOW", "leap-day")
    assert test_now() == dt.datetime.fromisoformat(CLOCKS["leap-day"])


@pytest.mark.django_db
def test_an_unmarked_test_runs_on_weekends_only():
    from gendan.core.calendar import is_working_day
    from gendan.core.models import CalendarDay

    assert not CalendarDay.objects.exists() and is_working_day(dt.date(2026, 2, 16))


@pytest.mark.dates
@pytest.mark.django_db
def test_a_test_marked_dates_runs_on_the_company_calendar():
    from gendan.core.calendar import is_working_day

    assert not is_working_day(dt.date(2026, 2, 16))  # 春节
    assert is_working_day(dt.date(2026, 2, 14))  # a make-up Saturday
