"""The milestone keys T&A templates use and other apps' events complete (``CompletesOn``)."""

from __future__ import annotations


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
