"""Creating and editing customers: numbering, refusals that save nothing, stale edits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from gendan.core.errors import ConflictError, NotAllowed, ValidationFailed
from gendan.core.events import timeline_for
from gendan.core.models import Event
from gendan.parties import services
from gendan.parties.models import Customer
from gendan.parties.tests.formdata import customer_form_data
from tests.factories import CustomerFactory


@pytest.fixture
def manager(make_user):
    return make_user("manager", username="gm", language="en")


@pytest.fixture
def sales(make_user):
    return make_user("sales", username="li", language="en")


def _create(actor, **data):
    return services.customer_create(actor=actor, data={"name_en": "Acme Ltd.", "country": "US", **data})


# --- create ------------------------------------------------------------------------------


def test_customers_without_code_are_numbered_in_order(manager):
    first, second = _create(manager), _create(manager, name_en="Beta GmbH", country="DE")
    assert (first.code, second.code) == ("C00001", "C00002")


def test_typed_code_is_kept_in_capitals(manager):
    customer = _create(manager, code=" acme-1 ")
    assert customer.code == "ACME-1"
    # A typed code does not use up a number.
    assert _create(manager, name_en="Next").code == "C00001"


def test_duplicate_code_is_refused_on_the_code_field_and_nothing_is_saved(manager):
    _create(manager, code="ACME")
    events = Event.objects.count()

    with pytest.raises(ValidationFailed) as exc:
        _create(manager, code="acme", name_en="Someone Else")

    assert exc.value.code == "duplicate_code"
    assert "ACME" in exc.value.fields["code"][0]
    assert list(Customer.objects.values_list("name_en", flat=True)) == ["Acme Ltd."]
    assert Event.objects.count() == events


def test_duplicate_code_in_the_form_is_a_field_message(manager, client_for):
    CustomerFactory(code="ACME")
    response = client_for(manager).post(reverse("parties:customer_create"),
                                        customer_form_data(code="ACME", name_en="Someone Else"))

    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    assert 'name="name_en" value="Someone Else"' in response.content.decode()  # nothing typed is lost
    assert Customer.objects.count() == 1


def test_unknown_currency_is_refused(manager):
    with pytest.raises(ValidationFailed) as exc:
        _create(manager, default_currency_id="XYZ")
    assert "default_currency" in exc.value.fields
    assert not Customer.objects.exists()


def test_currency_the_company_does_not_use_is_refused(manager):
    with pytest.raises(ValidationFailed) as exc:
        _create(manager, default_currency_id="AUD")  # known to ISO, switched off in the reference data
    assert "default_currency" in exc.value.fields


def test_unknown_currency_in_the_form_is_an_invalid_choice(manager, client_for):
    response = client_for(manager).post(reverse("parties:customer_create"),
                                        customer_form_data(default_currency="XYZ"))
    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["default_currency"]] == ["invalid_choice"]
    assert not Customer.objects.exists()


@pytest.mark.parametrize(("percent", "ok"), [("0", True), ("100", True), ("100.01", False), ("-1", False),
                                             ("-0.01", False)])
def test_deposit_percent_between_0_and_100(manager, percent, ok):
    if ok:
        assert _create(manager, deposit_percent=Decimal(percent)).deposit_percent == Decimal(percent)
    else:
        with pytest.raises(ValidationFailed) as exc:
            _create(manager, deposit_percent=Decimal(percent))
        assert "deposit_percent" in exc.value.fields
        assert not Customer.objects.exists()


def test_deposit_over_100_in_the_form_is_a_field_message(manager, client_for):
    response = client_for(manager).post(reverse("parties:customer_create"),
                                        customer_form_data(deposit_percent="150"))
    assert response.status_code == 400
    assert "deposit_percent" in response.context["form"].errors
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name_en": "", "name_zh": ""}, "name_zh"),
        ({"name_en": "   "}, "name_zh"),
        ({"code": "ACME 1"}, "code"),
        ({"payment_days": 400}, "payment_days"),
        ({"bank_swift": "BOC"}, "bank_swift"),
        ({"email": "not-an-email"}, "email"),
        ({"country": "XX"}, "country"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(manager, data, field):
    with pytest.raises(ValidationFailed) as exc:
        _create(manager, **data)
    assert field in exc.value.fields
    assert not Customer.objects.exists()
    assert not Event.objects.exists()


def test_roles_without_add_permission_are_refused_by_the_service(make_user):
    with pytest.raises(NotAllowed):
        _create(make_user("finance"))
    assert not Customer.objects.exists()


def test_create_through_the_form_opens_the_new_customer(sales, client_for):
    client = client_for(sales)
    response = client.post(reverse("parties:customer_create"), customer_form_data(name_en="Form Buyer"))

    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response.url == customer.get_absolute_url()
    assert customer.code == "C00001"
    assert "Customer saved." in client.get(response.url).content.decode()


# --- edit --------------------------------------------------------------------------------


def test_edit_through_the_form_records_old_new_and_reason(manager, client_for):
    customer = CustomerFactory(city="Boston")
    response = client_for(manager).post(
        reverse("parties:customer_edit", args=[customer.pk]),
        customer_form_data(customer, city="Chicago", reason="moved to a new office"),
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.city, customer.version) == ("Chicago", 2)
    event = timeline_for(customer).first()
    assert event.changes == {"city": {"old": "Boston", "new": "Chicago"}}
    assert event.reason == "moved to a new office"
    assert event.actor == manager


def test_stale_edit_is_refused_with_409_and_keeps_both_peoples_work(manager, sales, client_for):
    customer = CustomerFactory(city="Boston", salesperson=sales)
    first, second = client_for(sales), client_for(manager)
    url = reverse("parties:customer_edit", args=[customer.pk])

    page = first.get(url)  # Li opens the form at version 1
    assert 'name="version" value="1"' in page.content.decode()
    assert second.post(url, customer_form_data(customer, city="Chicago")).status_code == 302  # → version 2
    li_posts = customer_form_data(customer, city="Denver", notes="call before shipping", version="1")
    li_posts = {k: v for k, v in li_posts.items() if k not in ("salesperson", "merchandiser", "team", "region")}

    response = first.post(url, li_posts)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this record" in html
    assert 'value="Denver"' in html and "call before shipping" in html  # Li's typing is still there
    customer.refresh_from_db()
    assert (customer.city, customer.notes, customer.version) == ("Chicago", "", 2)


def test_an_edit_without_the_version_it_was_loaded_at_is_not_saved(manager, client_for):
    """Issue 10, item 8: without the version the page was opened at, a save could overwrite
    someone else's change unseen — refused, nothing saved."""
    customer = CustomerFactory(city="Boston")
    data = {k: v for k, v in customer_form_data(customer, city="Chicago").items() if k != "version"}
    response = client_for(manager).post(reverse("parties:customer_edit", args=[customer.pk]), data)
    assert response.status_code == 400 and response.context["form"].errors["version"]
    customer.refresh_from_db()
    assert (customer.city, customer.version) == ("Boston", 1)


def test_stale_version_is_refused_by_the_service(manager):
    customer = CustomerFactory()
    services.customer_update(actor=manager, customer_id=customer.pk, expected_version=1, data={"city": "A"})
    with pytest.raises(ConflictError):
        services.customer_update(actor=manager, customer_id=customer.pk, expected_version=1, data={"city": "B"})
    customer.refresh_from_db()
    assert (customer.city, customer.version) == ("A", 2)


def test_changing_the_code_to_one_in_use_is_refused(manager, client_for):
    CustomerFactory(code="TAKEN")
    customer = CustomerFactory(code="MINE")

    with pytest.raises(ValidationFailed) as exc:
        services.customer_update(actor=manager, customer_id=customer.pk, expected_version=1,
                                 data={"code": "taken"})
    assert "code" in exc.value.fields

    response = client_for(manager).post(reverse("parties:customer_edit", args=[customer.pk]),
                                        customer_form_data(customer, code="TAKEN"))
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    customer.refresh_from_db()
    assert customer.code == "MINE"


def test_code_may_not_be_emptied(manager):
    customer = CustomerFactory(code="MINE")
    with pytest.raises(ValidationFailed):
        services.customer_update(actor=manager, customer_id=customer.pk, expected_version=1, data={"code": " "})
    customer.refresh_from_db()
    assert customer.code == "MINE"


def test_refused_edit_in_the_form_keeps_the_record(manager, client_for):
    customer = CustomerFactory(deposit_percent=Decimal("30"))
    response = client_for(manager).post(reverse("parties:customer_edit", args=[customer.pk]),
                                        customer_form_data(customer, deposit_percent="101"))
    assert response.status_code == 400
    customer.refresh_from_db()
    assert (customer.deposit_percent, customer.version) == (Decimal("30"), 1)


def test_finance_may_read_but_not_edit(make_user, client_for):
    finance = make_user("finance")
    customer = CustomerFactory()
    client = client_for(finance)
    assert client.get(customer.get_absolute_url()).status_code == 200
    assert client.get(reverse("parties:customer_edit", args=[customer.pk])).status_code == 403
    response = client.post(reverse("parties:customer_edit", args=[customer.pk]),
                           customer_form_data(customer, city="Nowhere"))
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.version == 1
    with pytest.raises(NotAllowed):
        services.customer_update(actor=finance, customer_id=customer.pk, expected_version=1, data={"city": "X"})
