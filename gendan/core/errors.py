"""Coded, translatable business errors, and the one mapping from a refusal to an HTTP status.

Services raise ``BusinessError`` (or a subclass); pages and the API answer it the same way:
``error_status(exc)`` decides the status from the error's *kind*, never from where it was
raised. The kind comes from the code: every app declares its codes in an ``ErrorCode`` enum
(``<app>/errors.py``), each code with its kind::

    class SalesError(ErrorCode):
        GATE_DEPOSIT = "gate_deposit", Kind.GATE
        EMPTY_ORDER = "empty_order", Kind.VALIDATION

Kinds and their status (pages and API alike):

==========  ======  ==================================================================
kind        status  meaning
==========  ======  ==================================================================
validation  400     the input is wrong or incomplete; ``fields`` says where
permission  403     the user's role may not do this
scope       404     no such object, or not the user's (the same answer for both)
gate        409     a business rule (gate) holds the action back until something happens
state       409     the object's state does not allow the action (workflow)
stale       409     someone else saved the object since it was loaded
==========  ======  ==================================================================

A refused action says, in the user's language, which rule refused it and what is missing.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from django.utils.functional import Promise


class Kind(enum.StrEnum):
    VALIDATION = "validation"
    PERMISSION = "permission"
    SCOPE = "scope"
    GATE = "gate"
    STATE = "state"
    STALE = "stale"


# The one mapping from the kind of a refusal to its HTTP status, for pages and API alike.
STATUS: dict[Kind, int] = {
    Kind.VALIDATION: 400,
    Kind.PERMISSION: 403,
    Kind.SCOPE: 404,
    Kind.GATE: 409,
    Kind.STATE: 409,
    Kind.STALE: 409,
}


class ErrorCode(enum.StrEnum):
    """Base of each app's error codes: ``NAME = "code", Kind.X``. The value is the code string
    the API answers; ``.kind`` decides the status. Every subclass registers its codes, so a
    code is declared once in the whole project (``codes()`` lists them all)."""

    kind: Kind

    def __new__(cls, value: str, kind: Kind = Kind.VALIDATION):
        member = str.__new__(cls, value)
        member._value_ = value
        member.kind = Kind(kind)
        return member

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _ENUMS.append(cls)

    def __str__(self) -> str:
        return self.value

    @property
    def status(self) -> int:
        return STATUS[self.kind]


_ENUMS: list[type[ErrorCode]] = []


def codes() -> dict[str, ErrorCode]:
    """Every declared code, by its string. A code declared twice with different kinds is a
    programming error, reported here (and by the test that walks all codes)."""
    out: dict[str, ErrorCode] = {}
    for enum_cls in _ENUMS:
        for member in enum_cls:
            seen = out.get(member.value)
            if seen is not None and seen.kind != member.kind:
                raise RuntimeError(f"error code {member.value!r} declared as {seen.kind} and {member.kind}")
            out.setdefault(member.value, member)
    return out


class CoreError(ErrorCode):
    """Codes every app may answer with."""

    INVALID = "invalid", Kind.VALIDATION
    VALIDATION_FAILED = "validation_failed", Kind.VALIDATION
    REASON_REQUIRED = "reason_required", Kind.VALIDATION
    INVALID_DATE = "invalid_date", Kind.VALIDATION
    FORBIDDEN = "forbidden", Kind.PERMISSION
    NOT_FOUND = "not_found", Kind.SCOPE
    CONFLICT = "conflict", Kind.STALE
    TRANSITION_NOT_ALLOWED = "transition_not_allowed", Kind.STATE


class BusinessError(Exception):
    """A business rule refused the action. ``fields`` maps field names to messages.

    ``code`` is an ``ErrorCode`` member (or its string); its kind decides ``status``. A code no
    app declares keeps the class's default kind — the test suite refuses such codes.
    """

    default_code: ErrorCode | str = CoreError.INVALID
    default_kind: Kind = Kind.VALIDATION  # for a default_code no enum declares

    def __init__(
        self,
        message: str | Promise,
        *,
        code: ErrorCode | str | None = None,
        fields: Mapping[str, list[str | Promise] | str | Promise] | None = None,
        kind: Kind | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = str(code or self.default_code)
        declared = codes().get(self.code)
        # ``kind`` is only for codes no enum declares yet; a declared code's kind always wins.
        self.kind: Kind = declared.kind if declared is not None else (kind or self.default_kind)
        self.declared = declared is not None
        self.fields: dict[str, list[str]] = {}
        for name, msgs in (fields or {}).items():
            if isinstance(msgs, (list, tuple)):
                self.fields[name] = [str(m) for m in msgs]
            else:
                self.fields[name] = [str(msgs)]

    @property
    def status(self) -> int:
        return STATUS[self.kind]

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message), "fields": self.fields}


class ValidationFailed(BusinessError):
    """Input is wrong; ``fields`` says where."""

    default_code = CoreError.VALIDATION_FAILED


class ConflictError(BusinessError):
    """Someone else saved the object since it was loaded (stale version)."""

    default_code = CoreError.CONFLICT
    default_kind = Kind.STALE


class NotAllowed(BusinessError):
    """The user's role may not do this."""

    default_code = CoreError.FORBIDDEN
    default_kind = Kind.PERMISSION


class TransitionNotAllowed(BusinessError):
    """The workflow does not allow this state change from the current state."""

    default_code = CoreError.TRANSITION_NOT_ALLOWED
    default_kind = Kind.STATE


def error_status(exc: BusinessError) -> int:
    """The HTTP status of a refusal, for pages and the API alike."""
    return exc.status


def validation_error_to_business(exc) -> ValidationFailed:
    """Convert a Django ``ValidationError`` (from ``full_clean``) to ``ValidationFailed``."""
    from django.utils.translation import gettext as _

    if hasattr(exc, "error_dict"):
        fields = {name: [m for e in errs for m in e.messages] for name, errs in exc.error_dict.items()}
    else:
        fields = {"__all__": list(exc.messages)}
    first = next(iter(fields.values()))[0] if fields else _("Please correct the errors below.")
    return ValidationFailed(first, fields=fields)
