"""A timeline speaks its reader's language: an event is stored as a kind and its parameters,
never as text frozen in the language of whoever acted, so a Chinese reader and an English
reader of the same row each read it in their own language."""

from __future__ import annotations

import pytest
from django.utils import translation

from gendan.core.events import event_kinds, timeline_for
from gendan.documents.models import Attachment
from gendan.documents.services import attachment_add
from gendan.parties import services
from tests.factories import CustomerFactory, png_upload

pytestmark = pytest.mark.django_db


def _timeline_html(client, party) -> str:
    html = client.get(party.get_absolute_url()).content.decode()
    return html[html.index('id="timeline-h"'):]


def test_one_contact_event_reads_in_chinese_for_one_user_and_in_english_for_another(make_user, client_for):
    writer = make_user("manager", username="zh_writer", language="zh-hans")
    zh_reader = make_user("manager", username="zh_reader", language="zh-hans")
    en_reader = make_user("manager", username="en_reader", language="en")
    customer = CustomerFactory()
    with translation.override("zh-hans"):  # the writer works in Chinese: nothing of it is frozen
        services.contact_save(actor=writer, party=customer, data={"name": "Anna Berg", "email": "anna@example.com"})

    event = timeline_for(customer).first()
    assert event.kind == "parties.contact_added" and event.params == {"name": "Anna Berg"}
    assert event.message == ""

    assert "已添加联系人 Anna Berg" in _timeline_html(client_for(zh_reader), customer)
    english = _timeline_html(client_for(en_reader), customer)
    assert "Contact Anna Berg added" in english
    assert "已添加" not in english


def test_an_attachment_event_names_the_file_kind_in_the_readers_language(make_user):
    sales = make_user("sales", username="sales_zh", language="zh-hans")
    customer = CustomerFactory(salesperson=sales)
    with translation.override("zh-hans"):
        attachment_add(actor=sales, owner=customer, upload=png_upload("fax.png"), kind=Attachment.Kind.FAX,
                       change_perm="parties.change_customer")

    event = timeline_for(customer).first()
    with translation.override("zh-hans"):
        assert event.text == "传真：fax.png"
    with translation.override("en"):
        assert event.text == "fax: fax.png"


def test_the_low_apps_declare_their_timeline_kinds_at_start_up():
    kinds = event_kinds()
    for kind in ("parties.contact_added", "catalog.bom_line_added", "catalog.variant_matrix_saved",
                 "documents.attached", "documents.detached"):
        assert kind in kinds
