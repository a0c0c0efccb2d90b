"""Allowed state changes of a production exception (生产异常)."""

from __future__ import annotations

from gendan.planning.models import ProductionException

S = ProductionException.Status

EXCEPTION_TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {S.RESOLVED},  # exception_resolve: what was done is written down
    S.RESOLVED: set(),
}


def exception_transition_allowed(current: str, target: str) -> bool:
    return target in EXCEPTION_TRANSITIONS.get(current, set())
