"""`manage.py seed_demo` builds a believable company once, and only once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.models import Event
from gendan.parties.credit_code import is_valid
from gendan.parties.models import Contact, Customer, Supplier
from gendan.parties.services import customer_create


def _seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return _seed(customers=15)


def test_every_role_has_a_demo_user_who_can_log_in(seeded, client):
    for role in Role:
        users = User.objects.filter(groups__name=role.value, is_active=True)
        assert users.exists(), f"no demo user for {role}"
    assert client.login(username="merch", password="gendan-demo-2026")
    assert "gendan-demo-2026" in seeded  # the logins are printed for the person who ran it


def test_customers_are_spread_over_at_least_five_countries(seeded):
    assert Customer.objects.count() == 15
    assert Customer.objects.values("country").distinct().count() >= 5
    assert not Customer.objects.filter(salesperson__isnull=True).exists()
    assert Contact.objects.filter(customer__isnull=False, is_primary=True).count() == 15


def test_suppliers_of_every_kind_with_valid_credit_codes(seeded):
    kinds = set(Supplier.objects.values_list("kind", flat=True))
    assert kinds == set(Supplier.Kind.values)
    codes = list(Supplier.objects.values_list("credit_code", flat=True))
    assert codes and all(is_valid(code) for code in codes)
    assert len(set(codes)) == len(codes)


def test_demo_records_have_a_timeline(seeded):
    customer = Customer.objects.first()
    assert Event.objects.filter(object_id=customer.pk, verb=Event.Verb.CREATED).exists()


def test_second_run_creates_nothing(seeded):
    def counts():
        return [m.objects.count() for m in (User, Customer, Supplier, Contact, Event)]

    before = counts()
    output = _seed(customers=15)
    assert counts() == before
    assert "nothing to do" in output


def test_numbering_continues_after_the_demo_customers(seeded):
    manager = User.objects.get(username="gm")
    customer = customer_create(actor=manager, data={"name_en": "After Demo Ltd.", "country": "DE"})
    assert customer.code == "C00016"


def test_a_crash_half_way_leaves_nothing_and_a_rerun_finishes(db, monkeypatch):
    """Issue 10, item 10: one transaction — a step that fails leaves no half demo behind, so the
    next run builds the whole company instead of saying "already present"."""
    from gendan.demo import tracking as demo_tracking

    def broken(ctx):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_tracking, "seed", broken)
    with pytest.raises(RuntimeError):
        _seed(customers=15, orders=20)
    assert not User.objects.filter(username="merch").exists() and Customer.objects.count() == 0
    monkeypatch.undo()
    assert "nothing to do" not in _seed(customers=15, orders=20)
    assert User.objects.filter(username="merch").exists()


def test_refuses_to_run_with_production_settings(db, settings):
    from django.core.management.base import CommandError

    settings.GENDAN_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="GENDAN_DEMO_ALLOWED"):
        _seed(customers=15)
    assert not User.objects.filter(username="merch").exists()
