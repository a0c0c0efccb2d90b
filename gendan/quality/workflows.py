"""The allowed state changes of inspections, first articles and samples (one service each,
see ``quality.services``; the prose is in docs/workflows/inspection.md and samples-and-first-article.md)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.core.errors import TransitionNotAllowed
from gendan.quality.models import FirstArticle, Inspection, Sample

IS, F, S = Inspection.Status, FirstArticle.Status, Sample.Status

INSPECTION_TRANSITIONS: dict[str, set[str]] = {
    IS.BOOKED: {IS.PASSED, IS.FAILED, IS.CANCELLED},  # inspection_record_result / inspection_cancel
    IS.PASSED: set(),
    IS.FAILED: set(),  # the re-inspection is a new booking linked to this one
    IS.CANCELLED: set(),
}

FIRST_ARTICLE_TRANSITIONS: dict[str, set[str]] = {
    F.OPEN: {F.APPROVED, F.REJECTED},  # first_article_sign (both sides signed) / first_article_reject
    F.APPROVED: set(),
    F.REJECTED: set(),  # a new round is a new first article
}

SAMPLE_TRANSITIONS: dict[str, set[str]] = {
    S.REQUESTED: {S.SENT, S.CANCELLED},  # sample_send / sample_cancel
    S.SENT: {S.APPROVED, S.REJECTED, S.CANCELLED},  # sample_sign (every department / one rejects)
    S.REJECTED: {S.SENT, S.CANCELLED},  # sample_send: the next round
    S.APPROVED: set(),
    S.CANCELLED: set(),
}


def check_transition(obj, to: str, table: dict[str, set[str]]) -> None:
    """Refuse a state change the table does not allow."""
    if to not in table.get(obj.status, set()):
        raise TransitionNotAllowed(_("%(obj)s is “%(current)s” and cannot become “%(target)s”.") % {
            "obj": obj, "current": obj.get_status_display(), "target": type(obj).Status(to).label})
