"""Exchange rates: ``rate_on`` (CNY is 1, the latest rate on or before the day), the page of
finance and managers in zh / en, bad rates refused naming the field with nothing saved, a
correction old → new on the timeline, other roles refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.errors import NotAllowed, ValidationFailed
from gendan.core.events import timeline_for
from gendan.finance.models import ExchangeRate
from gendan.finance.rates import RateBook, rate_on, rate_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(make_user):
    return make_user("finance", language="en")


def test_rate_on_takes_the_latest_rate_on_or_before_the_day(finance):
    day = dt.date(2026, 1, 10)
    assert rate_on("CNY", day) == Decimal("1")
    assert rate_on("USD", day) is None
    rate_set(actor=finance, currency="usd", valid_from="2026-01-01", cny_per_unit="7.1")
    rate_set(actor=finance, currency="USD", valid_from="2026-01-10", cny_per_unit="7.2")
    assert rate_on("USD", dt.date(2025, 12, 31)) is None
    assert rate_on("USD", dt.date(2026, 1, 9)) == Decimal("7.1")
    assert rate_on("USD", day) == Decimal("7.2")
    book = RateBook.load(["USD", "CNY"])
    assert book.on("USD", dt.date(2026, 1, 9)) == Decimal("7.1") and book.on("CNY", day) == 1
    assert book.cny(Decimal("10.01"), "USD", day) == Decimal("72.07")


def test_correction_goes_on_the_timeline(finance):
    rate_set(actor=finance, currency="EUR", valid_from="2026-01-01", cny_per_unit="7.7")
    rate = rate_set(actor=finance, currency="EUR", valid_from="2026-01-01", cny_per_unit="7.75", note="bank rate")
    assert ExchangeRate.objects.count() == 1
    event = timeline_for(rate).first()
    assert event.changes["cny_per_unit"] == {"old": "7.7", "new": "7.75"} and event.reason == "bank rate"


@pytest.mark.parametrize("value", ["0", "-1", "1e30", "1000", "abc", "7.123456789", ""])
def test_bad_rates_refused_naming_the_field(finance, value):
    with pytest.raises(ValidationFailed) as exc:
        rate_set(actor=finance, currency="USD", valid_from="2026-01-01", cny_per_unit=value)
    assert "cny_per_unit" in exc.value.fields
    assert not ExchangeRate.objects.exists()


@pytest.mark.parametrize("currency, field", [("XXX", "currency"), ("CNY", "currency"), ("", "currency")])
def test_bad_currency(finance, currency, field):
    with pytest.raises(ValidationFailed) as exc:
        rate_set(actor=finance, currency=currency, valid_from="2026-01-01", cny_per_unit="7")
    assert field in exc.value.fields


def test_merchandiser_may_not_book(make_user):
    with pytest.raises(NotAllowed):
        rate_set(actor=make_user("merchandiser"), currency="USD", valid_from="2026-01-01", cny_per_unit="7")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_page_books_a_rate(make_user, client_for, language):
    manager = make_user("manager", language=language)
    client = client_for(manager)
    response = client.post("/finance/rates/", {"currency": "USD", "valid_from": timezone.localdate().isoformat(),
                                               "cny_per_unit": "7.1234"})
    assert response.status_code == 302
    page = client.get("/finance/rates/")
    assert page.status_code == 200 and "7.1234" in page.content.decode()
    assert ("汇率" in page.content.decode()) == (language == "zh-hans")


@pytest.mark.parametrize("field, data", [
    ("cny_per_unit", {"cny_per_unit": "0"}), ("cny_per_unit", {"cny_per_unit": "-3"}),
    ("cny_per_unit", {"cny_per_unit": "99999999"}), ("valid_from", {"valid_from": "tomorrow"})])
def test_page_refuses_bad_input_with_400(finance, client_for, field, data):
    post = {"currency": "USD", "valid_from": "2026-01-01", "cny_per_unit": "7", **data}
    response = client_for(finance).post("/finance/rates/", post)
    assert response.status_code == 400
    assert response.context["form"].errors.get(field)
    assert not ExchangeRate.objects.exists()


def test_other_roles_get_403(make_user, client_for):
    for role in ("merchandiser", "sales", "qc"):
        assert client_for(make_user(role)).get("/finance/rates/").status_code == 403
