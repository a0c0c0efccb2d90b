"""full_clean_or_raise leaves out the constraints Django would skip anyway (each names an excluded
field) without building their check queries — and only those: a sales order breaking all three of
its constraints is refused exactly when Django's own validation refuses it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gendan.core.services import _constraints_all_skipped
from gendan.sales.models import SalesOrder

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("exclude", [
    [], ["total_amount"], ["total_amount", "deposit_amount"], ["deposit_amount", "quantity_tolerance_percent"],
    ["total_amount", "deposit_amount", "quantity_tolerance_percent"],
    ["customer", "merchandiser", "salesperson", "total_amount", "deposit_amount", "quantity_tolerance_percent"],
])
def test_skipped_only_when_django_skips_every_constraint(exclude):
    order = SalesOrder(total_amount=Decimal("-1"), deposit_amount=Decimal("5"),
                       quantity_tolerance_percent=Decimal("50"))
    try:
        order.validate_constraints(exclude=set(exclude))
        django_refuses = False
    except ValidationError:
        django_refuses = True
    assert _constraints_all_skipped(SalesOrder, exclude) is (not django_refuses)
