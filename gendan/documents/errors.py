"""Error codes of attachments and issued documents."""

from gendan.core.errors import ErrorCode, Kind


class DocumentsError(ErrorCode):
    BAD_FILE = "bad_file", Kind.VALIDATION, "the upload is empty, too large, or of a type Gendan does not accept"
    FILE_IN_USE = "file_in_use", Kind.STATE, (
        "a record relies on the file (e.g. an order's written confirmation, a shipping notice): it is not removed")
