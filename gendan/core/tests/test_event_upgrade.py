"""Rows written before event kinds existed read in the reader's language once upgraded."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from gendan.core.event_upgrade import TextMatcher, events_upgrade_text
from gendan.core.events import event_kinds
from gendan.core.models import Event

pytestmark = pytest.mark.django_db


def _old_row(message: str) -> Event:
    ct = ContentType.objects.get_for_model(Event)
    return Event.objects.create(content_type=ct, object_id=1, object_repr="SO2603-0001", created_at=timezone.now(),
                                verb=Event.Verb.NOTE, message=message)


def _kind_with_text(text: str) -> str:
    return next(kind for kind, known in event_kinds().items() if known == text)


def test_an_old_chinese_row_gets_its_kind_and_reads_in_english_and_chinese():
    allocated = _old_row("USD 370.80 已核销至 SO2603-0001")  # written by a Chinese-speaking finance clerk
    released = _old_row("Released from SO2603-0001")  # written by an English-speaking planner
    unknown = _old_row("客户说下周再确认 / the customer will confirm next week")  # a person's own words

    read, upgraded = events_upgrade_text(Event)

    assert (read, upgraded) == (3, 2)
    allocated.refresh_from_db()
    released.refresh_from_db()
    unknown.refresh_from_db()
    assert allocated.text and allocated.kind in {kind for kind, text in event_kinds().items()
                                                 if text == "%(amount)s allocated to %(order)s"}
    assert allocated.params == {"amount": "USD 370.80", "order": "SO2603-0001"}
    with translation.override("en"):
        assert allocated.text == "USD 370.80 allocated to SO2603-0001"
    with translation.override("zh-hans"):
        assert allocated.text == "USD 370.80 已核销至 SO2603-0001"
        assert released.text == "由 SO2603-0001 下达"
    assert released.kind == _kind_with_text("Released from %(order)s")
    # no kind fits: the stored words stay, shown as they were
    assert unknown.kind == "" and unknown.text == "客户说下周再确认 / the customer will confirm next week"
    # running it again changes nothing
    assert events_upgrade_text(Event) == (1, 0)


def test_texts_with_too_little_fixed_wording_are_not_guessed():
    matcher = TextMatcher({"demo.generic": "%(kind)s: %(name)s", "demo.count": "%(n)d lines re-entered"})
    assert matcher.match("客户订单/书面订单: PO 123.pdf") is None
    assert matcher.match("3 lines re-entered") == ("demo.count", {"n": 3})
    assert matcher.match("three lines re-entered") is None
