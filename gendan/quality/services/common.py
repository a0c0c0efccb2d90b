"""What the quality use cases share: whole numbers typed by a person, and the photos and
reports attached to a record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import ValidationFailed
from gendan.documents.models import Attachment
from gendan.documents.services import attachment_add, validate_upload

# The largest count (lot size, defects, sample quantity) the integer columns take.
MAX_COUNT = 2_000_000_000


def invalid(field: str, message: str, code: str | None = None) -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={field: message})


def count(value: Any, *, field: str, label: str, minimum: int = 0) -> int:
    """``value`` as a whole number ≥ ``minimum``, or refuse (400) naming ``label``."""
    if isinstance(value, bool):
        value = None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise invalid(field, _("%(label)s must be a whole number.") % {"label": label}) from None
    if number < minimum:
        raise invalid(field, _("%(label)s must be at least %(min)s.") % {"label": label, "min": minimum})
    if number > MAX_COUNT:  # a 30-digit lot size would overflow the column (OverflowError on SQLite)
        raise invalid(field, _("%(label)s is too large (at most %(max)s).") % {
            "label": label, "max": number_format(MAX_COUNT, use_l10n=True, force_grouping=True)})
    return number


def check_uploads(photos: Iterable, report) -> None:
    """Refuse bad files before anything is saved (the attachments are stored last)."""
    for upload in photos:
        validate_upload(upload, image_only=True)
    if report is not None:
        validate_upload(report)


def attach(actor: User, owner, photos: Iterable, report, change_perm: str) -> None:
    for upload in photos:
        attachment_add(actor=actor, owner=owner, upload=upload, kind=Attachment.Kind.PHOTO, change_perm=change_perm)
    if report is not None:
        attachment_add(actor=actor, owner=owner, upload=report, kind=Attachment.Kind.REPORT, change_perm=change_perm)
