"""Error codes of attachments and issued documents."""

from gendan.core.errors import ErrorCode, Kind


class DocumentsError(ErrorCode):
    BAD_FILE = "bad_file", Kind.VALIDATION, "the upload is empty, too large, or of a type Gendan does not accept"
