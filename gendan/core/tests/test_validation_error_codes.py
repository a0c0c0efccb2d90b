"""A model's rule a schema cannot state (a checksum, a name the record keeps) raised with an
``ErrorCode`` answers with that code — unless another error of the same answer is a plain one:
then ``validation_failed``, so a value wrong in itself is never reported as a broken rule."""

from django.core.exceptions import ValidationError

from gendan.core.errors import CoreError, validation_error_to_business
from gendan.parties.errors import PartiesError


def test_an_error_coded_by_the_model_keeps_its_code():
    exc = validation_error_to_business(ValidationError({
        "credit_code": ValidationError("fails the check character", code=PartiesError.CREDIT_CODE_CHECK)}))
    assert (exc.code, exc.fields) == ("credit_code_check", {"credit_code": ["fails the check character"]})


def test_a_plain_error_beside_it_answers_validation_failed_naming_both():
    exc = validation_error_to_business(ValidationError({
        "email": ValidationError("Enter a valid email address.", code="invalid"),
        "credit_code": ValidationError("fails the check character", code=PartiesError.CREDIT_CODE_CHECK)}))
    assert exc.code == CoreError.VALIDATION_FAILED and set(exc.fields) == {"email", "credit_code"}


def test_django_s_own_codes_are_not_taken_for_the_project_s():
    # "invalid" is a string Django uses and a code CoreError declares: only an ErrorCode member counts
    exc = validation_error_to_business(ValidationError("Enter a valid value.", code="invalid"))
    assert exc.code == CoreError.VALIDATION_FAILED and exc.fields == {"__all__": ["Enter a valid value."]}
