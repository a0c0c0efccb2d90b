"""The event log: every create and edit leaves a row (actor, time, old → new, reason) in the same
transaction; timelines read them newest first with translated labels."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from gendan.core.errors import ValidationFailed
from gendan.core.events import change_rows, timeline_for
from gendan.core.models import Event, SequenceCounter
from gendan.parties import services
from gendan.parties.models import Contact, Customer, PaymentMethod
from tests.factories import CustomerFactory


@pytest.fixture
def manager(make_user):
    return make_user("manager", username="mgr")


def test_create_records_who_and_when(manager):
    before = timezone.now()
    customer = services.customer_create(actor=manager, data={"name_en": "Acme", "country": "US"})

    (event,) = timeline_for(customer)
    assert event.verb == Event.Verb.CREATED
    assert event.actor == manager
    assert before <= event.created_at <= timezone.now()
    assert event.object_repr == str(customer)


def test_edit_records_old_and_new_values_and_the_reason(manager):
    customer = CustomerFactory(city="Boston", deposit_percent=Decimal("30"))

    services.customer_update(
        actor=manager, customer_id=customer.pk, expected_version=1, reason="customer moved",
        data={"city": "Chicago", "deposit_percent": Decimal("50"), "name_en": customer.name_en},
    )

    event = timeline_for(customer).first()
    assert event.verb == Event.Verb.UPDATED
    assert event.actor == manager
    assert event.reason == "customer moved"
    # Unchanged fields are not listed; decimals are stored as written.
    assert event.changes == {
        "city": {"old": "Boston", "new": "Chicago"},
        "deposit_percent": {"old": "30", "new": "50"},
    }


def test_edit_that_changes_nothing_leaves_no_event_and_keeps_the_version(manager):
    customer = CustomerFactory(city="Boston")
    _obj, changes = services.customer_update(
        actor=manager, customer_id=customer.pk, expected_version=1, data={"city": "Boston"})
    assert changes == {}
    assert not timeline_for(customer).exists()
    customer.refresh_from_db()
    assert customer.version == 1


def test_a_failure_after_validation_saves_neither_the_customer_nor_the_event(manager, monkeypatch):
    def broken_event_record(**kwargs):
        raise RuntimeError("event store unavailable")

    monkeypatch.setattr("gendan.core.services.event_record", broken_event_record)
    with pytest.raises(RuntimeError):
        services.customer_create(actor=manager, data={"name_en": "Acme", "country": "US"})

    assert not Customer.objects.exists()
    assert not Event.objects.exists()
    # The number went back as well.
    assert not SequenceCounter.objects.filter(sequence__code="customer", last_value__gt=0).exists()


def test_a_failed_edit_keeps_the_old_values_and_writes_no_event(manager, monkeypatch):
    customer = CustomerFactory(city="Boston")
    monkeypatch.setattr("gendan.core.services.event_record",
                        lambda **kw: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        services.customer_update(actor=manager, customer_id=customer.pk, expected_version=1,
                                 data={"city": "Chicago"})

    customer.refresh_from_db()
    assert (customer.city, customer.version) == ("Boston", 1)
    assert not Event.objects.exists()


def test_a_failed_contact_save_leaves_no_contact(manager, monkeypatch):
    customer = CustomerFactory()
    monkeypatch.setattr("gendan.parties.services.event_record",
                        lambda **kw: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        services.contact_save(actor=manager, party=customer, data={"name": "Ann", "email": "ann@example.com"})
    assert not Contact.objects.exists()


def test_refused_input_writes_no_event(manager):
    customer = CustomerFactory()
    with pytest.raises(ValidationFailed):
        services.customer_update(actor=manager, customer_id=customer.pk, expected_version=1,
                                 data={"deposit_percent": Decimal("120")})
    assert not Event.objects.exists()


def test_timeline_is_newest_first(manager):
    customer = services.customer_create(actor=manager, data={"name_en": "Acme", "country": "US"})
    for version, city in enumerate(["Boston", "Chicago", "Denver"], start=1):
        services.customer_update(actor=manager, customer_id=customer.pk, expected_version=version,
                                 data={"city": city})

    timeline = list(timeline_for(customer))
    assert [e.verb for e in timeline] == ["updated", "updated", "updated", "created"]
    assert [e.changes["city"]["new"] for e in timeline[:3]] == ["Denver", "Chicago", "Boston"]
    assert timeline_for(customer, limit=2).count() == 2


def test_timeline_only_holds_the_objects_own_events(manager):
    mine = services.customer_create(actor=manager, data={"name_en": "Mine", "country": "US"})
    services.customer_create(actor=manager, data={"name_en": "Other", "country": "US"})
    assert [e.object_repr for e in timeline_for(mine)] == [str(mine)]


def test_change_rows_show_field_labels_and_choice_labels(manager):
    customer = CustomerFactory(payment_method=PaymentMethod.TT_DEPOSIT_BALANCE, is_active=True)
    services.customer_update(
        actor=manager, customer_id=customer.pk, expected_version=1,
        data={"payment_method": PaymentMethod.LC_SIGHT, "is_active": False},
    )
    event = timeline_for(customer).first()

    with translation.override("en"):
        rows = {row["field"]: (row["old"], row["new"]) for row in change_rows(event)}
        expected_terms = (str(PaymentMethod.TT_DEPOSIT_BALANCE.label), str(PaymentMethod.LC_SIGHT.label))
    assert rows == {"payment terms": expected_terms, "active": ("yes", "no")}
    assert expected_terms[1] != PaymentMethod.LC_SIGHT.value  # a label, not the stored code


def test_change_rows_name_the_child_model_of_a_contact_change(manager):
    customer = CustomerFactory()
    contact = services.contact_save(actor=manager, party=customer,
                                    data={"name": "Ann", "email": "ann@example.com", "is_primary": True})
    services.contact_save(actor=manager, party=customer, contact_id=contact.pk,
                          data={"name": "Ann", "email": "ann@example.org", "is_primary": False})

    edited, added = timeline_for(customer)[:2]
    with translation.override("en"):
        added_rows = {r["field"]: (r["old"], r["new"]) for r in change_rows(added)}
        edited_rows = {r["field"]: (r["old"], r["new"]) for r in change_rows(edited)}
    assert added_rows["contact: main contact"] == ("", "yes")
    assert edited_rows == {
        "contact: email": ("ann@example.com", "ann@example.org"),
        "contact: main contact": ("yes", "no"),
    }
    assert "Ann" in edited.text and "Ann" in added.text


def test_change_rows_survive_a_field_that_no_longer_exists(manager):
    customer = CustomerFactory()
    event = Event.objects.create(
        content_type_id=Event._meta.get_field("content_type").related_model.objects.get_for_model(Customer).pk,
        object_id=customer.pk, object_repr=str(customer), created_at=timezone.now(), verb=Event.Verb.UPDATED,
        changes={"fax_number": {"old": "1", "new": "2"}},
    )
    assert change_rows(event) == [{"field": "fax_number", "old": "1", "new": "2"}]


@pytest.mark.parametrize("kind", ["customer", "supplier"])
def test_timeline_is_shown_on_the_detail_page(kind, manager, client_for):
    if kind == "customer":
        party = services.customer_create(actor=manager, data={"name_en": "Acme", "country": "US"})
        services.customer_update(actor=manager, customer_id=party.pk, expected_version=1,
                                 data={"city": "Rotterdam"}, reason="new warehouse")
    else:
        party = services.supplier_create(actor=manager, data={"kind": "forwarder", "name_zh": "货代", "country": "CN"})
        services.supplier_update(actor=manager, supplier_id=party.pk, expected_version=1,
                                 data={"city": "Rotterdam"}, reason="new warehouse")
    manager.language = "en"
    manager.save(update_fields=["language"])

    response = client_for(manager).get(party.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    timeline = html[html.index('id="timeline-h"'):]
    assert "Rotterdam" in timeline
    assert "Reason: new warehouse" in timeline
    assert ">city<" in timeline
    assert timeline.index("edited") < timeline.index("created")  # newest first
    assert str(manager) in timeline
