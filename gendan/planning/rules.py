"""Who may do what in planning: the guards used by the buttons, the pages and the services
(``core.guards``: a ``Check`` the page shows, the service refuses with)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.accounts.roles import Role
from gendan.core.errors import CoreError
from gendan.core.guards import OK, Check, no
from gendan.planning.models import ProductionException
from gendan.planning.workflows import EXCEPTION

PLANNERS = (Role.PRODUCTION_PLANNER, Role.MANAGER, Role.ADMIN)
REPORTERS = (Role.PRODUCTION_PLANNER, Role.MERCHANDISER, Role.QC, Role.MANAGER, Role.ADMIN)


def _has(user, *roles) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(*roles)))


def can_plan(user) -> Check:
    """Update the schedule, record progress, import sheets, generate instructions."""
    if _has(user, *PLANNERS):
        return OK
    return no(CoreError.FORBIDDEN, _("Only the production planner or a manager updates the schedule and the progress."))


def can_report_exception(user, kind: str | None = None) -> Check:
    if not _has(user, *REPORTERS):
        return no(CoreError.FORBIDDEN, _("Exceptions are reported by the planner, QC, the merchandiser or a manager."))
    if kind and kind != ProductionException.Kind.QUALITY and user.has_role(Role.QC) and not _has(
            user, Role.PRODUCTION_PLANNER, Role.MERCHANDISER, Role.MANAGER, Role.ADMIN):
        return no(CoreError.FORBIDDEN,
                  _("Quality control reports quality problems; other exceptions go through the planner."))
    return OK


def can_resolve_exception(user, exception: ProductionException) -> Check:
    if not EXCEPTION.can(exception, ProductionException.Status.RESOLVED):
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("This exception is already resolved."))
    if not _has(user, Role.PRODUCTION_PLANNER, Role.MANAGER, Role.ADMIN) and exception.reported_by_id != user.pk:
        return no(CoreError.FORBIDDEN, _("The planner, a manager or whoever reported it resolves an exception."))
    return OK
