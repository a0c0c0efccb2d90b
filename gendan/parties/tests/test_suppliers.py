"""Suppliers: every kind, the credit code check and its override, edits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.core.errors import ConflictError, NotAllowed, ValidationFailed
from gendan.core.events import timeline_for
from gendan.parties import services
from gendan.parties.models import Supplier
from gendan.parties.tests.formdata import supplier_form_data
from tests.factories import SupplierFactory

VALID = "91350200776049653A"
LEGACY = "91350203M0001QAY9B"  # a real pilot-region code that fails the checksum


@pytest.fixture
def buyer(make_user):
    return make_user("purchasing", username="zheng", language="en")


def _create(actor, **data):
    return services.supplier_create(actor=actor, data={
        "kind": Supplier.Kind.OUTSOURCED_FACTORY, "name_zh": "东莞宏达五金制品厂", "country": "CN", **data})


@pytest.mark.parametrize("kind", Supplier.Kind.values)
def test_every_kind_of_supplier_can_be_created_and_is_numbered(buyer, kind):
    supplier = _create(buyer, kind=kind)
    assert supplier.code == "S00001"
    assert timeline_for(supplier).get().actor == buyer


def test_valid_credit_code_is_stored(buyer):
    assert _create(buyer, credit_code=VALID).credit_code == VALID


@pytest.mark.parametrize("typed", ["91350200776049653a", " 91350200776049653A ", "9135 0200 7760 4965 3A"])
def test_credit_code_typed_in_lowercase_or_with_spaces_is_stored_normalised(buyer, typed):
    assert _create(buyer, credit_code=typed).credit_code == VALID


@pytest.mark.parametrize("bad", [LEGACY, "91350200776049653B", "9135020077604965", "91350200776O49653A"])
def test_malformed_credit_code_is_refused_on_its_field(buyer, bad):
    with pytest.raises(ValidationFailed) as exc:
        _create(buyer, credit_code=bad)
    assert "credit_code" in exc.value.fields
    assert not Supplier.objects.exists()


def test_legacy_code_is_accepted_with_override_and_reason(buyer):
    supplier = _create(buyer, credit_code=LEGACY, credit_code_override=True,
                       credit_code_override_reason="厦门试点地区旧代码，已核对营业执照")
    assert supplier.credit_code == LEGACY


@pytest.mark.parametrize("reason", ["", "   "])
def test_override_without_reason_is_refused(buyer, reason):
    with pytest.raises(ValidationFailed) as exc:
        _create(buyer, credit_code=LEGACY, credit_code_override=True, credit_code_override_reason=reason)
    assert "credit_code_override_reason" in exc.value.fields
    assert not Supplier.objects.exists()


def test_override_does_not_excuse_a_wrong_length(buyer):
    with pytest.raises(ValidationFailed) as exc:
        _create(buyer, credit_code="9135020077", credit_code_override=True, credit_code_override_reason="old")
    assert "credit_code" in exc.value.fields


def test_supplier_form_shows_the_credit_code_message_and_keeps_the_input(buyer, client_for):
    response = client_for(buyer).post(reverse("parties:supplier_create"),
                                      supplier_form_data(credit_code=LEGACY, name_en="Legacy Factory"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "credit_code" in errors
    assert "accept code without check" in errors["credit_code"][0]
    assert "Legacy Factory" in response.content.decode()
    assert not Supplier.objects.exists()


def test_supplier_form_with_override_and_reason_saves(buyer, client_for):
    response = client_for(buyer).post(reverse("parties:supplier_create"), supplier_form_data(
        credit_code=LEGACY, credit_code_override="on", credit_code_override_reason="pilot-region code"))
    assert response.status_code == 302
    assert Supplier.objects.get().credit_code_override


def test_supplier_form_accepts_a_code_pasted_with_spaces(buyer, client_for):
    response = client_for(buyer).post(reverse("parties:supplier_create"),
                                      supplier_form_data(credit_code="9135 0200 7760 4965 3a"))
    assert response.status_code == 302
    assert Supplier.objects.get().credit_code == VALID


def test_duplicate_supplier_code_is_refused(buyer, client_for):
    SupplierFactory(code="HONGDA")
    with pytest.raises(ValidationFailed) as exc:
        _create(buyer, code="hongda")
    assert "code" in exc.value.fields
    response = client_for(buyer).post(reverse("parties:supplier_create"), supplier_form_data(code="HONGDA"))
    assert response.status_code == 400
    assert Supplier.objects.count() == 1


def test_edit_records_the_change_and_refuses_a_stale_version(buyer, client_for):
    supplier = SupplierFactory(daily_capacity=1000)
    url = reverse("parties:supplier_edit", args=[supplier.pk])
    client = client_for(buyer)

    response = client.post(url, supplier_form_data(supplier, daily_capacity="1500", reason="new line"))
    assert response.status_code == 302
    event = timeline_for(supplier).first()
    assert event.changes == {"daily_capacity": {"old": "1000", "new": "1500"}}
    assert event.reason == "new line"

    stale = client.post(url, supplier_form_data(supplier, daily_capacity="900", version="1"))
    assert stale.status_code == 409
    supplier.refresh_from_db()
    assert (supplier.daily_capacity, supplier.version) == (1500, 2)
    with pytest.raises(ConflictError):
        services.supplier_update(actor=buyer, supplier_id=supplier.pk, expected_version=1,
                                 data={"daily_capacity": 1})


def test_edit_cannot_break_the_credit_code(buyer):
    supplier = _create(buyer, credit_code=VALID)
    with pytest.raises(ValidationFailed):
        services.supplier_update(actor=buyer, supplier_id=supplier.pk, expected_version=1,
                                 data={"credit_code": LEGACY})
    supplier.refresh_from_db()
    assert supplier.credit_code == VALID


@pytest.mark.parametrize("role", ["sales", "finance", "qc", "production_planner"])
def test_roles_that_only_read_suppliers_cannot_write_them(make_user, role):
    actor = make_user(role)
    supplier = SupplierFactory()
    with pytest.raises(NotAllowed):
        _create(actor)
    with pytest.raises(NotAllowed):
        services.supplier_update(actor=actor, supplier_id=supplier.pk, expected_version=1, data={"city": "X"})
    assert Supplier.objects.count() == 1
