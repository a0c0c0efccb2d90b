"""Reads of letters of credit."""

from __future__ import annotations

from django.db.models import QuerySet

from gendan.exportdocs.models import LetterOfCredit

LIVE_STATUSES = (LetterOfCredit.Status.RECEIVED, LetterOfCredit.Status.AMENDMENT_NEEDED,
                 LetterOfCredit.Status.ACCEPTED)


def credits_of_order(order) -> QuerySet[LetterOfCredit]:
    """The live credits linked to ``order`` (received, to amend or workable), newest first."""
    return (LetterOfCredit.objects.filter(orders=order, status__in=LIVE_STATUSES)
            .select_related("currency", "customer").order_by("-received_on", "-id"))


def credit_for_order(order) -> LetterOfCredit | None:
    """The credit that pays ``order``'s shipments: its newest live credit, or None."""
    return credits_of_order(order).first()


def order_is_paid_by_credit(order) -> bool:
    return order.payment_method in ("lc_sight", "lc_usance")
