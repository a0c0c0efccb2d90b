"""Error codes of planning: the schedule, daily progress and its Excel import, production
exceptions and instructions.

Besides these planning answers with core's codes (``core.errors.CoreError``): ``forbidden``
(only the planner or a manager plans; exceptions are reported and resolved by the roles
``planning.rules`` names), ``not_found``, ``conflict`` (stale ``version``),
``transition_not_allowed`` (an exception already resolved: docs/workflows/production-schedule.md),
``reason_required`` and ``validation_failed``.
"""

from gendan.core.errors import ErrorCode, Kind


class PlanningError(ErrorCode):
    BAD_FILE = "bad_file", Kind.VALIDATION, "the upload is empty, too large, or of a type Gendan does not accept"
    ALREADY_IMPORTED = "already_imported", Kind.STATE, "this progress sheet upload was already imported"
