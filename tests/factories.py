"""factory_boy factories for the domain models. Tests arrange data with these; the actions
under test go through services or HTTP."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from gendan.accounts.models import Region, Team, User
from gendan.parties.models import Contact, Customer, Supplier

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
