"""Regions are kept by managers on a page (issue 11: not only in Django admin)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.accounts.models import Region
from gendan.core.events import timeline_for

pytestmark = pytest.mark.django_db


def test_a_manager_adds_and_renames_a_region_on_the_timeline(make_user, client_for):
    manager = make_user("manager")
    page = client_for(manager)
    added = page.post(reverse("accounts:region_list"), {"region-code": "eu-west", "region-name_zh": "西欧",
                                                         "region-name_en": "Western Europe"}, follow=True)
    assert added.status_code == 200 and "Western Europe" in added.content.decode()
    region = Region.objects.get(code="eu-west")
    renamed = page.post(reverse("accounts:region_edit", args=[region.pk]),
                        {"name_zh": "欧洲西部", "name_en": "Western Europe", "reason": "as the sales team says it"})
    assert renamed.status_code == 302
    region.refresh_from_db()
    assert region.name_zh == "欧洲西部"
    event = timeline_for(region, limit=5)[0]
    assert event.actor == manager and event.changes["name_zh"] == {"old": "西欧", "new": "欧洲西部"}
    assert event.reason == "as the sales team says it"


def test_bad_codes_and_names_are_named_and_nothing_is_saved(make_user, client_for):
    page = client_for(make_user("manager"))
    Region.objects.create(code="na", name_zh="北美", name_en="North America")
    for code, zh, en in (("NA ", "北美", "North America"), ("bad code!", "某地", "Somewhere"), ("x" * 21, "某地", "S"),
                         ("ok", "", "Somewhere")):
        response = page.post(reverse("accounts:region_list"), {"region-code": code, "region-name_zh": zh,
                                                                "region-name_en": en})
        assert response.status_code == 400, code
    assert Region.objects.count() == 1


def test_only_managers_change_regions(make_user, client_for):
    region = Region.objects.create(code="sea", name_zh="东南亚", name_en="South-East Asia")
    for role in ("merchandiser", "sales", "finance", "qc"):
        page = client_for(make_user(role))
        assert page.get(reverse("accounts:region_list")).status_code == 403
        assert page.post(reverse("accounts:region_list"), {"region-code": "zz", "region-name_zh": "某",
                                                            "region-name_en": "Z"}).status_code == 403
        assert page.post(reverse("accounts:region_edit", args=[region.pk]),
                         {"name_zh": "改", "name_en": "Changed"}).status_code == 403
    region.refresh_from_db()
    assert region.name_en == "South-East Asia" and Region.objects.count() == 1
    profile = client_for(make_user("manager")).get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:region_list") in profile and reverse("planning:stages") in profile
