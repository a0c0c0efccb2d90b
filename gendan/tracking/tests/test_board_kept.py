"""The chase board kept across pages (``GENDAN_BOARD_SECONDS``, ``core.request_cache.per_user``):
the second page within the minute reads far less, and yet nothing a person does — nor anything
someone else commits — is hidden by it: a committed change (its event row) drops every kept board,
the person's own action drops theirs, a mention opened disappears at once, and a board kept in one
language is not shown in the other."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gendan.tracking.models import OrderMilestone
from gendan.tracking.services import milestones as ms_services
from gendan.tracking.services.chatter import chatter_post
from gendan.tracking.tests.test_board import confirmed_ago, ms

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def kept(settings):
    settings.GENDAN_BOARD_SECONDS = 60


def board(client, path="/tracking/board/?days=30"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def test_the_second_board_within_the_minute_reads_less_and_shows_the_same(people, client_for, kept):
    order = confirmed_ago(people, 4)
    client = client_for(people.merch)
    first, first_queries = board(client)
    second, second_queries = board(client)
    assert order.number in first and ms(order, "pi_confirmed").display_name in first
    assert second_queries <= first_queries - 8  # the sections' reads are not repeated
    assert second.count('class="chase-row"') == first.count('class="chase-row"') > 0


def test_a_change_someone_else_commits_drops_every_kept_board(people, client_for, kept,
                                                             django_capture_on_commit_callbacks):
    order = confirmed_ago(people, 4)
    client = client_for(people.merch)
    before, _ = board(client)
    pi = ms(order, "pi_confirmed")
    assert f'data-id="{pi.pk}"' in before or f"/milestones/{pi.pk}/" in before
    OrderMilestone.objects.filter(pk=pi.pk).update(completes_on="")  # ticked by hand
    pi.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):  # the manager's transaction commits
        ms_services.milestone_complete(actor=people.manager, milestone_id=pi.pk, expected_version=pi.version)
    after, _ = board(client)
    assert f"/milestones/{pi.pk}/complete/" not in after


def test_without_a_commit_the_kept_board_is_what_the_person_sees_until_their_own_action(people, client_for,
                                                                                      kept):
    """Inside one test transaction nothing commits, so only the person's own request can drop
    their kept board: it does (a new marker in their session)."""
    order = confirmed_ago(people, 4)
    client = client_for(people.merch)
    pi = ms(order, "pi_confirmed")
    OrderMilestone.objects.filter(pk=pi.pk).update(completes_on="")
    pi.refresh_from_db()
    assert f"/milestones/{pi.pk}/complete/" in board(client)[0]
    assert f"/milestones/{pi.pk}/complete/" in board(client)[0]  # kept
    response = client.post(f"/tracking/milestones/{pi.pk}/complete/", {"version": pi.version,
                                                                      "next": "/tracking/board/"})
    assert response.status_code == 302
    assert f"/milestones/{pi.pk}/complete/" not in board(client)[0]


def test_a_mention_opened_leaves_the_kept_board_at_once(people, client_for, kept):
    order = confirmed_ago(people, 4)
    chatter_post(actor=people.manager, order_id=order.pk, kind="note", text=f"@{people.merch.username} 请今天催客户回签 PI")
    client = client_for(people.merch)
    page, _ = board(client)
    assert "请今天催客户回签 PI" in page
    mention = people.merch.mentions.get()
    assert client.get(reverse("tracking:mention_open", args=[mention.pk])).status_code == 302
    assert "请今天催客户回签 PI" not in board(client)[0]


def test_a_board_kept_in_chinese_is_not_shown_in_english(people, client_for, kept):
    confirmed_ago(people, 4)
    client = client_for(people.merch)
    chinese, _ = board(client, "/tracking/board/?days=30")
    client.cookies["django_language"] = "en"
    english, _ = board(client, "/tracking/board/?days=30")
    assert chinese != english
    assert "Chase board" in english


def test_only_the_boards_own_filters_are_kept(people, client_for, kept):
    """Any other query string is answered afresh, so nobody fills the cache with variants."""
    from django.core.cache import cache

    confirmed_ago(people, 4)
    client = client_for(people.merch)
    board(client, "/tracking/board/?days=30&junk=1")
    board(client, "/tracking/board/?days=30&days=31")
    board(client, "/tracking/board/?days=999")
    assert not [k for k in cache._cache if "board:" in str(k)]  # local memory in the tests
    board(client, "/tracking/board/?days=30&group=customer&compact=1")
    assert len([k for k in cache._cache if "board:" in str(k)]) == 1
