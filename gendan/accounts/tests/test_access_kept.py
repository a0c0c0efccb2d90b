"""A user's roles and permissions are kept across their requests (accounts/access.py): the pages
stop asking the database for them, and any change of them counts from the next request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.accounts.roles import Role

ORDERS = "/sales/orders/"
BOARD = "/tracking/board/"


def _access_queries(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    # the user's roles (their groups' names) and permissions, not the page's own lists of people
    return status, [q["sql"] for q in ctx.captured_queries
                    if "auth_permission" in q["sql"] or q["sql"].startswith('SELECT "auth_group"."name"')]


@pytest.mark.django_db
def test_the_second_page_reads_no_role_or_permission(make_user, client_for):
    client = client_for(make_user(Role.MERCHANDISER))
    status, first = _access_queries(client, ORDERS)
    assert status == 200 and len(first) == 3  # roles, own permissions, the roles' permissions
    status, second = _access_queries(client, ORDERS)
    assert status == 200 and second == []


@pytest.mark.django_db
def test_a_role_taken_away_stops_working_on_the_next_request(make_user, client_for):
    user = make_user(Role.MERCHANDISER)
    client = client_for(user)
    assert client.get(BOARD).status_code == 200
    user.groups.remove(Group.objects.get(name=Role.MERCHANDISER))
    assert client.get(BOARD).status_code == 403


@pytest.mark.django_db
def test_a_permission_taken_from_the_role_stops_working_on_the_next_request(make_user, client_for):
    client = client_for(make_user(Role.MERCHANDISER))
    assert client.get(BOARD).status_code == 200
    Group.objects.get(name=Role.MERCHANDISER).permissions.remove(
        Permission.objects.get(content_type__app_label="tracking", codename="view_ordermilestone"))
    assert client.get(BOARD).status_code == 403


@pytest.mark.django_db
def test_a_role_given_works_on_the_next_request(make_user, client_for):
    user = make_user()
    client = client_for(user)
    assert client.get(BOARD).status_code == 403
    user.groups.add(Group.objects.get(name=Role.MERCHANDISER))
    assert client.get(BOARD).status_code == 200


@pytest.mark.django_db
def test_made_superuser_sees_every_permission_at_once(make_user, client_for):
    user = make_user()
    client = client_for(user)
    assert client.get(BOARD).status_code == 403
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    assert client.get(BOARD).status_code == 200


@pytest.mark.django_db
def test_without_a_shared_cache_nothing_is_kept(make_user, client_for, settings):
    settings.GENDAN_ACCESS_SECONDS = 0  # production without REDIS_URL (gendan/settings/prod.py)
    client = client_for(make_user(Role.MERCHANDISER))
    client.get(ORDERS)
    status, second = _access_queries(client, ORDERS)
    assert status == 200 and len(second) == 3
