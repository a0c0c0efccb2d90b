"""Generic write helpers used by the domain services: create and versioned update with events.

Domain services (``customer_create``, ``product_update`` …) add their own rules and
call these for the common part: validate, save, write the event, in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from gendan.core.errors import ConflictError, ValidationFailed, validation_error_to_business
from gendan.core.events import changes_between, event_record, snapshot
from gendan.core.models import Event

M = TypeVar("M", bound=models.Model)


def full_clean_or_raise(obj: models.Model, *, exclude: Iterable[str] | None = None) -> None:
    """Run model validation; raise ``ValidationFailed`` with field messages on failure."""
    exclude = list(exclude or [])
    try:
        obj.full_clean(exclude=exclude, validate_constraints=not _constraints_all_skipped(type(obj), exclude))
    except ValidationError as exc:
        raise validation_error_to_business(exc) from None


def _constraints_all_skipped(model: type[models.Model], exclude: list[str]) -> bool:
    """Would Django skip every constraint of ``model`` with these fields excluded? A check
    constraint that names an excluded field is skipped — but only after its check query is built,
    with an annotation for each field of the model (for a new sales order, three constraints:
    ~40 % of ``order_create``'s time). Only check constraints are judged; any other kind is
    validated as usual."""
    constraints = model._meta.constraints
    if not constraints or not exclude:
        return False
    excluded = set(exclude)
    return all(isinstance(c, models.CheckConstraint) and models.Q(c.condition).referenced_base_fields & excluded
               for c in constraints)


def model_create(*, actor, obj: M, kind: str = "", params: dict | None = None, message: str = "",
                 exclude_clean: Iterable[str] | None = None) -> M:
    """Validate and insert ``obj`` and record a ``created`` event (``kind`` + ``params`` say more,
    in the reader's language; ``message`` only for a person's own words). Runs in a transaction."""
    with transaction.atomic():
        full_clean_or_raise(obj, exclude=exclude_clean)
        obj.save()
        event_record(actor=actor, obj=obj, verb=Event.Verb.CREATED, kind=kind, params=params, message=message)
    return obj


def lock_row(queryset: models.QuerySet[M], pk: Any, *, expected_version: int | None = None,
             not_found: str = "No such record.") -> M:
    """Lock and return the row ``pk`` of ``queryset`` (a scoped queryset: another user's row is
    "not found" like a missing one, 404), refusing a stale ``expected_version`` (409).
    Call inside a transaction; lock parents (the sales order) before children."""
    try:
        # of=("self",): lock only this row. Scoped querysets select_related nullable foreign
        # keys, and PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
        obj = queryset.select_for_update(of=("self",)).get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(not_found) from None
    check_version(obj, expected_version)
    return obj


def related_rows_keep(obj: models.Model, name: str, rows: Iterable[models.Model]) -> None:
    """Keep ``rows`` as what ``obj.<name>.all()`` returns (``name``: a reverse foreign key's
    related name), as ``prefetch_related`` would: a service that has just written every one of
    those rows passes them on, and the next reader in the same transaction does not read them
    again. ``rows`` in the model's ordering; a ``filter()`` on the manager still queries."""
    cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(name, None)
    queryset = getattr(obj, name).all()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    cache[name] = queryset


def check_version(obj: models.Model, expected_version: int | None) -> None:
    """Refuse a stale edit: ``expected_version`` is the version the user loaded (a whole number:
    anything else is refused as such, not a server error)."""
    if expected_version is not None:
        try:
            expected_version = int(expected_version)
        except (TypeError, ValueError, OverflowError):
            raise ValidationFailed(_("The version must be a whole number."),
                                   fields={"version": _("The version must be a whole number.")}) from None
    if expected_version is not None and expected_version != obj.version:
        raise ConflictError(
            _(
                "Someone else changed this record after you opened it (your version %(yours)s, "
                "now %(current)s). Reload the page to see their changes, then edit again."
            )
            % {"yours": expected_version, "current": obj.version}
        )


def model_update(
    *,
    actor,
    queryset: models.QuerySet[M],
    pk: Any,
    expected_version: int | None,
    data: Mapping[str, Any],
    reason: str = "",
    validate=None,
) -> tuple[M, dict]:
    """Lock the row, refuse a stale version, apply ``data``, validate, save changed fields
    and record an ``updated`` event with old → new values. Returns (object, changes).

    ``validate(obj)`` may raise a ``BusinessError`` for rules beyond the model's own.
    Nothing is saved if anything is refused.
    """
    with transaction.atomic():
        # of=("self",): lock only this row. Scoped querysets select_related nullable foreign
        # keys, and PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
        obj = queryset.select_for_update(of=("self",)).get(pk=pk)
        check_version(obj, expected_version)
        before = snapshot(obj, data.keys())
        for name, value in data.items():
            setattr(obj, name, value)
        full_clean_or_raise(obj)
        if validate:
            validate(obj)
        changes = changes_between(before, obj)
        if not changes:
            return obj, {}
        obj.version += 1
        changed_fields = [obj._meta.get_field(n).attname for n in changes]
        obj.save(update_fields=[*changed_fields, "version", "updated_at"])
        event_record(actor=actor, obj=obj, verb=Event.Verb.UPDATED, changes=changes, reason=reason)
    return obj, changes
