"""Who may do what in planning: the guards used by the buttons, the pages and the services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.accounts.roles import Role
from gendan.planning.models import ProductionException
from gendan.planning.workflows import exception_transition_allowed
from gendan.sales.rules import OK, Check

PLANNERS = (Role.PRODUCTION_PLANNER, Role.MANAGER, Role.ADMIN)
REPORTERS = (Role.PRODUCTION_PLANNER, Role.MERCHANDISER, Role.QC, Role.MANAGER, Role.ADMIN)


def _has(user, *roles) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(*roles)))


def can_plan(user) -> Check:
    """Update the schedule, record progress, import sheets, generate instructions."""
    if _has(user, *PLANNERS):
        return OK
    return Check(False, _("Only the production planner or a manager updates the schedule and the progress."),
                 "forbidden")


def can_report_exception(user, kind: str | None = None) -> Check:
    if not _has(user, *REPORTERS):
        return Check(False, _("Exceptions are reported by the planner, QC, the merchandiser or a manager."),
                     "forbidden")
    if kind and kind != ProductionException.Kind.QUALITY and user.has_role(Role.QC) and not _has(
            user, Role.PRODUCTION_PLANNER, Role.MERCHANDISER, Role.MANAGER, Role.ADMIN):
        return Check(False, _("Quality control reports quality problems; other exceptions go through the planner."),
                     "forbidden")
    return OK


def can_resolve_exception(user, exception: ProductionException) -> Check:
    if not exception_transition_allowed(exception.status, ProductionException.Status.RESOLVED):
        return Check(False, _("This exception is already resolved."), "state")
    if not _has(user, Role.PRODUCTION_PLANNER, Role.MANAGER, Role.ADMIN) and exception.reported_by_id != user.pk:
        return Check(False, _("The planner, a manager or whoever reported it resolves an exception."), "forbidden")
    return OK
