"""factory_boy factories for the domain models. Tests arrange data with these; the actions
under test go through services or HTTP."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from gendan.accounts.models import Region, Team, User
from gendan.parties.models import Contact, Customer, Supplier
from gendan.sales.models import SalesOrder

TEST_PASSWORD = "correct-horse-battery-9"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region{n}")
    name_zh = factory.Sequence(lambda n: f"区域{n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户 {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    language = "zh-hans"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        if extracted:
            self.groups.set([Group.objects.get(name=r) for r in extracted])
            self._role_codes = None


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    code = factory.Sequence(lambda n: f"CUST{n:04d}")
    name_en = factory.Sequence(lambda n: f"Customer {n} Ltd.")
    name_zh = ""
    country = "US"
    default_currency_id = "USD"
    deposit_percent = Decimal("30")


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    code = factory.Sequence(lambda n: f"SUP{n:04d}")
    kind = Supplier.Kind.OUTSOURCED_FACTORY
    name_zh = factory.Sequence(lambda n: f"供应商{n}号工厂")
    country = "CN"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.com")


# --- orders --------------------------------------------------------------------------
#
# An order is never written into the tables directly: the factory enters it through
# ``order_create`` and brings it to the state asked for through the same services a user's
# clicks go through (confirmations, confirm, deposit receipt, release), so plans, payment
# items, sub-states and timeline rows are the real ones.

ORDER_STATES = ("draft", "confirmed", "in_production", "shipped")


def mug_lines() -> list[dict]:
    """The order every test knows: 1 000 ceramic mugs at 1.235 (red 600, blue 400, size M) and
    3 gift boxes at 0.335, USD 1 236.01 in all."""
    return [
        {"description": "Ceramic mug 350 ml", "unit_price": Decimal("1.235"),
         "cells": [{"colour": "Red", "size": "M", "quantity": "600"},
                   {"colour": "Blue", "size": "M", "quantity": "400"}]},
        {"description": "Gift box", "unit_price": Decimal("0.335"), "quantity": "3"},
    ]


class SalesOrderFactory(factory.django.DjangoModelFactory):
    """A customer's order, entered by ``actor`` (the customer's merchandiser unless told) and
    brought to ``state`` through the services::

        SalesOrderFactory(customer=w.customer)                        # a draft of mug_lines()
        SalesOrderFactory(customer=w.customer, confirmed=True)        # written + phone confirmation, confirmed
        SalesOrderFactory(customer=w.customer, in_production=True,    # deposit received, released
                          finance=w.finance, supplier=w.factory)
        SalesOrderFactory(customer=w.customer, shipped=True, ...)     # everything shipped (see ship_everything)

    Any other keyword is a header field of ``order_create`` (``ex_factory_date``,
    ``packing_requirements`` …); ``lines`` replaces the lines. ``confirmer`` confirms (``actor``
    by default: a salesperson may enter but not confirm), ``finance`` records the money (a new
    finance user when not given), ``supplier`` produces (a new outsourced factory when not given).
    """

    class Meta:
        model = SalesOrder
        skip_postgeneration_save = True

    class Params:
        confirmed = factory.Trait(state="confirmed")
        in_production = factory.Trait(state="in_production")
        shipped = factory.Trait(state="shipped")

    customer = factory.SubFactory(
        CustomerFactory, merchandiser=factory.SubFactory(UserFactory, roles=["merchandiser"]))
    actor = factory.LazyAttribute(lambda o: o.customer.merchandiser)
    confirmer = factory.SelfAttribute("actor")
    finance = None
    supplier = None
    state = "draft"
    lines = factory.LazyFunction(mug_lines)
    customer_po_no = "PO-4711"
    customer_po_date = factory.LazyFunction(timezone.localdate)
    ex_factory_date = factory.LazyAttribute(lambda o: o.customer_po_date + dt.timedelta(days=60))

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("SalesOrderFactory creates orders through the services; use create(), not build()")

    @classmethod
    def _create(cls, model_class, *, actor, confirmer, finance, supplier, state, lines, customer, **data):
        from gendan.sales.services.confirmations import order_confirm
        from gendan.sales.services.orders import order_create

        if state not in ORDER_STATES:
            raise ValueError(f"state {state!r} is not one of {ORDER_STATES}")
        order = order_create(actor=actor, customer_id=customer.pk, data=data, lines=lines)
        if state == "draft":
            return order
        record_confirmations(order, actor=confirmer)
        order = order_confirm(actor=confirmer, order_id=order.pk)
        if state == "confirmed":
            return order
        order = release_to_production(order, actor=actor, finance=finance, supplier=supplier)
        if state == "in_production":
            return order
        ship_everything(order, actor=actor, finance=finance)
        order.refresh_from_db()
        return order


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "po-fax.pdf"):
    """A (tiny, valid) PDF as a browser would upload it: the customer's PO."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def record_confirmations(order, *, actor, summary: str = "1000 mugs red/blue M, 3 gift boxes"):
    """The customer's written order (a PDF) and the phone call that confirmed it, recorded now."""
    from gendan.sales.services.confirmations import confirmation_record

    now = timezone.now()
    confirmation_record(actor=actor, order_id=order.pk, kind="written", upload=pdf_upload(), confirmed_at=now)
    confirmation_record(actor=actor, order_id=order.pk, kind="verbal", confirmed_at=now, contact_name="Mr. Jansen",
                        phone_number="+31 10 555 0100", summary=summary)


_BANK_REFERENCES = itertools.count(1)


def finance_user() -> User:
    return UserFactory(roles=["finance"], language="en")


def pay(order, amount, *, actor=None, reference: str | None = None, received_on: dt.date | None = None):
    """Money from the customer reaches the bank today and is allocated to ``order`` in full.
    Each payment has its own bank reference unless one is given (a reference is one transfer)."""
    from gendan.finance.services import receipt_record

    if reference is None:
        reference = f"FT-AUTO-{next(_BANK_REFERENCES)}"

    return receipt_record(actor=actor or finance_user(), customer_id=order.customer_id, currency=order.currency_id,
                          amount=str(amount), received_on=received_on or timezone.localdate(),
                          bank_reference=reference, allocations=[{"order_id": order.pk, "amount": str(amount)}])


def release_to_production(order, *, actor, finance=None, supplier=None, assignments=None):
    """Receive the deposit (when the terms ask for one) and release the confirmed order to
    ``supplier`` (a new outsourced factory when not given), due on the ex-factory date."""
    from gendan.production.services.release import order_release_production

    order.refresh_from_db()
    missing = order.deposit_amount - order.received_amount
    if missing > 0:
        pay(order, missing, actor=finance)
    if assignments is None:
        supplier = supplier or SupplierFactory(kind=Supplier.Kind.OUTSOURCED_FACTORY)
        assignments = [{"supplier": supplier, "due_date": order.ex_factory_date}]
    return order_release_production(actor=actor, order_id=order.pk, assignments=assignments)


def ship_everything(order, *, actor, finance=None, qc=None, shipped_on: dt.date | None = None):
    """Ship every open quantity today. The balance is received first (so under terms that hold
    the goods until it is paid the order ends *completed*), and a final inspection is booked and
    passed when the order requires one."""
    from gendan.shipping.services import order_ship

    order.refresh_from_db()
    missing = order.total_amount - order.received_amount
    if missing > 0:
        pay(order, missing, actor=finance)
    if order.requires_final_inspection:
        from gendan.quality.services import inspection_book, inspection_record_result

        qc = qc or UserFactory(roles=["qc"], language="en")
        lot = int(sum(line.quantity for line in order.lines.all()))
        inspection = inspection_book(actor=actor, order_id=order.pk, kind="final", party="third_party",
                                     inspector="SGS Shenzhen", planned_on=timezone.localdate(), lot_size=lot)
        inspection_record_result(actor=qc, inspection_id=inspection.pk, inspected_on=timezone.localdate(),
                                 critical=0, major=0, minor=0)
    order.refresh_from_db()
    return order_ship(actor=actor, order_id=order.pk, shipped_on=shipped_on or timezone.localdate(),
                      quantities={line.pk: line.open_quantity for line in order.lines.all()})


# --- files ---------------------------------------------------------------------------


def png_bytes(width: int = 8, height: int = 8, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """Return the bytes of a real PNG image made with Pillow."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name: str = "photo.png", **kwargs):
    """Return an uploaded file holding a real PNG, as a browser would send it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")
