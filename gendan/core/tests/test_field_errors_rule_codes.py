"""A rule's code (a date against today, two fields that contradict each other) names the refusal
only when no value is wrong in itself: an API client reading the code must not be told "a rule"
when a field is malformed too."""

import pytest

from gendan.core.errors import CoreError, FieldErrors, ValidationFailed


def _code(errors: FieldErrors) -> str:
    with pytest.raises(ValidationFailed) as exc:
        errors.raise_any()
    return exc.value.code


def test_a_rule_alone_answers_with_its_own_code():
    errors = FieldErrors()
    errors.add("received_on", "2026-03-12 is in the future.", CoreError.DATE_IN_FUTURE)
    assert _code(errors) == CoreError.DATE_IN_FUTURE


def test_a_malformed_value_wins_over_a_rule_in_the_same_answer():
    errors = FieldErrors()
    errors.add("received_on", "2026-03-12 is in the future.", CoreError.DATE_IN_FUTURE)
    errors.add("amount", "Enter a number.")
    assert _code(errors) == CoreError.VALIDATION_FAILED
    assert set(errors) == {"received_on", "amount"}


def test_other_specific_codes_keep_the_first_refusal():
    errors = FieldErrors()
    errors.add("on", "Not a date.", CoreError.INVALID_DATE)
    errors.add("amount", "Enter a number.")
    assert _code(errors) == CoreError.INVALID_DATE
