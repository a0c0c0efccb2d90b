"""Numbers beyond the columns in the places that turned them into database lookups (issue 10
item 4): a lot size of 30 digits, an attendee or a requirement id beyond 64 bits are refused with
the field named — never an OverflowError (HTTP 500) on SQLite."""

from __future__ import annotations

import pytest

from gendan.core.errors import ValidationFailed
from gendan.purchasing.forms import PurchaseLineForm
from gendan.quality.services.common import count
from gendan.tracking.services.meetings import _attendees

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


def test_a_30_digit_count_is_refused_naming_the_field():
    with pytest.raises(ValidationFailed) as refused:
        count(HUGE, field="lot_size", label="The lot size", minimum=2)
    assert refused.value.fields == {"lot_size": ["The lot size is too large (at most 2,000,000,000)."]}
    assert count("500", field="lot_size", label="The lot size") == 500


def test_attendee_ids_beyond_64_bits_are_not_found():
    with pytest.raises(ValidationFailed) as refused:
        _attendees([HUGE, str(2**63)])
    assert list(refused.value.fields) == ["attendees"]


def test_a_requirement_id_beyond_64_bits_is_unknown():
    form = PurchaseLineForm(data={"covers": f"1,{HUGE}"})
    form.is_valid()
    assert form.errors.get("covers") == ["Unknown requirement."]
