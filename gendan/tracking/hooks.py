"""The calls other modules make so an order's T&A plan follows what really happens.

``milestone_reached`` — something happened that completes a milestone (the deposit was
received, the final inspection passed…). ``milestone_forecast`` — a module learned a new
expected date for one (a material ETA, a booked inspection date, a factory's committed due
date); the forecast of every later milestone moves with it.

Call both inside the transaction that made the change; they write in it. A plan without
that milestone key ignores the call and an order without a plan too, so calling is always
safe, and calling twice changes nothing the second time (idempotent).
"""

from __future__ import annotations

import datetime as dt


class Milestone:
    """Milestone keys shared by the T&A templates and the modules that complete them."""

    PO_RECEIVED = "po_received"  # order confirmed
    PI_CONFIRMED = "pi_confirmed"  # PI / contract issued
    DEPOSIT_RECEIVED = "deposit_received"
    PRODUCTION_RELEASED = "production_released"
    BOM_CONFIRMED = "bom_confirmed"  # production order + 2 days (seed 001 第五篇 二)
    MATERIAL_ETAS_CONFIRMED = "material_etas_confirmed"  # production order + 3 days (第五篇 三)
    MATERIALS_IN = "materials_in"
    PP_SAMPLE_APPROVED = "pp_sample_approved"
    FIRST_ARTICLE_APPROVED = "first_article_approved"
    PRODUCTION_STARTED = "production_started"
    INLINE_INSPECTION = "inline_inspection"  # passed
    PRODUCTION_FINISHED = "production_finished"
    FINAL_INSPECTION = "final_inspection"  # passed
    BOOKING = "booking"
    EX_FACTORY = "ex_factory"
    ETD = "etd"  # shipped
    SHIPPING_ADVICE = "shipping_advice"
    DOCUMENTS_SENT = "documents_sent"
    BALANCE_RECEIVED = "balance_received"
    QUALITY_CHECK_IN = "quality_check_in"  # ETA + 7 days
    REORDER_CHECK_IN = "reorder_check_in"  # ETA + 21 days
    CLOSED = "closed"


def milestone_reached(*, order, key: str, actor, event=None, on: dt.date | None = None) -> None:
    """Complete milestone ``key`` of ``order``'s plan (actual date ``on``, default today),
    linked to ``event`` (a ``core.Event``) when given."""
    from gendan.tracking.services.milestones import milestones_complete_from_event

    milestones_complete_from_event(order=order, key=key, actor=actor, event=event, on=on)


def milestone_forecast(*, order, key: str, actor, on: dt.date, reason: str) -> None:
    """Set the forecast date of milestone ``key`` to ``on`` and move the milestones after it."""
    from gendan.tracking.services.milestones import milestone_forecast_from_module

    milestone_forecast_from_module(order=order, key=key, actor=actor, on=on, reason=reason)
