"""Coded, translatable business errors, and the one mapping from a refusal to an HTTP status.

Services raise ``BusinessError`` (or a subclass); pages and the API answer it the same way:
``error_status(exc)`` decides the status from the error's *kind*, never from where it was
raised. The kind comes from the code: every app declares its codes in an ``ErrorCode`` enum
(``<app>/errors.py``), each code with its kind::

    class SalesError(ErrorCode):
        GATE_DEPOSIT = "gate_deposit", Kind.GATE, "the deposit is not received (or overridden) yet"
        EMPTY_ORDER = "empty_order", Kind.VALIDATION, "an order needs at least one line"

The optional third element is the code's meaning, one line of English for ``docs/api.md``
(``manage.py error_codes`` prints the table; a test keeps the page equal to it).

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

The edge (the API, the login) adds the kinds of HTTP itself; services raise only
``throttled`` among them (the login lock):

==============  ======  ==============================================================
kind            status  meaning
==============  ======  ==============================================================
authentication  401     no credentials, wrong ones, or an inactive user
method          405     the URL does not take this HTTP method
not_acceptable  406     the client accepts no format the API answers in
too_large       413     the request body is larger than the server accepts
media_type      415     the body is in a format the endpoint does not read
throttled       429     too many tries; wait and try again
server          500     a bug: logged on the server, no details in the answer
==============  ======  ==============================================================

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
    # the edge's own (HTTP) kinds
    AUTHENTICATION = "authentication"
    METHOD = "method"
    NOT_ACCEPTABLE = "not_acceptable"
    TOO_LARGE = "too_large"
    MEDIA_TYPE = "media_type"
    THROTTLED = "throttled"
    SERVER = "server"


# The one mapping from the kind of a refusal to its HTTP status, for pages and API alike.
STATUS: dict[Kind, int] = {
    Kind.VALIDATION: 400,
    Kind.PERMISSION: 403,
    Kind.SCOPE: 404,
    Kind.GATE: 409,
    Kind.STATE: 409,
    Kind.STALE: 409,
    Kind.AUTHENTICATION: 401,
    Kind.METHOD: 405,
    Kind.NOT_ACCEPTABLE: 406,
    Kind.TOO_LARGE: 413,
    Kind.MEDIA_TYPE: 415,
    Kind.THROTTLED: 429,
    Kind.SERVER: 500,
}


class ErrorCode(enum.StrEnum):
    """Base of each app's error codes: ``NAME = "code", Kind.X, "meaning"``. The value is the
    code string the API answers; ``.kind`` decides the status; ``.meaning`` (optional, one line
    of English) explains it in ``docs/api.md``. Every subclass registers its codes, so a code
    is declared once in the whole project (``codes()`` lists them all)."""

    kind: Kind
    meaning: str

    def __new__(cls, value: str, kind: Kind = Kind.VALIDATION, meaning: str = ""):
        member = str.__new__(cls, value)
        member._value_ = value
        member.kind = Kind(kind)
        member.meaning = meaning
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
_CODES: tuple[int, dict[str, ErrorCode]] = (0, {})


def codes() -> dict[str, ErrorCode]:
    """Every declared code, by its string. A code declared twice with different kinds is a
    programming error, reported here (and by the test that walks all codes)."""
    global _CODES
    if _CODES[0] == len(_ENUMS):
        return _CODES[1]
    out: dict[str, ErrorCode] = {}
    for enum_cls in _ENUMS:
        for member in enum_cls:
            seen = out.get(member.value)
            if seen is not None and seen.kind != member.kind:
                raise RuntimeError(f"error code {member.value!r} declared as {seen.kind} and {member.kind}")
            out.setdefault(member.value, member)
    _CODES = (len(_ENUMS), out)
    return out


def error_enums() -> list[type[ErrorCode]]:
    """The project's error enums: those declared in an app's ``errors`` module (``core``'s own
    included), not the throw-away ones tests declare."""
    return [cls for cls in _ENUMS if cls.__module__.startswith("gendan.") and cls.__module__.endswith(".errors")]


def project_codes() -> dict[str, ErrorCode]:
    """Every code the project declares (``error_enums``), by its string, sorted; the table of
    ``docs/api.md``. The first declaration of a code shared by two apps that has a meaning
    gives it."""
    out: dict[str, ErrorCode] = {}
    for enum_cls in error_enums():
        for member in enum_cls:
            seen = out.get(member.value)
            if seen is None or (not seen.meaning and member.meaning):
                out[member.value] = member
    return dict(sorted(out.items()))


# Codes raised without an enum declaring them, seen in this process: {code: where}. The test
# suite reports them (root conftest.py), or refuses them at once when
# settings.GENDAN_STRICT_ERROR_CODES is true.
UNDECLARED: dict[str, str] = {}


def _undeclared(code: str) -> None:
    import traceback

    from django.conf import settings

    frames = [f for f in traceback.extract_stack()[:-1] if "/gendan/core/errors.py" not in f.filename
              and "/gendan/core/guards.py" not in f.filename]
    where = f"{frames[-1].filename.rsplit('/gendan/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"
    UNDECLARED.setdefault(code, where)
    if getattr(settings, "GENDAN_STRICT_ERROR_CODES", False):
        raise AssertionError(f"error code {code!r} (raised at {where}) is declared by no ErrorCode enum: "
                             f"declare it in <app>/errors.py")


class CoreError(ErrorCode):
    """Codes every app may answer with."""

    INVALID = "invalid", Kind.VALIDATION, "the input is wrong; the message says what to correct"
    VALIDATION_FAILED = "validation_failed", Kind.VALIDATION, (
        "wrong types, impossible dates, a field the model or service refuses; `fields` names each")
    REASON_REQUIRED = "reason_required", Kind.VALIDATION, (
        "a written reason is needed (at least 3 characters); it goes on the timeline")
    INVALID_DATE = "invalid_date", Kind.VALIDATION, "not a date (YYYY-MM-DD), or outside 2000–2099"
    # Rules a schema cannot state (against today's date, between fields, against stored records):
    # a code of their own, so a client — and the API fuzz — tells them from a malformed request.
    DATE_IN_FUTURE = "date_in_future", Kind.VALIDATION, (
        "a date of something that has happened (received, sent, paid, inspected) lies after today")
    DATE_IN_PAST = "date_in_past", Kind.VALIDATION, (
        "a date still to come (planned, committed, expected) lies before today")
    DATE_TOO_FAR = "date_too_far", Kind.VALIDATION, (
        "a date still to come lies too far ahead of today (an inspection more than a year away, a milestone "
        "more than two years): check the year")
    DATES_OUT_OF_ORDER = "dates_out_of_order", Kind.VALIDATION, (
        "two dates in the wrong order (an expiry before the latest shipment, a due date before the meeting)")
    VALUES_INCONSISTENT = "values_inconsistent", Kind.VALIDATION, (
        "values that contradict each other (a tax above its amount, a gross weight below the net, "
        "a line's amount beyond what is stored, cells adding up to more than the line)")
    COMMENT_REQUIRED = "comment_required", Kind.VALIDATION, (
        "this answer needs a comment (a rejection, a failed check); `fields` names where")
    RECORD_MISMATCH = "record_mismatch", Kind.VALIDATION, (
        "a record the request names does not belong with the others (another customer's order, "
        "another shipment's document)")
    DUPLICATE_ITEM = "duplicate_item", Kind.VALIDATION, "the same item twice in a list that takes each once"
    FORBIDDEN = "forbidden", Kind.PERMISSION, "the user's role may not do this"
    NOT_FOUND = "not_found", Kind.SCOPE, "unknown URL, missing record, or a record outside the user's scope"
    CONFLICT = "conflict", Kind.STALE, "stale `version`: someone else saved first; reload and send again"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed", Kind.STATE, (
        "the record's state does not allow this action (see docs/workflows)")


# The codes of rules a schema cannot state: the request's shape is right, its values break a rule
# against today's date, between fields, or against stored records (scripts/api_fuzz_hooks.py).
RULE_CODES = frozenset({CoreError.DATE_IN_FUTURE, CoreError.DATE_IN_PAST, CoreError.DATE_TOO_FAR,
                        CoreError.DATES_OUT_OF_ORDER, CoreError.VALUES_INCONSISTENT, CoreError.COMMENT_REQUIRED,
                        CoreError.RECORD_MISMATCH, CoreError.DUPLICATE_ITEM})


class BusinessError(Exception):
    """A business rule refused the action. ``fields`` maps field names to messages.

    ``code`` is an ``ErrorCode`` member (or its string); its kind decides ``status``. A code no
    app declares keeps the class's default kind — the test suite reports such codes (and
    refuses them when ``settings.GENDAN_STRICT_ERROR_CODES`` is true).
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
        if declared is None:
            _undeclared(self.code)
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


class FieldErrors(dict):
    """Collects field → message while a service validates everything before saving anything,
    keeping the code of the first refusal — except that a plain ``validation_failed`` (a value
    wrong in itself) wins over the codes of rules a schema cannot state (``RULE_CODES``), so the
    answer's code never hides a malformed value behind a rule; ``raise_any`` raises one
    ``ValidationFailed`` naming every field at once."""

    code = None

    def add(self, field: str, message: str, code=None) -> None:
        if field not in self:
            self[field] = str(message)
            code = code or CoreError.VALIDATION_FAILED
            if self.code is None or (self.code in RULE_CODES and code == CoreError.VALIDATION_FAILED):
                self.code = code

    def raise_any(self) -> None:
        if self:
            raise ValidationFailed(next(iter(self.values())), code=self.code, fields=dict(self))


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
    """Convert a Django ``ValidationError`` (from ``full_clean``) to ``ValidationFailed``. Its code
    is ``validation_failed`` — unless every error was raised with an ``ErrorCode`` as its code (a
    model's rule a schema cannot state, e.g. a checksum): then the first of those, so a value wrong
    in itself is never reported as a broken rule."""
    from django.utils.translation import gettext as _

    if hasattr(exc, "error_dict"):
        fields = {name: [m for e in errs for m in e.messages] for name, errs in exc.error_dict.items()}
        errors = [e for errs in exc.error_dict.values() for e in errs]
    else:
        fields = {"__all__": list(exc.messages)}
        errors = list(exc.error_list)
    first = next(iter(fields.values()))[0] if fields else _("Please correct the errors below.")
    coded = [e.code for e in errors if isinstance(e.code, ErrorCode)]
    code = coded[0] if errors and len(coded) == len(errors) else None
    return ValidationFailed(first, code=code, fields=fields)
