"""Issue 11, the order page as a cockpit: a bar of the order's life shows where it stands."""

from __future__ import annotations

import re

import pytest

from gendan.sales.services.lifecycle import order_hold

pytestmark = pytest.mark.django_db


def _bar(client, order) -> list[tuple[str, str]]:
    html = client.get(order.get_absolute_url()).content.decode()
    bar = re.search(r'<ol class="lifebar" data-testid="order-life".*?</ol>', html, re.S).group(0)
    return [(cls, re.sub(r"<.*?>", "", text).strip()) for cls, text in re.findall(r'<li class="([^"]+)"[^>]*>(.*?)</li>',
                                                                                    bar, re.S)]


def test_the_bar_shows_done_current_and_ahead(people, confirmed, client_for):
    steps = _bar(client_for(people.merch), confirmed)
    assert [label for _cls, label in steps] == ["draft", "confirmed", "in production", "ready to ship", "shipped",
                                                "completed", "closed"]
    assert [cls for cls, _label in steps] == ["done", "current", "todo", "todo", "todo", "todo", "todo"]


def test_an_order_on_hold_shows_where_it_was_held(people, confirmed, client_for):
    order_hold(actor=people.merch, order_id=confirmed.pk, reason="customer asked to wait for the artwork")
    steps = _bar(client_for(people.merch), confirmed)
    assert steps[1] == ("current held", "confirmed · on hold")


def test_the_bar_is_in_chinese_for_a_chinese_reader(people, draft, client_for):
    people.merch.language = "zh-hans"
    people.merch.save(update_fields=["language"])
    client = client_for(people.merch)
    steps = _bar(client, draft)
    assert steps[0][0] == "current" and steps[0][1] == "草稿"
