"""The chase badge in the navigation: how many of your milestones and actions are overdue."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from gendan.core.request_cache import per_session
from gendan.tracking.selectors import overdue_count


def chase_badge(request):
    """The badge is counted at most once per ``GENDAN_CHASE_BADGE_SECONDS`` per user (four counts on
    every page otherwise); the user's own change (any POST) is seen on the next page, someone
    else's within that time."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("tracking.view_ordermilestone"):
        return {}
    today = timezone.localdate()
    return {"chase_overdue": per_session(request, f"chase_overdue:{today.isoformat()}",
                                         lambda: overdue_count(user, today), seconds=settings.GENDAN_CHASE_BADGE_SECONDS)}
