"""Coded, translatable business errors.

Services raise these; views turn them into form errors or messages, the API into
``{code, message, fields}`` JSON. A refused action says which rule refused it and
what is missing, in the user's language.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise


class BusinessError(Exception):
    """A business rule refused the action. ``fields`` maps field names to messages."""

    status = 400
    default_code = "invalid"

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        fields: Mapping[str, list[str | Promise] | str | Promise] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.fields: dict[str, list[str]] = {}
        for name, msgs in (fields or {}).items():
            if isinstance(msgs, (list, tuple)):
                self.fields[name] = [str(m) for m in msgs]
            else:
                self.fields[name] = [str(msgs)]

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message), "fields": self.fields}


class ValidationFailed(BusinessError):
    """Input is wrong; ``fields`` says where."""

    default_code = "validation_failed"


class ConflictError(BusinessError):
    """Someone else saved the object since it was loaded (stale version)."""

    status = 409
    default_code = "conflict"


class NotAllowed(BusinessError):
    """The user's role may not do this."""

    status = 403
    default_code = "forbidden"


class TransitionNotAllowed(BusinessError):
    """The workflow does not allow this state change from the current state."""

    status = 409
    default_code = "transition_not_allowed"


def validation_error_to_business(exc) -> ValidationFailed:
    """Convert a Django ``ValidationError`` (from ``full_clean``) to ``ValidationFailed``."""
    from django.utils.translation import gettext as _

    if hasattr(exc, "error_dict"):
        fields = {name: [m for e in errs for m in e.messages] for name, errs in exc.error_dict.items()}
    else:
        fields = {"__all__": list(exc.messages)}
    first = next(iter(fields.values()))[0] if fields else _("Please correct the errors below.")
    return ValidationFailed(first, fields=fields)
