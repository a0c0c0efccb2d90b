"""Milestone use cases (being built: issue 4)."""

from __future__ import annotations


def milestones_complete_from_event(*, order, key, actor, event=None, on=None) -> None:
    return None


def milestone_forecast_from_module(*, order, key, actor, on, reason) -> None:
    return None
