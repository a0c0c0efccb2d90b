"""Document numbers: unique and gap-free under concurrency.

``number_next`` must run inside the transaction that saves the numbered document.
It locks the sequence row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the
write transaction itself is exclusive), increments the period counter and returns
the formatted number. If the document's transaction rolls back, so does the
counter: no number is lost. Each numbered model also keeps a UNIQUE constraint on
its number as the last line of defence.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.errors import ValidationFailed
from gendan.core.models import Sequence, SequenceCounter

_TOKEN = re.compile(r"\{([A-Z]+)\}")
_KNOWN = {"PREFIX", "YYYY", "YY", "MM", "SEQ"}


def sequence_validate(*, pattern: str, reset: str, padding: int) -> None:
    """Refuse a pattern that could repeat a number or that has unknown placeholders."""
    tokens = set(_TOKEN.findall(pattern))
    unknown = tokens - _KNOWN
    if unknown:
        raise ValidationFailed(
            _("Unknown placeholder %(names)s in the pattern.") % {"names": ", ".join(sorted(unknown))},
            fields={"pattern": _("Use only {PREFIX}, {YYYY}, {YY}, {MM} and {SEQ}.")},
        )
    if "SEQ" not in tokens:
        raise ValidationFailed(_("The pattern needs {SEQ}."), fields={"pattern": _("The pattern needs {SEQ}.")})
    has_year = bool(tokens & {"YYYY", "YY"})
    if reset in (Sequence.Reset.YEARLY, Sequence.Reset.MONTHLY) and not has_year:
        msg = _("A counter that restarts every year or month needs the year in the pattern, or numbers repeat.")
        raise ValidationFailed(msg, fields={"pattern": msg})
    if reset == Sequence.Reset.MONTHLY and "MM" not in tokens:
        msg = _("A counter that restarts every month needs {MM} in the pattern, or numbers repeat.")
        raise ValidationFailed(msg, fields={"pattern": msg})
    if not 1 <= padding <= 10:
        raise ValidationFailed(_("Counter digits must be 1 to 10."), fields={"padding": _("1 to 10")})


def _period(reset: str, day: dt.date) -> str:
    if reset == Sequence.Reset.YEARLY:
        return f"{day:%Y}"
    if reset == Sequence.Reset.MONTHLY:
        return f"{day:%Y-%m}"
    return "all"


def format_number(sequence: Sequence, value: int, day: dt.date) -> str:
    values = {
        "PREFIX": sequence.prefix,
        "YYYY": f"{day:%Y}",
        "YY": f"{day:%y}",
        "MM": f"{day:%m}",
        "SEQ": str(value).zfill(sequence.padding),
    }
    return _TOKEN.sub(lambda m: values[m.group(1)], sequence.pattern)


def number_next(*, code: str, on_date: dt.date | None = None) -> str:
    """Allocate and return the next number of sequence ``code``.

    Precondition: called inside ``transaction.atomic()`` together with the insert of
    the document that carries the number.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next() must run inside the document's transaction")
    day = on_date or timezone.localdate()
    # The usual case in one query: this period's counter exists; locking its row serialises the
    # allocations of the period. (The first number of a period locks the sequence row below,
    # so two first numbers cannot both create the counter.)
    periods = {_period(reset, day) for reset in Sequence.Reset.values}
    for counter in (SequenceCounter.objects.select_for_update(of=("self",)).select_related("sequence")
                    .filter(sequence__code=code, period__in=periods)):
        if counter.period == _period(counter.sequence.reset, day):
            counter.last_value += 1
            counter.save(update_fields=["last_value"])
            return format_number(counter.sequence, counter.last_value, day)
    try:
        sequence = Sequence.objects.select_for_update().get(code=code)
    except Sequence.DoesNotExist:
        raise ValidationFailed(_("No number sequence “%(code)s” is set up.") % {"code": code}) from None
    period = _period(sequence.reset, day)
    # The sequence row lock serialises allocations, so get_or_create cannot race here.
    counter, _created = SequenceCounter.objects.select_for_update().get_or_create(
        sequence=sequence, period=period
    )
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return format_number(sequence, counter.last_value, day)


def sequence_preview(*, code: str, on_date: dt.date | None = None) -> str:
    """Return the number the next allocation would give, without allocating it."""
    day = on_date or timezone.localdate()
    sequence = Sequence.objects.get(code=code)
    counter = SequenceCounter.objects.filter(sequence=sequence, period=_period(sequence.reset, day)).first()
    return format_number(sequence, (counter.last_value if counter else 0) + 1, day)


def number_next_block(*, code: str, count: int, on_date: dt.date | None = None) -> list[str]:
    """Allocate ``count`` consecutive numbers at once (bulk imports, demo data). Same rules
    as ``number_next``: call inside the transaction that inserts the documents."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next_block() must run inside the documents' transaction")
    day = on_date or timezone.localdate()
    sequence = Sequence.objects.select_for_update().get(code=code)
    counter, _created = SequenceCounter.objects.select_for_update().get_or_create(
        sequence=sequence, period=_period(sequence.reset, day)
    )
    first = counter.last_value + 1
    counter.last_value += count
    counter.save(update_fields=["last_value"])
    return [format_number(sequence, value, day) for value in range(first, first + count)]
