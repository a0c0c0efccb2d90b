"""Guards: may this action happen now, and if not, why not — one mechanism for every app.

A guard is a function returning a ``Check``. The same guard decides whether a page shows a
button (with the reason when it doesn't), what the API answers, and whether the service
proceeds: the service calls ``refuse(check)`` under its row lock. ``require`` checks a
permission, ``reason_required`` the written reason a state change or an override needs, and
``parse_date`` a date typed by a person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.errors import (
    BusinessError,
    ConflictError,
    CoreError,
    ErrorCode,
    FieldErrors,
    Kind,
    NotAllowed,
    TransitionNotAllowed,
    ValidationFailed,
    codes,
)

# One minimum for every written reason (hold, cancel, override, reschedule, skip …): three
# characters, so "缺面料" is a reason and "ok" is not.
MIN_REASON_LENGTH = 3
MAX_REASON_LENGTH = 1000


@dataclass(frozen=True)
class Check:
    """The answer of a guard: allowed, or refused with a translated reason and a code."""

    allowed: bool
    reason: str = ""
    code: str = ""

    def __bool__(self) -> bool:
        return self.allowed


OK = Check(True)


def no(code: ErrorCode | str, reason: str) -> Check:
    """A refusal: ``code`` names the rule (an ``ErrorCode``), ``reason`` says what is missing."""
    return Check(False, str(reason), str(code))


def refuse(check: Check, *, field: str | None = None) -> None:
    """Raise the refusal a guard gave, as a coded business error (nothing when allowed).
    Its status follows from the code's kind (``core.errors``); the error's class too, so callers
    catch what they always caught: a role's refusal is a ``NotAllowed``, wrong input a
    ``ValidationFailed``, a refused workflow transition a ``TransitionNotAllowed`` (as
    ``Workflow.ensure`` raises it)."""
    if check.allowed:
        return
    code = check.code or CoreError.INVALID
    declared = codes().get(str(code))
    if code == CoreError.TRANSITION_NOT_ALLOWED:
        error = TransitionNotAllowed
    else:
        error = _ERROR_OF_KIND.get(declared.kind if declared is not None else None, BusinessError)
    raise error(check.reason, code=code, fields={field: check.reason} if field else None)


_ERROR_OF_KIND = {Kind.PERMISSION: NotAllowed, Kind.VALIDATION: ValidationFailed, Kind.STALE: ConflictError}


def require(actor, *perms: str, message: str | None = None) -> None:
    """Refuse (403) unless ``actor`` holds every permission in ``perms``."""
    for perm in perms:
        if not actor.has_perm(perm):
            raise NotAllowed(message or _("Your role may not do this (%(perm)s).") % {"perm": perm})


def reason_required(reason: str | None, what: str, *, field: str = "reason") -> str:
    """Return the stripped reason, or refuse (400) when it is shorter than the one minimum.
    ``what`` completes "Give the reason for …" (e.g. "putting the order on hold")."""
    text = (reason or "").strip()
    if len(text) < MIN_REASON_LENGTH:
        msg = _("Give the reason for %(what)s (at least %(n)d characters; it goes on the timeline).") % {
            "what": what, "n": MIN_REASON_LENGTH}
        raise ValidationFailed(msg, code=CoreError.REASON_REQUIRED, fields={field: msg})
    if len(text) > MAX_REASON_LENGTH:
        msg = _("The reason is too long (at most %(n)d characters).") % {"n": MAX_REASON_LENGTH}
        raise ValidationFailed(msg, code=CoreError.REASON_REQUIRED, fields={field: msg})
    return text


# Dates people type for business documents: far outside this window they are typing mistakes.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


def parse_date(value, *, field: str, required: bool = False) -> dt.date | None:
    """Return ``value`` (a date or ISO ``YYYY-MM-DD`` text) as a date, or refuse (400) with the
    field named. Dates before 2000 or after 2099 make no business sense and are refused."""
    if value in (None, ""):
        if required:
            msg = _("Enter a date.")
            raise ValidationFailed(msg, code=CoreError.INVALID_DATE, fields={field: msg})
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            msg = _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": str(value)[:40]}
            raise ValidationFailed(msg, code=CoreError.INVALID_DATE, fields={field: msg}) from None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        msg = _("%(date)s is outside the dates Gendan accepts (%(first)s to %(last)s).") % {
            "date": value.isoformat(), "first": EARLIEST_DATE.isoformat(), "last": LATEST_DATE.isoformat()}
        raise ValidationFailed(msg, code=CoreError.INVALID_DATE, fields={field: msg})
    return value


def collect_past_date(value, *, field: str, errors: FieldErrors, required: bool = False) -> dt.date | None:
    """``parse_date`` for a day that has happened (documents sent, a certificate received): a bad
    or future date goes into ``errors`` (the service names every field at once) and gives None."""
    try:
        day = parse_date(value, field=field, required=required)
    except ValidationFailed as exc:
        errors.add(field, exc.fields[field][0], CoreError.INVALID_DATE)
        return None
    if day and day > timezone.localdate():
        errors.add(field, _("%(date)s is in the future.") % {"date": day.isoformat()}, CoreError.DATE_IN_FUTURE)
        return None
    return day


# The largest id a database column holds (64-bit signed). SQLite raises OverflowError on a bigger
# integer in a lookup that Django does not bound itself (foreign keys, ``pk__in``).
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """Return ``value`` (an id typed in a URL's query or a form) as a positive integer that fits
    the database, or None — a page then treats it as "not chosen" or "not found"."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:  # "²" and "٣" are digits to isdigit()
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def id_or_zero(value) -> int:
    """An id typed by a person or a client for a lookup: ``parse_id``, or 0 (found nowhere) —
    so a service answers "not found" (404), never a database overflow (500)."""
    return parse_id(value) or 0
