"""The production exception's allowed state change (生产异常), one service per transition.

Read with docs/workflows/production-progress.md (the table there is this one; a test keeps them
equal). A transition not in this table is refused with ``TransitionNotAllowed`` (409).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.core.workflow import Workflow
from gendan.planning.models import ProductionException

S = ProductionException.Status

EXCEPTION = Workflow(
    "production_exception", ProductionException, label=_("production exception"), doc="production-progress",
    transitions={
        # what was done is written down (and a new ex-factory date, if it moved)
        (S.OPEN, S.RESOLVED): "gendan.planning.services.exceptions.exception_resolve",
    },
)
