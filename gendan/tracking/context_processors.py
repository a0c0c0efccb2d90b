"""The chase badge in the navigation: how many of your milestones and actions are overdue."""

from __future__ import annotations

from gendan.tracking.selectors import overdue_count


def chase_badge(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("tracking.view_ordermilestone"):
        return {}
    return {"chase_overdue": overdue_count(user)}
