"""Error codes of products, variants and bills of materials."""

from gendan.core.errors import ErrorCode, Kind


class CatalogError(ErrorCode):
    DUPLICATE_CODE = "duplicate_code", Kind.VALIDATION, "the code is already used by another record"
    IN_USE = "in_use", Kind.VALIDATION, (
        "variants that quotations or orders still use cannot be removed from the matrix")
