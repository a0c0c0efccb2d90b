"""The credits pages through HTTP: who may register and see, the register form, the credit's
page (examination, amendment), the order page's panel, and the chase board's 催证 item."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.exportdocs.models import LetterOfCredit
from gendan.exportdocs.services.credits import credit_register
from gendan.exportdocs.tests.credits_setup import credit_data, lc_order
from gendan.sales.tests import conftest as sales_fixtures
from gendan.tracking.export_chase_credits import credit_items

pytestmark = pytest.mark.django_db
people = sales_fixtures.people
_english_messages = sales_fixtures._english_messages


def _form_post(order, **changes) -> dict:
    data = credit_data(order, **changes)
    post = {k: v for k, v in data.items() if k not in ("documents_required", "orders", "about")}
    post["orders"] = [str(order.pk)]
    rows = data["documents_required"]
    post |= {"docs-TOTAL_FORMS": str(len(rows)), "docs-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        post |= {f"docs-{i}-kind": row["kind"], f"docs-{i}-originals": str(row["originals"]),
                 f"docs-{i}-copies": str(row["copies"]), f"docs-{i}-note": row.get("note", "")}
    return post


def test_a_merchandiser_registers_a_credit_through_the_form(people, client_for):
    order = lc_order(people)
    merch = client_for(people.merch)
    form = merch.get(reverse("exportdocs:credit_add") + f"?order={order.pk}")
    assert form.status_code == 200 and str(order) in form.content.decode()
    response = merch.post(reverse("exportdocs:credit_add"), _form_post(order))
    credit = LetterOfCredit.objects.get()
    assert response.status_code == 302 and response.url == credit.get_absolute_url()
    assert [d["kind"] for d in credit.documents_required] == ["commercial_invoice", "bill_of_lading", "packing_list"]
    page = merch.get(credit.get_absolute_url()).content.decode()
    assert "LC-2026-0001" in page and "Not examined yet." in page and "L/C received: LC-2026-0001" in page


def test_bad_input_on_the_form_is_a_400_and_nothing_saved(people, client_for):
    order = lc_order(people)
    response = client_for(people.merch).post(reverse("exportdocs:credit_add"),
                                             _form_post(order, expiry_date="2026-01-01"))
    assert response.status_code == 400 and "before the latest shipment date" in response.content.decode()
    assert not LetterOfCredit.objects.exists()


def test_warehouse_sees_but_may_not_register_and_another_team_gets_a_404(people, client_for, make_user):
    order = lc_order(people)
    credit = credit_register(by=people.merch, data=credit_data(order))
    warehouse = client_for(people.warehouse)
    assert warehouse.get(reverse("exportdocs:credit_list")).status_code == 200
    assert warehouse.get(credit.get_absolute_url()).status_code == 200
    assert warehouse.get(reverse("exportdocs:credit_add")).status_code == 403
    assert warehouse.post(reverse("exportdocs:credit_add"), _form_post(order, number="X-1")).status_code == 403
    assert warehouse.post(reverse("exportdocs:credit_examine", args=[credit.pk])).status_code in (302, 403)
    credit.refresh_from_db()
    assert credit.examined_at is None
    other = client_for(people.other_merch)
    assert other.get(credit.get_absolute_url()).status_code == 404
    assert "LC-2026-0001" not in other.get(reverse("exportdocs:credit_list")).content.decode()
    assert other.post(reverse("exportdocs:credit_examine", args=[credit.pk])).status_code == 404
    assert "LC-2026-0001" in client_for(people.merch).get(reverse("exportdocs:credit_list")).content.decode()


def test_the_credit_page_examines_and_records_an_amendment(people, client_for):
    order = lc_order(people)
    credit = credit_register(by=people.merch, data=credit_data(order, amount="1000"))
    merch = client_for(people.merch)
    response = merch.post(reverse("exportdocs:credit_examine", args=[credit.pk]), {"version": credit.version})
    assert response.status_code == 302
    page = merch.get(credit.get_absolute_url()).content.decode()
    assert 'data-finding="amount_short"' in page and "needs amendment" in page
    credit.refresh_from_db()
    response = merch.post(reverse("exportdocs:amendment_receive", args=[credit.pk]),
                          {"field_0": "amount", "value_0": "1236.01", "version": credit.version})
    assert response.status_code == 302
    amendment = credit.amendments.get()
    page = merch.get(credit.get_absolute_url()).content.decode()
    assert f'data-amendment="{amendment.sequence}"' in page and "1000 → 1236.01" in page
    assert reverse("exportdocs:amendment_accept", args=[credit.pk, amendment.pk]) in page
    credit.refresh_from_db()
    response = merch.post(reverse("exportdocs:amendment_accept", args=[credit.pk, amendment.pk]),
                          {"version": credit.version})
    assert response.status_code == 302
    credit.refresh_from_db()
    assert credit.status == LetterOfCredit.Status.ACCEPTED
    stale = merch.post(reverse("exportdocs:credit_examine", args=[credit.pk]), {"version": 1})
    assert stale.status_code == 409


def test_the_order_page_and_the_board_wait_for_the_credit_until_it_is_registered(people, client_for):
    order = lc_order(people)
    merch = client_for(people.merch)
    assert "Waiting for the L/C" in merch.get(order.get_absolute_url() + "?tab=all").content.decode()
    items = credit_items(user=people.merch, today=timezone.localdate(), limit=20)
    awaited = [i for i in items if i.kind == "credit_awaited"]
    assert [i.order for i in awaited] == [order]
    assert awaited[0].due == order.ex_factory_date - dt.timedelta(days=30)
    board = merch.get(reverse("tracking:board")).content.decode()
    assert "Waiting for the L/C" in board
    credit_register(by=people.merch, data=credit_data(order))
    assert "Waiting for the L/C" not in merch.get(order.get_absolute_url() + "?tab=all").content.decode()
    kinds = {i.kind for i in credit_items(user=people.merch, today=timezone.localdate(), limit=20)}
    assert "credit_awaited" not in kinds and "credit_to_examine" in kinds
    assert credit_items(user=people.other_merch, today=timezone.localdate(), limit=20) == []


def test_the_navigation_has_letters_of_credit(people, client_for):
    nav = [str(i["label"]) for i in client_for(people.merch).get(reverse("exportdocs:credit_list"))
           .context["nav_items"]]
    assert "Letters of credit" in nav


def test_the_credit_page_reads_in_chinese(people, client_for):
    from django.utils import translation

    order = lc_order(people)
    credit = credit_register(by=people.merch, data=credit_data(order, amount="1000"))
    people.merch.language = "zh-hans"
    people.merch.save(update_fields=["language"])
    with translation.override("zh-hans"):
        merch = client_for(people.merch)
        merch.post(reverse("exportdocs:credit_examine", args=[credit.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
        page = merch.get(credit.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "收到信用证：LC-2026-0001" in page and "须改证" in page and "不足订单总额" in page


def test_the_register_entry_is_corrected_through_the_edit_form_and_the_list_filters(people, client_for):
    order = lc_order(people)
    credit = credit_register(by=people.merch, data=credit_data(order))
    merch = client_for(people.merch)
    url = reverse("exportdocs:credit_edit", args=[credit.pk])
    assert merch.get(url).status_code == 200
    post = _form_post(order, amount="1300.00")
    post.pop("customer")
    post["version"] = "1"
    response = merch.post(url, post)
    assert response.status_code == 302
    credit.refresh_from_db()
    assert credit.amount == 1300 and credit.version == 2
    assert merch.post(url, post).status_code == 409  # stale: version 1 again
    listing = reverse("exportdocs:credit_list")
    assert "LC-2026-0001" in merch.get(listing + "?expiring=200&status=received").content.decode()
    assert "LC-2026-0001" not in merch.get(listing + "?expiring=10").content.decode()
    assert merch.get(listing + "?expiring=abc&page=x").status_code == 200


def test_a_draft_lc_order_is_not_waiting_for_its_credit_yet(people, client_for):
    draft = lc_order(people, state="draft")
    assert "Waiting for the L/C" not in client_for(people.merch).get(draft.get_absolute_url()).content.decode()
    assert not [i for i in credit_items(user=people.merch, today=timezone.localdate(), limit=20) if i.order == draft]
