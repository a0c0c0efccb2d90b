"""What a browser posts from the customer and supplier forms."""

from __future__ import annotations

from django.db import models

from gendan.parties.forms import CUSTOMER_FIELDS, SUPPLIER_FIELDS
from gendan.parties.models import Customer, Supplier


def _post_data(obj: models.Model, names: list[str], overrides: dict) -> dict:
    data = {}
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if isinstance(field, models.BooleanField):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else str(value)
    if obj.pk:
        data["version"] = str(obj.version)
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def customer_form_data(customer: Customer | None = None, **overrides) -> dict:
    """The fields of the customer form as the browser sends them; ``None`` leaves a field out."""
    customer = customer or Customer(name_en="Posted Buyer Ltd.", country="US", default_currency_id="USD")
    return _post_data(customer, CUSTOMER_FIELDS, overrides)


def supplier_form_data(supplier: Supplier | None = None, **overrides) -> dict:
    supplier = supplier or Supplier(kind=Supplier.Kind.OUTSOURCED_FACTORY, name_zh="东莞测试五金厂", country="CN")
    return _post_data(supplier, SUPPLIER_FIELDS, overrides)
