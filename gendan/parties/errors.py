"""Error codes of customers, suppliers and their contacts."""

from gendan.core.errors import ErrorCode, Kind


class PartiesError(ErrorCode):
    DUPLICATE_CODE = "duplicate_code", Kind.VALIDATION, "the code is already used by another record"
