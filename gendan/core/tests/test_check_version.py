"""A stale-edit check given a version that is not a whole number (the API fuzz sent one to
PATCH /api/v1/credits/{id}/): refused as bad input with the field named, never a server error."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from gendan.core.errors import ConflictError, ValidationFailed
from gendan.core.services import check_version


@pytest.mark.parametrize("sent", ["Ó¯)坟", "1.5", [], "abc"])
def test_a_version_that_is_not_a_whole_number_is_refused_as_such(sent):
    row = SimpleNamespace(version=3)
    with pytest.raises(ValidationFailed) as refused:
        check_version(row, sent)
    assert "version" in refused.value.fields


def test_a_stale_version_is_still_a_conflict():
    row = SimpleNamespace(version=3)
    with pytest.raises(ConflictError):
        check_version(row, "2")
    check_version(row, "3")
