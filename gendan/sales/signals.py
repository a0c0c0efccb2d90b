"""Signals other modules send about an order's progress, so the T&A plan can follow it.

``milestone_reached`` — something happened that completes a T&A milestone, e.g. the
deposit was received or the final inspection passed. Send it inside the transaction that
made the change (``transaction.atomic``); receivers write in the same transaction::

    milestone_reached.send(sender=SalesOrder, order=order, key=Milestone.DEPOSIT_RECEIVED,
                           actor=user, event=event_row, on=date)

``milestone_forecast`` — a module learned a new expected date for a milestone (a material
ETA, a booked inspection date, a factory's committed due date)::

    milestone_forecast.send(sender=SalesOrder, order=order, key=Milestone.MATERIALS_IN,
                            actor=user, on=date, reason="fabric ETA moved by supplier")

Keys are the template milestone keys below; a plan without that key ignores the signal,
so sending is always safe.
"""

from __future__ import annotations

from django.dispatch import Signal

milestone_reached = Signal()  # order, key, actor, event (core.Event | None), on (date | None)
milestone_forecast = Signal()  # order, key, actor, on (date), reason (str)


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
    INLINE_INSPECTION = "inline_inspection"
    PRODUCTION_FINISHED = "production_finished"
    FINAL_INSPECTION = "final_inspection"  # passed
    BOOKING = "booking"
    EX_FACTORY = "ex_factory"
    ETD = "etd"  # shipped
    SHIPPING_ADVICE = "shipping_advice"
    DOCUMENTS_SENT = "documents_sent"
    BALANCE_RECEIVED = "balance_received"
    QUALITY_CHECK_IN = "quality_check_in"  # ETA + 7
    REORDER_CHECK_IN = "reorder_check_in"  # ETA + 21
    CLOSED = "closed"
