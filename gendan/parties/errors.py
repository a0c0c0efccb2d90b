"""Error codes of customers, suppliers and their contacts."""

from gendan.core.errors import ErrorCode, Kind


class PartiesError(ErrorCode):
    DUPLICATE_CODE = "duplicate_code", Kind.VALIDATION, "the code is already used by another record"
    CREDIT_CODE_CHECK = "credit_code_check", Kind.VALIDATION, (
        "a supplier's unified social credit code fails its GB 32100 check character (a checksum): a legacy code "
        "needs `credit_code_override` with a `credit_code_override_reason`")
    NAME_REQUIRED = "name_required", Kind.VALIDATION, (
        "a customer or supplier keeps a name in Chinese or in English: an edit may not blank the one it has")
